//! Properties over generated valid snapshots (synthetic `small` tenants of
//! random seeds, `rclint_synth`): no panic and every location inside its
//! file; derivation sound and minimal; output independent of file order;
//! fingerprints stable under reformatting and moving definitions.

use crate::common;

use proptest::prelude::*;
use rclint::derive::derive;
use rclint::policy::Policy;
use rclint::report::check::{ReportInput, json};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn write_tenant(seed: u64) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    rclint_synth::generate("small", seed)
        .expect("known scale")
        .write(dir.path())
        .expect("write tenant");
    dir
}

fn json_of(paths: &[PathBuf]) -> String {
    let analysis = rclint::analyze(paths, &|_| false).expect("loads");
    let outcome = Policy::default().apply(analysis.findings, &analysis.snapshot.sources);
    json::render(&ReportInput {
        outcome: &outcome,
        sources: &analysis.snapshot.sources,
    })
}

fn files_of(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect();
    files.sort();
    files
}

/// The fingerprints of a tenant's findings, without syntax errors: those are
/// identified by their line and column (`syntax@LINE:COL`), which the spec
/// gives no stable identity.
fn fingerprints(dir: &Path) -> BTreeSet<String> {
    let analysis = rclint::analyze(&[dir.to_path_buf()], &|_| false).expect("loads");
    analysis
        .findings
        .iter()
        .filter(|f| !f.item.as_deref().is_some_and(|i| i.starts_with("syntax@")))
        .map(|f| f.fingerprint())
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    #[test]
    fn no_panic_and_every_location_inside_its_file(seed in any::<u64>()) {
        let dir = write_tenant(seed);
        let analysis = rclint::analyze(&[dir.path().to_path_buf()], &|_| false).expect("loads");
        for f in &analysis.findings {
            for span in std::iter::once(f.primary.span).chain(f.related.iter().map(|l| l.span)) {
                let file = analysis.snapshot.sources.get(span.file);
                prop_assert!(span.start() <= span.end() && span.end() <= file.text.len());
                let pos = analysis.snapshot.sources.position(span);
                prop_assert!(pos.line >= 1 && pos.line <= file.text.lines().count().max(1));
            }
        }
    }

    #[test]
    fn output_does_not_depend_on_the_order_of_files(seed in any::<u64>()) {
        let dir = write_tenant(seed);
        let files = files_of(dir.path());
        let mut reversed = files.clone();
        reversed.reverse();
        prop_assert_eq!(json_of(&files), json_of(&reversed));
        prop_assert_eq!(json_of(&files), json_of(&[dir.path().to_path_buf()]));
    }

    #[test]
    fn fingerprints_survive_reformatting_and_moving_definitions(seed in any::<u64>()) {
        let dir = write_tenant(seed);
        let before = fingerprints(dir.path());
        // Reformat every file, and move the roles to a file of their own.
        let mut moved = String::new();
        for path in files_of(dir.path()) {
            let text = std::fs::read_to_string(&path).expect("read");
            let reformatted = text.replace(" = ", "  =  ").replace("\n\n", "\n\n# reviewed\n\n");
            if path.starts_with(dir.path().join("roles")) {
                moved.push_str(&reformatted);
                std::fs::remove_file(&path).expect("remove");
            } else {
                std::fs::write(&path, reformatted).expect("write");
            }
        }
        std::fs::write(dir.path().join("all-roles.toml"), format!("# moved here\n\n{moved}")).expect("write");
        prop_assert_eq!(before, fingerprints(dir.path()));
    }

    #[test]
    fn derivation_is_sound_and_minimal(seed in any::<u64>()) {
        let dir = write_tenant(seed);
        let analysis = rclint::analyze(&[dir.path().to_path_buf()], &|_| false).expect("loads");
        let checked = |d: &rclint::derive::AccountDerivation| {
            let fragment = rclint::report::query::derivation::toml(std::slice::from_ref(d));
            let after = rclint::analyze_loaded(common::apply(dir.path(), d, &fragment));
            after
                .findings
                .iter()
                .filter(|f| f.subject.name == d.account && common::SILENCED.contains(&f.rule.code))
                .map(|f| (f.rule.code, f.item.clone().unwrap_or_default()))
                .collect::<Vec<_>>()
        };
        for d in derive(&analysis, None, None).into_iter().filter(|d| !d.integrations.is_empty()) {
            // Sound: the fragment silences the account rules.
            prop_assert_eq!(checked(&d), vec![], "{}", d.account);
            // Minimal: without any one of its grants, RC201 fires for it.
            let f = &d.fragment;
            let mut smaller = Vec::new();
            for (i, m) in f.modules.iter().enumerate() {
                let mut s = d.clone();
                s.fragment.modules.remove(i);
                smaller.push((s, format!("module:{m}")));
            }
            for app in f.applications.keys() {
                let mut s = d.clone();
                s.fragment.applications.remove(app);
                smaller.push((s, format!("application:{app}")));
            }
            for step in f.steps.keys() {
                let mut s = d.clone();
                s.fragment.steps.remove(step);
                if s.fragment.steps.is_empty() {
                    s.fragment.permission_set = None;
                }
                smaller.push((s, format!("step:{step}")));
            }
            for app in f.build_access.keys() {
                let mut s = d.clone();
                s.fragment.build_access.remove(app);
                smaller.push((s, format!("build:{app}")));
            }
            for (s, grant) in smaller {
                let left = checked(&s);
                prop_assert!(
                    left.contains(&("RC201", grant.clone())),
                    "{} without {grant}: {left:?}",
                    d.account
                );
            }
        }
    }
}

/// What every user holds: user name → grant → highest level.
fn access_by_user(
    analysis: &rclint::Analysis,
) -> std::collections::BTreeMap<String, std::collections::BTreeMap<String, rclint::snapshot::Level>>
{
    let snapshot = &analysis.snapshot;
    (0..snapshot.model.users.len())
        .map(|u| {
            let access = analysis.graph.access_of(snapshot, u);
            let grants = access
                .grants()
                .filter_map(|g| Some((g.to_string(), access.level(g)?)))
                .collect();
            (snapshot.model.users[u].name.value.to_string(), grants)
        })
        .collect()
}

/// Makes a generated tenant hostile to `derive`: integrations with names that
/// try to leave the fragment's comments and strings, and a role and a
/// permission set, held by a person, that already carry the names the
/// fragments of two accounts would take.
fn hostile_tenant(seed: u64) -> tempfile::TempDir {
    let dir = write_tenant(seed);
    let hostile = [
        r#""Nightly\n[[user]]\nname = \"svc-n\"\nroles = [\"Admins\"]""#,
        r#""Quote \" and ''' and \\ and \u001b[2J""#,
    ];
    let mut renamed = 0;
    for path in files_of(dir.path()) {
        let text = std::fs::read_to_string(&path).expect("read");
        let mut changed = text.clone();
        for (i, name) in hostile.iter().enumerate() {
            changed = changed.replace(
                &format!("name = \"Integration 0000{}\"", i + 1),
                &format!("name = {name}"),
            );
        }
        if changed != text {
            renamed += 1;
            std::fs::write(&path, changed).expect("write");
        }
    }
    assert!(renamed > 0, "hostile names written");
    let analysis = rclint::analyze(&[dir.path().to_path_buf()], &|_| false).expect("loads");
    let derivations: Vec<_> = derive(&analysis, None, None)
        .into_iter()
        .filter(|d| !d.integrations.is_empty())
        .collect();
    let mut collide = String::new();
    if let Some(d) = derivations.first() {
        collide.push_str(&format!(
            "[[role]]\nname = {}\nmodules = [\"ADMIN\"]\n\n",
            rclint::escape::toml(&d.fragment.role)
        ));
    }
    if let Some(set) = derivations
        .iter()
        .find_map(|d| d.fragment.permission_set.clone())
    {
        collide.push_str(&format!(
            "[[permission_set]]\nname = {}\nsteps = {{}}\n\n[[role]]\nname = \"Holds the set\"\npermission_sets = [{}]\n\n",
            rclint::escape::toml(&set),
            rclint::escape::toml(&set)
        ));
    }
    collide.push_str("[[user]]\nname = \"a.person@example.com\"\nroles = [");
    if let Some(d) = derivations.first() {
        collide.push_str(&rclint::escape::toml(&d.fragment.role));
        collide.push_str(", ");
    }
    collide.push_str("\"Holds the set\"]\n");
    std::fs::write(dir.path().join("aa-collide.toml"), collide).expect("write");
    dir
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 6, ..ProptestConfig::default() })]

    /// Applied in place of the account's grants, a fragment silences the
    /// account's RC101–RC104 and RC201–RC205, keeps every grant of its
    /// minimal grant, and changes no other user's access. The one intended
    /// exception: Build Access that other BUILD holders had on applications
    /// the fragment restricts (RC104 reports that reach).
    #[test]
    fn a_derived_fragment_is_safe_to_apply(seed in any::<u64>()) {
        let dir = hostile_tenant(seed);
        let analysis = rclint::analyze(&[dir.path().to_path_buf()], &|_| false).expect("loads");
        let before = access_by_user(&analysis);
        let derivations: Vec<_> = derive(&analysis, None, None)
            .into_iter()
            .filter(|d| !d.integrations.is_empty())
            .collect();
        prop_assert!(derivations.iter().any(|d| !d.fragment.renamed.is_empty()), "a collision was set up");
        for d in derivations.iter().take(6) {
            let fragment = rclint::report::query::derivation::toml(std::slice::from_ref(d));
            let after = rclint::analyze_loaded(common::apply(dir.path(), d, &fragment));
            let left: Vec<_> = after
                .findings
                .iter()
                .filter(|f| f.subject.name == d.account && common::SILENCED.contains(&f.rule.code))
                .map(|f| (f.rule.code, f.item.clone()))
                .collect();
            prop_assert_eq!(left, vec![], "{}", d.account);
            let after_access = access_by_user(&after);
            prop_assert_eq!(
                before.keys().collect::<Vec<_>>(),
                after_access.keys().collect::<Vec<_>>(),
                "the fragment defines no other user"
            );
            for needed in &d.minimal {
                let held = after_access[&d.account].get(&needed.grant.to_string());
                prop_assert!(held.is_some_and(|h| *h >= needed.level), "{} keeps {}", d.account, needed.grant);
            }
            let restricted: BTreeSet<String> = d
                .fragment
                .restrict_build_access
                .iter()
                .chain(d.fragment.build_access.keys())
                .map(|a| format!("build:{a}"))
                .collect();
            for (user, grants) in &before {
                if user == &d.account {
                    continue;
                }
                let keep = |g: &&String| !restricted.contains(*g);
                let was: Vec<_> = grants.iter().filter(|(g, _)| keep(g)).collect();
                let now: Vec<_> = after_access[user].iter().filter(|(g, _)| keep(g)).collect();
                prop_assert_eq!(was, now, "{}'s access changed by the fragment of {}", user, d.account);
            }
        }
    }
}

//! Properties over generated valid snapshots (synthetic `small` tenants of
//! random seeds, `rclint::synth`): no panic and every location inside its
//! file; derivation sound and minimal; output independent of file order;
//! fingerprints stable under reformatting and moving definitions.

mod common;

use proptest::prelude::*;
use rclint::derive::derive;
use rclint::policy::Policy;
use rclint::report::{ReportInput, json};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn write_tenant(seed: u64) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    rclint::synth::generate("small", seed)
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
                prop_assert!(span.start <= span.end && span.end <= file.text.len());
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
            let fragment = rclint::report::derive::toml(std::slice::from_ref(d));
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

//! Effective access exactly as the format spec defines it: the highest level
//! over every path, ADMIN implying every module, Build Access following
//! `restrict_build_access`, and every path behind every grant.

use rclint::graph::Grant;
use rclint::snapshot::Level;
use std::fs;

const SNAPSHOT: &str = r#"
[[application]]
name = "Vendor Risk"
restrict_build_access = true
build_access = { "svc-a" = "read", "svc-b" = "edit" }

[[application.workflow]]
name = "Assessment"
steps = ["Intake", "Review"]

[[application]]
name = "Policy"

[[application.workflow]]
name = "Lifecycle"
steps = ["Draft"]

[[permission_set]]
name = "Read intake"
steps = { "Vendor Risk/Assessment/Intake" = "read" }

[[permission_set]]
name = "Edit intake"
steps = { "Vendor Risk/Assessment/Intake" = "edit" }

[[role]]
name = "Readers"
applications = { "Vendor Risk" = "read" }
permission_sets = ["Read intake"]

[[role]]
name = "Editors"
modules = ["RECORDS"]
applications = { "Vendor Risk" = "edit" }
permission_sets = ["Edit intake"]

[[role]]
name = "Admins"
modules = ["ADMIN"]

[[role]]
name = "Builders"
modules = ["BUILD"]

[[user]]
name = "svc-a"
roles = ["Readers", "Editors"]
permission_sets = ["Read intake"]

[[user]]
name = "svc-b"
roles = ["Admins"]

[[user]]
name = "svc-c"
roles = ["Builders"]
"#;

fn access() -> (Vec<rclint::graph::EffectiveAccess>, Vec<String>) {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::write(dir.path().join("s.toml"), SNAPSHOT).expect("write");
    let analysis = rclint::analyze(&[dir.path().to_path_buf()], &|_| false).expect("loads");
    assert!(
        analysis.findings.iter().all(|f| f.rule.code < "RC400"),
        "snapshot is valid"
    );
    let names = analysis
        .snapshot
        .model
        .users
        .iter()
        .map(|u| u.name.value.to_string())
        .collect();
    // People's access is computed on demand; these users are not automation
    // accounts, so this also exercises that path.
    let access = (0..analysis.snapshot.model.users.len())
        .map(|u| analysis.graph.access_of(&analysis.snapshot, u).into_owned())
        .collect();
    (access, names)
}

/// The labels of every path by which the first user holds `grant`.
fn path_labels(grant: &Grant) -> Vec<Vec<String>> {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::write(dir.path().join("s.toml"), SNAPSHOT).expect("write");
    let analysis = rclint::analyze(&[dir.path().to_path_buf()], &|_| false).expect("loads");
    let access = analysis.graph.access_of(&analysis.snapshot, 0);
    access
        .paths(grant)
        .iter()
        .map(|p| analysis.graph.labels(&analysis.snapshot, p))
        .collect()
}

fn step() -> Grant {
    Grant::Step("Vendor Risk/Assessment/Intake".into())
}

#[test]
fn highest_level_wins_and_every_path_is_kept() {
    let (access, _) = access();
    let a = &access[0];
    assert_eq!(a.level(&step()), Some(Level::Edit));
    assert_eq!(
        a.level(&Grant::Application("Vendor Risk".into())),
        Some(Level::Edit)
    );
    let paths = path_labels(&step());
    assert_eq!(
        paths,
        vec![
            vec![
                "user svc-a",
                "permission set Read intake",
                "step Vendor Risk/Assessment/Intake"
            ],
            vec![
                "user svc-a",
                "role Editors",
                "permission set Edit intake",
                "step Vendor Risk/Assessment/Intake"
            ],
            vec![
                "user svc-a",
                "role Readers",
                "permission set Read intake",
                "step Vendor Risk/Assessment/Intake"
            ],
        ]
    );
    assert_eq!(
        a.level(&Grant::Step("Vendor Risk/Assessment/Review".into())),
        None
    );
}

#[test]
fn admin_implies_every_module_marked_as_implied() {
    let (access, _) = access();
    let b = &access[1];
    for module in [
        "ADMIN",
        "BUILD",
        "RECORDS",
        "IMPORT",
        "TABLE_REPORTS_READ",
        "STATUS",
    ] {
        assert!(b.level(&Grant::Module(module.into())).is_some(), "{module}");
    }
    assert!(b.explicit_module_paths("BUILD").is_empty());
    assert_eq!(b.explicit_module_paths("ADMIN").len(), 1);
    assert!(access[0].level(&Grant::Module("ADMIN".into())).is_none());
}

#[test]
fn build_access_follows_restriction_and_requires_build() {
    let (access, _) = access();
    let vendor = Grant::Build("Vendor Risk".into());
    let policy = Grant::Build("Policy".into());
    // svc-a is on the list but holds no BUILD: no Build Access.
    assert_eq!(access[0].level(&vendor), None);
    assert_eq!(access[0].level(&policy), None);
    // svc-b holds BUILD through ADMIN: its list entry counts, and the
    // unrestricted application is open to it.
    assert_eq!(access[1].level(&vendor), Some(Level::Edit));
    assert_eq!(access[1].level(&policy), Some(Level::Edit));
    // svc-c holds BUILD but is on no list: only the unrestricted application.
    assert_eq!(access[2].level(&vendor), None);
    assert_eq!(access[2].level(&policy), Some(Level::Edit));
}

#[test]
fn who_can_from_the_grant_backwards_finds_exactly_what_everyones_access_holds() {
    let medium = tempfile::tempdir().expect("temp dir");
    rclint_synth::generate("medium", 7)
        .expect("known scale")
        .write(medium.path())
        .expect("write tenant");
    for dir in [
        std::path::PathBuf::from("fixtures/acme"),
        medium.path().to_path_buf(),
    ] {
        let analysis = rclint::analyze(std::slice::from_ref(&dir), &|_| false).expect("loads");
        let (snapshot, graph) = (&analysis.snapshot, &analysis.graph);
        let mut grants: Vec<Grant> = ["ADMIN", "RECORDS", "BUILD", "TABLE_REPORTS_READ"]
            .iter()
            .map(|m| Grant::Module(m.to_string()))
            .collect();
        grants.extend(
            snapshot
                .model
                .applications
                .iter()
                .take(3)
                .map(|a| Grant::Application(a.name.value.to_string())),
        );
        grants.extend(
            rclint::snapshot::StepTable::paths(&snapshot.model.applications)
                .take(5)
                .map(Grant::Step),
        );
        grants.extend(
            snapshot
                .model
                .applications
                .iter()
                .take(2)
                .map(|a| Grant::Build(a.name.value.to_string())),
        );
        let everyone: Vec<_> = (0..snapshot.model.users.len())
            .map(|u| graph.access_of(snapshot, u))
            .collect();
        // who-can's graph computes nobody's access up front, and answers
        // the same when asked.
        let bare = rclint::graph::AccessGraph::build_without_access(snapshot);
        assert!(!graph.automation().is_empty());
        for &u in graph.automation() {
            assert!(bare.access(u).is_empty());
            assert_eq!(*bare.access_of(snapshot, u), *graph.access(u));
        }
        for grant in &grants {
            for level in [None, Some(Level::Edit)] {
                let brute: Vec<(usize, usize)> = (0..snapshot.model.users.len())
                    .filter_map(|u| {
                        let n = everyone[u]
                            .paths(grant)
                            .iter()
                            .filter(|p| level.is_none_or(|l| p.level >= l))
                            .count();
                        (n > 0).then_some((u, n))
                    })
                    .collect();
                let backwards: Vec<(usize, usize)> = graph
                    .holders(snapshot, grant, level)
                    .iter()
                    .map(|(u, paths)| (*u, paths.len()))
                    .collect();
                assert_eq!(backwards, brute, "{grant} {level:?} in {}", dir.display());
                let from_bare: Vec<(usize, usize)> = bare
                    .holders(snapshot, grant, level)
                    .iter()
                    .map(|(u, paths)| (*u, paths.len()))
                    .collect();
                assert_eq!(from_bare, brute, "{grant} {level:?} without access");
            }
        }
    }
}

#[test]
fn held_against_needed_judges_every_grant_of_either_side_by_its_definition() {
    let medium = tempfile::tempdir().expect("temp dir");
    rclint_synth::generate("medium", 7)
        .expect("known scale")
        .write(medium.path())
        .expect("write tenant");
    let (mut missing, mut excess) = (0, 0);
    for dir in [
        std::path::PathBuf::from("fixtures/acme"),
        medium.path().to_path_buf(),
    ] {
        let analysis = rclint::analyze(std::slice::from_ref(&dir), &|_| false).expect("loads");
        for &u in analysis.graph.automation() {
            let (access, minimal) = (analysis.graph.access(u), &analysis.minimal[u]);
            // Every grant held or needed, in order, judged one by one.
            let grants: std::collections::BTreeSet<&Grant> =
                access.grants().chain(minimal.grants.keys()).collect();
            let expected: Vec<rclint::minimal::GrantDiff> = grants
                .into_iter()
                .filter_map(|g| {
                    let (held, needed) = (access.level(g), minimal.level(g));
                    let explicit = access
                        .paths(g)
                        .iter()
                        .filter(|p| !p.via_admin)
                        .map(|p| p.level)
                        .max();
                    let diff = |held| rclint::minimal::GrantDiff {
                        grant: g.clone(),
                        held,
                        needed,
                    };
                    if needed.is_some() && held < needed {
                        missing += 1;
                        Some(diff(held))
                    } else if explicit.is_some() && explicit > needed {
                        excess += 1;
                        Some(diff(explicit))
                    } else {
                        None
                    }
                })
                .collect();
            assert_eq!(
                analysis.diffs[u],
                expected,
                "account {u} of {}",
                dir.display()
            );
        }
    }
    assert!(
        missing > 0 && excess > 0,
        "{missing} missing, {excess} excess"
    );
}

//! `rclint derive`, `why` and `who-can` on the demo tenant. The central claim
//! of `derive --format toml` is tested for every automation account: put in
//! place of the account's current grants, the fragment silences RC101–RC104
//! and RC201–RC205 for that account.

use crate::common;

use rclint::derive::derive;
use std::path::PathBuf;
use std::process::Command;

fn acme() -> PathBuf {
    PathBuf::from("fixtures/acme")
}

fn rclint(args: &[&str]) -> String {
    let out = Run::new(args).output();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    stdout(&out)
}

use crate::common::cli::{Run, stderr, stdout};
use common::SILENCED;

#[test]
fn applied_fragment_silences_the_account_rules_for_every_account() {
    let analysis = rclint::analyze(&[acme()], &|_| false).expect("acme loads");
    let derivations = derive(&analysis, None, None);
    assert!(
        derivations.len() >= 8,
        "every automation account is derived"
    );
    let mut silenced_something = false;
    for d in &derivations {
        let before = analysis
            .findings
            .iter()
            .filter(|f| f.subject.name == d.account && SILENCED.contains(&f.rule.code))
            .count();
        silenced_something |= before > 0;
        let fragment = rclint(&[
            "derive",
            "fixtures/acme",
            "--account",
            &d.account,
            "-f",
            "toml",
        ]);
        let after = rclint::analyze_loaded(common::apply(&acme(), d, &fragment));
        let left: Vec<String> = after
            .findings
            .iter()
            .filter(|f| f.subject.name == d.account && SILENCED.contains(&f.rule.code))
            .map(|f| format!("{} {}", f.rule.code, f.message))
            .collect();
        assert!(
            left.is_empty(),
            "{} still has {left:#?}\nfragment:\n{fragment}",
            d.account
        );
    }
    assert!(
        silenced_something,
        "the demo tenant has findings for derive to fix"
    );
}

#[test]
fn derive_output_snapshots() {
    insta::assert_snapshot!("derive-text", rclint(&["derive", "fixtures/acme"]));
    insta::assert_snapshot!(
        "derive-toml",
        rclint(&["derive", "fixtures/acme", "-f", "toml"])
    );
    insta::assert_snapshot!(
        "derive-json-risk-sync",
        rclint(&[
            "derive",
            "fixtures/acme",
            "--integration",
            "Risk Sync",
            "-f",
            "json"
        ])
    );
}

#[test]
fn why_names_every_path() {
    // svc-warehouse-export reaches application Vendor Risk through two roles.
    let out = rclint(&[
        "why",
        "svc-warehouse-export",
        "application:Vendor Risk",
        "fixtures/acme",
    ]);
    assert_eq!(out.lines().count(), 2, "{out}");
    assert!(out.contains("role Integration: Warehouse Export (fixtures/acme/users.toml:42)"));
    assert!(out.contains("role Risk Analysts (fixtures/acme/users.toml:42)"));
    // With a level, only the paths that give it.
    let edit = rclint(&[
        "why",
        "svc-warehouse-export",
        "application:Vendor Risk=edit",
        "fixtures/acme",
    ]);
    assert_eq!(edit.lines().count(), 1, "{edit}");
    insta::assert_snapshot!(
        "why-warehouse-export",
        rclint(&["why", "svc-warehouse-export", "fixtures/acme"])
    );
}

#[test]
fn why_with_two_roles_granting_one_step_prints_two_lines() {
    let dir = tempfile::tempdir().expect("temp dir");
    let text = r#"
[[application]]
name = "A"
[[application.workflow]]
name = "W"
steps = ["S"]
[[permission_set]]
name = "P1"
steps = { "A/W/S" = "read" }
[[permission_set]]
name = "P2"
steps = { "A/W/S" = "edit" }
[[role]]
name = "R1"
permission_sets = ["P1"]
[[role]]
name = "R2"
permission_sets = ["P2"]
[[user]]
name = "u"
roles = ["R1", "R2"]
"#;
    std::fs::write(dir.path().join("s.toml"), text).expect("write");
    let path = dir.path().to_string_lossy().into_owned();
    let out = rclint(&["why", "u", "step:A/W/S", &path]);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    assert!(lines[0].starts_with("step:A/W/S=read: user u → role R1"));
    assert!(lines[1].starts_with("step:A/W/S=edit: user u → role R2"));
}

#[test]
fn who_can_lists_every_holder() {
    let out = rclint(&["who-can", "module:ADMIN", "fixtures/acme"]);
    assert_eq!(out.lines().count(), 2, "{out}");
    insta::assert_snapshot!(
        "who-can-vendor-risk-review-edit",
        rclint(&[
            "who-can",
            "step:Vendor Risk/Assessment/Review=edit",
            "fixtures/acme"
        ])
    );
}

#[test]
fn query_commands_reject_unknown_names_with_exit_2() {
    for args in [
        vec!["why", "svc-risk-sinc", "fixtures/acme"],
        vec!["why", "svc-risk-sync", "module:ADMN", "fixtures/acme"],
        vec!["why", "svc-risk-sync", "modul:ADMIN", "fixtures/acme"],
        vec![
            "who-can",
            "step:Vendor Risk/Assessment/Reveiw",
            "fixtures/acme",
        ],
        vec!["derive", "fixtures/acme", "--account", "svc-nobody"],
        vec!["derive", "fixtures/acme", "--integration", "Risk Synk"],
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_rclint"))
            .args(&args)
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(out.stdout.is_empty());
    }
}

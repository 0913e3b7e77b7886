//! `rclint graph` and `rclint diff` on the demo tenant.

use std::process::{Command, Output};

fn rclint(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rclint"))
        .args(args)
        .output()
        .expect("rclint runs")
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A copy of the demo tenant (every file, rclint.toml and drafts included).
fn copy_acme() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for entry in walkdir::WalkDir::new("fixtures/acme") {
        let entry = entry.expect("entry");
        let relative = entry.path().strip_prefix("fixtures/acme").expect("inside");
        let target = dir.path().join(relative);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
    dir
}

#[test]
fn identical_snapshots_have_no_drift() {
    let copy = copy_acme();
    let out = rclint(&["diff", "fixtures/acme", &copy.path().to_string_lossy()]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        stdout(&out),
        "no change in the access of automation accounts\n"
    );
}

#[test]
fn a_role_gaining_admin_is_drift_with_its_path() {
    let copy = copy_acme();
    let roles = copy.path().join("roles.toml");
    let text = std::fs::read_to_string(&roles).expect("read");
    let changed = text.replacen(
        "name = \"Integration: Risk Sync\"\nmodules = [\"RECORDS\"]",
        "name = \"Integration: Risk Sync\"\nmodules = [\"RECORDS\", \"ADMIN\"]",
        1,
    );
    assert_ne!(text, changed, "the fixture has the role");
    std::fs::write(&roles, changed).expect("write");
    let new = copy.path().to_string_lossy().into_owned();
    let out = rclint(&["diff", "fixtures/acme", &new]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    // Both members of the role gain ADMIN, each with the path that grants it.
    assert!(text.contains("  + svc-risk-sync module:ADMIN\n"), "{text}");
    assert!(
        text.contains("  + svc-legacy-sync module:ADMIN\n"),
        "{text}"
    );
    assert!(
        text.contains("via user svc-risk-sync → role Integration: Risk Sync ("),
        "{text}"
    );
    assert!(
        text.contains("module ADMIN (") && text.contains("roles.toml:3)"),
        "{text}"
    );
    // The reverse direction removes it and adds nothing.
    let back = rclint(&["diff", &new, "fixtures/acme", "-f", "json"]);
    assert_eq!(back.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&back.stdout).expect("JSON");
    assert_eq!(json["added"].as_array().map(Vec::len), Some(0));
    let removed: Vec<&str> = json["removed"]
        .as_array()
        .expect("removed")
        .iter()
        .filter_map(|c| c["grant"].as_str())
        .collect();
    assert!(removed.contains(&"module:ADMIN"));
    let markdown = stdout(&rclint(&["diff", "fixtures/acme", &new, "-f", "markdown"]));
    assert!(
        markdown.contains("| svc-risk-sync | module:ADMIN | added |"),
        "{markdown}"
    );
}

#[test]
fn graph_of_one_account() {
    let dot = stdout(&rclint(&[
        "graph",
        "fixtures/acme",
        "--account",
        "svc-incident-bridge",
    ]));
    assert!(dot.starts_with("digraph access {"));
    assert!(!dot.contains("svc-risk-sync"), "only the account's part");
    insta::assert_snapshot!("graph-svc-incident-bridge-dot", dot);
    insta::assert_snapshot!(
        "graph-svc-risk-sync-mermaid",
        stdout(&rclint(&[
            "graph",
            "fixtures/acme",
            "-f",
            "mermaid",
            "--account",
            "svc-risk-sync"
        ]))
    );
    let whole = stdout(&rclint(&["graph", "fixtures/acme"]));
    assert!(whole.contains("user alice@acme.example") && whole.contains("svc-risk-sync"));
    let unknown = rclint(&["graph", "fixtures/acme", "--account", "svc-nobody"]);
    assert_eq!(unknown.status.code(), Some(2));
}

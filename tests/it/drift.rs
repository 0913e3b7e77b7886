//! `rclint graph` and `rclint diff` on the demo tenant.

use crate::common::cli::{rclint, stdout};

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
    // The demo tenant carries snapshot problems on purpose (RC401-RC404):
    // the comparison says so and is not green, though nothing changed.
    let copy = copy_acme();
    let out = rclint(&["diff", "fixtures/acme", &copy.path().to_string_lossy()]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(text.starts_with("OLD has 4 snapshot problems"), "{text}");
    assert!(
        text.ends_with("no change in the access of automation accounts\n"),
        "{text}"
    );
    // A valid snapshot compared with itself: no drift, exit 0.
    let clean = "fixtures/rules/admin-on-integration/pass";
    let out = rclint(&["diff", clean, clean]);
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
    // The reverse direction removes it and adds nothing (exit 1 all the
    // same: the demo tenant's snapshot problems make it incomplete).
    let back = rclint(&["diff", &new, "fixtures/acme", "-f", "json"]);
    assert_eq!(back.status.code(), Some(1));
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

#[test]
fn a_broken_new_snapshot_is_not_read_as_access_removed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let old = dir.path().join("old");
    let new = dir.path().join("new");
    std::fs::create_dir_all(&old).expect("mkdir");
    std::fs::create_dir_all(&new).expect("mkdir");
    for f in std::fs::read_dir("fixtures/rules/admin-on-integration/pass").expect("fixture") {
        let f = f.expect("entry").path();
        std::fs::copy(&f, old.join(f.file_name().expect("name"))).expect("copy");
        // NEW: the same snapshot with a syntax error in the roles.
        let text = std::fs::read_to_string(&f).expect("read");
        let broken = text.replacen("[[role]]", "[[role]", 1);
        std::fs::write(new.join(f.file_name().expect("name")), broken).expect("write");
    }
    let (o, n) = (old.to_str().expect("utf-8"), new.to_str().expect("utf-8"));
    let out = rclint(&["diff", o, n]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "a broken snapshot is never green"
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("NEW has 1 snapshot problem"), "{text}");
    assert!(text.contains("RC401 invalid TOML"), "{text}");
    let out = rclint(&["diff", o, n, "-f", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(json["complete"], false);
    assert_eq!(json["problems"]["new"][0]["code"], "RC401");
    // Identical, valid snapshots: complete, exit 0.
    let out = rclint(&["diff", o, o, "-f", "json"]);
    assert_eq!(out.status.code(), Some(0));
}

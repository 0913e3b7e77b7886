//! Config discovery as ruff and cargo do it: the nearest `rclint.toml`
//! walking up from the snapshot path (or the current directory), up to the
//! repository's root; from inside a snapshot, its root is what is read.

use crate::common;

use crate::common::cli::Run;
use std::path::Path;
use std::process::Output;

fn rclint_in(dir: &Path, args: &[&str]) -> Output {
    Run::new(args).in_dir(dir).output()
}

fn summary(out: &Output) -> serde_json::Value {
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    json["summary"].clone()
}

#[test]
fn inside_a_snapshot_check_reads_the_whole_snapshot_with_its_config() {
    let root = std::env::current_dir().expect("cwd");
    let acme = root.join("fixtures/acme");
    let from_root = rclint_in(&root, &["check", "fixtures/acme", "-f", "json"]);
    let from_inside = rclint_in(&acme.join("integrations"), &["check", "-f", "json"]);
    assert_eq!(from_inside.status.code(), from_root.status.code());
    assert_eq!(
        summary(&from_inside),
        summary(&from_root),
        "the same findings, waiver included"
    );
    assert_eq!(
        summary(&from_inside)["waived"],
        1,
        "the config's waiver applied"
    );

    let verbose = rclint_in(
        &acme.join("integrations"),
        &["check", "-v", "-f", "concise"],
    );
    let said = String::from_utf8_lossy(&verbose.stderr);
    assert!(
        said.lines()
            .next()
            .is_some_and(|l| l == "snapshot ..; config ../rclint.toml"),
        "{said}"
    );
}

#[test]
fn a_path_inside_a_snapshot_finds_the_config_above_it() {
    let out = rclint_in(
        &std::env::current_dir().expect("cwd"),
        &["check", "-v", "fixtures/acme/integrations", "-f", "concise"],
    );
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("config fixtures/acme/rclint.toml"), "{said}");
}

#[test]
fn the_walk_stops_at_the_repository_root() {
    let dir = tempfile::tempdir().expect("tempdir");
    // A config above the repository: never picked up (it would fail the
    // run, being invalid).
    std::fs::write(dir.path().join("rclint.toml"), "not [valid").expect("config");
    let repo = dir.path().join("repo");
    std::fs::create_dir_all(repo.join(".git")).expect("repo");
    let snapshot = repo.join("snapshot");
    common::copy_dir(
        Path::new("fixtures/rules/admin-on-integration/fail"),
        &snapshot,
    );
    let out = rclint_in(&snapshot, &["check", "-v", "-f", "concise"]);
    let said = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{said}");
    assert!(said.contains("no config file"), "{said}");

    // Inside the repository, a config above the snapshot is found.
    std::fs::write(repo.join("rclint.toml"), "[rules]\nRC101 = \"warning\"\n").expect("config");
    let out = rclint_in(&snapshot, &["check", "-v", "-f", "concise"]);
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("config ../rclint.toml"), "{said}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("RC101 warning"));
}

#[test]
fn a_config_error_names_the_config_found_above() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir_all(dir.path().join(".git")).expect("repo");
    std::fs::write(
        dir.path().join("rclint.toml"),
        "[rules]\nRC999 = \"error\"\n",
    )
    .expect("config");
    let snapshot = dir.path().join("a/b");
    common::copy_dir(
        Path::new("fixtures/rules/admin-on-integration/fail"),
        &snapshot,
    );
    let out = rclint_in(&snapshot, &["check"]);
    assert_eq!(out.status.code(), Some(2));
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("../../rclint.toml:2:1"), "{said}");
}

//! `rclint deps ACCOUNT`: what depends on an account before its secret is
//! rotated.

use std::process::Command;

fn rclint(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_rclint"))
        .args(args)
        .output()
        .expect("rclint runs")
}

#[test]
fn deps_lists_every_integration_of_a_shared_account() {
    let out = rclint(&["deps", "svc-secops", "-s", "fixtures/acme"]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(text.contains("2 integrations depend on it"));
    assert!(text.contains("no owner declared for: Incident Digest"));
    insta::assert_snapshot!("deps-svc-secops", text);
}

#[test]
fn deps_of_an_unused_account_says_so() {
    let out = rclint(&["deps", "svc-old-export", "-s", "fixtures/acme"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("no integration declares this account"));
}

#[test]
fn deps_of_an_unknown_account_is_exit_2_with_a_suggestion() {
    let out = rclint(&["deps", "svc-secop", "-s", "fixtures/acme"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        err.trim(),
        "error: unknown account 'svc-secop' (did you mean 'svc-secops'?)"
    );
    assert!(out.stdout.is_empty());
}

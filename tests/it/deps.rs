//! `rclint deps ACCOUNT`: what depends on an account before its secret is
//! rotated.

use crate::common::cli::rclint;

#[test]
fn deps_lists_every_integration_of_a_shared_account() {
    let out = rclint(&["deps", "svc-secops", "fixtures/acme"]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(text.contains("2 integrations depend on it"));
    assert!(text.contains("no owner declared for: Incident Digest"));
    insta::assert_snapshot!("deps-svc-secops", text);
}

#[test]
fn deps_of_an_unused_account_says_so() {
    let out = rclint(&["deps", "svc-old-export", "fixtures/acme"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("no integration declares this account"));
}

#[test]
fn deps_of_an_unknown_account_is_exit_2_with_a_suggestion() {
    let out = rclint(&["deps", "svc-secop", "fixtures/acme"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        err.trim(),
        "error: unknown account 'svc-secop' (did you mean 'svc-secops'?)"
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn the_snapshot_is_an_operand_and_the_old_option_still_works_with_a_warning() {
    let out = rclint(&["deps", "svc-secops", "-s", "fixtures/acme"]);
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with("warning: -s/--snapshot is deprecated: name the snapshot as an operand"),
        "{stderr}"
    );
    assert_eq!(
        out.stdout,
        rclint(&["deps", "svc-secops", "fixtures/acme"]).stdout
    );
}

#[test]
fn several_snapshots_under_the_current_directory_are_never_merged() {
    // The repository root holds the demo tenant and the rule fixtures.
    for args in [
        vec!["check"],
        vec!["why", "svc-risk-sync"],
        vec!["who-can", "module:ADMIN"],
        vec!["deps", "svc-secops"],
        vec!["derive"],
        vec!["graph"],
    ] {
        let out = rclint(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.starts_with(
                "error: several snapshots under the current directory ('fixtures/acme', "
            ),
            "{args:?}: {stderr}"
        );
    }
}

//! `rclint report --since PREVIOUS.json`: what changed since the last
//! audit's report, in every format; a previous report from outside is
//! hostile input.

use crate::common;

use crate::common::cli::rclint;
use serde_json::Value;
use std::path::Path;
use std::process::Output;

const THEN: &str = "2026-11-01T00:00:00Z";
const NOW: &str = "2026-11-27T12:00:00Z";

fn text(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("UTF-8")
}

/// The demo tenant's report at THEN, written to `dir/previous.json`.
fn previous(dir: &Path) -> String {
    let path = dir.join("previous.json");
    let out = rclint(&[
        "report",
        "fixtures/acme",
        "--now",
        THEN,
        "-o",
        path.to_str().expect("UTF-8 path"),
    ]);
    assert!(path.is_file(), "{}", String::from_utf8_lossy(&out.stderr));
    path.to_str().expect("UTF-8 path").to_string()
}

/// The demo tenant with erin taken out of the Everyone role.
fn tenant_without_erin_in_everyone(dir: &Path) {
    common::copy_dir(Path::new("fixtures/acme"), dir);
    let users = dir.join("users.toml");
    let text = std::fs::read_to_string(&users).expect("users.toml");
    let edited = text.replace(
        r#"roles = ["Risk Analysts", "Everyone"]"#,
        r#"roles = ["Risk Analysts"]"#,
    );
    assert_ne!(text, edited, "the fixture still has erin in Everyone");
    std::fs::write(&users, edited).expect("write");
}

fn rows<'a>(changes: &'a Value, list: &str) -> Vec<&'a Value> {
    changes[list].as_array().expect(list).iter().collect()
}

#[test]
fn the_report_says_which_grants_findings_and_verdicts_changed_since_the_last() {
    let work = tempfile::tempdir().expect("tempdir");
    let previous = previous(work.path());
    let tenant = work.path().join("acme");
    tenant_without_erin_in_everyone(&tenant);
    let tenant = tenant.to_str().expect("UTF-8 path");

    let out = rclint(&[
        "report", tenant, "--now", NOW, "--since", &previous, "-f", "json",
    ]);
    let report: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let changes = &report["changes"];
    assert_eq!(changes["since"], THEN);
    assert_eq!(changes["same_snapshot"], false);
    assert!(
        changes["accounts_added"]
            .as_array()
            .expect("added")
            .is_empty()
    );
    // The role membership went, and the grant it brought.
    assert!(
        rows(changes, "findings_resolved")
            .iter()
            .any(|c| c["about"] == "RC102 erin@acme.example role:Everyone"),
        "{changes:#}"
    );
    let grant = rows(changes, "grants")
        .into_iter()
        .find(|c| c["about"] == "erin@acme.example application:Policy Management")
        .expect("the grant that went");
    assert_eq!(grant["after"], "none");
    assert!(
        grant["before"]
            .as_str()
            .expect("before")
            .contains("holds read")
    );
    // Nothing else about erin's other grants changed.
    assert!(
        !rows(changes, "grants")
            .iter()
            .any(|c| c["about"] == "erin@acme.example module:RECORDS")
    );

    // Every format shows it.
    let html = text(&rclint(&[
        "report", tenant, "--now", NOW, "--since", &previous, "-f", "html",
    ]))
    .replace("<wbr>", "");
    assert!(html.contains("Changes since the last report"));
    assert!(html.contains("RC102 erin@acme.example role:Everyone"));
    let markdown = text(&rclint(&[
        "report", tenant, "--now", NOW, "--since", &previous, "-f", "markdown",
    ]));
    assert!(markdown.contains("## Changes since the last report"));
    assert!(
        markdown.contains("| resolved finding | RC102 erin@&#8203;acme.example role:Everyone |")
    );
    let csv = text(&rclint(&[
        "report", tenant, "--now", NOW, "--since", &previous, "-f", "csv",
    ]));
    assert!(
        csv.lines().any(|l| l.starts_with("change,")
            && l.contains("resolved finding")
            && l.contains("RC102")),
        "{csv}"
    );

    // Without --since, no such section.
    let plain = text(&rclint(&["report", tenant, "--now", NOW, "-f", "json"]));
    assert!(!plain.contains("\"changes\""));
}

#[test]
fn a_report_compared_with_itself_says_nothing_changed() {
    let work = tempfile::tempdir().expect("tempdir");
    let previous = previous(work.path());
    let out = rclint(&[
        "report",
        "fixtures/acme",
        "--now",
        THEN,
        "--since",
        &previous,
        "-f",
        "json",
    ]);
    let report: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(report["changes"]["same_snapshot"], true);
    for list in [
        "accounts_added",
        "accounts_removed",
        "least_privilege",
        "grants",
        "findings_new",
        "findings_resolved",
        "findings_changed",
        "controls",
    ] {
        assert!(rows(&report["changes"], list).is_empty(), "{list}");
    }
    let markdown = text(&rclint(&[
        "report",
        "fixtures/acme",
        "--now",
        THEN,
        "--since",
        &previous,
        "-f",
        "markdown",
    ]));
    assert!(markdown.contains("the same snapshot): nothing changed."));
}

#[test]
fn a_previous_report_that_is_not_one_exits_2_with_one_bounded_line() {
    let work = tempfile::tempdir().expect("tempdir");
    let previous = previous(work.path());
    let mut good: Value =
        serde_json::from_str(&std::fs::read_to_string(&previous).expect("read")).expect("JSON");
    let long = format!("\u{1b}[31m{}", "x".repeat(100_000));
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("not JSON", b"<html>login</html>".to_vec()),
        ("empty", Vec::new()),
        ("wrong type", {
            let mut v = good.clone();
            v["accounts"][0]["least_privilege"] = Value::String(long.clone());
            serde_json::to_vec(&v).expect("JSON")
        }),
        ("missing field", {
            let mut v = good.clone();
            v.as_object_mut().expect("object").remove("controls");
            serde_json::to_vec(&v).expect("JSON")
        }),
        (
            "deep",
            format!("{}{}", "[".repeat(100_000), "]".repeat(100_000)).into_bytes(),
        ),
    ];
    for (what, bytes) in cases {
        let path = work.path().join("bad.json");
        std::fs::write(&path, bytes).expect("write");
        let out = rclint(&[
            "report",
            "fixtures/acme",
            "--since",
            path.to_str().expect("UTF-8"),
            "-f",
            "json",
        ]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{what}: {stderr}");
        assert!(out.stdout.is_empty(), "{what}: nothing is written");
        assert_eq!(stderr.trim_end().lines().count(), 1, "{what}: {stderr}");
        assert!(stderr.len() < 600, "{what}: {} bytes", stderr.len());
        assert!(!stderr.contains('\u{1b}'), "{what}: escaped");
        assert!(stderr.contains("--since"), "{what}: {stderr}");
    }
    // A folder is not a report.
    let out = rclint(&["report", "fixtures/acme", "--since", "fixtures/acme"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a file"));

    // Hostile names in a previous report are escaped where they show.
    good["accounts"][0]["name"] = Value::String("<script>x</script>\u{1b}[2J".into());
    std::fs::write(&previous, serde_json::to_vec(&good).expect("JSON")).expect("write");
    let html = text(&rclint(&[
        "report",
        "fixtures/acme",
        "--now",
        NOW,
        "--since",
        &previous,
    ]))
    .replace("<wbr>", "");
    assert!(html.contains("&lt;script&gt;x&lt;/script&gt;"));
    assert!(!html.contains("<script>x"));
    assert!(!html.contains('\u{1b}'));
}

//! The compliance report never contradicts itself: a matrix cell, a picture
//! box and a CSV row agree with the findings on the same grant; a control
//! with any finding never reads pass; the tally and the coverage are there.

use crate::common;

use serde_json::Value;
use std::path::Path;
use std::process::Command;

const NOW: &str = "2026-11-27T12:00:00Z";

fn report(dir: &Path, format: &str) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_rclint"))
        .args(["report", "-f", format, "--now", NOW])
        .arg(dir)
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .expect("rclint runs");
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8")
}

fn json(dir: &Path) -> Value {
    serde_json::from_str(&report(dir, "json")).expect("JSON")
}

/// The demo tenant with svc-design-sync taken off Vendor Risk's Build
/// Access list: it still needs and holds BUILD, and RC104 now names
/// `module:BUILD`, the grant its intent needs.
fn design_sync_without_build_access(dir: &Path) {
    common::copy_dir(Path::new("fixtures/acme"), dir);
    let path = dir.join("applications.toml");
    let text = std::fs::read_to_string(&path).expect("applications.toml");
    let edited = text.replace(
        r#"build_access = { "svc-design-sync" = "edit", "alice@acme.example" = "edit" }"#,
        r#"build_access = { "alice@acme.example" = "edit" }"#,
    );
    assert_ne!(text, edited, "the fixture still lists svc-design-sync");
    std::fs::write(&path, edited).expect("write");
}

/// Every remaining finding on an account's grant, as (account, grant).
fn findings_on_grants(r: &Value) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    for f in r["findings"].as_array().expect("findings") {
        if f["severity"] == "waived" {
            continue;
        }
        let Some(item) = f["item"].as_str() else {
            continue;
        };
        for account in f["accounts"].as_array().expect("accounts") {
            let account = account.as_str().expect("name");
            if f["subject"] == account {
                out.push((
                    account.to_string(),
                    item.to_string(),
                    f["code"].as_str().expect("code").to_string(),
                ));
            }
        }
    }
    out
}

fn assert_no_ok_beside_a_finding(r: &Value) -> usize {
    let mut checked = 0;
    for (account, grant, code) in findings_on_grants(r) {
        let section = r["accounts"]
            .as_array()
            .expect("accounts")
            .iter()
            .find(|a| a["name"] == account.as_str())
            .expect("the account has a section");
        let Some(row) = section["matrix"]
            .as_array()
            .expect("matrix")
            .iter()
            .find(|m| m["grant"] == grant.as_str())
        else {
            continue;
        };
        checked += 1;
        assert_ne!(
            row["status"], "ok",
            "{account} {grant} reads ok beside {code}"
        );
        assert!(
            row["findings"]
                .as_array()
                .expect("row findings")
                .iter()
                .any(|f| f.as_str().is_some_and(|f| f.starts_with(&code))),
            "{account} {grant}: the row does not name {code}: {row}"
        );
        let node = section["picture"]["nodes"]
            .as_array()
            .expect("nodes")
            .iter()
            .find(|n| n["column"] == 3 && n["label"] == grant.as_str())
            .expect("the grant has a box");
        assert_eq!(node["status"], row["status"], "{account} {grant}");
    }
    checked
}

#[test]
fn a_grant_a_finding_names_never_reads_ok_in_the_matrix_picture_or_csv() {
    let dir = tempfile::tempdir().expect("tempdir");
    design_sync_without_build_access(dir.path());
    let r = json(dir.path());
    let design = r["accounts"]
        .as_array()
        .expect("accounts")
        .iter()
        .find(|a| a["name"] == "svc-design-sync")
        .expect("svc-design-sync");
    let build = design["matrix"]
        .as_array()
        .expect("matrix")
        .iter()
        .find(|m| m["grant"] == "module:BUILD")
        .expect("module:BUILD row");
    assert_eq!(build["status"], "flagged", "{build}");
    assert_eq!(build["findings"][0], "RC104 error");
    assert!(assert_no_ok_beside_a_finding(&r) > 0);
    assert!(assert_no_ok_beside_a_finding(&json(Path::new("fixtures/acme"))) > 10);

    let html = report(dir.path(), "html");
    assert!(html.contains("flagged"), "the HTML matrix shows the status");
    let csv = report(dir.path(), "csv");
    let row = csv
        .lines()
        .find(|l| l.starts_with("grant,svc-design-sync,false,module:BUILD,"))
        .expect("the CSV row of module:BUILD");
    assert!(
        row.contains(",flagged,") && row.contains("RC104 error"),
        "{row}"
    );
}

/// The controls a rule fixture's findings map to, and the rest.
fn verdicts(r: &Value) -> Vec<(String, String, String)> {
    r["controls"]
        .as_array()
        .expect("controls")
        .iter()
        .map(|c| {
            (
                c["id"].as_str().expect("id").to_string(),
                c["status"].as_str().expect("status").to_string(),
                c["findings"]
                    .as_array()
                    .expect("findings")
                    .len()
                    .to_string(),
            )
        })
        .collect()
}

#[test]
fn a_control_with_warnings_reads_exceptions_and_one_without_findings_says_whom_it_covered() {
    // Two RC204 warnings, nothing else.
    let dir = Path::new("fixtures/rules/excess-step-access/fail");
    let r = json(dir);
    let all = verdicts(&r);
    assert!(
        all.iter()
            .any(|(_, status, n)| status == "exceptions" && n != "0")
    );
    assert!(all.iter().any(|(_, status, _)| status == "pass"));
    for (id, status, n) in &all {
        if n != "0" {
            assert_eq!(status, "exceptions", "{id} has findings");
        } else {
            assert_eq!(status, "pass", "{id} has none");
        }
    }
    for c in r["controls"].as_array().expect("controls") {
        assert_eq!(c["accounts_checked"], 1, "{}", c["id"]);
    }
    let tally: Vec<(String, u64)> = r["summary"]["control_verdicts"]
        .as_array()
        .expect("tally")
        .iter()
        .map(|v| {
            (
                v["verdict"].as_str().expect("verdict").to_string(),
                v["count"].as_u64().expect("count"),
            )
        })
        .collect();
    let count = |s: &str| all.iter().filter(|(_, status, _)| status == s).count() as u64;
    assert_eq!(
        tally,
        [
            "pass",
            "waived",
            "exceptions",
            "fail",
            "partly_assessed",
            "not_assessed"
        ]
        .iter()
        .map(|v| (v.to_string(), count(v)))
        .collect::<Vec<_>>()
    );

    let markdown = report(dir, "markdown");
    let expected = format!(
        "**{} controls: {} pass, {} exceptions.**",
        all.len(),
        count("pass"),
        count("exceptions")
    );
    let first = markdown.find(&expected).expect("the tally");
    assert!(first < markdown.find("## Summary").expect("summary"));
    assert!(markdown.contains("1 automation account checked, none with findings"));
    assert!(markdown.contains("1 automation account checked, 1 with findings"));
    let html = report(dir, "html");
    assert!(
        html.contains(r#"<span class="exceptions">"#),
        "styled tally"
    );
    assert!(html.contains("none with findings"));
}

#[test]
fn a_control_whose_rules_are_all_off_is_not_assessed_and_not_styled_as_failing() {
    let dir = tempfile::tempdir().expect("tempdir");
    common::copy_dir(
        Path::new("fixtures/rules/excess-step-access/fail"),
        dir.path(),
    );
    let r = json(dir.path());
    let target = r["controls"]
        .as_array()
        .expect("controls")
        .iter()
        .find(|c| c["status"] == "exceptions")
        .expect("a control with exceptions");
    let off: Vec<String> = target["rules"]
        .as_array()
        .expect("rules")
        .iter()
        .map(|r| format!("\"{}\" = \"off\"", r.as_str().expect("code")))
        .collect();
    std::fs::write(
        dir.path().join("rclint.toml"),
        format!("[rules]\n{}\n", off.join("\n")),
    )
    .expect("config");
    let r = json(dir.path());
    let c = r["controls"]
        .as_array()
        .expect("controls")
        .iter()
        .find(|c| c["id"] == target["id"])
        .expect("the control");
    assert_eq!(c["status"], "not_assessed");
    assert_eq!(c["accounts_checked"], 0);
    let html = report(dir.path(), "html");
    assert!(html.contains(r#"<td class="unassessed">not assessed</td>"#));
    assert!(!html.contains(r#"<td class="fail">not assessed</td>"#));
}

#[test]
fn the_csv_lists_grants_findings_and_control_verdicts() {
    let r = json(Path::new("fixtures/acme"));
    let csv = report(Path::new("fixtures/acme"), "csv");
    let mut reader =
        csv::ReaderBuilder::new().from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
    let header = reader.headers().expect("header").clone();
    let column = |name: &str| header.iter().position(|h| h == name).expect(name);
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    let kind = |k: &str| rows.iter().filter(|r| &r[column("kind")] == k).count();
    let grants: usize = r["accounts"]
        .as_array()
        .expect("accounts")
        .iter()
        .map(|a| a["matrix"].as_array().expect("matrix").len())
        .sum();
    assert_eq!(kind("grant"), grants);
    assert_eq!(
        kind("finding"),
        r["findings"].as_array().expect("findings").len()
    );
    assert_eq!(
        kind("control"),
        r["controls"].as_array().expect("controls").len()
    );
    // An account-level finding (no grant) is there, with its account.
    assert!(rows.iter().any(|row| &row[column("kind")] == "finding"
        && &row[column("code")] == "RC103"
        && &row[column("account")] == "svc-incident-bridge"
        && &row[column("item")] == "api_access"));
    // A control row carries its verdict and coverage.
    assert!(rows.iter().any(|row| &row[column("kind")] == "control"
        && &row[column("controls")] == "NIST SP 800-53 AC-6"
        && &row[column("status")] == "fail"
        && row[column("covered")].starts_with("9 automation accounts checked")));
}

//! The auditors' report as evidence: it never says "pass" where nothing was
//! assessed, it states the configuration it was made with, and its bytes do
//! not depend on the directory rclint ran in.

use std::path::Path;
use std::process::Command;

fn report(cwd: &Path, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_rclint"))
        .args(["report", "--now", "2026-01-01T00:00:00Z"])
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("rclint runs");
    assert!(
        out.status.code().is_some_and(|c| c < 2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A copy of the demo tenant whose rclint.toml turns ADMIN's rules off.
fn acme_with_rules_off(extra: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for entry in walkdir::WalkDir::new("fixtures/acme") {
        let entry = entry.expect("entry");
        let relative = entry.path().strip_prefix("fixtures/acme").expect("inside");
        let target = dir.path().join("acme").join(relative);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
    let config = dir.path().join("acme/rclint.toml");
    let text = std::fs::read_to_string(&config).expect("config");
    let text = text.replace("[rules]\n", &format!("[rules]\n{extra}"));
    std::fs::write(config, text).expect("write");
    dir
}

#[test]
fn controls_whose_rules_are_off_are_not_assessed_never_pass() {
    // ADMIN's and BUILD's rules off (the demo holds ADMIN on an integration
    // account), and every rule of NIST IA-5.
    let dir = acme_with_rules_off(
        "RC101 = \"off\"\nRC103 = \"off\"\nRC104 = \"off\"\n\
         RC303 = \"off\"\nRC304 = \"off\"\nRC306 = \"off\"\nRC405 = \"off\"\n",
    );
    let json: serde_json::Value =
        serde_json::from_str(&report(dir.path(), &["acme", "-f", "json"])).expect("json");
    let controls = json["controls"].as_array().expect("controls");
    let status = |id: &str| -> String {
        controls
            .iter()
            .find(|c| c["id"] == id)
            .map(|c| c["status"].as_str().unwrap_or("").to_string())
            .unwrap_or_default()
    };
    // AC-6(5) is evidenced by RC101 alone in the catalog: not assessed.
    for c in controls {
        let rules: Vec<&str> = c["rules"]
            .as_array()
            .expect("rules")
            .iter()
            .filter_map(|r| r.as_str())
            .collect();
        let off: Vec<&str> = c["rules_off"]
            .as_array()
            .expect("rules_off")
            .iter()
            .filter_map(|r| r.as_str())
            .collect();
        let s = c["status"].as_str().expect("status");
        if !off.is_empty() {
            assert_ne!(s, "pass", "{} has rules off {off:?} of {rules:?}", c["id"]);
            if off.len() == rules.len() {
                assert_eq!(s, "not_assessed", "{}", c["id"]);
            }
        }
    }
    assert!(
        controls
            .iter()
            .any(|c| !c["rules_off"].as_array().expect("array").is_empty())
    );
    assert_eq!(status("IA-5"), "not_assessed");
    // ISO A.8.2 and NIST AC-6(5) are RC101, RC104 and RC205: with the first
    // two off they are at best partly assessed, never pass.
    for id in ["A.8.2", "AC-6(5)"] {
        assert!(
            ["fail", "partly_assessed"].contains(&status(id).as_str()),
            "{id}: {}",
            status(id)
        );
    }
    // The configuration is in the report, and the config is a hashed input.
    let summary = json["configuration"]["changed_rules"]
        .as_array()
        .expect("changed");
    assert!(summary.iter().any(|r| r == "RC101 off"), "{summary:?}");
    assert!(
        json["inputs"]
            .as_array()
            .expect("inputs")
            .iter()
            .any(|i| i["path"] == "rclint.toml")
    );
    let rc101 = json["rules"]
        .as_array()
        .expect("rules")
        .iter()
        .find(|r| r["code"] == "RC101")
        .expect("RC101");
    assert_eq!(rc101["severity"], "off");
    assert_eq!(rc101["default_severity"], "error");
    let markdown = report(dir.path(), &["acme", "-f", "markdown"]);
    assert!(
        markdown.contains("| Configuration | config rclint.toml; rules changed: RC101 off"),
        "{markdown}"
    );
    assert!(
        markdown.contains("**IA-5** Authenticator management | **not assessed**"),
        "{markdown}"
    );
}

#[test]
fn the_report_is_the_same_from_every_directory() {
    let dir = acme_with_rules_off("");
    let root = dir.path();
    let from_above = report(root, &["acme", "-f", "html"]);
    let from_inside = report(&root.join("acme"), &[".", "-f", "html"]);
    let from_beside = {
        std::fs::create_dir(root.join("elsewhere")).expect("mkdir");
        report(&root.join("elsewhere"), &["../acme", "-f", "html"])
    };
    let absolute = root.join("acme");
    let from_anywhere = report(
        Path::new("/"),
        &[absolute.to_str().expect("utf-8"), "-f", "html"],
    );
    assert_eq!(from_above, from_inside);
    assert_eq!(from_above, from_beside);
    assert_eq!(from_above, from_anywhere);
    assert!(
        !from_above.contains(&root.display().to_string()),
        "no absolute path"
    );
}

#[test]
fn every_command_counts_snapshot_problems_the_same_way() {
    let report = report(Path::new("."), &["fixtures/acme", "-f", "json"]);
    let json: serde_json::Value = serde_json::from_str(&report).expect("json");
    let in_report = json["summary"]["snapshot_problems"]
        .as_u64()
        .expect("count");
    assert!(in_report > 0);
    let out = Command::new(env!("CARGO_BIN_EXE_rclint"))
        .args(["derive", "fixtures/acme"])
        .output()
        .expect("rclint runs");
    let warning = String::from_utf8_lossy(&out.stderr);
    assert!(
        warning.contains(&format!("the snapshot has {in_report} problems")),
        "{warning}"
    );
}

#[test]
fn missing_access_is_reported_apart_from_excess_in_control_verdicts() {
    let json: serde_json::Value =
        serde_json::from_str(&report(Path::new("."), &["fixtures/acme", "-f", "json"]))
            .expect("json");
    let cc61 = json["controls"]
        .as_array()
        .expect("controls")
        .iter()
        .find(|c| c["id"] == "CC6.1")
        .expect("CC6.1");
    // The demo's RC201s (broken integrations) are counted apart.
    assert!(cc61["missing"].as_u64().expect("missing") > 0);
    assert!(cc61["excess"].as_u64().expect("excess") > 0);
    let markdown = report(Path::new("."), &["fixtures/acme", "-f", "markdown"]);
    assert!(
        markdown.contains("| **fail: 4 excess or misuse, 5 missing access** |"),
        "{markdown}"
    );
}

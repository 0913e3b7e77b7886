//! `rclint report`: every format on the demo tenant with a fixed time,
//! reproducibility, and the content an auditor relies on.

use crate::common::cli::Run;
use std::process::Output;

const NOW: &str = "2026-11-27T12:00:00Z";

fn rclint(args: &[&str], env: &[(&str, &str)]) -> Output {
    Run::new(args).env(env).output()
}

fn report(format: &str) -> String {
    let out = rclint(
        &["report", "fixtures/acme", "--format", format, "--now", NOW],
        &[],
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8")
}

#[test]
fn every_report_format_on_the_demo_tenant() {
    for format in ["markdown", "json", "csv", "html"] {
        insta::assert_snapshot!(format!("acme-report-{format}"), report(format));
    }
}

#[test]
fn the_same_input_and_time_give_the_same_bytes() {
    for format in ["html", "json"] {
        assert_eq!(report(format), report(format));
    }
    // SOURCE_DATE_EPOCH fixes the time the same way (1795780800 = NOW).
    let out = rclint(
        &["report", "fixtures/acme", "-f", "html"],
        &[("SOURCE_DATE_EPOCH", "1795780800")],
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout), report("html"));
}

#[test]
fn the_report_proves_which_export_it_describes() {
    let json: serde_json::Value = serde_json::from_str(&report("json")).expect("JSON");
    let inputs = json["inputs"].as_array().expect("inputs");
    assert!(inputs.len() >= 9);
    for input in inputs {
        // Inputs are listed relative to the snapshot root.
        let path = input["path"].as_str().expect("path");
        let bytes =
            std::fs::read(std::path::Path::new("fixtures/acme").join(path)).expect("input exists");
        assert_eq!(
            input["sha256"],
            rclint::snapshot::sha256_hex(&bytes),
            "{path}"
        );
    }
    assert_eq!(json["snapshot_sha256"].as_str().map(str::len), Some(64));
    assert_eq!(json["generated_at"], NOW);
    assert_eq!(json["title"], "acme");
    // Controls and the waiver register.
    let controls = json["controls"].as_array().expect("controls");
    assert!(
        controls
            .iter()
            .any(|c| c["id"] == "AC-6(5)" && c["status"] == "fail")
    );
    let statuses: Vec<&str> = json["waivers"]
        .as_array()
        .expect("waivers")
        .iter()
        .filter_map(|w| w["status"].as_str())
        .collect();
    assert_eq!(statuses, vec!["active", "expired", "unused"]);
    // The only clean account of the demo tenant holds exactly its minimal grant.
    assert_eq!(
        json["summary"]["least_privilege_accounts"],
        serde_json::json!(["svc-risk-sync"])
    );
}

#[test]
fn csv_neutralises_formulas_and_quotes_cells() {
    assert_eq!(
        rclint::escape::spreadsheet("=HYPERLINK(\"x\")"),
        "'=HYPERLINK(\"x\")"
    );
    assert_eq!(rclint::escape::spreadsheet("plain"), "plain");
    let csv = report("csv");
    let header = csv.lines().next().expect("header");
    assert_eq!(
        header,
        "\u{feff}kind,account,least_privilege,grant,needed,held,status,needed_by,held_through,\
         findings,code,rule,severity,subject,item,message,location,controls,covered",
        "a byte order mark first: spreadsheets read UTF-8 (the arrows) only after one"
    );
}

#[test]
fn markdown_escapes_names_that_would_break_a_table() {
    assert_eq!(
        rclint::escape::markdown("a|b<script>*x*"),
        "a\\|b&lt;script&gt;\\*x\\*"
    );
}

#[test]
fn csv_cells_with_commas_quotes_and_formulas_read_back_as_text() {
    let dir = tempfile::tempdir().expect("temp dir");
    let name = "=cmd(),\"x\"\nnext\tcol";
    let snapshot = format!(
        "[[role]]\nname = \"R\"\nmodules = [\"RECORDS\"]\n\n[[user]]\nname = {}\nservice_account = true\nroles = [\"R\"]\n",
        rclint::escape::toml(name)
    );
    std::fs::write(dir.path().join("a.toml"), snapshot).expect("write");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_rclint"))
        .args(["report", "-f", "csv", "--now", "2026-01-01T00:00:00Z"])
        .arg(dir.path())
        .output()
        .expect("rclint runs");
    let mut reader = csv::Reader::from_reader(out.stdout.as_slice());
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("valid CSV")).collect();
    assert!(!rows.is_empty(), "{}", String::from_utf8_lossy(&out.stdout));
    // Grant rows, and findings about the account (the name's own RC401 is
    // about the file).
    let about_the_account: Vec<&csv::StringRecord> = rows
        .iter()
        .filter(|row| &row[0] == "grant" || (&row[0] == "finding" && !row[1].is_empty()))
        .collect();
    assert!(about_the_account.iter().any(|row| &row[0] == "grant"));
    for row in about_the_account {
        assert_eq!(
            &row[1], "'=cmd(),\"x\"\nnext\\u{9}col",
            "the name is one cell, neutralised, its TAB shown"
        );
    }
}

//! A credential in the snapshot never reaches any output: every format of
//! every command is searched for the values.

use std::process::Command;

const VALUES: [&str; 4] = [
    "s3cr3t-client-value",
    "eyJhbGciOi.leaked",
    "tok-998877",
    "pw-hunter2",
];

fn snapshot(dir: &std::path::Path) {
    let text = format!(
        r#"
[[application]]
name = "Vendor Risk"
[[application.workflow]]
name = "Assessment"
steps = ["Intake"]

[[role]]
name = "Integration: Risk Sync"
modules = ["RECORDS"]
applications = {{ "Vendor Risk" = "edit" }}

[[user]]
name = "svc-risk-sync"
service_account = true
api_access = true
roles = ["Integration: Risk Sync"]
password = "{pw}"

[[integration]]
name = "Risk Sync"
account = "svc-risk-sync"
owner = "Bearer {bearer}"
client_secret = "{secret}"
settings = {{ nested = {{ token = "{token}" }} }}

[[integration.intent]]
action = "create-records"
workflow = "Vendor Risk/Assessment"
"#,
        pw = VALUES[3],
        bearer = VALUES[1],
        secret = VALUES[0],
        token = VALUES[2]
    );
    std::fs::write(dir.join("access.toml"), text).expect("write");
}

#[test]
fn no_output_format_shows_a_credential() {
    let dir = tempfile::tempdir().expect("temp dir");
    snapshot(dir.path());
    let copy = tempfile::tempdir().expect("temp dir");
    snapshot(copy.path());
    let p = dir.path().to_string_lossy().into_owned();
    let q = copy.path().to_string_lossy().into_owned();
    let mut runs: Vec<Vec<&str>> = Vec::new();
    for format in ["human", "json", "sarif", "github", "junit", "gitlab"] {
        runs.push(vec!["check", &p, "-f", format]);
    }
    for format in ["text", "toml", "json"] {
        runs.push(vec!["derive", &p, "-f", format]);
    }
    for format in ["html", "markdown", "json", "csv"] {
        runs.push(vec![
            "report",
            &p,
            "-f",
            format,
            "--now",
            "2026-01-01T00:00:00Z",
        ]);
    }
    runs.push(vec!["graph", &p]);
    runs.push(vec!["graph", &p, "-f", "mermaid"]);
    runs.push(vec!["why", "svc-risk-sync", &p]);
    runs.push(vec!["who-can", "module:RECORDS", &p]);
    runs.push(vec!["deps", "svc-risk-sync", &p]);
    for format in ["human", "json", "markdown"] {
        runs.push(vec!["diff", &p, &q, "-f", format]);
    }
    let baseline = dir
        .path()
        .join("baseline.txt")
        .to_string_lossy()
        .into_owned();
    // Refused without --force (credentials are never baselined silently),
    // and the forced file holds no value either.
    runs.push(vec!["check", &p, "--write-baseline", &baseline]);
    runs.push(vec!["check", &p, "--write-baseline", &baseline, "--force"]);
    let mut seen_rc405 = false;
    for args in &runs {
        let out = Command::new(env!("CARGO_BIN_EXE_rclint"))
            .args(args)
            .env("NO_COLOR", "1")
            .output()
            .expect("rclint runs");
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        seen_rc405 |= text.contains("RC405");
        for value in VALUES {
            assert!(!text.contains(value), "{args:?} shows {value}");
        }
    }
    let written = std::fs::read_to_string(&baseline).expect("baseline");
    assert!(VALUES.iter().all(|v| !written.contains(v)));
    assert!(seen_rc405, "the credentials were found");
}

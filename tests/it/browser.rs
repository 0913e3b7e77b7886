//! The HTML report in a real browser: names from the snapshot that contain
//! markup show as text and run nothing, and the report prints. The tests
//! that need Chromium (and poppler-utils to read the PDF) are ignored by a
//! plain `cargo test`, which says so; `cargo test -- --ignored` runs them,
//! and fails when a tool is missing. `.ci/run` installs the tools and runs
//! them.

use std::path::{Path, PathBuf};
use std::process::Command;

fn chromium() -> Option<PathBuf> {
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .filter_map(|name| {
            std::env::var_os("PATH").and_then(|paths| {
                std::env::split_paths(&paths)
                    .map(|dir| dir.join(name))
                    .find(|p| p.is_file())
            })
        })
        .next()
}

const SCRIPT_NAME: &str = "<script>document.body.setAttribute('data-pwned','script')</script>";
const IMG_NAME: &str = "<img src=x onerror=\"document.body.setAttribute('data-pwned','img')\">";

/// A snapshot whose role and user names are markup, and a report of it.
fn hostile_report(dir: &Path) -> PathBuf {
    let snapshot = format!(
        r#"
[[application]]
name = "Vendor Risk"
[[application.workflow]]
name = "Assessment"
steps = ["Intake"]

[[role]]
name = {role}
modules = ["ADMIN"]

[[user]]
name = {user}
service_account = true
api_access = true
roles = [{role}]

[[integration]]
name = {role}
account = {user}
[[integration.intent]]
action = "read-records"
workflow = "Vendor Risk/Assessment"
"#,
        role = toml_string(SCRIPT_NAME),
        user = toml_string(IMG_NAME)
    );
    std::fs::write(dir.join("snapshot.toml"), snapshot).expect("write snapshot");
    let report = dir.join("report.html");
    let out = Command::new(env!("CARGO_BIN_EXE_rclint"))
        .args(["report"])
        .arg(dir.join("snapshot.toml"))
        .args(["--format", "html", "--now", "2026-01-01T00:00:00Z", "-o"])
        .arg(&report)
        .output()
        .expect("rclint runs");
    assert!(report.is_file(), "{}", String::from_utf8_lossy(&out.stderr));
    report
}

fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

#[test]
fn report_html_escapes_every_name_and_requests_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let html = std::fs::read_to_string(hostile_report(dir.path())).expect("read report");
    assert!(!html.contains("<script"), "no script element");
    assert!(!html.contains("<img"), "no image element");
    assert!(html.contains("&lt;script&gt;document.body.setAttribute"));
    assert!(
        html.contains("default-src 'none'"),
        "a Content-Security-Policy forbids loading anything"
    );
    let external: Vec<usize> = html
        .match_indices("://")
        .map(|(i, _)| i)
        .filter(|&i| !html[i..].starts_with("://www.w3.org/2000/svg\""))
        .collect();
    assert!(external.is_empty(), "no external reference: {external:?}");
}

/// Chromium, or a failure saying how to install it: an ignored test that
/// is asked to run does not pass in silence.
fn required_chromium() -> PathBuf {
    chromium().unwrap_or_else(|| {
        panic!("Chromium is not installed (apt-get install chromium); .ci/run installs it")
    })
}

#[test]
#[ignore = "needs Chromium; cargo test -- --ignored runs it (.ci/run does)"]
fn hostile_names_show_as_text_in_a_real_browser() {
    let chrome = required_chromium();
    let dir = tempfile::tempdir().expect("temp dir");
    let report = hostile_report(dir.path());
    let profile = tempfile::tempdir().expect("profile dir");
    let out = Command::new(chrome)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--virtual-time-budget=2000",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("--dump-dom")
        .arg(format!("file://{}", report.display()))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("chromium starts");
    let out = wait_at_most(out, std::time::Duration::from_secs(120));
    let dom = String::from_utf8_lossy(&out.stdout);
    assert!(
        dom.contains("</html>"),
        "chromium printed the DOM: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Had either name become markup, its handler would have marked <body>.
    assert!(!dom.contains("data-pwned=\""), "a script ran");
    assert!(
        !dom.contains("<script") && !dom.contains("<img"),
        "markup was injected"
    );
    // The names are there, as text.
    assert!(dom.contains(
        "&lt;script&gt;document.body.setAttribute('data-pwned','script')&lt;/script&gt;"
    ));
    assert!(
        dom.contains(
            "&lt;img src=x onerror=\"document.body.setAttribute('data-pwned','img')\"&gt;"
        )
    );
}

/// Waits for a child, killing it after `limit`: a browser that hangs must
/// fail the test, not stall CI. Its output is read on other threads so that a
/// full pipe cannot block it.
fn wait_at_most(
    mut child: std::process::Child,
    limit: std::time::Duration,
) -> std::process::Output {
    use std::io::Read;
    let reader = |stream: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            if let Some(mut s) = stream {
                let _ = s.read_to_end(&mut bytes);
            }
            bytes
        })
    };
    let stdout = reader(
        child
            .stdout
            .take()
            .map(|s| Box::new(s) as Box<dyn Read + Send>),
    );
    let stderr = reader(
        child
            .stderr
            .take()
            .map(|s| Box::new(s) as Box<dyn Read + Send>),
    );
    let start = std::time::Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if start.elapsed() < limit => {
                std::thread::sleep(std::time::Duration::from_millis(50))
            }
            _ => {
                let _ = child.kill();
                panic!("chromium did not finish within {limit:?}");
            }
        }
    };
    std::process::Output {
        status,
        stdout: stdout.join().unwrap_or_default(),
        stderr: stderr.join().unwrap_or_default(),
    }
}

/// The report prints: Chromium's "Save as PDF" gives several pages whose
/// text can be extracted (poppler's pdfinfo and pdftotext read it; .ci/run
/// installs them with Chromium).
#[test]
#[ignore = "needs Chromium and poppler-utils; cargo test -- --ignored runs it (.ci/run does)"]
fn the_report_prints_to_a_paginated_pdf_with_extractable_text() {
    let chrome = required_chromium();
    for tool in ["pdfinfo", "pdftotext"] {
        assert!(
            Command::new(tool).arg("-v").output().is_ok(),
            "{tool} is not installed (apt-get install poppler-utils); .ci/run installs it"
        );
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let html = dir.path().join("report.html");
    let pdf = dir.path().join("report.pdf");
    let out = Command::new(env!("CARGO_BIN_EXE_rclint"))
        .args([
            "report",
            "fixtures/acme",
            "--now",
            "2026-01-01T00:00:00Z",
            "-o",
        ])
        .arg(&html)
        .output()
        .expect("rclint runs");
    assert!(html.is_file(), "{}", String::from_utf8_lossy(&out.stderr));
    let profile = tempfile::tempdir().expect("profile dir");
    let child = Command::new(chrome)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("--no-pdf-header-footer")
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(format!("file://{}", html.display()))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("chromium starts");
    let out = wait_at_most(child, std::time::Duration::from_secs(120));
    assert!(
        pdf.is_file(),
        "no PDF: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let info = Command::new("pdfinfo")
        .arg(&pdf)
        .output()
        .expect("pdfinfo runs");
    let info = String::from_utf8_lossy(&info.stdout);
    let pages: usize = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("a page count");
    assert!(pages >= 4, "{pages} pages: sections start on a new page");
    let text = Command::new("pdftotext")
        .arg(&pdf)
        .arg("-")
        .output()
        .expect("pdftotext runs");
    let text = String::from_utf8_lossy(&text.stdout);
    for heading in [
        "Summary",
        "Controls",
        "Automation accounts",
        "Waiver register",
        "svc-risk-sync",
    ] {
        assert!(text.contains(heading), "'{heading}' is not extractable");
    }
    assert_print_layout(&text, pages);
}

/// The printed demo report's layout: every account card on one page (its
/// heading and its closing tally on the same page), the cards packed (no
/// more pages for them than cards), and the controls packed too (not one
/// control to a page).
fn assert_print_layout(text: &str, pages: usize) {
    let json = Command::new(env!("CARGO_BIN_EXE_rclint"))
        .args([
            "report",
            "fixtures/acme",
            "--now",
            "2026-01-01T00:00:00Z",
            "-f",
            "json",
        ])
        .output()
        .expect("rclint runs");
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON");
    let accounts: Vec<&str> = report["accounts"]
        .as_array()
        .expect("accounts")
        .iter()
        .filter_map(|a| a["name"].as_str())
        .collect();
    // pdftotext separates pages with a form feed.
    let printed: Vec<&str> = text.split('\u{c}').collect();
    assert!(printed.len() >= pages, "{} pages of text", printed.len());
    let page_of = |wanted: &dyn Fn(&str) -> bool| -> Option<usize> {
        printed.iter().position(|page| page.lines().any(wanted))
    };
    let mut card_pages = std::collections::BTreeSet::new();
    for name in &accounts {
        let head = page_of(&|l: &str| {
            l.starts_with(&format!("{name} — ")) && l.ends_with("least privilege")
        })
        .unwrap_or_else(|| panic!("{name}'s card heading is not printed"));
        let end = page_of(&|l: &str| l.starts_with(&format!("{name}: ")) && l.contains(" grant"))
            .unwrap_or_else(|| panic!("{name}'s card end is not printed"));
        assert_eq!(
            head,
            end,
            "{name}'s card spans pages {} to {}",
            head + 1,
            end + 1
        );
        card_pages.insert(head);
    }
    let first = card_pages.first().copied().unwrap_or_default();
    let last = card_pages.last().copied().unwrap_or_default();
    assert!(
        last - first < accounts.len(),
        "{} cards over {} pages",
        accounts.len(),
        last - first + 1
    );
    let controls = report["controls"].as_array().expect("controls").len();
    let controls_start = page_of(&|l: &str| l == "Controls").expect("Controls heading");
    let accounts_start = page_of(&|l: &str| l == "Automation accounts").expect("accounts heading");
    assert!(
        (accounts_start - controls_start) * 3 / 2 <= controls,
        "{controls} controls over {} pages",
        accounts_start - controls_start
    );
    eprintln!(
        "{pages} pages; {} cards on pages {}–{}; controls on {} pages",
        accounts.len(),
        first + 1,
        last + 1,
        accounts_start - controls_start
    );
}

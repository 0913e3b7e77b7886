//! rclint as a CI gate: every output format on the demo tenant, SARIF against
//! the official schema and GitHub's requirements, annotation escaping and
//! limits, waiver expiry on a fixed date, and the baseline round trip.

use crate::common::cli::{Run, stdout};
use std::path::Path;
use std::process::{Command, Output};

/// The date CLI tests judge waivers on, so that they do not age.
const TODAY: &str = "2026-06-01";

fn rclint_env(args: &[&str], env: &[(&str, &str)]) -> Output {
    Run::new(args).env(env).output()
}

fn rclint(args: &[&str]) -> Output {
    Run::new(args).output()
}

fn acme_format(format: &str) -> String {
    let out = rclint(&["check", "fixtures/acme", "-f", format, "--today", TODAY]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout(&out)
}

/// The CI formats of one small fixture (the demo tenant is snapshotted in
/// human and JSON only), with what every new rule would change redacted
/// from SARIF: the rule list and each result's index into it (both are
/// checked field by field in the tests below).
#[test]
fn every_ci_format_on_a_small_fixture() {
    let fixture = "fixtures/rules/build-without-build-access/fail";
    for format in ["sarif", "github", "junit", "gitlab"] {
        let out = rclint(&["check", fixture, "-f", format, "--today", TODAY]);
        assert_eq!(out.status.code(), Some(1), "{format}");
        let mut text = stdout(&out);
        if format == "sarif" {
            let mut sarif: serde_json::Value = serde_json::from_str(&text).expect("JSON");
            let run = &mut sarif["runs"][0];
            let rules = run["tool"]["driver"]["rules"]
                .as_array()
                .map_or(0, Vec::len);
            run["tool"]["driver"]["rules"] = format!("[{rules} rules]").into();
            for result in run["results"].as_array_mut().into_iter().flatten() {
                result["ruleIndex"] = "[index]".into();
            }
            text = serde_json::to_string_pretty(&sarif).expect("JSON") + "\n";
        }
        insta::assert_snapshot!(format!("small-{format}"), text);
    }
}

/// The official SARIF 2.1.0 schema, vendored in `tests/data` so that the
/// test runs in every clone.
fn sarif_schema() -> serde_json::Value {
    let text = include_str!("../data/sarif-schema-2.1.0.json");
    serde_json::from_str(text).expect("the vendored schema is JSON")
}

#[test]
fn sarif_validates_against_the_official_schema() {
    let schema = sarif_schema();
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the SARIF schema compiles");
    for dir in ["fixtures/acme", "fixtures/rules/admin-on-integration/pass"] {
        let out = rclint(&["check", dir, "-f", "sarif", "--today", TODAY]);
        let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).expect("SARIF is JSON");
        let errors: Vec<String> = validator
            .iter_errors(&sarif)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{dir}: {errors:#?}");
        // The validator is live: a result without a message is rejected.
        let mut broken = sarif.clone();
        if let Some(result) = broken["runs"][0]["results"].get_mut(0) {
            result["message"] = serde_json::json!(null);
            assert!(!validator.is_valid(&broken), "a broken document must fail");
        }
    }
}

#[test]
fn sarif_meets_github_code_scanning_requirements() {
    let sarif: serde_json::Value = serde_json::from_str(&acme_format("sarif")).expect("JSON");
    assert!(sarif["$schema"].is_string());
    let runs = sarif["runs"].as_array().expect("runs");
    assert_eq!(runs.len(), 1, "one run");
    let run = &runs[0];
    let driver = &run["tool"]["driver"];
    for key in ["name", "version", "informationUri"] {
        assert!(driver[key].is_string(), "driver.{key}");
    }
    let rules = driver["rules"].as_array().expect("rules");
    // The rules the results refer to, each once.
    let referenced: std::collections::BTreeSet<&str> = run["results"]
        .as_array()
        .expect("results")
        .iter()
        .filter_map(|r| r["ruleId"].as_str())
        .collect();
    let listed: std::collections::BTreeSet<&str> =
        rules.iter().filter_map(|r| r["id"].as_str()).collect();
    assert_eq!(listed, referenced, "the rules the results refer to");
    assert_eq!(rules.len(), listed.len(), "each once");
    for rule in rules {
        for key in ["id", "name"] {
            assert!(rule[key].is_string(), "{rule}");
        }
        for key in ["shortDescription", "fullDescription"] {
            assert!(
                rule[key]["text"].as_str().is_some_and(|t| !t.is_empty()),
                "{key} of {}",
                rule["id"]
            );
        }
        assert!(rule["help"]["text"].is_string() && rule["help"]["markdown"].is_string());
        assert!(rule["defaultConfiguration"]["level"].is_string());
        let tags = rule["properties"]["tags"].as_array().expect("tags");
        assert!(tags.iter().any(|t| t == "security"));
        let severity = rule["properties"]["security-severity"]
            .as_str()
            .expect("a string");
        assert!(
            severity
                .parse::<f64>()
                .is_ok_and(|s| (0.0..=10.0).contains(&s))
        );
    }
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    let results = run["results"].as_array().expect("results");
    assert!(results.len() > 10);
    for result in results {
        let index = result["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
        assert!(["error", "warning", "note"].contains(&result["level"].as_str().unwrap_or("")));
        assert!(result["message"]["text"].is_string());
        let locations = result["locations"].as_array().expect("locations");
        assert_eq!(locations.len(), 1, "exactly one location");
        let physical = &locations[0]["physicalLocation"];
        let uri = physical["artifactLocation"]["uri"].as_str().expect("uri");
        assert!(
            !uri.starts_with('/') && !uri.contains('\\') && !uri.contains(' '),
            "{uri}"
        );
        assert!(Path::new(&uri.replace("%20", " ")).exists(), "{uri} exists");
        let region = &physical["region"];
        for key in ["startLine", "startColumn", "endLine", "endColumn"] {
            assert!(
                region[key].as_u64().is_some_and(|v| v >= 1),
                "{key} in {result}"
            );
        }
        assert!(result["partialFingerprints"]["primaryLocationLineHash"].is_string());
        assert!(result["relatedLocations"].is_array());
    }
}

#[test]
fn github_annotations_are_limited_and_summarised() {
    let summary = tempfile::NamedTempFile::new().expect("temp file");
    let summary_path = summary.path().to_string_lossy().into_owned();
    let out = rclint_env(
        &["check", "fixtures/acme", "-f", "github", "--today", TODAY],
        &[("GITHUB_STEP_SUMMARY", &summary_path)],
    );
    let text = stdout(&out);
    let count = |prefix: &str| text.lines().filter(|l| l.starts_with(prefix)).count();
    assert_eq!(count("::error "), 10);
    assert_eq!(count("::warning "), 10);
    let notice = text.lines().last().expect("a notice");
    assert!(notice.starts_with("::notice title=rclint::"), "{notice}");
    assert!(
        notice.contains("more errors") && notice.contains("more warnings"),
        "{notice}"
    );
    let json: serde_json::Value = serde_json::from_str(&acme_format("json")).expect("JSON");
    let total = json["findings"].as_array().map_or(0, Vec::len);
    let markdown = std::fs::read_to_string(summary.path()).expect("summary written");
    assert_eq!(
        markdown
            .lines()
            .filter(|l| ["| error", "| warning", "| note"]
                .iter()
                .any(|severity| l.starts_with(severity)))
            .count(),
        total
    );
}

#[test]
fn github_annotations_escape_data_and_properties() {
    assert_eq!(rclint::escape::workflow_message("a%b\r\nc"), "a%25b%0D%0Ac");
    assert_eq!(
        rclint::escape::workflow_property("a,b:c%d\n"),
        "a%2Cb%3Ac%25d%0A"
    );
    // A role named a,b:c%d held by a person and an integration, in a folder
    // whose name needs escaping too.
    let dir = tempfile::tempdir().expect("temp dir");
    let folder = dir.path().join("a,b:c%d");
    std::fs::create_dir(&folder).expect("mkdir");
    let snapshot = r#"
[[role]]
name = "a,b:c%d"

[[user]]
name = "svc-x"
service_account = true
roles = ["a,b:c%d"]

[[user]]
name = "dana"
roles = ["a,b:c%d"]
"#;
    std::fs::write(folder.join("s.toml"), snapshot).expect("write");
    let cwd = dir.path();
    let out = Command::new(env!("CARGO_BIN_EXE_rclint"))
        .args(["check", "a,b:c%d", "-f", "github"])
        .current_dir(cwd)
        .env_remove("GITHUB_STEP_SUMMARY")
        .output()
        .expect("runs");
    let text = stdout(&out);
    let line = text
        .lines()
        .find(|l| l.starts_with("::warning"))
        .expect("an RC106 warning");
    assert!(
        line.starts_with("::warning file=a%2Cb%3Ac%25d/s.toml,line=3,"),
        "{line}"
    );
    let (_, message) = line
        .split_once("::role")
        .map(|(a, b)| (a, format!("role{b}")))
        .expect("message");
    assert!(
        message.starts_with("role 'a,b:c%25d' is held by"),
        "{message}"
    );
    assert!(
        message.contains("%0AFix: "),
        "the newline before the fix is escaped: {message}"
    );
    assert_eq!(text.lines().count(), 1, "one line per annotation: {text}");
}

#[test]
fn junit_clean_run_has_one_passing_case_per_rule() {
    let out = rclint(&[
        "check",
        "fixtures/rules/admin-on-integration/pass",
        "-f",
        "junit",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    assert_eq!(
        text.matches("<testcase ").count(),
        rclint::rules::REGISTRY.len()
    );
    assert!(!text.contains("<failure"));
}

/// A copy of a fixture in a fresh directory.
fn copy_fixture(from: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for entry in std::fs::read_dir(from).expect("fixture") {
        let entry = entry.expect("entry");
        std::fs::copy(entry.path(), dir.path().join(entry.file_name())).expect("copy");
    }
    dir
}

#[test]
fn waiver_hides_its_finding_until_it_expires() {
    let dir = copy_fixture("fixtures/rules/expired-waiver/pass");
    let path = dir.path().to_string_lossy().into_owned();
    // The waiver in the fixture expires on 2027-03-31.
    let before = rclint(&["check", &path, "-f", "json", "--today", "2027-03-31"]);
    assert_eq!(before.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&before.stdout).expect("JSON");
    assert_eq!(json["findings"].as_array().map(Vec::len), Some(0));
    assert_eq!(json["summary"]["waived"], 1);
    let after = rclint(&["check", &path, "-f", "json", "--today", "2027-04-01"]);
    assert_eq!(after.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&after.stdout).expect("JSON");
    let codes: Vec<&str> = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["code"].as_str())
        .collect();
    assert_eq!(codes, vec!["RC101", "RC501"]);
    assert_eq!(json["summary"]["waived"], 0);
}

#[test]
fn a_waiver_that_matches_nothing_is_rc502() {
    let out = rclint(&[
        "check",
        "fixtures/rules/unused-waiver/fail",
        "-f",
        "json",
        "--today",
        TODAY,
    ]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let findings = json["findings"].as_array().expect("findings");
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0]["code"], "RC502");
    assert_eq!(
        findings[0]["location"]["path"],
        "fixtures/rules/unused-waiver/fail/rclint.toml"
    );
}

#[test]
fn config_problems_are_one_located_line_and_exit_2() {
    let dir = copy_fixture("fixtures/rules/admin-on-integration/pass");
    std::fs::write(
        dir.path().join("rclint.toml"),
        "[rules]\nadmin-on-integratoin = \"off\"\n",
    )
    .expect("write");
    let out = rclint(&["check", &dir.path().to_string_lossy()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("rclint.toml:2:1: unknown rule 'admin-on-integratoin' (did you mean 'admin-on-integration'?)"), "{err}");
    assert!(out.stdout.is_empty());
}

#[test]
fn config_severities_and_flags_apply_in_order() {
    let dir = copy_fixture("fixtures/rules/admin-on-integration/fail");
    let path = dir.path().to_string_lossy().into_owned();
    std::fs::write(
        dir.path().join("rclint.toml"),
        "[rules]\nRC101 = \"warning\"\n",
    )
    .expect("write");
    assert_eq!(
        rclint(&["check", &path]).status.code(),
        Some(0),
        "config makes it a warning"
    );
    assert_eq!(
        rclint(&["check", &path, "--deny", "RC101"]).status.code(),
        Some(1),
        "the flag wins"
    );
}

#[test]
fn excluded_paths_are_not_read() {
    // fixtures/acme/drafts holds a broken integration that rclint.toml excludes.
    let json = acme_format("json");
    assert!(!json.contains("drafts/"));
    let empty = tempfile::NamedTempFile::new().expect("temp file");
    let out = rclint(&[
        "check",
        "fixtures/acme",
        "-f",
        "json",
        "-c",
        &empty.path().to_string_lossy(),
    ]);
    assert!(stdout(&out).contains("fixtures/acme/drafts/ticket-bridge.toml"));
}

#[test]
fn baseline_round_trip() {
    let dir = copy_fixture("fixtures/rules/admin-on-integration/fail");
    let path = dir.path().to_string_lossy().into_owned();
    let baseline = dir.path().join("baseline.txt");
    let baseline_arg = baseline.to_string_lossy().into_owned();
    assert_eq!(rclint(&["check", &path]).status.code(), Some(1));
    let written = rclint(&["check", &path, "--write-baseline", &baseline_arg]);
    assert_eq!(written.status.code(), Some(0));
    let text = std::fs::read_to_string(&baseline).expect("baseline written");
    assert!(text.contains("RC101 svc-risk-sync module:ADMIN"), "{text}");
    let again = rclint(&["check", &path, "--write-baseline", &baseline_arg]);
    assert_eq!(again.status.code(), Some(0));
    assert_eq!(
        std::fs::read_to_string(&baseline).expect("read"),
        text,
        "stable across runs"
    );

    let out = rclint(&["check", &path, "--baseline", &baseline_arg]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stdout(&out), "0 errors, 0 warnings, 1 baselined\n");

    // Moving the role to another file and reformatting it changes no fingerprint.
    let access = std::fs::read_to_string(dir.path().join("access.toml")).expect("read");
    let role_start = access.find("[[role]]").expect("role");
    let role_end = role_start + access[role_start..].find("\n\n").expect("end of role");
    let role = access[role_start..role_end].replace(" = ", "=");
    std::fs::write(
        dir.path().join("access.toml"),
        format!("{}{}", &access[..role_start], &access[role_end..]),
    )
    .expect("write");
    std::fs::write(
        dir.path().join("roles.toml"),
        format!("# moved\n\n{role}\n"),
    )
    .expect("write");
    let out = rclint(&["check", &path, "--baseline", &baseline_arg]);
    assert_eq!(stdout(&out), "0 errors, 0 warnings, 1 baselined\n");

    // A new violation shows alone.
    let new_account = "\n[[user]]\nname = \"svc-new\"\nservice_account = true\nroles = [\"Integration: Risk Sync\"]\n";
    let mut users = std::fs::read_to_string(dir.path().join("access.toml")).expect("read");
    users.push_str(new_account);
    std::fs::write(dir.path().join("access.toml"), users).expect("write");
    let out = rclint(&["check", &path, "--baseline", &baseline_arg, "-f", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let findings = json["findings"].as_array().expect("findings");
    assert_eq!(findings.len(), 1, "{findings:#?}");
    assert_eq!(findings[0]["subject"]["name"], "svc-new");
    assert_eq!(json["summary"]["baselined"], 1);
}

#[test]
fn the_step_summary_shows_markup_in_names_as_text() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("a.toml"),
        "[[user]]\nname = \"svc\"\nroles = [\"<script>alert(1)</script> | x\"]\n",
    )
    .expect("write");
    let summary = dir.path().join("summary.md");
    let summary_path = summary.to_str().expect("utf-8 path");
    let snapshot = dir.path().to_str().expect("utf-8 path");
    let out = rclint_env(
        &["check", "-f", "github", snapshot],
        &[("GITHUB_STEP_SUMMARY", summary_path)],
    );
    assert_eq!(out.status.code(), Some(1));
    let text = std::fs::read_to_string(&summary).expect("summary written");
    assert!(text.contains("&lt;script&gt;"), "{text}");
    assert!(!text.contains("<script>"), "{text}");
    assert!(text.contains("\\| x"), "a cell cannot be split: {text}");
}

#[test]
fn junit_shows_warnings_as_passing_cases_and_leaves_out_rules_that_are_off() {
    // A warning-only run exits 0: it must not show failed tests.
    let out = rclint(&[
        "check",
        "fixtures/rules/excess-step-access/fail",
        "-f",
        "junit",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let xml = stdout(&out);
    assert!(xml.contains("failures=\"0\""), "{xml}");
    assert!(!xml.contains("<failure"), "{xml}");
    assert!(
        xml.contains("<system-out>") && xml.contains(": warning: "),
        "{xml}"
    );
    // A clean run lists one passing case per rule that is on, not the others.
    let out = rclint(&[
        "check",
        "fixtures/rules/admin-on-integration/pass",
        "-f",
        "junit",
        "--allow",
        "RC105",
    ]);
    let xml = stdout(&out);
    assert!(xml.contains("RC101 admin-on-integration"), "{xml}");
    assert!(
        !xml.contains("RC105"),
        "a rule that is off is not passing: {xml}"
    );
}

#[test]
fn a_baseline_says_what_it_wrote_and_refuses_credentials_unless_forced() {
    let dir = tempfile::tempdir().expect("temp dir");
    let baseline = dir.path().join("b.txt");
    let path = baseline.to_str().expect("utf-8 path");
    let out = rclint(&[
        "check",
        "fixtures/rules/excess-step-access/fail",
        "--write-baseline",
        path,
    ]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stderr).contains("wrote 2 fingerprints to"));
    let out = rclint(&[
        "check",
        "fixtures/rules/secret-in-snapshot/fail",
        "--write-baseline",
        path,
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(err.contains("RC405") && err.contains("--force"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    let written = std::fs::read_to_string(&baseline).expect("the earlier baseline");
    assert_eq!(
        written.lines().filter(|l| !l.starts_with('#')).count(),
        2,
        "left as it was"
    );
    let out = rclint(&[
        "check",
        "fixtures/rules/secret-in-snapshot/fail",
        "--write-baseline",
        path,
        "--force",
    ]);
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn a_baseline_file_that_is_not_one_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let wrong = dir.path().join("rclint.toml");
    std::fs::write(&wrong, "[rules]\nRC105 = \"off\"\n").expect("write");
    let out = rclint(&[
        "check",
        "fixtures/acme",
        "--baseline",
        wrong.to_str().expect("utf-8 path"),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("is not a baseline file: line 1"), "{err}");
}

/// The Action can only run on GitHub; what can be checked here is checked:
/// arguments never reach a shell unquoted, the built binary is cached.
#[test]
fn the_action_quotes_its_arguments_and_caches_the_binary() {
    let action = std::fs::read_to_string("action.yml").expect("action.yml");
    for line in action.lines().filter(|l| l.contains("$RCLINT_ARGS")) {
        assert!(line.contains("<<< \"$RCLINT_ARGS\""), "unquoted: {line}");
    }
    assert!(action.contains("\"${extra[@]}\""));
    assert!(action.contains("uses: actions/cache@"));
    assert!(action.contains("steps.cache.outputs.cache-hit != 'true'"));
    let workflow =
        std::fs::read_to_string(".github/workflows/release.yml").expect("release workflow");
    for target in [
        "x86_64-unknown-linux-gnu",
        "aarch64-unknown-linux-gnu",
        "apple-darwin",
        "windows",
    ] {
        assert!(workflow.contains(target), "release builds {target}");
    }
    assert!(workflow.contains("SHA256SUMS"));
}

#[test]
fn junit_shows_a_hostile_name_escaped_and_hides_none_of_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let name = "svc-<x>&\u{1b}[31m'\"]]>";
    std::fs::write(
        dir.path().join("a.toml"),
        format!(
            "[[role]]\nname = \"R\"\nmodules = [\"ADMIN\"]\n\n[[user]]\nname = {}\nservice_account = true\nroles = [\"R\"]\n",
            rclint::escape::toml(name)
        ),
    )
    .expect("write");
    let out = rclint(&["check", dir.path().to_str().expect("UTF-8"), "-f", "junit"]);
    let xml = stdout(&out);
    assert!(!xml.contains('\u{1b}'), "no raw ESC");
    // Every character of the name is there, as an entity or shown: an
    // escape sequence in a name is not dropped from the evidence.
    assert!(
        xml.contains("svc-&lt;x&gt;&amp;\\u{1b}[31m&apos;&quot;]]&gt;"),
        "{xml}"
    );
    assert_eq!(
        rclint::escape::xml("a<b>&'\""),
        "a&lt;b&gt;&amp;&apos;&quot;"
    );
}

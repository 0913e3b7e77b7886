//! The binary as a user runs it: exit codes 0, 1 and 2, one clear line on
//! stderr for a bad invocation, output files written whole.

use crate::common::cli::{rclint, stderr, stdout};
use std::path::Path;
use std::process::{Command, Output};

/// Exit 2 with exactly one line on stderr containing `needle`, nothing on stdout.
fn assert_usage_error(out: &Output, needle: &str) {
    assert_eq!(out.status.code(), Some(2), "stderr: {}", stderr(out));
    let err = stderr(out);
    assert_eq!(err.lines().count(), 1, "one line expected, got: {err}");
    assert!(err.contains(needle), "{err:?} should mention {needle:?}");
    assert!(out.stdout.is_empty());
}

#[test]
fn clean_snapshot_exits_0() {
    let out = rclint(&["check", "fixtures/rules/admin-on-integration/pass"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert_eq!(stdout(&out), "0 errors, 0 warnings\n");
}

#[test]
fn demo_tenant_exits_1_with_labelled_diagnostics() {
    let out = rclint(&["check", "fixtures/acme"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(text.contains("RC101 admin-on-integration"));
    assert!(text.contains("╰── grants module ADMIN here"));
    assert!(text.contains("note: user svc-incident-bridge → role Integration: Incident Bridge"));
    // The totals line says what the JSON counts, whatever rules are added.
    let json: serde_json::Value =
        serde_json::from_slice(&rclint(&["check", "fixtures/acme", "-f", "json"]).stdout)
            .expect("JSON");
    let summary = &json["summary"];
    let plural = |n: &serde_json::Value, word: &str| {
        let n = n.as_u64().expect("a count");
        if n == 1 {
            format!("1 {word}")
        } else {
            format!("{n} {word}s")
        }
    };
    let mut expected = format!(
        "{}, {}",
        plural(&summary["error"], "error"),
        plural(&summary["warning"], "warning")
    );
    if summary["note"].as_u64() != Some(0) {
        expected.push_str(&format!(", {}", plural(&summary["note"], "note")));
    }
    if summary["waived"].as_u64() != Some(0) {
        expected.push_str(&format!(", {} waived", summary["waived"]));
    }
    let last = text.lines().last().expect("a totals line");
    assert!(last.ends_with(&expected), "{last} / {expected}");
}

#[test]
fn warnings_alone_exit_0() {
    let out = rclint(&["check", "fixtures/rules/unused-service-account/fail"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).ends_with("0 errors, 1 warning\n"));
}

#[test]
fn deny_makes_a_warning_fail_and_allow_silences_an_error() {
    let dir = "fixtures/rules/unused-service-account/fail";
    let out = rclint(&["check", dir, "--deny", "unused-service-account"]);
    assert_eq!(out.status.code(), Some(1));
    let out = rclint(&[
        "check",
        "fixtures/rules/admin-on-integration/fail",
        "--allow",
        "RC101",
    ]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stdout(&out), "0 errors, 0 warnings\n");
    let out = rclint(&[
        "check",
        "fixtures/rules/admin-on-integration/fail",
        "--warn",
        "RC101",
    ]);
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).ends_with("0 errors, 1 warning\n"));
}

#[test]
fn json_format_is_valid_json_with_exit_1() {
    let out = rclint(&["check", "fixtures/acme", "-f", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let value: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    assert_eq!(value["tool"]["name"], "rclint");
    assert!(value["summary"]["error"].as_u64().unwrap_or(0) > 0);
}

#[test]
fn missing_path_is_exit_2() {
    let out = rclint(&["check", "no/such/snapshot"]);
    assert_usage_error(&out, "cannot read 'no/such/snapshot'");
}

#[test]
fn empty_directory_is_exit_2() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().to_string_lossy().into_owned();
    let out = rclint(&["check", &path]);
    assert_usage_error(&out, "no snapshot files");
}

#[test]
fn bad_flags_are_exit_2_with_one_line() {
    assert_usage_error(&rclint(&["check", "--format", "yaml"]), "yaml");
    assert_usage_error(&rclint(&["check", "--no-such-flag"]), "--no-such-flag");
    assert_usage_error(&rclint(&["frobnicate"]), "frobnicate");
}

#[test]
fn unknown_rule_in_flag_is_exit_2_with_suggestion() {
    let out = rclint(&["check", "fixtures/acme", "--deny", "admin-on-integratoin"]);
    assert_usage_error(&out, "did you mean 'admin-on-integration'?");
}

#[test]
fn explain_prints_documentation_and_rejects_unknown_rules() {
    let out = rclint(&["explain", "RC101"]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    for heading in rclint::rules::DOC_HEADINGS {
        assert!(text.contains(heading), "{heading} missing from:\n{text}");
    }
    let by_name = rclint(&["explain", "admin-on-integration"]);
    assert_eq!(stdout(&by_name), text);
    assert_usage_error(&rclint(&["explain", "RC1O1"]), "did you mean 'RC101'?");
}

#[test]
fn rules_lists_every_rule() {
    let out = rclint(&["rules"]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    for rule in rclint::rules::REGISTRY {
        assert!(text.contains(rule.code) && text.contains(rule.name));
    }
}

#[test]
fn output_file_is_written_whole_and_unwritable_is_exit_2() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("out.json");
    let file_arg = file.to_string_lossy().into_owned();
    let out = rclint(&["check", "fixtures/acme", "-f", "json", "-o", &file_arg]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let written = std::fs::read_to_string(&file).expect("output written");
    let direct = rclint(&["check", "fixtures/acme", "-f", "json"]);
    assert_eq!(written, stdout(&direct));
    let leftovers: Vec<_> = std::fs::read_dir(dir.path()).expect("dir").collect();
    assert_eq!(leftovers.len(), 1, "no temporary file is left behind");

    let bad = dir.path().join("missing-dir").join("out.json");
    let out = rclint(&["check", "fixtures/acme", "-o", &bad.to_string_lossy()]);
    assert_usage_error(&out, "cannot write");
    assert!(!Path::new(&bad).exists());
}

#[test]
fn output_is_deterministic() {
    let a = rclint(&["check", "fixtures/acme", "-f", "json"]);
    let b = rclint(&["check", "fixtures/acme", "-f", "json"]);
    assert_eq!(a.stdout, b.stdout);
    let a = rclint(&["check", "fixtures/acme"]);
    let b = rclint(&["check", "fixtures/acme"]);
    assert_eq!(a.stdout, b.stdout);
}

#[test]
fn clap_says_what_is_missing_and_what_is_possible_on_one_line() {
    let out = rclint(&["explain"]);
    assert_usage_error(&out, "<RULE>");
    let out = rclint(&["check", "-f", "jsn", "."]);
    assert_usage_error(&out, "[possible values: human, json");
    assert!(stderr(&out).contains("a similar value exists: 'json'"));
    let out = rclint(&["chek", "."]);
    assert_usage_error(&out, "'check'");
}

#[test]
fn concise_prints_one_line_per_finding() {
    let out = rclint(&["check", "fixtures/rules/direct-grant/fail", "-f", "concise"]);
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    assert!(
        lines[0].starts_with("fixtures/rules/direct-grant/fail/access.toml:")
            && lines[0].contains(": RC107 warning: "),
        "{text}"
    );
    assert_eq!(lines[2], "0 errors, 2 warnings");
}

#[test]
fn report_takes_its_format_from_the_output_file_and_refuses_a_clash() {
    let dir = tempfile::tempdir().expect("temp dir");
    let md = dir.path().join("report.md");
    let md_path = md.to_str().expect("utf-8 path");
    let out = rclint(&["report", "fixtures/acme", "-o", md_path]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = std::fs::read_to_string(&md).expect("written");
    assert!(
        text.starts_with("# acme\n"),
        "Markdown: {}",
        &text[..40.min(text.len())]
    );
    let out = rclint(&["report", "fixtures/acme", "-o", md_path, "-f", "html"]);
    assert_usage_error(&out, "does not match the extension");
}

#[test]
fn discovery_skips_hidden_files_and_other_tools_toml() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("a.toml"), "[[user]]\nname = \"svc\"\n").expect("write");
    for other in [
        "Cargo.toml",
        "pyproject.toml",
        ".taplo.toml",
        ".hidden.toml",
    ] {
        std::fs::write(dir.path().join(other), "[package]\nname = \"x\"\n").expect("write");
    }
    let out = rclint(&["check", dir.path().to_str().expect("utf-8 path")]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
}

#[test]
fn suggestions_find_a_name_from_part_of_it() {
    let out = rclint(&["explain", "admin-on-integ"]);
    assert_usage_error(&out, "did you mean 'admin-on-integration'?");
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("a.toml"),
        "[[role]]\nname = \"R\"\nmodules = [1, \"RECORDS\"]\n\n[[user]]\nname = \"svc\"\nservice_account = true\n\n\
         [[integration]]\nname = \"I\"\naccount = \"svc\"\nenvironment = \"prod\"\n\n\
         [[integration.intent]]\naction = \"read-records\"\nsteps = []\n",
    )
    .expect("write");
    let out = rclint(&[
        "check",
        dir.path().to_str().expect("utf-8 path"),
        "-f",
        "json",
    ]);
    let text = stdout(&out);
    assert!(text.contains("did you mean 'production'?"), "{text}");
    assert!(
        text.contains("each element of 'modules' must be a string, found an integer"),
        "{text}"
    );
}

#[test]
fn an_unclosed_bracket_is_reported_where_it_opens() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("a.toml"),
        "[[role]]\nname = \"A\"\nmodules = [\"RECORDS\",\n\n[[user]]\nname = \"u\"\n",
    )
    .expect("write");
    let out = rclint(&["check", "-f", "concise", &dir.path().to_string_lossy()]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        text.contains("a.toml:3:11: RC401 error: invalid TOML: this '[' is never closed (the parser stopped at line 6:"),
        "{text}"
    );
}

#[test]
fn verbose_says_which_files_were_left_out_and_why() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    for sub in [".git", "target", "snap"] {
        std::fs::create_dir_all(root.join(sub)).expect("mkdir");
    }
    for file in [
        ".hidden.toml",
        "Cargo.toml",
        "pyproject.toml",
        ".git/config.toml",
    ] {
        std::fs::write(root.join(file), "").expect("write");
    }
    std::fs::write(root.join("snap/a.toml"), "[[role]]\nname = \"A\"\n").expect("write");
    let shown = root.to_string_lossy().into_owned();
    let out = rclint(&["check", "-v", "-f", "concise", &shown]);
    assert_eq!(out.status.code(), Some(0));
    let prefix = rclint::snapshot::display_path(root);
    let lines: Vec<String> = stderr(&out)
        .lines()
        .map(|l| l.replace(&prefix, "ROOT"))
        .collect();
    assert_eq!(
        lines,
        [
            "snapshot ROOT; no config file (no rclint.toml up to the repository's root)",
            "skipped ROOT/.git: a hidden folder",
            "skipped ROOT/.hidden.toml: a hidden file",
            "skipped ROOT/Cargo.toml: another tool's file",
            "skipped ROOT/pyproject.toml: another tool's file",
            "skipped ROOT/target: a target/ folder",
        ]
    );
    // Without -v, nothing on stderr.
    let quiet = rclint(&["check", "-f", "concise", &shown]);
    assert!(quiet.stderr.is_empty());
}

#[test]
fn rule_flags_take_comma_lists_as_ruff_and_cargo_deny_do() {
    let codes = |args: &[&str]| -> std::collections::BTreeSet<String> {
        let mut all = vec!["check", "fixtures/acme", "-f", "json"];
        all.extend_from_slice(args);
        let out = rclint(&all);
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
        json["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .filter_map(|f| f["code"].as_str().map(str::to_string))
            .collect()
    };
    let all = codes(&[]);
    assert!(all.contains("RC104") && all.contains("RC201"));
    let fewer = codes(&["--allow", "RC104,RC201"]);
    assert!(
        !fewer.contains("RC104") && !fewer.contains("RC201"),
        "{fewer:?}"
    );
    assert_eq!(fewer, codes(&["--allow", "RC104", "--allow", "RC201"]));
}

#[test]
fn deps_with_a_folder_for_the_account_says_so() {
    let out = rclint(&["deps", "fixtures/acme"]);
    assert_eq!(out.status.code(), Some(2));
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains(
            "'fixtures/acme' is a folder, not an account: rclint deps ACCOUNT fixtures/acme"
        ),
        "{said}"
    );
}

#[cfg(unix)]
#[test]
fn dash_o_writes_through_a_fifo_refuses_a_link_and_names_its_formats() {
    let dir = tempfile::tempdir().expect("tempdir");
    // A named pipe gets the output and stays a pipe.
    let fifo = dir.path().join("findings.pipe");
    let made = Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read(&fifo).expect("read the pipe"))
    };
    let out = rclint(&[
        "check",
        "fixtures/acme",
        "-f",
        "json",
        "-o",
        fifo.to_str().expect("utf-8"),
    ]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let read = reader.join().expect("reader");
    assert!(
        serde_json::from_slice::<serde_json::Value>(&read).is_ok(),
        "the JSON came through"
    );
    use std::os::unix::fs::FileTypeExt;
    assert!(
        std::fs::symlink_metadata(&fifo)
            .expect("meta")
            .file_type()
            .is_fifo()
    );
    // A symbolic link is refused, its target untouched.
    let target = dir.path().join("target.txt");
    std::fs::write(&target, "keep").expect("write");
    let link = dir.path().join("out.json");
    std::os::unix::fs::symlink(&target, &link).expect("symlink");
    let out = rclint(&[
        "check",
        "fixtures/acme",
        "-f",
        "json",
        "-o",
        link.to_str().expect("utf-8"),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is a symbolic link"));
    assert_eq!(std::fs::read_to_string(&target).expect("read"), "keep");
    // report -o report.pdf: no HTML in a file named .pdf.
    let pdf = dir.path().join("report.pdf");
    let out = rclint(&[
        "report",
        "fixtures/acme",
        "-o",
        pdf.to_str().expect("utf-8"),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("rclint writes no '.pdf' file"));
    assert!(!pdf.exists());
}

#[test]
fn every_command_that_reads_a_snapshot_takes_dash_c() {
    let runs: [&[&str]; 8] = [
        &["derive", "fixtures/acme"],
        &["why", "svc-secops", "fixtures/acme"],
        &["who-can", "module:RECORDS", "fixtures/acme"],
        &["deps", "svc-secops", "fixtures/acme"],
        &["graph", "fixtures/acme"],
        &["diff", "fixtures/acme", "fixtures/acme"],
        &[
            "import",
            "tests/data/riskcloud/export",
            "-o",
            "/nonexistent-rclint-out",
        ],
        &["check", "fixtures/acme"],
    ];
    for args in runs {
        let mut all = args.to_vec();
        all.extend_from_slice(&["-c", "no-such-config.toml"]);
        let out = rclint(&all);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("no-such-config.toml"),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let help = rclint(&["--help"]);
    assert!(String::from_utf8_lossy(&help.stdout).contains("Exit codes: 0"));
}

#[test]
fn one_clock_flag_today_and_now_mean_the_same_everywhere() {
    let findings = |args: &[&str]| {
        let mut all = vec!["check", "fixtures/acme", "-f", "json"];
        all.extend_from_slice(args);
        let out = rclint(&all);
        assert!(
            out.status.code().is_some_and(|c| c < 2),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let by_date = findings(&["--today", "2026-06-01"]);
    assert_eq!(by_date, findings(&["--now", "2026-06-01T12:00:00Z"]));
    assert_eq!(by_date, findings(&["--today", "2026-06-01T23:59:59Z"]));
    let report = |flag: &str, value: &str| {
        let out = rclint(&["report", "fixtures/acme", "-f", "json", flag, value]);
        assert_eq!(
            out.status.code().map(|c| c < 2),
            Some(true),
            "{flag} {value}"
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    assert_eq!(
        report("--now", "2026-06-01"),
        report("--today", "2026-06-01T00:00:00Z")
    );
}

#[test]
fn explain_lists_the_controls_a_rule_evidences() {
    let out = rclint(&["explain", "missing-access"]);
    let text = stdout(&out);
    let section = text
        .split("## Controls it evidences\n")
        .nth(1)
        .expect("a controls section");
    assert!(
        section.contains("- SOC 2 CC6.1 Logical access security measures"),
        "{section}"
    );
    // A rule that evidences no control (snapshot integrity) has no section.
    assert!(!stdout(&rclint(&["explain", "RC402"])).contains("## Controls"));
}

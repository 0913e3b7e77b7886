//! The loader on broken and unusual input: every problem is a located
//! finding, one bad file never hides the findings of another, and nothing
//! panics.

use crate::common;

use std::fs;
use std::path::Path;

/// Writes `files` (path, bytes) into a fresh directory and checks it.
fn check_files(files: &[(&str, &[u8])]) -> Vec<(String, String, usize, usize, String)> {
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, bytes) in files {
        let path = dir.path().join(name);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).expect("mkdir");
        }
        fs::write(path, bytes).expect("write");
    }
    let (outcome, snapshot) = common::check(&[dir.path()]);
    outcome
        .diagnostics
        .iter()
        .map(|d| {
            let f = &d.finding;
            let pos = snapshot.sources.position(f.primary.span);
            let file = &snapshot.sources.get(f.primary.span.file).path;
            let name = Path::new(file)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned());
            (
                f.rule.code.to_string(),
                name.unwrap_or_default(),
                pos.line,
                pos.column,
                f.message.clone(),
            )
        })
        .collect()
}

const CLEAN: &str = r#"
[[user]]
name = "svc-clean"
service_account = true
api_access = false
"#;

#[test]
fn bad_toml_is_located_and_other_files_still_report() {
    let found = check_files(&[
        ("a.toml", b"[[user]\nname = \"x\"\n"),
        ("b.toml", b"[[user]]\nname = \"svc\"\nrolez = []\n"),
    ]);
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!(
        (found[0].0.as_str(), found[0].1.as_str(), found[0].2),
        ("RC401", "a.toml", 1)
    );
    assert!(found[0].4.starts_with("invalid TOML"));
    assert_eq!(
        found[1],
        (
            "RC401".into(),
            "b.toml".into(),
            3,
            1,
            "unknown key 'rolez' in a user".into()
        )
    );
}

#[test]
fn wrong_types_and_missing_keys_are_each_reported() {
    let found = check_files(&[(
        "a.toml",
        b"[[user]]\nname = 5\napi_access = \"yes\"\nroles = \"Everyone\"\n\n[[role]]\nmodules = []\n",
    )]);
    let messages: Vec<&str> = found.iter().map(|f| f.4.as_str()).collect();
    assert_eq!(
        messages,
        vec![
            "'name' must be a string, found an integer",
            "'api_access' must be a boolean (true or false), found a string",
            "'roles' must be an array of strings, found a string",
            "this role has no 'name'",
        ]
    );
    assert_eq!((found[0].2, found[0].3), (2, 8));
}

#[test]
fn unknown_reference_suggests_the_closest_name() {
    let found = check_files(&[(
        "a.toml",
        b"[[role]]\nname = \"Risk Analysts\"\n\n[[user]]\nname = \"bob\"\nroles = [\"Risk Analyst\"]\n",
    )]);
    assert_eq!(
        found,
        vec![(
            "RC402".into(),
            "a.toml".into(),
            6,
            11,
            "unknown role 'Risk Analyst'".into()
        )]
    );
}

#[test]
fn duplicates_across_files_label_both() {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::write(dir.path().join("a.toml"), "[[role]]\nname = \"R\"\n").expect("write");
    fs::write(dir.path().join("b.toml"), "\n[[role]]\nname = \"R\"\n").expect("write");
    let (outcome, snapshot) = common::check(&[dir.path()]);
    assert_eq!(outcome.diagnostics.len(), 1);
    let f = &outcome.diagnostics[0].finding;
    assert_eq!(f.rule.code, "RC403");
    assert!(
        snapshot
            .sources
            .get(f.primary.span.file)
            .path
            .ends_with("b.toml")
    );
    assert_eq!(f.related.len(), 1);
    assert!(
        snapshot
            .sources
            .get(f.related[0].span.file)
            .path
            .ends_with("a.toml")
    );
    assert_eq!(snapshot.sources.text(f.related[0].span), "R");
}

#[test]
fn secrets_are_found_in_any_table_and_never_kept() {
    let dir = tempfile::tempdir().expect("temp dir");
    let text = "[[user]]\nname = \"svc\"\npassword = \"hunter2-value\"\n\n[extra]\nnested = { api_key = \"k-123456\" }\nnote = \"Bearer abc.def\"\n";
    fs::write(dir.path().join("a.toml"), text).expect("write");
    let (outcome, snapshot) = common::check(&[dir.path()]);
    let secrets: Vec<_> = outcome
        .diagnostics
        .iter()
        .filter(|d| d.finding.rule.code == "RC405")
        .collect();
    assert_eq!(secrets.len(), 3);
    for d in &secrets {
        assert!(!snapshot.sources.text(d.finding.primary.span).is_empty());
    }
    // 'password' is RC405's alone, not also an unknown key; [extra] is unknown.
    let unknown: Vec<_> = outcome
        .diagnostics
        .iter()
        .filter(|d| d.finding.message.starts_with("unknown key"))
        .map(|d| d.finding.message.clone())
        .collect();
    assert_eq!(unknown, vec!["unknown key 'extra' in the top level"]);
    let kept: String = snapshot
        .sources
        .iter()
        .map(|(_, f)| f.text.clone())
        .collect();
    for value in ["hunter2-value", "k-123456", "abc.def"] {
        assert!(!kept.contains(value), "{value} kept in source text");
    }
    let rendered = common::human(dir.path()) + &common::json(dir.path());
    for value in ["hunter2-value", "k-123456", "abc.def"] {
        assert!(!rendered.contains(value), "{value} printed");
    }
}

#[test]
fn non_utf8_is_a_finding_and_empty_or_comment_only_files_are_valid() {
    let found = check_files(&[
        ("bad.toml", b"[[user]]\nname = \"caf\xe9\"\n"),
        ("empty.toml", b""),
        (
            "comments.toml",
            b"# nothing defined here yet\n\n# still nothing\n",
        ),
        ("ok.toml", CLEAN.as_bytes()),
    ]);
    assert_eq!(
        found,
        vec![(
            "RC401".into(),
            "bad.toml".into(),
            2,
            12,
            "the file is not valid UTF-8".into()
        )]
    );
}

#[test]
fn hidden_dirs_target_config_and_other_extensions_are_skipped() {
    let found = check_files(&[
        ("ok.toml", CLEAN.as_bytes()),
        (".git/x.toml", b"not toml ["),
        ("target/x.toml", b"not toml ["),
        ("rclint.toml", b"[rules]\n"),
        ("notes.txt", b"not toml ["),
        ("sub/dir/more.toml", b"[[role]]\nname = \"R\"\n"),
    ]);
    assert_eq!(found, vec![]);
}

#[cfg(unix)]
#[test]
fn symlinks_are_not_followed() {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::write(dir.path().join("ok.toml"), CLEAN).expect("write");
    let outside = tempfile::tempdir().expect("temp dir");
    fs::write(outside.path().join("bad.toml"), "not toml [").expect("write");
    std::os::unix::fs::symlink(outside.path(), dir.path().join("linked")).expect("symlink");
    std::os::unix::fs::symlink(dir.path(), dir.path().join("loop")).expect("symlink");
    let (outcome, _) = common::check(&[dir.path()]);
    assert_eq!(common::identities(&outcome), vec![]);
}

#[test]
fn a_single_file_can_be_checked() {
    let (outcome, snapshot) =
        common::check(&[Path::new("fixtures/rules/unknown-module/fail/access.toml")]);
    assert_eq!(outcome.diagnostics.len(), 1);
    assert_eq!(snapshot.sources.iter().count(), 1);
}

#[test]
fn crlf_line_endings_keep_columns() {
    let found = check_files(&[("a.toml", b"[[user]]\r\nname = \"svc\"\r\nrolez = []\r\n")]);
    assert_eq!(
        found,
        vec![(
            "RC401".into(),
            "a.toml".into(),
            3,
            1,
            "unknown key 'rolez' in a user".into()
        )]
    );
}

#[test]
fn no_fixture_makes_rclint_panic_and_every_finding_points_inside_its_file() {
    let mut problems = 0;
    for entry in walkdir::WalkDir::new("fixtures").min_depth(1) {
        let entry = entry.expect("fixture entry");
        if !entry.file_type().is_dir() {
            continue;
        }
        // A folder that cannot be loaded at all is a clean error, not a
        // panic; one that loads has every finding located in its file.
        let Ok(analysis) = rclint::analyze(&[entry.path().to_path_buf()], &|_| false) else {
            continue;
        };
        for f in &analysis.findings {
            let span = f.primary.span;
            let file = analysis.snapshot.sources.get(span.file);
            assert!(
                span.start() <= span.end() && span.end() <= file.text.len(),
                "{} {}: span {:?} outside {} ({} bytes)",
                f.rule.code,
                f.message,
                span.range(),
                file.path,
                file.text.len()
            );
            assert!(
                file.text.is_char_boundary(span.start()) && file.text.is_char_boundary(span.end()),
                "{} in {}: a span cuts a character",
                f.rule.code,
                file.path
            );
            problems += usize::from(f.rule.is_snapshot_problem());
        }
    }
    assert!(
        problems > 10,
        "the fixtures hold snapshot problems: {problems}"
    );
}

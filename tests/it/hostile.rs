//! The hostile-input corpus (`fixtures/hostile/`): each case gives located
//! findings or a clear exit-2 message, never a panic or a hang; each
//! diagnostic is a snapshot. Cases too large to commit are made here.

use crate::common;

use std::path::Path;
use std::process::Command;

const CASES: [&str; 8] = [
    "invalid-utf8",
    "bom",
    "crlf",
    "tabs",
    "multibyte",
    "deep-nesting",
    "dir-named-toml",
    "dangling",
];

#[test]
fn every_committed_case_is_a_located_diagnostic() {
    for case in CASES {
        let dir = Path::new("fixtures/hostile").join(case);
        let (outcome, snapshot) = common::check(&[&dir]);
        assert!(!outcome.diagnostics.is_empty(), "{case} gives a finding");
        for d in &outcome.diagnostics {
            let span = d.finding.primary.span;
            assert!(
                span.end() <= snapshot.sources.get(span.file).text.len(),
                "{case}: span inside its file"
            );
        }
        insta::assert_snapshot!(format!("hostile-{case}"), common::human(&dir));
    }
}

#[test]
fn an_empty_file_is_valid_and_defines_nothing() {
    let (outcome, snapshot) = common::check(&[Path::new("fixtures/hostile/empty")]);
    assert!(outcome.diagnostics.is_empty(), "{:?}", outcome.diagnostics);
    assert_eq!(snapshot.sources.iter().count(), 1, "the file was read");
}

#[test]
fn labels_stay_on_the_right_columns() {
    // (case, line, column) of the first finding: the reference inside quotes.
    for (case, line, column) in [
        ("crlf", 8, 11),
        ("tabs", 7, 13),
        ("multibyte", 11, 11),
        ("bom", 5, 1),
    ] {
        let dir = Path::new("fixtures/hostile").join(case);
        let (outcome, snapshot) = common::check(&[&dir]);
        let pos = snapshot
            .sources
            .position(outcome.diagnostics[0].finding.primary.span);
        assert_eq!((pos.line, pos.column), (line, column), "{case}");
    }
}

#[test]
fn a_ten_thousand_character_name() {
    let dir = Path::new("fixtures/hostile/long-name");
    let (outcome, snapshot) = common::check(&[dir]);
    assert_eq!(outcome.diagnostics.len(), 1);
    let f = &outcome.diagnostics[0].finding;
    assert_eq!(f.rule.code, "RC402");
    assert_eq!(
        snapshot.sources.text(f.primary.span).chars().count(),
        10_005
    );
    // Every format renders it.
    assert!(common::human(dir).contains("RC402 unknown-reference"));
    assert!(common::json(dir).contains("\"end_column\": 10016"));
}

#[test]
fn a_label_far_into_a_long_line_is_listed_not_drawn() {
    // miette pads to a label's column with a formatting width Rust caps at
    // 65,535: a label past that column used to panic the human format.
    let dir = tempfile::tempdir().expect("temp dir");
    let long = "x".repeat(70_000);
    let text = format!(
        "[[application]]\nname = \"A\"\n[[application.workflow]]\nname = \"W\"\nsteps = [\"{long}\"]\n\n\
         [[permission_set]]\nname = \"P\"\nsteps = {{ \"A/W/{long}\" = \"read\", \"A/W/nowhere\" = \"edit\" }}\n"
    );
    std::fs::write(dir.path().join("s.toml"), text).expect("write");
    // The unknown step's key opens at column 70,029 of line 9:
    // `steps = { "` (11), `A/W/` and the name (70,004), `" = "read", ` (13).
    let human = common::human(dir.path());
    let at = human
        .lines()
        .find(|l| l.starts_with("  at "))
        .expect("the far label is listed");
    assert!(
        at.ends_with(&format!("s.toml:9:{}: no step of this name", 70_029)),
        "{at}"
    );
    assert!(human.contains("RC402 unknown-reference"));
    assert!(common::json(dir.path()).contains(&format!("\"column\": {}", 70_029)));
}

#[test]
fn a_fifty_megabyte_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut text = String::with_capacity(52 * 1024 * 1024);
    let mut i = 0;
    while text.len() < 50 * 1024 * 1024 {
        text.push_str(&format!(
            "[[user]]\nname = \"person-{i:08}@example.com\"\nroles = [\"Everyone\"]\n\n"
        ));
        i += 1;
    }
    text.push_str("[[role]]\nname = \"Everyone\"\n");
    std::fs::write(dir.path().join("users.toml"), &text).expect("write");
    let start = std::time::Instant::now();
    let (outcome, snapshot) = common::check(&[dir.path()]);
    assert!(
        outcome.diagnostics.is_empty(),
        "a large clean file is clean"
    );
    assert_eq!(snapshot.model.users.len(), i);
    // Not a benchmark: a guard against a hang (BENCHMARKS.md has the numbers).
    assert!(start.elapsed().as_secs() < 300);
}

#[test]
fn an_unreadable_file_is_a_finding() {
    let error = std::io::Error::new(std::io::ErrorKind::PermissionDenied, "Permission denied");
    let loaded = rclint::snapshot::load_bytes(vec![
        ("locked.toml".into(), Err(error)),
        ("ok.toml".into(), Ok(b"[[role]]\nname = \"R\"\n".to_vec())),
    ]);
    assert_eq!(loaded.findings.len(), 1);
    assert_eq!(loaded.findings[0].item.as_deref(), Some("unreadable"));
    assert_eq!(
        loaded.findings[0].message,
        "cannot read 'locked.toml': permission denied"
    );
    assert_eq!(
        loaded.snapshot.model.roles.len(),
        1,
        "the other file is still read"
    );
    // On disk too, where permissions apply (root reads everything).
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("temp dir");
        let locked = dir.path().join("locked.toml");
        std::fs::write(&locked, "[[role]]\nname = \"R\"\n").expect("write");
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).expect("chmod");
        if std::fs::read(&locked).is_ok() {
            eprintln!("skipped the on-disk case: this user can read a mode-000 file (root)");
            return;
        }
        let (outcome, _) = common::check(&[dir.path()]);
        assert_eq!(
            outcome.diagnostics[0].finding.message,
            "cannot read 'locked.toml': permission denied"
        );
    }
}

#[test]
fn a_file_too_long_for_a_span_is_not_read() {
    // Spans are 32-bit: a file of 4 GiB or more is refused before it is
    // read (a sparse file: nothing is written to the disk).
    let dir = tempfile::tempdir().expect("temp dir");
    let huge = std::fs::File::create(dir.path().join("huge.toml")).expect("create");
    huge.set_len(u64::from(u32::MAX)).expect("sparse file");
    std::fs::write(dir.path().join("ok.toml"), "[[role]]\nname = \"R\"\n").expect("write");
    let (outcome, snapshot) = common::check(&[dir.path()]);
    let [only] = outcome.diagnostics.as_slice() else {
        panic!("one finding: {:?}", outcome.diagnostics);
    };
    assert_eq!(only.finding.item.as_deref(), Some("unreadable"));
    assert!(
        only.finding.message.ends_with(
            "huge.toml': it is 4294967295 bytes long, and rclint reads files shorter \
             than 4294967295 bytes (4 gib)"
        ),
        "{}",
        only.finding.message
    );
    assert_eq!(
        snapshot.model.roles.len(),
        1,
        "the other file is still read"
    );
}

#[test]
fn a_directory_named_like_a_file_given_on_the_command_line() {
    let out = Command::new(env!("CARGO_BIN_EXE_rclint"))
        .args([
            "check",
            "fixtures/hostile/dir-named-toml/x.toml",
            "-f",
            "json",
        ])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("svc-inside"));
}

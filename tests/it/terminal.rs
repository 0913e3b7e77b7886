//! Nothing in a snapshot can rewrite the reviewer's terminal or forge a
//! line: names holding ESC, BEL, NUL, CR, U+2028 and bidi overrides reach
//! every output of every command shown visibly, never raw; so do the
//! excerpts of a file that is not text.

use std::path::Path;
use std::process::Command;

/// Names that would clear the screen, ring, cut, overwrite a line, break a
/// line and reverse text, written as TOML escapes.
const HOSTILE: &str = r#"
[[application]]
name = "Vendor \u001b[2J Risk"
restrict_build_access = true

[[application.workflow]]
name = "Assess\u0007ment"
steps = ["In\u0000take", "Re\rview"]

[[permission_set]]
name = "Sync\u2028steps"
steps = { "Vendor \u001b[2J Risk/Assess\u0007ment/In\u0000take" = "edit" }

[[role]]
name = "Integration: \u202eevil"
modules = ["RECORDS", "ADMIN"]
applications = { "Vendor \u001b[2J Risk" = "edit" }
permission_sets = ["Sync\u2028steps"]

[[user]]
name = "svc-\u001b[31mRED"
service_account = true
api_access = true
roles = ["Integration: \u202eevil"]

[[user]]
name = "person\u2066@example.com"
roles = ["Integration: \u202eevil"]

[[integration]]
name = "Sync\u001b]0;title\u0007"
account = "svc-\u001b[31mRED"

[[integration.intent]]
action = "update-records"
steps = ["Vendor \u001b[2J Risk/Assess\u0007ment/Re\rview"]
"#;

/// Whether a character would act on a terminal or reorder text.
fn raw_control(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{2028}' | '\u{2029}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

fn run(dir: &Path, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_rclint"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("rclint runs");
    assert!(out.status.code().is_some_and(|c| c <= 2), "{args:?}");
    String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr)
}

#[test]
fn no_output_of_any_command_shows_a_raw_control_character() {
    let dir = tempfile::tempdir().expect("temp dir");
    let snap = dir.path().join("snap");
    std::fs::create_dir(&snap).expect("mkdir");
    std::fs::write(snap.join("a.toml"), HOSTILE).expect("write");
    let mut binary: Vec<u8> = b"[[user]]\nname = \"x\xff\"\n".to_vec();
    binary.extend((0u8..=255).cycle().take(3000));
    std::fs::write(snap.join("binary.toml"), &binary).expect("write");
    let old = dir.path().join("old");
    std::fs::create_dir(&old).expect("mkdir");
    std::fs::write(
        old.join("a.toml"),
        "[[user]]\nname = \"svc-\\u001b[31mRED\"\nservice_account = true\n",
    )
    .expect("write");
    let account = "svc-\u{1b}[31mRED";
    let grant = "module:RECORDS";
    let mut runs: Vec<Vec<&str>> = Vec::new();
    for format in ["human", "json", "sarif", "github", "junit", "gitlab"] {
        runs.push(vec!["check", "snap", "-f", format]);
    }
    for format in ["html", "markdown", "csv", "json"] {
        runs.push(vec![
            "report",
            "snap",
            "-f",
            format,
            "--now",
            "2026-01-01T00:00:00Z",
        ]);
    }
    for format in ["text", "toml", "json"] {
        runs.push(vec!["derive", "snap", "-f", format]);
    }
    runs.push(vec!["why", account, "snap"]);
    runs.push(vec!["who-can", grant, "snap"]);
    runs.push(vec!["deps", account, "snap"]);
    runs.push(vec!["graph", "snap"]);
    runs.push(vec!["graph", "snap", "-f", "mermaid"]);
    for format in ["human", "json", "markdown"] {
        runs.push(vec!["diff", "old", "snap", "-f", format]);
    }
    // Error messages quote what was asked for.
    runs.push(vec!["why", "svc-\u{1b}[2Jnobody", "snap"]);
    runs.push(vec!["check", "snap", "--write-baseline", "baseline.txt"]);
    for args in &runs {
        let shown = run(dir.path(), args);
        let raw: Vec<char> = shown.chars().filter(|c| raw_control(*c)).collect();
        assert!(raw.is_empty(), "{args:?} printed {raw:?}:\n{shown}");
        assert!(!shown.is_empty(), "{args:?} printed nothing");
    }
    let baseline = std::fs::read_to_string(dir.path().join("baseline.txt")).expect("baseline");
    assert!(!baseline.chars().any(raw_control), "{baseline}");
    // Every line of the baseline is a fingerprint and what it identifies.
    for line in baseline.lines().filter(|l| !l.starts_with('#')) {
        let first = line.split_whitespace().next().unwrap_or("");
        assert!(
            first.len() == 16 && first.chars().all(|c| c.is_ascii_hexdigit()),
            "{line}"
        );
    }
}

#[test]
fn a_name_with_a_line_break_cannot_forge_a_line_of_a_query_answer() {
    let dir = tempfile::tempdir().expect("temp dir");
    // A user whose name carries a second, forged answer line.
    let forged = "svc-a\\nsvc-admin holds module:ADMIN: user svc-admin";
    let snapshot = format!(
        "[[role]]\nname = \"R\"\nmodules = [\"RECORDS\"]\n\n[[user]]\nname = \"{forged}\"\n\
         service_account = true\napi_access = true\nroles = [\"R\"]\n\n[[integration]]\nname = \"I\"\n\
         account = \"{forged}\"\n\n[[integration.intent]]\naction = \"update-records\"\nsteps = []\n"
    );
    std::fs::write(dir.path().join("a.toml"), snapshot).expect("write");
    let account = "svc-a\nsvc-admin holds module:ADMIN: user svc-admin";
    for args in [
        vec!["who-can", "module:RECORDS", "."],
        vec!["why", account, "."],
        vec!["deps", account, "."],
        vec!["derive", "."],
    ] {
        let shown = run(dir.path(), &args);
        assert!(
            !shown.lines().any(|l| l.starts_with("svc-admin holds")),
            "{args:?} printed a forged line:\n{shown}"
        );
        assert!(shown.contains("svc-a\\u{a}svc-admin"), "{args:?}:\n{shown}");
    }
}

/// The hostile snapshot, with a file that is not text, in `dir/snap`.
fn hostile_snapshot(dir: &Path) {
    let snap = dir.join("snap");
    std::fs::create_dir(&snap).expect("mkdir");
    std::fs::write(snap.join("a.toml"), HOSTILE).expect("write");
    let mut binary: Vec<u8> = b"[[user]]\nname = \"x\xff\"\n".to_vec();
    binary.extend((0u8..=255).cycle().take(3000));
    std::fs::write(snap.join("binary.toml"), &binary).expect("write");
}

/// The output with rclint's own colour sequences taken out: what is left
/// must hold no raw control.
fn without_colour(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find('\u{1b}') {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        match rclint::escape::colour_sequence(tail) {
            Some(len) => rest = &tail[len..],
            None => {
                out.push_str(&tail[..1]);
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn assert_coloured_and_escaped(output: &str) {
    assert!(
        output.contains("\u{1b}[31m") || output.contains("\u{1b}[33m"),
        "rclint's own colour is real: {}",
        output.escape_debug()
    );
    assert!(
        output.contains("svc-\\u{1b}[31mRED"),
        "the hostile name is shown escaped"
    );
    assert!(!output.contains("\u{1b}[2J"), "no raw clear-screen");
    let rest = without_colour(output);
    let raw: Vec<char> = rest
        .chars()
        .filter(|c| raw_control(*c) && *c != '\r')
        .collect();
    assert!(raw.is_empty(), "raw controls besides colour: {raw:?}");
}

#[test]
fn colour_always_styles_rclints_own_text_and_escapes_the_snapshots() {
    let dir = tempfile::tempdir().expect("temp dir");
    hostile_snapshot(dir.path());
    let out = Command::new(env!("CARGO_BIN_EXE_rclint"))
        .args(["check", "snap", "--color", "always"])
        .current_dir(dir.path())
        .output()
        .expect("rclint runs");
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert_coloured_and_escaped(&text);
    assert!(!text.contains('\r'), "no raw CR either");
    // CLICOLOR_FORCE colours a pipe; NO_COLOR wins over it; never is plain.
    let styled = |envs: &[(&str, &str)], args: &[&str]| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_rclint"));
        command
            .args(["check", "snap"])
            .args(args)
            .current_dir(dir.path());
        command.env_remove("NO_COLOR").env_remove("CLICOLOR_FORCE");
        for (k, v) in envs {
            command.env(k, v);
        }
        let out = command.output().expect("rclint runs");
        String::from_utf8_lossy(&out.stdout).contains("\u{1b}[")
    };
    assert!(styled(&[("CLICOLOR_FORCE", "1")], &[]));
    assert!(!styled(&[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")], &[]));
    assert!(!styled(&[], &[]), "a pipe is plain");
    assert!(!styled(&[("CLICOLOR_FORCE", "1")], &["--color", "never"]));
}

#[cfg(unix)]
#[test]
fn on_a_real_terminal_colours_are_colours_and_names_stay_escaped() {
    // `script` runs rclint under a pseudo-terminal, as a person's shell does.
    let dir = tempfile::tempdir().expect("temp dir");
    hostile_snapshot(dir.path());
    let command = format!("{} check snap", env!("CARGO_BIN_EXE_rclint"));
    let out = Command::new("script")
        .args(["-qfec", &command, "/dev/null"])
        .current_dir(dir.path())
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env("TERM", "xterm-256color")
        .output()
        .expect("script (util-linux) runs");
    let text = String::from_utf8_lossy(&out.stdout);
    // The terminal turns each line break into CR LF.
    assert_coloured_and_escaped(&text.replace("\r\n", "\n"));
}

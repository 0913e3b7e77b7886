//! Running the `rclint` binary the same way in every test: from a clean
//! environment (no colour forced, no CI summary file, no Risk Cloud
//! credentials, no SOURCE_DATE_EPOCH from the machine), with what a test
//! adds on top.

use std::path::Path;
use std::process::{Command, Output};

/// Variables a developer's machine or CI may set that change what rclint
/// does; every run starts without them.
const CLEARED: &[&str] = &[
    "CLICOLOR_FORCE",
    "GITHUB_STEP_SUMMARY",
    "RISKCLOUD_TOKEN",
    "RISKCLOUD_CLIENT_ID",
    "RISKCLOUD_CLIENT_SECRET",
    "SOURCE_DATE_EPOCH",
];

/// One run of rclint, built up before it is made.
pub struct Run {
    command: Command,
}

impl Run {
    /// rclint with `args`, in a clean environment.
    pub fn new(args: &[&str]) -> Run {
        let mut command = Command::new(env!("CARGO_BIN_EXE_rclint"));
        command.args(args);
        for name in CLEARED {
            command.env_remove(name);
        }
        Run { command }
    }

    /// Run in `dir`.
    pub fn in_dir(mut self, dir: &Path) -> Run {
        self.command.current_dir(dir);
        self
    }

    /// With these variables set.
    pub fn env(mut self, vars: &[(&str, &str)]) -> Run {
        for (name, value) in vars {
            self.command.env(name, value);
        }
        self
    }

    /// Runs it to the end.
    pub fn output(mut self) -> Output {
        self.command.output().expect("rclint runs")
    }
}

/// rclint with `args`, in a clean environment, run to the end.
pub fn rclint(args: &[&str]) -> Output {
    Run::new(args).output()
}

/// What it wrote on stdout.
pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// What it wrote on stderr.
pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// stdout, then stderr.
pub fn both(out: &Output) -> String {
    stdout(out) + &stderr(out)
}

/// (code, subject, item) of every finding of `check -f json` on `snapshot`,
/// judged on `today`, in report order.
pub fn finding_identities(snapshot: &Path, today: &str) -> Vec<(String, String, String)> {
    let mut args = vec!["check", "-f", "json", "--today", today];
    let path = snapshot.to_string_lossy();
    args.push(&path);
    let out = rclint(&args);
    let report: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("JSON");
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            let text = |v: &serde_json::Value| v.as_str().unwrap_or_default().to_string();
            (
                text(&f["code"]),
                text(&f["subject"]["name"]),
                text(&f["item"]),
            )
        })
        .collect()
}

//! Small snapshots written for one case: the format spec's clean example,
//! and checking or running rclint on files written to a temporary folder.

use super::cli::{Run, both};
use rclint::policy::Outcome;
use rclint::snapshot::Snapshot;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Output;

/// The clean small example of the format spec.
pub const BASE: &str = r#"
[[application]]
name = "Vendor Risk"
restrict_build_access = true

[[application.workflow]]
name = "Assessment"
steps = ["Intake", "Review", "Closed"]

[[permission_set]]
name = "Risk Sync steps"
steps = { "Vendor Risk/Assessment/Intake" = "edit", "Vendor Risk/Assessment/Review" = "edit" }

[[role]]
name = "Integration: Risk Sync"
modules = ["RECORDS"]
applications = { "Vendor Risk" = "edit" }
permission_sets = ["Risk Sync steps"]

[[user]]
name = "svc-risk-sync"
service_account = true
api_access = true
roles = ["Integration: Risk Sync"]

[[integration]]
name = "Risk Sync"
account = "svc-risk-sync"
team = "GRC Engineering"
repository = "git.example.com/grc/risk-sync"
owner = "grc-oncall@example.com"
retry_on_401 = true

[[integration.intent]]
action = "create-records"
workflow = "Vendor Risk/Assessment"

[[integration.intent]]
action = "update-records"
steps = ["Vendor Risk/Assessment/Review"]
"#;

/// A finding's identity: code, subject kind, subject name, item.
pub type Identity = (String, String, String, Option<String>);

/// Writes `files` (path, bytes) under `dir`.
pub fn write(dir: &Path, files: &[(&str, &[u8])]) {
    for (name, bytes) in files {
        let path = dir.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(path, bytes).expect("write");
    }
}

/// Checks a snapshot made of `files`.
pub fn check(files: &[(&str, &[u8])]) -> (Outcome, Snapshot) {
    let dir = tempfile::tempdir().expect("temp dir");
    write(dir.path(), files);
    super::check(&[dir.path()])
}

/// The identities of the findings of a snapshot made of `files`.
pub fn ids(files: &[(&str, &[u8])]) -> Vec<Identity> {
    super::identities(&check(files).0)
}

/// The codes of `ids`.
pub fn codes(ids: &[Identity]) -> Vec<&str> {
    ids.iter().map(|i| i.0.as_str()).collect()
}

/// rclint with `args`, run in `cwd`.
pub fn rclint(args: &[&str], cwd: &Path) -> Output {
    Run::new(args).in_dir(cwd).output()
}

/// What a run wrote, stdout then stderr.
pub fn text(out: &Output) -> String {
    both(out)
}

/// Every directory under `fixtures/` that holds snapshot files itself.
pub fn fixture_dirs() -> Vec<PathBuf> {
    let mut dirs = BTreeSet::new();
    for entry in walkdir::WalkDir::new("fixtures").into_iter().flatten() {
        let name = entry.file_name().to_string_lossy();
        if entry.file_type().is_file()
            && name.ends_with(".toml")
            && name != "rclint.toml"
            && let Some(parent) = entry.path().parent()
        {
            dirs.insert(parent.to_path_buf());
        }
    }
    dirs.insert(PathBuf::from("fixtures/acme"));
    dirs.into_iter().collect()
}

/// Fails when two of `ids` are the same.
pub fn assert_unique(ids: &[Identity], what: &str) {
    let mut seen = BTreeSet::new();
    for id in ids {
        assert!(seen.insert(id), "{what}: two findings share {id:?}");
    }
}

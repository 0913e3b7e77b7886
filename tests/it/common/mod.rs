//! Helpers shared by the integration tests: run the pipeline on a fixture and
//! render it the way snapshot tests want it (no colour, width 80, no links).

#![allow(dead_code)]

pub mod cases;
pub mod cli;
pub mod http;
pub mod riskcloud;

use rclint::config::{self, Date};
use rclint::derive::AccountDerivation;
use rclint::policy::{Outcome, Policy};
use rclint::report::check::{ReportInput, human, json};
use rclint::snapshot::Snapshot;
use rclint::snapshot::{Discovered, LevelEntry, Loaded, discover, load_files};
use rclint::source::Located;
use std::path::{Path, PathBuf};

/// The day the tests judge waiver expiry on.
pub const TODAY: Date = jiff::civil::date(2026, 6, 1);

/// The outcome of checking `paths` with the default policy, or with the
/// `rclint.toml` of the first path when it has one; waivers judged on [`TODAY`].
pub fn check(paths: &[&Path]) -> (Outcome, Snapshot) {
    if let [dir] = paths
        && dir.join("old").is_dir()
        && dir.join("new").is_dir()
    {
        return drift(dir);
    }
    let paths: Vec<PathBuf> = paths.iter().map(|p| p.to_path_buf()).collect();
    let config = config::locate(None, &paths)
        .filter(|p| p.starts_with(&paths[0]))
        .map(|p| config::load(&p).expect("fixture config is valid"));
    let mut workspace = rclint::Workspace::with_config(&paths, config, TODAY, rclint::Depth::Rules)
        .expect("fixture loads");
    let outcome = workspace.check(Policy::default());
    (outcome, workspace.into_analysis().snapshot)
}

/// The drift findings (RC601, RC602) of a folder holding two snapshots,
/// `old/` and `new/`, located in the new one, as `rclint diff -f sarif`
/// reports them.
pub fn drift(dir: &Path) -> (Outcome, Snapshot) {
    let load = |side: &str| rclint::analyze(&[dir.join(side)], &|_| false).expect("fixture loads");
    let (old, new) = (load("old"), load("new"));
    let drift = rclint::drift::diff(&old, &new);
    let (sources, findings) = rclint::drift::findings(
        &old,
        &new,
        &drift,
        rclint::drift::Side::New,
        rclint::drift::SNAPSHOTS,
    );
    let outcome = Policy::default()
        .with_today(TODAY)
        .apply(findings, &sources);
    let mut snapshot = new.snapshot;
    snapshot.sources = sources;
    (outcome, snapshot)
}

/// Human output of `check`, deterministic.
pub fn human(path: &Path) -> String {
    let (outcome, snapshot) = check(&[path]);
    let input = ReportInput {
        outcome: &outcome,
        sources: &snapshot.sources,
    };
    human::render(
        &input,
        human::Style {
            color: false,
            width: 80,
        },
    )
}

/// JSON output of `check`.
pub fn json(path: &Path) -> String {
    let (outcome, snapshot) = check(&[path]);
    json::render(&ReportInput {
        outcome: &outcome,
        sources: &snapshot.sources,
    })
}

/// `(code, subject kind, subject name, item)` of every finding, sorted.
pub fn identities(outcome: &Outcome) -> Vec<(String, String, String, Option<String>)> {
    let mut ids: Vec<_> = outcome
        .diagnostics
        .iter()
        .map(|d| {
            let f = &d.finding;
            (
                f.rule.code.to_string(),
                f.subject.kind.as_str().to_string(),
                f.subject.name.clone(),
                f.item.clone(),
            )
        })
        .collect();
    ids.sort();
    ids
}

/// The rules a derived fragment must silence for its account.
pub const SILENCED: [&str; 9] = [
    "RC101", "RC102", "RC103", "RC104", "RC201", "RC202", "RC203", "RC204", "RC205",
];

/// The snapshot with `d`'s fragment in place of the account's grants: the
/// fragment file is loaded first, so its user, role and permission set are
/// the definitions that count (the snapshot's own are second definitions and
/// take part in nothing), and the Build Access changes are made on the
/// applications.
pub fn apply(snapshot_dir: &Path, d: &AccountDerivation, fragment: &str) -> Loaded {
    let dir = tempfile::tempdir().expect("temp dir");
    let fragment_path = dir.path().join("derived.toml");
    std::fs::write(&fragment_path, fragment).expect("write fragment");
    let mut files = vec![Discovered {
        path: fragment_path.clone(),
        display: "derived.toml".into(),
        unreadable: None,
    }];
    files.extend(discover(&[snapshot_dir.to_path_buf()], &|_| false).expect("snapshot loads"));
    let mut loaded = load_files(&files);
    assert!(
        loaded
            .findings
            .iter()
            .all(|f| !f.subject.name.ends_with("derived.toml")),
        "the fragment of {} is a valid snapshot file",
        d.account
    );
    let model = &mut loaded.snapshot.model;
    for app in &mut model.applications {
        app.build_access.retain(|e| e.target.value != d.account);
        let span = app.name.span;
        let name = app.name.value.to_string();
        if let Some(level) = d.fragment.build_access.get(&name) {
            app.build_access.push(LevelEntry {
                target: Located::new(d.account.as_str().into(), span),
                level: Located::new(*level, span),
            });
        }
        if d.fragment.build_access.contains_key(&name)
            || d.fragment.restrict_build_access.contains(&name)
        {
            app.restrict_build_access = Some(Located::new(true, span));
        }
    }
    let findings = loaded.snapshot.reindex();
    Loaded {
        snapshot: loaded.snapshot,
        findings,
    }
}

/// Copies a folder (files and subfolders) to `to`.
pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("walk");
        let target = to.join(entry.path().strip_prefix(from).expect("under"));
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// Every file under `dir`: relative path (with `/`) → bytes.
pub fn tree(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let name = e
                .path()
                .strip_prefix(dir)
                .expect("under")
                .to_string_lossy()
                .replace('\\', "/");
            (name, std::fs::read(e.path()).expect("read"))
        })
        .collect()
}

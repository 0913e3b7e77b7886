//! Helpers shared by the integration tests: run the pipeline on a fixture and
//! render it the way snapshot tests want it (no colour, width 80, no links).

#![allow(dead_code)]

use rclint::config::{self, Date};
use rclint::policy::{Outcome, Policy};
use rclint::report::{ReportInput, human, json};
use rclint::snapshot::Snapshot;
use std::path::{Path, PathBuf};

/// The day the tests judge waiver expiry on.
pub const TODAY: Date = Date {
    year: 2026,
    month: 6,
    day: 1,
};

/// The outcome of checking `paths` with the default policy, or with the
/// `rclint.toml` of the first path when it has one; waivers judged on [`TODAY`].
pub fn check(paths: &[&Path]) -> (Outcome, Snapshot) {
    let paths: Vec<PathBuf> = paths.iter().map(|p| p.to_path_buf()).collect();
    let config = config::locate(None, &paths)
        .filter(|p| p.starts_with(&paths[0]))
        .map(|p| config::load(&p).expect("fixture config is valid"));
    let policy = Policy::default().with_today(TODAY);
    let (outcome, analysis) =
        rclint::check(&paths, config.as_ref(), policy).expect("fixture loads");
    (outcome, analysis.snapshot)
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

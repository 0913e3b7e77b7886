//! Helpers shared by the integration tests: run the pipeline on a fixture and
//! render it the way snapshot tests want it (no colour, width 80, no links).

#![allow(dead_code)]

use rclint::policy::{Outcome, Policy};
use rclint::report::{ReportInput, human, json};
use rclint::snapshot::Snapshot;
use std::path::{Path, PathBuf};

/// The outcome of checking `paths` with the default policy.
pub fn check(paths: &[&Path]) -> (Outcome, Snapshot) {
    let paths: Vec<PathBuf> = paths.iter().map(|p| p.to_path_buf()).collect();
    let analysis = rclint::analyze(&paths, &|_| false).expect("fixture loads");
    let outcome = Policy::default().apply(analysis.findings, &analysis.snapshot.sources);
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

//! rclint: a least-privilege linter for the service accounts that integrations
//! use to call the Risk Cloud API.
//!
//! The data takes a one-way trip: [`snapshot`] loads the files into a typed
//! model with spans, [`graph`] builds the access graph and effective access,
//! [`rules`] turn them into [`finding::Finding`]s, [`policy`] applies
//! severities in one place, and [`report`] formats the result.

pub mod catalog;
pub mod cli;
pub mod commands;
pub mod compliance;
pub mod config;
pub mod derive;
pub mod drift;
pub mod finding;
pub mod graph;
pub mod intent;
pub mod policy;
pub mod report;
pub mod rules;
pub mod schema;
pub mod snapshot;
pub mod source;
pub mod suggest;
pub mod synth;
pub mod time;

use finding::Finding;
use graph::AccessGraph;
use snapshot::{LoadError, Snapshot};
use std::path::{Path, PathBuf};

/// A snapshot, its access graph, and every finding before policy.
#[derive(Debug)]
pub struct Analysis {
    /// The loaded snapshot.
    pub snapshot: Snapshot,
    /// The access graph built from it.
    pub graph: AccessGraph,
    /// Each user's minimal grant (model index), derived from declared intent.
    pub minimal: Vec<intent::MinimalGrant>,
    /// Each automation account's grants held against needed (model index):
    /// the one decision rules, `derive` and the report read.
    pub diffs: Vec<Vec<intent::GrantDiff>>,
    /// Loader findings followed by rule findings, unsorted.
    pub findings: Vec<Finding>,
}

/// Loads the snapshot under `paths` and runs every rule.
pub fn analyze(paths: &[PathBuf], excluded: &dyn Fn(&Path) -> bool) -> Result<Analysis, LoadError> {
    let loaded = snapshot::load(paths, excluded)?;
    Ok(analyze_loaded(loaded))
}

/// Runs every rule on an already loaded snapshot.
pub fn analyze_loaded(loaded: snapshot::Loaded) -> Analysis {
    let snapshot = loaded.snapshot;
    let graph = AccessGraph::build(&snapshot);
    let minimal = intent::minimal_grants(&snapshot, &graph);
    let diffs = intent::compare_all(&graph, &minimal);
    let mut findings = loaded.findings;
    findings.extend(intent::validate(&snapshot));
    findings.extend(rules::run(&rules::RuleContext {
        snapshot: &snapshot,
        graph: &graph,
        minimal: &minimal,
        diffs: &diffs,
    }));
    Analysis {
        snapshot,
        graph,
        minimal,
        diffs,
        findings,
    }
}

/// Loads the snapshot under `paths` without the files the config excludes,
/// runs every rule, and applies `policy` with the config's severities and
/// waivers: everything `rclint check` does before it formats.
pub fn check(
    paths: &[PathBuf],
    config: Option<&config::Config>,
    policy: policy::Policy,
) -> Result<(policy::Outcome, Analysis), LoadError> {
    let excluded = config::exclusion(config.map_or(&[][..], |c| &c.exclude));
    let mut analysis = analyze(paths, &excluded)?;
    let mut policy = policy;
    if let Some(c) = config {
        let file = analysis
            .snapshot
            .sources
            .add(source::SourceFile::new(c.path.clone(), c.text.clone()));
        policy = policy.with_config(c, file);
    }
    let findings = std::mem::take(&mut analysis.findings);
    let outcome = policy.apply(findings, &analysis.snapshot.sources);
    Ok((outcome, analysis))
}

/// An I/O error as a short lowercase phrase, without the "(os error N)" suffix.
pub fn io_message(e: &std::io::Error) -> String {
    let text = e.to_string();
    let text = text
        .find(" (os error")
        .map_or(text.as_str(), |i| &text[..i]);
    text.to_lowercase()
}

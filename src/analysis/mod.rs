//! The pipeline run end to end: load → graph → minimal grant and comparison
//! → rules, then policy. Everything `rclint check` does before it formats.

mod workspace;

pub use workspace::{Depth, OpenError, Workspace};

use crate::diagnostic::Finding;
use crate::graph::AccessGraph;
use crate::snapshot::{self, LoadError, Snapshot};
use crate::{minimal, rules};
use std::path::{Path, PathBuf};

/// A snapshot, its access graph, and every finding before policy.
#[derive(Debug)]
pub struct Analysis {
    /// The loaded snapshot.
    pub snapshot: Snapshot,
    /// The access graph built from it.
    pub graph: AccessGraph,
    /// Each user's minimal grant (model index), derived from declared intent.
    pub minimal: minimal::ByAccount<minimal::MinimalGrant>,
    /// Each automation account's grants held against needed (model index):
    /// the one decision rules, `derive` and the report read.
    pub diffs: minimal::ByAccount<Vec<minimal::GrantDiff>>,
    /// Loader findings followed by rule findings, unsorted.
    pub findings: Vec<Finding>,
    /// RC401–RC404 among them, counted before policy takes the findings.
    snapshot_problems: usize,
}

impl Analysis {
    /// How many snapshot problems the snapshot has (RC401–RC404: what does
    /// not read, resolve or exist), before policy: a problem is still one
    /// when its severity is lowered. Every command counts them this way.
    pub fn snapshot_problems(&self) -> usize {
        self.snapshot_problems
    }

    /// The integrations that run under user `u`, in model order.
    pub fn integrations_of(&self, u: usize) -> Vec<&crate::snapshot::Integration> {
        self.graph
            .integrations_of(u)
            .iter()
            .map(|&i| &self.snapshot.model.integrations[i])
            .collect()
    }
}

/// Loads the snapshot under `paths` and runs every rule with the default
/// settings (commands open a [`Workspace`], with the config's).
pub fn analyze(paths: &[PathBuf], excluded: &dyn Fn(&Path) -> bool) -> Result<Analysis, LoadError> {
    Ok(analyze_loaded(snapshot::load(paths, excluded)?))
}

/// Applies the attestations valid on the day `settings` judge on, before
/// anything reads the facts they supply.
fn attest(snapshot: &mut Snapshot, settings: &rules::Settings) {
    let today = jiff::tz::TimeZone::UTC.to_datetime(settings.now).date();
    snapshot::attest::apply(snapshot, today, settings.attestation_days);
}

/// RC401–RC404 among findings before policy.
fn count_snapshot_problems(findings: &[Finding]) -> usize {
    findings
        .iter()
        .filter(|f| f.rule.is_snapshot_problem())
        .count()
}

/// The snapshot and its access graph only, with the loader's findings
/// (RC401–RC405): no minimal grants, no rules. For questions about access
/// (`who-can`) that no rule's answer changes; the automation accounts'
/// access is not computed up front either.
pub fn access_only(loaded: snapshot::Loaded) -> Analysis {
    let mut snapshot = loaded.snapshot;
    attest(&mut snapshot, &rules::Settings::default());
    let graph = AccessGraph::build_without_access(&snapshot);
    let findings = loaded.findings;
    let snapshot_problems = count_snapshot_problems(&findings);
    Analysis {
        snapshot,
        graph,
        minimal: minimal::ByAccount::default(),
        diffs: minimal::ByAccount::default(),
        findings,
        snapshot_problems,
    }
}

/// Runs every rule on an already loaded snapshot.
pub fn analyze_loaded(loaded: snapshot::Loaded) -> Analysis {
    analyze_loaded_with(loaded, &rules::Settings::default())
}

/// Runs every rule on an already loaded snapshot, with `settings`.
pub fn analyze_loaded_with(loaded: snapshot::Loaded, settings: &rules::Settings) -> Analysis {
    let mut snapshot = loaded.snapshot;
    attest(&mut snapshot, settings);
    let graph = AccessGraph::build(&snapshot);
    let minimal = minimal::minimal_grants(&snapshot, &graph);
    let diffs = minimal::compare_all(&graph, &minimal);
    let mut findings = loaded.findings;
    findings.extend(rules::run(&rules::RuleContext::new(
        &snapshot, &graph, &minimal, &diffs, settings,
    )));
    let snapshot_problems = count_snapshot_problems(&findings);
    Analysis {
        snapshot,
        graph,
        minimal,
        diffs,
        findings,
        snapshot_problems,
    }
}

//! Access drift between two snapshots: every grant an automation account
//! holds in NEW at a higher level than in OLD (added), and the reverse
//! (removed). Modules that only ADMIN implies are represented by ADMIN.

use crate::analysis::Analysis;
use crate::diagnostic::Hop;
use crate::graph::{EffectiveAccess, Grant, GrantPath};
use crate::snapshot::Level;
use std::collections::BTreeMap;

/// One grant that changed.
#[derive(Debug, Clone)]
pub struct Change {
    /// The account.
    pub account: String,
    /// The grant.
    pub grant: Grant,
    /// Level in OLD (None: not held).
    pub before: Option<Level>,
    /// Level in NEW (None: not held).
    pub after: Option<Level>,
    /// The paths that give it, in NEW for an addition, in OLD for a removal.
    pub paths: Vec<Vec<Hop>>,
}

/// What changed between two snapshots.
#[derive(Debug, Default)]
pub struct Drift {
    /// Grants added or raised.
    pub added: Vec<Change>,
    /// Grants removed or lowered.
    pub removed: Vec<Change>,
    /// Snapshot problems (RC401–RC404) of OLD: the comparison cannot be
    /// trusted while there are any.
    pub old_problems: Vec<Problem>,
    /// Snapshot problems (RC401–RC404) of NEW.
    pub new_problems: Vec<Problem>,
}

/// A snapshot problem that makes a comparison incomplete: a file that does
/// not read, a reference that does not resolve, a name defined twice. (A
/// syntax error in NEW would otherwise read as "access removed".)
#[derive(Debug, Clone)]
pub struct Problem {
    /// `RC401`, `RC402`, `RC403`.
    pub code: &'static str,
    /// `path:line:column`.
    pub location: String,
    /// The finding's message.
    pub message: String,
}

/// The RC401–RC404 findings of an analysis, located, in location order.
fn problems(analysis: &Analysis) -> Vec<Problem> {
    let sources = &analysis.snapshot.sources;
    let mut found: Vec<Problem> = analysis
        .findings
        .iter()
        .filter(|f| crate::snapshot::integrity::is_snapshot_problem(f.rule.code))
        .map(|f| {
            let pos = sources.position(f.primary.span);
            Problem {
                code: f.rule.code,
                location: format!(
                    "{}:{}:{}",
                    sources.get(f.primary.span.file).path,
                    pos.line,
                    pos.column
                ),
                message: f.message.clone(),
            }
        })
        .collect();
    found.sort_by(|a, b| (&a.location, a.code).cmp(&(&b.location, b.code)));
    found
}

impl Drift {
    /// Whether either snapshot has problems that make the comparison
    /// incomplete.
    pub fn incomplete(&self) -> bool {
        !self.old_problems.is_empty() || !self.new_problems.is_empty()
    }
}

/// Highest level per grant over the paths that are not ADMIN's implications,
/// with the paths that give it.
fn levels(access: &EffectiveAccess) -> BTreeMap<&Grant, (Level, Vec<&GrantPath>)> {
    access
        .grants
        .iter()
        .filter_map(|(grant, paths)| {
            let explicit: Vec<_> = paths.iter().filter(|p| !p.via_admin).collect();
            let level = explicit.iter().map(|p| p.level).max()?;
            let hops = explicit
                .iter()
                .filter(|p| p.level == level)
                .copied()
                .collect();
            Some((grant, (level, hops)))
        })
        .collect()
}

/// The automation accounts of an analysis, by name, with their access.
fn accounts(analysis: &Analysis) -> BTreeMap<&str, &EffectiveAccess> {
    let snapshot = &analysis.snapshot;
    snapshot
        .model
        .users
        .iter()
        .enumerate()
        .filter(|(u, _)| analysis.graph.is_automation(snapshot, *u))
        .map(|(u, user)| (user.name.value.as_str(), analysis.graph.access(u)))
        .collect()
}

/// The paths as traces, rendered from the snapshot they belong to.
fn render(analysis: &Analysis, paths: &[&GrantPath]) -> Vec<Vec<Hop>> {
    paths
        .iter()
        .map(|p| analysis.graph.render(&analysis.snapshot, p))
        .collect()
}

/// Compares the automation accounts of OLD and NEW.
pub fn diff(old: &Analysis, new: &Analysis) -> Drift {
    let empty = EffectiveAccess::default();
    let (old_accounts, new_accounts) = (accounts(old), accounts(new));
    let mut names: Vec<&str> = old_accounts
        .keys()
        .chain(new_accounts.keys())
        .copied()
        .collect();
    names.sort();
    names.dedup();
    let mut drift = Drift {
        old_problems: problems(old),
        new_problems: problems(new),
        ..Drift::default()
    };
    for name in names {
        let before = levels(old_accounts.get(name).copied().unwrap_or(&empty));
        let after = levels(new_accounts.get(name).copied().unwrap_or(&empty));
        for (grant, (level, paths)) in &after {
            let was = before.get(grant).map(|(l, _)| *l);
            if was < Some(*level) {
                drift.added.push(Change {
                    account: name.to_string(),
                    grant: (*grant).clone(),
                    before: was,
                    after: Some(*level),
                    paths: render(new, paths),
                });
            }
        }
        for (grant, (level, paths)) in &before {
            let now = after.get(grant).map(|(l, _)| *l);
            if now < Some(*level) {
                drift.removed.push(Change {
                    account: name.to_string(),
                    grant: (*grant).clone(),
                    before: Some(*level),
                    after: now,
                    paths: render(old, paths),
                });
            }
        }
    }
    drift
}

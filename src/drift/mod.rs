//! Access drift between two snapshots: every grant an automation account
//! holds in NEW at a higher level than in OLD (added), and the reverse
//! (removed). Modules that only ADMIN implies are represented by ADMIN.

pub mod tenant;

use crate::analysis::Analysis;
use crate::diagnostic::{Finding, Hop, Label, Subject, SubjectKind};
use crate::graph::{EffectiveAccess, Grant, GrantPath};
use crate::snapshot::Level;
use crate::source::Span;
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
    pub old_problems: Vec<SnapshotProblem>,
    /// Snapshot problems (RC401–RC404) of NEW.
    pub new_problems: Vec<SnapshotProblem>,
}

/// A snapshot problem that makes a comparison incomplete: a file that does
/// not read, a reference that does not resolve, a name defined twice. (A
/// syntax error in NEW would otherwise read as "access removed".)
#[derive(Debug, Clone)]
pub struct SnapshotProblem {
    /// `RC401`, `RC402`, `RC403`.
    pub code: &'static str,
    /// `path:line:column`.
    pub location: String,
    /// The finding's message.
    pub message: String,
}

/// The RC401–RC404 findings of an analysis, located, in location order.
fn problems(analysis: &Analysis) -> Vec<SnapshotProblem> {
    let sources = &analysis.snapshot.sources;
    let mut found: Vec<SnapshotProblem> = analysis
        .findings
        .iter()
        .filter(|f| f.rule.is_snapshot_problem())
        .map(|f| {
            let pos = sources.position(f.primary.span);
            SnapshotProblem {
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

/// Which snapshot the drift findings are located in: the one in the
/// repository (`pull --check`, `diff SNAPSHOT EXPORT`: OLD), or the proposed
/// one (`diff OLD NEW`: NEW).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The reference state.
    Old,
    /// The compared state.
    New,
}

/// How the findings name the two states: "the repository" and "the
/// tenant", or "the old snapshot" and "the new snapshot".
#[derive(Debug, Clone, Copy)]
pub struct StateNames {
    /// The reference state.
    pub old: &'static str,
    /// The compared state.
    pub new: &'static str,
}

/// The names of the two states when the compared one is the tenant.
pub const TENANT: StateNames = StateNames {
    old: "the repository",
    new: "the tenant",
};

/// The names of the two states when both are snapshots.
pub const SNAPSHOTS: StateNames = StateNames {
    old: "the old snapshot",
    new: "the new snapshot",
};

/// The drift between two states, judged: every difference a finding, with
/// the reference config's severities (`RC602 = "error"` makes lost access
/// fail the run too).
pub struct Judged {
    /// What changed.
    pub drift: Drift,
    /// The files the findings are located in.
    pub sources: crate::source::Sources,
    /// The findings, with severities applied.
    pub outcome: crate::policy::Outcome,
}

impl Judged {
    /// 1 when a finding is an error (RC601 by default) or the comparison is
    /// incomplete (never a false green), else 0.
    pub fn exit_code(&self) -> u8 {
        u8::from(self.drift.incomplete() || self.outcome.has_errors())
    }
}

/// Compares `new` with `old`, located at `at`'s files, and judges it.
pub fn judge(
    old: &Analysis,
    new: &Analysis,
    at: Side,
    names: StateNames,
    config: Option<&crate::config::Config>,
) -> Judged {
    let drift = diff(old, new);
    let (sources, findings) = self::findings(old, new, &drift, at, names);
    let mut policy = crate::policy::Policy::default();
    if let Some(c) = config {
        policy = policy.with_severities(c);
    }
    let outcome = policy.apply(findings, &sources);
    Judged {
        drift,
        sources,
        outcome,
    }
}

/// The drift as findings (RC601, RC602), with the snapshot problems of both
/// states, all located in one set of sources: `at`'s files, then the other
/// state's files that `at` does not have under the same path.
pub fn findings(
    old: &Analysis,
    new: &Analysis,
    drift: &Drift,
    at: Side,
    names: StateNames,
) -> (crate::source::Sources, Vec<Finding>) {
    let (here, there) = match at {
        Side::Old => (old, new),
        Side::New => (new, old),
    };
    let mut sources = here.snapshot.sources.clone();
    // The other state's files, by their id there → their id here.
    let by_path: std::collections::HashMap<&str, (crate::source::FileId, &str)> = here
        .snapshot
        .sources
        .iter()
        .map(|(id, f)| (f.path.as_str(), (id, f.text.as_str())))
        .collect();
    let mut moved = Vec::new();
    for (_, file) in there.snapshot.sources.iter() {
        let same = by_path
            .get(file.path.as_str())
            .filter(|(_, text)| *text == file.text)
            .map(|(id, _)| *id);
        moved.push(same.unwrap_or_else(|| sources.add(file.clone())));
    }
    let relocate = |span: Span| {
        let file = moved
            .get(span.file.0 as usize)
            .copied()
            .unwrap_or(span.file);
        Span::new(file, span.range())
    };
    let mut found = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for (analysis, mine) in [(here, true), (there, false)] {
        for f in &analysis.findings {
            if !f.rule.is_snapshot_problem() {
                continue;
            }
            let f = if mine {
                f.clone()
            } else {
                relocated(f, &relocate)
            };
            let key = (
                f.rule.code,
                f.subject.name.clone(),
                f.item.clone(),
                f.primary.span,
            );
            if seen.insert(key) {
                found.push(f);
            }
        }
    }
    for (change, added) in drift
        .added
        .iter()
        .map(|c| (c, true))
        .chain(drift.removed.iter().map(|c| (c, false)))
    {
        // The paths were rendered from NEW for an addition, OLD for a removal.
        let from_here = added == (at == Side::New);
        let trace: Vec<Hop> = change.paths.first().cloned().unwrap_or_default();
        let trace: Vec<Hop> = if from_here {
            trace
        } else {
            trace
                .into_iter()
                .map(|h| Hop {
                    span: h.span.map(relocate),
                    ..h
                })
                .collect()
        };
        let primary = account_label(here, &change.account)
            .or_else(|| {
                account_label(there, &change.account)
                    .map(|l| Label::new(relocate(l.span), l.message))
            })
            .unwrap_or_else(|| Label::new(Span::new(crate::source::FileId(0), 0..0), "here"));
        found.push(change_finding(change, added, primary, trace, names));
    }
    (sources, found)
}

/// A finding of the other state, with its spans moved into these sources.
fn relocated(f: &Finding, relocate: &dyn Fn(Span) -> Span) -> Finding {
    let mut f = f.clone();
    f.primary.span = relocate(f.primary.span);
    for l in &mut f.related {
        l.span = relocate(l.span);
    }
    for h in &mut f.trace {
        h.span = h.span.map(relocate);
    }
    f
}

/// Where an account is defined in a snapshot, else the first integration
/// that names it.
fn account_label(analysis: &Analysis, account: &str) -> Option<Label> {
    let snapshot = &analysis.snapshot;
    if let Some(u) = snapshot.user_named(account) {
        return Some(Label::new(
            snapshot.model.users[u].name.span,
            "this account",
        ));
    }
    snapshot
        .model
        .integrations
        .iter()
        .find(|i| i.account.value == account)
        .map(|i| Label::new(i.account.span, "uses this account"))
}

fn change_finding(
    change: &Change,
    added: bool,
    primary: Label,
    trace: Vec<Hop>,
    names: StateNames,
) -> Finding {
    use crate::rules::drift::{ACCESS_ADDED, ACCESS_REMOVED};
    use crate::rules::least_privilege::describe;
    // The state that holds the grant (at `level`) and the one that holds
    // less (`other`): NEW and OLD for an addition, OLD and NEW for a removal.
    let (rule, holder, level, lesser, other, help) = if added {
        let help = format!(
            "remove the grant in {}, or bring it into {} and have it reviewed",
            names.new, names.old
        );
        (
            &ACCESS_ADDED,
            names.new,
            change.after,
            names.old,
            change.before,
            help,
        )
    } else {
        let help = format!(
            "restore the grant in {}, or remove it from {} too",
            names.new, names.old
        );
        (
            &ACCESS_REMOVED,
            names.old,
            change.before,
            names.new,
            change.after,
            help,
        )
    };
    let less = match other {
        Some(l) => format!("{lesser} gives {l} only"),
        None => format!("{lesser} does not give it"),
    };
    let message = format!(
        "automation account '{}' holds {} in {holder}; {less}",
        change.account,
        describe(&change.grant, level.unwrap_or(Level::Read)),
    );
    let mut finding = Finding::new(
        rule,
        Subject::new(SubjectKind::User, &change.account),
        primary,
        message,
        help,
    )
    .with_item(change.grant.to_string());
    finding.trace = trace;
    finding
}

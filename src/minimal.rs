//! The minimal grant every account derives from its integrations' declared
//! intents (the intent catalog, `catalog::IntentCatalog`, says what each
//! action needs), and held against needed, decided once ([`compare`]).

use crate::catalog::{IntentCatalog, StepTarget};
use crate::graph::{AccessGraph, EffectiveAccess, Grant, GrantPath};
use crate::snapshot::{Intent, Level, Snapshot, step_path};
use std::collections::BTreeMap;

/// Which intent of which integration needs a grant (model indices).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Need {
    /// Index into `Model::integrations`.
    pub integration: usize,
    /// Index into that integration's intents.
    pub intent: usize,
}

/// A grant of the minimal grant: the level needed and who needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Required {
    /// The highest level any intent needs.
    pub level: Level,
    /// Every intent that needs it, in model order.
    pub needs: Vec<Need>,
}

/// What an account minimally needs: the union over its integrations' intents.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MinimalGrant {
    /// Grant → level and the intents behind it.
    pub grants: BTreeMap<Grant, Required>,
}

impl MinimalGrant {
    /// The level needed, if the grant is needed at all.
    pub fn level(&self, grant: &Grant) -> Option<Level> {
        self.grants.get(grant).map(|r| r.level)
    }

    fn add(&mut self, grant: Grant, level: Level, need: Need) {
        // Most grants are needed by one intent: room for one, not four.
        let entry = self.grants.entry(grant).or_insert_with(|| Required {
            level,
            needs: Vec::with_capacity(1),
        });
        entry.level = entry.level.max(level);
        if !entry.needs.contains(&need) {
            entry.needs.push(need);
        }
    }
}

/// One value per automation account, found by model index; every other
/// user reads the empty value. A tenant has a hundred times more people
/// than accounts, and a list by user would hold an empty value for each.
#[derive(Debug, Clone, Default)]
pub struct ByAccount<T> {
    /// The accounts (model indices, ascending), each with its value.
    accounts: Vec<(usize, T)>,
    /// What every other user reads.
    empty: T,
}

impl<T: Default + Send> ByAccount<T> {
    /// The value of each of `accounts` (model indices, ascending), the
    /// accounts shared among every core.
    fn of(accounts: &[usize], value: impl Fn(usize) -> T + Sync) -> ByAccount<T> {
        use rayon::prelude::*;
        ByAccount {
            accounts: accounts.par_iter().map(|&u| (u, value(u))).collect(),
            empty: T::default(),
        }
    }
}

impl<T> ByAccount<T> {
    /// The value of user `u`: its own if it is an account, else empty.
    pub fn get(&self, u: usize) -> &T {
        self.accounts
            .binary_search_by_key(&u, |(v, _)| *v)
            .map_or(&self.empty, |at| &self.accounts[at].1)
    }
}

impl<T> std::ops::Index<usize> for ByAccount<T> {
    type Output = T;

    fn index(&self, u: usize) -> &T {
        self.get(u)
    }
}

/// One grant where what an account holds and what its intents need differ.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GrantDiff {
    /// The grant.
    pub grant: Grant,
    /// For a missing grant, the level held through any path (ADMIN's
    /// implications included), if any; for an excess grant, the highest
    /// level held other than through ADMIN's implications.
    pub held: Option<Level>,
    /// The level the minimal grant needs, if any.
    pub needed: Option<Level>,
}

impl GrantDiff {
    /// Needed at a level the account does not reach (RC201).
    pub fn is_missing(&self) -> bool {
        self.needed > self.held
    }

    /// Held beyond the need (RC202–RC205 report it, by kind of grant).
    pub fn is_excess(&self) -> bool {
        self.held > self.needed
    }
}

/// Held against needed, decided once: every grant the minimal grant needs
/// at a level the account does not reach, and every grant the account holds
/// (not only through ADMIN's implications) beyond what it needs, in grant
/// order. Rules, `derive` and the compliance report all read this. Both
/// sides are in grant order, so they are walked side by side.
pub fn compare(access: &EffectiveAccess, minimal: &MinimalGrant) -> Vec<GrantDiff> {
    use std::cmp::Ordering;
    let mut diffs = Vec::new();
    let mut held = access.iter().peekable();
    let mut needed = minimal.grants.iter().peekable();
    loop {
        let order = match (held.peek(), needed.peek()) {
            (None, None) => break,
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (Some((h, _)), Some((n, _))) => h.cmp(n),
        };
        let (held_here, needed_here) = match order {
            Ordering::Less => (held.next(), None),
            Ordering::Greater => (None, needed.next()),
            Ordering::Equal => (held.next(), needed.next()),
        };
        let grant = held_here.map(|(g, _)| g).or(needed_here.map(|(g, _)| g));
        let paths = held_here.map_or(&[][..], |(_, paths)| paths);
        let diff = grant.and_then(|g| difference(g, paths, needed_here.map(|(_, r)| r)));
        diffs.extend(diff);
    }
    diffs
}

/// How one grant differs, given the paths that give it (none when it is
/// not held) and what the minimal grant requires of it (if anything): a
/// missing grant (needed above the level held through any path) or an
/// excess one (held other than through ADMIN's implications above the
/// level needed). A grant cannot be both: the level held through any path
/// is at least the one held without ADMIN.
fn difference(
    grant: &Grant,
    paths: &[GrantPath],
    required: Option<&Required>,
) -> Option<GrantDiff> {
    let needed = required.map(|r| r.level);
    let held = paths.iter().map(|p| p.level).max();
    if needed.is_some() && held < needed {
        return Some(GrantDiff {
            grant: grant.clone(),
            held,
            needed,
        });
    }
    let explicit = paths.iter().filter(|p| !p.via_admin).map(|p| p.level).max();
    (explicit.is_some() && explicit > needed).then(|| GrantDiff {
        grant: grant.clone(),
        held: explicit,
        needed,
    })
}

/// [`compare`] for every automation account (by model index); empty for
/// every other user.
pub fn compare_all(
    graph: &AccessGraph,
    minimal: &ByAccount<MinimalGrant>,
) -> ByAccount<Vec<GrantDiff>> {
    ByAccount::of(graph.automation(), |u| {
        compare(graph.access(u), &minimal[u])
    })
}

/// The grants one intent needs, with levels. Unknown actions, references
/// that do not resolve and keys the action does not use (all reported
/// elsewhere) contribute nothing.
pub fn intent_needs(snapshot: &Snapshot, intent: &Intent) -> Vec<(Grant, Level)> {
    let Some(action) = IntentCatalog::get().action(&intent.action.value) else {
        return Vec::new();
    };
    let model = &snapshot.model;
    let index = &snapshot.index;
    let uses = |key: &str| action.uses.iter().any(|u| u == key);
    let mut out = Vec::new();
    let admin_data = uses("admin_data") && intent.admin_data.as_ref().is_some_and(|a| a.value);
    let modules = action
        .modules
        .iter()
        .chain(action.admin_data_modules.iter().filter(|_| admin_data));
    out.extend(modules.map(|m| (Grant::Module(m.clone()), Level::Edit)));
    let workflow = intent
        .workflow
        .as_ref()
        .filter(|_| uses("workflow"))
        .and_then(|w| index.workflows.get(&w.value))
        .map(|&(a, w)| {
            (
                a,
                &model.applications[a],
                &model.applications[a].workflows[w],
            )
        });
    let named_steps = intent.steps.iter().flatten().filter(|_| uses("steps"));
    let report = intent.report.as_ref().filter(|_| uses("report"));
    let named_applications = intent
        .applications
        .iter()
        .flatten()
        .filter(|_| uses("applications"));
    let mut steps: Vec<String> = Vec::new();
    match action.steps {
        StepTarget::Named => {
            if let Some((_, app, wf)) = workflow {
                for s in &wf.steps {
                    steps.push(step_path(&app.name.value, &wf.name.value, &s.value));
                }
            }
            for s in named_steps {
                steps.push(s.value.to_string());
            }
        }
        StepTarget::Origin => {
            if let Some((_, app, wf)) = workflow {
                let origin = wf.origin.as_ref().or(wf.steps.first());
                if let Some(o) = origin {
                    steps.push(step_path(&app.name.value, &wf.name.value, &o.value));
                }
            }
        }
        StepTarget::Report => {
            let report = report.and_then(|r| snapshot.report_named(&r.value));
            if let Some(r) = report {
                steps.extend(model.reports[r].steps.iter().map(|s| s.value.to_string()));
            }
        }
        StepTarget::None => {}
    }
    // Steps that exist, and the applications (model indices) they and
    // the named workflow and applications lie in, each once.
    let mut applications: Vec<usize> = Vec::new();
    steps.retain(|s| {
        let at = index.steps.get(&model.applications, s);
        applications.extend(at.map(|at| at.application));
        at.is_some()
    });
    applications.extend(workflow.map(|(a, _, _)| a));
    let named: Vec<usize> = named_applications
        .filter_map(|a| snapshot.application_named(&a.value))
        .collect();
    applications.extend(&named);
    applications.sort_unstable();
    applications.dedup();
    let app_name = |a: usize| model.applications[a].name.value.to_string();
    if let Some(level) = action.application.level() {
        out.extend(
            applications
                .into_iter()
                .map(|a| (Grant::Application(app_name(a)), level)),
        );
    }
    if let Some(level) = action.step_level.level() {
        out.extend(steps.into_iter().map(|s| (Grant::Step(s), level)));
    }
    if let Some(level) = action.build.level() {
        out.extend(
            named
                .into_iter()
                .map(|a| (Grant::Build(app_name(a)), level)),
        );
    }
    out
}

/// The minimal grant of every user (by model index); empty for a user no
/// integration uses.
pub fn minimal_grants(snapshot: &Snapshot, graph: &AccessGraph) -> ByAccount<MinimalGrant> {
    // Every user an integration names is an automation account.
    ByAccount::of(graph.automation(), |u| {
        let mut minimal = MinimalGrant::default();
        for &i in graph.integrations_of(u) {
            for (t, intent) in snapshot.model.integrations[i].intents.iter().enumerate() {
                for (grant, level) in intent_needs(snapshot, intent) {
                    let need = Need {
                        integration: i,
                        intent: t,
                    };
                    minimal.add(grant, level, need);
                }
            }
        }
        minimal
    })
}

/// Whether every intent of an integration only reads.
pub fn is_read_only(intents: &[Intent]) -> bool {
    let catalog = IntentCatalog::get();
    intents
        .iter()
        .all(|t| catalog.action(&t.action.value).is_some_and(|a| !a.writes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn by_account_answers_each_account_and_empty_for_everyone_else() {
        let values = ByAccount::of(&[2, 5, 9], |u| vec![u * 10]);
        assert_eq!(values[2], [20]);
        assert_eq!(values[5], [50]);
        assert_eq!(values[9], [90]);
        for person in [0, 3, 6, 10, usize::MAX] {
            assert!(values[person].is_empty(), "user {person}");
        }
        assert!(ByAccount::<Vec<usize>>::default()[0].is_empty());
    }
}

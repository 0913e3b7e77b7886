//! The intent catalog (`rules/intents.toml`) and the minimal grant it derives
//! for every account from its integrations' declared intents.

use crate::finding::{Finding, Label, Subject, SubjectKind};
use crate::graph::{AccessGraph, EffectiveAccess, Grant};
use crate::rules::integrity::INVALID_SNAPSHOT;
use crate::snapshot::{Intent, Level, Snapshot};
use crate::source::Span;
use crate::suggest;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::LazyLock;

/// A level an action needs, or none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Access {
    /// Not needed.
    None,
    /// Read.
    Read,
    /// Edit.
    Edit,
}

impl Access {
    /// The level, if any is needed.
    pub fn level(self) -> Option<Level> {
        match self {
            Access::None => None,
            Access::Read => Some(Level::Read),
            Access::Edit => Some(Level::Edit),
        }
    }
}

/// Which steps an action needs access to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StepTarget {
    /// The intent's `steps`, and every step of its `workflow`.
    Named,
    /// The Origin Step of the intent's `workflow`.
    Origin,
    /// Every step the intent's `report` references.
    Report,
    /// No step access.
    None,
}

/// One action of the intent catalog.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Action {
    /// `read-records`, ...
    pub name: String,
    /// Intent keys the action reads.
    pub uses: Vec<String>,
    /// At least one of these keys must be written.
    pub requires_one_of: Vec<String>,
    /// Modules it needs.
    pub modules: Vec<String>,
    /// Further modules when `admin_data = true`.
    #[serde(default)]
    pub admin_data_modules: Vec<String>,
    /// Application Entitlement it needs.
    pub application: Access,
    /// Which steps need access.
    pub steps: StepTarget,
    /// The access those steps need.
    pub step_level: Access,
    /// Build Access on each application the intent names.
    pub build: Access,
    /// Whether it changes data.
    pub writes: bool,
}

/// The intent catalog.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IntentCatalog {
    /// The catalog's version, shown in reports.
    pub version: String,
    /// Every action.
    #[serde(rename = "action")]
    pub actions: Vec<Action>,
}

const INTENTS_TOML: &str = include_str!("../rules/intents.toml");

static INTENTS: LazyLock<IntentCatalog> = LazyLock::new(|| {
    // Compiled in and checked by the tests below; it cannot differ at run time.
    toml::from_str(INTENTS_TOML).expect("rules/intents.toml is valid (see the intent tests)")
});

impl IntentCatalog {
    /// The embedded catalog.
    pub fn get() -> &'static IntentCatalog {
        &INTENTS
    }

    /// The action of this name.
    pub fn action(&self, name: &str) -> Option<&Action> {
        self.actions.iter().find(|a| a.name == name)
    }
}

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
        let entry = self.grants.entry(grant).or_insert(Required {
            level,
            needs: Vec::new(),
        });
        entry.level = entry.level.max(level);
        if !entry.needs.contains(&need) {
            entry.needs.push(need);
        }
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
/// order. Rules, `derive` and the compliance report all read this.
pub fn compare(access: &EffectiveAccess, minimal: &MinimalGrant) -> Vec<GrantDiff> {
    let mut diffs = Vec::new();
    for (grant, required) in &minimal.grants {
        let held = access.level(grant);
        if held < Some(required.level) {
            diffs.push(GrantDiff {
                grant: grant.clone(),
                held,
                needed: Some(required.level),
            });
        }
    }
    for (grant, paths) in &access.grants {
        let explicit = paths.iter().filter(|p| !p.via_admin).map(|p| p.level).max();
        let needed = minimal.level(grant);
        if explicit.is_some() && explicit > needed {
            diffs.push(GrantDiff {
                grant: grant.clone(),
                held: explicit,
                needed,
            });
        }
    }
    diffs.sort_by(|a, b| a.grant.cmp(&b.grant));
    diffs
}

/// [`compare`] for every automation account (by model index); empty for
/// every other user.
pub fn compare_all(graph: &AccessGraph, minimal: &[MinimalGrant]) -> Vec<Vec<GrantDiff>> {
    let mut diffs = vec![Vec::new(); minimal.len()];
    for &u in &graph.automation {
        diffs[u] = compare(&graph.access[u], &minimal[u]);
    }
    diffs
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
    let mut modules = action.modules.clone();
    if uses("admin_data") && intent.admin_data.as_ref().is_some_and(|a| a.value) {
        modules.extend(action.admin_data_modules.iter().cloned());
    }
    out.extend(modules.into_iter().map(|m| (Grant::Module(m), Level::Edit)));
    let workflow = intent
        .workflow
        .as_ref()
        .filter(|_| uses("workflow"))
        .and_then(|w| index.workflows.get(&w.value))
        .map(|&(a, w)| (&model.applications[a], &model.applications[a].workflows[w]));
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
            if let Some((app, wf)) = workflow {
                for s in &wf.steps {
                    steps.push(format!("{}/{}/{}", app.name.value, wf.name.value, s.value));
                }
            }
            for s in named_steps {
                steps.push(s.value.clone());
            }
        }
        StepTarget::Origin => {
            if let Some((app, wf)) = workflow {
                let origin = wf.origin.as_ref().or(wf.steps.first());
                if let Some(o) = origin {
                    steps.push(format!("{}/{}/{}", app.name.value, wf.name.value, o.value));
                }
            }
        }
        StepTarget::Report => {
            let report = report.and_then(|r| index.reports.get(&r.value));
            if let Some(&r) = report {
                steps.extend(model.reports[r].steps.iter().map(|s| s.value.clone()));
            }
        }
        StepTarget::None => {}
    }
    steps.retain(|s| index.steps.contains_key(s));
    let mut applications: Vec<String> = steps
        .iter()
        .filter_map(|s| index.steps.get(s))
        .map(|at| model.applications[at.application].name.value.clone())
        .collect();
    if let Some((app, _)) = workflow {
        applications.push(app.name.value.clone());
    }
    let named: Vec<String> = named_applications
        .filter(|a| index.applications.contains_key(&a.value))
        .map(|a| a.value.clone())
        .collect();
    applications.extend(named.iter().cloned());
    if let Some(level) = action.application.level() {
        out.extend(
            applications
                .into_iter()
                .map(|a| (Grant::Application(a), level)),
        );
    }
    if let Some(level) = action.step_level.level() {
        out.extend(steps.into_iter().map(|s| (Grant::Step(s), level)));
    }
    if let Some(level) = action.build.level() {
        out.extend(named.into_iter().map(|a| (Grant::Build(a), level)));
    }
    out
}

/// The minimal grant of every user (by model index); empty for a user no
/// integration uses.
pub fn minimal_grants(snapshot: &Snapshot, graph: &AccessGraph) -> Vec<MinimalGrant> {
    graph
        .integrations_of
        .iter()
        .map(|integrations| {
            let mut minimal = MinimalGrant::default();
            for &i in integrations {
                for (t, intent) in snapshot.model.integrations[i].intents.iter().enumerate() {
                    for (grant, level) in intent_needs(snapshot, intent) {
                        minimal.add(
                            grant,
                            level,
                            Need {
                                integration: i,
                                intent: t,
                            },
                        );
                    }
                }
            }
            minimal
        })
        .collect()
}

/// Whether every intent of an integration only reads.
pub fn is_read_only(intents: &[Intent]) -> bool {
    let catalog = IntentCatalog::get();
    intents
        .iter()
        .all(|t| catalog.action(&t.action.value).is_some_and(|a| !a.writes))
}

/// A key an intent has written: its name, where, and whether it is an
/// empty list.
struct WrittenKey {
    key: &'static str,
    span: Span,
    empty: bool,
}

/// The keys an intent has written.
fn written_keys(intent: &Intent) -> Vec<WrittenKey> {
    let mut keys = Vec::new();
    let mut push = |key, span, empty| keys.push(WrittenKey { key, span, empty });
    if let Some(w) = &intent.workflow {
        push("workflow", w.span, false);
    }
    if let Some(s) = &intent.steps {
        push(
            "steps",
            s.first().map_or(intent.span, |s| s.span),
            s.is_empty(),
        );
    }
    if let Some(r) = &intent.report {
        push("report", r.span, false);
    }
    if let Some(a) = &intent.applications {
        let span = a.first().map_or(intent.span, |a| a.span);
        push("applications", span, a.is_empty());
    }
    if let Some(a) = &intent.admin_data {
        push("admin_data", a.span, false);
    }
    keys
}

/// RC401 for every intent whose action is unknown, that writes a key its
/// action does not use, or that lacks the keys its action needs.
pub fn validate(snapshot: &Snapshot) -> Vec<Finding> {
    let catalog = IntentCatalog::get();
    let mut findings = Vec::new();
    for integration in &snapshot.model.integrations {
        for intent in &integration.intents {
            let path = &snapshot.sources.get(intent.span.file).path;
            let invalid = |key: &str, span: Span, label: &str, message: String, help: String| {
                Finding::new(
                    &INVALID_SNAPSHOT,
                    Subject::new(SubjectKind::File, path),
                    Label::new(span, label),
                    message,
                    help,
                )
                .with_item(format!("{}.{key}", intent.key_path))
            };
            let Some(action) = catalog.action(&intent.action.value) else {
                let names = catalog.actions.iter().map(|a| a.name.as_str());
                let help = match suggest::closest(&intent.action.value, names) {
                    Some(c) => format!("did you mean '{c}'?"),
                    None => format!(
                        "known actions: {}",
                        catalog
                            .actions
                            .iter()
                            .map(|a| a.name.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                };
                findings.push(invalid(
                    "action",
                    intent.action.span,
                    "not in the intent catalog",
                    format!("unknown action '{}'", intent.action.value),
                    help,
                ));
                continue;
            };
            let written = written_keys(intent);
            for w in &written {
                let key = w.key;
                if !action.uses.iter().any(|u| u == key) {
                    findings.push(invalid(
                        key,
                        w.span,
                        "not used by this action",
                        format!(
                            "action '{}' does not use '{key}'; it is ignored for the minimal grant",
                            action.name
                        ),
                        format!(
                            "remove '{key}'; '{}' reads {}",
                            action.name,
                            action.uses.join(", ")
                        ),
                    ));
                } else if w.empty && action.requires_one_of.iter().any(|r| r == key) {
                    findings.push(invalid(
                        key,
                        w.span,
                        "empty",
                        format!("'{key}' of action '{}' is empty", action.name),
                        format!("name at least one entry in '{key}'"),
                    ));
                }
            }
            let given =
                |w: &WrittenKey| !w.empty && action.requires_one_of.iter().any(|r| r == w.key);
            let any_empty = written
                .iter()
                .any(|w| w.empty && action.requires_one_of.iter().any(|r| r == w.key));
            if !any_empty && !written.iter().any(given) {
                let keys = action.requires_one_of.join("' or '");
                findings.push(invalid(
                    "action",
                    intent.action.span,
                    "what does it act on?",
                    format!("action '{}' needs '{keys}'", action.name),
                    format!("add '{keys}' to say what the intent acts on"),
                ));
            }
        }
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::ModuleCatalog;

    #[test]
    fn catalog_parses_and_names_known_modules_and_keys() {
        let catalog: IntentCatalog = toml::from_str(INTENTS_TOML).unwrap();
        let modules = ModuleCatalog::get();
        let keys = ["workflow", "steps", "report", "applications", "admin_data"];
        for action in &catalog.actions {
            for m in action.modules.iter().chain(&action.admin_data_modules) {
                assert!(modules.is_known(m), "{} needs unknown {m}", action.name);
            }
            for k in action.uses.iter().chain(&action.requires_one_of) {
                assert!(
                    keys.contains(&k.as_str()),
                    "{} uses unknown key {k}",
                    action.name
                );
            }
            for k in &action.requires_one_of {
                assert!(
                    action.uses.contains(k),
                    "{} requires a key it does not use",
                    action.name
                );
            }
        }
        assert_eq!(catalog.actions.len(), 7);
    }
}

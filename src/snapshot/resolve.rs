//! Name resolution. Second and later definitions of a name leave the model
//! here (RC403 duplicate-definition reports them; the first definition
//! counts), a name listed twice in one list counts once, and then one index
//! per kind is built: RC402 unknown-reference for a name defined nowhere,
//! RC404 unknown-module. No later stage has to ask "is this the first one?".

use super::integrity::{DUPLICATE_DEFINITION, UNKNOWN_MODULE, UNKNOWN_REFERENCE};
use super::model::{
    Application, Attested, Integration, Intent, Model, Name, PermissionSet, Report, Role, User,
};
use super::name_table::{NameTable, Named, StepRef, StepTable};
use crate::catalog::ModuleCatalog;
use crate::diagnostic::{Finding, Label, Subject, SubjectKind};
use crate::source::{Located, Span};
use crate::suggest;
use rustc_hash::{FxHashMap, FxHashSet};
use std::borrow::Cow;

/// The step each entry of each permission set's `steps` names, found once
/// by the resolver (which must look every one up anyway) and read by the
/// graph: a snapshot can hold a million such entries.
#[derive(Debug, Default, Clone)]
pub struct SetSteps {
    /// Where each set's entries start in `numbers` (one more at the end).
    starts: Vec<u32>,
    /// The step number each entry names, plus one; 0 for a step defined
    /// nowhere.
    numbers: Vec<u32>,
}

impl SetSteps {
    /// The number of the step each entry of set `p` names, in entry order
    /// (`None` for a step defined nowhere).
    pub fn of(&self, p: usize) -> impl Iterator<Item = Option<usize>> + '_ {
        let start = self.starts.get(p).map_or(0, |&s| s as usize);
        let end = self.starts.get(p + 1).map_or(start, |&e| e as usize);
        self.numbers
            .get(start..end)
            .unwrap_or_default()
            .iter()
            .map(|&n| (n as usize).checked_sub(1))
    }

    /// Adds the next set's entries, each the step it names, if any.
    fn push_set(&mut self, steps: impl Iterator<Item = Option<StepRef>>) {
        if self.starts.is_empty() {
            self.starts.push(0);
        }
        // A model never holds 2^32 steps or entries (each is over 10 bytes
        // of TOML and a file is under 4 GiB).
        let number = |s: Option<StepRef>| s.map_or(0, |s| u32::try_from(s.number + 1).unwrap_or(0));
        self.numbers.extend(steps.map(number));
        self.starts
            .push(u32::try_from(self.numbers.len()).unwrap_or(u32::MAX));
    }
}

/// Name → definition, per kind. Entities are found in their model list
/// (`index.users.get(&model.users, name)`), steps in the applications
/// (`index.steps.get(&model.applications, path)`); workflows are keyed by
/// path.
#[derive(Debug, Default, Clone)]
pub struct Index {
    /// Application name → index.
    pub applications: NameTable<Application>,
    /// `App/Workflow` → (application, workflow).
    pub workflows: FxHashMap<Name, (usize, usize)>,
    /// `App/Workflow/Step` → where it is.
    pub steps: StepTable,
    /// What each permission set's steps entries name.
    pub set_steps: SetSteps,
    /// Permission set name → index.
    pub permission_sets: NameTable<PermissionSet>,
    /// Role name → index.
    pub roles: NameTable<Role>,
    /// User name → index.
    pub users: NameTable<User>,
    /// Report name → index.
    pub reports: NameTable<Report>,
    /// Integration name → index.
    pub integrations: NameTable<Integration>,
}

/// Removes duplicates from the model, builds the index and reports
/// RC402–RC404.
pub fn resolve(model: &mut Model) -> (Index, Vec<Finding>) {
    let mut findings = remove_duplicates(model);
    let mut r = Resolver {
        index: build_index(model),
        findings: Vec::new(),
        reported: FxHashMap::default(),
        suggesters: FxHashMap::default(),
    };
    r.check_references(model);
    findings.extend(r.findings);
    (r.index, findings)
}

/// The definitions of one kind that share a name: which to keep, and the
/// RC403 finding for each name defined more than once (on its second
/// definition, every other one labelled).
fn first_definitions(kind: SubjectKind, names: &[(Cow<str>, Span)]) -> (Vec<bool>, Vec<Finding>) {
    // Name → the first definition, and the later ones where there are any.
    let mut first: FxHashMap<&str, usize> = FxHashMap::default();
    first.reserve(names.len());
    let mut again: FxHashMap<&str, Vec<usize>> = FxHashMap::default();
    let mut order = Vec::new();
    for (i, (name, _)) in names.iter().enumerate() {
        match first.entry(name) {
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(i);
            }
            std::collections::hash_map::Entry::Occupied(o) => {
                let later = again.entry(name).or_default();
                if later.is_empty() {
                    order.push((name.as_ref(), *o.get()));
                }
                later.push(i);
            }
        }
    }
    let mut keep = vec![true; names.len()];
    let mut findings = Vec::new();
    order.sort_by_key(|&(_, first)| first);
    for (name, first) in order {
        let places: Vec<usize> = std::iter::once(first)
            .chain(again[name].iter().copied())
            .collect();
        let [first, second, rest @ ..] = places.as_slice() else {
            continue;
        };
        let what = kind.as_str().replace('_', " ");
        let mut finding = Finding::new(
            &DUPLICATE_DEFINITION,
            Subject::new(kind, name),
            Label::new(names[*second].1, "defined again here"),
            match places.len() {
                2 => format!("{what} '{name}' is defined twice"),
                n => format!("{what} '{name}' is defined {n} times"),
            },
            "rename or remove one of the definitions; only the first is used",
        )
        .with_related(names[*first].1, "first defined here");
        for &later in std::iter::once(second).chain(rest) {
            keep[later] = false;
        }
        for &later in rest {
            finding = finding.with_related(names[later].1, "defined again here");
        }
        findings.push(finding);
    }
    (keep, findings)
}

/// Keeps the items of `items` whose flag in `keep` is set.
fn retain_flagged<T>(items: &mut Vec<T>, keep: &[bool]) {
    let mut flags = keep.iter();
    items.retain(|_| flags.next().copied().unwrap_or(true));
}

/// Removes the definitions of one kind that repeat an earlier name.
fn dedupe_kind<T>(
    items: &mut Vec<T>,
    kind: SubjectKind,
    name: impl Fn(&T) -> (Cow<'_, str>, Span),
) -> Vec<Finding> {
    let names: Vec<(Cow<str>, Span)> = items.iter().map(name).collect();
    let (keep, findings) = first_definitions(kind, &names);
    drop(names);
    if keep.contains(&false) {
        retain_flagged(items, &keep);
    }
    findings
}

/// A name listed twice in one list counts once: the first stays. Most
/// lists are short, and are compared in place.
fn dedupe_list(list: &mut Vec<Located<Name>>) {
    const SHORT: usize = 16;
    let repeated = if list.len() <= SHORT {
        (1..list.len()).any(|i| list[..i].iter().any(|l| l.value == list[i].value))
    } else {
        let mut seen: FxHashSet<&str> = FxHashSet::default();
        !list.iter().all(|item| seen.insert(&item.value))
    };
    if repeated {
        let mut seen: FxHashSet<Name> = FxHashSet::default();
        list.retain(|item| seen.insert(item.value.clone()));
    }
}

fn dedupe_intent(intent: &mut Intent) {
    if let Some(steps) = &mut intent.steps {
        dedupe_list(steps);
    }
    if let Some(apps) = &mut intent.applications {
        dedupe_list(apps);
    }
}

/// Moves second and later definitions out of the model (RC403) and makes
/// every list name each entry once.
fn remove_duplicates(model: &mut Model) -> Vec<Finding> {
    fn located(l: &Located<Name>) -> (Cow<'_, str>, Span) {
        (Cow::Borrowed(&l.value), l.span)
    }
    let mut findings = dedupe_kind(&mut model.applications, SubjectKind::Application, |a| {
        located(&a.name)
    });
    for app in &mut model.applications {
        let app_name = app.name.value.clone();
        findings.extend(dedupe_kind(
            &mut app.workflows,
            SubjectKind::Workflow,
            |w| (format!("{app_name}/{}", w.name.value).into(), w.name.span),
        ));
        for workflow in &mut app.workflows {
            let path = format!("{app_name}/{}", workflow.name.value);
            findings.extend(dedupe_kind(&mut workflow.steps, SubjectKind::Step, |s| {
                (format!("{path}/{}", s.value).into(), s.span)
            }));
        }
    }
    findings.extend(dedupe_kind(
        &mut model.permission_sets,
        SubjectKind::PermissionSet,
        |p| located(&p.name),
    ));
    findings.extend(dedupe_kind(&mut model.roles, SubjectKind::Role, |r| {
        located(&r.name)
    }));
    findings.extend(dedupe_kind(&mut model.users, SubjectKind::User, |u| {
        located(&u.name)
    }));
    findings.extend(dedupe_kind(&mut model.reports, SubjectKind::Report, |r| {
        located(&r.name)
    }));
    findings.extend(dedupe_kind(
        &mut model.integrations,
        SubjectKind::Integration,
        |i| located(&i.name),
    ));
    for role in &mut model.roles {
        dedupe_list(&mut role.modules);
        dedupe_list(&mut role.permission_sets);
    }
    for user in &mut model.users {
        dedupe_list(&mut user.roles);
        dedupe_list(&mut user.permission_sets);
    }
    for report in &mut model.reports {
        dedupe_list(&mut report.steps);
    }
    for integration in &mut model.integrations {
        integration.intents.iter_mut().for_each(dedupe_intent);
    }
    findings
}

/// The index of a model without duplicates.
fn build_index(model: &Model) -> Index {
    let mut index = Index {
        applications: NameTable::new(&model.applications),
        permission_sets: NameTable::new(&model.permission_sets),
        roles: NameTable::new(&model.roles),
        users: NameTable::new(&model.users),
        reports: NameTable::new(&model.reports),
        integrations: NameTable::new(&model.integrations),
        steps: StepTable::new(&model.applications),
        set_steps: SetSteps::default(),
        workflows: FxHashMap::default(),
    };
    for (a, app) in model.applications.iter().enumerate() {
        for (w, workflow) in app.workflows.iter().enumerate() {
            let path = format!("{}/{}", app.name.value, workflow.name.value);
            index.workflows.insert(Name::from(path), (a, w));
        }
    }
    index
}

struct Resolver {
    index: Index,
    findings: Vec<Finding>,
    /// (subject, item) of every RC402 reported, to its finding: a second
    /// reference to the same unknown name from the same entity adds a label.
    reported: FxHashMap<(SubjectKind, String, String), usize>,
    suggesters: FxHashMap<&'static str, suggest::Suggester>,
}

/// How an unknown reference is written as a finding's item: the kind of
/// thing referred to, as in `role:Everyon` or `account:svc-x`.
fn reference_kind(what: &str) -> &'static str {
    match what {
        "user" => "account",
        "step" => "step",
        "workflow" => "workflow",
        "application" => "application",
        "permission set" => "permission_set",
        "role" => "role",
        _ => "report",
    }
}

/// The names a reference of one kind may use.
trait Defined {
    /// Whether `name` is one of them.
    fn defines(&self, name: &str) -> bool;
    /// A suggester over all of them.
    fn suggester(&self) -> suggest::Suggester;
}

/// Workflows, by path.
impl<V> Defined for FxHashMap<Name, V> {
    fn defines(&self, name: &str) -> bool {
        self.contains_key(name)
    }
    fn suggester(&self) -> suggest::Suggester {
        suggest::Suggester::new(self.keys().map(Name::as_str))
    }
}

/// Entities of one kind: the table and the list it was made from.
impl<T: Named> Defined for (&NameTable<T>, &[T]) {
    fn defines(&self, name: &str) -> bool {
        self.0.contains(self.1, name)
    }
    fn suggester(&self) -> suggest::Suggester {
        suggest::Suggester::new(self.1.iter().map(Named::name))
    }
}

/// Steps, by path: the table and the applications it was made from.
impl Defined for (&StepTable, &[Application]) {
    fn defines(&self, path: &str) -> bool {
        self.0.get(self.1, path).is_some()
    }
    fn suggester(&self) -> suggest::Suggester {
        let paths: Vec<String> = StepTable::paths(self.1).collect();
        suggest::Suggester::new(paths.iter().map(String::as_str))
    }
}

impl Resolver {
    /// RC402 when `name` is not among the names `defined`.
    fn reference(
        &mut self,
        subject: (SubjectKind, &str),
        name: &Located<Name>,
        what: &'static str,
        defined: &impl Defined,
    ) {
        if defined.defines(&name.value) {
            return;
        }
        let item = format!("{}:{}", reference_kind(what), name.value);
        let key = (subject.0, subject.1.to_string(), item.clone());
        if let Some(&at) = self.reported.get(&key) {
            self.findings[at]
                .related
                .push(Label::new(name.span, format!("no {what} of this name")));
            return;
        }
        // Built once per kind, on its first unknown name.
        let suggester = self
            .suggesters
            .entry(what)
            .or_insert_with(|| defined.suggester());
        let help = match suggester.closest(&name.value) {
            Some(c) => suggest::did_you_mean(c),
            None => format!("define the {what}, or fix the name"),
        };
        self.reported.insert(key, self.findings.len());
        self.findings.push(
            Finding::new(
                &UNKNOWN_REFERENCE,
                Subject::new(subject.0, subject.1),
                Label::new(name.span, format!("no {what} of this name")),
                format!("unknown {what} '{}'", name.value),
                help,
            )
            .with_item(item),
        );
    }

    fn check_references(&mut self, model: &Model) {
        let mut index = std::mem::take(&mut self.index);
        let catalog = ModuleCatalog::get();
        // What each kind of reference may name: a table and its list.
        let apps = &model.applications[..];
        let users = (&index.users, &model.users[..]);
        let roles = (&index.roles, &model.roles[..]);
        let sets = (&index.permission_sets, &model.permission_sets[..]);
        let applications = (&index.applications, apps);
        let reports = (&index.reports, &model.reports[..]);
        let steps = (&index.steps, apps);
        for app in apps {
            let subject = (SubjectKind::Application, app.name.value.as_str());
            for entry in &app.build_access {
                self.reference(subject, &entry.target, "user", &users);
            }
        }
        // A set's steps are looked up once here, for RC402 and for the
        // graph (`Index::set_steps`).
        let mut set_steps = SetSteps::default();
        for set in &model.permission_sets {
            let subject = (SubjectKind::PermissionSet, set.name.value.as_str());
            let found = set.steps.iter().map(|entry| {
                let at = index.steps.get(apps, &entry.target.value);
                if at.is_none() {
                    self.reference(subject, &entry.target, "step", &steps);
                }
                at
            });
            set_steps.push_set(found);
        }
        for role in &model.roles {
            let subject = (SubjectKind::Role, role.name.value.as_str());
            for entry in &role.applications {
                self.reference(subject, &entry.target, "application", &applications);
            }
            for set in &role.permission_sets {
                self.reference(subject, set, "permission set", &sets);
            }
            for module in &role.modules {
                if !catalog.is_known(&module.value) {
                    self.findings.push(unknown_module(&role.name.value, module));
                }
            }
        }
        for user in &model.users {
            let subject = (SubjectKind::User, user.name.value.as_str());
            for role in &user.roles {
                self.reference(subject, role, "role", &roles);
            }
            for entry in &user.applications {
                self.reference(subject, &entry.target, "application", &applications);
            }
            for set in &user.permission_sets {
                self.reference(subject, set, "permission set", &sets);
            }
        }
        for report in &model.reports {
            let subject = (SubjectKind::Report, report.name.value.as_str());
            for step in &report.steps {
                self.reference(subject, step, "step", &steps);
            }
        }
        for integration in &model.integrations {
            let subject = (SubjectKind::Integration, integration.name.value.as_str());
            self.reference(subject, &integration.account, "user", &users);
            for intent in &integration.intents {
                if let Some(w) = &intent.workflow {
                    self.reference(subject, w, "workflow", &index.workflows);
                }
                for step in intent.steps.iter().flatten() {
                    self.reference(subject, step, "step", &steps);
                }
                if let Some(r) = &intent.report {
                    self.reference(subject, r, "report", &reports);
                }
                for app in intent.applications.iter().flatten() {
                    self.reference(subject, app, "application", &applications);
                }
            }
        }
        for record in &model.activity {
            let subject = (SubjectKind::User, record.user.value.as_str());
            self.reference(subject, &record.user, "user", &users);
        }
        for attestation in &model.attestations {
            let name = attestation.name();
            let subject = (SubjectKind::Attestation, name.as_str());
            match &attestation.fact {
                Attested::ApiAccess { user, .. } => self.reference(subject, user, "user", &users),
                Attested::Applications {
                    holder,
                    role,
                    entries,
                } => {
                    if *role {
                        self.reference(subject, holder, "role", &roles);
                    } else {
                        self.reference(subject, holder, "user", &users);
                    }
                    for entry in entries {
                        self.reference(subject, &entry.target, "application", &applications);
                    }
                }
                Attested::BuildAccess {
                    application,
                    entries,
                } => {
                    self.reference(subject, application, "application", &applications);
                    for entry in entries {
                        self.reference(subject, &entry.target, "user", &users);
                    }
                }
            }
        }
        index.set_steps = set_steps;
        self.index = index;
    }
}

fn unknown_module(role: &str, module: &Located<Name>) -> Finding {
    let catalog = ModuleCatalog::get();
    let help = match suggest::closest(&module.value, catalog.codes()) {
        Some(c) => suggest::did_you_mean(c),
        None => format!(
            "known modules: {}",
            catalog.codes().collect::<Vec<_>>().join(", ")
        ),
    };
    Finding::new(
        &UNKNOWN_MODULE,
        Subject::new(SubjectKind::Role, role),
        Label::new(module.span, "not in the module catalog"),
        format!("unknown module '{}'", module.value),
        help,
    )
    .with_item(format!("module:{}", module.value))
}

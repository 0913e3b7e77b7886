//! Name resolution: one index per kind, RC403 duplicate-definition for a name
//! defined twice (the first definition wins), RC402 unknown-reference for a
//! name defined nowhere, RC404 unknown-module.

use super::model::Model;
use crate::catalog::ModuleCatalog;
use crate::finding::{Finding, Label, Subject, SubjectKind};
use crate::rules::integrity::{DUPLICATE_DEFINITION, UNKNOWN_MODULE, UNKNOWN_REFERENCE};
use crate::source::{Located, Span};
use crate::suggest;
use std::collections::HashMap as StdHashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// FNV-1a: names are short, and the index is read hundreds of thousands of
/// times on a large tenant; SipHash's protection against crafted keys buys
/// nothing for a file the user controls.
#[derive(Default, Clone, Copy)]
pub struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut hash = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for byte in bytes {
            hash ^= u64::from(*byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = hash;
    }
}

/// A map keyed by names.
pub type HashMap<K, V> = StdHashMap<K, V, BuildHasherDefault<Fnv>>;

/// Where a step is defined: application, workflow and step index.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StepRef {
    /// Index into `Model::applications`.
    pub application: usize,
    /// Index into that application's workflows.
    pub workflow: usize,
    /// Index into that workflow's steps.
    pub step: usize,
}

/// Name → definition, per kind. Workflows and steps are keyed by path.
#[derive(Debug, Default, Clone)]
pub struct Index {
    /// Application name → index.
    pub applications: HashMap<String, usize>,
    /// `App/Workflow` → (application, workflow).
    pub workflows: HashMap<String, (usize, usize)>,
    /// `App/Workflow/Step` → where it is.
    pub steps: HashMap<String, StepRef>,
    /// Permission set name → index.
    pub permission_sets: HashMap<String, usize>,
    /// Role name → index.
    pub roles: HashMap<String, usize>,
    /// User name → index.
    pub users: HashMap<String, usize>,
    /// Report name → index.
    pub reports: HashMap<String, usize>,
    /// Integration name → index.
    pub integrations: HashMap<String, usize>,
}

/// Builds the index and reports RC402–RC404.
pub fn resolve(model: &Model) -> (Index, Vec<Finding>) {
    let mut r = Resolver {
        index: Index::default(),
        findings: Vec::new(),
        suggesters: HashMap::default(),
    };
    r.define_all(model);
    r.check_references(model);
    (r.index, r.findings)
}

struct Resolver {
    index: Index,
    findings: Vec<Finding>,
    suggesters: HashMap<&'static str, suggest::Suggester>,
}

/// Records a definition; a second one is RC403 with both places labelled.
/// `span_of` finds the first definition's name by its index.
fn define(
    map: &mut HashMap<String, usize>,
    findings: &mut Vec<Finding>,
    kind: SubjectKind,
    name: &Located<String>,
    index: usize,
    span_of: &dyn Fn(usize) -> Span,
) {
    match map.get(&name.value) {
        Some(&first) => findings.push(duplicate(kind, name, span_of(first))),
        None => {
            map.insert(name.value.clone(), index);
        }
    }
}

/// Defines every name of one kind, in order.
fn define_kind(
    map: &mut HashMap<String, usize>,
    findings: &mut Vec<Finding>,
    kind: SubjectKind,
    names: &[&Located<String>],
) {
    for (i, name) in names.iter().enumerate() {
        define(map, findings, kind, name, i, &|first| names[first].span);
    }
}

fn duplicate(kind: SubjectKind, name: &Located<String>, first: Span) -> Finding {
    let what = kind.as_str().replace('_', " ");
    Finding::new(
        &DUPLICATE_DEFINITION,
        Subject::new(kind, &name.value),
        Label::new(name.span, "defined again here"),
        format!("{what} '{}' is defined twice", name.value),
        "rename or remove one of the definitions; only the first is used",
    )
    .with_related(first, "first defined here")
}

impl Resolver {
    fn define_all(&mut self, model: &Model) {
        let f = &mut self.findings;
        let apps = &model.applications;
        for (i, app) in apps.iter().enumerate() {
            let span_of = |first: usize| apps[first].name.span;
            define(
                &mut self.index.applications,
                f,
                SubjectKind::Application,
                &app.name,
                i,
                &span_of,
            );
            if self.index.applications.get(&app.name.value) != Some(&i) {
                continue;
            }
            for (w, workflow) in app.workflows.iter().enumerate() {
                let path = format!("{}/{}", app.name.value, workflow.name.value);
                if let Some(&(_, first)) = self.index.workflows.get(&path) {
                    let located = Located::new(path, workflow.name.span);
                    f.push(duplicate(
                        SubjectKind::Workflow,
                        &located,
                        app.workflows[first].name.span,
                    ));
                    continue;
                }
                self.index.workflows.insert(path.clone(), (i, w));
                for (s, step) in workflow.steps.iter().enumerate() {
                    let step_path = format!("{path}/{}", step.value);
                    if let Some(first) = self.index.steps.get(&step_path) {
                        let located = Located::new(step_path, step.span);
                        f.push(duplicate(
                            SubjectKind::Step,
                            &located,
                            workflow.steps[first.step].span,
                        ));
                        continue;
                    }
                    let at = StepRef {
                        application: i,
                        workflow: w,
                        step: s,
                    };
                    self.index.steps.insert(step_path, at);
                }
            }
        }
        define_kind(
            &mut self.index.permission_sets,
            f,
            SubjectKind::PermissionSet,
            &model
                .permission_sets
                .iter()
                .map(|p| &p.name)
                .collect::<Vec<_>>(),
        );
        define_kind(
            &mut self.index.roles,
            f,
            SubjectKind::Role,
            &model.roles.iter().map(|r| &r.name).collect::<Vec<_>>(),
        );
        define_kind(
            &mut self.index.users,
            f,
            SubjectKind::User,
            &model.users.iter().map(|u| &u.name).collect::<Vec<_>>(),
        );
        define_kind(
            &mut self.index.reports,
            f,
            SubjectKind::Report,
            &model.reports.iter().map(|r| &r.name).collect::<Vec<_>>(),
        );
        define_kind(
            &mut self.index.integrations,
            f,
            SubjectKind::Integration,
            &model
                .integrations
                .iter()
                .map(|i| &i.name)
                .collect::<Vec<_>>(),
        );
    }

    /// RC402 when `name` is not a key of `defined`.
    fn reference(
        &mut self,
        subject: (SubjectKind, &str),
        name: &Located<String>,
        what: &'static str,
        defined: &HashMap<String, impl Sized>,
    ) {
        if defined.contains_key(&name.value) {
            return;
        }
        // Built once per kind, on its first unknown name.
        let suggester = self
            .suggesters
            .entry(what)
            .or_insert_with(|| suggest::Suggester::new(defined.keys().map(String::as_str)));
        let help = match suggester.closest(&name.value) {
            Some(c) => format!("did you mean '{c}'?"),
            None => format!("define the {what}, or fix the name"),
        };
        self.findings.push(Finding::new(
            &UNKNOWN_REFERENCE,
            Subject::new(subject.0, subject.1),
            Label::new(name.span, format!("no {what} of this name")),
            format!("unknown {what} '{}'", name.value),
            help,
        ));
    }

    fn check_references(&mut self, model: &Model) {
        let index = std::mem::take(&mut self.index);
        let catalog = ModuleCatalog::get();
        for app in &model.applications {
            let subject = (SubjectKind::Application, app.name.value.as_str());
            for entry in &app.build_access {
                self.reference(subject, &entry.target, "user", &index.users);
            }
        }
        for set in &model.permission_sets {
            let subject = (SubjectKind::PermissionSet, set.name.value.as_str());
            for entry in &set.steps {
                self.reference(subject, &entry.target, "step", &index.steps);
            }
        }
        for role in &model.roles {
            let subject = (SubjectKind::Role, role.name.value.as_str());
            for entry in &role.applications {
                self.reference(subject, &entry.target, "application", &index.applications);
            }
            for set in &role.permission_sets {
                self.reference(subject, set, "permission set", &index.permission_sets);
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
                self.reference(subject, role, "role", &index.roles);
            }
            for entry in &user.applications {
                self.reference(subject, &entry.target, "application", &index.applications);
            }
            for set in &user.permission_sets {
                self.reference(subject, set, "permission set", &index.permission_sets);
            }
        }
        for report in &model.reports {
            let subject = (SubjectKind::Report, report.name.value.as_str());
            for step in &report.steps {
                self.reference(subject, step, "step", &index.steps);
            }
        }
        for integration in &model.integrations {
            let subject = (SubjectKind::Integration, integration.name.value.as_str());
            self.reference(subject, &integration.account, "user", &index.users);
            for intent in &integration.intents {
                if let Some(w) = &intent.workflow {
                    self.reference(subject, w, "workflow", &index.workflows);
                }
                for step in intent.steps.iter().flatten() {
                    self.reference(subject, step, "step", &index.steps);
                }
                if let Some(r) = &intent.report {
                    self.reference(subject, r, "report", &index.reports);
                }
                for app in intent.applications.iter().flatten() {
                    self.reference(subject, app, "application", &index.applications);
                }
            }
        }
        self.index = index;
    }
}

fn unknown_module(role: &str, module: &Located<String>) -> Finding {
    let catalog = ModuleCatalog::get();
    let help = match suggest::closest(&module.value, catalog.codes()) {
        Some(c) => format!("did you mean '{c}'?"),
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

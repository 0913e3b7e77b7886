//! Entities of one kind found by name, and steps found by path. A table
//! keeps only each entity's position in its model list; the name is the
//! entity's own, compared at lookup. A snapshot of 50,000 users would
//! otherwise hold every login twice, once in the model and once as a key,
//! and every step's path would be written out to be looked up.

use super::model::{Application, Integration, PermissionSet, Report, Role, User};
use hashbrown::HashTable;
use std::hash::BuildHasher;
use std::marker::PhantomData;

/// An entity found by its name.
pub trait Named {
    /// Its name.
    fn name(&self) -> &str;
}

macro_rules! named {
    ($($t:ty),*) => {$(
        impl Named for $t {
            fn name(&self) -> &str {
                &self.name.value
            }
        }
    )*};
}
named!(Application, PermissionSet, Role, User, Report, Integration);

/// The position in a model list of each name in it.
pub struct NameTable<T> {
    /// Positions in the list, hashed by the name at that position.
    positions: HashTable<u32>,
    kind: PhantomData<fn() -> T>,
}

fn hash(name: &str) -> u64 {
    rustc_hash::FxBuildHasher.hash_one(name)
}

impl<T: Named> NameTable<T> {
    /// The table of `list`. A name given twice is found at its first
    /// position (the resolver has already removed later definitions).
    pub fn new(list: &[T]) -> NameTable<T> {
        let mut positions = HashTable::with_capacity(list.len());
        let name_at = |at: &u32| list[*at as usize].name();
        // A list cannot hold 2^32 entities in memory (each is over 100
        // bytes), so every position fits.
        for (at, item) in (0..=u32::MAX).zip(list) {
            let name = item.name();
            let h = hash(name);
            if positions.find(h, |p| name_at(p) == name).is_none() {
                positions.insert_unique(h, at, |p| hash(name_at(p)));
            }
        }
        NameTable {
            positions,
            kind: PhantomData,
        }
    }

    /// The position of `name` in `list`, the list the table was made from.
    pub fn get(&self, list: &[T], name: &str) -> Option<usize> {
        self.positions
            .find(hash(name), |&at| {
                list.get(at as usize).is_some_and(|t| t.name() == name)
            })
            .map(|&at| at as usize)
    }

    /// Whether `list` has an entity named `name`.
    pub fn contains(&self, list: &[T], name: &str) -> bool {
        self.get(list, name).is_some()
    }
}

impl<T> Default for NameTable<T> {
    fn default() -> Self {
        NameTable {
            positions: HashTable::new(),
            kind: PhantomData,
        }
    }
}

impl<T> Clone for NameTable<T> {
    fn clone(&self) -> Self {
        NameTable {
            positions: self.positions.clone(),
            kind: PhantomData,
        }
    }
}

impl<T> std::fmt::Debug for NameTable<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "NameTable({} names)", self.positions.len())
    }
}

/// Where a step is defined: application, workflow and step index.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StepRef {
    /// Index into `Model::applications`.
    pub application: usize,
    /// Index into that application's workflows.
    pub workflow: usize,
    /// Index into that workflow's steps.
    pub step: usize,
    /// Its number among every step of the model, in model order
    /// (applications, their workflows, their steps): the graph adds step
    /// nodes in that order.
    pub number: usize,
}

/// Steps by path (`App/Workflow/Step`): each step's place in the model
/// and its number in model order, hashed by its path. A path asked for is
/// compared with the application's, workflow's and step's own names, piece
/// by piece. Where two steps share a path (a name with `/` in it), the
/// later one is found.
#[derive(Clone, Default)]
pub struct StepTable {
    /// (application, workflow, step) indices and the step's number,
    /// hashed by path.
    places: HashTable<[u32; 4]>,
}

/// The path of a step, `App/Workflow/Step`, as items and references write
/// it.
pub fn step_path(app: &str, workflow: &str, step: &str) -> String {
    format!("{app}/{workflow}/{step}")
}

/// Whether `path` is `app/workflow/step` ([`step_path`]), without writing
/// it out.
fn is_path(path: &str, app: &str, workflow: &str, step: &str) -> bool {
    path.strip_prefix(app)
        .and_then(|p| p.strip_prefix('/'))
        .and_then(|p| p.strip_prefix(workflow))
        .and_then(|p| p.strip_prefix('/'))
        == Some(step)
}

/// The names at a place, if the model has it.
fn names_at(apps: &[Application], [a, w, s, _]: [u32; 4]) -> Option<(&str, &str, &str)> {
    let app = apps.get(a as usize)?;
    let workflow = app.workflows.get(w as usize)?;
    let step = workflow.steps.get(s as usize)?;
    Some((&app.name.value, &workflow.name.value, &step.value))
}

impl StepTable {
    /// The table of every step of `apps`.
    pub fn new(apps: &[Application]) -> StepTable {
        let count = apps
            .iter()
            .flat_map(|a| &a.workflows)
            .map(|w| w.steps.len())
            .sum();
        let mut places: HashTable<[u32; 4]> = HashTable::with_capacity(count);
        let rehash = |place: &[u32; 4]| {
            names_at(apps, *place).map_or(0, |(a, w, s)| hash(&step_path(a, w, s)))
        };
        let mut numbers = 0..=u32::MAX;
        // Model indices: a model never holds 2^32 of anything.
        for (a, app) in (0..=u32::MAX).zip(apps) {
            for (w, workflow) in (0..=u32::MAX).zip(&app.workflows) {
                for ((s, step), n) in (0..=u32::MAX).zip(&workflow.steps).zip(numbers.by_ref()) {
                    let path = step_path(&app.name.value, &workflow.name.value, &step.value);
                    let h = hash(&path);
                    let same = |place: &[u32; 4]| {
                        names_at(apps, *place).is_some_and(|(a, w, s)| is_path(&path, a, w, s))
                    };
                    match places.find_mut(h, same) {
                        Some(place) => *place = [a, w, s, n],
                        None => {
                            places.insert_unique(h, [a, w, s, n], rehash);
                        }
                    }
                }
            }
        }
        StepTable { places }
    }

    /// Where the step at `path` is in `apps`, the applications the table
    /// was made from.
    pub fn get(&self, apps: &[Application], path: &str) -> Option<StepRef> {
        let same = |place: &[u32; 4]| {
            names_at(apps, *place).is_some_and(|(a, w, s)| is_path(path, a, w, s))
        };
        let &[a, w, s, n] = self.places.find(hash(path), same)?;
        Some(StepRef {
            application: a as usize,
            workflow: w as usize,
            step: s as usize,
            number: n as usize,
        })
    }

    /// Every step's path, in model order (for suggestions).
    pub fn paths(apps: &[Application]) -> impl Iterator<Item = String> + '_ {
        apps.iter().flat_map(|app| {
            app.workflows.iter().flat_map(move |w| {
                w.steps
                    .iter()
                    .map(move |s| step_path(&app.name.value, &w.name.value, &s.value))
            })
        })
    }
}

impl std::fmt::Debug for StepTable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "StepTable({} steps)", self.places.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{FileId, Located, Span};

    fn role(name: &str) -> Role {
        let at = Span::new(FileId(0), 0..0);
        Role {
            id: None,
            name: Located::new(name.into(), at),
            modules: Vec::new(),
            applications: Vec::new(),
            permission_sets: Vec::new(),
            default_for_new_users: false,
            unknown: Vec::new(),
        }
    }

    #[test]
    fn finds_each_name_at_its_first_position() {
        let roles: Vec<Role> = ["Everyone", "a/b=c", "\u{1b}[31m", "Everyone", ""]
            .into_iter()
            .map(role)
            .collect();
        let table = NameTable::new(&roles);
        assert_eq!(table.get(&roles, "Everyone"), Some(0));
        assert_eq!(table.get(&roles, "a/b=c"), Some(1));
        assert_eq!(table.get(&roles, "\u{1b}[31m"), Some(2));
        assert_eq!(table.get(&roles, ""), Some(4));
        assert_eq!(table.get(&roles, "everyone"), None);
        assert!(!table.contains(&roles, "Admins"));
        // Asked with a shorter list than it was made from: not found, no panic.
        assert_eq!(table.get(&roles[..1], "a/b=c"), None);
    }

    #[test]
    fn finds_every_one_of_many_names() {
        let roles: Vec<Role> = (0..20_000).map(|i| role(&format!("Role {i:05}"))).collect();
        let table = NameTable::new(&roles);
        for (i, r) in roles.iter().enumerate() {
            assert_eq!(table.get(&roles, &r.name.value), Some(i));
        }
        assert_eq!(table.get(&roles, "Role 20000"), None);
    }

    fn application(name: &str, workflows: &[(&str, &[&str])]) -> Application {
        let at = Span::new(FileId(0), 0..0);
        let located = |n: &str| Located::new(n.into(), at);
        Application {
            id: None,
            name: located(name),
            restrict_build_access: None,
            build_access: Vec::new(),
            unknown: Vec::new(),
            workflows: workflows
                .iter()
                .map(|(w, steps)| crate::snapshot::Workflow {
                    id: None,
                    name: located(w),
                    steps: steps.iter().map(|s| located(s)).collect(),
                    origin: None,
                    step_ids: Vec::new(),
                })
                .collect(),
        }
    }

    #[test]
    fn finds_steps_by_path_compared_piece_by_piece() {
        let apps = vec![
            application("Vendor Risk", &[("Assessment", &["Intake", "Review"])]),
            application("a/b", &[("c", &["d"])]),
            application("a", &[("b/c", &["d"]), ("\u{1b}", &["=\"\n"])]),
        ];
        let table = StepTable::new(&apps);
        let at = |path: &str| {
            table
                .get(&apps, path)
                .map(|r| (r.application, r.workflow, r.step))
        };
        assert_eq!(at("Vendor Risk/Assessment/Review"), Some((0, 0, 1)));
        assert_eq!(at("\u{1b}"), None);
        assert_eq!(at("a/\u{1b}/=\"\n"), Some((2, 1, 0)));
        // Two steps written the same way: the later one is found.
        assert_eq!(at("a/b/c/d"), Some((2, 0, 0)));
        assert_eq!(at("Vendor Risk/Assessment"), None);
        assert_eq!(at("Vendor Risk/Assessment/Review/"), None);
        assert_eq!(at("Vendor Risk/Assessment/Revie"), None);
        assert_eq!(at(""), None);
        let paths: Vec<String> = StepTable::paths(&apps).collect();
        assert_eq!(
            paths[..2],
            [
                "Vendor Risk/Assessment/Intake",
                "Vendor Risk/Assessment/Review"
            ]
        );
        assert_eq!(paths.len(), 5);
        // Asked with other applications than it was made from: no panic.
        assert_eq!(table.get(&apps[..1], "a/b/c/d"), None);
    }
}

//! From ids to names: the snapshot refers by name. Every entity is sorted by
//! name (then id); a name the snapshot format cannot hold, a second entity
//! of the same name, and a reference to an id nobody has are dropped and
//! reported with their JSON pointer.

use super::Problem;
use super::fields::IdRef;
use super::tenant::{Activity, LevelRef, Tenant, UserData};
use crate::catalog::Level;
use crate::snapshot::UserFacts;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// An application with its workflows, ready to write.
pub struct NamedApp {
    pub(super) name: String,
    pub(super) id: String,
    pub(super) restricted: bool,
    pub(super) workflows: Vec<NamedFlow>,
}

/// A workflow with its steps in order (Origin first, End last).
pub struct NamedFlow {
    pub(super) name: String,
    pub(super) id: String,
    /// (name, id), in order.
    pub(super) steps: Vec<(String, String)>,
}

/// A permission set: step path → level.
pub struct NamedSet {
    pub(super) name: String,
    pub(super) id: String,
    pub(super) steps: BTreeMap<String, Level>,
}

/// A role.
pub struct NamedRole {
    pub(super) name: String,
    pub(super) id: String,
    pub(super) modules: Vec<String>,
    pub(super) applications: BTreeMap<String, Level>,
    /// Whether the export carries its Application Entitlements.
    pub(super) applications_known: bool,
    pub(super) permission_sets: BTreeSet<String>,
    pub(super) default_for_new_users: bool,
}

/// A user.
pub struct NamedUser {
    pub(super) name: String,
    pub(super) service_account: bool,
    pub(super) active: bool,
    pub(super) api_access: Option<bool>,
    /// Its details: its id, its last login (the newer of the export's and
    /// the audits'), its token or credential rolls since the first audit
    /// event read, when there were any, and what else the export says.
    pub(super) facts: UserFacts,
    pub(super) roles: BTreeSet<String>,
    pub(super) applications: BTreeMap<String, Level>,
    /// Whether the export carries its Application Entitlements.
    pub(super) applications_known: bool,
    pub(super) permission_sets: BTreeSet<String>,
}

/// The tenant by name.
pub struct NamedTenant {
    pub(super) apps: Vec<NamedApp>,
    pub(super) sets: Vec<NamedSet>,
    pub(super) roles: Vec<NamedRole>,
    pub(super) users: Vec<NamedUser>,
}

/// A user's details: what the export says, its id, and its activity in
/// the access audits read since `audits_since`.
fn facts(
    user: &UserData,
    activity: Option<&Activity>,
    audits_since: Option<jiff::Timestamp>,
) -> UserFacts {
    let rolls = activity
        .filter(|a| a.token_rolls > 0)
        .zip(audits_since)
        .map(|(a, since)| (a.token_rolls, since));
    let mut facts = user.facts.clone();
    facts.id = Some(user.id.as_str().into());
    facts.last_login = facts.last_login.max(activity.and_then(|a| a.last_login));
    facts.token_rolls = rolls.map(|(n, _)| n);
    facts.token_rolls_since = rolls.map(|(_, since)| since);
    facts
}

/// Why a name cannot be a snapshot name, if it cannot (`segment`: it is
/// part of a path, so `/` is not allowed either).
fn name_problem(name: &str, segment: bool) -> Option<&'static str> {
    crate::snapshot::name_problem(name).or(if segment && name.contains('/') {
        Some("holds '/', which separates the parts of a step path")
    } else {
        None
    })
}

/// Keeps, of `items` sorted by (name, id), the first of each valid name;
/// reports the others.
fn unique<T: Send>(
    mut items: Vec<T>,
    what: &str,
    segment: bool,
    key: impl Fn(&T) -> (&str, &str, &str) + Sync,
    problems: &mut Vec<Problem>,
) -> Vec<T> {
    use rayon::slice::ParallelSliceMut;
    // No two items share an id (ids claimed twice were dropped before), so
    // (name, id) orders them all and an unstable sort is as good as any.
    items.par_sort_unstable_by(|a, b| {
        let (an, ai, _) = key(a);
        let (bn, bi, _) = key(b);
        (an, ai).cmp(&(bn, bi))
    });
    let mut kept: Vec<T> = Vec::new();
    for item in items {
        let (name, id, place) = key(&item);
        if let Some(why) = name_problem(name, segment) {
            problems.push(Problem::new(
                place.to_string(),
                format!("{what} {id}: its name {why}; it is not imported"),
            ));
            continue;
        }
        if kept.last().is_some_and(|k| key(k).0 == name) {
            problems.push(Problem::new(
                place.to_string(),
                format!(
                    "{what} {id} has the name of another {what}, '{name}': names identify \
                     entities in a snapshot; it is not imported"
                ),
            ));
            continue;
        }
        kept.push(item);
    }
    kept
}

/// The name of each referenced id (a role, a permission set) in `names`; a
/// dangling one is reported and kept as `unresolved WHAT id ID`: a
/// reference to nothing, which `check` reports as an error on the owner. A
/// grant is never dropped silently: Risk Cloud does not list locked roles,
/// yet users keep them.
fn by_name(
    refs: &[IdRef],
    names: &Names,
    what: &str,
    owner: Owner,
    problems: &mut Vec<Problem>,
) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for r in refs {
        match names.get(&r.id) {
            Some(name) => {
                out.insert(name.to_string());
            }
            None => {
                let kept = unresolved(what, &r.id);
                let why = match what {
                    "role" => " (GET /api/v1/roles does not return locked roles)",
                    "permission set" => " (a set the list does not show)",
                    _ => "",
                };
                problems.push(Problem::new(
                    r.place.clone(),
                    format!(
                        "{owner} names {what} id {}, which no {what} has{why}; kept as '{kept}', \
                         which check reports as an error",
                        r.id
                    ),
                ));
                out.insert(kept);
            }
        }
    }
    out
}

/// What holds a grant (`role 'Auditors'`), written only into a problem.
#[derive(Clone, Copy)]
struct Owner<'a>(&'static str, &'a str);

impl std::fmt::Display for Owner<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} '{}'", self.0, self.1)
    }
}

/// The name a grant of an id no entity has is kept under.
fn unresolved(what: &str, id: &str) -> String {
    format!("unresolved {what} id {id}")
}

/// Level grants by name; a dangling id is reported; the higher of two
/// grants on one target counts.
fn levels(
    refs: &[LevelRef],
    names: &Names,
    what: &str,
    owner: Owner,
    unseen: &str,
    problems: &mut Vec<Problem>,
) -> BTreeMap<String, Level> {
    let mut out: BTreeMap<String, Level> = BTreeMap::new();
    for r in refs {
        let name = match names.get(&r.id) {
            Some(name) => name.clone(),
            None => {
                // A grant is never dropped: kept as a reference to nothing,
                // which check reports as an error.
                let kept = unresolved(what, &r.id);
                problems.push(Problem::new(
                    r.place.clone(),
                    format!(
                        "{owner} names {what} id {}, which no {what} fetched has ({unseen}); \
                         kept as '{kept}', which check reports as an error",
                        r.id
                    ),
                ));
                kept
            }
        };
        let level = out.entry(name).or_insert(r.level);
        *level = (*level).max(r.level);
    }
    out
}

/// Why an application (or what is in it) can be missing from what `pull`
/// fetched: the v2 structure lists show only the applications the API user
/// has Build Access to.
const NOT_VISIBLE: &str = "not visible to the API user, which GET /api/v2/applications \
                           shows only the applications it has Build Access to";

/// Turns the tenant's ids into names.
pub fn resolve(mut tenant: Tenant, problems: &mut Vec<Problem>) -> NamedTenant {
    let (named_apps, step_paths, app_names) = applications(&mut tenant, problems);
    let (named_sets, set_names) = permission_sets(&mut tenant, &step_paths, &app_names, problems);
    let (named_roles, role_names) = roles(&mut tenant, &app_names, &set_names, problems);
    let named_users = users(tenant, &app_names, &set_names, &role_names, problems);
    NamedTenant {
        apps: named_apps,
        sets: named_sets,
        roles: named_roles,
        users: named_users,
    }
}

/// Id → name: looked up for every reference, never walked in order.
type Names = HashMap<String, String>;

/// Applications with their workflows and steps; step id → step path and
/// application id → name.
fn applications(tenant: &mut Tenant, problems: &mut Vec<Problem>) -> (Vec<NamedApp>, Names, Names) {
    report_orphans(tenant, problems);
    let apps = unique(
        std::mem::take(&mut tenant.apps),
        "application",
        true,
        |a| (&a.name, &a.id, &a.place),
        problems,
    );
    let mut flows_of: BTreeMap<String, Vec<_>> = BTreeMap::new();
    for f in std::mem::take(&mut tenant.flows) {
        flows_of.entry(f.application.clone()).or_default().push(f);
    }
    let mut steps_of: BTreeMap<String, Vec<_>> = BTreeMap::new();
    for s in std::mem::take(&mut tenant.steps) {
        steps_of.entry(s.workflow.clone()).or_default().push(s);
    }
    // Step id → step path, application id → name.
    let mut step_paths = Names::new();
    let mut app_names = Names::new();
    let mut named_apps = Vec::new();
    for app in apps {
        app_names.insert(app.id.clone(), app.name.clone());
        let flows = unique(
            flows_of.remove(app.id.as_str()).unwrap_or_default(),
            "workflow",
            true,
            |f| (&f.name, &f.id, &f.place),
            problems,
        );
        let workflows = flows
            .into_iter()
            .filter_map(|flow| {
                let steps = steps_of.remove(flow.id.as_str()).unwrap_or_default();
                workflow(&app.name, flow, steps, &mut step_paths, problems)
            })
            .collect();
        named_apps.push(NamedApp {
            name: app.name,
            id: app.id,
            restricted: app.restricted,
            workflows,
        });
    }
    (named_apps, step_paths, app_names)
}

/// Workflows whose application, and steps whose workflow, no element
/// fetched has: reported, and dropped.
fn report_orphans(tenant: &Tenant, problems: &mut Vec<Problem>) {
    let known_apps: BTreeSet<&str> = tenant.apps.iter().map(|a| a.id.as_str()).collect();
    let flow_app: BTreeMap<&str, &str> = tenant
        .flows
        .iter()
        .map(|f| (f.id.as_str(), f.application.as_str()))
        .collect();
    for f in &tenant.flows {
        if !known_apps.contains(f.application.as_str()) {
            problems.push(Problem::new(
                f.place.clone(),
                format!(
                    "workflow '{}' names application id {}, which no application fetched has \
                     (deleted, or {NOT_VISIBLE}); dropped",
                    f.name, f.application
                ),
            ));
        }
    }
    for s in &tenant.steps {
        if !flow_app.contains_key(s.workflow.as_str()) {
            problems.push(Problem::new(
                s.place.clone(),
                format!(
                    "step '{}' names workflow id {}, which no workflow has; dropped",
                    s.name, s.workflow
                ),
            ));
        }
    }
}

/// One workflow of application `app` with its steps in order (Origin
/// first, End last, the others by name), their paths added to
/// `step_paths`; `None`, reported, when the export holds none of its steps.
fn workflow(
    app: &str,
    flow: super::tenant::Flow,
    steps: Vec<super::tenant::Step>,
    step_paths: &mut Names,
    problems: &mut Vec<Problem>,
) -> Option<NamedFlow> {
    let mut steps = unique(
        steps,
        "step",
        true,
        |s| (&s.name, &s.id, &s.place),
        problems,
    );
    steps.sort_by_key(|s| (!s.origin, s.end));
    if steps.is_empty() {
        problems.push(Problem::new(
            flow.place.clone(),
            format!(
                "workflow '{app}/{}' has no steps in the export; it is not imported \
                 (export its steps with GET /api/v2/steps?workflow-id={})",
                flow.name, flow.id
            ),
        ));
        return None;
    }
    for s in &steps {
        step_paths.insert(s.id.clone(), format!("{app}/{}/{}", flow.name, s.name));
    }
    Some(NamedFlow {
        name: flow.name,
        id: flow.id,
        steps: steps.into_iter().map(|s| (s.name, s.id)).collect(),
    })
}

/// Permission sets with their steps by path; set id → name.
fn permission_sets(
    tenant: &mut Tenant,
    step_paths: &Names,
    app_names: &Names,
    problems: &mut Vec<Problem>,
) -> (Vec<NamedSet>, Names) {
    let sets = unique(
        std::mem::take(&mut tenant.sets).into_values().collect(),
        "permission set",
        false,
        |s| (&s.name, &s.id, &s.place),
        problems,
    );
    let set_names: Names = sets
        .iter()
        .map(|s| (s.id.clone(), s.name.clone()))
        .collect();
    let named_sets = each_in_parallel(sets, problems, |s, problems| {
        let owner = Owner("permission set", &s.name);
        // The set's own application tells "not visible" from "deleted".
        let unseen = match &s.application {
            Some(app) if !app_names.contains_key(app) => {
                format!("its application {app} is {NOT_VISIBLE}")
            }
            _ => "deleted, or not visible to the API user".to_string(),
        };
        let steps = match &s.steps {
            Some(steps) => levels(steps, step_paths, "step", owner, &unseen, problems),
            None => {
                problems.push(Problem::new(
                    s.place.clone(),
                    format!(
                        "the permissions of {owner} (id {}) are not in the export: it is \
                             imported with no steps; export the set's detail",
                        s.id
                    ),
                ));
                BTreeMap::new()
            }
        };
        NamedSet {
            name: s.name,
            id: s.id,
            steps,
        }
    });

    (named_sets, set_names)
}

/// Roles; role id → name.
fn roles(
    tenant: &mut Tenant,
    app_names: &Names,
    set_names: &Names,
    problems: &mut Vec<Problem>,
) -> (Vec<NamedRole>, Names) {
    let roles = unique(
        std::mem::take(&mut tenant.roles),
        "role",
        false,
        |r| (&r.name, &r.id, &r.place),
        problems,
    );
    let role_names: Names = roles
        .iter()
        .map(|r| (r.id.clone(), r.name.clone()))
        .collect();
    let named_roles = each_in_parallel(roles, problems, |r, problems| {
        let owner = Owner("role", &r.name);
        NamedRole {
            modules: r.modules,
            applications_known: r.applications.is_some(),
            applications: entitlements_of(&r.applications, app_names, owner, problems),
            permission_sets: permission_sets_of(&r.permission_sets, set_names, owner, problems),
            default_for_new_users: r.default_for_new_users,
            name: r.name,
            id: r.id,
        }
    });

    (named_roles, role_names)
}

/// The Application Entitlements a role or user holds, by application name
/// (none when the export does not carry them: `applications_known` says so).
fn entitlements_of(
    refs: &Option<Vec<LevelRef>>,
    app_names: &Names,
    owner: Owner,
    problems: &mut Vec<Problem>,
) -> BTreeMap<String, Level> {
    let refs = refs.as_deref().unwrap_or_default();
    levels(refs, app_names, "application", owner, NOT_VISIBLE, problems)
}

/// The permission sets a role or user holds, by name.
fn permission_sets_of(
    refs: &[IdRef],
    set_names: &Names,
    owner: Owner,
    problems: &mut Vec<Problem>,
) -> BTreeSet<String> {
    by_name(refs, set_names, "permission set", owner, problems)
}

/// Users.
fn users(
    mut tenant: Tenant,
    app_names: &Names,
    set_names: &Names,
    role_names: &Names,
    problems: &mut Vec<Problem>,
) -> Vec<NamedUser> {
    let users = unique(
        std::mem::take(&mut tenant.users),
        "user",
        false,
        |u| (&u.name, &u.id, &u.place),
        problems,
    );

    each_in_parallel(users, problems, |u, problems| {
        let owner = Owner("user", &u.name);
        let activity = tenant.activity.get(&u.id);
        NamedUser {
            service_account: u.service_account,
            active: u.active,
            api_access: u.api_access,
            facts: facts(&u, activity, tenant.audits_since),
            roles: by_name(&u.roles, role_names, "role", owner, problems),
            applications_known: u.applications.is_some(),
            applications: entitlements_of(&u.applications, app_names, owner, problems),
            permission_sets: permission_sets_of(&u.permission_sets, set_names, owner, problems),
            name: u.name,
        }
    })
}

/// `resolve` on each of `items`, on every core: the results and the
/// problems in the order of `items`, whatever the number of threads.
fn each_in_parallel<T: Send, U: Send>(
    items: Vec<T>,
    problems: &mut Vec<Problem>,
    resolve: impl Fn(T, &mut Vec<Problem>) -> U + Sync,
) -> Vec<U> {
    use rayon::prelude::*;
    let resolved: Vec<(U, Vec<Problem>)> = items
        .into_par_iter()
        .map(|item| {
            let mut found = Vec::new();
            (resolve(item, &mut found), found)
        })
        .collect();
    resolved
        .into_iter()
        .map(|(u, found)| {
            problems.extend(found);
            u
        })
        .collect()
}

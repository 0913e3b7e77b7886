//! `rclint derive`: each automation account's minimal grant, how it differs
//! from what the account holds, and the grants that would replace today's: one
//! dedicated role, one permission set, and the Build Access changes.

use crate::analysis::Analysis;
use crate::graph::Grant;
use crate::snapshot::Level;
use std::collections::BTreeMap;

/// One intent that needs a grant: the integration's name and the action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NeededBy {
    /// Integration name.
    pub integration: String,
    /// Intent action.
    pub action: String,
}

/// A grant of the minimal grant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NeededGrant {
    /// The grant.
    pub grant: Grant,
    /// The level needed.
    pub level: Level,
    /// Which intents need it.
    pub needed_by: Vec<NeededBy>,
}

/// A grant whose holding differs from the minimal grant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GrantDifference {
    /// The grant.
    pub grant: Grant,
    /// What the account holds (None: nothing).
    pub held: Option<Level>,
    /// What it needs (None: nothing).
    pub needed: Option<Level>,
}

/// A derived role or permission set that could not take its usual name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Renamed {
    /// `role` or `permission set`.
    pub kind: &'static str,
    /// The usual name, which a definition in the snapshot already has.
    pub usual: String,
    /// The name the fragment uses instead.
    pub chosen: String,
}

/// The grants that replace an account's current ones.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Fragment {
    /// `Integration: NAME` (or `Integration: A + B` for a shared account).
    pub role: String,
    /// Module codes for the role.
    pub modules: Vec<String>,
    /// Application Entitlements for the role.
    pub applications: BTreeMap<String, Level>,
    /// The permission set's name, when any step is needed.
    pub permission_set: Option<String>,
    /// Step path → level for the permission set.
    pub steps: BTreeMap<String, Level>,
    /// Application → level to put on its `build_access` (restricting it).
    pub build_access: BTreeMap<String, Level>,
    /// Unrestricted applications that must restrict build access, because the
    /// account holds BUILD and would otherwise reach them.
    pub restrict_build_access: Vec<String>,
    /// The `api_access` the account needs: on when an integration uses it.
    pub api_access: bool,
    /// The role or permission set given a name other than the usual one,
    /// because a definition of the usual name exists that others hold or
    /// that grants something else.
    pub renamed: Vec<Renamed>,
    /// The account's `service_account` today, kept as it is.
    pub service_account: bool,
    /// The account's `active` today, kept as it is.
    pub active: bool,
}

/// The derivation for one account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountDerivation {
    /// The account's name.
    pub account: String,
    /// The integrations that use it, in model order.
    pub integrations: Vec<String>,
    /// Its minimal grant.
    pub minimal: Vec<NeededGrant>,
    /// Needed and not held (or held at a lower level).
    pub missing: Vec<GrantDifference>,
    /// Held beyond the need (not needed, or at a higher level).
    pub excess: Vec<GrantDifference>,
    /// What to put in place of its current grants.
    pub fragment: Fragment,
}

/// Derives every automation account, or only `account`, or only the account
/// of `integration`.
pub fn derive(
    analysis: &Analysis,
    account: Option<&str>,
    integration: Option<&str>,
) -> Vec<AccountDerivation> {
    let snapshot = &analysis.snapshot;
    let model = &snapshot.model;
    let wanted = |u: usize| {
        let name = &model.users[u].name.value;
        account.is_none_or(|a| a == name)
            && integration.is_none_or(|i| {
                analysis
                    .graph
                    .integrations_of(u)
                    .iter()
                    .any(|&x| model.integrations[x].name.value == i)
            })
    };
    (0..model.users.len())
        .filter(|&u| analysis.graph.is_automation(snapshot, u) && wanted(u))
        .map(|u| derive_account(analysis, u))
        .collect()
}

fn derive_account(analysis: &Analysis, u: usize) -> AccountDerivation {
    let snapshot = &analysis.snapshot;
    let model = &snapshot.model;
    let user = &model.users[u];
    let minimal = &analysis.minimal[u];
    let integrations: Vec<String> = analysis
        .graph
        .integrations_of(u)
        .iter()
        .map(|&i| model.integrations[i].name.value.to_string())
        .collect();
    let needed: Vec<NeededGrant> = minimal
        .grants
        .iter()
        .map(|(grant, required)| NeededGrant {
            grant: grant.clone(),
            level: required.level,
            needed_by: required
                .needs
                .iter()
                .map(|n| {
                    let i = &model.integrations[n.integration];
                    NeededBy {
                        integration: i.name.value.to_string(),
                        action: i.intents[n.intent].action.value.to_string(),
                    }
                })
                .collect(),
        })
        .collect();
    let difference = |d: &crate::minimal::GrantDiff| GrantDifference {
        grant: d.grant.clone(),
        held: d.held,
        needed: d.needed,
    };
    let diffs = &analysis.diffs[u];
    let missing = diffs
        .iter()
        .filter(|d| d.is_missing())
        .map(difference)
        .collect();
    let excess = diffs
        .iter()
        .filter(|d| d.is_excess())
        .map(difference)
        .collect();
    let mut fragment = Fragment {
        role: valid_name(&format!("Integration: {}", integrations.join(" + "))),
        api_access: !integrations.is_empty(),
        service_account: user.is_service_account(),
        active: user.is_active(),
        ..Fragment::default()
    };
    if integrations.is_empty() {
        fragment.role = String::new();
    }
    for (grant, required) in &minimal.grants {
        match grant {
            Grant::Module(m) => fragment.modules.push(m.clone()),
            Grant::Application(a) => {
                fragment.applications.insert(a.clone(), required.level);
            }
            Grant::Step(s) => {
                fragment.steps.insert(s.clone(), required.level);
            }
            Grant::Build(a) => {
                fragment.build_access.insert(a.clone(), required.level);
            }
        }
    }
    if !fragment.steps.is_empty() {
        fragment.permission_set = Some(format!("{} steps", fragment.role));
    }
    if !fragment.role.is_empty() {
        choose_names(analysis, u, &mut fragment);
    }
    if fragment.modules.iter().any(|m| m == "BUILD") {
        fragment.restrict_build_access = model
            .applications
            .iter()
            .enumerate()
            .filter(|(a, app)| {
                snapshot.application_named(&app.name.value) == Some(*a) && !app.is_restricted()
            })
            .map(|(_, app)| app.name.value.to_string())
            .collect();
        fragment.restrict_build_access.sort();
    }
    AccountDerivation {
        account: user.name.value.to_string(),
        integrations,
        minimal: needed,
        missing,
        excess,
        fragment,
    }
}

/// A name made valid for the snapshot: control characters become spaces,
/// runs of white space one space, no white space at either end. Derived
/// names are built from integration names, which may hold anything.
fn valid_name(name: &str) -> String {
    let spaced: String = name
        .chars()
        .map(|c| {
            if c.is_control() || c.is_whitespace() {
                ' '
            } else {
                c
            }
        })
        .collect();
    spaced
        .split(' ')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// `base`, or `base (2)`, `base (3)`, ... : the first that `taken` does not
/// hold.
fn fresh_name(base: &str, taken: &dyn Fn(&str) -> bool) -> String {
    (2..)
        .map(|n| format!("{base} ({n})"))
        .find(|name| !taken(name))
        .unwrap_or_else(|| base.to_string())
}

/// Keeps the usual role and permission set names only where putting the
/// fragment in place changes nobody else's access: a definition of that name
/// is reused only when account `u` alone holds it and it grants exactly the
/// fragment's grants; otherwise the fragment takes a fresh name and says why.
fn choose_names(analysis: &Analysis, u: usize, fragment: &mut Fragment) {
    let snapshot = &analysis.snapshot;
    let usual_role = fragment.role.clone();
    if !role_reusable(analysis, u, fragment, &usual_role) {
        let role = fresh_name(&usual_role, &|n| snapshot.role_named(n).is_some());
        fragment.renamed.push(Renamed {
            kind: "role",
            usual: usual_role,
            chosen: role.clone(),
        });
        fragment.role = role;
    }
    if fragment.permission_set.is_some() {
        let usual_set = format!("{} steps", fragment.role);
        let set = if set_reusable(analysis, fragment, &usual_set, &fragment.role) {
            usual_set
        } else {
            let fresh = fresh_name(&usual_set, &|n| snapshot.permission_set_named(n).is_some());
            fragment.renamed.push(Renamed {
                kind: "permission set",
                usual: usual_set,
                chosen: fresh.clone(),
            });
            fresh
        };
        fragment.permission_set = Some(set);
    }
}

/// The steps the named permission sets grant together, at the highest level.
fn steps_granted<'a>(
    analysis: &Analysis,
    sets: impl Iterator<Item = &'a str>,
) -> BTreeMap<String, Level> {
    let (snapshot, model) = (&analysis.snapshot, &analysis.snapshot.model);
    let mut steps: BTreeMap<String, Level> = BTreeMap::new();
    for set in sets {
        let Some(p) = snapshot.permission_set_named(set) else {
            continue;
        };
        for e in &model.permission_sets[p].steps {
            let level = steps
                .entry(e.target.value.to_string())
                .or_insert(e.level.value);
            *level = (*level).max(e.level.value);
        }
    }
    steps
}

/// Whether the fragment may take permission set name `name` (for its role
/// `role`): no set has it, or one that grants exactly the fragment's steps
/// and that no other role and no user holds.
fn set_reusable(analysis: &Analysis, fragment: &Fragment, name: &str, role: &str) -> bool {
    let model = &analysis.snapshot.model;
    if analysis.snapshot.permission_set_named(name).is_none() {
        return true;
    }
    let held_by_other_roles = model
        .roles
        .iter()
        .any(|r| r.name.value != role && r.permission_sets.iter().any(|s| s.value == name));
    let held_by_users = model
        .users
        .iter()
        .any(|user| user.permission_sets.iter().any(|s| s.value == name));
    steps_granted(analysis, std::iter::once(name)) == fragment.steps
        && !held_by_other_roles
        && !held_by_users
}

/// Whether the fragment may take role name `name`: no role has it, or one
/// that account `u` alone holds and that grants exactly the fragment's
/// modules, Application Entitlements and steps.
fn role_reusable(analysis: &Analysis, u: usize, fragment: &Fragment, name: &str) -> bool {
    let Some(r) = analysis.snapshot.role_named(name) else {
        return true;
    };
    let role = &analysis.snapshot.model.roles[r];
    let alone = analysis.graph.members(r).iter().all(|(m, _)| *m == u);
    let modules: std::collections::BTreeSet<&str> =
        role.modules.iter().map(|m| m.value.as_str()).collect();
    let wanted: std::collections::BTreeSet<&str> =
        fragment.modules.iter().map(String::as_str).collect();
    let applications: BTreeMap<String, Level> = role
        .applications
        .iter()
        .map(|e| (e.target.value.to_string(), e.level.value))
        .collect();
    let steps = steps_granted(
        analysis,
        role.permission_sets.iter().map(|s| s.value.as_str()),
    );
    alone
        && modules == wanted
        && applications == fragment.applications
        && steps == fragment.steps
        && fragment
            .permission_set
            .as_deref()
            .is_none_or(|s| set_reusable(analysis, fragment, s, name))
}

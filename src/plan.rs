//! `rclint plan`: each automation account's minimal grant as the changes to
//! make in Risk Cloud, in order: API calls where Risk Cloud documents a
//! write (memberships: users and permission sets on a role, creating a
//! role, disabling a user), UI steps where it does not (a role's modules and
//! Application Entitlements, a permission set's steps, Build Access, the API
//! access toggle), identity-provider steps for users whose roles it manages,
//! and the attestations still missing. A plan changes nothing.

use crate::analysis::Analysis;
use crate::derive::AccountDerivation;
use crate::snapshot::{Snapshot, User};
use serde::Serialize;

/// Where a change is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Channel {
    /// Through Risk Cloud's API (a documented write).
    Api,
    /// In Risk Cloud's web UI (no documented write).
    Ui,
    /// In the identity provider that manages the user's roles.
    Idp,
}

/// One change to make.
#[derive(Debug, Clone, Serialize)]
pub struct Change {
    /// Where it is made.
    pub channel: Channel,
    /// What to do, in words.
    pub action: String,
    /// The API call, for an API change (`POST /api/v1/roles`, or the
    /// documented operation where the path is not published).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub call: Option<String>,
    /// The call's body, for an API change.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<serde_json::Value>,
}

/// A fact the account's verdicts need that nobody has stated yet, with a
/// stub to fill in.
#[derive(Debug, Clone, Serialize)]
pub struct AttestationStub {
    /// The fact (`api_access of svc-x`).
    pub fact: String,
    /// An `[[attestation]]` ready to fill in.
    pub stub: String,
}

/// The plan for one account.
#[derive(Debug, Clone, Serialize)]
pub struct AccountPlan {
    /// The account.
    pub account: String,
    /// Its id in Risk Cloud, where imported.
    pub id: Option<String>,
    /// The integrations that use it.
    pub integrations: Vec<String>,
    /// Whether it already holds exactly its minimal grant.
    pub nothing_to_change: bool,
    /// The changes, in the order to make them.
    pub changes: Vec<Change>,
    /// The attestations still missing.
    pub attestations_needed: Vec<AttestationStub>,
}

fn api(action: String, call: &str, body: serde_json::Value) -> Change {
    Change {
        channel: Channel::Api,
        action,
        call: Some(call.to_string()),
        body: Some(body),
    }
}

fn step(channel: Channel, action: String) -> Change {
    Change {
        channel,
        action,
        call: None,
        body: None,
    }
}

/// A role's id as a call names it: its id where imported, else a
/// placeholder the reader fills in.
fn role_id(snapshot: &Snapshot, name: &str) -> String {
    snapshot
        .role_named(name)
        .and_then(|r| snapshot.model.roles[r].id.as_ref())
        .map_or_else(
            || format!("<id of role '{name}'>"),
            |id| id.value.to_string(),
        )
}

/// A membership change: an Update Role call, or, for a user whose roles
/// the identity provider manages, a step there.
fn membership(snapshot: &Snapshot, user: &User, role: &str, add: bool) -> Change {
    let who = user.id().map_or_else(
        || format!("<id of '{}'>", user.name.value),
        |i| i.value.to_string(),
    );
    let verb = if add { "add" } else { "remove" };
    let to_from = if add { "to" } else { "from" };
    if user.autoprovisioned().is_some_and(|a| a.value) {
        return step(
            Channel::Idp,
            format!(
                "{verb} '{}' {to_from} the group that grants role '{role}' (the identity \
                 provider manages this user's roles)",
                user.name.value
            ),
        );
    }
    let key = if add { "usersToAdd" } else { "usersToRemove" };
    api(
        format!("{verb} '{}' {to_from} role '{role}'", user.name.value),
        &format!("Update Role {}", role_id(snapshot, role)),
        serde_json::json!({ key: [who] }),
    )
}

/// The changes that give the account its dedicated role, with the role's
/// content where the role is new.
fn dedicated_role(snapshot: &Snapshot, d: &AccountDerivation, changes: &mut Vec<Change>) {
    let f = &d.fragment;
    if f.role.is_empty() || snapshot.role_named(&f.role).is_some() {
        return;
    }
    changes.push(api(
        format!("create role '{}'", f.role),
        "POST /api/v1/roles",
        serde_json::json!({ "name": f.role }),
    ));
    if !f.modules.is_empty() {
        changes.push(step(
            Channel::Ui,
            format!(
                "give role '{}' the module entitlements {} and no other",
                f.role,
                f.modules.join(", ")
            ),
        ));
    }
    for (app, level) in &f.applications {
        changes.push(step(
            Channel::Ui,
            format!(
                "give role '{}' the Application Entitlement {} on '{app}'",
                f.role,
                level.as_str()
            ),
        ));
    }
    if let Some(set) = &f.permission_set {
        if snapshot.permission_set_named(set).is_none() {
            let steps: Vec<String> = f
                .steps
                .iter()
                .map(|(s, l)| format!("{s} ({})", l.as_str()))
                .collect();
            changes.push(step(
                Channel::Ui,
                format!(
                    "create the step permission set '{set}' with {}",
                    steps.join(", ")
                ),
            ));
        }
        changes.push(api(
            format!("attach permission set '{set}' to role '{}'", f.role),
            &format!("Update Role {}", role_id(snapshot, &f.role)),
            serde_json::json!({ "permissionSetsToAdd": [format!("<id of permission set '{set}'>")] }),
        ));
    }
}

/// The changes for one account.
fn account_plan(
    analysis: &Analysis,
    d: &AccountDerivation,
    today: crate::time::Date,
) -> Option<AccountPlan> {
    let snapshot = &analysis.snapshot;
    let u = snapshot.user_named(&d.account)?;
    let user = &snapshot.model.users[u];
    let f = &d.fragment;
    let nothing_to_change = d.missing.is_empty() && d.excess.is_empty();
    let mut changes = Vec::new();
    if !nothing_to_change {
        dedicated_role(snapshot, d, &mut changes);
        let holds: Vec<&str> = user.roles.iter().map(|r| r.value.as_str()).collect();
        if !f.role.is_empty() && !holds.contains(&f.role.as_str()) {
            changes.push(membership(snapshot, user, &f.role, true));
        }
        for role in holds.iter().filter(|r| **r != f.role) {
            changes.push(membership(snapshot, user, role, false));
        }
        for entry in &user.applications {
            changes.push(step(
                Channel::Ui,
                format!(
                    "remove the Application Entitlement on '{}' granted to '{}' directly",
                    entry.target.value, user.name.value
                ),
            ));
        }
        for set in &user.permission_sets {
            changes.push(step(
                Channel::Ui,
                format!(
                    "remove the permission set '{}' granted to '{}' directly",
                    set.value, user.name.value
                ),
            ));
        }
        for (app, level) in &f.build_access {
            changes.push(step(
                Channel::Ui,
                format!(
                    "on '{app}', restrict Build Access and give '{}' Build Access ({})",
                    user.name.value,
                    level.as_str()
                ),
            ));
        }
        for app in f
            .restrict_build_access
            .iter()
            .filter(|a| !f.build_access.contains_key(*a))
        {
            changes.push(step(
                Channel::Ui,
                format!("on '{app}', restrict Build Access (BUILD reaches every unrestricted application)"),
            ));
        }
    }
    if f.api_access && user.api_access_known() != Some(true) {
        changes.push(step(
            Channel::Ui,
            format!("turn on API access for '{}'", user.name.value),
        ));
    }
    Some(AccountPlan {
        account: d.account.clone(),
        id: user.id().map(|i| i.value.to_string()),
        integrations: d.integrations.clone(),
        nothing_to_change: nothing_to_change && changes.is_empty(),
        changes,
        attestations_needed: stubs(analysis, u, d, today),
    })
}

/// The attestations the account's verdicts still need: its unknown API
/// access toggle and Application Entitlements, and the unknown Build Access
/// list of each restricted application it needs or could reach.
fn stubs(
    analysis: &Analysis,
    u: usize,
    d: &AccountDerivation,
    today: crate::time::Date,
) -> Vec<AttestationStub> {
    let snapshot = &analysis.snapshot;
    let user = &snapshot.model.users[u];
    let name = crate::escape::toml(&user.name.value);
    let tail = format!("by = \"\"\non = {today}\nevidence = \"\"\n");
    let mut out = Vec::new();
    if user.is_unknown("api_access") {
        out.push(AttestationStub {
            fact: format!("api_access of {}", user.name.value),
            stub: format!("[[attestation]]\nuser = {name}\napi_access = true   # or false, as Risk Cloud shows\n{tail}"),
        });
    }
    if snapshot.applications_unknown(u) {
        out.push(AttestationStub {
            fact: format!("applications of {}", user.name.value),
            stub: format!("[[attestation]]\nuser = {name}\napplications = {{}}   # APPLICATION = \"read\" | \"edit\", as Risk Cloud shows\n{tail}"),
        });
    }
    let holds_build = !analysis
        .graph
        .access(u)
        .explicit_module_paths("BUILD")
        .is_empty();
    for app in snapshot
        .model
        .applications
        .iter()
        .filter(|a| a.is_restricted() && a.is_unknown("build_access"))
    {
        if holds_build
            || d.fragment
                .build_access
                .contains_key(app.name.value.as_str())
        {
            out.push(AttestationStub {
                fact: format!("build_access of {}", app.name.value),
                stub: format!(
                    "[[attestation]]\napplication = {}\nbuild_access = {{}}   # ACCOUNT = \"read\" | \"edit\", the whole list Risk Cloud shows\n{tail}",
                    crate::escape::toml(&app.name.value)
                ),
            });
        }
    }
    out
}

/// The plan of every derived account, in derivation order; attestation
/// stubs are dated `today`.
pub fn plan(
    analysis: &Analysis,
    derivations: &[AccountDerivation],
    today: crate::time::Date,
) -> Vec<AccountPlan> {
    derivations
        .iter()
        .filter_map(|d| account_plan(analysis, d, today))
        .collect()
}

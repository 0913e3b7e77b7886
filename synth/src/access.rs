//! Permission sets, roles and users: a dedicated set and role per
//! automation account, the rest shared by people, and a few deliberate
//! violations of each rule.

use crate::integrations::Accounts;
use crate::layout::Layout;
use crate::{Need, Rng, Size, Tenant, account_name, app_name, q};
use std::collections::BTreeMap;
use std::fmt::Write;

/// Permission sets: one per account, the rest shared by people. Returns how
/// many are shared.
pub(crate) fn permission_sets(
    s: &Size,
    rng: &mut Rng,
    t: &mut Tenant,
    shape: &Layout,
    needs: &[Need],
) -> usize {
    let steps = &shape.steps;
    let shared_sets = s.sets.saturating_sub(s.accounts);
    let mut set_text = String::new();
    for (a, need) in needs.iter().enumerate() {
        let mut entries: Vec<(String, &str)> =
            need.steps.iter().map(|(k, v)| (k.clone(), *v)).collect();
        if rng.chance(2) && entries.len() > 1 {
            entries.pop(); // RC201: a needed step is missing
        }
        if rng.chance(2) {
            entries.push((steps[rng.below(steps.len())].1.clone(), "read")); // RC204
        }
        if entries.is_empty() {
            continue;
        }
        let body: Vec<String> = entries
            .iter()
            .map(|(k, v)| format!("{} = \"{v}\"", q(k)))
            .collect();
        let _ = write!(
            set_text,
            "[[permission_set]]\nname = \"Integration {a:05} steps\"\nsteps = {{ {} }}\n\n",
            body.join(", ")
        );
    }
    for k in 0..shared_sets {
        let n = 5 + rng.below(46);
        let start = rng.below(steps.len().saturating_sub(n).max(1));
        let body: Vec<String> = steps[start..(start + n).min(steps.len())]
            .iter()
            .map(|(_, p)| {
                format!(
                    "{} = \"{}\"",
                    q(p),
                    if rng.chance(50) { "edit" } else { "read" }
                )
            })
            .collect();
        let _ = write!(
            set_text,
            "[[permission_set]]\nname = \"Team steps {k:05}\"\nsteps = {{ {} }}\n\n",
            body.join(", ")
        );
    }
    for (chunk, part) in set_text
        .split_inclusive("\n\n")
        .collect::<Vec<_>>()
        .chunks(500)
        .enumerate()
    {
        t.push(
            format!("permission_sets/part-{chunk:03}.toml"),
            &part.concat(),
        );
    }

    shared_sets
}

/// Roles: one dedicated per account, the rest shared by people. Returns how
/// many are shared.
pub(crate) fn roles(
    s: &Size,
    rng: &mut Rng,
    t: &mut Tenant,
    needs: &[Need],
    shared_sets: usize,
) -> usize {
    let shared_roles = s.roles.saturating_sub(s.accounts).max(1);
    let mut role_text = String::new();
    for (a, need) in needs.iter().enumerate() {
        let mut modules: Vec<&str> = need.modules.keys().copied().collect();
        if rng.chance(2) {
            modules.push("ADMIN"); // RC101
        }
        if rng.chance(1) {
            modules.push("IMPORT"); // RC202
        }
        modules.sort();
        modules.dedup();
        let mods: Vec<String> = modules.iter().map(|m| q(m)).collect();
        let apps: Vec<String> = need
            .apps
            .iter()
            .map(|(k, v)| format!("{} = \"{v}\"", q(k)))
            .collect();
        let _ = write!(
            role_text,
            "[[role]]\nname = \"Integration: {a:05}\"\nmodules = [{}]\napplications = {{ {} }}\n",
            mods.join(", "),
            apps.join(", ")
        );
        if !need.steps.is_empty() {
            let _ = writeln!(
                role_text,
                "permission_sets = [\"Integration {a:05} steps\"]"
            );
        }
        role_text.push('\n');
    }
    for k in 0..shared_roles {
        let apps: Vec<String> = (0..1 + rng.below(3))
            .map(|_| {
                (
                    app_name(rng.skewed(s.applications)),
                    if rng.chance(40) { "edit" } else { "read" },
                )
            })
            .collect::<BTreeMap<_, _>>()
            .into_iter()
            .map(|(app, level)| format!("{} = \"{level}\"", q(&app)))
            .collect();
        let sets: Vec<String> = (0..1 + rng.below(3))
            .map(|_| format!("\"Team steps {:05}\"", rng.below(shared_sets.max(1))))
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        let module = if k % 10 == 0 {
            "[\"RECORDS\", \"TABLE_REPORTS_READ\"]"
        } else {
            "[\"RECORDS\"]"
        };
        let _ = write!(
            role_text,
            "[[role]]\nname = \"Team {k:05}\"\nmodules = {module}\napplications = {{ {} }}\n",
            apps.join(", ")
        );
        if shared_sets > 0 {
            let _ = writeln!(role_text, "permission_sets = [{}]", sets.join(", "));
        }
        role_text.push('\n');
    }
    for (chunk, part) in role_text
        .split_inclusive("\n\n")
        .collect::<Vec<_>>()
        .chunks(500)
        .enumerate()
    {
        t.push(format!("roles/part-{chunk:03}.toml"), &part.concat());
    }

    shared_roles
}

/// Users: service accounts first, then people (skewed role membership).
pub(crate) fn users(
    s: &Size,
    rng: &mut Rng,
    t: &mut Tenant,
    accounts: &Accounts,
    shared_roles: usize,
) {
    let (unused, people) = (accounts.unused, accounts.people);
    let mut user_text = String::new();
    for a in 0..s.accounts + unused {
        let mut roles = vec![format!("\"Integration: {a:05}\"")];
        if a >= s.accounts {
            roles.clear();
        }
        if rng.chance(2) {
            roles.push(format!("\"Team {:05}\"", rng.skewed(shared_roles))); // RC102/RC106
        }
        let _ = write!(
            user_text,
            "[[user]]\nname = {}\nservice_account = true\n",
            q(&account_name(a))
        );
        if !rng.chance(2) {
            user_text.push_str("api_access = true\n"); // otherwise RC103
        }
        if rng.chance(1) {
            user_text.push_str("active = false\n"); // RC109
        }
        let _ = writeln!(user_text, "roles = [{}]", roles.join(", "));
        if rng.chance(1) {
            let _ = writeln!(
                user_text,
                "applications = {{ {} = \"read\" }}",
                q(&app_name(rng.below(s.applications)))
            ); // RC107
        }
        user_text.push('\n');
    }
    for p in 0..people {
        let roles: Vec<String> = (0..1 + rng.below(3))
            .map(|_| format!("\"Team {:05}\"", rng.skewed(shared_roles)))
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        let _ = write!(
            user_text,
            "[[user]]\nname = \"person-{p:06}@example.com\"\nroles = [{}]\n\n",
            roles.join(", ")
        );
    }
    for (chunk, part) in user_text
        .split_inclusive("\n\n")
        .collect::<Vec<_>>()
        .chunks(1000)
        .enumerate()
    {
        t.push(format!("users/part-{chunk:03}.toml"), &part.concat());
    }
}

/// Snapshot problems a real export has now and then.
pub(crate) fn manual_edits(t: &mut Tenant) {
    t.push(
        "roles/zz-manual-edits.toml".into(),
        "# Edited by hand after the export.\n[[role]]\nname = \"Auditors (copy)\"\nmodules = [\"RECORD\"]\npermission_sets = [\"Team step 00001\"]\n",
    );
}

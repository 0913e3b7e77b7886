//! Integrations, their declared intents, and what each account needs.

use crate::layout::Layout;
use crate::{ACTIONS, Need, Rng, Size, TEAMS, Tenant, account_name, q, raise};
use std::collections::BTreeMap;
use std::fmt::Write;

/// The automation accounts: what each needs, who builds which application,
/// how many unused accounts and people there are.
pub(crate) struct Accounts {
    pub(crate) needs: Vec<Need>,
    pub(crate) builders: BTreeMap<usize, Vec<String>>,
    pub(crate) unused: usize,
    pub(crate) people: usize,
}

/// Integrations and their accounts.
pub(crate) fn integrations(
    s: &Size,
    rng: &mut Rng,
    t: &mut Tenant,
    shape: &Layout,
    report_steps: &[Vec<String>],
) -> Accounts {
    let workflows = &shape.workflows;
    let unused = (s.accounts / 100).max(1);
    let people = s.users.saturating_sub(s.accounts + unused).max(1);
    let shared_extra = s.integrations.saturating_sub(s.accounts);
    let mut account_of: Vec<usize> = (0..s.accounts).collect();
    for _ in 0..shared_extra {
        account_of.push(rng.below(s.accounts));
    }
    let mut builders: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    let mut needs: Vec<Need> = (0..s.accounts).map(|_| Need::default()).collect();
    let mut integration_text: BTreeMap<String, String> = BTreeMap::new();
    for (i, &acct) in account_of.iter().enumerate() {
        // Shared accounts mostly stay within the first integration's team.
        let team = TEAMS[if i < s.accounts || rng.chance(70) {
            acct % TEAMS.len()
        } else {
            rng.below(TEAMS.len())
        }];
        let personal = rng.chance(1);
        let account = if personal {
            // Someone who exists: integrations on personal accounts are RC108,
            // not unknown references.
            format!("person-{:06}@example.com", rng.below(people))
        } else {
            account_name(acct)
        };
        let mut it = String::new();
        let _ = writeln!(
            it,
            "[[integration]]\nname = \"Integration {i:05}\"\naccount = {}\nteam = {}",
            q(&account),
            q(team)
        );
        let _ = writeln!(
            it,
            "repository = \"git.example.com/{}/integration-{:05}\"",
            team.to_lowercase().replace(' ', "-"),
            if i < s.accounts { i } else { acct }
        );
        if !rng.chance(3) {
            let _ = writeln!(
                it,
                "owner = \"{}-oncall@example.com\"",
                team.to_lowercase().replace(' ', "-")
            );
        }
        if !rng.chance(3) {
            it.push_str("retry_on_401 = true\n");
        }
        if i >= s.accounts {
            it.push_str("token_source = \"vault:shared-tokens\"\n");
            if rng.chance(4) {
                it.push_str("environment = \"staging\"\n");
            }
        }
        let intents = 1 + rng.below(4);
        for _ in 0..intents {
            let mut roll = rng.below(100) as u64;
            let mut action = ACTIONS[0].0;
            for (a, w) in ACTIONS {
                if roll < w {
                    action = a;
                    break;
                }
                roll -= w;
            }
            let need = &mut needs[acct];
            let (wf, names) = &workflows[rng.skewed(workflows.len())];
            let app = wf.split('/').next().unwrap_or_default().to_string();
            let _ = writeln!(it, "\n[[integration.intent]]\naction = \"{action}\"");
            match action {
                "read-records" | "update-records" => {
                    let k = 1 + rng.below(names.len().min(4));
                    let chosen: Vec<&String> = names
                        .iter()
                        .skip(rng.below(names.len() - k + 1))
                        .take(k)
                        .collect();
                    let list: Vec<String> = chosen.iter().map(|p| q(p)).collect();
                    let _ = writeln!(it, "steps = [{}]", list.join(", "));
                    let level = if action == "read-records" {
                        "read"
                    } else {
                        "edit"
                    };
                    if level == "edit" {
                        need.modules.insert("RECORDS", ());
                    }
                    raise(&mut need.apps, app, level);
                    for p in chosen {
                        raise(&mut need.steps, p.clone(), level);
                    }
                }
                "create-records" | "bulk-import" => {
                    let _ = writeln!(it, "workflow = {}", q(wf));
                    need.modules.insert(
                        if action == "create-records" {
                            "RECORDS"
                        } else {
                            "IMPORT"
                        },
                        (),
                    );
                    raise(&mut need.apps, app, "edit");
                    raise(&mut need.steps, names[0].clone(), "edit");
                }
                "read-report" => {
                    let r = rng.below(s.reports.max(1));
                    let _ = writeln!(it, "report = \"Report {r:04}\"");
                    need.modules.insert("TABLE_REPORTS_READ", ());
                    for p in &report_steps[r] {
                        raise(
                            &mut need.apps,
                            p.split('/').next().unwrap_or_default().to_string(),
                            "read",
                        );
                        raise(&mut need.steps, p.clone(), "read");
                    }
                }
                "audit-export" => {
                    let _ = writeln!(it, "workflow = {}", q(wf));
                    need.modules.insert("STATUS", ());
                    raise(&mut need.apps, app, "read");
                    for p in names {
                        raise(&mut need.steps, p.clone(), "read");
                    }
                }
                _ => {
                    let a: usize = app[4..].parse().unwrap_or(0);
                    let _ = writeln!(it, "applications = [{}]", q(&app));
                    need.modules.insert("BUILD", ());
                    raise(&mut need.apps, app.clone(), "edit");
                    need.builds.insert(app, ());
                    if !personal {
                        builders.entry(a).or_default().push(account.clone());
                    }
                }
            }
        }
        it.push('\n');
        let file = format!(
            "integrations/{}.toml",
            team.to_lowercase().replace(' ', "-")
        );
        integration_text.entry(file).or_default().push_str(&it);
    }
    for (file, text) in integration_text {
        t.push(file, &text);
    }

    Accounts {
        needs,
        builders,
        unused,
        people,
    }
}

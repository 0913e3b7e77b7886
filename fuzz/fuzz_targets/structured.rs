//! Structured snapshots: arbitrary tenants written as valid TOML, with names
//! from small pools so that references mostly resolve, through load, rules
//! and every output format.

#![no_main]

mod common;

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;

const APPS: [&str; 3] = ["Vendor Risk", "Policy", "Incidents <b>"];
const STEPS: [&str; 3] = ["Intake", "Review", "Closed"];
const MODULES: [&str; 7] = [
    "ADMIN",
    "BUILD",
    "RECORDS",
    "IMPORT",
    "TABLE_REPORTS_READ",
    "STATUS",
    "RECORD",
];
const ACTIONS: [&str; 8] = [
    "read-records",
    "create-records",
    "update-records",
    "bulk-import",
    "read-report",
    "audit-export",
    "modify-design",
    "delete-everything",
];
const ENVIRONMENTS: [&str; 4] = ["production", "staging", "ci", "development"];

#[derive(Arbitrary, Debug)]
struct Tenant {
    restricted: [bool; 3],
    build_access: Vec<(u8, u8, bool)>,
    sets: Vec<Vec<(u8, u8, bool)>>,
    roles: Vec<(Vec<u8>, Vec<(u8, bool)>, Vec<u8>)>,
    users: Vec<(
        bool,
        Option<bool>,
        Option<bool>,
        Vec<u8>,
        Vec<(u8, bool)>,
        Vec<u8>,
    )>,
    integrations: Vec<Integration>,
    split: u8,
}

#[derive(Arbitrary, Debug)]
struct Integration {
    account: u8,
    team: Option<u8>,
    owner: bool,
    retry: bool,
    environment: u8,
    central_tokens: bool,
    on_behalf: bool,
    intents: Vec<(u8, u8, Vec<u8>, Option<bool>)>,
}

fn q(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn pick<'a>(pool: &[&'a str], i: u8) -> &'a str {
    pool[i as usize % pool.len()]
}

fn step(i: u8) -> String {
    format!("{}/Flow/{}", pick(&APPS, i), pick(&STEPS, i / 3))
}

fn level(edit: bool) -> &'static str {
    if edit { "edit" } else { "read" }
}

fn user(i: u8) -> String {
    format!("svc-{}", i % 6)
}

fn render(t: &Tenant) -> Vec<String> {
    let mut parts = vec![String::new(), String::new()];
    let mut n = 0usize;
    let mut push = |text: String| {
        parts[n % 2].push_str(&text);
        n += 1;
    };
    for (a, app) in APPS.iter().enumerate() {
        let mut text = format!(
            "[[application]]\nname = {}\nrestrict_build_access = {}\n",
            q(app),
            t.restricted[a]
        );
        let entries: Vec<String> = t
            .build_access
            .iter()
            .filter(|(x, _, _)| *x as usize % APPS.len() == a)
            .map(|(_, u, e)| format!("{} = \"{}\"", q(&user(*u)), level(*e)))
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        if !entries.is_empty() {
            text.push_str(&format!("build_access = {{ {} }}\n", entries.join(", ")));
        }
        text.push_str("\n[[application.workflow]]\nname = \"Flow\"\nsteps = [\"Intake\", \"Review\", \"Closed\"]\n\n");
        push(text);
    }
    push("[[report]]\nname = \"Report\"\nsteps = [\"Vendor Risk/Flow/Intake\"]\n\n".into());
    for (s, steps) in t.sets.iter().take(6).enumerate() {
        let entries: std::collections::BTreeMap<String, bool> = steps
            .iter()
            .map(|(a, b, e)| (step(a.wrapping_add(*b)), *e))
            .collect();
        let body: Vec<String> = entries
            .iter()
            .map(|(k, e)| format!("{} = \"{}\"", q(k), level(*e)))
            .collect();
        push(format!(
            "[[permission_set]]\nname = \"Set {s}\"\nsteps = {{ {} }}\n\n",
            body.join(", ")
        ));
    }
    for (r, (modules, apps, sets)) in t.roles.iter().take(6).enumerate() {
        let modules: Vec<String> = modules.iter().map(|m| q(pick(&MODULES, *m))).collect();
        let apps: std::collections::BTreeMap<&str, bool> =
            apps.iter().map(|(a, e)| (pick(&APPS, *a), *e)).collect();
        let apps: Vec<String> = apps
            .iter()
            .map(|(a, e)| format!("{} = \"{}\"", q(a), level(*e)))
            .collect();
        let sets: Vec<String> = sets.iter().map(|s| format!("\"Set {}\"", s % 7)).collect();
        push(format!(
            "[[role]]\nname = \"Role {r}\"\nmodules = [{}]\napplications = {{ {} }}\npermission_sets = [{}]\n\n",
            modules.join(", "),
            apps.join(", "),
            sets.join(", ")
        ));
    }
    for (u, (service, active, api, roles, apps, sets)) in t.users.iter().take(6).enumerate() {
        let mut text = format!(
            "[[user]]\nname = {}\nservice_account = {service}\n",
            q(&user(u as u8))
        );
        if let Some(a) = active {
            text.push_str(&format!("active = {a}\n"));
        }
        if let Some(a) = api {
            text.push_str(&format!("api_access = {a}\n"));
        }
        let roles: Vec<String> = roles
            .iter()
            .map(|r| format!("\"Role {}\"", r % 7))
            .collect();
        text.push_str(&format!("roles = [{}]\n", roles.join(", ")));
        let apps: std::collections::BTreeMap<&str, bool> =
            apps.iter().map(|(a, e)| (pick(&APPS, *a), *e)).collect();
        if !apps.is_empty() {
            let apps: Vec<String> = apps
                .iter()
                .map(|(a, e)| format!("{} = \"{}\"", q(a), level(*e)))
                .collect();
            text.push_str(&format!("applications = {{ {} }}\n", apps.join(", ")));
        }
        let sets: Vec<String> = sets.iter().map(|s| format!("\"Set {}\"", s % 7)).collect();
        text.push_str(&format!("permission_sets = [{}]\n\n", sets.join(", ")));
        push(text);
    }
    for (i, it) in t.integrations.iter().take(6).enumerate() {
        let mut text = format!(
            "[[integration]]\nname = \"Integration {i}\"\naccount = {}\n",
            q(&user(it.account))
        );
        if let Some(team) = it.team {
            text.push_str(&format!("team = \"Team {}\"\n", team % 3));
        }
        if it.owner {
            text.push_str("owner = \"oncall@example.com\"\n");
        }
        text.push_str(&format!(
            "retry_on_401 = {}\nenvironment = {}\non_behalf_of_users = {}\n",
            it.retry,
            q(pick(&ENVIRONMENTS, it.environment)),
            it.on_behalf
        ));
        if it.central_tokens {
            text.push_str("token_source = \"vault\"\n");
        }
        for (action, target, steps, admin) in it.intents.iter().take(4) {
            let action = pick(&ACTIONS, *action);
            text.push_str(&format!(
                "\n[[integration.intent]]\naction = {}\n",
                q(action)
            ));
            match action {
                "create-records" | "bulk-import" => {
                    text.push_str(&format!("workflow = \"{}/Flow\"\n", pick(&APPS, *target)))
                }
                "read-report" => text.push_str("report = \"Report\"\n"),
                "modify-design" => {
                    text.push_str(&format!("applications = [{}]\n", q(pick(&APPS, *target))))
                }
                _ => {
                    let steps: Vec<String> = steps.iter().map(|s| q(&step(*s))).collect();
                    text.push_str(&format!("steps = [{}]\n", steps.join(", ")));
                    if let (Some(admin), "audit-export") = (admin, action) {
                        text.push_str(&format!("admin_data = {admin}\n"));
                    }
                }
            }
        }
        text.push('\n');
        push(text);
    }
    if t.split % 2 == 0 {
        vec![parts.concat()]
    } else {
        parts
    }
}

fuzz_target!(|tenant: Tenant| {
    let files = render(&tenant)
        .into_iter()
        .enumerate()
        .map(|(i, text)| (format!("part-{i}.toml"), Ok(text.into_bytes())))
        .collect();
    common::exercise(rclint::snapshot::load_bytes(files));
});

//! A deterministic synthetic Risk Cloud tenant, for trying rclint at scale,
//! for the benchmarks and for the regression test of the optimisations
//! (`cargo run --release --example synth -- --scale large --seed 7 OUT_DIR`).
//!
//! Sizes: `small` (the demo's order), `medium` (5,000 users), `large` (50,000
//! users, 2,000 automation accounts, 2,500 integrations, 3,000 roles, 5,000
//! permission sets, 200 applications, 1,000 workflows, 8,000 steps, 500
//! reports) and `xlarge` (10× large). Most automation accounts hold exactly
//! what their intents need through a dedicated role; a few percent carry a
//! deliberate violation of each rule. Same seed, same bytes.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::Path;

/// splitmix64: small, fast, and the same on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    /// Uniform in 0..n.
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    /// Skewed towards 0 (a few items are picked very often).
    fn skewed(&mut self, n: usize) -> usize {
        let r = (self.next() >> 11) as f64 / (1u64 << 53) as f64;
        ((r * r * r) * n as f64) as usize % n.max(1)
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

#[derive(Clone, Copy)]
struct Size {
    users: usize,
    accounts: usize,
    integrations: usize,
    roles: usize,
    sets: usize,
    applications: usize,
    workflows_per_app: usize,
    steps_per_workflow: usize,
    reports: usize,
}

/// The size of a scale name: `small`, `medium`, `large`, `xlarge`.
fn size(name: &str) -> Option<Size> {
    let large = Size {
        users: 50_000,
        accounts: 2_000,
        integrations: 2_500,
        roles: 3_000,
        sets: 5_000,
        applications: 200,
        workflows_per_app: 5,
        steps_per_workflow: 8,
        reports: 500,
    };
    match name {
        "small" => Some(Size {
            users: 40,
            accounts: 8,
            integrations: 10,
            roles: 14,
            sets: 14,
            applications: 3,
            workflows_per_app: 2,
            steps_per_workflow: 4,
            reports: 3,
        }),
        "medium" => Some(Size {
            users: 5_000,
            accounts: 200,
            integrations: 250,
            roles: 300,
            sets: 500,
            applications: 20,
            ..large
        }),
        "large" => Some(large),
        "xlarge" => Some(Size {
            users: 500_000,
            accounts: 20_000,
            integrations: 25_000,
            roles: 30_000,
            sets: 50_000,
            applications: 2_000,
            reports: 5_000,
            ..large
        }),
        _ => None,
    }
}

const ACTIONS: [(&str, u64); 7] = [
    ("read-records", 30),
    ("create-records", 20),
    ("update-records", 20),
    ("bulk-import", 8),
    ("read-report", 10),
    ("audit-export", 9),
    ("modify-design", 3),
];

const TEAMS: [&str; 12] = [
    "GRC Engineering",
    "Data Platform",
    "Security Operations",
    "Procurement",
    "Internal Audit",
    "IT Operations",
    "Finance Systems",
    "Legal Tech",
    "Vendor Management",
    "Privacy Office",
    "Compliance Analytics",
    "Platform",
];

fn q(s: &str) -> String {
    format!("\"{s}\"")
}

/// Grants an account needs: modules, application levels, step levels, builds.
#[derive(Default)]
struct Need {
    modules: BTreeMap<&'static str, ()>,
    apps: BTreeMap<String, &'static str>,
    steps: BTreeMap<String, &'static str>,
    builds: BTreeMap<String, ()>,
}

fn raise(map: &mut BTreeMap<String, &'static str>, key: String, level: &'static str) {
    let entry = map.entry(key).or_insert(level);
    if level == "edit" {
        *entry = "edit";
    }
}

/// The files of a tenant: relative path → text.
pub struct Tenant {
    /// Relative path → text.
    pub files: BTreeMap<String, String>,
}

impl Tenant {
    fn push(&mut self, file: String, text: &str) {
        self.files.entry(file).or_default().push_str(text);
    }
}

fn generate_size(s: Size, seed: u64) -> Tenant {
    let mut rng = Rng(seed);
    let mut t = Tenant {
        files: BTreeMap::new(),
    };
    // Applications, workflows, steps. A few applications do not restrict build access.
    let mut steps: Vec<(String, String)> = Vec::new(); // (workflow path, step path)
    let mut workflows: Vec<(String, Vec<String>)> = Vec::new();
    let mut restricted: Vec<bool> = Vec::new();
    let mut builders: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    let app_name = |a: usize| format!("App {a:04}");
    for a in 0..s.applications {
        let mut wfs = Vec::new();
        for w in 0..s.workflows_per_app {
            let wf = format!("{}/Workflow {w}", app_name(a));
            let names: Vec<String> = (0..s.steps_per_workflow)
                .map(|k| format!("Step {k}"))
                .collect();
            for n in &names {
                steps.push((wf.clone(), format!("{wf}/{n}")));
            }
            wfs.push((wf, names));
        }
        workflows.extend(wfs.iter().map(|(wf, names)| {
            (
                wf.clone(),
                names.iter().map(|n| format!("{wf}/{n}")).collect(),
            )
        }));
        // A handful of applications (at most four, whatever the scale) do not
        // restrict build access, as in a real tenant.
        restricted.push(!(a % 50 == 7 && a < 200));
    }
    let report_steps: Vec<Vec<String>> = (0..s.reports)
        .map(|_| {
            let (wf, names) = &workflows[rng.below(workflows.len())];
            let _ = wf;
            let k = 2 + rng.below(4);
            names.iter().take(k).cloned().collect()
        })
        .collect();
    let mut text = String::new();
    for (r, st) in report_steps.iter().enumerate() {
        let list: Vec<String> = st.iter().map(|p| q(p)).collect();
        let _ = write!(
            text,
            "[[report]]\nname = \"Report {r:04}\"\nsteps = [{}]\n\n",
            list.join(", ")
        );
    }
    t.push("reports.toml".into(), &text);

    // Integrations and their accounts.
    let unused = (s.accounts / 100).max(1);
    let people = s.users.saturating_sub(s.accounts + unused).max(1);
    let shared_extra = s.integrations.saturating_sub(s.accounts);
    let mut account_of: Vec<usize> = (0..s.accounts).collect();
    for _ in 0..shared_extra {
        account_of.push(rng.below(s.accounts));
    }
    let mut needs: Vec<Need> = (0..s.accounts).map(|_| Need::default()).collect();
    let mut integration_text: BTreeMap<String, String> = BTreeMap::new();
    let account_name = |a: usize| format!("svc-{a:05}");
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

    // Applications, now that Build Access is known.
    for (a, &is_restricted) in restricted.iter().enumerate() {
        let mut text = format!("[[application]]\nname = {}\n", q(&app_name(a)));
        if is_restricted {
            text.push_str("restrict_build_access = true\n");
            let mut list: Vec<String> = builders.get(&a).cloned().unwrap_or_default();
            list.sort();
            list.dedup();
            if !list.is_empty() {
                let entries: Vec<String> = list
                    .iter()
                    .map(|u| format!("{} = \"edit\"", q(u)))
                    .collect();
                let _ = writeln!(text, "build_access = {{ {} }}", entries.join(", "));
            }
        }
        for w in 0..s.workflows_per_app {
            let names: Vec<String> = (0..s.steps_per_workflow)
                .map(|k| q(&format!("Step {k}")))
                .collect();
            let _ = write!(
                text,
                "\n[[application.workflow]]\nname = \"Workflow {w}\"\nsteps = [{}]\n",
                names.join(", ")
            );
        }
        t.push(format!("applications/app-{a:04}.toml"), &text);
    }

    // Permission sets: one per account, the rest shared by people.
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

    // Roles: one dedicated per account, the rest shared by people.
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

    // Users: service accounts first, then people (skewed role membership).
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
    // Snapshot problems a real export has now and then.
    t.push(
        "roles/zz-manual-edits.toml".into(),
        "# Edited by hand after the export.\n[[role]]\nname = \"Auditors (copy)\"\nmodules = [\"RECORD\"]\npermission_sets = [\"Team step 00001\"]\n",
    );
    t
}

/// The tenant of a scale (`small`, `medium`, `large`, `xlarge`) and seed;
/// `None` for an unknown scale.
pub fn generate(scale: &str, seed: u64) -> Option<Tenant> {
    size(scale).map(|s| generate_size(s, seed))
}

impl Tenant {
    /// Writes every file under `dir`.
    pub fn write(&self, dir: &Path) -> std::io::Result<()> {
        for (file, text) in &self.files {
            let path = dir.join(file);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(&path, text)?;
        }
        Ok(())
    }
}

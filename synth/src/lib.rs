//! A deterministic synthetic Risk Cloud tenant, for trying rclint at scale,
//! for the benchmarks and for the regression test of the optimisations
//! (`cargo run --release --example synth -- --scale large --seed 7 OUT_DIR`).
//! Test and benchmark tooling: not part of the rclint library.
//!
//! Sizes: `small` (the demo's order), `medium` (5,000 users), `large` (50,000
//! users, 2,000 automation accounts, 2,500 integrations, 3,000 roles, 5,000
//! permission sets, 200 applications, 1,000 workflows, 8,000 steps, 500
//! reports) and `xlarge` (10× large). Most automation accounts hold exactly
//! what their intents need through a dedicated role; a few percent carry a
//! deliberate violation of each rule. Same seed, same bytes.

use std::collections::BTreeMap;
use std::path::Path;

/// splitmix64: small, fast, and the same on every machine.
pub(crate) struct Rng(pub(crate) u64);

impl Rng {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    /// Uniform in 0..n.
    pub(crate) fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    /// Skewed towards 0 (a few items are picked very often).
    pub(crate) fn skewed(&mut self, n: usize) -> usize {
        let r = (self.next() >> 11) as f64 / (1u64 << 53) as f64;
        ((r * r * r) * n as f64) as usize % n.max(1)
    }
    pub(crate) fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

#[derive(Clone, Copy)]
pub(crate) struct Size {
    pub(crate) users: usize,
    pub(crate) accounts: usize,
    pub(crate) integrations: usize,
    pub(crate) roles: usize,
    pub(crate) sets: usize,
    pub(crate) applications: usize,
    pub(crate) workflows_per_app: usize,
    pub(crate) steps_per_workflow: usize,
    pub(crate) reports: usize,
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

pub(crate) const ACTIONS: [(&str, u64); 7] = [
    ("read-records", 30),
    ("create-records", 20),
    ("update-records", 20),
    ("bulk-import", 8),
    ("read-report", 10),
    ("audit-export", 9),
    ("modify-design", 3),
];

pub(crate) const TEAMS: [&str; 12] = [
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

pub(crate) fn q(s: &str) -> String {
    format!("\"{s}\"")
}

/// Grants an account needs: modules, application levels, step levels, builds.
#[derive(Default)]
pub(crate) struct Need {
    pub(crate) modules: BTreeMap<&'static str, ()>,
    pub(crate) apps: BTreeMap<String, &'static str>,
    pub(crate) steps: BTreeMap<String, &'static str>,
    pub(crate) builds: BTreeMap<String, ()>,
}

pub(crate) fn raise(map: &mut BTreeMap<String, &'static str>, key: String, level: &'static str) {
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
    pub(crate) fn push(&mut self, file: String, text: &str) {
        self.files.entry(file).or_default().push_str(text);
    }
}

mod access;
mod integrations;
mod layout;

/// Every application name of the tenant: `App 0007`.
pub(crate) fn app_name(a: usize) -> String {
    format!("App {a:04}")
}

/// Every automation account name of the tenant: `svc-00007`.
pub(crate) fn account_name(a: usize) -> String {
    format!("svc-{a:05}")
}

/// The tenant of a size: each kind of entity in turn, with one random
/// sequence drawn in a fixed order, so the same seed gives the same bytes.
fn generate_size(s: Size, seed: u64) -> Tenant {
    let mut rng = Rng(seed);
    let mut t = Tenant {
        files: BTreeMap::new(),
    };
    let shape = layout::layout(&s);
    let report_steps = layout::reports(&s, &mut rng, &mut t, &shape);
    let accounts = integrations::integrations(&s, &mut rng, &mut t, &shape, &report_steps);
    layout::applications(&s, &mut t, &shape, &accounts.builders);
    let shared_sets = access::permission_sets(&s, &mut rng, &mut t, &shape, &accounts.needs);
    let shared_roles = access::roles(&s, &mut rng, &mut t, &accounts.needs, shared_sets);
    access::users(&s, &mut rng, &mut t, &accounts, shared_roles);
    access::manual_edits(&mut t);
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

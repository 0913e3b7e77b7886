//! Writes a deterministic synthetic tenant as the API responses `rclint
//! import` reads (the shapes of `tests/data/riskcloud/export`: v2 pages of
//! applications, workflows and steps; v1 users and roles; the step
//! permission set list and each set with its permissions), beside the
//! hand-written half of its snapshot (integrations and `rclint.toml`):
//!
//! ```sh
//! cargo run --release --example synth_export -- --scale large --seed 7 OUT_DIR
//! ```
//!
//! `OUT_DIR/export` is what to import; `OUT_DIR/snapshot` is where. For the
//! import benchmarks of `BENCHMARKS.md`.

use rclint::catalog::ModuleCatalog;
use rclint::snapshot::{Level, Model};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Elements per page, as `pull` asks.
const PAGE: usize = 100;

fn level(l: Level) -> &'static str {
    match l {
        Level::Read => "READ",
        Level::Edit => "EDIT",
    }
}

/// A Risk Cloud module code and operation the importer reads as `module`.
fn module_code(catalog: &ModuleCatalog, module: &str) -> Option<(String, &'static str)> {
    let codes: Vec<&str> = catalog
        .modules
        .iter()
        .flat_map(|m| m.riskcloud_codes.iter().map(String::as_str))
        .collect();
    for code in codes {
        for (edit, op) in [(true, "EDIT"), (false, "READ")] {
            if catalog.by_riskcloud_code(code, edit) == Some(module) {
                return Some((code.to_string(), op));
            }
        }
    }
    None
}

/// Writes `items` as v2 pages named `NAME-page-N.json`.
fn pages(dir: &Path, name: &str, items: Vec<Value>) -> std::io::Result<()> {
    let total = items.len();
    let count = total.div_ceil(PAGE).max(1);
    for (number, chunk) in items.chunks(PAGE).enumerate().chain(
        // An empty list is one empty page.
        (total == 0).then_some((0, &[][..])),
    ) {
        let page = json!({
            "content": chunk,
            "links": {},
            "page": {"size": PAGE, "number": number, "totalElements": total, "totalPages": count},
        });
        std::fs::write(
            dir.join(format!("{name}-page-{number}.json")),
            page.to_string(),
        )?;
    }
    Ok(())
}

/// The export of `model`: ids are the entity's kind and position.
fn export(model: &Model, dir: &Path) -> std::io::Result<()> {
    let catalog = ModuleCatalog::get();
    let mut apps = Vec::new();
    let (mut flows, mut steps) = (Vec::new(), Vec::new());
    let mut step_ids: BTreeMap<String, String> = BTreeMap::new();
    let mut app_ids: BTreeMap<String, String> = BTreeMap::new();
    for (a, app) in model.applications.iter().enumerate() {
        let id = format!("app-{a}");
        app_ids.insert(app.name.value.to_string(), id.clone());
        apps.push(json!({"object": "application", "id": id, "name": app.name.value.as_str(), "restrictBuildAccess": app.is_restricted(), "live": true}));
        for (w, flow) in app.workflows.iter().enumerate() {
            let flow_id = format!("wf-{a}-{w}");
            flows.push(json!({"object": "workflow", "id": flow_id, "name": flow.name.value.as_str(), "applicationId": id, "recordPrefix": "R"}));
            let last = flow.steps.len().saturating_sub(1);
            for (s, step) in flow.steps.iter().enumerate() {
                let step_id = format!("st-{a}-{w}-{s}");
                let kind = match s {
                    0 => "ORIGIN",
                    _ if s == last => "END",
                    _ => "CHAIN",
                };
                step_ids.insert(
                    format!("{}/{}/{}", app.name.value, flow.name.value, step.value),
                    step_id.clone(),
                );
                steps.push(json!({"object": "step", "id": step_id, "name": step.value.as_str(), "type": kind, "workflow": {"id": flow_id, "name": flow.name.value.as_str()}}));
            }
        }
    }
    pages(dir, "applications", apps)?;
    pages(dir, "workflows", flows)?;
    pages(dir, "steps", steps)?;
    let set_ids: BTreeMap<&str, String> = model
        .permission_sets
        .iter()
        .enumerate()
        .map(|(p, set)| (set.name.value.as_str(), format!("ps-{p}")))
        .collect();
    let mut list = Vec::new();
    for (p, set) in model.permission_sets.iter().enumerate() {
        let id = format!("ps-{p}");
        list.push(json!({"id": id, "name": set.name.value.as_str(), "defaultStepPermissionSetForNewUsers": false, "stepCount": set.steps.len()}));
        let permissions: Vec<Value> = set
            .steps
            .iter()
            .filter_map(|e| {
                let step = step_ids.get(e.target.value.as_str())?;
                Some(json!({"id": format!("{id}-{step}"), "step": {"id": step}, "permissionType": level(e.level.value)}))
            })
            .collect();
        let detail = json!({"id": id, "name": set.name.value.as_str(), "permissions": permissions});
        std::fs::write(
            dir.join(format!("permission-set-{p:05}.json")),
            detail.to_string(),
        )?;
    }
    pages(dir, "permission-sets", list)?;
    let entitlements = |entries: &[rclint::snapshot::LevelEntry]| -> Vec<Value> {
        entries
            .iter()
            .filter_map(|e| {
                let app = app_ids.get(e.target.value.as_str())?;
                Some(json!({"applicationId": app, "permissionType": level(e.level.value)}))
            })
            .collect()
    };
    let role_ids: BTreeMap<&str, String> = model
        .roles
        .iter()
        .enumerate()
        .map(|(r, role)| (role.name.value.as_str(), format!("r-{r}")))
        .collect();
    let roles: Vec<Value> = model
        .roles
        .iter()
        .enumerate()
        .map(|(r, role)| {
            let modules: Vec<Value> = role
                .modules
                .iter()
                .filter_map(|m| module_code(catalog, &m.value))
                .map(|(code, op)| json!({"type": "MODULE", "operationType": op, "module": {"id": code.to_lowercase(), "value": code}}))
                .collect();
            let sets: Vec<Value> = role
                .permission_sets
                .iter()
                .filter_map(|s| set_ids.get(s.value.as_str()))
                .map(|id| json!({"id": id}))
                .collect();
            json!({"id": format!("r-{r}"), "name": role.name.value.as_str(), "superAdmin": false, "defaultRoleForNewUsers": role.default_for_new_users, "moduleEntitlements": modules, "stepPermissionSets": sets, "applicationEntitlements": entitlements(&role.applications)})
        })
        .collect();
    std::fs::write(dir.join("roles.json"), Value::Array(roles).to_string())?;
    let users: Vec<Value> = model
        .users
        .iter()
        .enumerate()
        .map(|(u, user)| {
            let ids = |names: &[rclint::source::Located<rclint::snapshot::Name>], of: &BTreeMap<&str, String>| -> Vec<String> {
                names.iter().filter_map(|n| of.get(n.value.as_str()).cloned()).collect()
            };
            json!({"id": format!("u-{u}"), "email": user.name.value.as_str(), "active": user.is_active(), "serviceAccount": user.is_service_account(), "apiAccess": user.has_api_access(), "roleIds": ids(&user.roles, &role_ids), "stepPermissionSetIds": ids(&user.permission_sets, &set_ids), "applicationEntitlements": entitlements(&user.applications), "autoprovisioned": false})
        })
        .collect();
    std::fs::write(dir.join("users.json"), Value::Array(users).to_string())
}

fn run() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (mut scale, mut seed, mut out) = ("small".to_string(), 7u64, None::<PathBuf>);
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--scale" => scale = it.next().ok_or("--scale needs a value")?.clone(),
            "--seed" => {
                seed = it
                    .next()
                    .and_then(|s| s.parse().ok())
                    .ok_or("--seed takes a number")?
            }
            other if other.starts_with('-') => return Err(format!("unknown option {other}")),
            other => out = Some(PathBuf::from(other)),
        }
    }
    let out = out.ok_or("usage: synth_export [--scale NAME] [--seed N] OUT_DIR")?;
    write(&scale, seed, &out)?;
    eprintln!(
        "wrote the export to {} and the hand-written snapshot to {}",
        out.join("export").display(),
        out.join("snapshot").display()
    );
    Ok(())
}

/// Writes the tenant of `scale` and `seed` under `out`: `synthetic/` (the
/// whole snapshot, as the synth example writes it), `export/` (its API
/// responses) and `snapshot/` (its hand-written half and `rclint.toml`).
pub fn write(scale: &str, seed: u64, out: &Path) -> Result<(), String> {
    let tenant = rclint_synth::generate(scale, seed)
        .ok_or_else(|| format!("unknown scale '{scale}' (small, medium, large, xlarge)"))?;
    let whole = out.join("synthetic");
    tenant.write(&whole).map_err(|e| e.to_string())?;
    let loaded = rclint::snapshot::load(std::slice::from_ref(&whole), &|_| false)
        .map_err(|e| e.to_string())?;
    let (export_dir, snapshot) = (out.join("export"), out.join("snapshot"));
    std::fs::create_dir_all(&export_dir).map_err(|e| e.to_string())?;
    export(&loaded.snapshot.model, &export_dir).map_err(|e| e.to_string())?;
    // The hand-written half: the integrations and the saved reports (no
    // response rclint imports carries them), where they were.
    let hand_written = |f: &str| f.starts_with("integrations") || f.starts_with("reports");
    for (file, text) in tenant.files.iter().filter(|(f, _)| hand_written(f)) {
        let path = snapshot.join(file);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| e.to_string())?;
        }
        std::fs::write(&path, text).map_err(|e| e.to_string())?;
    }
    std::fs::write(
        snapshot.join("rclint.toml"),
        "[import]\napi_access = \"apiAccess\"\n",
    )
    .map_err(|e| e.to_string())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

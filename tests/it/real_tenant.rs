//! What real Risk Cloud tenants answer and what real integrations do
//! (`../shared/riskcloud-api/`, "What real tenants answer" and
//! `integrations-seen.md`): LogicGate's module codes at their level, the
//! intents public integrations amount to, and `explain` for both.

use crate::common;

use crate::common::cli::{rclint, stdout};
use std::path::Path;
use std::process::Output;

/// A role with `codes` (code, operationType) imported alone with one user:
/// the role's modules as written.
fn imported_modules(codes: &[(&str, &str)]) -> (Output, Vec<String>) {
    let dir = tempfile::tempdir().expect("tempdir");
    let export = dir.path().join("export");
    std::fs::create_dir_all(&export).expect("mkdir");
    let entitlements: Vec<_> = codes
        .iter()
        .map(|(code, op)| serde_json::json!({"type": "MODULE", "operationType": op, "module": {"id": code.to_lowercase(), "value": code, "name": code}}))
        .collect();
    let roles = serde_json::json!([{"id": "r-1", "name": "Role", "superAdmin": false, "moduleEntitlements": entitlements}]);
    std::fs::write(export.join("roles.json"), roles.to_string()).expect("write");
    let out_dir = dir.path().join("snapshot");
    let out = rclint(&[
        "import",
        export.to_str().expect("utf-8"),
        "-o",
        out_dir.to_str().expect("utf-8"),
        "--as-of",
        "2026-12-01T00:00:00Z",
    ]);
    let text = std::fs::read_to_string(out_dir.join("access/roles.toml")).unwrap_or_default();
    let parsed: toml::Table = text.parse().expect("valid TOML");
    let modules = parsed
        .get("role")
        .and_then(|r| r.get(0))
        .and_then(|r| r.get("modules"))
        .and_then(|m| m.as_array())
        .map(|m| {
            m.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    (out, modules)
}

#[test]
fn every_module_code_of_logicgates_swagger_is_imported_at_its_level() {
    let (out, modules) = imported_modules(&[
        ("ADMIN_ALL", "EDIT"),
        ("A_BUILD", "EDIT"),
        ("A_IMPORT", "EDIT"),
        ("A_ASSIGN", "EDIT"),
        ("A_ALL_FIELDS", "READ"),
        ("A_API_ACCESS", "EDIT"),
        ("R_RECORDS", "EDIT"),
        ("R_STATUS", "READ"),
        ("R_PRODUCTIVITY", "READ"),
        ("R_TABLE_REPORTS", "EDIT"),
        ("R_DASHBOARDS", "READ"),
    ]);
    assert_ne!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        modules,
        [
            "ADMIN",
            "ALL_FIELDS",
            "API_ACCESS",
            "ASSIGN",
            "BUILD",
            "DASHBOARDS",
            "IMPORT",
            "PRODUCTIVITY",
            "RECORDS",
            "STATUS",
            "TABLE_REPORTS_EDIT",
        ]
    );
    let (_, read_only) = imported_modules(&[("R_TABLE_REPORTS", "READ"), ("A_ALL_FIELDS", "EDIT")]);
    assert_eq!(read_only, ["ALL_FIELDS_EDIT", "TABLE_REPORTS_READ"]);
    // A code newer than the table still stops the import, naming it.
    let (out, _) = imported_modules(&[("R_SOMETHING_NEW", "EDIT")]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("role 'Role' holds module code 'R_SOMETHING_NEW'")
    );
}

#[test]
fn explain_shows_modules_and_intents() {
    let out = rclint(&["explain", "DASHBOARDS"]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    assert!(text.starts_with("# module DASHBOARDS\n"), "{text}");
    assert!(
        text.contains("Implies: TABLE_REPORTS_EDIT, TABLE_REPORTS_READ."),
        "{text}"
    );
    assert!(text.contains("Risk Cloud codes: R_DASHBOARDS."), "{text}");
    let out = rclint(&["explain", "read-access-audits"]);
    let text = stdout(&out);
    assert!(text.contains("Modules: PRODUCTIVITY."), "{text}");
    assert!(text.contains("Changes data: no."), "{text}");
    let out = rclint(&["explain", "move-record"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("did you mean 'move-records'?"));
}

const TENANT: &str = r#"
[[application]]
name = "Vendor Risk"

[[application.workflow]]
name = "Assessment"
steps = ["Intake", "Review", "Closed"]

[[permission_set]]
name = "Mover steps"
steps = { "Vendor Risk/Assessment/Intake" = "edit", "Vendor Risk/Assessment/Closed" = "edit" }

[[role]]
name = "Integration: Mover"
modules = ["RECORDS", "ASSIGN", "PRODUCTIVITY"]
applications = { "Vendor Risk" = "edit" }
permission_sets = ["Mover steps"]

[[role]]
name = "Integration: Provisioning"
modules = ["ADMIN"]

[[user]]
name = "svc-mover"
service_account = true
api_access = true
roles = ["Integration: Mover"]

[[user]]
name = "svc-scim"
service_account = true
api_access = true
roles = ["Integration: Provisioning"]

[[integration]]
name = "Mover"
account = "svc-mover"
owner = "grc"

[[integration.intent]]
action = "move-records"
steps = ["Vendor Risk/Assessment/Intake", "Vendor Risk/Assessment/Closed"]

[[integration.intent]]
action = "assign-records"
steps = ["Vendor Risk/Assessment/Intake"]

[[integration.intent]]
action = "read-access-audits"

[[integration]]
name = "SCIM"
account = "svc-scim"
owner = "it"

[[integration.intent]]
action = "manage-users"
"#;

#[test]
fn intents_of_real_integrations_derive_their_grants_and_provisioning_stays_reported() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("tenant.toml"), TENANT).expect("write");
    let (outcome, _) = common::check(&[Path::new(dir.path())]);
    let ids = common::identities(&outcome);
    let of = |account: &str| -> Vec<(String, Option<String>)> {
        ids.iter()
            .filter(|i| i.2 == account)
            .map(|i| (i.0.clone(), i.3.clone()))
            .collect()
    };
    // The mover holds exactly what its three intents need.
    assert_eq!(of("svc-mover"), [], "{ids:?}");
    // Provisioning needs ADMIN: RC101 still reports it, naming the intent.
    assert_eq!(
        of("svc-scim"),
        [("RC101".to_string(), Some("module:ADMIN".to_string()))]
    );
    let rc101 = outcome
        .diagnostics
        .iter()
        .find(|d| d.finding.rule.code == "RC101")
        .expect("RC101");
    assert!(
        rc101
            .finding
            .message
            .contains("for the 'manage-users' intent of integration 'SCIM'"),
        "{}",
        rc101.finding.message
    );
}

/// Imports the test tenant's export, edited by `edit`, into a fresh copy of
/// its snapshot: the output and the generated roles and users.
fn import_test_tenant(edit: impl FnOnce(&Path)) -> (Output, String, String) {
    let dir = tempfile::tempdir().expect("tempdir");
    let export = dir.path().join("export");
    common::copy_dir(Path::new("tests/data/riskcloud/export"), &export);
    let snapshot = dir.path().join("snapshot");
    common::copy_dir(Path::new("tests/data/riskcloud/snapshot"), &snapshot);
    edit(&export);
    let out = rclint(&[
        "import",
        export.to_str().expect("utf-8"),
        "-o",
        snapshot.to_str().expect("utf-8"),
        "--as-of",
        "2026-12-01T00:00:00Z",
    ]);
    let read = |f: &str| std::fs::read_to_string(snapshot.join(f)).unwrap_or_default();
    (out, read("access/roles.toml"), read("access/users.toml"))
}

fn edit_json(path: &Path, edit: impl FnOnce(&mut serde_json::Value)) {
    let mut value: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("read")).expect("json");
    edit(&mut value);
    std::fs::write(path, value.to_string()).expect("write");
}

#[test]
fn older_step_entitlements_become_the_roles_own_permission_set() {
    let (out, roles, _) = import_test_tenant(|export| {
        edit_json(&export.join("roles.json"), |roles| {
            roles[0]["stepEntitlements"] = serde_json::json!([
                {"step": {"id": "st-review"}, "operationType": "EDIT"},
            ]);
            roles[0]["nodeEntitlements"] = serde_json::json!([
                {"node": {"id": "st-closed"}, "operationType": "READ"},
            ]);
        });
    });
    let said = String::from_utf8_lossy(&out.stderr);
    assert_ne!(out.status.code(), Some(2), "{said}");
    let parsed: toml::Table = roles.parse().expect("TOML");
    let role = parsed["role"]
        .as_array()
        .expect("roles")
        .iter()
        .find(|r| r["id"].as_str() == Some("r-risk"))
        .expect("r-risk");
    let sets: Vec<&str> = role["permission_sets"]
        .as_array()
        .expect("sets")
        .iter()
        .filter_map(|s| s.as_str())
        .collect();
    assert!(
        sets.contains(&"Integration: Risk Sync: step entitlements"),
        "{sets:?}"
    );
}

#[test]
fn a_super_user_is_read_as_admin_and_said_and_module_permission_sets_stop_the_import() {
    let (out, _, users) = import_test_tenant(|export| {
        edit_json(&export.join("users.json"), |users| {
            users[1]["superUser"] = true.into();
        });
    });
    let said = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{said}");
    assert!(
        said.contains("note: users.json#/1: user 'bob@acme.example' is a superUser"),
        "{said}"
    );
    assert!(users.contains("\"superUser (ADMIN)\""), "{users}");
    let (out, _, _) = import_test_tenant(|export| {
        edit_json(&export.join("users.json"), |users| {
            users[2]["modulePermissionSets"] = serde_json::json!([{"id": "mps-1"}]);
        });
    });
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("users.json#/2/modulePermissionSets: user 'carol@acme.example' holds module permission sets"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A small tenant answering in the shapes real tenants send ("What real
/// tenants answer" in `../shared/riskcloud-api/v1-shapes.md`): LogicGate's
/// module codes; v2 pages capped at two elements whatever `size` asks; v1
/// Spring pages with the paging fields at the root; users as a plain
/// array, with `lastLogin` an access audit object or `null` and no API
/// access field; `/api/v1/roles` without the locked role a user holds;
/// structure lists without the application the API user cannot see; 400
/// on a `created-min` that is not epoch milliseconds. A restricted
/// application (whose Build Access list no response carries) and an
/// account holding BUILD are there for the unknown-facts tests.
pub(crate) fn real_tenant(method: &str, url: &str) -> Option<common::riskcloud::Reply> {
    use common::riskcloud::{Reply, query};
    use serde_json::json;
    let q = query(url);
    let path = url.split('?').next().unwrap_or(url);
    let number: usize = q.get("page").and_then(|p| p.parse().ok()).unwrap_or(0);
    let v2 = |items: Vec<serde_json::Value>| {
        let total = items.len();
        let content: Vec<_> = items.into_iter().skip(number * 2).take(2).collect();
        Reply::json(json!({"content": content, "links": {}, "page": {"size": 2, "number": number, "totalElements": total, "totalPages": total.div_ceil(2).max(1)}}).to_string())
    };
    let v1_page = |items: Vec<serde_json::Value>| {
        let total = items.len();
        let pages = total.div_ceil(2).max(1);
        let content: Vec<_> = items.into_iter().skip(number * 2).take(2).collect();
        Reply::json(json!({"content": content, "totalPages": pages, "totalElements": total, "number": number, "size": 2, "numberOfElements": content.len(), "first": number == 0, "last": number + 1 >= pages, "empty": content.is_empty(), "sort": {}}).to_string())
    };
    if method == "POST" {
        return None; // the token endpoint of the ordinary fake
    }
    let module = |code: &str, op: &str| json!({"type": "MODULE", "operationType": op, "module": {"id": code.to_lowercase(), "value": code, "name": code, "tab": true, "active": true, "onlyUse": false}, "startId": null, "endId": null});
    match path {
        "/api/v2/applications" => Some(v2(vec![
            json!({"object": "application", "id": "app-vr", "name": "Vendor Risk", "restrictBuildAccess": false, "live": true}),
            json!({"object": "application", "id": "app-pm", "name": "Policy Management", "restrictBuildAccess": true, "live": true}),
        ])),
        // Whole lists unless filtered, as the v2 OpenAPI file has it.
        "/api/v2/workflows" => Some(v2(if q.get("application-id").is_none_or(|a| a == "app-vr") {
            vec![json!({"object": "workflow", "id": "wf-as", "name": "Assessment", "applicationId": "app-vr", "recordPrefix": "AS", "type": "STANDARD"})]
        } else {
            vec![]
        })),
        "/api/v2/steps" => Some(v2(if q.get("workflow-id").is_none_or(|w| w == "wf-as") {
            ["Intake:ORIGIN", "Review:CHAIN", "Approval:CHAIN", "Closed:END"]
                .iter()
                .map(|s| {
                    let (name, kind) = s.split_once(':').unwrap_or((s, "CHAIN"));
                    json!({"object": "step", "id": format!("st-{}", name.to_lowercase()), "name": name, "type": kind, "workflow": {"id": "wf-as", "name": "Assessment"}})
                })
                .collect()
        } else {
            vec![]
        })),
        "/api/v1/users" => Some(Reply::json(
            json!([
                {"id": "u-risk", "email": "svc-risk-sync", "active": true, "serviceAccount": true, "roleIds": ["r-risk", "r-locked"], "lastLogin": {"id": "aa-9", "created": 1_764_000_000_000_i64, "remoteAddress": "10.1.2.3"}, "autoprovisioned": false},
                {"id": "u-ana", "email": "ana@acme.example", "active": true, "serviceAccount": false, "roleIds": ["r-admin"], "lastLogin": null},
                {"id": "u-design", "email": "svc-design-sync", "active": true, "serviceAccount": true, "roleIds": ["r-design"], "lastLogin": null, "autoprovisioned": false},
            ])
            .to_string(),
        )),
        "/api/v1/roles" => Some(Reply::json(
            json!([
                {"id": "r-risk", "name": "Integration: Risk Sync", "active": true, "locked": false, "superAdmin": false, "defaultRoleForNewUsers": false, "stepPermissionSets": [{"id": "ps-3", "name": "Set three"}], "moduleEntitlements": [module("R_RECORDS", "EDIT"), module("R_TABLE_REPORTS", "EDIT"), module("A_ASSIGN", "EDIT")]},
                {"id": "r-admin", "name": "Administrators", "active": true, "locked": false, "superAdmin": false, "defaultRoleForNewUsers": false, "stepPermissionSets": [], "moduleEntitlements": [module("ADMIN_ALL", "EDIT")]},
                {"id": "r-design", "name": "Integration: Design Sync", "active": true, "locked": false, "superAdmin": false, "defaultRoleForNewUsers": false, "stepPermissionSets": [], "moduleEntitlements": [module("A_BUILD", "EDIT")]},
            ])
            .to_string(),
        )),
        "/api/v1/step-permission-sets" => Some(v1_page(
            (1..=3)
                .map(|n| json!({"id": format!("ps-{n}"), "name": format!("Set {}", ["one", "two", "three"][n - 1]), "defaultStepPermissionSetForNewUsers": false, "stepCount": 1, "userCount": 0, "roleCount": 1, "application": {"id": "app-vr", "name": "Vendor Risk"}}))
                .collect(),
        )),
        "/api/v2/audits/access" => {
            if q.get("created-min").is_some_and(|m| m.parse::<i64>().is_err()) {
                return Some(Reply {
                    status: 400,
                    headers: Vec::new(),
                    body: br#"{"status":400,"message":"created-min must be epoch milliseconds"}"#.to_vec(),
                });
            }
            let events = if q.get("type").map(String::as_str) == Some("TOKEN_ROLLED") {
                vec![json!({"object": "access_audit", "id": "ev-1", "type": "TOKEN_ROLLED", "user": {"id": "u-risk", "name": "Risk", "email": "svc-risk-sync"}, "created": 1_764_500_000_000_i64})]
            } else {
                vec![]
            };
            Some(v2(events))
        }
        _ => path.strip_prefix("/api/v1/step-permission-sets/").map(|id| {
            let n: usize = id.trim_start_matches("ps-").parse().unwrap_or(1);
            Reply::json(
                json!({"id": id, "name": format!("Set {}", ["one", "two", "three"][(n + 2) % 3]), "application": {"id": "app-vr"}, "permissions": [{"id": format!("{id}-p"), "step": {"id": "st-review"}, "permissionType": "EDIT"}]})
                    .to_string(),
            )
        }),
    }
}

#[test]
fn a_pull_of_a_tenant_answering_as_real_ones_do() {
    use common::riskcloud::{CLIENT, pull, serve_hostile, stderr};
    let server = serve_hostile(vec![], Box::new(real_tenant));
    let dir = tempfile::tempdir().expect("tempdir");
    let snapshot = dir.path().join("snapshot");
    std::fs::create_dir_all(&snapshot).expect("mkdir");
    std::fs::write(
        snapshot.join("rclint.toml"),
        "[pull]\npermission_sets = \"/api/v1/step-permission-sets\"\npermission_set = \"/api/v1/step-permission-sets/{id}\"\n",
    )
    .expect("config");
    let out = pull(
        &server.url,
        &["-o", snapshot.to_str().expect("utf-8")],
        CLIENT,
    );
    let said = stderr(&out);
    assert!(matches!(out.status.code(), Some(0 | 1)), "never 2: {said}");
    assert!(said.contains("ends every other token"), "{said}");
    let read = |f: &str| std::fs::read_to_string(snapshot.join(f)).expect(f);
    let roles: toml::Table = read("access/roles.toml").parse().expect("TOML");
    let modules_of = |name: &str| -> Vec<String> {
        roles["role"]
            .as_array()
            .expect("roles")
            .iter()
            .find(|r| r["name"].as_str() == Some(name))
            .and_then(|r| r["modules"].as_array())
            .map(|m| {
                m.iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    };
    assert_eq!(modules_of("Administrators"), ["ADMIN"]);
    assert_eq!(
        modules_of("Integration: Risk Sync"),
        ["ASSIGN", "RECORDS", "TABLE_REPORTS_EDIT"]
    );
    // The set on the second v1 page is there, with its step.
    let sets = read("access/permission-sets.toml");
    assert!(sets.contains("name = \"Set three\""), "{sets}");
    let users = read("access/users.toml");
    let activity = read("access/activity.toml");
    assert!(
        activity.contains("last_login = 2025-11-24T16:00:00Z"),
        "{activity}"
    );
    assert!(activity.contains("token_rolls = 1"), "{activity}");
    assert!(users.contains("\"unresolved role id r-locked\""), "{users}");
    // A user holding a locked role fails check, naming the id.
    let check = rclint(&["check", "-f", "concise", snapshot.to_str().expect("utf-8")]);
    assert_eq!(check.status.code(), Some(1));
    assert!(
        stdout(&check).contains("RC402 error: unknown role 'unresolved role id r-locked'"),
        "{}",
        stdout(&check)
    );
    let log = server.faults.lock().expect("log").log.clone();
    assert!(
        log.iter()
            .any(|l| l.starts_with("GET /api/v1/step-permission-sets?page=1")),
        "{log:?}"
    );
}

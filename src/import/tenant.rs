//! The tenant as the API describes it, by id: what each recognised element
//! says, before ids become names.

use super::json::{Located, moment, text};
use super::recognise::Kind;
use super::{Fatal, Fields, Problem};
use crate::catalog::{Level, ModuleCatalog};
use std::collections::BTreeMap;

/// An application (v2).
#[derive(Debug, Clone)]
pub struct App {
    pub(super) id: String,
    pub(super) name: String,
    pub(super) restricted: bool,
    pub(super) place: String,
}

/// A workflow (v2).
#[derive(Debug, Clone)]
pub struct Flow {
    pub(super) id: String,
    pub(super) name: String,
    pub(super) application: String,
    pub(super) place: String,
}

/// A step (v2): ORIGIN, CHAIN or END.
#[derive(Debug, Clone)]
pub struct Step {
    pub(super) id: String,
    pub(super) name: String,
    pub(super) origin: bool,
    pub(super) end: bool,
    pub(super) workflow: String,
    pub(super) place: String,
}

/// A reference by id, with where it was read.
#[derive(Debug, Clone)]
pub struct IdRef {
    pub(super) id: String,
    pub(super) place: String,
}

/// A grant of a level on something named by id (a step, an application).
#[derive(Debug, Clone)]
pub struct LevelRef {
    pub(super) id: String,
    pub(super) level: Level,
    pub(super) place: String,
}

/// A role (v1).
#[derive(Debug, Clone)]
pub struct RoleData {
    pub(super) id: String,
    pub(super) name: String,
    pub(super) modules: Vec<String>,
    pub(super) permission_sets: Vec<IdRef>,
    pub(super) applications: Vec<LevelRef>,
    pub(super) default_for_new_users: bool,
    pub(super) place: String,
}

/// A step permission set: from the list (no permissions) or the detail.
#[derive(Debug, Clone)]
pub struct SetData {
    pub(super) id: String,
    pub(super) name: String,
    pub(super) steps: Option<Vec<LevelRef>>,
    pub(super) place: String,
}

/// A user (v1).
#[derive(Debug, Clone)]
pub struct UserData {
    pub(super) id: String,
    pub(super) name: String,
    pub(super) service_account: bool,
    pub(super) active: bool,
    pub(super) api_access: Option<bool>,
    pub(super) last_login: Option<jiff::Timestamp>,
    pub(super) roles: Vec<IdRef>,
    pub(super) permission_sets: Vec<IdRef>,
    pub(super) applications: Vec<LevelRef>,
    pub(super) place: String,
}

/// Everything read, by kind, in the order read.
#[derive(Debug, Default)]
pub struct Tenant {
    pub(super) apps: Vec<App>,
    pub(super) flows: Vec<Flow>,
    pub(super) steps: Vec<Step>,
    pub(super) roles: Vec<RoleData>,
    pub(super) sets: BTreeMap<String, SetData>,
    pub(super) users: Vec<UserData>,
    /// Kinds that were read at all (an empty list counts for nothing).
    pub(super) kinds: Vec<Kind>,
    /// Access audit events: user id → activity.
    pub(super) activity: BTreeMap<String, Activity>,
    /// The earliest audit event read: where token-roll counts start.
    pub(super) audits_since: Option<jiff::Timestamp>,
}

/// What the access audits say of one user.
#[derive(Debug, Clone, Default)]
pub struct Activity {
    /// The newest `LOGIN` event.
    pub(super) last_login: Option<jiff::Timestamp>,
    /// `TOKEN_ROLLED` and `CREDENTIALS_ROLLED` events.
    pub(super) token_rolls: u64,
}

/// How to read what Risk Cloud does not publish.
pub struct Reading<'a> {
    pub(super) fields: &'a Fields,
    pub(super) modules: &'a BTreeMap<String, String>,
}

/// The id and name every entity has; a missing one is a problem.
fn id_and_name(e: &Located, what: &str, problems: &mut Vec<Problem>) -> Option<(String, String)> {
    let id = e.text("id");
    let name = e.text("name");
    match (id, name) {
        (Some(id), Some(name)) => Some((id, name)),
        _ => {
            problems.push(Problem::new(
                e.place(),
                format!(
                    "this {what} has no id or no name (its keys: {}); it is not imported",
                    e.keys()
                ),
            ));
            None
        }
    }
}

/// A list of ids, written either as `key_ids` (`roleIds`) or as `key`
/// holding objects with an `id` (`roles`).
fn ids(e: &Located, ids_key: &str, objects_key: &str) -> Vec<IdRef> {
    if let Some(list) = e.get(ids_key) {
        return list
            .elements()
            .iter()
            .filter_map(|i| {
                Some(IdRef {
                    id: text(i.value)?,
                    place: i.place(),
                })
            })
            .collect();
    }
    e.get(objects_key)
        .map(|list| {
            list.elements()
                .iter()
                .filter_map(|o| {
                    Some(IdRef {
                        id: o.text("id").or_else(|| text(o.value))?,
                        place: o.place(),
                    })
                })
                .collect()
        })
        .unwrap_or_default()
}

/// A level written as `EDIT`, `READ`, `READ_ONLY`... (any case).
fn level_of(value: &str) -> Option<Level> {
    match value.to_ascii_uppercase().as_str() {
        "EDIT" | "WRITE" | "READ_WRITE" => Some(Level::Edit),
        "READ" | "READ_ONLY" | "READONLY" | "VIEW" => Some(Level::Read),
        _ => None,
    }
}

impl Reading<'_> {
    /// One grant of a level on something named by id: both fields must be
    /// there, or the import stops and names the keys that were.
    fn level_ref(&self, e: &Located, target: &[String], what: &str) -> Result<LevelRef, Fatal> {
        let missing = |field: &str, names: &[String]| {
            Fatal(format!(
                "{}: cannot tell the {field} of this {what}: none of the fields {} is there \
                 (its keys: {}); name the field in rclint.toml [import] {}",
                e.place(),
                names.join(", "),
                e.keys(),
                if field == "level" {
                    "level"
                } else {
                    target_noun(what)
                }
            ))
        };
        let (_, id) = e
            .first_of(target)
            .ok_or_else(|| missing(target_noun(what), target))?;
        let id = text(id.value).ok_or_else(|| missing(target_noun(what), target))?;
        let (_, level) = e
            .first_of(&self.fields.level)
            .ok_or_else(|| missing("level", &self.fields.level))?;
        let written = text(level.value).unwrap_or_default();
        let level = level_of(&written).ok_or_else(|| {
            Fatal(format!(
                "{}: '{written}' is not a level rclint knows (EDIT, WRITE, READ, READ_ONLY, VIEW)",
                level.place()
            ))
        })?;
        Ok(LevelRef {
            id,
            level,
            place: e.place(),
        })
    }

    fn applications(&self, e: &Located) -> Result<Vec<LevelRef>, Fatal> {
        let Some(list) = e.get("applicationEntitlements") else {
            return Ok(Vec::new());
        };
        list.elements()
            .iter()
            .map(|a| self.level_ref(a, &self.fields.application, "Application Entitlement"))
            .collect()
    }

    /// Reads the elements of one recognised file into the tenant.
    pub fn read(
        &self,
        kind: Kind,
        elements: &[Located],
        tenant: &mut Tenant,
        problems: &mut Vec<Problem>,
    ) -> Result<(), Fatal> {
        if kind != Kind::Empty && !tenant.kinds.contains(&kind) {
            tenant.kinds.push(kind);
        }
        for e in elements {
            match kind {
                Kind::Applications => {
                    let Some((id, name)) = id_and_name(e, "application", problems) else {
                        continue;
                    };
                    tenant.apps.push(App {
                        id,
                        name,
                        restricted: e.flag("restrictBuildAccess").unwrap_or(false),
                        place: e.place(),
                    });
                }
                Kind::Workflows => {
                    let Some((id, name)) = id_and_name(e, "workflow", problems) else {
                        continue;
                    };
                    let Some(application) = e.text("applicationId") else {
                        problems.push(Problem::new(
                            e.place(),
                            format!("workflow '{name}' names no applicationId; it is not imported"),
                        ));
                        continue;
                    };
                    tenant.flows.push(Flow {
                        id,
                        name,
                        application,
                        place: e.place(),
                    });
                }
                Kind::Steps => {
                    let Some((id, name)) = id_and_name(e, "step", problems) else {
                        continue;
                    };
                    let Some(workflow) = e.get("workflow").and_then(|w| w.text("id")) else {
                        problems.push(Problem::new(
                            e.place(),
                            format!("step '{name}' names no workflow id; it is not imported"),
                        ));
                        continue;
                    };
                    let kind = e.text("type").unwrap_or_default();
                    tenant.steps.push(Step {
                        id,
                        name,
                        origin: kind == "ORIGIN",
                        end: kind == "END",
                        workflow,
                        place: e.place(),
                    });
                }
                Kind::Roles => {
                    let Some((id, name)) = id_and_name(e, "role", problems) else {
                        continue;
                    };
                    let modules = self.modules(e, &name)?;
                    tenant.roles.push(RoleData {
                        permission_sets: ids(e, "stepPermissionSetIds", "stepPermissionSets"),
                        applications: self.applications(e)?,
                        default_for_new_users: e.flag("defaultRoleForNewUsers").unwrap_or(false),
                        place: e.place(),
                        id,
                        name,
                        modules,
                    });
                }
                Kind::PermissionSetList | Kind::PermissionSet => {
                    let Some((id, name)) = id_and_name(e, "permission set", problems) else {
                        continue;
                    };
                    let steps = match e.get("permissions") {
                        Some(list) => Some(
                            list.elements()
                                .iter()
                                .map(|p| self.level_ref(p, &self.fields.step, "permission"))
                                .collect::<Result<Vec<_>, _>>()?,
                        ),
                        None => None,
                    };
                    let entry = tenant.sets.entry(id.clone()).or_insert(SetData {
                        id,
                        name,
                        steps: None,
                        place: e.place(),
                    });
                    if steps.is_some() {
                        entry.steps = steps;
                        entry.place = e.place();
                    }
                }
                Kind::Users => {
                    let Some(id) = e.text("id") else {
                        problems.push(Problem::new(
                            e.place(),
                            format!(
                                "this user has no id (its keys: {}); it is not imported",
                                e.keys()
                            ),
                        ));
                        continue;
                    };
                    let Some(name) = e
                        .text("email")
                        .filter(|m| !m.is_empty())
                        .or_else(|| e.text("name"))
                    else {
                        problems.push(Problem::new(
                            e.place(),
                            format!("user {id} has no email and no name; it is not imported"),
                        ));
                        continue;
                    };
                    let off = |key: &str| e.flag(key) == Some(true);
                    let api_access = match e.first_of(&self.fields.api_access) {
                        None => None,
                        Some((field, v)) => Some(v.value.as_bool().ok_or_else(|| {
                            Fatal(format!(
                                "{}: the API access field '{field}' is {}, not true or false",
                                v.place(),
                                super::json::kind(v.value)
                            ))
                        })?),
                    };
                    tenant.users.push(UserData {
                        service_account: e.flag("serviceAccount").unwrap_or(false),
                        active: e.flag("active").unwrap_or(true)
                            && !off("disabled")
                            && !off("archived"),
                        api_access,
                        last_login: e.get("lastLogin").and_then(|v| moment(v.value)),
                        roles: ids(e, "roleIds", "roles"),
                        permission_sets: ids(e, "stepPermissionSetIds", "stepPermissionSets"),
                        applications: self.applications(e)?,
                        place: e.place(),
                        id,
                        name,
                    });
                }
                Kind::AccessAudits => {
                    let user = e.get("user").and_then(|u| u.text("id"));
                    let created = e.get("created").and_then(|c| moment(c.value));
                    let (Some(user), Some(created)) = (user, created) else {
                        problems.push(Problem::new(
                            e.place(),
                            "this access audit event names no user id or no time; it is not read"
                                .to_string(),
                        ));
                        continue;
                    };
                    tenant.audits_since =
                        Some(tenant.audits_since.map_or(created, |s| s.min(created)));
                    let activity = tenant.activity.entry(user).or_default();
                    match e.text("type").as_deref() {
                        Some("LOGIN") => {
                            activity.last_login = activity.last_login.max(Some(created));
                        }
                        Some("TOKEN_ROLLED" | "CREDENTIALS_ROLLED") => activity.token_rolls += 1,
                        _ => {}
                    }
                }
                Kind::Empty => {}
            }
        }
        Ok(())
    }

    /// A role's modules: each entitlement's code through the catalog and
    /// `[import.modules]`; ADMIN for a super admin. An unknown code stops
    /// the import: it names the code and the role.
    fn modules(&self, e: &Located, role: &str) -> Result<Vec<String>, Fatal> {
        let catalog = ModuleCatalog::get();
        let mut modules = Vec::new();
        if e.flag("superAdmin") == Some(true) {
            modules.push("ADMIN".to_string());
        }
        for m in e
            .get("moduleEntitlements")
            .map(|l| l.elements())
            .unwrap_or_default()
        {
            let Some(code) = m.get_path("module.value").and_then(|v| text(v.value)) else {
                return Err(Fatal(format!(
                    "{}: this module entitlement of role '{role}' has no module.value (its keys: {})",
                    m.place(),
                    m.keys()
                )));
            };
            let module = self
                .modules
                .get(&code)
                .map(String::as_str)
                .or_else(|| catalog.by_riskcloud_code(&code))
                .ok_or_else(|| {
                    Fatal(format!(
                        "{}: role '{role}' holds module code '{code}', which rclint cannot map \
                         to a module; add it to rclint.toml: [import.modules] {code} = \"MODULE\"",
                        m.place()
                    ))
                })?;
            modules.push(module.to_string());
        }
        modules.sort();
        modules.dedup();
        Ok(modules)
    }
}

fn target_noun(what: &str) -> &'static str {
    if what == "permission" {
        "step"
    } else {
        "application"
    }
}

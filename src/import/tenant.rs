//! The tenant as the API describes it, by id: what each recognised element
//! says, before ids become names.

use super::fields::{IdRef, id_and_name, ids, last_login, level_of, target_noun};
use super::json::{Located, moment, text};
use super::recognise::Kind;
use super::{Fatal, Fields, Problem};
use crate::catalog::{Level, ModuleCatalog};
use crate::snapshot::UserFacts;
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
    /// `None` when the export does not carry them.
    pub(super) applications: Option<Vec<LevelRef>>,
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
    /// The application its list entry or detail names (`application.id`).
    pub(super) application: Option<String>,
    /// Where the list named it, and where its detail was read.
    pub(super) listed_at: Option<String>,
    pub(super) detail_at: Option<String>,
}

/// A user (v1).
#[derive(Debug, Clone)]
pub struct UserData {
    pub(super) id: String,
    pub(super) name: String,
    pub(super) service_account: bool,
    pub(super) active: bool,
    pub(super) api_access: Option<bool>,
    /// Its details as the export gives them (its id is filled in by name).
    pub(super) facts: UserFacts,
    pub(super) roles: Vec<IdRef>,
    pub(super) permission_sets: Vec<IdRef>,
    /// `None` when the export does not carry them.
    pub(super) applications: Option<Vec<LevelRef>>,
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
    /// Audit event id → where it was read: an event read twice counts once.
    pub(super) events: BTreeMap<String, String>,
    /// Permission set ids a second list entry or detail was read for.
    pub(super) twice: Vec<(String, String, String)>,
    /// What was read on the safe side of a guess, said without failing.
    pub(super) notes: Vec<Problem>,
    /// Every key a user object held: named when no API-access field is
    /// found, so that one can be chosen.
    pub(super) user_keys: std::collections::BTreeSet<String>,
    /// Whether a role with the `superUser` id was read or made: asked for
    /// every `superUser`, so kept here rather than searched for.
    pub(super) super_user_role: bool,
}

/// The id of the role every `superUser` is imported with.
const SUPER_USER_ROLE: &str = "superUser";

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

impl Reading<'_> {
    /// One grant of a level on something named by id: both fields must be
    /// there, or the import stops and names the keys that were.
    fn level_ref(&self, e: &Located, target: &[String], what: &str) -> Result<LevelRef, Fatal> {
        self.level_ref_with(e, target, &self.fields.level, what)
    }

    /// [`Self::level_ref`] with the level read from `level_fields`.
    fn level_ref_with(
        &self,
        e: &Located,
        target: &[String],
        level_fields: &[String],
        what: &str,
    ) -> Result<LevelRef, Fatal> {
        let missing = |field: &str, names: &[String]| {
            Fatal(format!(
                "{}: cannot tell the {field} of this {what}: none of the fields {} is there \
                 (its keys: {}); name the field in {} [import] {}",
                e.place(),
                names.join(", "),
                e.keys(),
                self.fields.config,
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
        let id = text(id.value).ok_or_else(|| id.wrong_type("an id (a string)"))?;
        let (_, level) = e
            .first_of(level_fields)
            .ok_or_else(|| missing("level", level_fields))?;
        let written = text(level.value).ok_or_else(|| level.wrong_type("a level (a string)"))?;
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

    /// The Application Entitlements of a role or user; `None` when the
    /// object has no such field: unknown, not none.
    fn applications(&self, e: &Located) -> Result<Option<Vec<LevelRef>>, Fatal> {
        let Some(list) = e.array_of("applicationEntitlements")? else {
            return Ok(None);
        };
        list.iter()
            .map(|a| self.level_ref(a, &self.fields.application, "Application Entitlement"))
            .collect::<Result<Vec<_>, _>>()
            .map(Some)
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
            self.read_one(kind, e, tenant, problems)?;
        }
        Ok(())
    }

    /// Reads one element of a recognised kind; every field it reads is
    /// type checked.
    fn read_one(
        &self,
        kind: Kind,
        e: &Located,
        tenant: &mut Tenant,
        problems: &mut Vec<Problem>,
    ) -> Result<(), Fatal> {
        match kind {
            Kind::Applications => application(e, tenant, problems),
            Kind::Workflows => workflow(e, tenant, problems),
            Kind::Steps => step(e, tenant, problems),
            Kind::Roles => self.role(e, tenant, problems),
            Kind::PermissionSetList | Kind::PermissionSet => {
                self.permission_set(e, tenant, problems)
            }
            Kind::Users => self.user(e, tenant, problems),
            Kind::AccessAudits => access_audit(e, tenant, problems),
            Kind::Empty => Ok(()),
        }
    }

    /// One role (v1), with its step grants from before permission sets.
    fn role(
        &self,
        e: &Located,
        tenant: &mut Tenant,
        problems: &mut Vec<Problem>,
    ) -> Result<(), Fatal> {
        let Some((id, name)) = id_and_name(e, "role", problems)? else {
            return Ok(());
        };
        let modules = self.modules(e, &name)?;
        let mut permission_sets = ids(e, "stepPermissionSetIds", "stepPermissionSets", problems)?;
        if let Some(set) = self.step_entitlements(e, &id, &name)? {
            permission_sets.push(IdRef {
                id: set.id.clone(),
                place: set.place.clone(),
            });
            tenant.sets.insert(set.id.clone(), set);
        }
        tenant.super_user_role |= id == SUPER_USER_ROLE;
        tenant.roles.push(RoleData {
            permission_sets,
            applications: self.applications(e)?,
            default_for_new_users: e.bool_of("defaultRoleForNewUsers")?.unwrap_or(false),
            place: e.place(),
            id,
            name,
            modules,
        });
        Ok(())
    }

    /// One step permission set, listed or with its permissions: a set read
    /// both ways is one set; its permissions come from the detail.
    fn permission_set(
        &self,
        e: &Located,
        tenant: &mut Tenant,
        problems: &mut Vec<Problem>,
    ) -> Result<(), Fatal> {
        let Some((id, name)) = id_and_name(e, "permission set", problems)? else {
            return Ok(());
        };
        let steps = match e.array_of("permissions")? {
            Some(list) => Some(
                list.iter()
                    .map(|p| self.level_ref(p, &self.fields.step, "permission"))
                    .collect::<Result<Vec<_>, _>>()?,
            ),
            None => None,
        };
        let place = e.place();
        let application = match e.object_of("application")? {
            Some(a) => a.text_of("id")?,
            None => None,
        };
        let entry = tenant.sets.entry(id.clone()).or_insert(SetData {
            id: id.clone(),
            name: name.clone(),
            steps: None,
            place: place.clone(),
            application: None,
            listed_at: None,
            detail_at: None,
        });
        if entry.application.is_none() {
            entry.application = application;
        }
        if entry.name != name {
            problems.push(Problem::new(
                place.clone(),
                format!(
                    "permission set {id} is named '{name}' here and '{}' at {}; the \
                     first name is imported",
                    entry.name, entry.place
                ),
            ));
        }
        let seen = if steps.is_some() {
            &mut entry.detail_at
        } else {
            &mut entry.listed_at
        };
        if let Some(first) = seen.replace(place.clone()) {
            tenant.twice.push((id, place.clone(), first));
        }
        if steps.is_some() {
            entry.steps = steps;
            entry.place = place;
        }
        Ok(())
    }

    /// One v1 user.
    fn user(
        &self,
        e: &Located,
        tenant: &mut Tenant,
        problems: &mut Vec<Problem>,
    ) -> Result<(), Fatal> {
        // Bounded: a hostile export cannot grow it past a thousand keys.
        if let serde_json::Value::Object(map) = e.value
            && tenant.user_keys.len() < 1000
        {
            for key in map.keys().take(200).filter(|k| k.len() <= 100) {
                // Copied once: every user holds much the same keys.
                if !tenant.user_keys.contains(key) {
                    tenant.user_keys.insert(key.clone());
                }
            }
        }
        let Some(id) = e.text_of("id")? else {
            problems.push(Problem::new(
                e.place(),
                format!(
                    "this user has no id (its keys: {}); it is not imported",
                    e.keys()
                ),
            ));
            return Ok(());
        };
        let Some(name) = e
            .text_of("email")?
            .filter(|m| !m.is_empty())
            .or(e.text_of("name")?)
        else {
            problems.push(Problem::new(
                e.place(),
                format!("user {id} has no email and no name; it is not imported"),
            ));
            return Ok(());
        };
        let off = |key: &str| -> Result<bool, Fatal> { Ok(e.bool_of(key)? == Some(true)) };
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
        if e.array_of("modulePermissionSets")?
            .is_some_and(|sets| !sets.is_empty())
        {
            return Err(Fatal(format!(
                "{}/modulePermissionSets: user '{name}' holds module permission sets, whose \
                 meaning Risk Cloud does not publish; rclint will not guess what they grant: \
                 map them into a role by hand, or remove them in Risk Cloud",
                e.place()
            )));
        }
        let mut roles = ids(e, "roleIds", "roles", problems)?;
        if e.bool_of("superUser")? == Some(true) {
            // Unpublished: read on the safe side, as ADMIN, and said.
            tenant.notes.push(Problem::new(
                e.place(),
                format!(
                    "user '{name}' is a superUser, which Risk Cloud does not document: imported \
                     as holding ADMIN (role 'superUser (ADMIN)'), the safe side"
                ),
            ));
            if !tenant.super_user_role {
                tenant.super_user_role = true;
                tenant.roles.push(RoleData {
                    id: SUPER_USER_ROLE.to_string(),
                    name: "superUser (ADMIN)".to_string(),
                    modules: vec!["ADMIN".to_string()],
                    permission_sets: Vec::new(),
                    // ADMIN reaches every application: nothing unknown.
                    applications: Some(Vec::new()),
                    default_for_new_users: false,
                    place: e.place(),
                });
            }
            roles.push(IdRef {
                id: SUPER_USER_ROLE.to_string(),
                place: e.place(),
            });
        }
        tenant.users.push(UserData {
            service_account: e.bool_of("serviceAccount")?.unwrap_or(false),
            active: e.bool_of("active")?.unwrap_or(true) && !off("disabled")? && !off("archived")?,
            api_access,
            facts: UserFacts {
                last_login: last_login(e)?,
                autoprovisioned: e.bool_of("autoprovisioned")?,
                ..UserFacts::default()
            },
            roles,
            permission_sets: ids(e, "stepPermissionSetIds", "stepPermissionSets", problems)?,
            applications: self.applications(e)?,
            place: e.place(),
            id,
            name,
        });
        Ok(())
    }

    /// A role's step grants from before permission sets (`stepEntitlements`
    /// or `nodeEntitlements`, `{step|node: {id}, operationType}`, older
    /// tenants): a permission set of their own, `ROLE: step entitlements`,
    /// which the role holds.
    fn step_entitlements(
        &self,
        e: &Located,
        role_id: &str,
        role: &str,
    ) -> Result<Option<SetData>, Fatal> {
        let targets = ["step.id", "node.id", "stepId", "nodeId"].map(String::from);
        // The v1 Swagger's shape names the level operationType.
        let levels: Vec<String> = std::iter::once("operationType".to_string())
            .chain(self.fields.level.iter().cloned())
            .collect();
        let mut steps = Vec::new();
        for key in ["stepEntitlements", "nodeEntitlements"] {
            for grant in e.array_of(key)?.unwrap_or_default() {
                steps.push(self.level_ref_with(&grant, &targets, &levels, "step entitlement")?);
            }
        }
        if steps.is_empty() {
            return Ok(None);
        }
        Ok(Some(SetData {
            id: format!("{role_id}:step-entitlements"),
            name: format!("{role}: step entitlements"),
            steps: Some(steps),
            place: e.place(),
            application: None,
            listed_at: None,
            detail_at: None,
        }))
    }

    /// A role's modules: each entitlement's code through the catalog and
    /// `[import.modules]`; ADMIN for a super admin. An unknown code stops
    /// the import: it names the code and the role.
    fn modules(&self, e: &Located, role: &str) -> Result<Vec<String>, Fatal> {
        let catalog = ModuleCatalog::get();
        let mut modules = Vec::new();
        if e.bool_of("superAdmin")? == Some(true) {
            modules.push("ADMIN".to_string());
        }
        for m in e.array_of("moduleEntitlements")?.unwrap_or_default() {
            if !m.value.is_object() {
                return Err(m.wrong_type("a module entitlement (an object)"));
            }
            let code = match m.object_of("module")? {
                Some(module) => module.text_of("value")?,
                None => None,
            };
            let Some(code) = code else {
                return Err(Fatal(format!(
                    "{}: this module entitlement of role '{role}' has no module.value (its keys: {})",
                    m.place(),
                    m.keys()
                )));
            };
            let edit = m
                .text_of("operationType")?
                .is_some_and(|o| o.eq_ignore_ascii_case("EDIT"));
            let module = self
                .modules
                .get(&code)
                .map(String::as_str)
                .or_else(|| catalog.by_riskcloud_code(&code, edit))
                .ok_or_else(|| {
                    Fatal(format!(
                        "{}: role '{role}' holds module code '{code}', which rclint cannot map \
                         to a module; add it to {}: [import.modules] {code} = \"MODULE\"",
                        m.place(),
                        self.fields.config
                    ))
                })?;
            modules.push(module.to_string());
        }
        modules.sort();
        modules.dedup();
        Ok(modules)
    }
}

/// One application (v2).
fn application(e: &Located, tenant: &mut Tenant, problems: &mut Vec<Problem>) -> Result<(), Fatal> {
    let Some((id, name)) = id_and_name(e, "application", problems)? else {
        return Ok(());
    };
    tenant.apps.push(App {
        restricted: e.bool_of("restrictBuildAccess")?.unwrap_or(false),
        place: e.place(),
        id,
        name,
    });
    Ok(())
}

/// One workflow (v2); one without its application is not imported.
fn workflow(e: &Located, tenant: &mut Tenant, problems: &mut Vec<Problem>) -> Result<(), Fatal> {
    let Some((id, name)) = id_and_name(e, "workflow", problems)? else {
        return Ok(());
    };
    let Some(application) = e.text_of("applicationId")? else {
        problems.push(Problem::new(
            e.place(),
            format!("workflow '{name}' names no applicationId; it is not imported"),
        ));
        return Ok(());
    };
    tenant.flows.push(Flow {
        id,
        name,
        application,
        place: e.place(),
    });
    Ok(())
}

/// One step (v2); one without its workflow is not imported.
fn step(e: &Located, tenant: &mut Tenant, problems: &mut Vec<Problem>) -> Result<(), Fatal> {
    let Some((id, name)) = id_and_name(e, "step", problems)? else {
        return Ok(());
    };
    let workflow = match e.object_of("workflow")? {
        Some(w) => w.text_of("id")?,
        None => None,
    };
    let Some(workflow) = workflow else {
        problems.push(Problem::new(
            e.place(),
            format!("step '{name}' names no workflow id; it is not imported"),
        ));
        return Ok(());
    };
    let kind = e.text_of("type")?.unwrap_or_default();
    tenant.steps.push(Step {
        id,
        name,
        origin: kind == "ORIGIN",
        end: kind == "END",
        workflow,
        place: e.place(),
    });
    Ok(())
}

/// One access audit event: a login or a token roll of a user, counted once.
fn access_audit(
    e: &Located,
    tenant: &mut Tenant,
    problems: &mut Vec<Problem>,
) -> Result<(), Fatal> {
    let user = match e.object_of("user")? {
        Some(u) => u.text_of("id")?,
        None => None,
    };
    let created = match e.get("created") {
        Some(c) => Some(
            moment(c.value)
                .ok_or_else(|| c.wrong_type("a time (epoch milliseconds or ISO 8601)"))?,
        ),
        None => None,
    };
    let (Some(user), Some(created)) = (user, created) else {
        problems.push(Problem::new(
            e.place(),
            "this access audit event names no user id or no time; it is not read".to_string(),
        ));
        return Ok(());
    };
    if let Some(event) = e.text_of("id")? {
        if let Some(first) = tenant.events.get(&event) {
            problems.push(Problem::new(
                e.place(),
                format!(
                    "access audit event {event} was read already at {first} (a \
                     response saved twice?); it is counted once"
                ),
            ));
            return Ok(());
        }
        tenant.events.insert(event, e.place());
    }
    tenant.audits_since = Some(tenant.audits_since.map_or(created, |s| s.min(created)));
    let activity = tenant.activity.entry(user).or_default();
    match e.text_of("type")?.as_deref() {
        Some("LOGIN") => {
            activity.last_login = activity.last_login.max(Some(created));
        }
        Some("TOKEN_ROLLED" | "CREDENTIALS_ROLLED") => activity.token_rolls += 1,
        _ => {}
    }
    Ok(())
}

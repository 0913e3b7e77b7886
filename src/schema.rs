//! `rclint schema`: JSON Schemas of the snapshot format and of `rclint.toml`,
//! for editors (Taplo / Even Better TOML) to complete and validate them. The
//! structs here describe the format for the schema only; the loader reads the
//! files itself, with spans.

use crate::catalog::IntentCatalog;
use crate::catalog::ModuleCatalog;
use schemars::{JsonSchema, schema_for};
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// `"read"` or `"edit"`. Edit includes Read.
#[derive(JsonSchema)]
#[schemars(rename_all = "lowercase")]
#[allow(dead_code)]
enum Level {
    /// Read.
    Read,
    /// Edit (includes Read).
    Edit,
}

/// One Risk Cloud access snapshot file. Any file may hold any of the arrays.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
#[allow(dead_code)]
struct SnapshotFile {
    /// Applications, with their workflows and Build Access.
    application: Option<Vec<Application>>,
    /// Step Permission Sets.
    permission_set: Option<Vec<PermissionSet>>,
    /// Roles: module entitlements, Application Entitlements, permission sets.
    role: Option<Vec<Role>>,
    /// Users, people and service accounts.
    user: Option<Vec<User>>,
    /// Saved Table Reports.
    report: Option<Vec<Report>>,
    /// Declared intent of the integrations that call the Risk Cloud API.
    integration: Option<Vec<Integration>>,
}

/// An application.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
#[allow(dead_code)]
struct Application {
    /// Unique; may not contain `/`.
    name: String,
    /// Its id in Risk Cloud, written by `rclint import` so that a rename in
    /// Risk Cloud is detectable.
    id: Option<String>,
    /// When false (the default), every holder of BUILD can change this
    /// application's design; when true, only the users in `build_access`.
    restrict_build_access: Option<bool>,
    /// User → level: who may change the design when build access is restricted.
    build_access: Option<BTreeMap<String, Level>>,
    /// The application's workflows.
    workflow: Option<Vec<Workflow>>,
}

/// A workflow of an application.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
#[allow(dead_code)]
struct Workflow {
    /// Unique within the application; may not contain `/`.
    name: String,
    /// Its id in Risk Cloud, written by `rclint import` so that a rename in
    /// Risk Cloud is detectable.
    id: Option<String>,
    /// Step names, in order (at least one).
    steps: Vec<String>,
    /// The Origin Step, where new records are created (default: the first step).
    origin: Option<String>,
    /// Step name → its id in Risk Cloud (written by `rclint import`).
    step_ids: Option<BTreeMap<String, String>>,
}

/// A Step Permission Set.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
#[allow(dead_code)]
struct PermissionSet {
    /// Unique.
    name: String,
    /// Its id in Risk Cloud, written by `rclint import` so that a rename in
    /// Risk Cloud is detectable.
    id: Option<String>,
    /// Step path (`App/Workflow/Step`) → level.
    steps: BTreeMap<String, Level>,
}

/// A role.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
#[allow(dead_code)]
struct Role {
    /// Unique.
    name: String,
    /// Its id in Risk Cloud, written by `rclint import` so that a rename in
    /// Risk Cloud is detectable.
    id: Option<String>,
    /// Module entitlements: codes of the module catalog (`catalog/modules.toml`).
    modules: Option<Vec<String>>,
    /// Application → level: Application Entitlements.
    applications: Option<BTreeMap<String, Level>>,
    /// Step Permission Sets attached to the role.
    permission_sets: Option<Vec<String>>,
    /// Granted automatically to every new user.
    default_for_new_users: Option<bool>,
}

/// A user: a person or a service account.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
#[allow(dead_code)]
struct User {
    /// The login (e-mail or account name).
    name: String,
    /// Its id in Risk Cloud, written by `rclint import` so that a rename in
    /// Risk Cloud is detectable.
    id: Option<String>,
    /// A non-person identity made for an integration.
    service_account: Option<bool>,
    /// A disabled user's tokens are deleted (default true).
    active: Option<bool>,
    /// The API access toggle; off (the default) means every API call answers 401.
    api_access: Option<bool>,
    /// Role membership.
    roles: Option<Vec<String>>,
    /// Application Entitlements granted directly to the user.
    applications: Option<BTreeMap<String, Level>>,
    /// Permission sets granted directly to the user.
    permission_sets: Option<Vec<String>>,
    /// When the user last logged in: a TOML date-time with its offset
    /// (`2026-10-01T09:30:00Z`), or a date.
    last_login: Option<String>,
    /// How often the user's token or credentials were rolled since
    /// `token_rolls_since` (from Risk Cloud's access audits).
    #[schemars(range(min = 0))]
    token_rolls: Option<u64>,
    /// Start of the window `token_rolls` counts over (a TOML date-time).
    token_rolls_since: Option<String>,
}

/// A saved Table Report.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
#[allow(dead_code)]
struct Report {
    /// Unique.
    name: String,
    /// Every step path the report references.
    steps: Vec<String>,
}

/// Where an integration runs.
#[derive(JsonSchema)]
#[schemars(rename_all = "lowercase")]
#[allow(dead_code)]
enum Environment {
    /// Production (the default).
    Production,
    /// Staging.
    Staging,
    /// Continuous integration.
    Ci,
    /// A developer's machine.
    Development,
}

/// The declared intent of one integration.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
#[allow(dead_code)]
struct Integration {
    /// Unique.
    name: String,
    /// The user whose credentials it uses.
    account: String,
    /// Owning team.
    team: Option<String>,
    /// Where its code lives.
    repository: Option<String>,
    /// Who to ask before rotating its credentials (on-call contact).
    owner: Option<String>,
    /// Where it runs (default production).
    environment: Option<Environment>,
    /// It retries once when a call answers 401.
    retry_on_401: Option<bool>,
    /// `self` (the default): it generates its own tokens; anything else names
    /// the shared secret store it reads a centrally issued token from.
    token_source: Option<String>,
    /// It acts for specific human users, with their credentials.
    on_behalf_of_users: Option<bool>,
    /// What it does (at least one).
    intent: Vec<Intent>,
}

/// One thing an integration does.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
#[allow(dead_code)]
struct Intent {
    /// An action of the intent catalog.
    action: String,
    /// A workflow path, `App/Workflow`.
    workflow: Option<String>,
    /// Step paths, `App/Workflow/Step`.
    steps: Option<Vec<String>>,
    /// A report name.
    report: Option<String>,
    /// Application names.
    applications: Option<Vec<String>>,
    /// The audit export covers admin data.
    admin_data: Option<bool>,
}

/// rclint's config file, `rclint.toml`.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
#[allow(dead_code)]
struct ConfigFile {
    /// Severity per rule (name or code): "error", "warning", "note" or "off".
    rules: Option<BTreeMap<String, RuleLevel>>,
    /// What is part of the snapshot.
    snapshot: Option<SnapshotSection>,
    /// Accepted findings: auditable, justified, temporary.
    waiver: Option<Vec<Waiver>>,
    /// The compliance report.
    report: Option<ReportSection>,
    /// How `rclint import` reads what Risk Cloud's API does not publish.
    import: Option<ImportSection>,
    /// The v1 paths `rclint pull` fetches roles and permission sets from.
    pull: Option<PullSection>,
    /// Thresholds of the rules.
    rule_settings: Option<RuleSettingsSection>,
}

/// `[rule_settings]`.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
#[allow(dead_code)]
struct RuleSettingsSection {
    /// Days without a login after which an automation account with API
    /// access is stale (RC110; default 90).
    #[schemars(range(min = 1))]
    stale_after_days: Option<u32>,
}

/// `[import]` (see docs/import.md for the defaults).
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
#[allow(dead_code)]
struct ImportSection {
    /// Field name(s) of a user's API access toggle.
    api_access: Option<FieldNames>,
    /// Field name(s) of a permission's or Application Entitlement's level.
    level: Option<FieldNames>,
    /// Field name(s) of a permission's step id (dotted paths reach into objects).
    step: Option<FieldNames>,
    /// Field name(s) of an Application Entitlement's application id.
    application: Option<FieldNames>,
    /// Risk Cloud module code → module (`A_RECORDS = "RECORDS"`).
    modules: Option<BTreeMap<String, String>>,
}

/// One field name or several, tried in order.
#[derive(JsonSchema)]
#[schemars(untagged)]
#[allow(dead_code)]
enum FieldNames {
    /// One name.
    One(String),
    /// Names tried in order.
    Many(Vec<String>),
}

/// `[pull]`.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
#[allow(dead_code)]
struct PullSection {
    /// The v1 roles list (`/api/v1/...`).
    roles: Option<String>,
    /// The v1 step-permission-set list.
    permission_sets: Option<String>,
    /// One step permission set with its permissions; `{id}` stands for its id.
    permission_set: Option<String>,
}

/// A rule's severity, or off.
#[derive(JsonSchema)]
#[schemars(rename_all = "lowercase")]
#[allow(dead_code)]
enum RuleLevel {
    /// Fails the run.
    Error,
    /// Reported.
    Warning,
    /// Informational.
    Note,
    /// Not reported.
    Off,
}

/// `[snapshot]`.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
#[allow(dead_code)]
struct SnapshotSection {
    /// Globs, relative to the snapshot root, of files that are not part of the snapshot.
    exclude: Option<Vec<String>>,
}

/// `[report]`.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
#[allow(dead_code)]
struct ReportSection {
    /// The report's title (default: the snapshot folder's name).
    title: Option<String>,
}

/// An accepted finding.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
#[allow(dead_code)]
struct Waiver {
    /// The rule, by name or code.
    rule: String,
    /// The finding's subject name.
    subject: String,
    /// Narrows the waiver to one finding of that subject (`module:ADMIN`, ...).
    item: Option<String>,
    /// Why the finding is accepted.
    reason: String,
    /// The last day the waiver applies (a TOML date, 2027-03-31).
    expires: String,
    /// The ticket that tracks it.
    ticket: Option<String>,
    /// Who accepted the risk (shown in the report's waiver register).
    approver: Option<String>,
}

fn finish(mut schema: Value, id: &str) -> Value {
    if let Some(object) = schema.as_object_mut() {
        object.insert("$id".into(), json!(id));
    }
    schema
}

/// The JSON Schema of a snapshot file, with the actions of the embedded
/// intent catalog and the module codes of the module catalog.
pub fn snapshot() -> Value {
    let mut schema = schema_for!(SnapshotFile).to_value();
    let actions: Vec<&str> = IntentCatalog::get()
        .actions
        .iter()
        .map(|a| a.name.as_str())
        .collect();
    let modules: Vec<&str> = ModuleCatalog::get().codes().collect();
    if let Some(action) = schema.pointer_mut("/$defs/Intent/properties/action") {
        action["enum"] = json!(actions);
    }
    if let Some(items) = schema.pointer_mut("/$defs/Role/properties/modules/items") {
        items["examples"] = json!(modules);
    }
    for key in ["last_login", "token_rolls_since"] {
        if let Some(moment) = schema.pointer_mut(&format!("/$defs/User/properties/{key}")) {
            moment["format"] = json!("date-time");
        }
    }
    finish(schema, "rclint-snapshot.schema.json")
}

/// The JSON Schema of `rclint.toml`.
pub fn config() -> Value {
    let mut schema = schema_for!(ConfigFile).to_value();
    if let Some(expires) = schema.pointer_mut("/$defs/Waiver/properties/expires") {
        expires["format"] = json!("date");
    }
    finish(schema, "rclint-config.schema.json")
}

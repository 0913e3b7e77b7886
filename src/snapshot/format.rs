//! The snapshot format, described once: each entity's table, its keys, what
//! each key holds and what it means. The loader checks keys against it, the
//! JSON Schema (`rclint schema snapshot`) is built from it, and the TOML
//! emitter ([`super::emit`]) lays entities out in its order. A user's
//! details (its id, last login, token rolls) are declared where they are
//! stored, in [`super::model`], one line each.

use super::describe::{Entity, Key, Kind};

const NAME: Kind = Kind::Name { segment: false };
const SEGMENT: Kind = Kind::Name { segment: true };
const ID_DOC: &str = "Its id in Risk Cloud, written by `rclint import` so that a rename in Risk Cloud is detectable.";

/// `[[application]]`.
pub static APPLICATION: Entity = Entity {
    table: "application",
    noun: "application",
    title: "Application",
    doc: "An application.",
    keys: &[
        Key::required("name", SEGMENT, "Unique; may not contain `/`."),
        Key::optional("id", Kind::Text, ID_DOC),
        Key::optional(
            "restrict_build_access",
            Kind::Bool,
            "When false (the default), every holder of BUILD can change this application's \
             design; when true, only the users in `build_access`.",
        ),
        Key::optional(
            "build_access",
            Kind::Levels,
            "User → level: who may change the design when build access is restricted.",
        ),
        Key::optional(
            "workflow",
            Kind::Tables(&WORKFLOW),
            "The application's workflows.",
        ),
        Key::optional(
            "unknown",
            Kind::Strings,
            "Facts nobody has said: `build_access` when the export does not carry the Build \
             Access list of this restricted application (written by `rclint import`). Rules \
             that need it report it as not assessed until an attestation supplies it.",
        ),
    ],
    details: &[],
};

/// `[[application.workflow]]`.
pub static WORKFLOW: Entity = Entity {
    table: "workflow",
    noun: "workflow",
    title: "Workflow",
    doc: "A workflow of an application.",
    keys: &[
        Key::required(
            "name",
            SEGMENT,
            "Unique within the application; may not contain `/`.",
        ),
        Key::optional("id", Kind::Text, ID_DOC),
        Key::required(
            "steps",
            Kind::Strings,
            "Step names, in order (at least one).",
        ),
        Key::optional(
            "origin",
            Kind::Text,
            "The Origin Step, where new records are created (default: the first step).",
        ),
        Key::optional(
            "step_ids",
            Kind::StringMap,
            "Step name → its id in Risk Cloud (written by `rclint import`).",
        ),
    ],
    details: &[],
};

/// `[[permission_set]]`.
pub static PERMISSION_SET: Entity = Entity {
    table: "permission_set",
    noun: "permission set",
    title: "PermissionSet",
    doc: "A Step Permission Set.",
    keys: &[
        Key::required("name", NAME, "Unique."),
        Key::optional("id", Kind::Text, ID_DOC),
        Key::required(
            "steps",
            Kind::Levels,
            "Step path (`App/Workflow/Step`) → level.",
        ),
    ],
    details: &[],
};

/// `[[role]]`.
pub static ROLE: Entity = Entity {
    table: "role",
    noun: "role",
    title: "Role",
    doc: "A role.",
    keys: &[
        Key::required("name", NAME, "Unique."),
        Key::optional("id", Kind::Text, ID_DOC),
        Key::optional(
            "default_for_new_users",
            Kind::Bool,
            "Granted automatically to every new user.",
        ),
        Key::optional(
            "modules",
            Kind::Modules,
            "Module entitlements: codes of the module catalog (`catalog/modules.toml`).",
        ),
        Key::optional(
            "permission_sets",
            Kind::Strings,
            "Step Permission Sets attached to the role.",
        ),
        Key::optional(
            "applications",
            Kind::Levels,
            "Application → level: Application Entitlements.",
        ),
        Key::optional(
            "unknown",
            Kind::Strings,
            "Facts nobody has said: `applications` when the export does not carry the role's \
             Application Entitlements (written by `rclint import`).",
        ),
    ],
    details: &[],
};

/// `[[user]]`.
pub static USER: Entity = Entity {
    table: "user",
    noun: "user",
    title: "User",
    doc: "A user: a person or a service account.",
    keys: &[
        Key::required("name", NAME, "The login (e-mail or account name)."),
        Key::optional(
            "service_account",
            Kind::Bool,
            "A non-person identity made for an integration.",
        ),
        Key::optional(
            "active",
            Kind::Bool,
            "A disabled user's tokens are deleted (default true).",
        ),
        Key::optional(
            "api_access",
            Kind::Bool,
            "The API access toggle; off (the default) means every API call answers 401.",
        ),
        Key::optional("roles", Kind::Strings, "Role membership."),
        Key::optional(
            "permission_sets",
            Kind::Strings,
            "Permission sets granted directly to the user.",
        ),
        Key::optional(
            "applications",
            Kind::Levels,
            "Application Entitlements granted directly to the user.",
        ),
        Key::optional(
            "unknown",
            Kind::Strings,
            "Facts nobody has said: `api_access` when the export does not carry the user's API \
             access toggle, `applications` when it does not carry its Application Entitlements \
             (written by `rclint import`). Rules that need them report them as not assessed.",
        ),
    ],
    details: super::model::UserDetails::KEYS,
};

/// `[[report]]`.
pub static REPORT: Entity = Entity {
    table: "report",
    noun: "report",
    title: "Report",
    doc: "A saved Table Report.",
    keys: &[
        Key::required("name", NAME, "Unique."),
        Key::required(
            "steps",
            Kind::Strings,
            "Every step path the report references.",
        ),
    ],
    details: &[],
};

/// `[[integration]]`.
pub static INTEGRATION: Entity = Entity {
    table: "integration",
    noun: "integration",
    title: "Integration",
    doc: "The declared intent of one integration.",
    keys: &[
        Key::required("name", NAME, "Unique."),
        Key::required("account", Kind::Text, "The user whose credentials it uses."),
        Key::optional("team", Kind::Text, "Owning team."),
        Key::optional("repository", Kind::Text, "Where its code lives."),
        Key::optional(
            "owner",
            Kind::Text,
            "Who to ask before rotating its credentials (on-call contact).",
        ),
        Key::optional(
            "environment",
            Kind::Environment,
            "Where it runs (default production).",
        ),
        Key::optional(
            "retry_on_401",
            Kind::Bool,
            "It retries once when a call answers 401.",
        ),
        Key::optional(
            "token_source",
            Kind::Text,
            "`self` (the default): it generates its own tokens; anything else names the shared \
             secret store it reads a centrally issued token from.",
        ),
        Key::optional(
            "on_behalf_of_users",
            Kind::Bool,
            "It acts for specific human users, with their credentials.",
        ),
        Key::required(
            "intent",
            Kind::Tables(&INTENT),
            "What it does (at least one).",
        ),
    ],
    details: &[],
};

/// `[[integration.intent]]`.
pub static INTENT: Entity = Entity {
    table: "intent",
    noun: "intent",
    title: "Intent",
    doc: "One thing an integration does.",
    keys: &[
        Key::required("action", Kind::Action, "An action of the intent catalog."),
        Key::optional("workflow", Kind::Text, "A workflow path, `App/Workflow`."),
        Key::optional("steps", Kind::Strings, "Step paths, `App/Workflow/Step`."),
        Key::optional("report", Kind::Text, "A report name."),
        Key::optional("applications", Kind::Strings, "Application names."),
        Key::optional(
            "admin_data",
            Kind::Bool,
            "The audit export covers admin data.",
        ),
    ],
    details: &[],
};

/// `[[attestation]]`.
pub static ATTESTATION: Entity = Entity {
    table: "attestation",
    noun: "attestation",
    title: "Attestation",
    doc: "A person's statement of a fact the export does not carry.",
    keys: &[
        Key::optional("user", Kind::Text, "The user the fact is about."),
        Key::optional(
            "application",
            Kind::Text,
            "The application the fact is about.",
        ),
        Key::optional("role", Kind::Text, "The role the fact is about."),
        Key::optional(
            "api_access",
            Kind::Bool,
            "The user's API access toggle, as seen in Risk Cloud.",
        ),
        Key::optional(
            "build_access",
            Kind::Levels,
            "User → level: the application's Build Access list, as seen in Risk Cloud.",
        ),
        Key::optional(
            "applications",
            Kind::Levels,
            "Application → level: the user's or role's Application Entitlements, as seen.",
        ),
        Key::required("by", Kind::Text, "Who states it."),
        Key::required(
            "on",
            Kind::Moment,
            "When they looked (a TOML date, 2026-11-30).",
        ),
        Key::required(
            "evidence",
            Kind::Text,
            "What it rests on: a ticket, a screenshot's name.",
        ),
        Key::optional(
            "expires",
            Kind::Moment,
            "The last day it holds (default: `on` plus [rule_settings] attestation_days, 365).",
        ),
    ],
    details: &[],
};

/// `[[activity]]`: what Risk Cloud's access audits say a user did, kept
/// apart from its access so that a nightly pull's access diff shows access
/// changes only.
pub static ACTIVITY: Entity = Entity {
    table: "activity",
    noun: "activity record",
    title: "Activity",
    doc: "A user's activity: last login and token rolls (written by `rclint import`).",
    keys: &[
        Key::required("user", Kind::Text, "The user."),
        Key::optional(
            "last_login",
            Kind::Moment,
            "When the user last logged in (a TOML date-time).",
        ),
        Key::optional(
            "token_rolls",
            Kind::Count,
            "How often the user's token or credentials were rolled since `token_rolls_since`.",
        ),
        Key::optional(
            "token_rolls_since",
            Kind::Moment,
            "Start of the window `token_rolls` counts over.",
        ),
    ],
    details: &[],
};

/// The arrays of tables a snapshot file may hold, in the order the schema
/// lists them.
pub static TOP_LEVEL: [&Entity; 8] = [
    &APPLICATION,
    &PERMISSION_SET,
    &ROLE,
    &USER,
    &REPORT,
    &INTEGRATION,
    &ATTESTATION,
    &ACTIVITY,
];

/// What each top-level array holds (the schema's descriptions).
pub fn top_level_doc(entity: &Entity) -> &'static str {
    match entity.table {
        "application" => "Applications, with their workflows and Build Access.",
        "permission_set" => "Step Permission Sets.",
        "role" => "Roles: module entitlements, Application Entitlements, permission sets.",
        "user" => "Users, people and service accounts.",
        "report" => "Saved Table Reports.",
        "attestation" => "Facts the export does not carry, as a person states them.",
        "activity" => "Users' activity: last login and token rolls.",
        _ => "Declared intent of the integrations that call the Risk Cloud API.",
    }
}

/// The top-level entity written as `[[table]]`, if any.
pub fn top_level(table: &str) -> Option<&'static Entity> {
    TOP_LEVEL.iter().copied().find(|e| e.table == table)
}

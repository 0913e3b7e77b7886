//! The typed model of an access snapshot (see `docs/format.md`). Every value
//! keeps the span it was read from; references stay names, resolved by
//! [`super::Index`].

use super::describe::Kind;
use crate::source::{Located, Span};

pub use crate::catalog::Level;

/// A name or reference as the model keeps it: up to 24 bytes stored in
/// place, longer ones on the heap. Most names (`svc-00042`, `Role 0001`)
/// are short, and a snapshot holds hundreds of thousands of them.
pub type Name = compact_str::CompactString;

/// One `target = "level"` entry of a table such as `applications` or `steps`.
#[derive(Clone, Debug)]
pub struct LevelEntry {
    /// The key: what is granted (an application, a step path, a user).
    pub target: Located<Name>,
    /// The value.
    pub level: Located<Level>,
}

/// An `[[application]]`.
#[derive(Clone, Debug)]
pub struct Application {
    /// Its id in Risk Cloud, where it was imported (`id`): a rename in
    /// Risk Cloud keeps it.
    pub id: Option<Located<Name>>,
    /// Its name.
    pub name: Located<Name>,
    /// `restrict_build_access`, if written.
    pub restrict_build_access: Option<Located<bool>>,
    /// The explicit Build Access list (user → level).
    pub build_access: Vec<LevelEntry>,
    /// Its workflows.
    pub workflows: Vec<Workflow>,
    /// Facts nobody has said (`unknown`): `build_access`.
    pub unknown: Vec<Located<Name>>,
}

impl Application {
    /// Whether only the users on `build_access` may change its design.
    pub fn is_restricted(&self) -> bool {
        self.restrict_build_access.as_ref().is_some_and(|r| r.value)
    }
}

/// An `[[application.workflow]]`.
#[derive(Clone, Debug)]
pub struct Workflow {
    /// Its id in Risk Cloud, where it was imported (`id`): a rename in
    /// Risk Cloud keeps it.
    pub id: Option<Located<Name>>,
    /// Its name (within the application).
    pub name: Located<Name>,
    /// Step names, in order.
    pub steps: Vec<Located<Name>>,
    /// The Origin Step, if written (default: the first step).
    pub origin: Option<Located<Name>>,
    /// Step name → its id in Risk Cloud (`step_ids`), where imported.
    pub step_ids: Vec<(Located<Name>, Located<Name>)>,
}

/// A `[[permission_set]]` (Step Permission Set).
#[derive(Clone, Debug)]
pub struct PermissionSet {
    /// Its id in Risk Cloud, where it was imported (`id`): a rename in
    /// Risk Cloud keeps it.
    pub id: Option<Located<Name>>,
    /// Its name.
    pub name: Located<Name>,
    /// Step path → level.
    pub steps: Vec<LevelEntry>,
}

/// A `[[role]]`.
#[derive(Clone, Debug)]
pub struct Role {
    /// Its id in Risk Cloud, where it was imported (`id`): a rename in
    /// Risk Cloud keeps it.
    pub id: Option<Located<Name>>,
    /// Its name.
    pub name: Located<Name>,
    /// Module entitlements.
    pub modules: Vec<Located<Name>>,
    /// Application Entitlements.
    pub applications: Vec<LevelEntry>,
    /// Attached Step Permission Sets.
    pub permission_sets: Vec<Located<Name>>,
    /// Granted automatically to new users.
    pub default_for_new_users: bool,
    /// Facts nobody has said (`unknown`): `applications`.
    pub unknown: Vec<Located<Name>>,
}

impl Role {
    /// Whether its `key` (`applications`) is unknown.
    pub fn is_unknown(&self, key: &str) -> bool {
        self.unknown.iter().any(|k| k.value == key)
    }
}

/// A `[[user]]`.
#[derive(Clone, Debug)]
pub struct User {
    /// The login.
    pub name: Located<Name>,
    /// `service_account`, if written (default false).
    pub service_account: Option<Located<bool>>,
    /// `active`, if written (default true).
    pub active: Option<Located<bool>>,
    /// `api_access`, if written (default false).
    pub api_access: Option<Located<bool>>,
    /// Role memberships.
    pub roles: Vec<Located<Name>>,
    /// Application Entitlements held directly.
    pub applications: Vec<LevelEntry>,
    /// Permission sets held directly.
    pub permission_sets: Vec<Located<Name>>,
    /// Facts nobody has said (`unknown`): `api_access`.
    pub unknown: Vec<Located<Name>>,
    /// Its id, last login and token rolls, where written: boxed, as most
    /// users of a hand-written snapshot have none, and a user without them
    /// is 150 bytes smaller.
    pub details: Option<Box<UserDetails>>,
}

/// Declares a user's details: for each, its model field (an optional
/// located value), the reader that reads it, its key for the description,
/// and its plain value in [`UserFacts`], which
/// the importer fills and the emitter writes. One line per detail:
/// `/// doc` then `field: Type = reader, Kind;`.
macro_rules! user_details {
    ($( $(#[doc = $doc:literal])+ $field:ident : $ty:ty = $reader:ident, $kind:expr; )*) => {
        /// What Risk Cloud says about a user besides its access (`rclint
        /// import` writes it), each where written.
        #[derive(Clone, Debug, Default)]
        pub struct UserDetails {
            $( $(#[doc = $doc])+ pub $field: Option<$crate::source::Located<$ty>>, )*
        }

        /// A user's details as plain values, as the importer reads them.
        #[derive(Clone, Debug, Default, PartialEq)]
        pub struct UserFacts {
            $( $(#[doc = $doc])+ pub $field: Option<$ty>, )*
        }

        impl UserDetails {
            /// The keys of the details, in the order they are written.
            pub const KEYS: &'static [super::describe::Key] = &[
                $( super::describe::Key::optional(
                    stringify!($field), $kind, concat!($($doc),+).trim_ascii()), )*
            ];

            /// The details, boxed, unless none is written.
            pub fn boxed(self) -> Option<Box<UserDetails>> {
                let written = false $( || self.$field.is_some() )*;
                written.then(|| Box::new(self))
            }
        }

        impl User {
            $(
                $(#[doc = $doc])+
                pub fn $field(&self) -> Option<&$crate::source::Located<$ty>> {
                    self.details.as_ref()?.$field.as_ref()
                }
            )*
        }

        impl UserFacts {
            /// Each detail that has a value, by key, in order.
            pub fn values(&self) -> Vec<(&'static str, $crate::snapshot::emit::Value)> {
                let mut out = Vec::new();
                $( if let Some(v) = &self.$field {
                    out.push((stringify!($field), $crate::snapshot::emit::Value::from(v.clone())));
                } )*
                out
            }
        }

        impl UserDetails {
            /// Reads the details of a `[[user]]` table.
            pub(super) fn read(values: &mut impl super::describe::ReadValues) -> UserDetails {
                UserDetails { $( $field: values.$reader(stringify!($field)), )* }
            }
        }
    };
}

user_details! {
    /// Its id in Risk Cloud (`id`): a rename in Risk Cloud keeps it.
    id: Name = string, Kind::Text;
    /// When the user last logged in: a TOML date-time with its offset
    /// (`2026-10-01T09:30:00Z`), or a date.
    last_login: jiff::Timestamp = date_time, Kind::Moment;
    /// How often the user's token or credentials were rolled since
    /// `token_rolls_since` (from Risk Cloud's access audits).
    token_rolls: u64 = count, Kind::Count;
    /// Start of the window `token_rolls` counts over (a TOML date-time).
    token_rolls_since: jiff::Timestamp = date_time, Kind::Moment;
    /// Its roles are managed by the identity provider: Risk Cloud cannot
    /// change them (`autoprovisioned`).
    autoprovisioned: bool = bool, Kind::Bool;
}

impl User {
    /// `service_account = true`.
    pub fn is_service_account(&self) -> bool {
        self.service_account.as_ref().is_some_and(|v| v.value)
    }

    /// `active`, true unless written false.
    pub fn is_active(&self) -> bool {
        self.active.as_ref().is_none_or(|v| v.value)
    }

    /// `api_access = true`.
    pub fn has_api_access(&self) -> bool {
        self.api_access.as_ref().is_some_and(|v| v.value)
    }
}

/// A `[[report]]` (saved Table Report).
#[derive(Clone, Debug)]
pub struct Report {
    /// Its name.
    pub name: Located<Name>,
    /// Every step path it references.
    pub steps: Vec<Located<Name>>,
}

/// Where an integration runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Environment {
    /// `production` (the default).
    Production,
    /// `staging`.
    Staging,
    /// `ci`.
    Ci,
    /// `development`.
    Development,
}

impl Environment {
    /// Every environment, with its spelling.
    pub const ALL: [(&'static str, Environment); 4] = [
        ("production", Environment::Production),
        ("staging", Environment::Staging),
        ("ci", Environment::Ci),
        ("development", Environment::Development),
    ];

    /// The spelling used in the snapshot.
    pub fn as_str(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(_, e)| *e == self)
            .map_or("production", |(s, _)| s)
    }
}

/// An `[[integration]]`: the declared intent of one integration.
#[derive(Clone, Debug)]
pub struct Integration {
    /// Its name.
    pub name: Located<Name>,
    /// The user whose credentials it uses.
    pub account: Located<Name>,
    /// Owning team.
    pub team: Option<Located<Name>>,
    /// Where its code lives.
    pub repository: Option<Located<Name>>,
    /// On-call contact.
    pub owner: Option<Located<Name>>,
    /// Where it runs, if written (default production).
    pub environment: Option<Located<Environment>>,
    /// `retry_on_401`, if written (default false).
    pub retry_on_401: Option<Located<bool>>,
    /// `token_source`, if written (default `"self"`).
    pub token_source: Option<Located<Name>>,
    /// `on_behalf_of_users`, if written (default false).
    pub on_behalf_of_users: Option<Located<bool>>,
    /// What it does.
    pub intents: Vec<Intent>,
}

impl Integration {
    /// `retry_on_401 = true`.
    pub fn retries_on_401(&self) -> bool {
        self.retry_on_401.as_ref().is_some_and(|r| r.value)
    }

    /// Where it runs (production unless written).
    pub fn environment(&self) -> Environment {
        self.environment
            .as_ref()
            .map_or(Environment::Production, |e| e.value)
    }

    /// Where its tokens come from: `self` unless written.
    pub fn token_source(&self) -> &str {
        self.token_source
            .as_ref()
            .map_or("self", |t| t.value.as_str())
    }

    /// Whether it generates its own tokens from the Client and Secret.
    pub fn generates_own_tokens(&self) -> bool {
        self.token_source() == "self"
    }
}

/// One `[[integration.intent]]`.
#[derive(Clone, Debug)]
pub struct Intent {
    /// The `[[integration.intent]]` header.
    pub span: Span,
    /// Its key path, `integration[Jira Sync].intent[0]`: the item of the
    /// RC401 findings about it.
    pub key_path: String,
    /// The action name.
    pub action: Located<Name>,
    /// `workflow`, a workflow path.
    pub workflow: Option<Located<Name>>,
    /// `steps`, step paths.
    pub steps: Option<Vec<Located<Name>>>,
    /// `report`, a report name.
    pub report: Option<Located<Name>>,
    /// `applications`, application names.
    pub applications: Option<Vec<Located<Name>>>,
    /// `admin_data`.
    pub admin_data: Option<Located<bool>>,
}

impl Intent {
    /// Whether this is an `audit-export` that covers admin data.
    pub fn needs_admin(&self) -> bool {
        self.action.value == "audit-export" && self.admin_data.as_ref().is_some_and(|a| a.value)
    }
}

/// What an `[[attestation]]` is about.
#[derive(Clone, Debug)]
pub enum Attested {
    /// A user's API access toggle.
    ApiAccess {
        /// The user.
        user: Located<Name>,
        /// The toggle.
        value: Located<bool>,
    },
    /// A user's or role's Application Entitlements.
    Applications {
        /// The user or role.
        holder: Located<Name>,
        /// Whether the holder is a role (else a user).
        role: bool,
        /// Application → level.
        entries: Vec<LevelEntry>,
    },
    /// An application's Build Access list.
    BuildAccess {
        /// The application.
        application: Located<Name>,
        /// User → level.
        entries: Vec<LevelEntry>,
    },
}

/// An `[[attestation]]`: a person's statement of a fact the export does not
/// carry, with who, when, on what evidence, and until when.
#[derive(Clone, Debug)]
pub struct Attestation {
    /// The `[[attestation]]` header.
    pub span: Span,
    /// The fact.
    pub fact: Attested,
    /// Who states it.
    pub by: Located<Name>,
    /// When they looked.
    pub on: Located<jiff::Timestamp>,
    /// What it rests on.
    pub evidence: Located<Name>,
    /// The last day it holds, if written.
    pub expires: Option<Located<jiff::Timestamp>>,
}

impl Attestation {
    /// How findings name it: its fact and subject (`api_access of svc-x`).
    pub fn name(&self) -> String {
        format!("{} of {}", self.fact.key(), self.fact.subject().value)
    }
}

impl Attested {
    /// The user or application it is about.
    pub fn subject(&self) -> &Located<Name> {
        match self {
            Attested::ApiAccess { user, .. } => user,
            Attested::Applications { holder, .. } => holder,
            Attested::BuildAccess { application, .. } => application,
        }
    }

    /// The fact's key (`api_access`, `build_access`).
    pub fn key(&self) -> &'static str {
        match self {
            Attested::ApiAccess { .. } => "api_access",
            Attested::Applications { .. } => "applications",
            Attested::BuildAccess { .. } => "build_access",
        }
    }
}

impl User {
    /// Whether its `key` (`api_access`) is unknown: the export does not
    /// carry it and no valid attestation supplies it.
    pub fn is_unknown(&self, key: &str) -> bool {
        self.unknown.iter().any(|k| k.value == key)
    }

    /// Its API access toggle: `None` when unknown, never read as off.
    pub fn api_access_known(&self) -> Option<bool> {
        (!self.is_unknown("api_access")).then(|| self.has_api_access())
    }
}

impl Application {
    /// Whether its `key` (`build_access`) is unknown.
    pub fn is_unknown(&self, key: &str) -> bool {
        self.unknown.iter().any(|k| k.value == key)
    }
}

/// An `[[activity]]`: a user's last login and token rolls, kept apart
/// from its access; merged into the user's details once loaded.
#[derive(Clone, Debug)]
pub struct Activity {
    /// The user.
    pub user: Located<Name>,
    /// When it last logged in.
    pub last_login: Option<Located<jiff::Timestamp>>,
    /// Token or credential rolls since `token_rolls_since`.
    pub token_rolls: Option<Located<u64>>,
    /// Start of the window `token_rolls` counts over.
    pub token_rolls_since: Option<Located<jiff::Timestamp>>,
}

/// Everything a snapshot defines, in the order the files were read.
#[derive(Clone, Debug, Default)]
pub struct Model {
    /// `[[application]]` tables.
    pub applications: Vec<Application>,
    /// `[[permission_set]]` tables.
    pub permission_sets: Vec<PermissionSet>,
    /// `[[role]]` tables.
    pub roles: Vec<Role>,
    /// `[[user]]` tables.
    pub users: Vec<User>,
    /// `[[report]]` tables.
    pub reports: Vec<Report>,
    /// `[[integration]]` tables.
    pub integrations: Vec<Integration>,
    /// `[[attestation]]` tables.
    pub attestations: Vec<Attestation>,
    /// `[[activity]]` tables.
    pub activity: Vec<Activity>,
}

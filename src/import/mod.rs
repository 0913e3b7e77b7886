//! `rclint import`: Risk Cloud API responses (saved to a folder, or fetched
//! by `rclint pull`) become the generated part of a snapshot:
//! `applications/*.toml` and `access/{roles,permission-sets,users}.toml`.
//! What people write by hand (integrations, intents, `rclint.toml`) is never
//! touched. The field mapping is in `docs/import.md`.
//!
//! Three outcomes: files to write and nothing dropped; files to write and
//! [`Problem`]s (something could not be placed: exit 1); a [`Fatal`] error
//! (the input cannot be used as it is: exit 2, nothing written).

mod duplicates;
mod fields;
mod json;
mod names;
mod pages;
mod recognise;
mod tenant;
mod write;

pub use json::{ExportFile, text as json_text};
pub use pages::PageInfo;
pub use recognise::Kind;
pub use write::{GeneratedFile, write_snapshot};

use crate::config::ImportSettings;

/// Something the import could not place (a dangling id, a name the snapshot
/// format cannot hold): where it is and what happened to it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Problem {
    /// `file#/json/pointer`.
    pub place: String,
    /// What was dropped, and why.
    pub message: String,
}

impl Problem {
    fn new(place: String, message: String) -> Problem {
        Problem { place, message }
    }
}

/// Input the import cannot use: one line, exit 2, nothing written.
#[derive(Debug)]
pub struct Fatal(pub String);

impl std::fmt::Display for Fatal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Fatal {}

/// The field names tried for what Risk Cloud does not publish.
#[derive(Debug, Clone)]
pub struct Fields {
    /// A user's API access toggle.
    pub api_access: Vec<String>,
    /// A permission's or an Application Entitlement's level.
    pub level: Vec<String>,
    /// A permission's step id.
    pub step: Vec<String>,
    /// An Application Entitlement's application id.
    pub application: Vec<String>,
    /// The config file to name where a message says to name a field.
    pub config: String,
}

/// The defaults, documented in `docs/import.md`: the obvious candidates.
pub const DEFAULT_API_ACCESS: &[&str] = &["apiAccess", "apiAccessEnabled", "apiEnabled"];
/// Default level fields.
pub const DEFAULT_LEVEL: &[&str] = &["operationType", "permissionType", "accessType", "level"];
/// Default step-id fields.
pub const DEFAULT_STEP: &[&str] = &["stepId", "step.id"];
/// Default application-id fields.
pub const DEFAULT_APPLICATION: &[&str] = &["applicationId", "application.id"];

impl Fields {
    /// The configured names, else the defaults.
    pub fn from_settings(settings: &ImportSettings) -> Fields {
        let pick = |set: &Option<Vec<String>>, default: &[&str]| {
            set.clone()
                .unwrap_or_else(|| default.iter().map(|s| s.to_string()).collect())
        };
        Fields {
            api_access: pick(&settings.api_access, DEFAULT_API_ACCESS),
            level: pick(&settings.level, DEFAULT_LEVEL),
            step: pick(&settings.step, DEFAULT_STEP),
            application: pick(&settings.application, DEFAULT_APPLICATION),
            config: settings.config_name().to_string(),
        }
    }
}

/// Where the export came from and when, for the generated files' header.
#[derive(Debug, Clone)]
pub struct Provenance {
    /// The export folder, or the tenant's URL.
    pub source: String,
    /// When the access data was read from Risk Cloud.
    pub as_of: jiff::Timestamp,
}

/// What an import produced.
#[derive(Debug)]
pub struct Imported {
    /// The generated files, paths relative to the snapshot folder.
    pub files: Vec<GeneratedFile>,
    /// Each input file and what it was read as.
    pub read_as: Vec<(String, Kind, usize)>,
    /// What could not be placed, in place order.
    pub problems: Vec<Problem>,
    /// What was read on the safe side of a guess (a `superUser` as ADMIN):
    /// said, not a failure.
    pub notes: Vec<Problem>,
    /// Users imported without `api_access`: no API-access field was there.
    pub without_api_access: usize,
    /// The keys the user objects held, in name order.
    pub user_keys: Vec<String>,
    /// Kinds the snapshot needs that no input held.
    pub missing_kinds: Vec<Kind>,
    /// The generated files (or folder, ending in `/`) of the missing kinds:
    /// not written, and left as they are in the snapshot folder.
    pub kept: Vec<&'static str>,
    /// Counts: applications, workflows, steps, permission sets, roles, users.
    pub counts: [usize; 6],
}

/// Reads every export file and builds the generated snapshot files.
pub fn import(
    files: &[ExportFile],
    settings: &ImportSettings,
    provenance: &Provenance,
) -> Result<Imported, Fatal> {
    let fields = Fields::from_settings(settings);
    let reading = tenant::Reading {
        fields: &fields,
        modules: &settings.modules,
    };
    let mut tenant = tenant::Tenant::default();
    let mut problems = Vec::new();
    let mut read_as = Vec::new();
    let mut pages = pages::Pages::default();
    let mut inputs = Vec::with_capacity(files.len());
    // A few files per core are parsed while the batch before them is read
    // into the tenant; each tree is dropped once read. Files are read in
    // their order, so the result does not depend on the number of threads.
    let batches: Vec<&[ExportFile]> = files
        .chunks(rayon::current_num_threads().max(1) * 4)
        .collect();
    let mut parsed = parse_batch(batches.first().copied().unwrap_or_default());
    // The trees of the batch read last, dropped beside the next read.
    let mut read_trees: Vec<serde_json::Value> = Vec::new();
    for (i, batch) in batches.iter().enumerate() {
        let current = std::mem::replace(&mut parsed, Ok(Vec::new()))?;
        let following = batches.get(i + 1).copied().unwrap_or_default();
        let read = |tenant: &mut tenant::Tenant| -> Result<Vec<serde_json::Value>, Fatal> {
            let mut trees = Vec::with_capacity(current.len());
            for (f, (value, sha256)) in batch.iter().zip(current) {
                let (kind, count) =
                    read_file(f, &value, &reading, tenant, &mut pages, &mut problems)?;
                read_as.push((f.name.clone(), kind, count));
                inputs.push((f.name.clone(), sha256));
                trees.push(value);
            }
            Ok(trees)
        };
        let earlier = std::mem::take(&mut read_trees);
        let (read, next) = rayon::join(
            || read(&mut tenant),
            || {
                drop(earlier);
                parse_batch(following)
            },
        );
        read_trees = read?;
        parsed = next;
    }
    pages.check(&mut problems);
    duplicates::drop_duplicate_ids(&mut tenant, &mut problems);
    let kinds = std::mem::take(&mut tenant.kinds);
    let notes = std::mem::take(&mut tenant.notes);
    let user_keys = std::mem::take(&mut tenant.user_keys);
    let named = names::resolve(tenant, &mut problems);
    let missing_kinds: Vec<Kind> = [
        Kind::Applications,
        Kind::Workflows,
        Kind::Steps,
        Kind::Roles,
        Kind::PermissionSetList,
        Kind::Users,
    ]
    .into_iter()
    .filter(|k| {
        let found = |k: &Kind| kinds.contains(k);
        !(found(k) || (*k == Kind::PermissionSetList && found(&Kind::PermissionSet)))
    })
    .collect();
    let kept = kept_paths(&missing_kinds);
    let generated: Vec<GeneratedFile> = write::render(&named, provenance, &inputs)
        .into_iter()
        .filter(|f| !kept.iter().any(|k| f.path.starts_with(k)))
        .collect();
    problems.sort();
    Ok(Imported {
        files: generated,
        read_as,
        problems,
        notes,
        user_keys: user_keys.into_iter().collect(),
        without_api_access: named
            .users
            .iter()
            .filter(|u| u.api_access.is_none())
            .count(),
        missing_kinds,
        kept,
        counts: [
            named.apps.len(),
            named.apps.iter().map(|a| a.workflows.len()).sum(),
            named
                .apps
                .iter()
                .flat_map(|a| &a.workflows)
                .map(|w| w.steps.len())
                .sum(),
            named.sets.len(),
            named.roles.len(),
            named.users.len(),
        ],
    })
}

/// Parses `files` on every core: each one's tree and SHA-256, or the
/// first (in file order) that is not JSON.
fn parse_batch(files: &[ExportFile]) -> Result<Vec<(serde_json::Value, String)>, Fatal> {
    use rayon::prelude::*;
    let parsed: Vec<Result<_, Fatal>> = files
        .par_iter()
        .map(|f| {
            let bytes = f.bytes()?;
            Ok((parse(&f.name, &bytes)?, crate::snapshot::sha256_hex(&bytes)))
        })
        .collect();
    parsed.into_iter().collect()
}

/// Reads one parsed response into the tenant: what it was read as and how
/// many elements it held.
fn read_file(
    f: &ExportFile,
    value: &serde_json::Value,
    reading: &tenant::Reading,
    tenant: &mut tenant::Tenant,
    pages: &mut pages::Pages,
    problems: &mut Vec<Problem>,
) -> Result<(Kind, usize), Fatal> {
    let root = json::Located::root(value, &f.name);
    let (kind, elements) = recognise::recognise(&root, problems).map_err(|what| {
        Fatal(format!(
            "{}: {what}; export only Risk Cloud API responses into this folder",
            f.name
        ))
    })?;
    if let Some(info) = PageInfo::of(value) {
        let count = value["content"].as_array().map_or(0, Vec::len);
        pages.add(kind, info, count, &f.name);
    }
    reading.read(kind, &elements, tenant, problems)?;
    Ok((kind, elements.len()))
}

/// The generated paths an import that lacks `missing` kinds must not
/// write: an application without its workflows or steps, or an empty
/// roles file, would look complete and is not.
fn kept_paths(missing: &[Kind]) -> Vec<&'static str> {
    let lacks = |kinds: &[Kind]| kinds.iter().any(|k| missing.contains(k));
    [
        (
            lacks(&[Kind::Applications, Kind::Workflows, Kind::Steps]),
            "applications/",
        ),
        (
            lacks(&[Kind::PermissionSetList]),
            "access/permission-sets.toml",
        ),
        (lacks(&[Kind::Roles]), "access/roles.toml"),
        (lacks(&[Kind::Users]), "access/users.toml"),
        (lacks(&[Kind::Users]), "access/activity.toml"),
    ]
    .into_iter()
    .filter_map(|(lacking, path)| lacking.then_some(path))
    .collect()
}

/// One saved response as JSON: a UTF-8 byte order mark is skipped (RFC
/// 8259 allows it); UTF-16 and anything else that is not JSON stop the
/// import, named.
fn parse(name: &str, bytes: &[u8]) -> Result<serde_json::Value, Fatal> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    if bytes.starts_with(b"\xff\xfe") || bytes.starts_with(b"\xfe\xff") {
        return Err(Fatal(format!(
            "{name}: UTF-16 text; save the API response as UTF-8"
        )));
    }
    serde_json::from_slice(bytes).map_err(|e| {
        Fatal(format!(
            "{name}: not JSON ({e}); save the API response whole"
        ))
    })
}

//! The generated snapshot files: sorted by name, one entity per block, one
//! grant per line, so that a permission changed in Risk Cloud is a one-line
//! `git diff`; and writing them without touching what people wrote.

use super::Provenance;
use super::names::{NamedApp, NamedRole, NamedSet, NamedTenant, NamedUser};
use crate::snapshot::emit::{self, Block, Value};
use crate::snapshot::format;
use rayon::prelude::*;
use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::escape::{Language, toml, visible_controls};
use crate::snapshot::{GENERATED_MARK, MANIFEST_FILE, is_generated};
use crate::time::format_moment;

/// One file to write: its path relative to the snapshot folder, with `/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    /// `access/roles.toml`, `applications/vendor-risk.toml`.
    pub path: String,
    /// Its text.
    pub text: String,
}

/// The one line every generated file starts with: what an import may
/// overwrite. Where it came from is the manifest's to say, once.
fn header(out: &mut String) {
    let _ = writeln!(out, "{GENERATED_MARK}; do not edit: import again instead.");
}

/// The import manifest: the source (a host or a folder's name), the as-of
/// time, the counts, which facts the export did not carry, and each input
/// with its SHA-256. It changes with every import; the access files change
/// only where access did.
fn manifest(named: &NamedTenant, provenance: &Provenance, inputs: &[(String, String)]) -> String {
    let mut out = String::new();
    header(&mut out);
    let _ = writeln!(out, "source = {}", toml(&provenance.source));
    let _ = writeln!(out, "as_of = {}", format_moment(provenance.as_of));
    let _ = writeln!(out, "\n[counts]");
    let workflows = named.apps.iter().flat_map(|a| &a.workflows);
    for (kind, n) in [
        ("applications", named.apps.len()),
        ("workflows", workflows.clone().count()),
        ("steps", workflows.map(|w| w.steps.len()).sum()),
        ("permission_sets", named.sets.len()),
        ("roles", named.roles.len()),
        ("users", named.users.len()),
    ] {
        let _ = writeln!(out, "{kind} = {n}");
    }
    let mut not_exported = Vec::new();
    if named.users.iter().any(|u| u.api_access.is_none()) {
        not_exported.push("api_access");
    }
    if named.users.iter().any(|u| !u.applications_known)
        || named.roles.iter().any(|r| !r.applications_known)
    {
        not_exported.push("applications");
    }
    if named.apps.iter().any(|a| a.restricted) {
        not_exported.push("build_access");
    }
    let listed: Vec<String> = not_exported.iter().map(|k| toml(k)).collect();
    let _ = writeln!(out, "\n[facts]\nnot_exported = [{}]", listed.join(", "));
    for (name, digest) in inputs {
        let _ = writeln!(
            out,
            "\n[[input]]\nname = {}\nsha256 = \"{digest}\"",
            toml(name)
        );
    }
    out
}

fn application(app: &NamedApp) -> Block {
    let workflows = app
        .workflows
        .iter()
        .map(|flow| {
            let names: Vec<String> = flow.steps.iter().map(|(n, _)| n.clone()).collect();
            Block::new(&format::WORKFLOW)
                .text("name", &flow.name)
                .text("id", &flow.id)
                .strings("steps", &names)
                .with("step_ids", Value::StringMap(flow.steps.clone()))
        })
        .collect();
    let mut block = Block::new(&format::APPLICATION)
        .text("name", &app.name)
        .text("id", &app.id);
    if app.restricted {
        block.set("restrict_build_access", true);
        // No Risk Cloud API response carries the list: unknown, not empty.
        block.set("unknown", Value::Strings(vec!["build_access".to_string()]));
    }
    block.with("workflow", Value::Tables(workflows))
}

fn permission_set(set: &NamedSet) -> Block {
    Block::new(&format::PERMISSION_SET)
        .text("name", &set.name)
        .text("id", &set.id)
        .with("steps", Value::Levels(set.steps.clone()))
}

fn role(role: &NamedRole) -> Block {
    let mut block = Block::new(&format::ROLE)
        .text("name", &role.name)
        .text("id", &role.id);
    if role.default_for_new_users {
        block.set("default_for_new_users", true);
    }
    if !role.applications_known {
        // The export did not carry them: unknown, not none.
        block.set("unknown", Value::Strings(vec!["applications".to_string()]));
    }
    block
        .strings("modules", &role.modules)
        .strings("permission_sets", &role.permission_sets)
        .levels("applications", &role.applications)
}

fn user(user: &NamedUser) -> Block {
    let mut block = Block::new(&format::USER)
        .text("name", &user.name)
        .with("service_account", user.service_account)
        .with("active", user.active);
    // What the export did not carry is unknown, not off or none.
    let mut unknown = Vec::new();
    match user.api_access {
        Some(api) => block.set("api_access", api),
        None => unknown.push("api_access".to_string()),
    }
    if !user.applications_known {
        unknown.push("applications".to_string());
    }
    if !unknown.is_empty() {
        block.set("unknown", Value::Strings(unknown));
    }
    // Activity goes to its own file: it changes every day.
    block.values.extend(
        user.facts
            .values()
            .into_iter()
            .filter(|(key, _)| !format::ACTIVITY.has_key(key)),
    );
    block
        .strings("roles", &user.roles)
        .strings("permission_sets", &user.permission_sets)
        .levels("applications", &user.applications)
}

/// A user's activity (last login, token rolls), if the export says any.
fn activity(user: &NamedUser) -> Option<Block> {
    let values: Vec<_> = user
        .facts
        .values()
        .into_iter()
        .filter(|(key, _)| format::ACTIVITY.has_key(key))
        .collect();
    if values.is_empty() {
        return None;
    }
    let mut block = Block::new(&format::ACTIVITY).text("user", &user.name);
    block.values.extend(values);
    Some(block)
}

/// A file name for an application: lower-case letters, digits and `-`,
/// unique among the others (`-2`, `-3`... in name order).
fn file_name(name: &str, taken: &mut BTreeSet<String>) -> String {
    let mut slug = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
        if slug.len() >= 60 {
            break;
        }
    }
    let slug = slug.trim_end_matches('-');
    let slug = if slug.is_empty() {
        "application".to_string()
    } else if is_windows_device(slug) {
        // `con.toml` cannot be created or checked out on Windows.
        format!("{slug}-application")
    } else {
        slug.to_string()
    };
    let mut candidate = slug.clone();
    let mut n = 2;
    while !taken.insert(candidate.clone()) {
        candidate = format!("{slug}-{n}");
        n += 1;
    }
    format!("applications/{candidate}.toml")
}

/// Whether `slug` is a name Windows keeps for a device, whatever follows
/// it: `con`, `prn`, `aux`, `nul`, `com1`-`com9`, `lpt1`-`lpt9`.
fn is_windows_device(slug: &str) -> bool {
    matches!(slug, "con" | "prn" | "aux" | "nul")
        || (slug.len() == 4
            && (slug.starts_with("com") || slug.starts_with("lpt"))
            && slug.as_bytes()[3].is_ascii_digit()
            && slug.as_bytes()[3] != b'0')
}

/// The generated files: one per application, the access files and the
/// manifest, each rendered on whichever core is free (the result does not
/// depend on the number of threads).
pub fn render(
    named: &NamedTenant,
    provenance: &Provenance,
    inputs: &[(String, String)],
) -> Vec<GeneratedFile> {
    let mut taken = BTreeSet::new();
    let mut parts: Vec<(String, Part)> = named
        .apps
        .iter()
        .map(|app| (file_name(&app.name, &mut taken), Part::Application(app)))
        .collect();
    parts.extend([
        (
            "access/permission-sets.toml".to_string(),
            Part::PermissionSets,
        ),
        ("access/roles.toml".to_string(), Part::Roles),
        ("access/users.toml".to_string(), Part::Users),
        ("access/activity.toml".to_string(), Part::Activity),
        (MANIFEST_FILE.to_string(), Part::Manifest),
    ]);
    parts
        .into_par_iter()
        .map(|(path, part)| GeneratedFile {
            path,
            text: part.render(named, provenance, inputs),
        })
        .collect()
}

/// A generated file of the blocks of `items`, in their order: a few
/// thousand at a time on every core, joined.
fn file<T: Sync>(items: &[T], block: impl Fn(&T) -> Option<Block> + Sync) -> String {
    let mut out = String::new();
    header(&mut out);
    let parts: Vec<String> = items
        .par_chunks(2048)
        .map(|chunk| {
            let mut part = String::new();
            for b in chunk.iter().filter_map(&block) {
                emit::write(&mut part, &b, "");
            }
            escape_hidden(part)
        })
        .collect();
    out.extend(parts);
    out
}

/// `text` with the line separators and bidirectional controls that TOML
/// allows raw in strings and comments, which hide or reorder what a
/// reviewer reads, written as `\uXXXX` escapes (read back as the same
/// names).
fn escape_hidden(text: String) -> String {
    match visible_controls(&text, Language::Toml) {
        std::borrow::Cow::Owned(escaped) => escaped,
        std::borrow::Cow::Borrowed(_) => text,
    }
}

/// One generated file's content.
enum Part<'a> {
    Application(&'a NamedApp),
    PermissionSets,
    Roles,
    Users,
    Activity,
    Manifest,
}

impl Part<'_> {
    fn render(
        &self,
        named: &NamedTenant,
        provenance: &Provenance,
        inputs: &[(String, String)],
    ) -> String {
        match self {
            Part::Application(app) => file(std::slice::from_ref(*app), |a| Some(application(a))),
            Part::PermissionSets => file(&named.sets, |s| Some(permission_set(s))),
            Part::Roles => file(&named.roles, |r| Some(role(r))),
            Part::Users => file(&named.users, |u| Some(user(u))),
            Part::Activity => file(&named.users, activity),
            Part::Manifest => escape_hidden(manifest(named, provenance, inputs)),
        }
    }
}

/// What writing changed.
#[derive(Debug, Default)]
pub struct Written {
    /// Files written (new or changed).
    pub written: Vec<String>,
    /// Files left as they were (same bytes).
    pub unchanged: Vec<String>,
    /// Generated files of an earlier import that this one no longer makes.
    pub removed: Vec<String>,
}

/// The folders below the snapshot folder that generated files go in.
const FOLDERS: [&str; 2] = ["applications", "access"];

/// Writes the generated files into `dir`, and nothing outside it.
///
/// Before anything is changed it refuses: a symbolic link (or anything but
/// a folder) at `dir/applications` or `dir/access`, a symbolic link or
/// anything but a file where a generated file goes, and a file that was
/// not generated. Then every file is written into a staging folder inside
/// `dir` and, once all are written, moved into place; on a failure before
/// the moves `dir` is as it was. Generated files of an earlier import that
/// this one does not make are removed, except under `kept` (the paths of
/// kinds the export did not hold: `applications/`, `access/roles.toml`).
/// A replaced file keeps its mode; a new one gets the umask's. `dir` itself
/// may be a symbolic link: it is the folder the user named.
pub fn write_snapshot(
    dir: &Path,
    files: &[GeneratedFile],
    kept: &[&str],
) -> Result<Written, String> {
    let shown = |p: &Path| crate::snapshot::display_path(p);
    let io = |p: &Path, e: std::io::Error| {
        format!(
            "cannot write '{}': {}",
            shown(p),
            crate::source::io_message(&e)
        )
    };
    for folder in FOLDERS {
        let path = dir.join(folder);
        match std::fs::symlink_metadata(&path) {
            Ok(m) if m.file_type().is_symlink() => {
                return Err(format!(
                    "'{}' is a symbolic link; rclint writes nothing outside '{}': make it a \
                     folder, or import into another folder",
                    shown(&path),
                    shown(dir)
                ));
            }
            Ok(m) if !m.is_dir() => {
                return Err(format!("'{}' is not a folder", shown(&path)));
            }
            _ => {}
        }
    }
    let mut done = Written::default();
    let mut plan: Vec<(PathBuf, &GeneratedFile, Option<std::fs::Permissions>)> = Vec::new();
    // Each file is compared with the one already there (read once) on
    // whichever core is free; the outcomes are taken in file order.
    let compared: Vec<Result<Compared, String>> = files
        .par_iter()
        .map(|f| {
            let path = dir.join(&f.path);
            let Some(metadata) = regular_file(&path)? else {
                return Ok(Compared::New(path));
            };
            let old = std::fs::read(&path).map_err(|e| io(&path, e))?;
            if old == f.text.as_bytes() {
                Ok(Compared::Same)
            } else if !is_generated(&String::from_utf8_lossy(&old)) {
                Err(format!(
                    "'{}' exists and was not written by rclint import; move it, or import \
                     into another folder",
                    shown(&path)
                ))
            } else {
                Ok(Compared::Changed(path, metadata.permissions()))
            }
        })
        .collect();
    for (f, compared) in files.iter().zip(compared) {
        match compared? {
            Compared::Same => done.unchanged.push(f.path.clone()),
            Compared::New(path) => plan.push((path, f, None)),
            Compared::Changed(path, permissions) => plan.push((path, f, Some(permissions))),
        }
    }
    let stale = stale_files(dir, files, kept)?;
    if plan.is_empty() && stale.is_empty() {
        return Ok(done);
    }
    // The folder the user named may not exist yet (a first import).
    std::fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
    let staging = tempfile::Builder::new()
        .prefix(".rclint-import-")
        .tempdir_in(dir)
        .map_err(|e| io(dir, e))?;
    // Written and synced on every core; the first failure in file order
    // is told, and nothing has been moved yet.
    let staged: Vec<Result<(PathBuf, &PathBuf, &GeneratedFile), String>> = plan
        .par_iter()
        .enumerate()
        .map(|(i, (path, f, permissions))| {
            let tmp = staging.path().join(i.to_string());
            let mut file = std::fs::File::create_new(&tmp).map_err(|e| io(path, e))?;
            std::io::Write::write_all(&mut file, f.text.as_bytes()).map_err(|e| io(path, e))?;
            if let Some(permissions) = permissions {
                file.set_permissions(permissions.clone())
                    .map_err(|e| io(path, e))?;
            }
            file.sync_all().map_err(|e| io(path, e))?;
            Ok((tmp, path, *f))
        })
        .collect();
    let staged = staged.into_iter().collect::<Result<Vec<_>, String>>()?;
    for (tmp, path, f) in staged {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| io(parent, e))?;
        }
        std::fs::rename(&tmp, path).map_err(|e| io(path, e))?;
        done.written.push(f.path.clone());
    }
    for (path, relative) in stale {
        std::fs::remove_file(&path).map_err(|e| io(&path, e))?;
        done.removed.push(relative);
    }
    Ok(done)
}

/// A generated file against what is at its path already.
enum Compared {
    /// Nothing is there.
    New(PathBuf),
    /// The same bytes are there.
    Same,
    /// A generated file with other bytes is there: its mode is kept.
    Changed(PathBuf, std::fs::Permissions),
}

/// The metadata of the regular file at `path`, `None` when nothing is
/// there; an error for a symbolic link or anything else but a file.
fn regular_file(path: &Path) -> Result<Option<std::fs::Metadata>, String> {
    let shown = crate::snapshot::display_path(path);
    match std::fs::symlink_metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(format!(
            "cannot read '{shown}': {}",
            crate::source::io_message(&e)
        )),
        Ok(m) if m.file_type().is_symlink() => Err(format!(
            "'{shown}' is a symbolic link where a generated file goes; rclint neither follows \
             nor replaces it: remove it, or import into another folder"
        )),
        Ok(m) if !m.is_file() => Err(format!(
            "'{shown}' is not a file where a generated file goes"
        )),
        Ok(m) => Ok(Some(m)),
    }
}

/// Generated files under `dir/applications` and `dir/access` that are not
/// among `files` nor under `kept`. A symbolic link there is refused.
fn stale_files(
    dir: &Path,
    files: &[GeneratedFile],
    kept: &[&str],
) -> Result<Vec<(PathBuf, String)>, String> {
    let keep: BTreeSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    let mut stale = Vec::new();
    for folder in FOLDERS {
        let Ok(entries) = std::fs::read_dir(dir.join(folder)) else {
            continue;
        };
        let mut names: Vec<String> = entries
            .flatten()
            .filter_map(|e| e.file_name().to_str().map(str::to_string))
            .filter(|n| n.to_ascii_lowercase().ends_with(".toml"))
            .collect();
        names.sort();
        for name in names {
            let relative = format!("{folder}/{name}");
            if keep.contains(relative.as_str()) || kept.iter().any(|k| relative.starts_with(k)) {
                continue;
            }
            let path = dir.join(&relative);
            if regular_file(&path)?.is_none() {
                continue;
            }
            let generated =
                std::fs::read(&path).is_ok_and(|t| is_generated(&String::from_utf8_lossy(&t)));
            if generated {
                stale.push((path, relative));
            }
        }
    }
    Ok(stale)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_device_names_get_a_suffix() {
        let mut taken = BTreeSet::new();
        let names: Vec<String> = ["CON", "Nul", "com1", "LPT9", "com0", "console", "aux"]
            .iter()
            .map(|n| file_name(n, &mut taken))
            .collect();
        assert_eq!(
            names,
            [
                "applications/con-application.toml",
                "applications/nul-application.toml",
                "applications/com1-application.toml",
                "applications/lpt9-application.toml",
                "applications/com0.toml",
                "applications/console.toml",
                "applications/aux-application.toml",
            ]
        );
    }
}

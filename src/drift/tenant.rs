//! The live tenant as the repository would hold it: the snapshot's
//! hand-written files (integrations, intents) with the generated files
//! replaced by an import of the tenant. `diff SNAPSHOT EXPORT` and
//! `pull --check` compare it with the snapshot.

use crate::analysis::Analysis;
use crate::config::Config;
use crate::import::GeneratedFile;
use std::path::Path;

/// How the tenant's generated files are shown in findings: they are not in
/// the repository.
pub const TENANT_PREFIX: &str = "tenant:";

/// What the NEW side of `diff` is, told by what it holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holds {
    /// Saved API responses (`*.json`, any case) and no snapshot file.
    Responses,
    /// Snapshot files (`*.toml`), or a single file.
    Snapshot,
}

/// Tells a folder of API responses from a snapshot by every file it holds
/// (hidden ones and links left out, as both readers leave them): JSON only
/// is responses, anything else a snapshot. A folder holding both is an
/// error, never a silent choice: one stray `.toml` must not turn the
/// tenant's JSON into an unread snapshot.
pub fn holds(path: &Path) -> Result<Holds, String> {
    if !path.is_dir() {
        return Ok(Holds::Snapshot);
    }
    let (mut json, mut toml) = (None, None);
    let walk = walkdir::WalkDir::new(path)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walk.flatten() {
        if !entry.file_type().is_file() {
            continue;
        }
        let extension = entry.path().extension().map(|e| e.to_ascii_lowercase());
        let slot = match extension.as_ref().and_then(|e| e.to_str()) {
            Some("json") => &mut json,
            Some("toml") => &mut toml,
            _ => continue,
        };
        if slot.is_none() {
            *slot = Some(crate::snapshot::display_path(entry.path()));
        }
    }
    match (json, toml) {
        (Some(json), Some(toml)) => Err(format!(
            "'{}' holds both API responses ('{json}') and snapshot files ('{toml}'); rclint \
             will not guess which it is: keep the export and the snapshot in separate folders",
            crate::snapshot::display_path(path)
        )),
        (Some(_), None) => Ok(Holds::Responses),
        _ => Ok(Holds::Snapshot),
    }
}

/// Loads the tenant view: `snapshot`'s files that `import` did not write,
/// read from disk, and the `generated` files of an import (moved, not
/// copied) in place of the generated ones.
pub fn view(
    snapshot: &Path,
    config: Option<&Config>,
    generated: Vec<GeneratedFile>,
    today: crate::time::Date,
) -> Result<Analysis, crate::snapshot::LoadError> {
    let excluded = crate::config::exclusion(config);
    let mut inputs = Vec::new();
    let discovered = match crate::snapshot::discover(&[snapshot.to_path_buf()], &excluded) {
        Ok(files) => files,
        // A snapshot with nothing but generated files yet: the tenant alone.
        Err(crate::snapshot::LoadError::NoFiles(_)) => Vec::new(),
        Err(e) => return Err(e),
    };
    for file in discovered {
        let read = std::fs::read(&file.path);
        if let Ok(bytes) = &read
            && crate::snapshot::is_generated(&String::from_utf8_lossy(bytes))
        {
            continue;
        }
        inputs.push((file.display, read));
    }
    let mut as_of = None;
    for file in generated {
        // The manifest is not a snapshot file: it says when.
        if file.path == crate::snapshot::MANIFEST_FILE {
            as_of = crate::snapshot::manifest_as_of(&file.text);
            continue;
        }
        inputs.push((
            format!("{TENANT_PREFIX}{}", file.path),
            Ok(file.text.into_bytes()),
        ));
    }
    let settings = crate::config::rule_settings(config, today);
    let mut loaded = crate::snapshot::load_bytes(inputs);
    loaded.snapshot.imported_as_of = as_of;
    Ok(crate::analysis::analyze_loaded_with(loaded, &settings))
}

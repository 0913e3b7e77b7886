//! The live tenant as the repository would hold it: the snapshot's
//! hand-written files (integrations, intents) with the generated files
//! replaced by an import of the tenant. `diff SNAPSHOT EXPORT` and
//! `pull --check` compare it with the snapshot.

use super::CliError;
use crate::analysis::Analysis;
use crate::config::Config;
use crate::import::Imported;
use std::path::Path;

/// How the tenant's generated files are shown in findings: they are not in
/// the repository.
pub const TENANT_PREFIX: &str = "tenant:";

/// Whether `path` is a folder of API responses rather than a snapshot: it
/// holds `*.json` files and no `*.toml` file.
pub fn is_export(path: &Path) -> bool {
    if !path.is_dir() {
        return false;
    }
    let mut json = false;
    for entry in walkdir::WalkDir::new(path).into_iter().flatten() {
        match entry.path().extension().and_then(|e| e.to_str()) {
            Some("toml") => return false,
            Some("json") => json = true,
            _ => {}
        }
    }
    json
}

/// Loads the tenant view: `snapshot`'s files that `import` did not write,
/// read from disk, and `imported`'s files in place of the generated ones.
pub fn view(
    snapshot: &Path,
    config: Option<&Config>,
    imported: &Imported,
) -> Result<Analysis, CliError> {
    let excluded = crate::config::exclusion(config);
    let mut inputs = Vec::new();
    let discovered = match crate::snapshot::discover(&[snapshot.to_path_buf()], &excluded) {
        Ok(files) => files,
        // A snapshot with nothing but generated files yet: the tenant alone.
        Err(crate::snapshot::LoadError::NoFiles(_)) => Vec::new(),
        Err(e) => return Err(e.into()),
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
    for generated in &imported.files {
        inputs.push((
            format!("{TENANT_PREFIX}{}", generated.path),
            Ok(generated.text.clone().into_bytes()),
        ));
    }
    Ok(crate::analysis::analyze_loaded(
        crate::snapshot::load_bytes(inputs),
    ))
}

/// Says on stderr (unless `quiet`) what an import for a comparison could
/// not place; whether there was anything.
pub fn report_problems(imported: &Imported, quiet: bool) -> bool {
    use crate::report::escape::{Language, visible_controls};
    let incomplete = !imported.problems.is_empty() || !imported.missing_kinds.is_empty();
    if quiet {
        return incomplete;
    }
    for kind in &imported.missing_kinds {
        let line = format!(
            "missing: no {} from the tenant; the comparison is incomplete",
            kind.describe()
        );
        eprintln!("{}", visible_controls(&line, Language::Line));
    }
    for p in &imported.problems {
        let line = format!("problem: {}: {}", p.place, p.message);
        eprintln!("{}", visible_controls(&line, Language::Line));
    }
    incomplete
}

//! `rclint import`: a folder of saved Risk Cloud API responses becomes the
//! generated part of a snapshot. `rclint pull` ends in the same code.

use super::CliError;
use super::args::ImportArgs;
use crate::escape::{Language, visible_controls};
use crate::import::{self, ExportFile, Imported, Provenance};
use crate::words::plural;
use std::path::Path;

/// Runs `import`: exit 0 when everything was placed, 1 when something was
/// dropped or a kind of data is missing, 2 on input it cannot use.
pub fn import(args: &ImportArgs) -> Result<u8, CliError> {
    let export = read_export(&args.export)?;
    let config = super::load_config(args.config.as_deref(), std::slice::from_ref(&args.output))?;
    let as_of = match args.as_of {
        Some(t) => t,
        None => newest_modification(&args.export)?,
    };
    let source = args
        .export
        .canonicalize()
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "export".to_string());
    let provenance = Provenance { source, as_of };
    let settings = config.map(|c| c.import).unwrap_or_default();
    let imported =
        import::import(&export.files, &settings, &provenance).map_err(|e| CliError(e.0))?;
    say_not_read(&export.not_read, args.quiet);
    finish(&imported, &args.output, args.quiet)
}

/// Names on stderr (unless `quiet`) every file of the export not read.
pub fn say_not_read(not_read: &[(String, &'static str)], quiet: bool) {
    if quiet {
        return;
    }
    for (name, why) in not_read {
        let line = format!("not read: {name}: {why}");
        eprintln!("{}", visible_controls(&line, Language::Line));
    }
}

/// What an import could not place (`problem:`) and what it read on the
/// safe side of a guess (`note:`), a line each, for `import`, `pull`,
/// `diff` and `pull --check` alike.
pub fn problem_lines(imported: &Imported) -> impl Iterator<Item = String> + '_ {
    let problems = imported
        .problems
        .iter()
        .map(|p| format!("problem: {}: {}", p.place, p.message));
    let notes = imported
        .notes
        .iter()
        .map(|n| format!("note: {}: {}", n.place, n.message));
    problems.chain(notes)
}

/// Writes what an import produced and says what it did; the exit code.
pub fn finish(imported: &Imported, output: &Path, quiet: bool) -> Result<u8, CliError> {
    let written =
        import::write_snapshot(output, &imported.files, &imported.kept).map_err(CliError)?;
    let say = |line: String| eprintln!("{}", visible_controls(&line, Language::Line));
    if !quiet {
        for (name, kind, count) in &imported.read_as {
            say(format!(
                "read {name} as {}: {}",
                kind.describe(),
                plural(*count, "element")
            ));
        }
        let [apps, flows, steps, sets, roles, users] = imported.counts;
        say(format!(
            "imported {}, {}, {}, {}, {}, {}",
            plural(apps, "application"),
            plural(flows, "workflow"),
            plural(steps, "step"),
            plural(sets, "permission set"),
            plural(roles, "role"),
            plural(users, "user"),
        ));
        say(format!(
            "wrote {} to {} ({} unchanged, {} removed)",
            plural(written.written.len(), "file"),
            crate::snapshot::display_path(output),
            written.unchanged.len(),
            written.removed.len()
        ));
        if imported.without_api_access > 0 {
            let mut seen: Vec<&str> = imported
                .user_keys
                .iter()
                .map(String::as_str)
                .take(40)
                .collect();
            if imported.user_keys.len() > seen.len() {
                seen.push("...");
            }
            say(format!(
                "note: {} no API-access field: imported with unknown = [\"api_access\"] \
                 (not-assessed, RC111, reports the automation accounts among them until an \
                 [[attestation]] supplies it); name the field in rclint.toml [import] \
                 api_access if your export has one (see docs/import.md). The user objects \
                 hold: {}",
                if imported.without_api_access == 1 {
                    "1 user has".to_string()
                } else {
                    format!("{} users have", imported.without_api_access)
                },
                seen.join(", ")
            ));
        }
    }
    if !quiet {
        for kind in &imported.missing_kinds {
            say(format!(
                "missing: no {} in the export; the snapshot is incomplete",
                kind.describe()
            ));
        }
        for path in &imported.kept {
            say(format!(
                "kept: {path} left as it was, since the export lacks what it is made of"
            ));
        }
        problem_lines(imported).for_each(say);
    }
    Ok(u8::from(
        !imported.problems.is_empty() || !imported.missing_kinds.is_empty(),
    ))
}

/// A folder of saved API responses: the files read, and every other file
/// with why it was not read.
#[derive(Debug, Default)]
pub struct Export {
    /// The `.json` files (any case), in name order.
    pub files: Vec<ExportFile>,
    /// (name, why) of every file or folder left out.
    pub not_read: Vec<(String, &'static str)>,
}

/// Lists every `*.json` file (any case) under `dir`, named relative to it,
/// for the import to read. Hidden files and folders and other files are
/// not read, and named; a
/// symbolic link is read when it leads to a file inside `dir`, and refused
/// (exit 2) when it leads out of it.
pub fn read_export(dir: &Path) -> Result<Export, CliError> {
    let shown = crate::snapshot::display_path(dir);
    if !dir.exists() {
        return Err(CliError(format!("'{shown}' does not exist")));
    }
    if !dir.is_dir() {
        return Err(CliError(format!(
            "'{shown}' is not a folder of API responses"
        )));
    }
    let root = dir.canonicalize().map_err(|e| {
        CliError(format!(
            "cannot read '{shown}': {}",
            crate::source::io_message(&e)
        ))
    })?;
    let mut export = Export::default();
    let name_of = |path: &Path| {
        path.strip_prefix(dir)
            .unwrap_or(path)
            .to_string_lossy()
            .replace('\\', "/")
    };
    let hidden =
        |e: &walkdir::DirEntry| e.depth() > 0 && e.file_name().to_string_lossy().starts_with('.');
    let mut walk = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .follow_links(false)
        .into_iter();
    while let Some(entry) = walk.next() {
        let entry = entry.map_err(|e| CliError(format!("cannot read '{shown}': {e}")))?;
        let path = entry.path();
        let name = name_of(path);
        if hidden(&entry) {
            if entry.file_type().is_dir() {
                walk.skip_current_dir();
                export.not_read.push((name, "a hidden folder"));
            } else {
                export.not_read.push((name, "a hidden file"));
            }
            continue;
        }
        if entry.file_type().is_dir() {
            continue;
        }
        let json = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"));
        // A link is read at the file it leads to, checked here once.
        let mut read_at = path.to_path_buf();
        if entry.path_is_symlink() {
            let target = path.canonicalize().ok().filter(|t| t.starts_with(&root));
            let Some(target) = target else {
                return Err(CliError(format!(
                    "'{}' is a symbolic link that leads out of the export folder (or nowhere); \
                     rclint reads nothing outside '{shown}'",
                    crate::snapshot::display_path(path)
                )));
            };
            if target.is_dir() {
                export
                    .not_read
                    .push((name, "a link to a folder in the export (read there)"));
                continue;
            }
            read_at = target;
        }
        if !json {
            export.not_read.push((name, "not a .json file"));
            continue;
        }
        export.files.push(ExportFile::on_disk(name, read_at));
    }
    if export.files.is_empty() {
        return Err(CliError(format!(
            "no API responses (*.json) under '{shown}'"
        )));
    }
    Ok(export)
}

/// The newest modification time of the export's files.
fn newest_modification(dir: &Path) -> Result<jiff::Timestamp, CliError> {
    let files: Vec<std::path::PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(walkdir::DirEntry::into_path)
        .collect();
    crate::time::newest_modification(files.iter().map(std::path::PathBuf::as_path))
        .map(|t| t.round(jiff::Unit::Second).unwrap_or(t))
        .ok_or_else(|| CliError(format!("no files under '{}'", dir.display())))
}

/// Says on stderr (unless `quiet`) what an import for a comparison could
/// not place; whether there was anything.
pub fn report_problems(imported: &crate::import::Imported, quiet: bool) -> bool {
    use crate::escape::{Language, visible_controls};
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
    for line in problem_lines(imported) {
        eprintln!("{}", visible_controls(&line, Language::Line));
    }
    incomplete
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg(unix)]
    fn a_response_turned_into_a_link_after_listing_is_refused_not_followed() {
        let dir = tempfile::tempdir().expect("tempdir");
        let export = dir.path().join("export");
        std::fs::create_dir(&export).expect("export");
        let secret = dir.path().join("secret.json");
        std::fs::write(&secret, r#"[{"id": "u-1", "email": "outside"}]"#).expect("secret");
        std::fs::write(export.join("users.json"), "[]").expect("users");
        let listed = read_export(&export).expect("listed");
        // Swapped for a link that leads out of the folder, after the check.
        std::fs::remove_file(export.join("users.json")).expect("remove");
        std::os::unix::fs::symlink(&secret, export.join("users.json")).expect("link");
        let settings = crate::config::ImportSettings::default();
        let provenance = Provenance {
            source: "export".to_string(),
            as_of: jiff::Timestamp::UNIX_EPOCH,
        };
        let refused = import::import(&listed.files, &settings, &provenance)
            .expect_err("a link it never checked");
        assert!(
            refused.0.contains("became a symbolic link"),
            "{}",
            refused.0
        );
    }
}

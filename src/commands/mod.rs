//! One module per subcommand family; `cli` parses, these run.

pub mod args;
pub mod check;
pub mod deps;
pub mod derive;
pub mod diff;
pub mod graph;
pub mod import;
pub mod output;
pub mod paths;
pub mod pull;
pub mod query;
pub mod report;
pub mod rules;
pub use crate::config::{self, Config};
use std::path::{Path, PathBuf};

/// The config file for a run: `explicit` (`--config`), else `rclint.toml`
/// in the first directory given, else in the current directory.
pub fn load_config(explicit: Option<&Path>, paths: &[PathBuf]) -> Result<Option<Config>, CliError> {
    match config::locate(explicit, paths) {
        Some(path) => Ok(Some(config::load(&path)?)),
        None => Ok(None),
    }
}

/// The one way every subcommand loads a snapshot: with the config's
/// `[snapshot] exclude`, so that every command answers about the files
/// `check` reads.
pub fn analyze(
    paths: &[PathBuf],
    config: Option<&Config>,
) -> Result<crate::analysis::Analysis, CliError> {
    let excluded = config::exclusion(config);
    let settings = config::rule_settings(config, crate::time::today());
    Ok(crate::analysis::analyze_with(paths, &excluded, &settings)?)
}

/// Loads the snapshot under `paths` (with the config's exclusions) and its
/// access graph, without running the rules: for `who-can`.
pub fn access_with_config(
    paths: &[PathBuf],
    explicit: Option<&Path>,
) -> Result<crate::analysis::Analysis, CliError> {
    let config = load_config(explicit, paths)?;
    let excluded = config::exclusion(config.as_ref());
    let loaded = crate::snapshot::load(paths, &excluded)?;
    Ok(crate::analysis::access_only(loaded))
}

/// Loads the config found for `paths` and the snapshot under them.
pub fn analyze_with_config(
    paths: &[PathBuf],
    explicit: Option<&Path>,
) -> Result<crate::analysis::Analysis, CliError> {
    let config = load_config(explicit, paths)?;
    analyze(paths, config.as_ref())
}

/// The snapshot a command reads: the paths named as operands; with none,
/// the current directory when it holds an `rclint.toml`, else the folder of
/// the nearest `rclint.toml` above it (up to the repository's root), else
/// the current directory, unless it holds several snapshots (folders with
/// their own `rclint.toml`), which are never merged silently: that is exit
/// 2, naming them. `deprecated` holds paths given
/// with the old `-s/--snapshot` option: still read, with a warning.
pub fn snapshot_paths(
    operands: &[PathBuf],
    deprecated: &[PathBuf],
) -> Result<Vec<PathBuf>, CliError> {
    let mut paths = operands.to_vec();
    if !deprecated.is_empty() {
        eprintln!(
            "warning: -s/--snapshot is deprecated: name the snapshot as an operand, as for `rclint check`"
        );
        paths.extend_from_slice(deprecated);
    }
    if !paths.is_empty() {
        return Ok(paths);
    }
    let here = PathBuf::from(".");
    if here.join(crate::snapshot::CONFIG_FILE).is_file() {
        return Ok(vec![here]);
    }
    // Inside a snapshot (`cd snapshot/integrations`): its root is the
    // folder of the nearest rclint.toml above, as cargo finds its package.
    if let Some(root) = config::nearest_config(&here)
        .as_deref()
        .and_then(Path::parent)
        .filter(|root| !root.as_os_str().is_empty())
    {
        return Ok(vec![root.to_path_buf()]);
    }
    let roots = nested_snapshots(&here);
    if roots.len() > 1 {
        let mut shown: Vec<String> = roots.iter().take(5).map(|r| format!("'{r}'")).collect();
        if roots.len() > 5 {
            shown.push(format!("and {} more", roots.len() - 5));
        }
        return Err(CliError(format!(
            "several snapshots under the current directory ({}): name the one to read",
            shown.join(", ")
        )));
    }
    Ok(vec![here])
}

/// Folders under `dir` (hidden ones and `target/` left out) that hold an
/// `rclint.toml`, as shown.
fn nested_snapshots(dir: &Path) -> Vec<String> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !crate::snapshot::skipped_dir(e))
        .flatten()
        .filter(|e| e.file_type().is_file() && e.file_name() == crate::snapshot::CONFIG_FILE)
        .filter_map(|e| e.path().parent().map(crate::snapshot::display_path))
        .collect()
}

/// A run that could not go as asked: exit code 2.
#[derive(Debug)]
pub struct CliError(pub String);

impl std::fmt::Display for CliError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl<E: std::error::Error> From<E> for CliError {
    fn from(e: E) -> Self {
        CliError(e.to_string())
    }
}

/// What a command leaves behind: its exit code, and what it computed,
/// handed to `main`, which decides how (or whether) to free it.
pub struct Finished {
    /// The exit code.
    pub code: u8,
    /// The analysis of a command that made one.
    pub analysis: Option<crate::analysis::Analysis>,
    /// The outcome of a command that made one (`check`).
    pub outcome: Option<crate::policy::Outcome>,
}

impl Finished {
    /// A command that computed nothing worth keeping.
    pub fn code(code: u8) -> Finished {
        Finished {
            code,
            analysis: None,
            outcome: None,
        }
    }
}

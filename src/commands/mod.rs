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
use crate::analysis::{Depth, Workspace};
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

/// Opens the snapshot under `paths` for a command, with the config
/// `explicit` names or the nearest one, judged today.
pub fn open(
    paths: &[PathBuf],
    explicit: Option<&Path>,
    depth: Depth,
) -> Result<Workspace, CliError> {
    Ok(Workspace::open(
        paths,
        explicit,
        crate::time::today(),
        depth,
    )?)
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

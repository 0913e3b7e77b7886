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
pub mod tenant;

use crate::config::{self, Config};
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
    let excluded = config::exclusion(config.map_or(&[][..], |c| &c.exclude));
    let settings = config::rule_settings(config, crate::time::today());
    Ok(crate::analysis::analyze_with(paths, &excluded, &settings)?)
}

/// Loads the config found for `paths` and the snapshot under them.
pub fn analyze_with_config(paths: &[PathBuf]) -> Result<crate::analysis::Analysis, CliError> {
    let config = load_config(None, paths)?;
    analyze(paths, config.as_ref())
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
    /// The analysis and outcome of a command that made them (`check`).
    pub computed: Option<(crate::analysis::Analysis, crate::policy::Outcome)>,
}

impl Finished {
    /// A command that computed nothing worth keeping.
    pub fn code(code: u8) -> Finished {
        Finished {
            code,
            computed: None,
        }
    }
}

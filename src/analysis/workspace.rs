//! What every command starts from: the snapshot's paths, the config found
//! for them (read once), the day the rules and waivers are judged on, and
//! the analysis built with the config's exclusions and rule settings.

use super::Analysis;
use crate::config::{self, Config, ConfigError, Date};
use crate::policy::{Outcome, Policy};
use crate::snapshot::{self, LoadError};
use std::mem::ManuallyDrop;
use std::path::{Path, PathBuf};

/// Why a workspace could not be opened: its config, or its snapshot.
#[derive(Debug)]
pub enum OpenError {
    /// The config file is not valid.
    Config(ConfigError),
    /// The snapshot cannot be read at all.
    Load(LoadError),
}

impl std::fmt::Display for OpenError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OpenError::Config(e) => e.fmt(f),
            OpenError::Load(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for OpenError {}

impl From<ConfigError> for OpenError {
    fn from(e: ConfigError) -> Self {
        OpenError::Config(e)
    }
}

impl From<LoadError> for OpenError {
    fn from(e: LoadError) -> Self {
        OpenError::Load(e)
    }
}

/// How much of the pipeline a command needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Depth {
    /// Every rule (`check`, `derive`, `why`, ...).
    Rules,
    /// The snapshot and its access graph, no rules (`who-can`).
    AccessOnly,
}

/// A snapshot opened for one command.
///
/// The analysis is never freed: a command ends the
/// process right after, and freeing a large snapshot piece by piece would
/// only add to the wall time (a large tenant: a third of it), so the
/// operating system takes them back whole.
pub struct Workspace {
    /// The paths the snapshot was read from.
    pub paths: Vec<PathBuf>,
    /// The config found for them, if any.
    pub config: Option<Config>,
    /// The day rules and waivers are judged on.
    pub today: Date,
    analysis: ManuallyDrop<Analysis>,
}

impl Workspace {
    /// Opens the snapshot under `paths` with the config `explicit` names,
    /// else the nearest `rclint.toml` ([`config::locate`]).
    pub fn open(
        paths: &[PathBuf],
        explicit: Option<&Path>,
        today: Date,
        depth: Depth,
    ) -> Result<Workspace, OpenError> {
        let config = match config::locate(explicit, paths) {
            Some(path) => Some(config::load(&path)?),
            None => None,
        };
        Ok(Workspace::with_config(paths, config, today, depth)?)
    }

    /// Opens the snapshot under `paths` with a config already read.
    pub fn with_config(
        paths: &[PathBuf],
        config: Option<Config>,
        today: Date,
        depth: Depth,
    ) -> Result<Workspace, LoadError> {
        let excluded = config::exclusion(config.as_ref());
        let loaded = snapshot::load(paths, &excluded)?;
        let analysis = match depth {
            Depth::Rules => {
                let settings = config::rule_settings(config.as_ref(), today);
                super::analyze_loaded_with(loaded, &settings)
            }
            Depth::AccessOnly => super::access_only(loaded),
        };
        Ok(Workspace {
            paths: paths.to_vec(),
            config,
            today,
            analysis: ManuallyDrop::new(analysis),
        })
    }

    /// A workspace of an analysis made elsewhere (the tenant's view,
    /// loaded from an import rather than from files).
    pub fn of(analysis: Analysis, config: Option<Config>, today: Date) -> Workspace {
        Workspace {
            paths: Vec::new(),
            config,
            today,
            analysis: ManuallyDrop::new(analysis),
        }
    }

    /// The analysis.
    pub fn analysis(&self) -> &Analysis {
        &self.analysis
    }

    /// The analysis, to keep (and free) beyond the workspace.
    pub fn into_analysis(self) -> Analysis {
        ManuallyDrop::into_inner(self.analysis)
    }

    /// Applies `policy` (judged on the workspace's day) with the config's
    /// severities and waivers, the config file added to the sources so
    /// that findings about it are located: everything `rclint check` does
    /// before it formats.
    pub fn check(&mut self, policy: Policy) -> Outcome {
        let mut policy = policy.with_today(self.today);
        if let Some(c) = &self.config {
            let file = self.analysis.snapshot.sources.add(
                crate::source::SourceFile::new(c.path.clone(), c.text.clone())
                    .with_digest(Some(snapshot::sha256_hex(c.text.as_bytes()))),
            );
            policy = policy.with_config(c, file);
        }
        let findings = std::mem::take(&mut self.analysis.findings);
        policy.apply(findings, &self.analysis.snapshot.sources)
    }
}

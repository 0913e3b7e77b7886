//! The data rclint reads, embedded in the binary so it works from any
//! directory: the module catalog, the intent catalog and the control
//! catalog (data files in the top-level `rules/`), and the access levels they
//! speak of. Imports nothing from the pipeline above it.

mod controls;
mod intents;
mod modules;

pub use controls::{Control, ControlCatalog};
pub use intents::{Access, Action, IntentCatalog, StepTarget};
pub use modules::{Module, ModuleCatalog};

use std::fmt;

/// An access level. Edit includes Read.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Deserialize, serde::Serialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Read.
    Read,
    /// Edit (includes Read).
    Edit,
}

impl Level {
    /// `"read"` or `"edit"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Read => "read",
            Level::Edit => "edit",
        }
    }

    /// Reads `"read"` or `"edit"`.
    pub fn parse(text: &str) -> Option<Level> {
        match text {
            "read" => Some(Level::Read),
            "edit" => Some(Level::Edit),
            _ => None,
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

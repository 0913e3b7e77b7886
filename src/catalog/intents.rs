//! The intent catalog (`catalog/intents.toml`): what each declared action
//! reads and what it minimally needs, embedded in the binary. The loader
//! checks intents against it; `intent` derives the minimal grant from it.

use super::Level;
use serde::Deserialize;
use std::sync::LazyLock;

/// A level an action needs, or none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Access {
    /// Not needed.
    None,
    /// Read.
    Read,
    /// Edit.
    Edit,
}

impl Access {
    /// The level, if any is needed.
    pub fn level(self) -> Option<Level> {
        match self {
            Access::None => None,
            Access::Read => Some(Level::Read),
            Access::Edit => Some(Level::Edit),
        }
    }
}

/// Which steps an action needs access to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StepTarget {
    /// The intent's `steps`, and every step of its `workflow`.
    Named,
    /// The Origin Step of the intent's `workflow`.
    Origin,
    /// Every step the intent's `report` references.
    Report,
    /// No step access.
    None,
}

/// One action of the intent catalog.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Action {
    /// `read-records`, ...
    pub name: String,
    /// Intent keys the action reads.
    pub uses: Vec<String>,
    /// At least one of these keys must be written.
    pub requires_one_of: Vec<String>,
    /// Modules it needs.
    pub modules: Vec<String>,
    /// Further modules when `admin_data = true`.
    #[serde(default)]
    pub admin_data_modules: Vec<String>,
    /// Application Entitlement it needs.
    pub application: Access,
    /// Which steps need access.
    pub steps: StepTarget,
    /// The access those steps need.
    pub step_level: Access,
    /// Build Access on each application the intent names.
    pub build: Access,
    /// Whether it changes data.
    pub writes: bool,
}

/// The intent catalog.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IntentCatalog {
    /// The catalog's version, shown in reports.
    pub version: String,
    /// Every action.
    #[serde(rename = "action")]
    pub actions: Vec<Action>,
}

const INTENTS_TOML: &str = include_str!("../../catalog/intents.toml");

static INTENTS: LazyLock<IntentCatalog> = LazyLock::new(|| {
    // Compiled in and checked by the tests below; it cannot differ at run time.
    toml::from_str(INTENTS_TOML).expect("catalog/intents.toml is valid (see the intent tests)")
});

impl IntentCatalog {
    /// The embedded catalog.
    pub fn get() -> &'static IntentCatalog {
        &INTENTS
    }

    /// The action of this name.
    pub fn action(&self, name: &str) -> Option<&Action> {
        self.actions.iter().find(|a| a.name == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::ModuleCatalog;

    #[test]
    fn catalog_parses_and_names_known_modules_and_keys() {
        let catalog: IntentCatalog = toml::from_str(INTENTS_TOML).unwrap();
        let modules = ModuleCatalog::get();
        let keys = ["workflow", "steps", "report", "applications", "admin_data"];
        for action in &catalog.actions {
            for m in action.modules.iter().chain(&action.admin_data_modules) {
                assert!(modules.is_known(m), "{} needs unknown {m}", action.name);
            }
            for k in action.uses.iter().chain(&action.requires_one_of) {
                assert!(
                    keys.contains(&k.as_str()),
                    "{} uses unknown key {k}",
                    action.name
                );
            }
            for k in &action.requires_one_of {
                assert!(
                    action.uses.contains(k),
                    "{} requires a key it does not use",
                    action.name
                );
            }
        }
        assert_eq!(catalog.actions.len(), 12);
    }
}

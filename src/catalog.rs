//! The data the rules and the report read, embedded in the binary so it works
//! from any directory: the module catalog (`rules/modules.toml`) and the
//! control catalog (`rules/controls.toml`).

use serde::Deserialize;
use std::collections::BTreeSet;
use std::sync::LazyLock;

/// One module entitlement.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Module {
    /// Its code, e.g. `RECORDS`.
    pub code: String,
    /// What it grants.
    pub description: String,
    /// What an integration that needs it gets without it.
    pub without: String,
    /// Modules it implies (ADMIN implies every other).
    #[serde(default)]
    pub implies: Vec<String>,
}

/// The module catalog.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModuleCatalog {
    /// The catalog's version, shown in reports.
    pub version: String,
    /// Every known module.
    #[serde(rename = "module")]
    pub modules: Vec<Module>,
}

const MODULES_TOML: &str = include_str!("../rules/modules.toml");

static MODULES: LazyLock<ModuleCatalog> = LazyLock::new(|| {
    // The text is compiled in and checked by `catalog_parses` below; it cannot
    // differ at run time.
    toml::from_str(MODULES_TOML).expect("rules/modules.toml is valid (see the catalog tests)")
});

impl ModuleCatalog {
    /// The embedded catalog.
    pub fn get() -> &'static ModuleCatalog {
        &MODULES
    }

    /// Whether `code` is a known module.
    pub fn is_known(&self, code: &str) -> bool {
        self.modules.iter().any(|m| m.code == code)
    }

    /// What an integration that needs `code` gets without it.
    pub fn without(&self, code: &str) -> &str {
        self.modules
            .iter()
            .find(|m| m.code == code)
            .map_or("403 on that module's endpoints", |m| m.without.as_str())
    }

    /// Every code, in catalog order.
    pub fn codes(&self) -> impl Iterator<Item = &str> {
        self.modules.iter().map(|m| m.code.as_str())
    }

    /// The modules `code` implies, transitively, without `code` itself.
    pub fn implied_by(&self, code: &str) -> BTreeSet<&str> {
        let mut seen = BTreeSet::new();
        let mut todo = vec![code];
        while let Some(c) = todo.pop() {
            for m in self.modules.iter().filter(|m| m.code == c) {
                for i in &m.implies {
                    if i != code && seen.insert(i.as_str()) {
                        todo.push(i);
                    }
                }
            }
        }
        seen
    }
}

/// One control of a compliance framework, and the rules that evidence it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Control {
    /// `SOC 2`, `ISO/IEC 27001:2022`, `NIST SP 800-53`.
    pub framework: String,
    /// `CC6.1`, `A.5.15`, `AC-6(5)`.
    pub id: String,
    /// What the control requires.
    pub title: String,
    /// Rule codes whose findings bear on it.
    pub rules: Vec<String>,
    /// Why those rules evidence it.
    pub why: String,
}

/// The control catalog.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ControlCatalog {
    /// The catalog's version, shown in reports.
    pub version: String,
    /// Every control.
    #[serde(rename = "control")]
    pub controls: Vec<Control>,
}

const CONTROLS_TOML: &str = include_str!("../rules/controls.toml");

static CONTROLS: LazyLock<ControlCatalog> = LazyLock::new(|| {
    // Compiled in and checked by the tests below; it cannot differ at run time.
    toml::from_str(CONTROLS_TOML).expect("rules/controls.toml is valid (see the catalog tests)")
});

impl ControlCatalog {
    /// The embedded catalog.
    pub fn get() -> &'static ControlCatalog {
        &CONTROLS
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_name_existing_rules_and_every_account_rule_is_mapped() {
        let catalog: ControlCatalog = toml::from_str(CONTROLS_TOML).unwrap();
        let mut mapped = BTreeSet::new();
        for control in &catalog.controls {
            assert!(
                !control.why.trim().is_empty(),
                "{} has no justification",
                control.id
            );
            for code in &control.rules {
                assert!(
                    crate::rules::find(code).is_some(),
                    "{} names unknown {code}",
                    control.id
                );
                mapped.insert(code.as_str());
            }
        }
        for rule in crate::rules::REGISTRY {
            if !rule.code.starts_with("RC4") {
                assert!(
                    mapped.contains(rule.code),
                    "{} evidences no control",
                    rule.code
                );
            }
        }
    }

    #[test]
    fn catalog_parses() {
        let catalog: ModuleCatalog = toml::from_str(MODULES_TOML).unwrap();
        assert!(catalog.is_known("ADMIN"));
    }

    #[test]
    fn admin_implies_every_other_module() {
        let catalog = ModuleCatalog::get();
        let implied = catalog.implied_by("ADMIN");
        let others: BTreeSet<&str> = catalog.codes().filter(|c| *c != "ADMIN").collect();
        assert_eq!(implied, others);
        assert!(catalog.implied_by("RECORDS").is_empty());
    }

    #[test]
    fn implications_name_known_modules() {
        let catalog = ModuleCatalog::get();
        for m in &catalog.modules {
            for i in &m.implies {
                assert!(catalog.is_known(i), "{} implies unknown {i}", m.code);
            }
        }
    }
}

//! The module catalog (`catalog/modules.toml`): every module entitlement
//! rclint knows, what it grants, and what it implies (ADMIN implies every
//! other), embedded in the binary.

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
    /// The codes Risk Cloud's API writes for it in a role's module
    /// entitlements (`A_BUILD`), read by `rclint import`.
    #[serde(default)]
    pub riskcloud_codes: Vec<String>,
    /// Codes that stand for it when the entitlement's `operationType` is
    /// `EDIT` (`R_TABLE_REPORTS` → `TABLE_REPORTS_EDIT`); they win over
    /// [`Module::riskcloud_codes`].
    #[serde(default)]
    pub riskcloud_edit_codes: Vec<String>,
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

const MODULES_TOML: &str = include_str!("../../catalog/modules.toml");

static MODULES: LazyLock<ModuleCatalog> = LazyLock::new(|| {
    // The text is compiled in and checked by `catalog_parses` below; it cannot
    // differ at run time.
    toml::from_str(MODULES_TOML).expect("catalog/modules.toml is valid (see the catalog tests)")
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

    /// The module a Risk Cloud API module code (`A_BUILD`) stands for, at
    /// the entitlement's level (`edit`: its `operationType` is `EDIT`).
    pub fn by_riskcloud_code(&self, api_code: &str, edit: bool) -> Option<&str> {
        let find = |codes: fn(&Module) -> &Vec<String>| {
            self.modules
                .iter()
                .find(|m| codes(m).iter().any(|c| c == api_code))
                .map(|m| m.code.as_str())
        };
        edit.then(|| find(|m| &m.riskcloud_edit_codes))
            .flatten()
            .or_else(|| find(|m| &m.riskcloud_codes))
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

#[cfg(test)]
mod tests {
    use super::*;

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
    fn every_code_of_logicgates_swagger_maps_to_a_module_at_its_level() {
        let catalog = ModuleCatalog::get();
        let cases = [
            ("ADMIN_ALL", false, "ADMIN"),
            ("A_BUILD", true, "BUILD"),
            ("A_IMPORT", true, "IMPORT"),
            ("A_ASSIGN", true, "ASSIGN"),
            ("A_ALL_FIELDS", false, "ALL_FIELDS"),
            ("A_ALL_FIELDS", true, "ALL_FIELDS_EDIT"),
            ("A_API_ACCESS", true, "API_ACCESS"),
            ("R_RECORDS", true, "RECORDS"),
            ("R_STATUS", false, "STATUS"),
            ("R_PRODUCTIVITY", false, "PRODUCTIVITY"),
            ("R_TABLE_REPORTS", false, "TABLE_REPORTS_READ"),
            ("R_TABLE_REPORTS", true, "TABLE_REPORTS_EDIT"),
            ("R_DASHBOARDS", true, "DASHBOARDS"),
        ];
        for (code, edit, module) in cases {
            assert_eq!(
                catalog.by_riskcloud_code(code, edit),
                Some(module),
                "{code} {edit}"
            );
        }
        assert_eq!(catalog.by_riskcloud_code("R_NEW", true), None);
        assert!(
            catalog
                .implied_by("DASHBOARDS")
                .contains("TABLE_REPORTS_READ")
        );
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

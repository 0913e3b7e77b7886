//! The control catalog (`catalog/controls.toml`): the controls of compliance
//! frameworks, embedded in the binary. Which rules evidence a control is
//! stated by the rules (`RuleMeta::controls`); that every control they name
//! is here is checked by the rules' tests (the registry lives above the
//! catalogs).

use serde::Deserialize;
use std::sync::LazyLock;

/// One control of a compliance framework.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Control {
    /// `SOC 2`, `ISO/IEC 27001:2022`, `NIST SP 800-53`.
    pub framework: String,
    /// `CC6.1`, `A.5.15`, `AC-6(5)`.
    pub id: String,
    /// What the control requires.
    pub title: String,
    /// Why rclint's rules evidence it.
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

const CONTROLS_TOML: &str = include_str!("../../catalog/controls.toml");

static CONTROLS: LazyLock<ControlCatalog> = LazyLock::new(|| {
    // Compiled in and checked by the rules tests; it cannot differ at run time.
    toml::from_str(CONTROLS_TOML).expect("catalog/controls.toml is valid (see the rules tests)")
});

impl ControlCatalog {
    /// The embedded catalog.
    pub fn get() -> &'static ControlCatalog {
        &CONTROLS
    }
}

//! What both import fuzz targets do with a set of saved API responses:
//! import them, and, when the import succeeds, load the generated files as
//! a snapshot and run every rule and output format on it.

use rclint::config::ImportSettings;
use rclint::import::{ExportFile, Provenance};

pub fn import_and_check(files: Vec<ExportFile>) {
    let mut settings = ImportSettings::default();
    settings
        .modules
        .insert("A_RECORDS".to_string(), "RECORDS".to_string());
    let provenance = Provenance {
        source: "fuzz\u{202e}\n".to_string(),
        as_of: jiff::Timestamp::UNIX_EPOCH,
    };
    let Ok(imported) = rclint::import::import(&files, &settings, &provenance) else {
        return;
    };
    let mut inputs = Vec::new();
    for f in &imported.files {
        // What import writes is valid TOML, one line per grant, and has no
        // raw character that hides or reorders text.
        if let Err(e) = f.text.parse::<toml::Table>() {
            panic!("{} is not valid TOML: {e}\n{}", f.path, f.text);
        }
        assert!(
            !f.text
                .chars()
                .any(|c| matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}')),
            "{} holds a raw bidi control or separator",
            f.path
        );
        assert!(!f.path.contains(".."), "{} leaves the folder", f.path);
        inputs.push((f.path.clone(), Ok(f.text.clone().into_bytes())));
    }
    super::common::exercise(rclint::snapshot::load_bytes(inputs));
}

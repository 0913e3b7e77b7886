//! `--format gitlab`: GitLab Code Quality JSON (`artifacts:reports:codequality`).

use super::ReportInput;
use crate::finding::Severity;
use serde_json::json;
use std::collections::BTreeMap;

/// Renders the findings as a Code Quality report. GitLab needs each
/// fingerprint to be unique; a second finding with the same identity gets a
/// `-2`, `-3`, ... suffix.
pub fn render(input: &ReportInput) -> String {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let issues: Vec<_> = input
        .outcome
        .diagnostics
        .iter()
        .map(|d| {
            let f = &d.finding;
            let base = f.fingerprint();
            let n = seen.entry(base.clone()).or_insert(0);
            *n += 1;
            let fingerprint = if *n == 1 { base } else { format!("{base}-{n}") };
            let pos = input.sources.position(f.primary.span);
            json!({
                "description": format!("{} {}: {}", f.rule.code, f.rule.name, f.message),
                "check_name": f.rule.name,
                "fingerprint": fingerprint,
                "severity": match d.severity {
                    Severity::Error => "blocker",
                    Severity::Warning => "major",
                    Severity::Note => "info",
                },
                "location": {
                    "path": input.sources.get(f.primary.span.file).path,
                    "lines": { "begin": pos.line },
                },
            })
        })
        .collect();
    let mut text = serde_json::to_string_pretty(&issues).unwrap_or_default();
    text.push('\n');
    text
}

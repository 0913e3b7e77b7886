//! `--format gitlab`: GitLab Code Quality JSON (`artifacts:reports:codequality`).

use super::ReportInput;
use crate::diagnostic::Severity;
use serde_json::json;

/// Renders the findings as a Code Quality report. GitLab needs each
/// fingerprint to be unique: finding identities are unique within a run.
pub fn render(input: &ReportInput) -> String {
    let issues: Vec<_> = input
        .outcome
        .diagnostics
        .iter()
        .map(|d| {
            let f = &d.finding;
            let fingerprint = f.fingerprint();
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
    crate::report::json_text(&issues)
}

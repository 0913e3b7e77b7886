//! `rclint report -f json`: the evidence as JSON, for tools.

use crate::evidence::ComplianceReport;

/// The report as pretty JSON with a final newline.
pub fn render(report: &ComplianceReport) -> String {
    let mut text = serde_json::to_string_pretty(report).unwrap_or_default();
    text.push('\n');
    text
}

//! `rclint report -f json`: the evidence as JSON, for tools.

use crate::evidence::ComplianceReport;
use std::io::Write;

/// Writes the report as pretty JSON with a final newline, as it is
/// serialized (the document is never held whole).
pub fn write(report: &ComplianceReport, out: &mut dyn Write) -> std::io::Result<()> {
    crate::report::write_json(out, report)
}

/// The report as pretty JSON with a final newline.
pub fn render(report: &ComplianceReport) -> String {
    crate::report::written(|out| write(report, out))
}

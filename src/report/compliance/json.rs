//! `rclint report -f json`: the evidence as JSON, for tools.

use crate::evidence::ComplianceReport;
use std::io::Write;

/// Writes the report as pretty JSON with a final newline, as it is
/// serialized (the document is never held whole).
pub fn write(report: &ComplianceReport, out: &mut dyn Write) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, report)?;
    out.write_all(b"\n")
}

/// The report as pretty JSON with a final newline.
pub fn render(report: &ComplianceReport) -> String {
    let mut bytes = Vec::new();
    // Writing to memory fails only if serializing does, which a report's
    // plain data cannot.
    let _ = write(report, &mut bytes);
    String::from_utf8(bytes).unwrap_or_default()
}

//! The compliance report as CSV: one row per account × grant, for
//! spreadsheets. Cells that a spreadsheet would run as a formula are quoted
//! with a leading `'`.

use crate::evidence::{ComplianceReport, GrantStatus};
use crate::report::escape;

/// Renders the report as CSV (the csv crate quotes each cell as needed).
pub fn render(r: &ComplianceReport) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let header = [
        "account",
        "least_privilege",
        "grant",
        "needed",
        "held",
        "status",
        "needed_by",
        "held_through",
    ];
    let mut rows = vec![header.map(str::to_string)];
    for a in &r.accounts {
        for row in &a.matrix {
            let status = match row.status {
                GrantStatus::Ok => "ok",
                GrantStatus::Excess => "excess",
                GrantStatus::Missing => "missing",
            };
            rows.push([
                escape::spreadsheet(&a.name),
                a.least_privilege.to_string(),
                escape::spreadsheet(&row.grant),
                row.needed.map_or(String::new(), |l| l.as_str().to_string()),
                row.held.map_or(String::new(), |l| l.as_str().to_string()),
                status.to_string(),
                escape::spreadsheet(&row.needed_by.join("; ")),
                escape::spreadsheet(&row.held_through.join("; ")),
            ]);
        }
    }
    for row in rows {
        // Writing to memory cannot fail.
        let _ = writer.write_record(&row);
    }
    let bytes = writer.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

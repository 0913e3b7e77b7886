//! The compliance report as CSV: one row per account × grant, for
//! spreadsheets. Cells that a spreadsheet would run as a formula are quoted
//! with a leading `'`.

use crate::evidence::{ComplianceReport, GrantStatus};
use crate::report::escape;

/// Renders the report as CSV.
pub fn render(r: &ComplianceReport) -> String {
    let mut out =
        String::from("account,least_privilege,grant,needed,held,status,needed_by,held_through\n");
    for a in &r.accounts {
        for row in &a.matrix {
            let status = match row.status {
                GrantStatus::Ok => "ok",
                GrantStatus::Excess => "excess",
                GrantStatus::Missing => "missing",
            };
            let cells = [
                escape::csv_cell(&a.name),
                a.least_privilege.to_string(),
                escape::csv_cell(&row.grant),
                row.needed.map_or(String::new(), |l| l.as_str().to_string()),
                row.held.map_or(String::new(), |l| l.as_str().to_string()),
                status.to_string(),
                escape::csv_cell(&row.needed_by.join("; ")),
                escape::csv_cell(&row.held_through.join("; ")),
            ];
            out.push_str(&cells.join(","));
            out.push('\n');
        }
    }
    out
}

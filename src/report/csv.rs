//! The compliance report as CSV: one row per account × grant, for
//! spreadsheets. Cells that a spreadsheet would run as a formula are quoted
//! with a leading `'`.

use crate::compliance::{ComplianceReport, GrantStatus};

/// One CSV cell, quoted when needed, neutralised when it starts like a formula.
pub fn cell(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

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
                cell(&a.name),
                a.least_privilege.to_string(),
                cell(&row.grant),
                row.needed.map_or(String::new(), |l| l.as_str().to_string()),
                row.held.map_or(String::new(), |l| l.as_str().to_string()),
                status.to_string(),
                cell(&row.needed_by.join("; ")),
                cell(&row.held_through.join("; ")),
            ];
            out.push_str(&cells.join(","));
            out.push('\n');
        }
    }
    out
}

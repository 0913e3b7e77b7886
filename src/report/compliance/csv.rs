//! The compliance report as CSV: one row per account × grant, for
//! spreadsheets. Cells that a spreadsheet would run as a formula are quoted
//! with a leading `'`.

use crate::evidence::{ComplianceReport, GrantStatus};
use crate::report::escape;
use std::io::Write;

/// Writes the report as CSV, a row at a time (the csv crate quotes each
/// cell as needed).
pub fn write(r: &ComplianceReport, out: &mut dyn Write) -> std::io::Result<()> {
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record([
        "account",
        "least_privilege",
        "grant",
        "needed",
        "held",
        "status",
        "needed_by",
        "held_through",
    ])?;
    for a in &r.accounts {
        for row in &a.matrix {
            let status = match row.status {
                GrantStatus::Ok => "ok",
                GrantStatus::Excess => "excess",
                GrantStatus::Missing => "missing",
            };
            writer.write_record([
                cell(&a.name).as_str(),
                if a.least_privilege { "true" } else { "false" },
                &cell(&row.grant),
                row.needed.map_or("", |l| l.as_str()),
                row.held.map_or("", |l| l.as_str()),
                status,
                &cell(&row.needed_by.join("; ")),
                &cell(&row.held_through.join("; ")),
            ])?;
        }
    }
    writer.flush()
}

/// A cell from the snapshot's names: every control character, a TAB
/// included, shown as the other outputs show it (`\u{9}`; a line break
/// stays, inside the quoted cell), and a formula neutralised.
fn cell(text: &str) -> String {
    let shown = escape::visible_controls(text, escape::Language::Text).replace('\t', "\\u{9}");
    escape::spreadsheet(&shown)
}

/// Renders the report as CSV.
pub fn render(r: &ComplianceReport) -> String {
    crate::report::written(|out| write(r, out))
}

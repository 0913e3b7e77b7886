//! The compliance report as CSV, for spreadsheets: one table whose `kind`
//! column says what a row is. `grant` rows are the permission matrices
//! (account × grant), `finding` rows every finding of the run with the
//! accounts and controls it bears on, `control` rows the control verdicts,
//! `fact` rows the facts each account's verdicts rest on (the fact in
//! `item`, its value in `held`, its provenance in `status`, where it comes
//! from in `location`), and, with `--since`, `change` rows what changed
//! since the last report.
//! A column a kind does not use is empty. Cells that a spreadsheet would run
//! as a formula are quoted with a leading `'`.

use crate::escape;
use crate::evidence::ComplianceReport;
use std::io::Write;

/// The columns, in order.
const HEADER: [&str; 19] = [
    "kind",
    "account",
    "least_privilege",
    "grant",
    "needed",
    "held",
    "status",
    "needed_by",
    "held_through",
    "findings",
    "code",
    "rule",
    "severity",
    "subject",
    "item",
    "message",
    "location",
    "controls",
    "covered",
];

/// One row, by column name; the columns it does not name stay empty.
fn record(cells: &[(&str, String)]) -> Vec<String> {
    HEADER
        .iter()
        .map(|column| {
            cells
                .iter()
                .find(|(name, _)| name == column)
                .map(|(_, value)| value.clone())
                .unwrap_or_default()
        })
        .collect()
}

/// Writes the report as CSV, a row at a time (the csv crate quotes each
/// cell as needed).
pub fn write(r: &ComplianceReport, out: &mut dyn Write) -> std::io::Result<()> {
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(HEADER)?;
    for a in &r.accounts {
        for row in &a.matrix {
            writer.write_record(record(&[
                ("kind", "grant".into()),
                ("account", cell(&a.name)),
                ("least_privilege", a.least_privilege.to_string()),
                ("grant", cell(&row.grant)),
                ("needed", row.needed.map_or("", |l| l.as_str()).into()),
                ("held", row.held.map_or("", |l| l.as_str()).into()),
                ("status", row.status.label().into()),
                ("needed_by", cell(&row.needed_by.join("; "))),
                ("held_through", cell(&row.held_through.join("; "))),
                ("findings", row.findings.join("; ")),
            ]))?;
        }
        for fact in &a.facts {
            let provenance = serde_json::to_value(fact.provenance)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            writer.write_record(record(&[
                ("kind", "fact".into()),
                ("account", cell(&a.name)),
                ("item", cell(&fact.fact)),
                ("held", fact.value.as_deref().map(cell).unwrap_or_default()),
                ("status", provenance),
                ("location", cell(&fact.source)),
            ]))?;
        }
    }
    for f in &r.findings {
        let row = &f.row;
        writer.write_record(record(&[
            ("kind", "finding".into()),
            ("account", cell(&f.accounts.join("; "))),
            ("code", row.code.clone()),
            ("rule", row.rule.clone()),
            ("severity", row.severity.clone()),
            ("subject", cell(&row.subject)),
            ("item", row.item.as_deref().map(cell).unwrap_or_default()),
            ("message", cell(&row.message)),
            ("location", cell(&row.location)),
            ("controls", f.controls.join("; ")),
        ]))?;
    }
    for c in &r.controls {
        writer.write_record(record(&[
            ("kind", "control".into()),
            ("status", c.status.label().into()),
            ("message", cell(&format!("{}: {}", c.title, c.verdict()))),
            ("controls", cell(&format!("{} {}", c.framework, c.id))),
            ("covered", c.coverage()),
            ("findings", c.findings.len().to_string()),
        ]))?;
    }
    if let Some(changes) = &r.changes {
        for (kind, c) in changes.rows() {
            writer.write_record(record(&[
                ("kind", "change".into()),
                ("status", kind.into()),
                ("subject", cell(&c.about)),
                ("message", cell(&format!("{} → {}", c.before, c.after))),
            ]))?;
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

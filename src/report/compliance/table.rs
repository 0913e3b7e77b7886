//! The report's tables in a form both the HTML and the Markdown renderer
//! draw: what a table holds is decided once, here; how it looks, there.

use crate::evidence::{AccountSection, ComplianceReport, FindingRow, Provenance};

/// How a cell is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// Plain text.
    Plain,
    /// Monospace in HTML, plain in Markdown (paths, repositories).
    Mono,
    /// Monospace in HTML, code in Markdown (hashes).
    Code,
    /// An HTML class (a status colour); in Markdown, bold when the class
    /// marks a problem (`fail`, `flagged`, `excess`, `missing`).
    Class(&'static str),
}

/// One cell: its lines (joined with a line break in HTML, `; ` in Markdown;
/// `—` when there is none) and its style.
#[derive(Debug, Clone)]
pub struct Cell {
    /// The lines.
    pub lines: Vec<String>,
    /// The style.
    pub style: Style,
}

impl Cell {
    /// A plain one-line cell.
    pub fn text(text: impl Into<String>) -> Cell {
        Cell::styled(text, Style::Plain)
    }

    /// A one-line cell with a style.
    pub fn styled(text: impl Into<String>, style: Style) -> Cell {
        Cell {
            lines: vec![text.into()],
            style,
        }
    }

    /// A cell of several lines, `—` when there is none.
    pub fn lines(lines: Vec<String>) -> Cell {
        Cell {
            lines,
            style: Style::Plain,
        }
    }

    /// An optional value, `—` when absent.
    pub fn optional(value: &Option<String>, style: Style) -> Cell {
        Cell {
            lines: value.iter().cloned().collect(),
            style,
        }
    }
}

/// A table: a header and rows of cells.
#[derive(Debug, Clone)]
pub struct Table {
    /// Column titles.
    pub header: Vec<&'static str>,
    /// Rows.
    pub rows: Vec<Vec<Cell>>,
}

/// Findings: severity, rule, finding, where.
pub fn findings(rows: &[FindingRow]) -> Table {
    Table {
        header: vec!["severity", "rule", "finding", "where"],
        rows: rows
            .iter()
            .map(|f| {
                let class = match f.severity.as_str() {
                    "error" => "error",
                    "warning" => "warning",
                    "note" => "note",
                    _ => "waived",
                };
                vec![
                    Cell::styled(&f.severity, Style::Class(class)),
                    Cell::text(format!("{} {}", f.code, f.rule)),
                    Cell::text(&f.message),
                    Cell::styled(&f.location, Style::Mono),
                ]
            })
            .collect(),
    }
}

/// Findings per rule.
pub fn by_rule(r: &ComplianceReport) -> Table {
    Table {
        header: vec!["rule", "findings"],
        rows: r
            .summary
            .by_rule
            .iter()
            .map(|c| {
                vec![
                    Cell::text(format!("{} {}", c.code, c.name)),
                    Cell::text(c.count.to_string()),
                ]
            })
            .collect(),
    }
}

/// The facts an account's verdicts rest on, with where each comes from.
pub fn facts(a: &AccountSection) -> Table {
    Table {
        header: vec!["fact", "value", "provenance", "source"],
        rows: a
            .facts
            .iter()
            .map(|f| {
                let provenance = match f.provenance {
                    Provenance::Exported => Cell::text("exported"),
                    Provenance::HandWritten => Cell::text("hand-written"),
                    Provenance::Attested => Cell::text("attested"),
                    Provenance::Unknown => Cell::styled("unknown", Style::Class("unknown")),
                };
                vec![
                    Cell::styled(&f.fact, Style::Mono),
                    Cell::optional(&f.value, Style::Plain),
                    provenance,
                    Cell::text(&f.source),
                ]
            })
            .collect(),
    }
}

/// An account's integrations.
pub fn integrations(a: &AccountSection) -> Table {
    Table {
        header: vec![
            "integration",
            "team",
            "owner",
            "repository",
            "environment",
            "token source",
            "retries on 401",
            "intents",
        ],
        rows: a
            .integrations
            .iter()
            .map(|i| {
                vec![
                    Cell::text(&i.name),
                    Cell::optional(&i.team, Style::Plain),
                    Cell::optional(&i.owner, Style::Plain),
                    Cell::optional(&i.repository, Style::Mono),
                    Cell::text(&i.environment),
                    Cell::text(&i.token_source),
                    Cell::text(if i.retry_on_401 { "yes" } else { "no" }),
                    Cell::lines(i.intents.clone()),
                ]
            })
            .collect(),
    }
}

/// An account's permission matrix: grant, needed by, held through, and
/// ok / flagged / excess / missing, with the level needed and held on every
/// row of a grant that has levels (modules are held or not), and the
/// findings on that grant below.
pub fn matrix(a: &AccountSection) -> Table {
    Table {
        header: vec!["grant", "needed by", "held through", "status"],
        rows: a
            .matrix
            .iter()
            .map(|r| {
                let status = r.status.label();
                let level = |l: Option<crate::snapshot::Level>| l.map_or("none", |l| l.as_str());
                let levels = if r.grant.starts_with("module:") {
                    String::new()
                } else {
                    format!(" (needs {}, holds {})", level(r.needed), level(r.held))
                };
                vec![
                    Cell::styled(&r.grant, Style::Mono),
                    Cell::lines(r.needed_by.clone()),
                    Cell::lines(r.held_through.clone()),
                    Cell {
                        lines: std::iter::once(format!("{status}{levels}"))
                            .chain(r.findings.iter().cloned())
                            .collect(),
                        style: Style::Class(status),
                    },
                ]
            })
            .collect(),
    }
}

/// The waiver register.
pub fn waivers(r: &ComplianceReport) -> Table {
    Table {
        header: vec![
            "rule", "subject", "item", "reason", "ticket", "approver", "expires", "status", "hides",
        ],
        rows: r
            .waivers
            .iter()
            .map(|w| {
                let class = match w.status.as_str() {
                    "active" => "pass",
                    "expired" => "fail",
                    _ => "waived",
                };
                vec![
                    Cell::text(&w.rule),
                    Cell::text(&w.subject),
                    Cell::optional(&w.item, Style::Plain),
                    Cell::text(&w.reason),
                    Cell::optional(&w.ticket, Style::Plain),
                    Cell::optional(&w.approver, Style::Plain),
                    Cell::text(&w.expires),
                    Cell::styled(&w.status, Style::Class(class)),
                    Cell::text(w.hides.to_string()),
                ]
            })
            .collect(),
    }
}

/// The input files and their hashes.
pub fn inputs(r: &ComplianceReport) -> Table {
    Table {
        header: vec!["file", "SHA-256"],
        rows: r
            .inputs
            .iter()
            .map(|f| {
                vec![
                    Cell::styled(&f.path, Style::Mono),
                    Cell::styled(&f.sha256, Style::Code),
                ]
            })
            .collect(),
    }
}

/// What changed since the previous report, one row per change; `None`
/// when no previous report was given.
pub fn changes(r: &ComplianceReport) -> Option<Table> {
    let changes = r.changes.as_ref()?;
    Some(Table {
        header: vec!["change", "about", "before", "after"],
        rows: changes
            .rows()
            .into_iter()
            .map(|(kind, c)| {
                vec![
                    Cell::text(kind),
                    Cell::styled(c.about, Style::Mono),
                    Cell::text(c.before),
                    Cell::text(c.after),
                ]
            })
            .collect(),
    })
}

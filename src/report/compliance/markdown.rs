//! The compliance report as GitHub-flavoured Markdown: tables, and a Mermaid
//! chart per account for its access paths. Every name is escaped so that it
//! shows as text and cannot break a table.

use super::table::{self as tables, Style, Table};
use crate::escape;
use crate::evidence::{ComplianceReport, ControlStatus, FindingRow, Picture};
use std::fmt::Write;

fn findings(out: &mut String, rows: &[FindingRow]) {
    if rows.is_empty() {
        out.push_str("No findings.\n\n");
        return;
    }
    out.push_str(&table(&tables::findings(rows)));
    out.push('\n');
}

/// Draws a table; every cell is escaped.
pub fn table(t: &Table) -> String {
    let mut out = format!(
        "| {} |\n|{}\n",
        t.header.join(" | "),
        "---|".repeat(t.header.len())
    );
    for row in &t.rows {
        let cells: Vec<String> = row
            .iter()
            .map(|cell| {
                if cell.lines.is_empty() {
                    return "—".to_string();
                }
                let escape = match cell.style {
                    Style::Code => escape::markdown_in_code,
                    _ => escape::markdown,
                };
                let text = cell
                    .lines
                    .iter()
                    .map(|l| escape(l))
                    .collect::<Vec<_>>()
                    .join("; ");
                match cell.style {
                    Style::Code => format!("`{text}`"),
                    Style::Class("fail" | "flagged" | "excess" | "missing") => {
                        format!("**{text}**")
                    }
                    _ => text,
                }
            })
            .collect();
        let _ = writeln!(out, "| {} |", cells.join(" | "));
    }
    out
}

fn mermaid(picture: &Picture) -> String {
    let mut out = String::from("```mermaid\nflowchart LR\n");
    for (i, node) in picture.nodes.iter().enumerate() {
        let _ = writeln!(out, "  n{i}[\"{}\"]", escape::mermaid(&node.label));
    }
    for (from, to) in &picture.edges {
        let _ = writeln!(out, "  n{from} --> n{to}");
    }
    for (i, node) in picture.nodes.iter().enumerate() {
        let Some(status) = node.status else { continue };
        let class = status.label();
        let _ = writeln!(out, "  class n{i} {class}");
    }
    out.push_str("  classDef ok fill:#dafbe1,stroke:#1a7f37\n  classDef flagged fill:#ffebe9,stroke:#cf222e\n  classDef excess fill:#fff8c5,stroke:#9a6700\n  classDef missing fill:#ffebe9,stroke:#cf222e,stroke-dasharray:4\n```\n");
    out
}

/// Renders the report as Markdown.
pub fn render(r: &ComplianceReport) -> String {
    let mut out = String::new();
    header(&mut out, r);
    summary(&mut out, r);
    changes(&mut out, r);
    controls(&mut out, r);
    accounts(&mut out, r);
    registers(&mut out, r);
    appendix(&mut out, r);
    out
}

/// The title and what the report was made from.
fn header(out: &mut String, r: &ComplianceReport) {
    let _ = writeln!(out, "# {}\n", escape::markdown(&r.title));
    out.push_str("Least-privilege compliance report of the Risk Cloud integration accounts.\n\n");
    let _ = writeln!(
        out,
        "| | |\n|---|---|\n| Generated | {} |\n| rclint | {} |\n| Catalogs | modules {}, intents {}, controls {} |\n| Snapshot SHA-256 | `{}` |\n| Scope | {} |\n| Access data as of | {} |\n| Configuration | {} |\n",
        escape::markdown(&r.generated_at),
        escape::markdown(&r.rclint_version),
        escape::markdown(&r.catalogs.modules),
        escape::markdown(&r.catalogs.intents),
        escape::markdown(&r.catalogs.controls),
        r.snapshot_sha256,
        escape::markdown(&r.scope.summary()),
        escape::markdown(&r.scope.data_as_of),
        escape::markdown(&r.configuration.summary())
    );
}

/// The tally, the counts, and the findings by rule.
fn summary(out: &mut String, r: &ComplianceReport) {
    let s = &r.summary;
    let _ = writeln!(out, "**{}.**\n", s.tally());
    out.push_str("## Summary\n\n");
    let _ = writeln!(out, "{}\n", escape::markdown(&s.sentence()));
    let _ = writeln!(
        out,
        "{} errors, {} warnings, {} notes, {} waived, {} baselined.\n",
        s.error, s.warning, s.note, s.waived, s.baselined
    );
    let _ = writeln!(out, "{}\n", s.facts.sentence());
    if s.snapshot_problems > 0 {
        let _ = writeln!(
            out,
            "**The snapshot has {} (RC401–RC404): the evidence below may be incomplete.**\n",
            crate::report::plural(s.snapshot_problems, "integrity problem")
        );
    }
    out.push_str(&table(&tables::by_rule(r)));
}

/// What changed since the previous report (`--since`).
fn changes(out: &mut String, r: &ComplianceReport) {
    if let (Some(changes), Some(t)) = (&r.changes, tables::changes(r)) {
        let _ = writeln!(
            out,
            "\n## Changes since the last report\n\nSince the report of {} (snapshot `{}`{}): {}.\n",
            escape::markdown(&changes.since),
            escape::markdown_in_code(&changes.previous_snapshot_sha256),
            if changes.same_snapshot {
                ", the same snapshot"
            } else {
                ""
            },
            changes.sentence()
        );
        if !changes.is_empty() {
            out.push_str(&table(&t));
        }
    }
}

/// One row per control: its verdict, coverage and findings.
fn controls(out: &mut String, r: &ComplianceReport) {
    let _ = writeln!(out, "\n## Controls\n\n{}.\n", r.summary.tally());
    out.push_str("| framework | control | status | covered | evidenced by | findings |\n|---|---|---|---|---|---|\n");
    for c in &r.controls {
        let status = match c.status {
            ControlStatus::Pass | ControlStatus::Waived => c.verdict(),
            _ => format!("**{}**", c.verdict()),
        };
        let findings: Vec<String> = c
            .findings
            .iter()
            .map(|f| {
                let item = f
                    .item
                    .as_deref()
                    .map(|i| format!(" {}", escape::markdown(i)))
                    .unwrap_or_default();
                format!(
                    "{} {}{item} ({})",
                    escape::markdown(&f.code),
                    escape::markdown(&f.subject),
                    escape::markdown(&f.severity)
                )
            })
            .collect();
        let _ = writeln!(
            out,
            "| {} | **{}** {} | {status} | {} | {} | {} |",
            escape::markdown(&c.framework),
            escape::markdown(&c.id),
            escape::markdown(&c.title),
            c.coverage(),
            escape::markdown(
                &c.because
                    .iter()
                    .map(|b| format!("{}: {}", b.rule, b.reason))
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
            if findings.is_empty() {
                "—".to_string()
            } else {
                findings.join("; ")
            }
        );
    }
}

/// One section per automation account: its grants, picture and findings.
fn accounts(out: &mut String, r: &ComplianceReport) {
    out.push_str("\n## Automation accounts\n\n");
    for a in &r.accounts {
        let verdict = if a.least_privilege {
            "least privilege"
        } else {
            "**not least privilege**"
        };
        let _ = writeln!(out, "### {} — {verdict}\n", escape::markdown(&a.name));
        let _ = writeln!(out, "{}\n", a.description());
        out.push_str(&table(&tables::facts(a)));
        out.push('\n');
        if !a.integrations.is_empty() {
            out.push_str(&table(&tables::integrations(a)));
            out.push('\n');
        }
        out.push_str(&table(&tables::matrix(a)));
        out.push('\n');
        out.push_str(&mermaid(&a.picture));
        out.push('\n');
        findings(out, &a.findings);
        if !a.waived.is_empty() {
            out.push_str("Waived:\n\n");
            findings(out, &a.waived);
        }
    }
}

/// The waiver register and the input files.
fn registers(out: &mut String, r: &ComplianceReport) {
    out.push_str("## Waiver register\n\n");
    if r.waivers.is_empty() {
        out.push_str("No waivers.\n\n");
    } else {
        out.push_str(&table(&tables::waivers(r)));
        out.push('\n');
    }
    out.push_str("## Input files\n\n");
    out.push_str(&table(&tables::inputs(r)));
}

/// Every rule's documentation.
fn appendix(out: &mut String, r: &ComplianceReport) {
    out.push_str("\n## Appendix: rules\n\n");
    for rule in &r.rules {
        let _ = writeln!(
            out,
            "### {} {} ({})\n",
            escape::markdown(&rule.code),
            escape::markdown(&rule.name),
            escape::markdown(&rule.severity)
        );
        // Rule documentation is rclint's own Markdown; its headings move down
        // two levels to sit under this one.
        for line in rule.documentation.lines() {
            if let Some(h) = line.strip_prefix("## ") {
                let _ = writeln!(out, "#### {h}");
            } else {
                let _ = writeln!(out, "{line}");
            }
        }
        out.push('\n');
    }
}

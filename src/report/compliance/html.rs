//! The compliance report as one self-contained HTML file: no script, no
//! external font, image or style (a Content-Security-Policy forbids them), an
//! inline SVG per account, and print styles. Every name is escaped.

use super::table::{self as tables, Style, Table};
use crate::evidence::{
    AccountSection, ComplianceReport, ControlStatus, FindingRow, GrantStatus, Picture,
};
use crate::report::escape;
use std::fmt::Write;

const STYLE: &str = r#"
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1b1f24; margin: 2rem auto; max-width: 72rem; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; } h2 { border-bottom: 2px solid #d0d7de; padding-bottom: .2rem; margin-top: 2.2rem; }
h3 { margin-top: 1.8rem; } table { border-collapse: collapse; width: 100%; margin: .6rem 0; font-size: 13px; }
th, td { border: 1px solid #d0d7de; padding: .25rem .45rem; text-align: left; vertical-align: top; } th { background: #f6f8fa; }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; word-break: break-all; }
.pass, .ok { color: #116329; font-weight: 600; } .fail, .missing, .error { color: #a40e26; font-weight: 600; }
.waived, .excess, .warning { color: #7d4e00; font-weight: 600; } .note { color: #0550ae; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: .1rem 1rem; } dl.meta dt { font-weight: 600; }
.account { border: 1px solid #d0d7de; border-radius: 6px; padding: 0 1rem 1rem; margin: 1rem 0; }
pre.doc { white-space: pre-wrap; background: #f6f8fa; padding: .6rem; border-radius: 6px; font-size: 12px; }
svg text { font: 11px system-ui, sans-serif; } nav ul { columns: 2; }
@media print { nav { display: none; } body { margin: 0; max-width: none; } .account, table, svg { break-inside: avoid; } a { color: inherit; text-decoration: none; } }
"#;

fn status_class(status: ControlStatus) -> &'static str {
    match status {
        ControlStatus::Pass => "pass",
        ControlStatus::Fail | ControlStatus::NotAssessed | ControlStatus::PartlyAssessed => "fail",
        ControlStatus::Waived => "waived",
    }
}

fn findings_table(out: &mut String, findings: &[FindingRow]) {
    if findings.is_empty() {
        out.push_str("<p>No findings.</p>\n");
        return;
    }
    out.push_str(&table(&tables::findings(findings)));
}

/// Draws a table; every cell is escaped.
pub fn table(t: &Table) -> String {
    let mut out = String::from("<table><tr>");
    for h in &t.header {
        let _ = write!(out, "<th>{}</th>", escape::html(h));
    }
    out.push_str("</tr>\n");
    for row in &t.rows {
        out.push_str("<tr>");
        for cell in row {
            let class = match cell.style {
                Style::Plain => String::new(),
                Style::Mono | Style::Code => " class=\"mono\"".to_string(),
                Style::Class(c) => format!(" class=\"{c}\""),
            };
            let text = if cell.lines.is_empty() {
                "—".to_string()
            } else {
                cell.lines
                    .iter()
                    .map(|l| escape::html(l))
                    .collect::<Vec<_>>()
                    .join("<br>")
            };
            let _ = write!(out, "<td{class}>{text}</td>");
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</table>\n");
    out
}

/// The account's access paths as an SVG: account → roles → permission sets →
/// grants, grants coloured by status.
pub fn picture_svg(picture: &Picture) -> String {
    const COLUMN_X: [usize; 4] = [8, 218, 428, 638];
    const WIDTH: usize = 200;
    const ROW: usize = 28;
    let mut rows = [0usize; 4];
    let mut position = Vec::with_capacity(picture.nodes.len());
    for node in &picture.nodes {
        let column = node.column.min(3);
        position.push((COLUMN_X[column], 8 + rows[column] * ROW));
        rows[column] += 1;
    }
    let height = rows.iter().max().copied().unwrap_or(1).max(1) * ROW + 12;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"access paths\" width=\"846\" height=\"{height}\" viewBox=\"0 0 846 {height}\">"
    );
    for &(from, to) in &picture.edges {
        let (Some(&(x1, y1)), Some(&(x2, y2))) = (position.get(from), position.get(to)) else {
            continue;
        };
        let _ = writeln!(
            out,
            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#8c959f\" stroke-width=\"1\"/>",
            x1 + WIDTH,
            y1 + 10,
            x2,
            y2 + 10
        );
    }
    for (node, &(x, y)) in picture.nodes.iter().zip(&position) {
        let (fill, stroke) = match node.status {
            Some(GrantStatus::Ok) => ("#dafbe1", "#1a7f37"),
            Some(GrantStatus::Excess) => ("#fff8c5", "#9a6700"),
            Some(GrantStatus::Missing) => ("#ffebe9", "#cf222e"),
            None => ("#f6f8fa", "#57606a"),
        };
        let label: String = if node.label.chars().count() > 32 {
            node.label.chars().take(31).chain(['…']).collect()
        } else {
            node.label.clone()
        };
        let dash = if node.status == Some(GrantStatus::Missing) {
            " stroke-dasharray=\"4 2\""
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "<g><title>{}</title><rect x=\"{x}\" y=\"{y}\" width=\"{WIDTH}\" height=\"20\" rx=\"4\" fill=\"{fill}\" stroke=\"{stroke}\"{dash}/><text x=\"{}\" y=\"{}\">{}</text></g>",
            escape::html(&node.label),
            x + 6,
            y + 14,
            escape::html(&label)
        );
    }
    out.push_str("</svg>\n");
    out
}

fn account(out: &mut String, a: &AccountSection, index: usize) {
    let _ = writeln!(out, "<div class=\"account\" id=\"account-{index}\">");
    let verdict = if a.least_privilege {
        "<span class=\"pass\">least privilege</span>"
    } else {
        "<span class=\"fail\">not least privilege</span>"
    };
    let _ = writeln!(out, "<h3>{} — {verdict}</h3>", escape::html(&a.name));
    let _ = writeln!(out, "<p>{}</p>", escape::html(&a.description()));
    if a.integrations.is_empty() {
        out.push_str("<p>No integration declares this account.</p>\n");
    } else {
        out.push_str(&table(&tables::integrations(a)));
    }
    out.push_str("<h4>Permission matrix</h4>\n");
    out.push_str(&table(&tables::matrix(a)));
    out.push_str("<h4>Access paths</h4>\n");
    out.push_str(&picture_svg(&a.picture));
    out.push_str("<h4>Findings</h4>\n");
    findings_table(out, &a.findings);
    if !a.waived.is_empty() {
        out.push_str("<h4>Waived</h4>\n");
        findings_table(out, &a.waived);
    }
    out.push_str("</div>\n");
}

/// Renders the report as HTML.
pub fn render(r: &ComplianceReport) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{} — rclint compliance report</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        escape::html(&r.title)
    );
    let _ = writeln!(
        out,
        "<header><h1>{}</h1><p>Least-privilege compliance report of the Risk Cloud integration accounts.</p>",
        escape::html(&r.title)
    );
    let _ = writeln!(
        out,
        "<dl class=\"meta\"><dt>Generated</dt><dd>{}</dd><dt>rclint</dt><dd>{}</dd><dt>Catalogs</dt><dd>modules {}, intents {}, controls {}</dd><dt>Snapshot SHA-256</dt><dd class=\"mono\">{}</dd><dt>Configuration</dt><dd>{}</dd></dl></header>",
        escape::html(&r.generated_at),
        escape::html(&r.rclint_version),
        escape::html(&r.catalogs.modules),
        escape::html(&r.catalogs.intents),
        escape::html(&r.catalogs.controls),
        escape::html(&r.snapshot_sha256),
        escape::html(&r.configuration.summary())
    );
    out.push_str("<nav><h2>Contents</h2><ul><li><a href=\"#summary\">Summary</a></li><li><a href=\"#controls\">Controls</a></li><li><a href=\"#accounts\">Accounts</a></li><li><a href=\"#waivers\">Waiver register</a></li><li><a href=\"#inputs\">Input files</a></li><li><a href=\"#rules\">Rules</a></li></ul></nav>\n");

    let s = &r.summary;
    let _ = writeln!(
        out,
        "<section id=\"summary\"><h2>Summary</h2><p>{}</p>",
        escape::html(&s.sentence())
    );
    let _ = writeln!(
        out,
        "<p><span class=\"error\">{} errors</span>, <span class=\"warning\">{} warnings</span>, {} notes, {} waived, {} baselined.</p>",
        s.error, s.warning, s.note, s.waived, s.baselined
    );
    if s.snapshot_problems > 0 {
        let _ = writeln!(
            out,
            "<p class=\"fail\">The snapshot has {} (RC401–RC404): the evidence below may be incomplete.</p>",
            crate::report::plural(s.snapshot_problems, "integrity problem")
        );
    }
    out.push_str(&table(&tables::by_rule(r)));
    out.push_str("</section>\n");

    out.push_str("<section id=\"controls\"><h2>Controls</h2>\n<table><tr><th>framework</th><th>control</th><th>status</th><th>evidenced by</th><th>findings</th></tr>\n");
    for c in &r.controls {
        let findings: Vec<String> = c
            .findings
            .iter()
            .map(|f| {
                format!(
                    "{} {} ({}): {}",
                    escape::html(&f.code),
                    escape::html(&f.subject),
                    escape::html(&f.severity),
                    escape::html(&f.message)
                )
            })
            .collect();
        let class = status_class(c.status);
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td><strong>{}</strong> {}<br><small>{}</small></td><td class=\"{class}\">{}</td><td>{}</td><td>{}</td></tr>",
            escape::html(&c.framework),
            escape::html(&c.id),
            escape::html(&c.title),
            escape::html(&c.why),
            c.status.label(),
            escape::html(&c.rules.join(", ")),
            if findings.is_empty() {
                "—".to_string()
            } else {
                findings.join("<br>")
            }
        );
    }
    out.push_str("</table></section>\n");

    out.push_str("<section id=\"accounts\"><h2>Automation accounts</h2>\n");
    for (i, a) in r.accounts.iter().enumerate() {
        account(&mut out, a, i);
    }
    out.push_str("</section>\n");

    out.push_str("<section id=\"waivers\"><h2>Waiver register</h2>\n");
    if r.waivers.is_empty() {
        out.push_str("<p>No waivers.</p>\n");
    } else {
        out.push_str(&table(&tables::waivers(r)));
    }
    out.push_str("</section>\n");

    out.push_str("<section id=\"inputs\"><h2>Input files</h2>\n");
    out.push_str(&table(&tables::inputs(r)));
    out.push_str("</section>\n");

    out.push_str("<section id=\"rules\"><h2>Appendix: rules</h2>\n");
    for rule in &r.rules {
        let _ = writeln!(
            out,
            "<h3 id=\"{}\">{} {} <small>({})</small></h3>\n<pre class=\"doc\">{}</pre>",
            escape::html(&rule.code),
            escape::html(&rule.code),
            escape::html(&rule.name),
            escape::html(&rule.severity),
            escape::html(&rule.documentation)
        );
    }
    out.push_str("</section>\n</body>\n</html>\n");
    out
}

//! The compliance report as one self-contained HTML file: no script, no
//! external font, image or style (a Content-Security-Policy forbids them), an
//! inline SVG per account, and print styles. Built with maud: every value
//! written into the page is escaped by construction; only the style sheet
//! is written as it is.

use super::table::{self as tables, Style, Table};
use crate::evidence::{
    AccountSection, ComplianceReport, ControlStatus, FindingRow, GrantStatus, Picture,
};
use maud::{DOCTYPE, Markup, PreEscaped, html};

const STYLE: &str = r#"
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1b1f24; margin: 2rem auto; max-width: 72rem; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; } h2 { border-bottom: 2px solid #d0d7de; padding-bottom: .2rem; margin-top: 2.2rem; }
h3 { margin-top: 1.8rem; } table { border-collapse: collapse; width: 100%; margin: .6rem 0; font-size: 13px; }
th, td { border: 1px solid #d0d7de; padding: .25rem .45rem; text-align: left; vertical-align: top; } th { background: #f6f8fa; }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; word-break: break-all; }
.pass, .ok { color: #116329; font-weight: 600; }
.fail, .missing, .flagged, .error { color: #a40e26; font-weight: 600; }
.waived, .excess, .warning, .exceptions { color: #7d4e00; font-weight: 600; } .note { color: #0550ae; }
.partly { color: #0550ae; font-weight: 600; } .unassessed { color: #57606a; font-style: italic; }
.tally span + span::before { content: ", "; color: #1b1f24; font-weight: normal; font-style: normal; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: .1rem 1rem; } dl.meta dt { font-weight: 600; }
.account { border: 1px solid #d0d7de; border-radius: 6px; padding: 0 1rem 1rem; margin: 1rem 0; }
div.doc { background: #f6f8fa; padding: .2rem .8rem; border-radius: 6px; font-size: 13px; } div.doc pre { white-space: pre-wrap; font-size: 12px; }
svg text { font: 11px system-ui, sans-serif; } nav ul { columns: 2; }
@media print { @page { margin: 14mm 12mm; } nav { display: none; } body { margin: 0; max-width: none; font-size: 11px; } thead { display: table-header-group; } tr, svg, h3, h4 { break-inside: avoid; } h2, h3, h4 { break-after: avoid; } section { break-before: page; } section#summary { break-before: auto; } a { color: inherit; text-decoration: none; } }
"#;

/// The tally of control verdicts, each in its style: `12 controls: 2
/// exceptions, 10 fail`.
fn tally(r: &ComplianceReport) -> Markup {
    let verdicts = &r.summary.control_verdicts;
    let total: usize = verdicts.iter().map(|v| v.count).sum();
    html! {
        p class="tally" {
            strong { (crate::words::plural(total, "control")) ": " }
            @for v in verdicts.iter().filter(|v| v.count > 0) {
                span class=(status_class(v.verdict)) { (v.count) " " (v.verdict.label()) }
            }
        }
    }
}

fn status_class(status: ControlStatus) -> &'static str {
    match status {
        ControlStatus::Pass => "pass",
        ControlStatus::Waived => "waived",
        ControlStatus::Exceptions => "exceptions",
        ControlStatus::Fail => "fail",
        ControlStatus::PartlyAssessed => "partly",
        ControlStatus::NotAssessed => "unassessed",
    }
}

/// Lines of a cell, separated by line breaks.
fn lines<S: AsRef<str>>(lines: &[S]) -> Markup {
    html! {
        @for (i, line) in lines.iter().enumerate() {
            @if i > 0 { br; }
            (line.as_ref())
        }
    }
}

/// Which account section a finding's subject links to: the first account
/// that has that name or an integration of that name.
fn account_sections(r: &ComplianceReport) -> std::collections::HashMap<&str, usize> {
    let mut sections = std::collections::HashMap::new();
    for (i, a) in r.accounts.iter().enumerate() {
        sections.entry(a.name.as_str()).or_insert(i);
        for integration in &a.integrations {
            sections.entry(integration.name.as_str()).or_insert(i);
        }
    }
    sections
}

/// A finding in a control's list: `RC104 svc-x build:App`, its severity as
/// a class and its message as a tooltip, linked to the account's section
/// when it is about an automation account or one of its integrations.
fn finding_link(sections: &std::collections::HashMap<&str, usize>, f: &FindingRow) -> Markup {
    let account = sections.get(f.subject.as_str()).copied();
    let text = html! {
        (f.code) " " (f.subject)
        @if let Some(item) = &f.item { " " (item) }
    };
    html! {
        span class=(f.severity) title=(f.message) {
            @if let Some(i) = account {
                a href={ "#account-" (i) } { (text) }
            } @else {
                (text)
            }
        }
    }
}

fn findings_table(findings: &[FindingRow]) -> Markup {
    html! {
        @if findings.is_empty() {
            p { "No findings." }
        } @else {
            (table(&tables::findings(findings)))
        }
    }
}

/// Draws a table.
pub fn table(t: &Table) -> Markup {
    html! {
        table {
            thead { tr { @for h in &t.header { th { (h) } } } }
            @for row in &t.rows {
                tr {
                    @for cell in row {
                        @let class = match cell.style {
                            Style::Plain => None,
                            Style::Mono | Style::Code => Some("mono"),
                            Style::Class(c) => Some(c),
                        };
                        td class=[class] {
                            @if cell.lines.is_empty() { "—" } @else { (lines(&cell.lines)) }
                        }
                    }
                }
            }
        }
    }
}

/// A label that fits its box: a long one keeps its start and its end (two
/// steps of one workflow differ at the end) with `…` between.
fn short_label(label: &str) -> String {
    let chars: Vec<char> = label.chars().collect();
    if chars.len() <= 32 {
        return label.to_string();
    }
    let start: String = chars[..12].iter().collect();
    let end: String = chars[chars.len() - 19..].iter().collect();
    format!("{start}…{end}")
}

/// Left edge of each column of the access picture.
const COLUMN_X: [usize; 4] = [8, 218, 428, 638];
/// Width of a box.
const WIDTH: usize = 200;
/// Distance between the tops of two boxes of a column (boxes are 20 high).
const ROW: usize = 28;

/// The points of the line from one box (column, x, y) to another: straight
/// between neighbouring columns; between columns further apart, through the
/// gaps, so that it never crosses a box of a column in between (a role's
/// module must not look as if it came from a permission set).
fn edge_points(
    (from_column, x1, y1): (usize, usize, usize),
    (to_column, x2, y2): (usize, usize, usize),
) -> Vec<(usize, usize)> {
    let (start, end) = ((x1 + WIDTH, y1 + 10), (x2, y2 + 10));
    if to_column <= from_column + 1 {
        return vec![start, end];
    }
    // Boxes of every column sit on the same rows: the middle of the gap
    // between two rows (or above the first) is free in every column.
    let lane = (end.1.saturating_sub(4) + ROW / 2) / ROW * ROW + 4;
    let after_source = x1 + WIDTH + 5;
    let before_target = x2 - 5;
    vec![
        start,
        (after_source, start.1),
        (after_source, lane),
        (before_target, lane),
        (before_target, end.1),
        end,
    ]
}

/// The account's access paths as an SVG: account → roles → permission sets →
/// grants, grants coloured by status. (SVG elements are closed explicitly:
/// HTML reads them as foreign content.)
pub fn picture_svg(picture: &Picture) -> Markup {
    let mut rows = [0usize; 4];
    let mut position = Vec::with_capacity(picture.nodes.len());
    for node in &picture.nodes {
        let column = node.column.min(3);
        position.push((column, COLUMN_X[column], 8 + rows[column] * ROW));
        rows[column] += 1;
    }
    let height = rows.iter().max().copied().unwrap_or(1).max(1) * ROW + 12;
    let edges: Vec<String> = picture
        .edges
        .iter()
        .filter_map(|&(from, to)| Some(edge_points(*position.get(from)?, *position.get(to)?)))
        .map(|points| {
            points
                .iter()
                .map(|(x, y)| format!("{x},{y}"))
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    let position: Vec<(usize, usize)> = position.iter().map(|&(_, x, y)| (x, y)).collect();
    html! {
        svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="access paths"
            width="846" height=(height) viewBox={ "0 0 846 " (height) } {
            @for points in &edges {
                polyline points=(points) fill="none" stroke="#8c959f" stroke-width="1" {}
            }
            @for (node, &(x, y)) in picture.nodes.iter().zip(&position) {
                @let (fill, stroke) = match node.status {
                    Some(GrantStatus::Ok) => ("#dafbe1", "#1a7f37"),
                    Some(GrantStatus::Flagged) => ("#ffebe9", "#cf222e"),
                    Some(GrantStatus::Excess) => ("#fff8c5", "#9a6700"),
                    Some(GrantStatus::Missing) => ("#ffebe9", "#cf222e"),
                    None => ("#f6f8fa", "#57606a"),
                };
                @let label = short_label(&node.label);
                @let dash = (node.status == Some(GrantStatus::Missing)).then_some("4 2");
                g {
                    title { (node.label) }
                    rect x=(x) y=(y) width=(WIDTH) height="20" rx="4" fill=(fill) stroke=(stroke)
                        stroke-dasharray=[dash] {}
                    text x=(x + 6) y=(y + 14) { (label) }
                }
            }
        }
    }
}

fn account(a: &AccountSection, index: usize) -> Markup {
    html! {
        div class="account" id={ "account-" (index) } {
            h3 {
                (a.name) " — "
                @if a.least_privilege {
                    span class="pass" { "least privilege" }
                } @else {
                    span class="fail" { "not least privilege" }
                }
            }
            p { (a.description()) }
            @if a.integrations.is_empty() {
                p { "No integration declares this account." }
            } @else {
                (table(&tables::integrations(a)))
            }
            h4 { "Permission matrix" }
            (table(&tables::matrix(a)))
            h4 { "Access paths" }
            (picture_svg(&a.picture))
            h4 { "Findings" }
            (findings_table(&a.findings))
            @if !a.waived.is_empty() {
                h4 { "Waived" }
                (findings_table(&a.waived))
            }
        }
    }
}

/// A rule's documentation (Markdown, compiled into rclint: no user data)
/// as HTML, headings one level below the rule's own.
fn documentation(markdown: &str) -> Markup {
    let shifted = markdown.replace("\n## ", "\n#### ");
    let shifted = shifted
        .strip_prefix("## ")
        .map_or(shifted.clone(), |rest| format!("#### {rest}"));
    let mut out = String::new();
    pulldown_cmark::html::push_html(&mut out, pulldown_cmark::Parser::new(&shifted));
    PreEscaped(out)
}

/// Renders the report as HTML.
pub fn render(r: &ComplianceReport) -> String {
    let s = &r.summary;
    let sections = account_sections(r);
    let page = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta http-equiv="Content-Security-Policy"
                    content="default-src 'none'; style-src 'unsafe-inline'; img-src data:";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (r.title) " — rclint compliance report" }
                style { (PreEscaped(STYLE)) }
            }
            body {
                header {
                    h1 { (r.title) }
                    p { "Least-privilege compliance report of the Risk Cloud integration accounts." }
                    dl class="meta" {
                        dt { "Generated" } dd { (r.generated_at) }
                        dt { "rclint" } dd { (r.rclint_version) }
                        dt { "Catalogs" }
                        dd { "modules " (r.catalogs.modules) ", intents " (r.catalogs.intents) ", controls " (r.catalogs.controls) }
                        dt { "Snapshot SHA-256" } dd class="mono" { (r.snapshot_sha256) }
                        dt { "Scope" } dd { (r.scope.summary()) }
                        dt { "Access data as of" } dd { (r.scope.data_as_of) }
                        dt { "Configuration" } dd { (r.configuration.summary()) }
                    }
                    (tally(r))
                }
                nav {
                    h2 { "Contents" }
                    ul {
                        li { a href="#summary" { "Summary" } }
                        li { a href="#controls" { "Controls" } }
                        li { a href="#accounts" { "Accounts" } }
                        li { a href="#waivers" { "Waiver register" } }
                        li { a href="#inputs" { "Input files" } }
                        li { a href="#rules" { "Rules" } }
                    }
                }
                section id="summary" {
                    h2 { "Summary" }
                    p { (s.sentence()) }
                    p {
                        span class="error" { (s.error) " errors" } ", "
                        span class="warning" { (s.warning) " warnings" }
                        ", " (s.note) " notes, " (s.waived) " waived, " (s.baselined) " baselined."
                    }
                    @if s.snapshot_problems > 0 {
                        p class="fail" {
                            "The snapshot has " (crate::report::plural(s.snapshot_problems, "integrity problem"))
                            " (RC401–RC404): the evidence below may be incomplete."
                        }
                    }
                    (table(&tables::by_rule(r)))
                }
                section id="controls" {
                    h2 { "Controls" }
                    (tally(r))
                    table {
                        thead { tr { th { "framework" } th { "control" } th { "status" } th { "covered" } th { "evidenced by" } th { "findings" } } }
                        @for c in &r.controls {
                            tr {
                                td { (c.framework) }
                                td { strong { (c.id) } " " (c.title) br; small { (c.why) } }
                                td class=(status_class(c.status)) { (c.verdict()) }
                                td { (c.coverage()) }
                                td {
                                    @for (i, b) in c.because.iter().enumerate() {
                                        @if i > 0 { br; }
                                        strong { (b.rule) } " " small { (b.reason) }
                                    }
                                }
                                td {
                                    @if c.findings.is_empty() { "—" }
                                    @for (i, f) in c.findings.iter().enumerate() {
                                        @if i > 0 { br; }
                                        (finding_link(&sections, f))
                                    }
                                }
                            }
                        }
                    }
                }
                section id="accounts" {
                    h2 { "Automation accounts" }
                    @for (i, a) in r.accounts.iter().enumerate() { (account(a, i)) }
                }
                section id="waivers" {
                    h2 { "Waiver register" }
                    @if r.waivers.is_empty() {
                        p { "No waivers." }
                    } @else {
                        (table(&tables::waivers(r)))
                    }
                }
                section id="inputs" {
                    h2 { "Input files" }
                    (table(&tables::inputs(r)))
                }
                section id="rules" {
                    h2 { "Appendix: rules" }
                    @for rule in &r.rules {
                        h3 id=(rule.code) { (rule.code) " " (rule.name) " " small { "(" (rule.severity) ")" } }
                        div class="doc" { (documentation(&rule.documentation)) }
                    }
                }
            }
        }
    };
    let mut text = page.into_string();
    text.push('\n');
    text
}

#[cfg(test)]
mod picture_tests {
    use super::*;

    /// Whether the segment a–b passes through the inside of the box at
    /// (x, y) (200 × 20). Segments that skip a column are axis-aligned.
    fn crosses((ax, ay): (usize, usize), (bx, by): (usize, usize), (x, y): (usize, usize)) -> bool {
        let (left, right) = (ax.min(bx), ax.max(bx));
        let (top, bottom) = (ay.min(by), ay.max(by));
        left < x + WIDTH && right > x && top < y + 20 && bottom > y
    }

    #[test]
    fn an_edge_that_skips_a_column_crosses_no_box_of_it() {
        // Rows 0–3 of every column hold boxes; a role (column 1, row 2)
        // reaches grants in column 3 at every row, past permission sets.
        for role_row in 0..4 {
            for grant_row in 0..4 {
                let role = (1, COLUMN_X[1], 8 + role_row * ROW);
                let grant = (3, COLUMN_X[3], 8 + grant_row * ROW);
                let points = edge_points(role, grant);
                assert_eq!(points.first(), Some(&(COLUMN_X[1] + WIDTH, role.2 + 10)));
                assert_eq!(points.last(), Some(&(COLUMN_X[3], grant.2 + 10)));
                for pair in points.windows(2) {
                    for row in 0..4 {
                        let set = (COLUMN_X[2], 8 + row * ROW);
                        assert!(
                            !crosses(pair[0], pair[1], set),
                            "role row {role_row} → grant row {grant_row} crosses set row {row}: {points:?}"
                        );
                    }
                }
            }
        }
        // Neighbouring columns: one straight line.
        let set = (2, COLUMN_X[2], 8);
        let grant = (3, COLUMN_X[3], 8 + ROW);
        assert_eq!(edge_points(set, grant).len(), 2);
    }
}

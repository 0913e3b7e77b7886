//! The compliance report as one self-contained HTML file: no script, no
//! external font, image or style (a Content-Security-Policy forbids them), an
//! inline SVG per account, and print styles. Built with maud: every value
//! written into the page is escaped by construction; only the style sheet
//! is written as it is.

use super::picture;
use super::table::{self as tables, Style, Table};
use crate::evidence::{AccountSection, ComplianceReport, ControlStatus, FindingRow};
use maud::{DOCTYPE, Markup, PreEscaped, html};

const STYLE: &str = r#"
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1b1f24; margin: 2rem auto; max-width: 72rem; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; } h2 { border-bottom: 2px solid #d0d7de; padding-bottom: .2rem; margin-top: 2.2rem; }
h3 { margin-top: 1.8rem; } table { border-collapse: collapse; width: 100%; margin: .6rem 0; font-size: 13px; }
th, td { border: 1px solid #d0d7de; padding: .25rem .45rem; text-align: left; vertical-align: top; } th { background: #f6f8fa; }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; overflow-wrap: anywhere; }
.card-end { color: #57606a; font-size: 12px; margin-bottom: 0; }
table.matrix { table-layout: fixed; } table.matrix th:nth-child(1) { width: 34%; } table.matrix th:nth-child(2) { width: 44%; }
table.findings td.mono { width: 16em; }
.pass, .ok { color: #116329; font-weight: 600; }
.fail, .missing, .flagged, .error { color: #a40e26; font-weight: 600; }
.waived, .excess, .warning, .exceptions { color: #7d4e00; font-weight: 600; } .note { color: #0550ae; }
.partly { color: #0550ae; font-weight: 600; } .unassessed, .unknown { color: #57606a; font-style: italic; }
.tally span + span::before { content: ", "; color: #1b1f24; font-weight: normal; font-style: normal; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: .1rem 1rem; } dl.meta dt { font-weight: 600; }
.account { border: 1px solid #d0d7de; border-radius: 6px; padding: 0 1rem 1rem; margin: 1rem 0; }
div.doc { background: #f6f8fa; padding: .2rem .8rem; border-radius: 6px; font-size: 13px; } div.doc pre { white-space: pre-wrap; font-size: 12px; }
svg text { font: 10px system-ui, sans-serif; } nav ul { columns: 2; }
@media print {
  @page { margin: 10mm; }
  nav { display: none; } body { margin: 0; max-width: none; font-size: 11px; } a { color: inherit; text-decoration: none; }
  h2 { margin-top: 0; } table { font-size: 9.5px; margin: .3rem 0; } th, td { padding: .12rem .35rem; } td { overflow-wrap: anywhere; }
  code, .mono { font-size: 9px; } thead { display: table-header-group; }
  tr, svg, h3, h4, .account, .control, .tally { break-inside: avoid; } h2, h3, h4 { break-after: avoid; }
  section { break-before: page; } section#summary, section#inputs { break-before: auto; }
  section#rules { columns: 2; column-gap: 1.5rem; } section#rules h2 { column-span: all; } div.doc { break-inside: auto; }
  .account { margin: .6rem 0; } .account h3 { margin: .6rem 0 .3rem; } .account h4 { margin: .6rem 0 .2rem; } .account p { margin: .3rem 0; }
  table.matrix th:nth-child(1) { width: 32%; } table.matrix th:nth-child(2) { width: 36%; } table.findings td.mono { width: 15em; }
  svg { max-width: 70%; height: auto; }
  .facts table { font-size: 8.5px; margin: .15rem 0; } .facts th, .facts td { padding: 0 .3rem; }
}
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

/// Lines of a monospace cell: a line may wrap after a path separator
/// (`/`, `\\`, `:`) or at a space, not inside a name's words.
fn breakable_lines<S: AsRef<str>>(lines: &[S]) -> Markup {
    html! {
        @for (i, line) in lines.iter().enumerate() {
            @if i > 0 { br; }
            @for (j, part) in line.as_ref().split_inclusive(['/', '\\', ':']).enumerate() {
                @if j > 0 { wbr; }
                (part)
            }
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

/// A control's findings of one rule, one line per severity: `9 warning:
/// erin@acme.example, svc-legacy-sync`, each subject once, linked to its
/// account's section when it is an automation account or one of its
/// integrations, the messages as tooltips. The findings one by one are in
/// the accounts' sections and the JSON.
fn rule_findings(
    sections: &std::collections::HashMap<&str, usize>,
    findings: &[FindingRow],
    rule: &str,
) -> Markup {
    // severity → [(subject, messages)], in the order first met.
    type Subjects<'a> = Vec<(&'a str, Vec<&'a str>)>;
    let mut groups: Vec<(&str, usize, Subjects)> = Vec::new();
    for f in findings.iter().filter(|f| f.code == rule) {
        let at = match groups.iter().position(|(s, _, _)| *s == f.severity) {
            Some(at) => at,
            None => {
                groups.push((&f.severity, 0, Vec::new()));
                groups.len() - 1
            }
        };
        let (_, count, subjects) = &mut groups[at];
        *count += 1;
        match subjects.iter_mut().find(|(s, _)| *s == f.subject) {
            Some((_, messages)) => messages.push(&f.message),
            None => subjects.push((&f.subject, vec![&f.message])),
        }
    }
    html! {
        @if groups.is_empty() { "none" }
        @for (i, (severity, count, subjects)) in groups.iter().enumerate() {
            @if i > 0 { br; }
            @let counted = match *severity {
                "waived" => format!("{count} waived"),
                other => crate::words::plural(*count, other),
            };
            span class=(severity) { (counted) }
            ": "
            @for (j, (subject, messages)) in subjects.iter().enumerate() {
                @if j > 0 { ", " }
                @if let Some(a) = sections.get(subject) {
                    a href={ "#account-" (a) } title=(messages.join("\n")) { (subject) }
                } @else {
                    span title=(messages.join("\n")) { (subject) }
                }
            }
        }
    }
}

/// One control: its verdict, why its rules evidence it, and what each
/// rule found, as one block that does not break across printed pages.
fn control(
    sections: &std::collections::HashMap<&str, usize>,
    c: &crate::evidence::ControlResult,
    index: usize,
) -> Markup {
    html! {
        div class="control" id={ "control-" (index) } {
            h3 {
                (c.framework) " " (c.id) " " (c.title) " — "
                span class=(status_class(c.status)) { (c.verdict()) }
            }
            p { small { (c.why) } " " (c.coverage()) "." }
            table {
                thead { tr { th { "rule" } th { "why it evidences the control" } th { "findings" } } }
                @for b in &c.because {
                    tr {
                        td {
                            strong { (b.rule) }
                            @if c.rules_off.contains(&b.rule) { " " span class="unassessed" { "(off)" } }
                        }
                        td { (b.reason) }
                        td { (rule_findings(sections, &c.findings, &b.rule)) }
                    }
                }
            }
        }
    }
}

/// An account's permission matrix in three columns: the grant with the
/// intents that need it below it, the paths that hold it, and its status
/// with the findings on it (the Markdown report gives "needed by" a column
/// of its own; here a narrow column would wrap every name).
fn matrix(a: &AccountSection) -> Markup {
    let t = tables::matrix(a);
    html! {
        table class="matrix" {
            thead { tr { th { "grant · needed by" } th { (t.header[2]) } th { (t.header[3]) } } }
            @for row in &t.rows {
                tr {
                    td {
                        span class="mono" { (breakable_lines(&row[0].lines)) }
                        @if !row[1].lines.is_empty() {
                            br; small { "needed by " (row[1].lines.join("; ")) }
                        }
                    }
                    td { @if row[2].lines.is_empty() { "—" } @else { (lines(&row[2].lines)) } }
                    @let class = match row[3].style { Style::Class(c) => Some(c), _ => None };
                    td class=[class] { (lines(&row[3].lines)) }
                }
            }
        }
    }
}

/// An account's findings, two columns: the severity, rule and message as
/// one cell (a row reads as one sentence and takes few lines), and where.
fn findings_table(findings: &[FindingRow]) -> Markup {
    html! {
        @if findings.is_empty() {
            p { "No findings." }
        } @else {
            table class="findings" {
                thead { tr { th { "finding" } th { "where" } } }
                @for f in findings {
                    tr {
                        td {
                            span class=(severity_class(&f.severity)) { (f.severity) }
                            " " strong { (f.code) } " " (f.rule) ": " (f.message)
                        }
                        td class="mono" { (breakable_lines(&[&f.location])) }
                    }
                }
            }
        }
    }
}

/// The style of a finding's severity (`waived` for a waived one).
fn severity_class(severity: &str) -> &'static str {
    match severity {
        "error" => "error",
        "warning" => "warning",
        "note" => "note",
        _ => "waived",
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
                            @if cell.lines.is_empty() {
                                "—"
                            } @else if class == Some("mono") {
                                (breakable_lines(&cell.lines))
                            } @else {
                                (lines(&cell.lines))
                            }
                        }
                    }
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
            div class="facts" { (table(&tables::facts(a))) }
            @if a.integrations.is_empty() {
                p { "No integration declares this account." }
            } @else {
                (table(&tables::integrations(a)))
            }
            h4 { "Permission matrix" }
            (matrix(a))
            h4 { "Access paths" }
            (picture::svg(&a.picture, index))
            @let on_grant = |f: &&FindingRow| a.matrix.iter().any(|r| f.item.as_deref() == Some(r.grant.as_str()));
            // Waived findings close the list, in their own style.
            @let others: Vec<FindingRow> = a.findings.iter().chain(&a.waived).filter(|f| !on_grant(f)).cloned().collect();
            @if others.len() == a.findings.len() + a.waived.len() {
                h4 { "Findings" }
            } @else {
                h4 {
                    "Other findings "
                    small { "(a finding on a grant is in its matrix row; the CSV, JSON and Markdown reports list each)" }
                }
            }
            (findings_table(&others))
            p class="card-end" { (a.tally()) }
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
                (header(r))
                (contents(r))
                (summary(r))
                (changes(r))
                (controls(r))
                (accounts_and_registers(r))
            }
        }
    };
    let mut text = page.into_string();
    text.push('\n');
    text
}

/// The title, what the report was made from, and the tally.
fn header(r: &ComplianceReport) -> Markup {
    html! {
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
    }
}

/// The table of contents.
fn contents(r: &ComplianceReport) -> Markup {
    html! {
        nav {
            h2 { "Contents" }
            ul {
                li { a href="#summary" { "Summary" } }
                @if r.changes.is_some() { li { a href="#changes" { "Changes since the last report" } } }
                li { a href="#controls" { "Controls" } }
                li { a href="#accounts" { "Accounts" } }
                li { a href="#waivers" { "Waiver register" } }
                li { a href="#inputs" { "Input files" } }
                li { a href="#rules" { "Rules" } }
            }
        }
    }
}

/// The counts and the findings by rule.
fn summary(r: &ComplianceReport) -> Markup {
    html! {
        section id="summary" {
            h2 { "Summary" }
            p { (r.summary.sentence()) }
            p {
                span class="error" { (r.summary.error) " errors" } ", "
                span class="warning" { (r.summary.warning) " warnings" }
                ", " (r.summary.note) " notes, " (r.summary.waived) " waived, " (r.summary.baselined) " baselined."
            }
            p { (r.summary.facts.sentence()) }
            @if r.summary.snapshot_problems > 0 {
                p class="fail" {
                    "The snapshot has " (crate::report::plural(r.summary.snapshot_problems, "integrity problem"))
                    " (RC401–RC404): the evidence below may be incomplete."
                }
            }
            (table(&tables::by_rule(r)))
        }
    }
}

/// What changed since the previous report (`--since`), if asked.
fn changes(r: &ComplianceReport) -> Markup {
    html! {
        @if let (Some(changes), Some(t)) = (&r.changes, tables::changes(r)) {
            section id="changes" {
                h2 { "Changes since the last report" }
                p {
                    "Since the report of " (changes.since) " (snapshot "
                    span class="mono" { (changes.previous_snapshot_sha256) }
                    @if changes.same_snapshot { ", the same snapshot" }
                    "): " (changes.sentence()) "."
                }
                @if !changes.is_empty() { (table(&t)) }
            }
        }
    }
}

/// The controls: an overview table, then one block per control.
fn controls(r: &ComplianceReport) -> Markup {
    let sections = account_sections(r);
    html! {
        section id="controls" {
            h2 { "Controls" }
            (tally(r))
            table {
                thead { tr { th { "framework" } th { "control" } th { "verdict" } th { "covered" } } }
                @for (i, c) in r.controls.iter().enumerate() {
                    tr {
                        td { (c.framework) }
                        td { a href={ "#control-" (i) } { strong { (c.id) } } " " (c.title) }
                        td class=(status_class(c.status)) { (c.verdict()) }
                        td { (c.coverage()) }
                    }
                }
            }
            @for (i, c) in r.controls.iter().enumerate() { (control(&sections, c, i)) }
        }
    }
}

/// The accounts, the waiver register, the input files and the rules.
fn accounts_and_registers(r: &ComplianceReport) -> Markup {
    html! {
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

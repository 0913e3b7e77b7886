//! `--format json`: the machine-readable contract of `docs/cli.md`.

use super::ReportInput;
use serde::Serialize;

#[derive(Serialize)]
struct Output<'a> {
    tool: Tool,
    findings: Findings<'a>,
    summary: JsonSummary,
}

/// The findings, serialised one at a time as the writer takes them.
struct Findings<'a>(&'a ReportInput<'a>);

impl Serialize for Findings<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let input = self.0;
        serializer.collect_seq(input.outcome.diagnostics.iter().map(|d| finding(input, d)))
    }
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    code: &'static str,
    rule: &'static str,
    severity: &'static str,
    message: &'a str,
    subject: Subject<'a>,
    item: Option<&'a str>,
    location: Location<'a>,
    related: Vec<Related<'a>>,
    trace: Vec<&'a str>,
    help: &'a str,
    fingerprint: String,
}

#[derive(Serialize)]
struct Subject<'a> {
    kind: &'static str,
    name: &'a str,
}

#[derive(Serialize)]
struct Location<'a> {
    path: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
}

#[derive(Serialize)]
struct Related<'a> {
    path: &'a str,
    line: usize,
    column: usize,
    message: &'a str,
}

#[derive(Serialize)]
struct JsonSummary {
    error: usize,
    warning: usize,
    note: usize,
    waived: usize,
    baselined: usize,
}

/// One finding as the contract writes it.
fn finding<'a>(input: &'a ReportInput<'a>, d: &'a crate::policy::Diagnostic) -> JsonFinding<'a> {
    let f = &d.finding;
    let pos = input.sources.position(f.primary.span);
    JsonFinding {
        code: f.rule.code,
        rule: f.rule.name,
        severity: d.severity.as_str(),
        message: &f.message,
        subject: Subject {
            kind: f.subject.kind.as_str(),
            name: &f.subject.name,
        },
        item: f.item.as_deref(),
        location: Location {
            path: &input.sources.get(f.primary.span.file).path,
            line: pos.line,
            column: pos.column,
            end_line: pos.end_line,
            end_column: pos.end_column,
        },
        related: f
            .related
            .iter()
            .map(|l| {
                let p = input.sources.position(l.span);
                Related {
                    path: &input.sources.get(l.span.file).path,
                    line: p.line,
                    column: p.column,
                    message: &l.message,
                }
            })
            .collect(),
        trace: f.trace.iter().map(|h| h.label.as_str()).collect(),
        help: &f.help,
        fingerprint: f.fingerprint(),
    }
}

/// Writes the findings as the JSON document of the CLI contract, each
/// finding serialised as it is written (no document held in memory).
pub fn write(input: &ReportInput, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let s = input.outcome.summary;
    let output = Output {
        tool: Tool {
            name: "rclint",
            version: env!("CARGO_PKG_VERSION"),
        },
        findings: Findings(input),
        summary: JsonSummary {
            error: s.error,
            warning: s.warning,
            note: s.note,
            waived: s.waived,
            baselined: s.baselined,
        },
    };
    crate::report::write_json(out, &output)
}

/// The JSON document of the CLI contract, as text.
pub fn render(input: &ReportInput) -> String {
    crate::report::written(|out| write(input, out))
}

//! `--format github`: workflow commands that GitHub Actions shows as
//! annotations on the pull request, at most 10 errors and 10 warnings (and 10
//! notices), then one notice with the rest counted; the full list as Markdown
//! for the job summary.

use super::ReportInput;
use crate::diagnostic::Severity;
use crate::escape;
use crate::report::{plural, summary_line};
use std::fmt::Write;

/// How many annotations of one kind GitHub shows per step.
pub const LIMIT: usize = 10;

fn command(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "notice",
    }
}

/// The annotations, for stdout.
pub fn render(input: &ReportInput) -> String {
    let mut out = String::new();
    let mut shown = [0usize; 3];
    let mut hidden = [0usize; 3];
    for d in &input.outcome.diagnostics {
        let kind = match d.severity {
            Severity::Error => 0,
            Severity::Warning => 1,
            Severity::Note => 2,
        };
        if shown[kind] == LIMIT {
            hidden[kind] += 1;
            continue;
        }
        shown[kind] += 1;
        let f = &d.finding;
        let pos = input.sources.position(f.primary.span);
        let path = &input.sources.get(f.primary.span.file).path;
        let title = format!("{} {}", f.rule.code, f.rule.name);
        let _ = writeln!(
            out,
            "::{} file={},line={},endLine={},col={},endColumn={},title={}::{}",
            command(d.severity),
            escape::workflow_property(path),
            pos.line,
            pos.end_line,
            pos.column,
            pos.end_column,
            escape::workflow_property(&title),
            escape::workflow_message(&format!("{}\nFix: {}", f.message, f.help))
        );
    }
    if hidden.iter().any(|&n| n > 0) {
        let parts: Vec<String> = [
            ("error", hidden[0]),
            ("warning", hidden[1]),
            ("note", hidden[2]),
        ]
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(noun, n)| plural(*n, &format!("more {noun}")))
        .collect();
        let _ = writeln!(
            out,
            "::notice title=rclint::{}",
            escape::workflow_message(&format!(
                "{} not shown as annotations (GitHub shows {LIMIT} of each kind); the job summary lists every finding",
                parts.join(", ")
            ))
        );
    }
    out
}

/// Every finding as Markdown, for `$GITHUB_STEP_SUMMARY`.
pub fn step_summary(input: &ReportInput) -> String {
    let mut out = String::from("## rclint\n\n");
    let _ = writeln!(out, "{}\n", summary_line(input.outcome));
    if input.outcome.diagnostics.is_empty() {
        return out;
    }
    out.push_str("| severity | rule | location | finding |\n|---|---|---|---|\n");
    for d in &input.outcome.diagnostics {
        let f = &d.finding;
        let pos = input.sources.position(f.primary.span);
        let path = &input.sources.get(f.primary.span.file).path;
        let _ = writeln!(
            out,
            "| {} | {} {} | `{}:{}` | {} |",
            d.severity,
            f.rule.code,
            f.rule.name,
            escape::markdown(path),
            pos.line,
            escape::markdown(&f.message)
        );
    }
    out
}

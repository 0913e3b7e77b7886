//! `--format concise`: one line per finding, `path:line:col: CODE message`,
//! like a compiler's short output, for terminals, editors and problem
//! matchers; then the summary line.

use super::ReportInput;
use crate::escape::{Language, visible_controls};
use crate::report::summary_line;

/// Renders the findings one per line.
pub fn render(input: &ReportInput) -> String {
    let mut out = String::new();
    for d in &input.outcome.diagnostics {
        let f = &d.finding;
        let pos = input.sources.position(f.primary.span);
        let line = format!(
            "{}:{}:{}: {} {}: {}",
            input.sources.get(f.primary.span.file).path,
            pos.line,
            pos.column,
            f.rule.code,
            d.severity,
            f.message
        );
        // A message holding a line break stays one line.
        out.push_str(&visible_controls(&line, Language::Line));
        out.push('\n');
    }
    out.push_str(&summary_line(input.outcome));
    out.push('\n');
    out
}

//! `--format junit`: JUnit XML, one `<testsuite>` per file and one
//! `<testcase>` per finding; a clean run has one passing case per rule.

use super::ReportInput;
use crate::diagnostic::Severity;
use crate::report::escape;
use crate::rules::REGISTRY;
use std::collections::BTreeMap;
use std::fmt::Write;

/// Renders the findings as JUnit XML.
pub fn render(input: &ReportInput) -> String {
    let mut by_file: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    let mut failures: BTreeMap<&str, usize> = BTreeMap::new();
    for d in &input.outcome.diagnostics {
        let f = &d.finding;
        let path = input.sources.get(f.primary.span.file).path.as_str();
        let pos = input.sources.position(f.primary.span);
        let name = match &f.item {
            Some(item) => format!("{} {} {item}", f.rule.code, f.subject.name),
            None => format!("{} {}", f.rule.code, f.subject.name),
        };
        let mut case = format!(
            "    <testcase name=\"{}\" classname=\"{}\">\n",
            escape::xml(&name),
            escape::xml(path)
        );
        let body = format!(
            "{path}:{}:{}: {} [{}]\n{}\nfix: {}",
            pos.line,
            pos.column,
            f.message,
            f.rule.name,
            f.trace
                .iter()
                .map(|h| h.label.as_str())
                .collect::<Vec<_>>()
                .join(" → "),
            f.help
        );
        if d.severity == Severity::Note {
            let _ = writeln!(
                case,
                "      <system-out>{}</system-out>",
                escape::xml(&body)
            );
        } else {
            *failures.entry(path).or_default() += 1;
            let _ = writeln!(
                case,
                "      <failure message=\"{}\" type=\"{}\">{}</failure>",
                escape::xml(&f.message),
                d.severity,
                escape::xml(&body)
            );
        }
        case.push_str("    </testcase>\n");
        by_file.entry(path).or_default().push(case);
    }
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let total: usize = by_file.values().map(Vec::len).sum();
    let failed: usize = failures.values().sum();
    if by_file.is_empty() {
        let _ = writeln!(
            out,
            "<testsuites name=\"rclint\" tests=\"{}\" failures=\"0\">",
            REGISTRY.len()
        );
        let _ = writeln!(
            out,
            "  <testsuite name=\"rclint\" tests=\"{}\" failures=\"0\">",
            REGISTRY.len()
        );
        for rule in REGISTRY {
            let _ = writeln!(
                out,
                "    <testcase name=\"{} {}\" classname=\"rclint\"/>",
                rule.code, rule.name
            );
        }
        out.push_str("  </testsuite>\n</testsuites>\n");
        return out;
    }
    let _ = writeln!(
        out,
        "<testsuites name=\"rclint\" tests=\"{total}\" failures=\"{failed}\">"
    );
    for (path, cases) in &by_file {
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\">",
            escape::xml(path),
            cases.len(),
            failures.get(path).copied().unwrap_or(0)
        );
        for case in cases {
            out.push_str(case);
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

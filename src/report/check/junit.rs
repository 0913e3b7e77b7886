//! `--format junit`: JUnit XML, one `<testsuite>` per file and one
//! `<testcase>` per finding. Errors are failures; warnings and notes are
//! passing cases that say what they found in `<system-out>` (GitLab and
//! Jenkins both show it), so a run that exits 0 shows no failed test. A
//! clean run has one passing case per rule that is on; rules turned off are
//! not listed. Written by hand: the format is four elements, and every
//! value goes through one escaper.

use super::ReportInput;
use crate::diagnostic::Severity;
use crate::escape::xml;
use crate::rules::REGISTRY;
use std::collections::BTreeMap;
use std::fmt::Write;

/// One test case: its name, class name and, for a finding, whether it
/// failed, its message and its text.
struct Case {
    name: String,
    classname: String,
    finding: Option<(bool, String, String)>,
}

/// Writes one `<testsuite>` of `cases`.
fn suite(out: &mut String, name: &str, cases: &[Case]) {
    let failures = cases
        .iter()
        .filter(|c| c.finding.as_ref().is_some_and(|(failed, _, _)| *failed))
        .count();
    let _ = writeln!(
        out,
        "    <testsuite name=\"{}\" tests=\"{}\" skipped=\"0\" errors=\"0\" failures=\"{failures}\">",
        xml(name),
        cases.len()
    );
    for case in cases {
        let open = format!(
            "        <testcase name=\"{}\" classname=\"{}\"",
            xml(&case.name),
            xml(&case.classname)
        );
        match &case.finding {
            None => {
                let _ = writeln!(out, "{open}/>");
            }
            Some((true, message, body)) => {
                let _ = writeln!(
                    out,
                    "{open}>\n            <failure message=\"{}\" type=\"error\">{}</failure>\n        </testcase>",
                    xml(message),
                    xml(body)
                );
            }
            Some((false, _, body)) => {
                let _ = writeln!(
                    out,
                    "{open}>\n            <system-out>{}</system-out>\n        </testcase>",
                    xml(body)
                );
            }
        }
    }
    out.push_str("    </testsuite>\n");
}

/// Renders the findings as JUnit XML.
pub fn render(input: &ReportInput) -> String {
    let mut by_file: BTreeMap<&str, Vec<Case>> = BTreeMap::new();
    for d in &input.outcome.diagnostics {
        let f = &d.finding;
        let path = input.sources.get(f.primary.span.file).path.as_str();
        let pos = input.sources.position(f.primary.span);
        let name = match &f.item {
            Some(item) => format!("{} {} {item}", f.rule.code, f.subject.name),
            None => format!("{} {}", f.rule.code, f.subject.name),
        };
        let trace: Vec<&str> = f.trace.iter().map(|h| h.label.as_str()).collect();
        let body = format!(
            "{path}:{}:{}: {}: {} [{}]\n{}\nfix: {}",
            pos.line,
            pos.column,
            d.severity,
            f.message,
            f.rule.name,
            trace.join(" → "),
            f.help
        );
        by_file.entry(path).or_default().push(Case {
            name,
            classname: path.to_string(),
            finding: Some((d.severity == Severity::Error, f.message.clone(), body)),
        });
    }
    let suites: Vec<(&str, Vec<Case>)> = if by_file.is_empty() {
        let cases = REGISTRY
            .iter()
            .filter(|r| !input.outcome.is_off(r.code))
            .map(|rule| Case {
                name: format!("{} {}", rule.code, rule.name),
                classname: "rclint".to_string(),
                finding: None,
            })
            .collect();
        vec![("rclint", cases)]
    } else {
        by_file.into_iter().collect()
    };
    let tests: usize = suites.iter().map(|(_, cases)| cases.len()).sum();
    let failures = input
        .outcome
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"rclint\" tests=\"{tests}\" skipped=\"0\" failures=\"{failures}\" errors=\"0\">"
    );
    for (name, cases) in &suites {
        suite(&mut out, name, cases);
    }
    out.push_str("</testsuites>\n");
    out
}

//! `--format junit`: JUnit XML (written by quick-junit), one `<testsuite>`
//! per file and one `<testcase>` per finding. Errors are failures; warnings
//! and notes are passing cases that say what they found in `<system-out>`
//! (GitLab and Jenkins both show it), so a run that exits 0 shows no failed
//! test. A clean run has one passing case per rule that is on; rules turned
//! off are not listed.

use super::ReportInput;
use crate::diagnostic::Severity;
use crate::rules::REGISTRY;
use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};
use std::collections::BTreeMap;

/// Renders the findings as JUnit XML.
pub fn render(input: &ReportInput) -> String {
    let mut report = Report::new("rclint");
    let mut by_file: BTreeMap<&str, TestSuite> = BTreeMap::new();
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
        let case = match d.severity {
            Severity::Error => {
                let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
                status.set_message(f.message.as_str());
                status.set_type("error");
                status.set_description(body);
                TestCase::new(name, status)
            }
            Severity::Warning | Severity::Note => {
                let mut case = TestCase::new(name, TestCaseStatus::success());
                case.set_system_out(body);
                case
            }
        };
        let mut case = case;
        case.set_classname(path);
        by_file
            .entry(path)
            .or_insert_with(|| TestSuite::new(path))
            .add_test_case(case);
    }
    if by_file.is_empty() {
        let mut suite = TestSuite::new("rclint");
        for rule in REGISTRY.iter().filter(|r| !input.outcome.is_off(r.code)) {
            let mut case = TestCase::new(
                format!("{} {}", rule.code, rule.name),
                TestCaseStatus::success(),
            );
            case.set_classname("rclint");
            suite.add_test_case(case);
        }
        report.add_test_suite(suite);
    } else {
        report.add_test_suites(by_file.into_values());
    }
    let mut text = report.to_string().unwrap_or_default();
    if !text.ends_with('\n') {
        text.push('\n');
    }
    text
}

//! The two judgements the report adds to what the rules found: a
//! control's verdict from the findings of its rules, and a matrix row's
//! status from every finding on its grant.

use super::{
    AccountSection, ControlResult, ControlStatus, FindingRow, GrantStatus, MatrixRow, Picture,
    RuleReason, row,
};
use crate::analysis::Analysis;
use crate::diagnostic::{Finding, Severity};
use crate::policy::Outcome;

/// One control's verdict from the findings of its rules: `reported` with
/// their severity after policy, and `waived`.
pub(super) fn control(
    analysis: &Analysis,
    outcome: &Outcome,
    roots: &[String],
    c: &crate::catalog::Control,
    (reported, waived): (&[(&Finding, Severity)], &[&Finding]),
    accounts: &[AccountSection],
) -> ControlResult {
    // The rules that evidence it, in code order, each with why.
    let evidencing: Vec<(&str, &str)> = crate::rules::REGISTRY
        .iter()
        .filter_map(|r| {
            r.controls
                .iter()
                .find(|(id, _)| *id == c.id)
                .map(|(_, why)| (r.code, *why))
        })
        .collect();
    let mine = |code: &str| evidencing.iter().any(|(r, _)| *r == code);
    let mut findings: Vec<FindingRow> = reported
        .iter()
        .filter(|(f, _)| mine(f.rule.code))
        .map(|(f, s)| row(analysis, roots, f, s.as_str()))
        .collect();
    let count = |severity: Severity| {
        reported
            .iter()
            .filter(|(f, s)| mine(f.rule.code) && *s == severity)
            .count()
    };
    let (errors, notes) = (count(Severity::Error), count(Severity::Note));
    let serious: Vec<&crate::diagnostic::RuleMeta> = reported
        .iter()
        .filter(|(f, s)| mine(f.rule.code) && *s != Severity::Note)
        .map(|(f, _)| f.rule)
        .collect();
    // Missing access breaks an integration; it is not excess.
    let missing = serious
        .iter()
        .filter(|r| r.verdict == crate::diagnostic::Verdict::Missing)
        .count();
    let excess = serious.len() - missing;
    let waived_here: Vec<FindingRow> = waived
        .iter()
        .filter(|f| mine(f.rule.code))
        .map(|f| row(analysis, roots, f, "waived"))
        .collect();
    let rules_off: Vec<String> = evidencing
        .iter()
        .filter(|(r, _)| outcome.is_off(r))
        .map(|(r, _)| r.to_string())
        .collect();
    // Its rules that a not-assessed finding (reported or waived) says could
    // not decide: an unknown fact.
    let undecided: std::collections::BTreeSet<&str> = reported
        .iter()
        .map(|(f, _)| *f)
        .chain(waived.iter().copied())
        .filter(|f| f.rule.code == crate::rules::NOT_ASSESSED.code)
        .filter_map(|f| crate::rules::undecided_rule(f.item.as_deref()?))
        .filter(|code| mine(code))
        .collect();
    // A known error fails the control whatever else is unknown; short of
    // that, rules turned off keep it from reading better than partly
    // assessed.
    let status = if errors > 0 {
        ControlStatus::Fail
    } else if rules_off.len() == evidencing.len() {
        ControlStatus::NotAssessed
    } else if !rules_off.is_empty() || !undecided.is_empty() {
        ControlStatus::PartlyAssessed
    } else if !findings.is_empty() {
        ControlStatus::Exceptions
    } else if !waived_here.is_empty() {
        ControlStatus::Waived
    } else {
        ControlStatus::Pass
    };
    findings.extend(waived_here);
    ControlResult {
        framework: c.framework.clone(),
        id: c.id.clone(),
        title: c.title.clone(),
        why: c.why.split_whitespace().collect::<Vec<_>>().join(" "),
        rules: evidencing.iter().map(|(r, _)| r.to_string()).collect(),
        because: evidencing
            .iter()
            .map(|(rule, reason)| RuleReason {
                rule: rule.to_string(),
                reason: reason.to_string(),
            })
            .collect(),
        status,
        accounts_checked: if status == ControlStatus::NotAssessed {
            0
        } else {
            accounts.len()
        },
        accounts_with_findings: accounts
            .iter()
            .filter(|a| a.findings.iter().any(|f| mine(&f.code)))
            .count(),
        rules_off,
        rules_undecided: undecided.iter().map(|c| c.to_string()).collect(),
        excess,
        missing,
        notes,
        findings,
    }
}

/// A matrix row's findings and, for a grant held as needed that a
/// remaining finding names, the status `flagged`, in the matrix and in the
/// picture: a cell never reads ok beside a finding on the same grant.
pub(super) fn flag(
    matrix: &mut [MatrixRow],
    picture: &mut Picture,
    findings: &[FindingRow],
    waived: &[FindingRow],
) {
    for row in matrix.iter_mut() {
        let on_grant = |f: &&FindingRow| f.item.as_deref() == Some(row.grant.as_str());
        let remaining: Vec<&FindingRow> = findings.iter().filter(on_grant).collect();
        row.findings = remaining
            .iter()
            .chain(waived.iter().filter(on_grant).collect::<Vec<_>>().iter())
            .map(|f| format!("{} {}", f.code, f.severity))
            .collect();
        if row.status == GrantStatus::Ok && !remaining.is_empty() {
            row.status = GrantStatus::Flagged;
            for node in &mut picture.nodes {
                if node.column == 3 && node.label == row.grant {
                    node.status = Some(GrantStatus::Flagged);
                }
            }
        }
    }
}

//! The one place where severities are decided: each rule's default, then the
//! command line's `--deny`, `--warn` and `--allow`. Findings are sorted here,
//! so every reporter sees the same order.

use crate::finding::{Finding, Severity};
use crate::rules::{self, Rule};
use crate::source::Sources;
use crate::suggest;
use std::collections::BTreeMap;

/// Severity overrides, by rule code. `None` turns a rule off.
#[derive(Debug, Default, Clone)]
pub struct Policy {
    overrides: BTreeMap<&'static str, Option<Severity>>,
}

/// A finding with the severity policy gave it.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    /// The finding.
    pub finding: Finding,
    /// Its severity for this run.
    pub severity: Severity,
}

/// Counts for the summary line.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    /// Findings of severity error.
    pub error: usize,
    /// Findings of severity warning.
    pub warning: usize,
    /// Findings of severity note.
    pub note: usize,
    /// Findings hidden by a waiver.
    pub waived: usize,
    /// Findings hidden by the baseline.
    pub baselined: usize,
}

/// What policy made of a run's findings.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// Reported findings, sorted by file, line, column, code.
    pub diagnostics: Vec<Diagnostic>,
    /// The counts.
    pub summary: Summary,
}

impl Outcome {
    /// Whether any error remains (exit code 1).
    pub fn has_errors(&self) -> bool {
        self.summary.error > 0
    }
}

/// A rule named on the command line or in configuration that does not exist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownRule(pub String);

impl std::fmt::Display for UnknownRule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "unknown rule '{}'", self.0)?;
        let names = rules::REGISTRY.iter().flat_map(|r| [r.code, r.name]);
        match suggest::closest(&self.0, names) {
            Some(c) => write!(f, " (did you mean '{c}'?)"),
            None => write!(f, " (see 'rclint rules')"),
        }
    }
}

impl std::error::Error for UnknownRule {}

/// Looks a rule up by code or name.
pub fn rule(code_or_name: &str) -> Result<&'static Rule, UnknownRule> {
    rules::find(code_or_name).ok_or_else(|| UnknownRule(code_or_name.to_string()))
}

impl Policy {
    /// Overrides from the command line. When one rule is named by several
    /// flags, `--allow` wins over `--warn`, which wins over `--deny`.
    pub fn from_flags(
        deny: &[String],
        warn: &[String],
        allow: &[String],
    ) -> Result<Policy, UnknownRule> {
        let mut policy = Policy::default();
        for (names, severity) in [
            (deny, Some(Severity::Error)),
            (warn, Some(Severity::Warning)),
            (allow, None),
        ] {
            for name in names {
                policy.overrides.insert(rule(name)?.code, severity);
            }
        }
        Ok(policy)
    }

    /// The severity of a rule under this policy; `None` when it is off.
    pub fn severity(&self, rule: &Rule) -> Option<Severity> {
        match self.overrides.get(rule.code) {
            Some(s) => *s,
            None => Some(rule.default_severity),
        }
    }

    /// Applies severities, drops findings of rules turned off, sorts.
    pub fn apply(&self, findings: Vec<Finding>, sources: &Sources) -> Outcome {
        let mut diagnostics: Vec<Diagnostic> = findings
            .into_iter()
            .filter_map(|finding| {
                let severity = self.severity(finding.rule)?;
                Some(Diagnostic { finding, severity })
            })
            .collect();
        diagnostics.sort_by(|a, b| sort_key(a, sources).cmp(&sort_key(b, sources)));
        let mut summary = Summary::default();
        for d in &diagnostics {
            match d.severity {
                Severity::Error => summary.error += 1,
                Severity::Warning => summary.warning += 1,
                Severity::Note => summary.note += 1,
            }
        }
        Outcome {
            diagnostics,
            summary,
        }
    }
}

type SortKey<'a> = (
    &'a str,
    usize,
    usize,
    &'static str,
    &'a str,
    &'a str,
    &'a str,
);

fn sort_key<'a>(d: &'a Diagnostic, sources: &'a Sources) -> SortKey<'a> {
    let f = &d.finding;
    (
        sources.get(f.primary.span.file).path.as_str(),
        f.primary.span.start,
        f.primary.span.end,
        f.rule.code,
        f.subject.name.as_str(),
        f.item.as_deref().unwrap_or(""),
        f.message.as_str(),
    )
}

//! The one place where severities are decided, after the rules ran: each
//! rule's default, then the config file's `[rules]`, then `--deny`, `--warn`
//! and `--allow`, then waivers (RC501, RC502) and the baseline. Findings are
//! sorted here, so every reporter sees the same order.

use crate::config::{Config, Date, Waiver};
use crate::diagnostic::{Finding, Label, Severity, Subject, SubjectKind};
use crate::rules::waivers::{EXPIRED_WAIVER, UNUSED_WAIVER};
use crate::rules::{RuleMeta, UnknownRule, lookup};
use crate::source::{FileId, Sources, Span};
use std::collections::{BTreeMap, BTreeSet};

/// Severities, waivers and baseline for one run.
#[derive(Debug, Clone)]
pub struct Policy {
    /// From the config file's `[rules]`.
    configured: BTreeMap<&'static str, Option<Severity>>,
    /// From `--deny`, `--warn`, `--allow`; they win over the config file.
    overrides: BTreeMap<&'static str, Option<Severity>>,
    waivers: Vec<Waiver>,
    config_file: Option<FileId>,
    today: Date,
    baseline: BTreeSet<String>,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            configured: BTreeMap::new(),
            overrides: BTreeMap::new(),
            waivers: Vec::new(),
            config_file: None,
            today: crate::time::today(),
            baseline: BTreeSet::new(),
        }
    }
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

/// What became of one waiver in a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WaiverStatus {
    /// Not expired, and hid at least one finding.
    Active,
    /// Its date has passed (RC501).
    Expired,
    /// Not expired, matched nothing (RC502).
    Unused,
    /// Its rule is turned off in this run: nothing to waive, and not RC502.
    RuleOff,
}

/// What policy made of a run's findings.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// Reported findings, root causes first, then by file, line, column, code.
    pub diagnostics: Vec<Diagnostic>,
    /// The counts.
    pub summary: Summary,
    /// Each waiver of the config, in file order, with its status and the
    /// findings it hid.
    pub waivers: Vec<(Waiver, WaiverStatus, Vec<Finding>)>,
    /// Every rule's severity in this run (`None`: off), in registry order.
    pub effective: Vec<(&'static RuleMeta, Option<Severity>)>,
}

impl Outcome {
    /// Whether the rule with this code is turned off in this run.
    pub fn is_off(&self, code: &str) -> bool {
        self.effective
            .iter()
            .any(|(r, severity)| r.code == code && severity.is_none())
    }

    /// Whether any error remains (exit code 1).
    pub fn has_errors(&self) -> bool {
        self.summary.error > 0
    }
}

/// Whether a waiver covers a finding: same rule and subject, and the same
/// item when the waiver names one.
pub fn waiver_matches(waiver: &Waiver, finding: &Finding) -> bool {
    waiver.rule.code == finding.rule.code
        && waiver.subject == finding.subject.name
        && waiver
            .item
            .as_ref()
            .is_none_or(|i| Some(i) == finding.item.as_ref())
}

impl Policy {
    /// The config file's severities and waivers; `file` is where its text was
    /// added to the sources, for locating waiver findings.
    pub fn with_config(mut self, config: &Config, file: FileId) -> Policy {
        self.configured = config.severities.clone();
        self.waivers = config.waivers.clone();
        self.config_file = Some(file);
        self
    }

    /// The config file's severities alone, without its waivers: for the
    /// drift findings of `diff` and `pull --check`, which the waivers of
    /// `check`'s findings are not about.
    pub fn with_severities(mut self, config: &Config) -> Policy {
        self.configured = config.severities.clone();
        self
    }

    /// Overrides from the command line; they win over the config file. When
    /// one rule is named by several flags, `--allow` wins over `--warn`,
    /// which wins over `--deny`.
    pub fn with_flags(
        mut self,
        deny: &[String],
        warn: &[String],
        allow: &[String],
    ) -> Result<Policy, UnknownRule> {
        for (names, severity) in [
            (deny, Some(Severity::Error)),
            (warn, Some(Severity::Warning)),
            (allow, None),
        ] {
            for name in names {
                self.overrides.insert(lookup(name)?.code, severity);
            }
        }
        Ok(self)
    }

    /// The date waivers are judged against.
    pub fn today(&self) -> Date {
        self.today
    }

    /// The date waivers are judged against (default: today, UTC).
    pub fn with_today(mut self, today: Date) -> Policy {
        self.today = today;
        self
    }

    /// Fingerprints of accepted findings: hidden and counted.
    pub fn with_baseline(mut self, fingerprints: BTreeSet<String>) -> Policy {
        self.baseline = fingerprints;
        self
    }

    /// The severity of a rule under this policy; `None` when it is off.
    pub fn severity(&self, rule: &RuleMeta) -> Option<Severity> {
        match self
            .overrides
            .get(rule.code)
            .or(self.configured.get(rule.code))
        {
            Some(s) => *s,
            None => Some(rule.default_severity),
        }
    }

    /// Applies severities, waivers and the baseline; sorts.
    pub fn apply(&self, findings: Vec<Finding>, sources: &Sources) -> Outcome {
        let mut summary = Summary::default();
        let mut kept = Vec::with_capacity(findings.len());
        let mut hidden: Vec<Vec<Finding>> = vec![Vec::new(); self.waivers.len()];
        let mut matched = vec![false; self.waivers.len()];
        for finding in findings {
            if self.severity(finding.rule).is_none() {
                continue;
            }
            let mut waived = false;
            for (w, waiver) in self.waivers.iter().enumerate() {
                if waiver_matches(waiver, &finding) {
                    matched[w] = true;
                    if self.today <= waiver.expires && !waived {
                        waived = true;
                        hidden[w].push(finding.clone());
                    }
                }
            }
            if waived {
                summary.waived += 1;
            } else {
                kept.push(finding);
            }
        }
        let mut waivers = Vec::new();
        for (w, waiver) in self.waivers.iter().enumerate() {
            let status = if self.severity(waiver.rule).is_none() {
                WaiverStatus::RuleOff
            } else if self.today > waiver.expires {
                WaiverStatus::Expired
            } else if matched[w] {
                WaiverStatus::Active
            } else {
                WaiverStatus::Unused
            };
            if let Some(finding) = self.waiver_finding(waiver, status, matched[w])
                && self.severity(finding.rule).is_some()
            {
                kept.push(finding);
            }
            waivers.push((waiver.clone(), status, std::mem::take(&mut hidden[w])));
        }
        let mut diagnostics = Vec::new();
        for finding in kept {
            if self.baseline.contains(&finding.fingerprint()) {
                summary.baselined += 1;
                continue;
            }
            if let Some(severity) = self.severity(finding.rule) {
                diagnostics.push(Diagnostic { finding, severity });
            }
        }
        diagnostics.sort_by(|a, b| sort_key(a, sources).cmp(&sort_key(b, sources)));
        for d in &diagnostics {
            match d.severity {
                Severity::Error => summary.error += 1,
                Severity::Warning => summary.warning += 1,
                Severity::Note => summary.note += 1,
            }
        }
        let effective = crate::rules::REGISTRY
            .iter()
            .map(|r| (r.meta, self.severity(r)))
            .collect();
        Outcome {
            diagnostics,
            summary,
            waivers,
            effective,
        }
    }

    /// RC501 or RC502 for a waiver, identified by `waiver:RULE:SUBJECT[:ITEM]`
    /// (the rule by its code). `matched`: whether it covered a finding.
    fn waiver_finding(
        &self,
        waiver: &Waiver,
        status: WaiverStatus,
        matched: bool,
    ) -> Option<Finding> {
        let file = self.config_file?;
        let subject = Subject::new(SubjectKind::Waiver, waiver.label());
        let ticket = waiver
            .ticket
            .as_ref()
            .map(|t| format!(" ({t})"))
            .unwrap_or_default();
        let item = waiver.item();
        let finding = match status {
            WaiverStatus::Active | WaiverStatus::RuleOff => None,
            WaiverStatus::Expired => Some(Finding::new(
                &EXPIRED_WAIVER,
                subject,
                Label::new(Span::new(file, waiver.expires_span.clone()), "expired"),
                format!(
                    "the waiver of {} for '{}'{ticket} expired on {}{}",
                    waiver.rule.name,
                    waiver.subject,
                    waiver.expires,
                    if matched {
                        ": its finding is reported again"
                    } else {
                        ""
                    }
                ),
                "fix the finding and delete the waiver, or review it again and move 'expires' forward",
            )),
            WaiverStatus::Unused => Some(Finding::new(
                &UNUSED_WAIVER,
                subject,
                Label::new(
                    Span::new(file, waiver.rule_span.clone()),
                    "matches no finding",
                ),
                format!(
                    "the waiver of {} for '{}'{ticket} matches no finding",
                    waiver.rule.name, waiver.subject
                ),
                "delete the waiver, or correct its subject or item",
            )),
        };
        finding.map(|f| f.with_item(item))
    }
}

type SortKey<'a> = (
    bool,
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
        f.consequence,
        sources.get(f.primary.span.file).path.as_str(),
        f.primary.span.start(),
        f.primary.span.end(),
        f.rule.code,
        f.subject.name.as_str(),
        f.item.as_deref().unwrap_or(""),
        f.message.as_str(),
    )
}

/// Reads a baseline file's fingerprints: the first word of every line that is
/// not blank or a `#` comment, each 16 hexadecimal digits. A line that is
/// not one is an error naming it: a file that is not a baseline hides
/// nothing by accident.
pub fn parse_baseline(text: &str) -> Result<BTreeSet<String>, String> {
    let mut fingerprints = BTreeSet::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let first = line.split_whitespace().next().unwrap_or("");
        if first.len() != 16 || !first.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(format!(
                "line {} is not a fingerprint (16 hexadecimal digits) followed by what it identifies",
                n + 1
            ));
        }
        fingerprints.insert(first.to_string());
    }
    Ok(fingerprints)
}

/// Why a finding may not be accepted into a baseline, if it may not: its
/// rule says (a credential must be removed and rotated, an expired waiver
/// reviewed, a syntax error has no stable identity).
pub fn not_for_a_baseline(finding: &Finding) -> Option<&'static str> {
    finding.rule.not_for_a_baseline(finding.item.as_deref())
}

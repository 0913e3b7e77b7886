//! "What changed since the last report": `rclint report --since
//! PREVIOUS.json` compares this report with the JSON report of the last
//! audit, by accounts, grants, findings and control verdicts.
//!
//! The previous report is read from outside: only the fields compared are
//! read, each type-checked by serde; a report of an earlier rclint, without
//! the top-level `findings` list, is read from its controls' and accounts'
//! findings instead.

use super::{ComplianceReport, FindingRow};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// The fields of a previous JSON report that the comparison reads.
#[derive(Debug, Deserialize)]
pub struct PreviousReport {
    /// When it was generated.
    pub generated_at: String,
    /// The SHA-256 of its snapshot.
    pub snapshot_sha256: String,
    /// Its controls.
    pub controls: Vec<PreviousControl>,
    /// Its accounts.
    pub accounts: Vec<PreviousAccount>,
    /// Every finding (reports of rclint 0.x before this field: absent).
    #[serde(default)]
    pub findings: Option<Vec<FindingRow>>,
}

/// A control of the previous report.
#[derive(Debug, Deserialize)]
pub struct PreviousControl {
    /// Framework.
    pub framework: String,
    /// Control id.
    pub id: String,
    /// Its verdict.
    pub status: String,
    /// Its findings.
    #[serde(default)]
    pub findings: Vec<FindingRow>,
}

/// An account of the previous report.
#[derive(Debug, Deserialize)]
pub struct PreviousAccount {
    /// Name.
    pub name: String,
    /// Whether it held least privilege.
    pub least_privilege: bool,
    /// Its permission matrix.
    pub matrix: Vec<PreviousGrant>,
    /// Its remaining findings.
    #[serde(default)]
    pub findings: Vec<FindingRow>,
    /// Its waived findings.
    #[serde(default)]
    pub waived: Vec<FindingRow>,
}

/// A matrix row of the previous report.
#[derive(Debug, Deserialize)]
pub struct PreviousGrant {
    /// The grant.
    pub grant: String,
    /// Level needed.
    pub needed: Option<String>,
    /// Level held.
    pub held: Option<String>,
    /// Its status.
    pub status: String,
}

/// What changed between the previous report and this one.
#[derive(Debug, Serialize)]
pub struct Changes {
    /// When the previous report was generated.
    pub since: String,
    /// The previous report's snapshot SHA-256.
    pub previous_snapshot_sha256: String,
    /// Whether both reports describe the same snapshot bytes.
    pub same_snapshot: bool,
    /// What could not be compared, if anything.
    pub note: Option<String>,
    /// Automation accounts assessed now and not then.
    pub accounts_added: Vec<String>,
    /// Automation accounts assessed then and not now.
    pub accounts_removed: Vec<String>,
    /// Accounts whose least-privilege verdict changed.
    pub least_privilege: Vec<Change>,
    /// Grants of accounts in both reports whose level or status changed,
    /// or that appeared or went.
    pub grants: Vec<Change>,
    /// Findings now that were not there then (by rule, subject and item).
    pub findings_new: Vec<Change>,
    /// Findings then that are gone now.
    pub findings_resolved: Vec<Change>,
    /// Findings in both whose severity changed (a waiver that expired).
    pub findings_changed: Vec<Change>,
    /// Controls whose verdict changed.
    pub controls: Vec<Change>,
}

/// One change: what it is about, and how it was and is (`none` where it
/// was not, or is no longer).
#[derive(Debug, Clone, Serialize)]
pub struct Change {
    /// What changed: `svc-x step:Vendor Risk/Intake`, `RC204 svc-x
    /// step:…`, `SOC 2 CC6.1`.
    pub about: String,
    /// How it was.
    pub before: String,
    /// How it is.
    pub after: String,
}

impl Changes {
    /// Every change as (kind, change), in the order the report lists them:
    /// `("account added", …)`, `("grant", …)`, `("new finding", …)`.
    pub fn rows(&self) -> Vec<(&'static str, Change)> {
        let named = |kind: &'static str, names: &[String], before: &str, after: &str| {
            names
                .iter()
                .map(|n| {
                    (
                        kind,
                        Change {
                            about: n.clone(),
                            before: before.to_string(),
                            after: after.to_string(),
                        },
                    )
                })
                .collect::<Vec<_>>()
        };
        let mut rows = named("account added", &self.accounts_added, "none", "assessed");
        rows.extend(named(
            "account removed",
            &self.accounts_removed,
            "assessed",
            "none",
        ));
        for (kind, list) in [
            ("least privilege", &self.least_privilege),
            ("control verdict", &self.controls),
            ("grant", &self.grants),
            ("new finding", &self.findings_new),
            ("resolved finding", &self.findings_resolved),
            ("finding severity", &self.findings_changed),
        ] {
            rows.extend(list.iter().map(|c| (kind, c.clone())));
        }
        rows
    }

    /// Whether nothing changed.
    pub fn is_empty(&self) -> bool {
        self.accounts_added.is_empty()
            && self.accounts_removed.is_empty()
            && self.least_privilege.is_empty()
            && self.grants.is_empty()
            && self.findings_new.is_empty()
            && self.findings_resolved.is_empty()
            && self.findings_changed.is_empty()
            && self.controls.is_empty()
    }

    /// `3 grants, 2 new findings, 1 resolved, 1 control verdict changed`,
    /// or `nothing changed`.
    pub fn sentence(&self) -> String {
        let mut parts = Vec::new();
        let mut count = |n: usize, what: &str| {
            if n > 0 {
                parts.push(format!("{n} {what}"));
            }
        };
        count(self.accounts_added.len(), "accounts added");
        count(self.accounts_removed.len(), "accounts removed");
        count(
            self.least_privilege.len(),
            "least-privilege verdicts changed",
        );
        count(self.grants.len(), "grants changed");
        count(self.findings_new.len(), "new findings");
        count(self.findings_resolved.len(), "findings resolved");
        count(self.findings_changed.len(), "findings changed severity");
        count(self.controls.len(), "control verdicts changed");
        let mut sentence = if parts.is_empty() {
            "nothing changed".to_string()
        } else {
            parts.join(", ")
        };
        if let Some(note) = &self.note {
            sentence.push_str(&format!("; {note}"));
        }
        sentence
    }
}

/// How a grant stood: `holds edit, needs read: excess`.
fn grant_state(needed: Option<&str>, held: Option<&str>, status: &str) -> String {
    format!(
        "holds {}, needs {}: {status}",
        held.unwrap_or("none"),
        needed.unwrap_or("none")
    )
}

/// A finding's identity across runs: its rule, subject and item (messages
/// and lines move when anything else in the file does).
type FindingKey = (String, String, Option<String>);

fn finding_about((code, subject, item): &FindingKey) -> String {
    match item {
        Some(item) => format!("{code} {subject} {item}"),
        None => format!("{code} {subject}"),
    }
}

/// Findings by identity, each with its severities (several findings can
/// share one identity).
fn by_key<'a>(
    findings: impl Iterator<Item = (&'a str, &'a str, Option<&'a str>, &'a str)>,
) -> BTreeMap<FindingKey, Vec<String>> {
    let mut map: BTreeMap<FindingKey, Vec<String>> = BTreeMap::new();
    for (code, subject, item, severity) in findings {
        map.entry((
            code.to_string(),
            subject.to_string(),
            item.map(str::to_string),
        ))
        .or_default()
        .push(severity.to_string());
    }
    for severities in map.values_mut() {
        severities.sort();
    }
    map
}

/// The previous report's findings: its list, or, from a report without
/// one, its controls' and accounts' findings, each once.
fn previous_findings(previous: &PreviousReport) -> Vec<FindingRow> {
    if let Some(all) = &previous.findings {
        return all.clone();
    }
    let mut seen = BTreeSet::new();
    previous
        .controls
        .iter()
        .flat_map(|c| c.findings.iter())
        .chain(
            previous
                .accounts
                .iter()
                .flat_map(|a| a.findings.iter().chain(a.waived.iter())),
        )
        .filter(|f| {
            seen.insert((
                f.code.clone(),
                f.subject.clone(),
                f.item.clone(),
                f.severity.clone(),
                f.location.clone(),
                f.message.clone(),
            ))
        })
        .cloned()
        .collect()
}

/// Compares the previous report with this one.
pub fn compare(previous: &PreviousReport, current: &ComplianceReport) -> Changes {
    let accounts = accounts(previous, current);
    let findings = findings(previous, current);
    Changes {
        since: previous.generated_at.clone(),
        previous_snapshot_sha256: previous.snapshot_sha256.clone(),
        same_snapshot: previous.snapshot_sha256 == current.snapshot_sha256,
        note: findings.note,
        accounts_added: accounts.added,
        accounts_removed: accounts.removed,
        least_privilege: accounts.least_privilege,
        grants: accounts.grants,
        findings_new: findings.new,
        findings_resolved: findings.resolved,
        findings_changed: findings.changed,
        controls: controls(previous, current),
    }
}

/// How the automation accounts changed.
struct AccountChanges {
    added: Vec<String>,
    removed: Vec<String>,
    least_privilege: Vec<Change>,
    grants: Vec<Change>,
}

/// Accounts added and removed, and of the others their least-privilege
/// verdict and each grant's state (needed, held, status).
fn accounts(previous: &PreviousReport, current: &ComplianceReport) -> AccountChanges {
    let before: BTreeMap<&str, &PreviousAccount> = previous
        .accounts
        .iter()
        .map(|a| (a.name.as_str(), a))
        .collect();
    let after: BTreeMap<&str, &super::AccountSection> = current
        .accounts
        .iter()
        .map(|a| (a.name.as_str(), a))
        .collect();
    let added = after
        .keys()
        .filter(|n| !before.contains_key(*n))
        .map(|n| n.to_string())
        .collect();
    let removed = before
        .keys()
        .filter(|n| !after.contains_key(*n))
        .map(|n| n.to_string())
        .collect();
    let verdict = |least: bool| {
        if least {
            "least privilege".to_string()
        } else {
            "not least privilege".to_string()
        }
    };
    let mut least_privilege = Vec::new();
    let mut grants = Vec::new();
    for (name, now) in &after {
        let Some(then) = before.get(name) else {
            continue;
        };
        if then.least_privilege != now.least_privilege {
            least_privilege.push(Change {
                about: name.to_string(),
                before: verdict(then.least_privilege),
                after: verdict(now.least_privilege),
            });
        }
        let old: BTreeMap<&str, String> = then
            .matrix
            .iter()
            .map(|g| {
                (
                    g.grant.as_str(),
                    grant_state(g.needed.as_deref(), g.held.as_deref(), &g.status),
                )
            })
            .collect();
        let new: BTreeMap<&str, String> = now
            .matrix
            .iter()
            .map(|g| {
                (
                    g.grant.as_str(),
                    grant_state(
                        g.needed.map(|l| l.as_str()),
                        g.held.map(|l| l.as_str()),
                        g.status.label(),
                    ),
                )
            })
            .collect();
        let keys: BTreeSet<&str> = old.keys().chain(new.keys()).copied().collect();
        for grant in keys {
            let (was, is) = (old.get(grant), new.get(grant));
            if was != is {
                grants.push(Change {
                    about: format!("{name} {grant}"),
                    before: was.cloned().unwrap_or_else(|| "none".into()),
                    after: is.cloned().unwrap_or_else(|| "none".into()),
                });
            }
        }
    }
    AccountChanges {
        added,
        removed,
        least_privilege,
        grants,
    }
}

/// How the findings changed: new, resolved, severity changed; and the note
/// when the previous report could not be compared whole.
struct FindingChanges {
    new: Vec<Change>,
    resolved: Vec<Change>,
    changed: Vec<Change>,
    note: Option<String>,
}

/// Findings new, resolved and changed, by code, subject and item.
fn findings(previous: &PreviousReport, current: &ComplianceReport) -> FindingChanges {
    let then_findings = previous_findings(previous);
    let old = by_key(then_findings.iter().map(|f| {
        (
            f.code.as_str(),
            f.subject.as_str(),
            f.item.as_deref(),
            f.severity.as_str(),
        )
    }));
    // A report without the findings list holds only the findings of its
    // controls and accounts: compare those alone, and say so.
    let whole = previous.findings.is_some();
    let note = (!whole).then(|| {
        "the previous report does not list every finding (an earlier rclint): findings about \
         no control and no account were not compared"
            .to_string()
    });
    let comparable = current
        .findings
        .iter()
        .filter(|f| whole || !f.accounts.is_empty() || !f.controls.is_empty());
    let new = by_key(comparable.map(|f| {
        let r: &FindingRow = &f.row;
        (
            r.code.as_str(),
            r.subject.as_str(),
            r.item.as_deref(),
            r.severity.as_str(),
        )
    }));
    let (mut findings_new, mut findings_resolved, mut findings_changed) =
        (Vec::new(), Vec::new(), Vec::new());
    let keys: BTreeSet<&FindingKey> = old.keys().chain(new.keys()).collect();
    for key in keys {
        let about = finding_about(key);
        match (old.get(key), new.get(key)) {
            (None, Some(is)) => findings_new.push(Change {
                about,
                before: "none".into(),
                after: is.join(", "),
            }),
            (Some(was), None) => findings_resolved.push(Change {
                about,
                before: was.join(", "),
                after: "none".into(),
            }),
            (Some(was), Some(is)) if was != is => findings_changed.push(Change {
                about,
                before: was.join(", "),
                after: is.join(", "),
            }),
            _ => {}
        }
    }
    FindingChanges {
        new: findings_new,
        resolved: findings_resolved,
        changed: findings_changed,
        note,
    }
}

/// The controls whose verdict changed.
fn controls(previous: &PreviousReport, current: &ComplianceReport) -> Vec<Change> {
    let old_controls: BTreeMap<String, &str> = previous
        .controls
        .iter()
        .map(|c| (format!("{} {}", c.framework, c.id), c.status.as_str()))
        .collect();
    current
        .controls
        .iter()
        .filter_map(|c| {
            let about = format!("{} {}", c.framework, c.id);
            let now = serde_label(c.status);
            let then = old_controls.get(&about).copied().unwrap_or("none");
            (then != now).then(|| Change {
                about,
                before: then.to_string(),
                after: now,
            })
        })
        .collect()
}

/// A verdict as the JSON report writes it (`partly_assessed`), which is
/// what a previous report holds: serde's own name for it.
fn serde_label(status: super::ControlStatus) -> String {
    serde_json::to_value(status)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

//! The auditors' compliance report as data: what `rclint report` renders as
//! HTML, Markdown, JSON or CSV. Built from the analysis and the policy
//! outcome; it decides nothing the rules and policy have not decided.

use crate::Analysis;
use crate::catalog::{ControlCatalog, ModuleCatalog};
use crate::finding::{Finding, Severity, SubjectKind};
use crate::graph::{Grant, GrantPath};
use crate::intent::IntentCatalog;
use crate::policy::{Outcome, WaiverStatus};
use crate::rules::REGISTRY;
use crate::snapshot::{Intent, Level};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// The whole report.
#[derive(Debug, Serialize)]
pub struct ComplianceReport {
    /// Title: config `[report] title`, or the snapshot folder's name.
    pub title: String,
    /// When it was generated, UTC, `YYYY-MM-DDTHH:MM:SSZ`.
    pub generated_at: String,
    /// rclint's version.
    pub rclint_version: String,
    /// Versions of the embedded catalogs.
    pub catalogs: Catalogs,
    /// Every input file with its SHA-256.
    pub inputs: Vec<InputFile>,
    /// SHA-256 over the sorted `sha256  path` lines of every input file.
    pub snapshot_sha256: String,
    /// The counts.
    pub summary: ReportSummary,
    /// One entry per control of the control catalog.
    pub controls: Vec<ControlResult>,
    /// One section per automation account.
    pub accounts: Vec<AccountSection>,
    /// Every waiver of the config file.
    pub waivers: Vec<WaiverRow>,
    /// Every rule's documentation.
    pub rules: Vec<RuleDoc>,
}

/// Catalog versions.
#[derive(Debug, Serialize)]
pub struct Catalogs {
    /// `rules/modules.toml`.
    pub modules: String,
    /// `rules/intents.toml`.
    pub intents: String,
    /// `rules/controls.toml`.
    pub controls: String,
}

/// An input file.
#[derive(Debug, Serialize)]
pub struct InputFile {
    /// As shown in findings.
    pub path: String,
    /// SHA-256 of its bytes as read.
    pub sha256: String,
}

/// Counts.
#[derive(Debug, Serialize)]
pub struct ReportSummary {
    /// Automation accounts assessed.
    pub accounts_assessed: usize,
    /// Accounts whose grants equal their minimal grant and that have no
    /// remaining finding.
    pub least_privilege_accounts: Vec<String>,
    /// Findings of severity error.
    pub error: usize,
    /// Findings of severity warning.
    pub warning: usize,
    /// Findings of severity note.
    pub note: usize,
    /// Findings hidden by waivers.
    pub waived: usize,
    /// Findings hidden by the baseline.
    pub baselined: usize,
    /// Findings per rule, for rules with at least one.
    pub by_rule: Vec<RuleCount>,
    /// RC4xx findings: problems in the evidence itself.
    pub snapshot_problems: usize,
}

/// Findings of one rule.
#[derive(Debug, Serialize)]
pub struct RuleCount {
    /// Code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Reported findings.
    pub count: usize,
}

/// A finding as the report lists it.
#[derive(Debug, Clone, Serialize)]
pub struct FindingRow {
    /// Code.
    pub code: String,
    /// Rule name.
    pub rule: String,
    /// Severity after policy, or `waived`.
    pub severity: String,
    /// The message.
    pub message: String,
    /// The subject's name.
    pub subject: String,
    /// The item, if any.
    pub item: Option<String>,
    /// `path:line`.
    pub location: String,
}

/// How a control stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ControlStatus {
    /// No remaining finding of its rules.
    Pass,
    /// At least one remaining error or warning of its rules.
    Fail,
    /// Its only findings are waived.
    Waived,
}

/// One control and the findings behind its status.
#[derive(Debug, Serialize)]
pub struct ControlResult {
    /// Framework.
    pub framework: String,
    /// Control id.
    pub id: String,
    /// What it requires.
    pub title: String,
    /// Why its rules evidence it.
    pub why: String,
    /// Rule codes.
    pub rules: Vec<String>,
    /// Pass, fail or waived.
    pub status: ControlStatus,
    /// The findings of its rules (remaining and waived).
    pub findings: Vec<FindingRow>,
}

/// An integration of an account.
#[derive(Debug, Serialize)]
pub struct IntegrationRow {
    /// Name.
    pub name: String,
    /// Team.
    pub team: Option<String>,
    /// Owner.
    pub owner: Option<String>,
    /// Repository.
    pub repository: Option<String>,
    /// Environment.
    pub environment: String,
    /// Token source.
    pub token_source: String,
    /// Whether it retries once on 401.
    pub retry_on_401: bool,
    /// Its intents, as `action target`.
    pub intents: Vec<String>,
}

/// ok, excess or missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum GrantStatus {
    /// Held as needed.
    Ok,
    /// Held beyond the need.
    Excess,
    /// Needed and not held (or held at a lower level).
    Missing,
}

/// One row of an account's permission matrix.
#[derive(Debug, Serialize)]
pub struct MatrixRow {
    /// The grant, as an item.
    pub grant: String,
    /// Level needed (modules: `edit` when needed).
    pub needed: Option<Level>,
    /// Level held.
    pub held: Option<Level>,
    /// `Integration action` for each intent that needs it.
    pub needed_by: Vec<String>,
    /// Each path that holds it.
    pub held_through: Vec<String>,
    /// ok, excess or missing.
    pub status: GrantStatus,
}

/// A node of an account's access picture.
#[derive(Debug, Serialize)]
pub struct PictureNode {
    /// 0 account, 1 role, 2 permission set, 3 grant.
    pub column: usize,
    /// Label.
    pub label: String,
    /// For grants: ok, excess or missing.
    pub status: Option<GrantStatus>,
}

/// What the account's access paths look like: nodes in columns, edges by index.
#[derive(Debug, Default, Serialize)]
pub struct Picture {
    /// Nodes.
    pub nodes: Vec<PictureNode>,
    /// Edges (from, to) between node indices.
    pub edges: Vec<(usize, usize)>,
}

/// One automation account.
#[derive(Debug, Serialize)]
pub struct AccountSection {
    /// The account.
    pub name: String,
    /// `service_account = true`.
    pub service_account: bool,
    /// Not deactivated.
    pub active: bool,
    /// API access on.
    pub api_access: bool,
    /// Whether it holds exactly its minimal grant and has no remaining finding.
    pub least_privilege: bool,
    /// Its integrations.
    pub integrations: Vec<IntegrationRow>,
    /// Its permission matrix.
    pub matrix: Vec<MatrixRow>,
    /// Remaining findings about it, its integrations, its roles.
    pub findings: Vec<FindingRow>,
    /// Findings about it that waivers hide.
    pub waived: Vec<FindingRow>,
    /// Its access paths.
    pub picture: Picture,
}

/// A waiver as the register lists it.
#[derive(Debug, Serialize)]
pub struct WaiverRow {
    /// Rule code.
    pub rule: String,
    /// Subject.
    pub subject: String,
    /// Item.
    pub item: Option<String>,
    /// Reason.
    pub reason: String,
    /// Ticket.
    pub ticket: Option<String>,
    /// Expiry date.
    pub expires: String,
    /// active, expired or unused.
    pub status: String,
    /// How many findings it hides.
    pub hides: usize,
}

/// A rule's documentation.
#[derive(Debug, Serialize)]
pub struct RuleDoc {
    /// Code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Default severity.
    pub severity: String,
    /// One line.
    pub summary: String,
    /// Markdown.
    pub documentation: String,
}

fn row(analysis: &Analysis, f: &Finding, severity: &str) -> FindingRow {
    let sources = &analysis.snapshot.sources;
    let file = sources.get(f.primary.span.file);
    let (line, _) = file.line_col(f.primary.span.start);
    FindingRow {
        code: f.rule.code.to_string(),
        rule: f.rule.name.to_string(),
        severity: severity.to_string(),
        message: f.message.clone(),
        subject: f.subject.name.clone(),
        item: f.item.clone(),
        location: format!("{}:{line}", file.path),
    }
}

fn describe_intent(intent: &Intent) -> String {
    let mut targets: Vec<String> = Vec::new();
    targets.extend(intent.workflow.iter().map(|w| w.value.clone()));
    targets.extend(intent.steps.iter().flatten().map(|s| s.value.clone()));
    targets.extend(intent.report.iter().map(|r| format!("report {}", r.value)));
    targets.extend(
        intent
            .applications
            .iter()
            .flatten()
            .map(|a| a.value.clone()),
    );
    if intent.admin_data.as_ref().is_some_and(|a| a.value) {
        targets.push("with admin data".into());
    }
    format!("{} {}", intent.action.value, targets.join(", "))
}

fn path_text(path: &GrantPath) -> String {
    path.labels().join(" → ")
}

/// Inputs the report needs besides the analysis and outcome.
pub struct ReportMeta {
    /// The title.
    pub title: String,
    /// The generation time, already formatted.
    pub generated_at: String,
}

/// Builds the report.
pub fn build(analysis: &Analysis, outcome: &Outcome, meta: ReportMeta) -> ComplianceReport {
    let snapshot = &analysis.snapshot;
    let model = &snapshot.model;
    let mut inputs: Vec<InputFile> = snapshot
        .sources
        .iter()
        .filter_map(|(_, f)| {
            f.digest.as_ref().map(|d| InputFile {
                path: f.path.clone(),
                sha256: d.clone(),
            })
        })
        .collect();
    inputs.sort_by(|a, b| a.path.cmp(&b.path));
    let manifest: String = inputs
        .iter()
        .map(|i| format!("{}  {}\n", i.sha256, i.path))
        .collect();
    let snapshot_sha256 = crate::snapshot::sha256_hex(manifest.as_bytes());

    let reported: Vec<(&Finding, Severity)> = outcome
        .diagnostics
        .iter()
        .map(|d| (&d.finding, d.severity))
        .collect();
    let waived: Vec<&Finding> = outcome
        .waivers
        .iter()
        .flat_map(|(_, _, hidden)| hidden.iter())
        .collect();

    // Controls.
    let controls = ControlCatalog::get()
        .controls
        .iter()
        .map(|c| {
            let mine = |code: &str| c.rules.iter().any(|r| r == code);
            let mut findings: Vec<FindingRow> = reported
                .iter()
                .filter(|(f, _)| mine(f.rule.code))
                .map(|(f, s)| row(analysis, f, s.as_str()))
                .collect();
            let failing = reported
                .iter()
                .any(|(f, s)| mine(f.rule.code) && *s != Severity::Note);
            let waived_here: Vec<FindingRow> = waived
                .iter()
                .filter(|f| mine(f.rule.code))
                .map(|f| row(analysis, f, "waived"))
                .collect();
            let status = if failing {
                ControlStatus::Fail
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
                rules: c.rules.clone(),
                status,
                findings,
            }
        })
        .collect();

    // Accounts.
    let mut accounts = Vec::new();
    for (u, user) in model.users.iter().enumerate() {
        if snapshot.index.users.get(&user.name.value) != Some(&u)
            || !analysis.graph.is_automation(snapshot, u)
        {
            continue;
        }
        let integrations: Vec<_> = analysis.graph.integrations_of[u]
            .iter()
            .map(|&i| &model.integrations[i])
            .collect();
        let roles: BTreeSet<&str> = user.roles.iter().map(|r| r.value.as_str()).collect();
        let about = |f: &Finding| match f.subject.kind {
            SubjectKind::User => f.subject.name == user.name.value,
            SubjectKind::Integration => integrations.iter().any(|i| i.name.value == f.subject.name),
            SubjectKind::Role => roles.contains(f.subject.name.as_str()),
            _ => false,
        };
        let findings: Vec<FindingRow> = reported
            .iter()
            .filter(|(f, _)| about(f))
            .map(|(f, s)| row(analysis, f, s.as_str()))
            .collect();
        let waived_rows: Vec<FindingRow> = waived
            .iter()
            .filter(|f| about(f))
            .map(|f| row(analysis, f, "waived"))
            .collect();
        let (matrix, picture) = matrix_and_picture(analysis, u);
        let least_privilege =
            findings.is_empty() && matrix.iter().all(|r| r.status == GrantStatus::Ok);
        accounts.push(AccountSection {
            name: user.name.value.clone(),
            service_account: user.is_service_account(),
            active: user.is_active(),
            api_access: user.has_api_access(),
            least_privilege,
            integrations: integrations
                .iter()
                .map(|i| IntegrationRow {
                    name: i.name.value.clone(),
                    team: i.team.as_ref().map(|v| v.value.clone()),
                    owner: i.owner.as_ref().map(|v| v.value.clone()),
                    repository: i.repository.as_ref().map(|v| v.value.clone()),
                    environment: i.environment().as_str().to_string(),
                    token_source: i.token_source().to_string(),
                    retry_on_401: i.retries_on_401(),
                    intents: i.intents.iter().map(describe_intent).collect(),
                })
                .collect(),
            matrix,
            findings,
            waived: waived_rows,
            picture,
        });
    }

    let mut by_rule: BTreeMap<&str, usize> = BTreeMap::new();
    for (f, _) in &reported {
        *by_rule.entry(f.rule.code).or_default() += 1;
    }
    let summary = ReportSummary {
        accounts_assessed: accounts.len(),
        least_privilege_accounts: accounts
            .iter()
            .filter(|a| a.least_privilege)
            .map(|a| a.name.clone())
            .collect(),
        error: outcome.summary.error,
        warning: outcome.summary.warning,
        note: outcome.summary.note,
        waived: outcome.summary.waived,
        baselined: outcome.summary.baselined,
        by_rule: REGISTRY
            .iter()
            .filter_map(|r| {
                by_rule.get(r.code).map(|&count| RuleCount {
                    code: r.code.to_string(),
                    name: r.name.to_string(),
                    count,
                })
            })
            .collect(),
        snapshot_problems: reported
            .iter()
            .filter(|(f, _)| f.rule.code.starts_with("RC4"))
            .count(),
    };
    let waivers = outcome
        .waivers
        .iter()
        .map(|(w, status, hidden)| WaiverRow {
            rule: w.rule.code.to_string(),
            subject: w.subject.clone(),
            item: w.item.clone(),
            reason: w.reason.clone(),
            ticket: w.ticket.clone(),
            expires: w.expires.to_string(),
            status: match status {
                WaiverStatus::Active => "active",
                WaiverStatus::Expired => "expired",
                WaiverStatus::Unused => "unused",
            }
            .to_string(),
            hides: hidden.len(),
        })
        .collect();
    ComplianceReport {
        title: meta.title,
        generated_at: meta.generated_at,
        rclint_version: env!("CARGO_PKG_VERSION").to_string(),
        catalogs: Catalogs {
            modules: ModuleCatalog::get().version.clone(),
            intents: IntentCatalog::get().version.clone(),
            controls: ControlCatalog::get().version.clone(),
        },
        inputs,
        snapshot_sha256,
        summary,
        controls,
        accounts,
        waivers,
        rules: REGISTRY
            .iter()
            .map(|r| RuleDoc {
                code: r.code.to_string(),
                name: r.name.to_string(),
                severity: r.default_severity.as_str().to_string(),
                summary: r.summary.to_string(),
                documentation: r.documentation(),
            })
            .collect(),
    }
}

/// The permission matrix and the access picture of account `u`.
fn matrix_and_picture(analysis: &Analysis, u: usize) -> (Vec<MatrixRow>, Picture) {
    let access = &analysis.graph.access[u];
    let minimal = &analysis.minimal[u];
    let model = &analysis.snapshot.model;
    let grants: BTreeSet<&Grant> = access.grants.keys().chain(minimal.grants.keys()).collect();
    let mut matrix = Vec::new();
    let mut picture = Picture::default();
    let mut index: BTreeMap<(usize, String), usize> = BTreeMap::new();
    let mut node =
        |picture: &mut Picture, column: usize, label: String, status: Option<GrantStatus>| {
            *index.entry((column, label.clone())).or_insert_with(|| {
                picture.nodes.push(PictureNode {
                    column,
                    label,
                    status,
                });
                picture.nodes.len() - 1
            })
        };
    let account = node(
        &mut picture,
        0,
        format!("user {}", model.users[u].name.value),
        None,
    );
    for grant in grants {
        let paths: Vec<&GrantPath> = access
            .paths(grant)
            .iter()
            .filter(|p| !p.via_admin)
            .collect();
        let held = paths.iter().map(|p| p.level).max();
        let required = minimal.grants.get(grant);
        let needed = required.map(|r| r.level);
        let implied_only = held.is_none() && access.level(grant).is_some();
        let status = match (
            held.or(if implied_only {
                access.level(grant)
            } else {
                None
            }),
            needed,
        ) {
            (Some(h), Some(n)) if h == n => GrantStatus::Ok,
            (Some(h), Some(n)) if h > n => GrantStatus::Excess,
            (_, Some(_)) => GrantStatus::Missing,
            (Some(_), None) if implied_only => continue,
            (Some(_), None) => GrantStatus::Excess,
            (None, None) => continue,
        };
        let needed_by = required
            .map(|r| {
                r.needs
                    .iter()
                    .map(|n| {
                        let i = &model.integrations[n.integration];
                        format!("{} {}", i.name.value, i.intents[n.intent].action.value)
                    })
                    .collect()
            })
            .unwrap_or_default();
        let shown_paths: Vec<&GrantPath> = if paths.is_empty() {
            access.paths(grant).iter().collect()
        } else {
            paths
        };
        for path in &shown_paths {
            let mut previous = account;
            for hop in &path.hops[1..] {
                let column = if hop.label.starts_with("role ") {
                    1
                } else if hop.label.starts_with("permission set ") {
                    2
                } else {
                    3
                };
                if column < 3 {
                    let n = node(&mut picture, column, hop.label.clone(), None);
                    if !picture.edges.contains(&(previous, n)) {
                        picture.edges.push((previous, n));
                    }
                    previous = n;
                }
            }
            let leaf = node(&mut picture, 3, grant.to_string(), Some(status));
            if !picture.edges.contains(&(previous, leaf)) {
                picture.edges.push((previous, leaf));
            }
        }
        if shown_paths.is_empty() {
            node(&mut picture, 3, grant.to_string(), Some(status));
        }
        matrix.push(MatrixRow {
            grant: grant.to_string(),
            needed,
            held: held.or(access.level(grant)),
            needed_by,
            held_through: shown_paths.iter().map(|p| path_text(p)).collect(),
            status,
        });
    }
    (matrix, picture)
}

/// `YYYY-MM-DDTHH:MM:SSZ` for seconds since the Unix epoch.
pub fn format_utc(seconds: i64) -> String {
    let days = seconds.div_euclid(86_400);
    let rest = seconds.rem_euclid(86_400);
    let date = crate::config::Date::from_days_since_epoch(days);
    format!(
        "{date}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

/// Parses `YYYY-MM-DDTHH:MM:SSZ` (or a date alone) into seconds since the epoch.
pub fn parse_utc(text: &str) -> Option<i64> {
    let (date, time) = match text.split_once('T') {
        Some((d, t)) => (d, t.strip_suffix('Z')?),
        None => (text, "00:00:00"),
    };
    let date = crate::config::Date::parse(date)?;
    let mut parts = time.split(':').map(|p| p.parse::<i64>().ok());
    let (h, m, s) = (parts.next()??, parts.next()??, parts.next()??);
    if parts.next().is_some() || h > 23 || m > 59 || s > 60 {
        return None;
    }
    // Days since the epoch for the date (inverse of from_days_since_epoch).
    let (y, mo, d) = (
        i64::from(date.year),
        i64::from(date.month),
        i64::from(date.day),
    );
    let y = if mo <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if mo > 2 { mo - 3 } else { mo + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(days * 86_400 + h * 3600 + m * 60 + s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_round_trip() {
        assert_eq!(format_utc(0), "1970-01-01T00:00:00Z");
        let t = parse_utc("2026-11-27T21:05:09Z").unwrap();
        assert_eq!(format_utc(t), "2026-11-27T21:05:09Z");
        assert_eq!(parse_utc("2024-02-29"), Some(1_709_164_800));
        assert_eq!(parse_utc("2024-02-29T25:00:00Z"), None);
        assert_eq!(parse_utc("yesterday"), None);
    }
}

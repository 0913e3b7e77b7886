//! The auditors' compliance report as data: what `rclint report` renders as
//! HTML, Markdown, JSON or CSV. Built from the analysis and the policy
//! outcome; it decides nothing the rules and policy have not decided.

use crate::analysis::Analysis;
use crate::catalog::IntentCatalog;
use crate::catalog::{ControlCatalog, ModuleCatalog};
use crate::diagnostic::{Finding, Severity, SubjectKind};
use crate::graph::{Grant, GrantPath, Node};
use crate::policy::{Outcome, WaiverStatus};
use crate::rules::REGISTRY;
use crate::snapshot::Intent;
use std::collections::{BTreeMap, BTreeSet};

mod data;
mod facts;
pub mod since;
mod text;
mod verdicts;

pub use crate::time::{format_utc, parse_utc};
pub use data::*;

fn row(analysis: &Analysis, roots: &[String], f: &Finding, severity: &str) -> FindingRow {
    let sources = &analysis.snapshot.sources;
    let file = sources.get(f.primary.span.file);
    let (line, _) = file.line_col(f.primary.span.start());
    let subject = match f.subject.kind {
        SubjectKind::File => relative(roots, &f.subject.name),
        _ => f.subject.name.clone(),
    };
    FindingRow {
        code: f.rule.code.to_string(),
        rule: f.rule.name.to_string(),
        severity: severity.to_string(),
        message: f.message.clone(),
        subject,
        item: f.item.clone(),
        location: format!("{}:{line}", relative(roots, &file.path)),
    }
}

fn describe_intent(intent: &Intent) -> String {
    let mut targets: Vec<String> = Vec::new();
    targets.extend(intent.workflow.iter().map(|w| w.value.to_string()));
    targets.extend(intent.steps.iter().flatten().map(|s| s.value.to_string()));
    targets.extend(intent.report.iter().map(|r| format!("report {}", r.value)));
    targets.extend(
        intent
            .applications
            .iter()
            .flatten()
            .map(|a| a.value.to_string()),
    );
    if intent.admin_data.as_ref().is_some_and(|a| a.value) {
        targets.push("with admin data".into());
    }
    format!("{} {}", intent.action.value, targets.join(", "))
}

fn path_text(analysis: &Analysis, path: &GrantPath) -> String {
    analysis.graph.labels(&analysis.snapshot, path).join(" → ")
}

/// Inputs the report needs besides the analysis and outcome.
pub struct ReportMeta {
    /// The title.
    pub title: String,
    /// The generation time, already formatted.
    pub generated_at: String,
    /// The snapshot roots as shown (relative to the current directory):
    /// every path in the report is written relative to its root, so the
    /// report's bytes do not depend on where rclint ran.
    pub roots: Vec<String>,
    /// The config file as shown, if one was read.
    pub config_file: Option<String>,
    /// The config's `[snapshot] exclude`.
    pub exclude: Vec<String>,
    /// The newest modification time of the input files (seconds since the
    /// epoch), no later than the generation time: the as-of time of a
    /// snapshot that does not say when its data was read.
    pub files_modified: Option<i64>,
}

/// `path` (as shown, relative to the current directory) relative to the
/// snapshot root that holds it.
fn relative(roots: &[String], path: &str) -> String {
    for root in roots {
        if root.is_empty() || root == "." {
            return path.to_string();
        }
        if let Some(rest) = path
            .strip_prefix(root.as_str())
            .and_then(|r| r.strip_prefix('/'))
        {
            return rest.to_string();
        }
    }
    path.to_string()
}

/// Builds the report, step by step: the inputs and their hash, one section
/// per automation account, the controls, every finding with what it bears
/// on, the counts, the waiver register, the rules, the scope and the
/// configuration.
pub fn build(analysis: &Analysis, outcome: &Outcome, meta: ReportMeta) -> ComplianceReport {
    let (inputs, snapshot_sha256) = inputs(analysis, &meta.roots);
    let findings = RunFindings::of(outcome);
    let mut reported_accounts: Vec<Vec<String>> = vec![Vec::new(); findings.reported.len()];
    let mut waived_accounts: Vec<Vec<String>> = vec![Vec::new(); findings.waived.len()];
    let accounts: Vec<AccountSection> = analysis
        .graph
        .automation()
        .iter()
        .map(|&u| {
            let (reported_here, waived_here) = findings.about(analysis, u);
            let name = analysis.snapshot.model.users[u].name.value.to_string();
            for &i in &reported_here {
                reported_accounts[i].push(name.clone());
            }
            for &i in &waived_here {
                waived_accounts[i].push(name.clone());
            }
            account_section(
                analysis,
                &meta.roots,
                u,
                &findings,
                (reported_here, waived_here),
            )
        })
        .collect();
    let controls: Vec<ControlResult> = ControlCatalog::get()
        .controls
        .iter()
        .map(|c| {
            verdicts::control(
                analysis,
                outcome,
                &meta.roots,
                c,
                (&findings.reported, &findings.waived),
                &accounts,
            )
        })
        .collect();
    let all_findings = report_findings(
        analysis,
        &meta.roots,
        &findings,
        (reported_accounts, waived_accounts),
        &controls,
    );
    ComplianceReport {
        title: meta.title.clone(),
        generated_at: meta.generated_at.clone(),
        rclint_version: env!("CARGO_PKG_VERSION").to_string(),
        catalogs: Catalogs {
            modules: ModuleCatalog::get().version.clone(),
            intents: IntentCatalog::get().version.clone(),
            controls: ControlCatalog::get().version.clone(),
        },
        inputs,
        snapshot_sha256,
        summary: summary(analysis, outcome, &findings, &accounts, &controls),
        controls,
        accounts,
        findings: all_findings,
        changes: None,
        waivers: waiver_register(outcome),
        rules: rule_docs(outcome),
        scope: scope(analysis, &meta),
        configuration: configuration(outcome, &meta),
    }
}

/// Every input file with its SHA-256, by path, and the SHA-256 of the
/// lines `SHA256  PATH` of them all.
fn inputs(analysis: &Analysis, roots: &[String]) -> (Vec<InputFile>, String) {
    let mut inputs: Vec<InputFile> = analysis
        .snapshot
        .sources
        .iter()
        .filter_map(|(_, f)| {
            f.digest().map(|sha256| InputFile {
                path: relative(roots, &f.path),
                sha256,
            })
        })
        .collect();
    inputs.sort_by(|a, b| a.path.cmp(&b.path));
    let manifest: String = inputs
        .iter()
        .map(|i| format!("{}  {}\n", i.sha256, i.path))
        .collect();
    let sha256 = crate::snapshot::sha256_hex(manifest.as_bytes());
    (inputs, sha256)
}

/// The findings of the run: those reported, with their severity after
/// policy, and those waivers hide; each indexed by its subject, so that an
/// account's findings are found without scanning them all per account.
struct RunFindings<'a> {
    reported: Vec<(&'a Finding, Severity)>,
    waived: Vec<&'a Finding>,
    reported_by: SubjectIndex<'a>,
    waived_by: SubjectIndex<'a>,
}

impl<'a> RunFindings<'a> {
    fn of(outcome: &'a Outcome) -> RunFindings<'a> {
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
        RunFindings {
            reported_by: by_subject(reported.iter().map(|(f, _)| *f)),
            waived_by: by_subject(waived.iter().copied()),
            reported,
            waived,
        }
    }

    /// The positions of the reported and the waived findings about account
    /// `u`: about the user, its integrations or its roles, in the order of
    /// the findings.
    fn about(&self, analysis: &Analysis, u: usize) -> (Vec<usize>, Vec<usize>) {
        let user = &analysis.snapshot.model.users[u];
        let integrations = analysis.integrations_of(u);
        let roles: BTreeSet<&str> = user.roles.iter().map(|r| r.value.as_str()).collect();
        let mut keys = vec![(SubjectKind::User.as_str(), user.name.value.as_str())];
        keys.extend(
            integrations
                .iter()
                .map(|i| (SubjectKind::Integration.as_str(), i.name.value.as_str())),
        );
        keys.extend(roles.iter().map(|r| (SubjectKind::Role.as_str(), *r)));
        let found = |index: &SubjectIndex| {
            let mut found: Vec<usize> = keys
                .iter()
                .filter_map(|k| index.get(k))
                .flatten()
                .copied()
                .collect();
            found.sort_unstable();
            found.dedup();
            found
        };
        (found(&self.reported_by), found(&self.waived_by))
    }
}

/// One automation account's section, from the positions of the findings
/// about it.
fn account_section(
    analysis: &Analysis,
    roots: &[String],
    u: usize,
    found: &RunFindings,
    (reported_here, waived_here): (Vec<usize>, Vec<usize>),
) -> AccountSection {
    let user = &analysis.snapshot.model.users[u];
    let findings: Vec<FindingRow> = reported_here
        .into_iter()
        .map(|i| {
            let (f, s) = &found.reported[i];
            row(analysis, roots, f, s.as_str())
        })
        .collect();
    let waived: Vec<FindingRow> = waived_here
        .into_iter()
        .map(|i| row(analysis, roots, found.waived[i], "waived"))
        .collect();
    let (mut matrix, mut picture) = matrix_and_picture(analysis, u);
    verdicts::flag(&mut matrix, &mut picture, &findings, &waived);
    let least_privilege = findings.is_empty() && matrix.iter().all(|r| r.status == GrantStatus::Ok);
    AccountSection {
        name: user.name.value.to_string(),
        service_account: user.is_service_account(),
        active: user.is_active(),
        api_access: user.api_access_known(),
        last_login: user.last_login().map(|t| crate::time::format_day(t.value)),
        token_rolls: user.token_rolls().map(|n| {
            let since = user
                .token_rolls_since()
                .map(|t| format!(" since {}", crate::time::format_day(t.value)))
                .unwrap_or_default();
            let times = if n.value == 1 { "time" } else { "times" };
            format!("{} {times}{since}", n.value)
        }),
        least_privilege,
        integrations: analysis
            .integrations_of(u)
            .iter()
            .map(|i| IntegrationRow {
                name: i.name.value.to_string(),
                team: i.team.as_ref().map(|v| v.value.to_string()),
                owner: i.owner.as_ref().map(|v| v.value.to_string()),
                repository: i.repository.as_ref().map(|v| v.value.to_string()),
                environment: i.environment().as_str().to_string(),
                token_source: i.token_source().to_string(),
                retry_on_401: i.retries_on_401(),
                intents: i.intents.iter().map(describe_intent).collect(),
            })
            .collect(),
        matrix,
        findings,
        waived,
        picture,
        facts: facts::of_account(analysis, roots, u),
    }
}

/// Every finding of the run, reported then waived, with the accounts it is
/// about (by position) and the controls its rule evidences.
fn report_findings(
    analysis: &Analysis,
    roots: &[String],
    found: &RunFindings,
    (reported_accounts, waived_accounts): (Vec<Vec<String>>, Vec<Vec<String>>),
    controls: &[ControlResult],
) -> Vec<ReportFinding> {
    let controls_of = |code: &str| -> Vec<String> {
        controls
            .iter()
            .filter(|c| c.rules.iter().any(|r| r == code))
            .map(|c| format!("{} {}", c.framework, c.id))
            .collect()
    };
    found
        .reported
        .iter()
        .map(|(f, s)| (*f, s.as_str()))
        .zip(reported_accounts)
        .chain(
            found
                .waived
                .iter()
                .map(|f| (*f, "waived"))
                .zip(waived_accounts),
        )
        .map(|((f, severity), accounts)| ReportFinding {
            row: row(analysis, roots, f, severity),
            accounts,
            controls: controls_of(f.rule.code),
        })
        .collect()
}

/// The counts: accounts, least privilege, findings by severity and rule,
/// snapshot problems, control verdicts.
fn summary(
    analysis: &Analysis,
    outcome: &Outcome,
    found: &RunFindings,
    accounts: &[AccountSection],
    controls: &[ControlResult],
) -> ReportSummary {
    let mut by_rule: BTreeMap<&str, usize> = BTreeMap::new();
    for (f, _) in &found.reported {
        *by_rule.entry(f.rule.code).or_default() += 1;
    }
    ReportSummary {
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
        snapshot_problems: analysis.snapshot_problems(),
        control_verdicts: ControlStatus::ORDER
            .iter()
            .map(|&verdict| VerdictCount {
                verdict,
                count: controls.iter().filter(|c| c.status == verdict).count(),
            })
            .collect(),
        facts: facts::tally(accounts),
    }
}

/// The waiver register: every waiver with its status and what it hides.
fn waiver_register(outcome: &Outcome) -> Vec<WaiverRow> {
    outcome
        .waivers
        .iter()
        .map(|(w, status, hidden)| WaiverRow {
            rule: w.rule.code.to_string(),
            subject: w.subject.clone(),
            item: w.item.clone(),
            reason: w.reason.clone(),
            ticket: w.ticket.clone(),
            approver: w.approver.clone(),
            expires: w.expires.to_string(),
            status: match status {
                WaiverStatus::Active => "active",
                WaiverStatus::Expired => "expired",
                WaiverStatus::Unused => "unused",
                WaiverStatus::RuleOff => "rule off",
            }
            .to_string(),
            hides: hidden.len(),
        })
        .collect()
}

/// Every rule's documentation with its severity in the run. Drift rules
/// are raised by `diff`, never by the run described here.
fn rule_docs(outcome: &Outcome) -> Vec<RuleDoc> {
    outcome
        .effective
        .iter()
        .filter(|(r, _)| r.category != crate::diagnostic::Category::Drift)
        .map(|(r, severity)| RuleDoc {
            code: r.code.to_string(),
            name: r.name.to_string(),
            severity: severity.map_or("off", |s| s.as_str()).to_string(),
            default_severity: r.default_severity.as_str().to_string(),
            summary: r.summary.to_string(),
            documentation: r.documentation(),
        })
        .collect()
}

/// What the snapshot holds, and when its data was read.
fn scope(analysis: &Analysis, meta: &ReportMeta) -> Scope {
    let model = &analysis.snapshot.model;
    let automation = analysis.graph.automation().len();
    Scope {
        users: model.users.len(),
        automation_accounts: automation,
        people: model.users.len() - automation,
        roles: model.roles.len(),
        permission_sets: model.permission_sets.len(),
        applications: model.applications.len(),
        integrations: model.integrations.len(),
        data_as_of: match (analysis.snapshot.as_of(), meta.files_modified) {
            (Some(t), _) => format!("{} (the import's as-of)", crate::time::format_moment(t)),
            (None, Some(seconds)) => format!(
                "{} (the newest input file's modification time; the snapshot does not say when its data was read)",
                format_utc(seconds)
            ),
            (None, None) => "unknown".to_string(),
        },
    }
}

/// The configuration the run was made with.
fn configuration(outcome: &Outcome, meta: &ReportMeta) -> Configuration {
    Configuration {
        config_file: meta
            .config_file
            .as_deref()
            .map(|c| relative(&meta.roots, c)),
        changed_rules: outcome
            .effective
            .iter()
            .filter(|(r, s)| *s != Some(r.default_severity))
            .map(|(r, s)| format!("{} {}", r.code, s.map_or("off", |s| s.as_str())))
            .collect(),
        exclude: meta.exclude.clone(),
        waivers: outcome.waivers.len(),
    }
}

/// Positions of findings by (subject kind, subject name).
type SubjectIndex<'a> = std::collections::HashMap<(&'static str, &'a str), Vec<usize>>;

/// The findings' positions, by their subject.
fn by_subject<'a>(findings: impl Iterator<Item = &'a Finding>) -> SubjectIndex<'a> {
    let mut index = SubjectIndex::new();
    for (i, f) in findings.enumerate() {
        index
            .entry((f.subject.kind.as_str(), f.subject.name.as_str()))
            .or_default()
            .push(i);
    }
    index
}

/// The permission matrix and the access picture of account `u`.
fn matrix_and_picture(analysis: &Analysis, u: usize) -> (Vec<MatrixRow>, Picture) {
    let access = &analysis.graph.access(u);
    let minimal = &analysis.minimal[u];
    let model = &analysis.snapshot.model;
    let grants: BTreeSet<&Grant> = access.grants().chain(minimal.grants.keys()).collect();
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
        // Held through any path, ADMIN's implications included.
        let held = access.level(grant);
        let required = minimal.grants.get(grant);
        let needed = required.map(|r| r.level);
        // The verdict is the one `minimal::compare` made for the rules.
        let status = match analysis.diffs[u].iter().find(|d| &d.grant == grant) {
            Some(d) if d.is_missing() => GrantStatus::Missing,
            Some(_) => GrantStatus::Excess,
            // Not held, or a module only ADMIN implies and nobody needs.
            None if needed.is_none() => continue,
            None => GrantStatus::Ok,
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
            for hop in path.hops.iter().skip(1) {
                let column = match analysis.graph.node(hop.node) {
                    Node::Role(_) => 1,
                    Node::PermissionSet(_) => 2,
                    _ => 3,
                };
                if column < 3 {
                    let label = analysis.graph.hop_label(&analysis.snapshot, hop);
                    let n = node(&mut picture, column, label, None);
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
            held,
            needed_by,
            held_through: shown_paths.iter().map(|p| path_text(analysis, p)).collect(),
            status,
            findings: Vec::new(),
        });
    }
    (matrix, picture)
}

//! The rules: each one declared once, with its documentation, by
//! [`declare_rule!`], and listed once in [`REGISTRY`]. A rule reads the
//! snapshot and the access graph and returns findings; it never prints, reads
//! configuration or decides severity.

use crate::diagnostic::{Finding, Hop, Label, Subject, SubjectKind};
use crate::graph::{AccessGraph, EffectiveAccess, GrantPath};
use crate::minimal::{ByAccount, GrantDiff, MinimalGrant};
use crate::snapshot::{Application, Integration, Snapshot, User};

pub use crate::diagnostic::{DOC_HEADINGS, RuleMeta};

/// What a rule's check reads.
pub struct RuleContext<'a> {
    /// The loaded snapshot.
    pub snapshot: &'a Snapshot,
    /// The access graph built from it.
    pub graph: &'a AccessGraph,
    /// Each user's minimal grant, by model index.
    pub minimal: &'a ByAccount<MinimalGrant>,
    /// Each automation account's grants held against needed, by model index.
    pub diffs: &'a ByAccount<Vec<GrantDiff>>,
    /// Thresholds and the moment the rules judge time against.
    pub settings: &'a Settings,
    /// Each account in use's extra roles and excess grants, by model index:
    /// found once, at the first ask, for RC102 and RC202–RC204.
    reviews: std::sync::OnceLock<Vec<(usize, least_privilege::Review<'a>)>>,
}

/// What the rules read besides the snapshot: `[rule_settings]` of
/// `rclint.toml`, and the moment the access data describes.
#[derive(Debug, Clone)]
pub struct Settings {
    /// An automation account with no login for this many days is stale
    /// (RC110).
    pub stale_after_days: u32,
    /// An attestation without `expires` holds this many days from its `on`.
    pub attestation_days: u32,
    /// The moment to judge against when the snapshot does not say when its
    /// data was read (`--today`, else now).
    pub now: jiff::Timestamp,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            stale_after_days: 90,
            attestation_days: 365,
            now: jiff::Timestamp::now(),
        }
    }
}

impl Settings {
    /// The moment the access data describes: the snapshot's import time
    /// when it was imported, else [`Settings::now`].
    pub fn as_of(&self, snapshot: &Snapshot) -> jiff::Timestamp {
        snapshot.as_of().unwrap_or(self.now)
    }
}

impl<'a> RuleContext<'a> {
    /// The context of one run of the rules.
    pub fn new(
        snapshot: &'a Snapshot,
        graph: &'a AccessGraph,
        minimal: &'a ByAccount<MinimalGrant>,
        diffs: &'a ByAccount<Vec<GrantDiff>>,
        settings: &'a Settings,
    ) -> RuleContext<'a> {
        RuleContext {
            snapshot,
            graph,
            minimal,
            diffs,
            settings,
            reviews: std::sync::OnceLock::new(),
        }
    }

    /// What the least-privilege rules judge of account `u`, if it is in
    /// use: its extra roles and excess grants.
    pub fn review(&self, u: usize) -> Option<&least_privilege::Review<'a>> {
        let all = self
            .reviews
            .get_or_init(|| least_privilege::review_accounts(self));
        let at = all.binary_search_by_key(&u, |(v, _)| *v).ok()?;
        Some(&all[at].1)
    }

    /// Users that are automation accounts (`service_account = true` or named
    /// by an integration), in model order.
    pub fn automation_accounts(&self) -> impl Iterator<Item = (usize, &'a User)> + '_ {
        let users = &self.snapshot.model.users;
        self.graph.automation().iter().map(move |&u| (u, &users[u]))
    }

    /// Automation accounts that at least one integration uses.
    pub fn accounts_in_use(&self) -> impl Iterator<Item = (usize, &'a User)> + '_ {
        self.automation_accounts()
            .filter(|(u, _)| !self.graph.integrations_of(*u).is_empty())
    }

    /// Every integration whose account is defined, with that account.
    pub fn integrations_with_accounts(
        &self,
    ) -> impl Iterator<Item = (&'a Integration, &'a User)> + '_ {
        let snapshot = self.snapshot;
        snapshot.model.integrations.iter().filter_map(move |i| {
            let u = snapshot.user_named(&i.account.value)?;
            Some((i, &snapshot.model.users[u]))
        })
    }

    /// The integrations that use user `u`.
    pub fn integrations_of(&self, u: usize) -> impl Iterator<Item = &'a Integration> + '_ {
        self.graph
            .integrations_of(u)
            .iter()
            .map(|&i| &self.snapshot.model.integrations[i])
    }

    /// Shared accounts: automation accounts that two or more integrations
    /// use, with those integrations in model order.
    pub fn shared_accounts(
        &self,
    ) -> impl Iterator<Item = (usize, &'a User, Vec<&'a Integration>)> + '_ {
        self.accounts_in_use().filter_map(|(u, user)| {
            let integrations: Vec<_> = self.integrations_of(u).collect();
            (integrations.len() >= 2).then_some((u, user, integrations))
        })
    }

    /// What user `u` holds.
    pub fn access(&self, u: usize) -> &'a EffectiveAccess {
        self.graph.access(u)
    }

    /// Whether user `u` is on the `build_access` list of a restricted
    /// application.
    pub fn on_restricted_build_list(&self, u: usize) -> bool {
        let apps = &self.snapshot.model.applications;
        self.graph
            .build_entries(u)
            .iter()
            .any(|(a, _, _)| apps[*a].is_restricted())
    }

    /// Restricted applications whose Build Access list is unknown (not
    /// exported, not attested).
    pub fn unknown_build_lists(&self) -> impl Iterator<Item = &'a Application> + '_ {
        self.snapshot
            .model
            .applications
            .iter()
            .filter(|a| a.is_restricted() && a.is_unknown("build_access"))
    }

    /// Whether Build Access on the application named `name` is unknown.
    pub fn build_list_unknown(&self, name: &str) -> bool {
        self.snapshot
            .application_named(name)
            .is_some_and(|a| self.snapshot.model.applications[a].is_unknown("build_access"))
    }

    /// Whether user `u`'s Application Entitlements are unknown: its own, or
    /// those of a role it holds, are not exported and not attested.
    pub fn applications_unknown(&self, u: usize) -> bool {
        self.snapshot.applications_unknown(u)
    }

    /// What user `u` minimally needs.
    pub fn minimal(&self, u: usize) -> &'a MinimalGrant {
        &self.minimal[u]
    }

    /// `role NAME` for the role a path goes through, as traces show it; empty
    /// when the path goes through none.
    pub fn role_label(&self, path: &GrantPath) -> String {
        path.role().map_or(String::new(), |r| {
            format!("role {}", self.snapshot.model.roles[r].name.value)
        })
    }

    /// `permission set NAME` for the permission set a path goes through;
    /// empty when it goes through none.
    pub fn set_label(&self, path: &GrantPath) -> String {
        path.permission_set().map_or(String::new(), |p| {
            format!(
                "permission set {}",
                self.snapshot.model.permission_sets[p].name.value
            )
        })
    }

    /// Where what user `u` holds differs from what it needs.
    pub fn diffs(&self, u: usize) -> &'a [GrantDiff] {
        &self.diffs[u]
    }
}

/// A finding about a grant held along `paths` (at least one): the primary
/// label on the grant at the end of the first path, secondary labels on every
/// other hop of every path, and the first path as the trace.
pub fn at_grant(
    cx: &RuleContext,
    rule: &'static RuleMeta,
    user: &User,
    item: impl Into<String>,
    paths: &[&GrantPath],
    message: String,
    help: String,
) -> Option<Finding> {
    let first = cx.graph.render(cx.snapshot, paths.first()?);
    let primary_span = first.iter().rev().find_map(|h| h.span)?;
    let mut labels = Vec::new();
    for path in paths {
        for (span, note) in cx.graph.notes(cx.snapshot, path) {
            if !labels.iter().any(|l: &Label| l.span == span) {
                labels.push(Label::new(span, note));
            }
        }
    }
    let primary_at = labels.iter().position(|l| l.span == primary_span)?;
    let primary = labels.remove(primary_at);
    labels.shrink_to_fit();
    let mut finding = Finding::new(
        rule,
        Subject::new(SubjectKind::User, user.name.value.as_str()),
        primary,
        message,
        help,
    )
    .with_item(item)
    .with_trace(first);
    finding.related = labels;
    Some(finding)
}

/// A finding about an integration and the account it runs under: the
/// primary label at its `account =` line, the trace integration → user.
pub fn on_integration_account(
    rule: &'static RuleMeta,
    integration: &Integration,
    user: &User,
    label: &str,
    message: String,
    help: &str,
) -> Finding {
    Finding::new(
        rule,
        Subject::new(SubjectKind::Integration, integration.name.value.as_str()),
        Label::new(integration.account.span, label),
        message,
        help,
    )
    .with_trace(trace(&[
        format!("integration {}", integration.name.value),
        format!("user {}", user.name.value),
    ]))
}

/// A trace of plain labels (no spans), for findings about an entity rather
/// than a grant: `integration Risk Sync → user svc-risk-sync`.
pub fn trace(labels: &[String]) -> Vec<Hop> {
    labels
        .iter()
        .map(|label| Hop {
            label: label.clone(),
            span: None,
        })
        .collect()
}

/// A finding about a shared account: the primary label on the account's
/// definition, a secondary label at the `account =` line of every
/// integration involved, and the trace from each integration to the account.
pub fn on_shared_account(
    rule: &'static RuleMeta,
    user: &User,
    involved: &[&Integration],
    describe: &dyn Fn(&Integration) -> String,
    message: String,
    help: &str,
) -> Finding {
    let mut finding = Finding::new(
        rule,
        Subject::new(SubjectKind::User, user.name.value.as_str()),
        Label::new(user.name.span, "shared account"),
        message,
        help,
    );
    for integration in involved {
        finding
            .related
            .push(Label::new(integration.account.span, describe(integration)));
    }
    let names: Vec<&str> = involved.iter().map(|i| i.name.value.as_str()).collect();
    finding.trace = trace(&[
        format!("integrations {}", names.join(", ")),
        format!("user {}", user.name.value),
    ]);
    finding
}

/// A finding about one integration on a shared account: the primary label
/// given, a secondary label at the `account =` line of every integration on
/// the account, and the trace from the integration to the account.
pub fn on_shared_integration(
    rule: &'static RuleMeta,
    integration: &Integration,
    user: &User,
    everyone: &[&Integration],
    primary: Label,
    message: String,
    help: &str,
) -> Finding {
    let mut finding = Finding::new(
        rule,
        Subject::new(SubjectKind::Integration, integration.name.value.as_str()),
        primary,
        message,
        help,
    );
    for i in everyone {
        finding.related.push(Label::new(
            i.account.span,
            format!("'{}' uses the account here", i.name.value),
        ));
    }
    finding.trace = trace(&[
        format!("integration {}", integration.name.value),
        format!("user {}", user.name.value),
    ]);
    finding
}

/// The names of integrations, quoted and joined: `'A' and 'B'`.
pub fn integration_names(integrations: &[&Integration]) -> String {
    let names: Vec<&str> = integrations.iter().map(|i| i.name.value.as_str()).collect();
    quoted_list(&names)
}

/// `'a'`, `'a' and 'b'`, `'a', 'b' and 'c'`.
pub fn quoted_list<S: AsRef<str>>(names: &[S]) -> String {
    joined(names, "and")
}

/// Like [`quoted_list`] with another conjunction: `'a', 'b' or 'c'`.
pub fn joined<S: AsRef<str>>(names: &[S], conjunction: &str) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("'{}'", n.as_ref())).collect();
    match quoted.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} {conjunction} {last}", rest.join(", ")),
    }
}

/// A rule's check.
pub type Check = fn(&RuleContext) -> Vec<Finding>;

/// A rule of the registry: its identity and documentation, and its check
/// (`None` for the rules the loader and policy raise, RC4xx and RC5xx).
#[derive(Debug)]
pub struct Rule {
    /// Code, name, severity and documentation.
    pub meta: &'static RuleMeta,
    /// The check.
    pub check: Option<Check>,
}

impl std::ops::Deref for Rule {
    type Target = RuleMeta;
    fn deref(&self) -> &RuleMeta {
        self.meta
    }
}

/// A registry line for a rule that runs here: its module (with a `check`
/// function) and its metadata.
macro_rules! rule {
    ($module:ident, $meta:ident) => {
        Rule {
            meta: &$module::$meta,
            check: Some($module::check),
        }
    };
}

/// A registry line for a rule raised elsewhere (the loader, policy).
macro_rules! raised {
    ($meta:path) => {
        Rule {
            meta: &$meta,
            check: None,
        }
    };
}

mod admin_on_integration;
mod api_access_disabled;
pub mod build_without_build_access;
mod contradicted_attestation;
mod direct_grant;
pub mod drift;
mod excess_application_access;
mod excess_build_access;
mod excess_module;
mod excess_step_access;
mod expired_attestation;
mod extra_role_membership;
mod inactive_account_in_use;
mod integration_on_personal_account;
pub mod least_privilege;
mod missing_access;
mod missing_retry_on_401;
mod nonproduction_use_of_production_account;
mod not_assessed;
pub use not_assessed::{NOT_ASSESSED, undecided_rule};
mod role_shared_with_humans;
mod shared_account_across_teams;
mod shared_account_mixed_access;
mod stale_automation_account;
mod uncoordinated_token_issuance;
mod undocumented_owner;
mod unused_service_account;
pub mod waivers;

/// Every rule, in code order.
pub static REGISTRY: &[Rule] = &[
    rule!(admin_on_integration, ADMIN_ON_INTEGRATION),
    rule!(extra_role_membership, EXTRA_ROLE_MEMBERSHIP),
    rule!(api_access_disabled, API_ACCESS_DISABLED),
    rule!(build_without_build_access, BUILD_WITHOUT_BUILD_ACCESS),
    rule!(unused_service_account, UNUSED_SERVICE_ACCOUNT),
    rule!(role_shared_with_humans, ROLE_SHARED_WITH_HUMANS),
    rule!(direct_grant, DIRECT_GRANT),
    rule!(
        integration_on_personal_account,
        INTEGRATION_ON_PERSONAL_ACCOUNT
    ),
    rule!(inactive_account_in_use, INACTIVE_ACCOUNT_IN_USE),
    rule!(stale_automation_account, STALE_AUTOMATION_ACCOUNT),
    rule!(not_assessed, NOT_ASSESSED),
    rule!(missing_access, MISSING_ACCESS),
    rule!(excess_module, EXCESS_MODULE),
    rule!(excess_application_access, EXCESS_APPLICATION_ACCESS),
    rule!(excess_step_access, EXCESS_STEP_ACCESS),
    rule!(excess_build_access, EXCESS_BUILD_ACCESS),
    rule!(shared_account_across_teams, SHARED_ACCOUNT_ACROSS_TEAMS),
    rule!(shared_account_mixed_access, SHARED_ACCOUNT_MIXED_ACCESS),
    rule!(missing_retry_on_401, MISSING_RETRY_ON_401),
    rule!(uncoordinated_token_issuance, UNCOORDINATED_TOKEN_ISSUANCE),
    rule!(undocumented_owner, UNDOCUMENTED_OWNER),
    rule!(
        nonproduction_use_of_production_account,
        NONPRODUCTION_USE_OF_PRODUCTION_ACCOUNT
    ),
    raised!(crate::snapshot::integrity::INVALID_SNAPSHOT),
    raised!(crate::snapshot::integrity::UNKNOWN_REFERENCE),
    raised!(crate::snapshot::integrity::DUPLICATE_DEFINITION),
    raised!(crate::snapshot::integrity::UNKNOWN_MODULE),
    raised!(crate::snapshot::integrity::SECRET_IN_SNAPSHOT),
    raised!(waivers::EXPIRED_WAIVER),
    raised!(waivers::UNUSED_WAIVER),
    rule!(expired_attestation, EXPIRED_ATTESTATION),
    rule!(contradicted_attestation, CONTRADICTED_ATTESTATION),
    raised!(drift::ACCESS_ADDED),
    raised!(drift::ACCESS_REMOVED),
];

/// The rule with this code or name.
pub fn find(code_or_name: &str) -> Option<&'static RuleMeta> {
    REGISTRY
        .iter()
        .find(|r| r.code.eq_ignore_ascii_case(code_or_name) || r.name == code_or_name)
        .map(|r| r.meta)
}

/// A rule named on the command line or in configuration that does not exist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownRule(pub String);

impl std::fmt::Display for UnknownRule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "unknown rule '{}'", self.0)?;
        let names = REGISTRY.iter().flat_map(|r| [r.code, r.name]);
        match crate::suggest::closest(&self.0, names) {
            Some(c) => f.write_str(&crate::suggest::hint(Some(c))),
            None => write!(f, " (see 'rclint rules')"),
        }
    }
}

impl std::error::Error for UnknownRule {}

/// Looks a rule up by code or name, or says which one was meant.
pub fn lookup(code_or_name: &str) -> Result<&'static RuleMeta, UnknownRule> {
    find(code_or_name).ok_or_else(|| UnknownRule(code_or_name.to_string()))
}

/// Runs every rule that has a check.
pub fn run(cx: &RuleContext) -> Vec<Finding> {
    use rayon::prelude::*;
    // The rules are independent: they run on every core, and their
    // findings are kept in registry order.
    let found: Vec<Vec<Finding>> = REGISTRY
        .par_iter()
        .filter_map(|r| r.check)
        .map(|check| check(cx))
        .collect();
    let mut findings = Vec::with_capacity(found.iter().map(Vec::len).sum());
    findings.extend(found.into_iter().flatten());
    findings
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_names_existing_controls_and_every_control_has_a_rule() {
        use crate::diagnostic::Category;
        let catalog = crate::catalog::ControlCatalog::get();
        for control in &catalog.controls {
            assert!(
                !control.why.trim().is_empty(),
                "{} has no justification",
                control.id
            );
            assert!(
                REGISTRY
                    .iter()
                    .any(|r| r.controls.iter().any(|(id, _)| *id == control.id)),
                "no rule evidences {}",
                control.id
            );
        }
        for rule in REGISTRY {
            for (id, why) in rule.controls {
                assert!(
                    catalog.controls.iter().any(|c| c.id == *id),
                    "{} names unknown control {id}",
                    rule.code
                );
                assert!(why.len() > 20, "{} {id}: a reason is a sentence", rule.code);
            }
            // Integrity (RC401-RC404) says whether the evidence can be
            // trusted; drift is raised by `diff` and `pull --check`, never by
            // the run a report describes: neither evidences a control.
            let evidences = !rule.controls.is_empty();
            let expected = !matches!(rule.category, Category::Integrity | Category::Drift);
            assert_eq!(evidences, expected, "{} and controls", rule.code);
        }
    }
}

use super::RuleContext;
use crate::diagnostic::{Finding, Label, Subject, SubjectKind};

declare_rule! {
    /// ## What it checks
    /// An automation account that is active (`active` not false), has API
    /// access (`api_access = true`) and whose `last_login` is more than
    /// `stale_after_days` days (in `[rule_settings]` of `rclint.toml`;
    /// default 90) before the moment the access data describes: the
    /// import's `as-of` for a snapshot made by `rclint import` or `rclint
    /// pull`, else the day of the run (`--today`). An account with no
    /// `last_login` is not judged: Risk Cloud did not say. Subject: the
    /// user; no item.
    ///
    /// Its last activity is the newest of the user's `last_login` (from
    /// Risk Cloud's `lastLogin`, or the newest `LOGIN` access audit event).
    /// API tokens live about a year: an integration that reuses its token
    /// logs no login and no token event for months, so the finding is a
    /// warning to ask the owners, not proof that nothing runs.
    ///
    /// ## Why it matters
    /// Credentials that no integration has used for months are still live:
    /// whoever holds the Client and Secret can generate a token and act
    /// with the account's access, and nobody would notice a login that
    /// nothing expects. Integrations that are gone leave exactly this
    /// behind.
    ///
    /// ## Example
    /// ```toml
    /// [[user]]
    /// name = "svc-old-export"
    /// service_account = true
    /// api_access = true
    /// last_login = 2025-01-15T08:00:00Z   # ten months before the import
    /// ```
    ///
    /// ## Fix
    /// Find out whether an integration still needs the account (`rclint
    /// deps ACCOUNT`). If not, turn off its API access or deactivate it in
    /// Risk Cloud; if it runs rarely by design, raise `stale_after_days`.
    pub static STALE_AUTOMATION_ACCOUNT = ("RC110", "stale-automation-account", Warning, Account,
        "an active automation account with API access that has not logged in for a long time"),
        controls: &[
            ("CC6.2", "an automation account unused for months holds credentials that were never retired"),
            ("AC-2", "an account inactive beyond the configured period should be disabled (AC-2(3))"),
        ];
}

pub(super) fn check(cx: &RuleContext) -> Vec<Finding> {
    let as_of = cx.settings.as_of(cx.snapshot);
    let limit = i64::from(cx.settings.stale_after_days);
    let mut findings = Vec::new();
    for (_, user) in cx.automation_accounts() {
        let Some(last) = user.last_login() else {
            continue;
        };
        if !user.is_active() || !user.has_api_access() {
            continue;
        }
        let days = as_of.duration_since(last.value).as_secs() / 86_400;
        if days <= limit {
            continue;
        }
        let day = crate::time::format_day;
        findings.push(Finding::new(
            &STALE_AUTOMATION_ACCOUNT,
            Subject::new(SubjectKind::User, user.name.value.as_str()),
            Label::new(
                last.span,
                format!("last login, {days} days before {}", day(as_of)),
            ),
            format!(
                "automation account '{}' has API access and no recorded login or token event \
                 for {days} days (since {}, data as of {}): its credentials may be live and unused",
                user.name.value,
                day(last.value),
                day(as_of)
            ),
            format!(
                "API tokens live about a year, so an integration reusing one logs no event for \
                 months: ask its owners (rclint deps ACCOUNT) before acting; turn off its API \
                 access or deactivate it if no integration needs it, or raise [rule_settings] \
                 stale_after_days (now {limit}) if it runs that rarely"
            ),
        ));
    }
    findings
}

use super::{RuleContext, joined, on_shared_integration};
use crate::diagnostic::{Finding, Label};

declare_rule! {
    /// ## What it checks
    /// An integration on a shared account does not declare
    /// `retry_on_401 = true`.
    ///
    /// ## Why it matters
    /// All integrations of a shared account share one access token: when any
    /// of them regenerates it, every other one's next call answers 401. One
    /// that retries once, with the new token, recovers; one that does not
    /// fails until someone restarts it. Retry-once on 401 is a deployment gate
    /// for every integration on a shared account.
    ///
    /// ## Example
    /// ```toml
    /// [[integration]]
    /// name = "PagerDuty Sync"
    /// account = "svc-secops"
    /// retry_on_401 = true
    ///
    /// [[integration]]
    /// name = "Incident Bridge"
    /// account = "svc-secops"      # no retry_on_401
    /// ```
    ///
    /// ## Fix
    /// Make the integration retry once when a call answers 401 (fetching the
    /// current token first), and declare `retry_on_401 = true`; or give it its
    /// own account.
    pub static MISSING_RETRY_ON_401 = ("RC303", "missing-retry-on-401", Error, Sharing,
        "an integration on a shared account does not retry on 401"),
        controls: &[
            ("A.5.17", "an integration that does not retry after 401 breaks when a shared token is rotated"),
            ("IA-5", "authenticator rotation must not break integrations sharing the account"),
        ];
}

pub(super) fn check(cx: &RuleContext) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (_, user, integrations) in cx.shared_accounts() {
        for integration in integrations.iter().filter(|i| !i.retries_on_401()) {
            let others: Vec<&str> = integrations
                .iter()
                .filter(|o| o.name.value != integration.name.value)
                .map(|o| o.name.value.as_str())
                .collect();
            let primary = match &integration.retry_on_401 {
                Some(r) => Label::new(r.span, "does not retry on 401"),
                None => Label::new(integration.name.span, "no retry_on_401: it does not retry"),
            };
            let message = format!(
                "when {} regenerates the token of '{}', '{}' gets 401 and does not retry",
                joined(&others, "or"),
                user.name.value,
                integration.name.value
            );
            findings.push(on_shared_integration(
                &MISSING_RETRY_ON_401,
                integration,
                user,
                &integrations,
                primary,
                message,
                "retry once on 401 with the current token, and declare retry_on_401 = true",
            ));
        }
    }
    findings
}

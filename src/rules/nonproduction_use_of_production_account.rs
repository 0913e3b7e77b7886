use super::{RuleContext, integration_names, on_shared_account};
use crate::diagnostic::Finding;
use crate::snapshot::{Environment, Integration};

declare_rule! {
    /// ## What it checks
    /// An account used by a `production` integration (the default
    /// environment) is also used by an integration that runs in `staging`,
    /// `ci` or `development`.
    ///
    /// ## Why it matters
    /// A test run, a CI job or a developer's machine that generates a token
    /// with the production account's credentials invalidates the token the
    /// production integrations are using, and those credentials now live in
    /// places with weaker protection than production's secret store.
    ///
    /// ## Example
    /// ```toml
    /// [[integration]]
    /// name = "Risk Sync"
    /// account = "svc-risk-sync"
    ///
    /// [[integration]]
    /// name = "Risk Sync (staging)"
    /// account = "svc-risk-sync"
    /// environment = "staging"
    /// ```
    ///
    /// ## Fix
    /// Give non-production environments their own service account (and their
    /// own credentials); never use production credentials from CI or a
    /// developer machine.
    pub static NONPRODUCTION_USE_OF_PRODUCTION_ACCOUNT = ("RC306", "nonproduction-use-of-production-account", Error, Sharing,
        "a production account is also used outside production"),
        controls: &[
            ("A.5.16", "one identity shared across environments is not unique to one integration"),
            ("A.5.17", "production credentials used outside production expose them beyond their environment"),
            ("AC-2", "an account shared across environments is managed as one where it should be several"),
            ("IA-5", "production authenticators used outside production are not protected by their environment"),
        ];
}

pub(super) fn check(cx: &RuleContext) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (_, user, integrations) in cx.shared_accounts() {
        let (production, other): (Vec<&Integration>, Vec<&Integration>) = integrations
            .iter()
            .partition(|i| i.environment() == Environment::Production);
        if production.is_empty() || other.is_empty() {
            continue;
        }
        let message = format!(
            "production account '{}' is also used by {} outside production: a test run can invalidate the production token of {}",
            user.name.value,
            integration_names(&other),
            integration_names(&production)
        );
        let describe =
            |i: &Integration| format!("'{}' runs in {}", i.name.value, i.environment().as_str());
        findings.push(on_shared_account(
            &NONPRODUCTION_USE_OF_PRODUCTION_ACCOUNT,
            user,
            &integrations,
            &describe,
            message,
            "give non-production environments their own service account and credentials",
        ));
    }
    findings
}

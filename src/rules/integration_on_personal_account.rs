use super::{RuleContext, on_integration_account};
use crate::diagnostic::Finding;

declare_rule! {
    /// ## What it checks
    /// An integration's `account` is a user with `service_account = false`
    /// (or left out), and the integration does not declare
    /// `on_behalf_of_users = true`.
    ///
    /// ## Why it matters
    /// A personal account couples the integration to one person: when that
    /// person generates a token from another tool, the integration's token is
    /// invalidated; when they leave and the account is disabled, its tokens
    /// are deleted and the integration breaks. Third parties who build the
    /// integration also get an employee's credentials.
    ///
    /// ## Example
    /// ```toml
    /// [[user]]
    /// name = "dana@acme.example"
    ///
    /// [[integration]]
    /// name = "Risk Sync"
    /// account = "dana@acme.example"
    /// ```
    ///
    /// ## Fix
    /// Create a service account for the integration (`service_account =
    /// true`) with a dedicated role. An integration that really acts for
    /// specific people with their own credentials declares
    /// `on_behalf_of_users = true`.
    pub static INTEGRATION_ON_PERSONAL_ACCOUNT = ("RC108", "integration-on-personal-account", Error, Account,
        "an integration runs under a personal user account"),
        controls: &[
            ("CC6.2", "an integration on a personal account ties system access to a person's registration"),
            ("A.5.16", "an integration without its own identity borrows a person's"),
            ("AC-2", "an integration on a personal account uses the wrong account type"),
        ];
}

pub(super) fn check(cx: &RuleContext) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (integration, user) in cx.integrations_with_accounts() {
        let on_behalf = integration
            .on_behalf_of_users
            .as_ref()
            .is_some_and(|v| v.value);
        if user.is_service_account() || on_behalf {
            continue;
        }
        let message = format!(
            "integration '{}' runs on personal account '{}'",
            integration.name.value, user.name.value
        );
        findings.push(
            on_integration_account(
                &INTEGRATION_ON_PERSONAL_ACCOUNT,
                integration,
                user,
                "a personal account",
                message,
                "create a service account (service_account = true) with a dedicated role for the \
                 integration, or declare on_behalf_of_users = true if it acts for its users",
            )
            .with_related(user.name.span, "not a service account"),
        );
    }
    findings
}

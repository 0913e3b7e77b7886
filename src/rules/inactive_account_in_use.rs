use super::{RuleContext, on_integration_account};
use crate::diagnostic::Finding;

declare_rule! {
    /// ## What it checks
    /// An integration's `account` is a user with `active = false`.
    ///
    /// ## Why it matters
    /// Disabling a user deletes its tokens: every call the integration makes
    /// fails, and it cannot generate a new token. The integration is broken
    /// now, or will be at its next deployment.
    ///
    /// ## Example
    /// ```toml
    /// [[user]]
    /// name = "svc-risk-sync"
    /// service_account = true
    /// active = false
    ///
    /// [[integration]]
    /// name = "Risk Sync"
    /// account = "svc-risk-sync"
    /// ```
    ///
    /// ## Fix
    /// Reactivate the account, or move the integration to an active service
    /// account (and retire the integration if it is no longer used).
    pub static INACTIVE_ACCOUNT_IN_USE = ("RC109", "inactive-account-in-use", Error, Account,
        "an integration runs under a deactivated account"),
        controls: &[
            ("CC6.2", "an integration on a deactivated account shows a removal that was not followed through"),
            ("A.5.16", "an integration on a deactivated identity shows the life cycle was not followed"),
            ("AC-2", "an integration on a disabled account shows account management and use disagree"),
        ];
}

pub(super) fn check(cx: &RuleContext) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (integration, user) in cx.integrations_with_accounts() {
        let Some(active) = user.active.as_ref().filter(|a| !a.value) else {
            continue;
        };
        let message = format!(
            "integration '{}' uses inactive account '{}': its tokens were deleted and every call fails",
            integration.name.value, user.name.value
        );
        findings.push(
            on_integration_account(
                &INACTIVE_ACCOUNT_IN_USE,
                integration,
                user,
                "an inactive account",
                message,
                "reactivate the account, or move the integration to an active service account",
            )
            .with_related(active.span, "deactivated here"),
        );
    }
    findings
}

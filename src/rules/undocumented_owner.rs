use super::{RuleContext, on_shared_integration};
use crate::diagnostic::{Finding, Label};

declare_rule! {
    /// ## What it checks
    /// An integration on a shared account has no `owner`.
    ///
    /// ## Why it matters
    /// Before rotating a shared account's Client Secret, an on-call engineer
    /// must know everyone who depends on it (`rclint deps ACCOUNT` lists
    /// them). An integration without an owner is the one nobody warns: it
    /// breaks at the next rotation and nobody knows whom to call.
    ///
    /// ## Example
    /// ```toml
    /// [[integration]]
    /// name = "Incident Bridge"
    /// account = "svc-secops"
    /// team = "Security Operations"
    /// # no owner
    /// ```
    ///
    /// ## Fix
    /// Declare `owner`: the on-call contact to ask before the account's
    /// credentials are rotated.
    pub static UNDOCUMENTED_OWNER = ("RC305", "undocumented-owner", Warning, Sharing,
        "an integration on a shared account has no owner"),
        controls: &[
            ("CC6.2", "without an owner, nobody is accountable for issuing or retiring the shared credentials"),
            ("AC-2", "an account without an owner has no one to manage it"),
        ];
}

pub(super) fn check(cx: &RuleContext) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (_, user, integrations) in cx.shared_accounts() {
        for integration in integrations.iter().filter(|i| i.owner.is_none()) {
            let message = format!(
                "integration '{}' on shared account '{}' has no owner: nobody can be warned before its secret is rotated",
                integration.name.value, user.name.value
            );
            findings.push(on_shared_integration(
                &UNDOCUMENTED_OWNER,
                integration,
                user,
                &integrations,
                Label::new(integration.name.span, "no owner"),
                message,
                "declare owner: the on-call contact to ask before rotating the account's credentials",
            ));
        }
    }
    findings
}

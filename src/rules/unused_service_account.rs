use super::{RuleContext, trace};
use crate::diagnostic::{Finding, Label, Subject, SubjectKind};

declare_rule! {
    /// ## What it checks
    /// A user with `service_account = true`, `active = true` (the default)
    /// and `api_access = true` that no integration names as its `account`.
    ///
    /// ## Why it matters
    /// Live credentials that nobody owns: whoever holds its Client and Secret
    /// can call the API with the account's permissions, and nobody will
    /// notice a leak or rotate them. Often a leftover of a retired
    /// integration, or an integration whose intent was never declared.
    ///
    /// ## Example
    /// ```toml
    /// [[user]]
    /// name = "svc-old-export"
    /// service_account = true
    /// api_access = true
    /// # no [[integration]] has account = "svc-old-export"
    /// ```
    ///
    /// ## Fix
    /// Declare the integration that uses the account, or turn off its API
    /// access and deactivate it.
    pub static UNUSED_SERVICE_ACCOUNT = ("RC105", "unused-service-account", Warning, Account,
        "a service account with live API access that no integration uses"),
        controls: &[
            ("CC6.2", "a service account with live API access and no integration is a registered identity nobody retired"),
            ("A.5.16", "an identity that lives on after its integration is gone is not managed through its life cycle"),
            ("AC-2", "an account with live access and no integration was not disabled when no longer required"),
        ];
}

pub(super) fn check(cx: &RuleContext) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (u, user) in cx.automation_accounts() {
        if !user.is_service_account()
            || !user.is_active()
            || !user.has_api_access()
            || cx.integrations_of(u).next().is_some()
        {
            continue;
        }
        let mut finding = Finding::new(
            &UNUSED_SERVICE_ACCOUNT,
            Subject::new(SubjectKind::User, user.name.value.as_str()),
            Label::new(user.name.span, "no integration uses this account"),
            format!(
                "service account '{}' has live API access but no integration uses it",
                user.name.value
            ),
            "declare the integration that uses it, or set api_access = false and active = false",
        );
        finding.trace = trace(&[
            format!("user {}", user.name.value),
            "api_access on".to_string(),
        ]);
        if let Some(api) = &user.api_access {
            finding
                .related
                .push(Label::new(api.span, "API access turned on here"));
        }
        findings.push(finding);
    }
    findings
}

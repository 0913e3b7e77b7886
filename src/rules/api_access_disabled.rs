use super::{RuleContext, quoted_list, trace};
use crate::diagnostic::{Finding, Label, Subject, SubjectKind};

declare_rule! {
    /// ## What it checks
    /// An automation account that at least one integration uses has
    /// `api_access = false`, or leaves `api_access` out (it is off by
    /// default).
    ///
    /// Where the export does not carry the toggle (`unknown =
    /// ["api_access"]`, written by `rclint import`) and no attestation
    /// supplies it, this rule does not guess: not-assessed (RC111) reports
    /// it instead.
    ///
    /// ## Why it matters
    /// The API access toggle gates every call: with it off, every request the
    /// integration makes answers 401, whatever roles and entitlements the
    /// account holds. It is a one-click setting that is easy to overlook when
    /// a service account is provisioned.
    ///
    /// ## Example
    /// ```toml
    /// [[user]]
    /// name = "svc-risk-sync"
    /// service_account = true
    /// roles = ["Integration: Risk Sync"]
    /// # api_access left out: off
    ///
    /// [[integration]]
    /// name = "Risk Sync"
    /// account = "svc-risk-sync"
    /// ```
    ///
    /// ## Fix
    /// Turn on API access for the account (`api_access = true`).
    pub static API_ACCESS_DISABLED = ("RC103", "api-access-disabled", Error, Account,
        "an automation account used by an integration has API access turned off"),
        verdict: Missing,
        controls: &[
            ("A.5.18", "API access off on an account in use is a provisioning error"),
            ("AC-2", "an account in use with API access off was not enabled as its type requires"),
        ];
}

pub(super) fn check(cx: &RuleContext) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (u, user) in cx.accounts_in_use() {
        // Unknown is not off: not-assessed (RC111) says so instead.
        if user.has_api_access() || user.is_unknown("api_access") {
            continue;
        }
        let (span, label) = match &user.api_access {
            Some(v) => (v.span, "API access turned off here"),
            None => (user.name.span, "no api_access: off by default"),
        };
        let users: Vec<&str> = cx
            .integrations_of(u)
            .map(|i| i.name.value.as_str())
            .collect();
        let message = format!(
            "automation account '{}' has API access turned off: every call of {} answers 401",
            user.name.value,
            quoted_list(&users)
        );
        let mut finding = Finding::new(
            &API_ACCESS_DISABLED,
            Subject::new(SubjectKind::User, user.name.value.as_str()),
            Label::new(span, label),
            message,
            "set api_access = true on the account (the user's API access toggle)",
        )
        .with_item("api_access");
        if let Some(first) = cx.integrations_of(u).next() {
            finding.trace = trace(&[
                format!("integration {}", first.name.value),
                format!("user {}", user.name.value),
                "api_access off".to_string(),
            ]);
        }
        for integration in cx.integrations_of(u) {
            finding.related.push(Label::new(
                integration.account.span,
                format!("used by integration '{}' here", integration.name.value),
            ));
        }
        findings.push(finding);
    }
    findings
}

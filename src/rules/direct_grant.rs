use super::{RuleContext, trace};
use crate::diagnostic::{Finding, Label, Subject, SubjectKind};

declare_rule! {
    /// ## What it checks
    /// An automation account holds an Application Entitlement
    /// (`applications` on the user) or a permission set (`permission_sets`
    /// on the user) directly, not through a role. One finding per direct
    /// grant.
    ///
    /// ## Why it matters
    /// A dedicated role is where an integration's permissions are reviewed.
    /// Grants made on the user are easy to miss in that review, outlive the
    /// role when it is cleaned up, and do not show when the role's
    /// permissions are compared with what the integration needs.
    ///
    /// ## Example
    /// ```toml
    /// [[user]]
    /// name = "svc-risk-sync"
    /// service_account = true
    /// roles = ["Integration: Risk Sync"]
    /// applications = { "Vendor Risk" = "edit" }
    /// ```
    ///
    /// ## Fix
    /// Move the grant into the account's dedicated role and remove it from
    /// the user.
    pub static DIRECT_GRANT = ("RC107", "direct-grant", Warning, Account,
        "an automation account holds an entitlement or permission set directly"),
        controls: &[
            ("CC6.1", "a grant held outside a role escapes the role-based restriction the tenant is audited on"),
            ("A.5.18", "a grant outside the reviewed role escapes access-rights review"),
            ("AC-6", "a direct grant adds privilege outside the reviewed role"),
        ];
}

pub(super) fn check(cx: &RuleContext) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (_, user) in cx.automation_accounts() {
        let subject = Subject::new(SubjectKind::User, user.name.value.as_str());
        for entry in &user.applications {
            let app = &entry.target.value;
            findings.push(
                Finding::new(
                    &DIRECT_GRANT,
                    subject.clone(),
                    Label::new(entry.target.span, "granted on the user, not through a role"),
                    format!(
                        "automation account '{}' holds {} on application '{app}' directly, not through a role",
                        user.name.value, entry.level.value
                    ),
                    format!("move the entitlement on '{app}' into the account's dedicated role"),
                )
                .with_item(format!("application:{app}"))
                .with_trace(trace(&[format!("user {}", user.name.value), format!("application {app}")])),
            );
        }
        for set in &user.permission_sets {
            findings.push(
                Finding::new(
                    &DIRECT_GRANT,
                    subject.clone(),
                    Label::new(set.span, "held by the user, not through a role"),
                    format!(
                        "automation account '{}' holds permission set '{}' directly, not through a role",
                        user.name.value, set.value
                    ),
                    format!("attach '{}' to the account's dedicated role instead", set.value),
                )
                .with_item(format!("permission_set:{}", set.value))
                .with_trace(trace(&[
                    format!("user {}", user.name.value),
                    format!("permission set {}", set.value),
                ])),
            );
        }
    }
    findings
}

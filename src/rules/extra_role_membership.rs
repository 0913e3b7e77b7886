use super::least_privilege::describe;
use super::{RuleContext, quoted_list};
use crate::diagnostic::{Finding, Hop, Label, Subject, SubjectKind};

declare_rule! {
    /// ## What it checks
    /// An automation account used by at least one integration is a member of
    /// a role that provides nothing in the account's minimal grant (what its
    /// integrations' declared intents need). One finding per such role, at
    /// the membership entry; the message lists what the role brings.
    ///
    /// ## Why it matters
    /// Every role membership leaks the role's permissions to the integration:
    /// "Everyone" or "Risk Analysts" give a service account access no
    /// integration asked for, and the account then changes whenever the
    /// people's role does. The excess grants such a role brings are reported
    /// here only, not again as RC202–RC205.
    ///
    /// ## Example
    /// ```toml
    /// [[user]]
    /// name = "svc-risk-sync"
    /// service_account = true
    /// roles = ["Integration: Risk Sync", "Everyone"]   # Everyone: not needed
    /// ```
    ///
    /// ## Fix
    /// Remove the account from the role. If the role does hold something the
    /// integration needs, declare that intent, or move the grant into the
    /// account's dedicated role.
    pub static EXTRA_ROLE_MEMBERSHIP = ("RC102", "extra-role-membership", Error, Account,
        "an integration's account is in a role that provides nothing it needs"),
        controls: &[
            ("CC6.3", "membership in a role that provides nothing needed is access not based on the integration's role"),
            ("A.5.15", "an unneeded role membership breaks the access-control rule the intents state"),
            ("A.5.18", "a role membership nothing needs is an access right that review should have removed"),
            ("AC-6", "a role that provides nothing needed is privilege beyond least privilege"),
        ];
}

pub(super) fn check(cx: &RuleContext) -> Vec<Finding> {
    let mut findings = Vec::new();
    let model = &cx.snapshot.model;
    for (u, user) in cx.accounts_in_use() {
        let Some(review) = cx.review(u) else { continue };
        for &(r, span) in &review.extra_roles {
            let role = &model.roles[r];
            let brings: Vec<String> = cx
                .access(u)
                .iter()
                .filter_map(|(grant, paths)| {
                    let via: Vec<_> = paths
                        .iter()
                        .filter(|p| p.role() == Some(r) && !p.via_admin)
                        .collect();
                    let level = via.iter().map(|p| p.level).max()?;
                    Some(describe(grant, level))
                })
                .collect();
            let what = if brings.is_empty() {
                "it brings nothing".to_string()
            } else {
                format!("it brings {}", brings.join(", "))
            };
            let integrations: Vec<&str> = cx
                .integrations_of(u)
                .map(|i| i.name.value.as_str())
                .collect();
            findings.push(
                Finding::new(
                    &EXTRA_ROLE_MEMBERSHIP,
                    Subject::new(SubjectKind::User, user.name.value.as_str()),
                    Label::new(span, "membership not needed"),
                    format!(
                        "account '{}' is a member of role '{}', which provides nothing {} needs: {what}",
                        user.name.value,
                        role.name.value,
                        quoted_list(&integrations)
                    ),
                    format!("remove '{}' from the account's roles", role.name.value),
                )
                .with_item(format!("role:{}", role.name.value))
                .with_related(role.name.span, "role defined here")
                .with_trace(vec![
                    Hop {
                        label: format!("user {}", user.name.value),
                        span: None,
                    },
                    Hop {
                        label: format!("role {}", role.name.value),
                        span: Some(span),
                    },
                ]),
            );
        }
    }
    findings
}

use super::{RuleContext, quoted_list, trace};

/// How many members a finding names before it counts the rest.
const SHOWN: usize = 5;

/// `'a', 'b', 'c'`.
fn joined_with_commas(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("'{n}'"))
        .collect::<Vec<_>>()
        .join(", ")
}
use crate::diagnostic::{Finding, Label, Subject, SubjectKind};

declare_rule! {
    /// ## What it checks
    /// A role held by an automation account is also held by a human user (a
    /// user that is not an automation account). The message names the first
    /// five members of each kind and counts the rest; every automation
    /// account's membership is labelled.
    ///
    /// ## Why it matters
    /// A dedicated role ("Integration: Risk Sync") makes an integration's
    /// permissions auditable in one place. Once people share it, a change made
    /// for them silently widens the integration's access, and a change made
    /// for the integration changes what people can do.
    ///
    /// ## Example
    /// ```toml
    /// [[user]]
    /// name = "svc-risk-sync"
    /// service_account = true
    /// roles = ["Risk Analysts"]
    ///
    /// [[user]]
    /// name = "dana@acme.example"
    /// roles = ["Risk Analysts"]
    /// ```
    ///
    /// ## Fix
    /// Give the integration a dedicated role (`rclint derive` proposes one)
    /// and keep human users out of it.
    pub static ROLE_SHARED_WITH_HUMANS = ("RC106", "role-shared-with-humans", Warning, Account,
        "a role held by an automation account is also held by human users"),
        controls: &[
            ("CC6.3", "a role shared with people no longer describes the integration alone, so changing it changes both"),
            ("AC-6", "a role shared with people grants the integration what people need"),
        ];
}

pub(super) fn check(cx: &RuleContext) -> Vec<Finding> {
    let mut findings = Vec::new();
    let model = &cx.snapshot.model;
    // Only roles that some automation account holds can be shared with
    // people; their members are gathered in one pass over the memberships.
    let mut members: Vec<Option<Vec<(usize, crate::source::Span)>>> = vec![None; model.roles.len()];
    for (_, user) in cx.automation_accounts() {
        for name in &user.roles {
            if let Some(r) = cx.snapshot.role_named(&name.value) {
                members[r] = Some(Vec::new());
            }
        }
    }
    for (u, r, span) in cx.graph.memberships() {
        if let Some(Some(list)) = members.get_mut(r) {
            list.push((u, span));
        }
    }
    for (r, members) in members.into_iter().enumerate() {
        let Some(mut members) = members else { continue };
        members.sort();
        let role = &model.roles[r];
        let (accounts, humans): (Vec<_>, Vec<_>) = members
            .iter()
            .partition(|(u, _)| cx.graph.is_automation(cx.snapshot, *u));
        if accounts.is_empty() || humans.is_empty() {
            continue;
        }
        // A role of thousands of people is named by its first few.
        let names = |list: &[&(usize, crate::source::Span)]| -> String {
            let shown: Vec<&str> = list
                .iter()
                .take(SHOWN)
                .map(|(u, _)| model.users[*u].name.value.as_str())
                .collect();
            match list.len().saturating_sub(SHOWN) {
                0 => quoted_list(&shown),
                more => format!("{} and {more} more", joined_with_commas(&shown)),
            }
        };
        let message = format!(
            "role '{}' is held by automation account{} {} and by human user{} {}",
            role.name.value,
            if accounts.len() == 1 { "" } else { "s" },
            names(&accounts),
            if humans.len() == 1 { "" } else { "s" },
            names(&humans)
        );
        let mut finding = Finding::new(
            &ROLE_SHARED_WITH_HUMANS,
            Subject::new(SubjectKind::Role, role.name.value.as_str()),
            Label::new(role.name.span, "role shared by integrations and people"),
            message,
            "give each integration a dedicated role and keep human users out of it",
        );
        finding.trace = trace(&[
            format!("user {}", model.users[accounts[0].0].name.value),
            format!("role {}", role.name.value),
            format!("user {}", model.users[humans[0].0].name.value),
        ]);
        // Every automation account's membership, and the first people's.
        let labelled = accounts
            .iter()
            .map(|m| (m, "automation account"))
            .chain(humans.iter().take(SHOWN).map(|m| (m, "human user")));
        for ((u, span), kind) in labelled {
            finding.related.push(Label::new(
                *span,
                format!("held by {kind} '{}' here", model.users[*u].name.value),
            ));
        }
        findings.push(finding);
    }
    findings
}

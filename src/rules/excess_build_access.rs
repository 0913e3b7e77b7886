use super::{RuleContext, trace};
use crate::diagnostic::{Finding, Label, Subject, SubjectKind};
use crate::graph::Grant;

declare_rule! {
    /// ## What it checks
    /// An account used by at least one integration is on a restricted
    /// application's `build_access` list, and no `modify-design` intent of its
    /// integrations names that application.
    ///
    /// ## Why it matters
    /// Build Access lets the account change the application's workflows,
    /// steps and fields: a design change made by an integration that was
    /// never meant to make one breaks every other integration and report that
    /// depends on that design.
    ///
    /// ## Example
    /// ```toml
    /// [[application]]
    /// name = "Vendor Risk"
    /// restrict_build_access = true
    /// build_access = { "svc-risk-sync" = "edit" }   # Risk Sync only writes records
    /// ```
    ///
    /// ## Fix
    /// Remove the account from the application's `build_access`.
    pub static EXCESS_BUILD_ACCESS = ("RC205", "excess-build-access", Warning, LeastPrivilege,
        "an account is on a Build Access list its intents do not need"),
        controls: &[
            ("CC6.3", "Build Access no modify-design intent names is privilege the role does not require"),
            ("A.5.15", "unneeded Build Access breaks the access-control rule the intents state"),
            ("A.5.18", "unneeded Build Access is an access right that review should have removed"),
            ("A.8.2", "Build Access on a restricted application is a privileged right an intent must justify"),
            ("AC-6", "Build Access beyond the declared intent is privilege beyond least privilege"),
            ("AC-6(5)", "Build Access is a privileged right restricted to modify-design intents"),
        ];
}

pub(super) fn check(cx: &RuleContext) -> Vec<Finding> {
    let mut findings = Vec::new();
    let apps = &cx.snapshot.model.applications;
    for (u, user) in cx.accounts_in_use() {
        for &(a, _, span) in cx.graph.build_entries(u) {
            let app = &apps[a];
            let grant = Grant::Build(app.name.value.to_string());
            if !app.is_restricted() || cx.minimal(u).level(&grant).is_some() {
                continue;
            }
            findings.push(
                Finding::new(
                    &EXCESS_BUILD_ACCESS,
                    Subject::new(SubjectKind::User, user.name.value.as_str()),
                    Label::new(span, "on the build access list"),
                    format!(
                        "account '{}' is on the build access list of '{}', and no modify-design intent names it",
                        user.name.value, app.name.value
                    ),
                    format!("remove '{}' from the build_access of '{}'", user.name.value, app.name.value),
                )
                .with_item(grant.to_string())
                .with_related(app.name.span, "application defined here")
                .with_trace(trace(&[
                    format!("user {}", user.name.value),
                    format!("build access on {}", app.name.value),
                ])),
            );
        }
    }
    findings
}

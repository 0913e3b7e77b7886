use super::{RuleContext, quoted_list};
use crate::diagnostic::{Finding, Label, Subject, SubjectKind};
use crate::graph::Grant;
use crate::snapshot::Application;

declare_rule! {
    /// ## What it checks
    /// A decision of another rule rests on a fact that nobody has said:
    /// the Risk Cloud export does not carry it (`rclint import` writes it
    /// as `unknown`) and no valid `[[attestation]]` supplies it. One
    /// finding per automation account and fact, subject the user:
    ///
    /// - item `api_access`: an account an integration uses, whose API
    ///   access toggle is unknown (api-access-disabled, RC103, would decide);
    /// - item `build_access`: an account that holds BUILD, is on no known
    ///   restricted Build Access list, while some restricted application's
    ///   list is unknown (build-without-build-access, RC104, would decide);
    /// - item `build:APP`: a `modify-design` intent needs Build Access on a
    ///   restricted application whose list is unknown (missing-access,
    ///   RC201, would decide).
    ///
    /// ## Why it matters
    /// Unknown is neither off nor on. Reading it as off would flag every
    /// imported account as broken, and a team would turn the rule off; then
    /// a real disabled account passes. Reading it as on would pass real
    /// defects. rclint says what it could not decide, and how to supply
    /// the fact. Severity is warning; a team that wants the gate to fail
    /// closed sets `not-assessed = "error"` in `[rules]`.
    ///
    /// ## Example
    /// ```toml
    /// [[user]]
    /// name = "svc-risk-sync"
    /// service_account = true
    /// unknown = ["api_access"]   # the export does not carry it
    ///
    /// [[integration]]
    /// name = "Risk Sync"
    /// account = "svc-risk-sync"
    /// ```
    ///
    /// ## Fix
    /// Look in Risk Cloud and attest what you saw, in a reviewed file:
    ///
    /// ```toml
    /// [[attestation]]
    /// user = "svc-risk-sync"
    /// api_access = true
    /// by = "jane.doe@acme.example"
    /// on = 2026-11-30
    /// evidence = "CHG-1234: screenshot of the user's API access toggle"
    /// ```
    ///
    /// or, where your export does carry the field under another name, map
    /// it in `[import] api_access`.
    pub static NOT_ASSESSED = ("RC111", "not-assessed", Warning, Account,
        "a decision rests on a fact the export does not carry and nobody attested"),
        controls: &[("A.5.18", "an access right the review rests on is not known, so it was not reviewed")];
}

/// The rule a not-assessed finding with `item` says could not decide:
/// RC103 for `api_access`, RC104 for `build_access`, RC201 for `build:APP`
/// and `application:APP`.
pub fn undecided_rule(item: &str) -> Option<&'static str> {
    match item {
        "api_access" => Some(super::api_access_disabled::API_ACCESS_DISABLED.code),
        "build_access" => Some(super::build_without_build_access::BUILD_WITHOUT_BUILD_ACCESS.code),
        _ if item.starts_with("build:") || item.starts_with("application:") => {
            Some(super::missing_access::MISSING_ACCESS.code)
        }
        _ => None,
    }
}

pub(super) fn check(cx: &RuleContext) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (u, user) in cx.accounts_in_use() {
        if user.is_unknown("api_access") {
            let users: Vec<&str> = cx
                .integrations_of(u)
                .map(|i| i.name.value.as_str())
                .collect();
            let span = user
                .unknown
                .iter()
                .find(|k| k.value == "api_access")
                .map_or(user.name.span, |k| k.span);
            findings.push(
                Finding::new(
                    &NOT_ASSESSED,
                    Subject::new(SubjectKind::User, user.name.value.as_str()),
                    Label::new(span, "not exported"),
                    format!(
                        "the API access of automation account '{}' (used by {}) is not \
                         assessed: the export does not carry it, so api-access-disabled (RC103) \
                         cannot decide",
                        user.name.value,
                        quoted_list(&users)
                    ),
                    format!(
                        "attest it: [[attestation]] with user = \"{}\", api_access = true or \
                         false, by, on and evidence; or map the export's field in [import] \
                         api_access",
                        user.name.value
                    ),
                )
                .with_item("api_access"),
            );
        }
    }
    let unknown: Vec<&str> = cx
        .unknown_build_lists()
        .map(|a| a.name.value.as_str())
        .collect();
    // Where each application says its list is unknown.
    let marked = |app: &Application| {
        let at = app.unknown.iter().find(|k| k.value == "build_access");
        Label::new(
            at.map_or(app.name.span, |k| k.span),
            format!(
                "the Build Access list of '{}' is not exported",
                app.name.value
            ),
        )
    };
    for (u, user) in cx.accounts_in_use() {
        if !cx.applications_unknown(u) {
            continue;
        }
        for diff in cx.diffs(u).iter().filter(|d| d.is_missing()) {
            let Grant::Application(app) = &diff.grant else {
                continue;
            };
            findings.push(
                Finding::new(
                    &NOT_ASSESSED,
                    Subject::new(SubjectKind::User, user.name.value.as_str()),
                    Label::new(user.name.span, "Application Entitlements not exported"),
                    format!(
                        "whether automation account '{}' holds the Application Entitlement on \
                         '{app}' its intents need is not assessed: the export does not carry \
                         its Application Entitlements (or its roles'), so missing-access \
                         (RC201) cannot decide",
                        user.name.value
                    ),
                    format!(
                        "attest what Risk Cloud shows: [[attestation]] with user (or role) = \
                         NAME, applications = {{ \"{app}\" = \"read\" | \"edit\", ... }}, by, \
                         on and evidence"
                    ),
                )
                .with_item(diff.grant.to_string()),
            );
        }
    }
    for (u, user) in cx.automation_accounts() {
        let build = cx.access(u).explicit_module_paths("BUILD");
        if !unknown.is_empty() && !build.is_empty() && !cx.on_restricted_build_list(u) {
            let mut finding = Finding::new(
                &NOT_ASSESSED,
                Subject::new(SubjectKind::User, user.name.value.as_str()),
                Label::new(user.name.span, "holds BUILD"),
                format!(
                    "whether automation account '{}', which holds BUILD, has Build Access \
                         is not assessed: the Build Access lists of {} are not exported, so \
                         build-without-build-access (RC104) cannot decide",
                    user.name.value,
                    quoted_list(&unknown)
                ),
                "attest each list: [[attestation]] with application = NAME, build_access = \
                     { ACCOUNT = \"read\" | \"edit\" }, by, on and evidence",
            )
            .with_item("build_access");
            finding.related.extend(cx.unknown_build_lists().map(marked));
            findings.push(finding);
        }
        for diff in cx.diffs(u).iter().filter(|d| d.is_missing()) {
            let Grant::Build(app) = &diff.grant else {
                continue;
            };
            if !cx.build_list_unknown(app) {
                continue;
            }
            let mut finding = Finding::new(
                &NOT_ASSESSED,
                Subject::new(SubjectKind::User, user.name.value.as_str()),
                Label::new(user.name.span, "needs Build Access"),
                format!(
                    "whether automation account '{}' has the Build Access on '{app}' its \
                         modify-design intent needs is not assessed: the application's Build \
                         Access list is not exported, so missing-access (RC201) cannot decide",
                    user.name.value
                ),
                format!(
                    "attest the list: [[attestation]] with application = \"{app}\", \
                         build_access = {{ ... }}, by, on and evidence"
                ),
            )
            .with_item(diff.grant.to_string());
            let apps = &cx.snapshot.model.applications;
            finding
                .related
                .extend(cx.snapshot.application_named(app).map(|a| marked(&apps[a])));
            findings.push(finding);
        }
    }
    findings
}

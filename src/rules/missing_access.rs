use super::least_privilege::describe;
use super::{RuleContext, trace};
use crate::catalog::ModuleCatalog;
use crate::diagnostic::{Finding, Label, Subject, SubjectKind};
use crate::graph::Grant;
use crate::snapshot::Level;

declare_rule! {
    /// ## What it checks
    /// An account's effective access lacks something its minimal grant needs:
    /// a module, an Application Entitlement (or Edit where it holds only
    /// Read), access to a step (or Edit where it holds only Read), or Build
    /// Access. One finding per missing grant, naming the integration and
    /// intent that need it and what happens without it. Missing API access is
    /// RC103's.
    ///
    /// ## Why it matters
    /// The integration fails in production: 403 on the module's endpoints,
    /// an application that looks empty, a step whose records it never sees.
    /// Risk Cloud does not say which permission is missing; rclint does,
    /// before the deployment.
    ///
    /// ## Example
    /// ```toml
    /// [[role]]
    /// name = "Integration: Risk Sync"
    /// applications = { "Vendor Risk" = "edit" }   # no RECORDS module
    ///
    /// [[integration.intent]]
    /// action = "create-records"
    /// workflow = "Vendor Risk/Assessment"
    /// ```
    ///
    /// ## Fix
    /// Grant what is missing through the account's dedicated role (`rclint
    /// derive` prints the whole minimal grant as a role to commit).
    pub static MISSING_ACCESS = ("RC201", "missing-access", Error, LeastPrivilege,
        "an account lacks access its integrations' declared intents need"),
        verdict: Missing,
        controls: &[
            ("CC6.1", "missing access shows the restriction model does not match what the integration is declared to do"),
            ("A.5.15", "access the intent needs and the account lacks shows rule and grant disagree"),
        ];
}

/// What an integration sees without the grant (or with only `held`).
fn consequence(grant: &Grant, held: Option<Level>) -> String {
    match (grant, held) {
        (Grant::Module(m), _) => ModuleCatalog::get().without(m).to_string(),
        (Grant::Application(a), None) => format!("it sees nothing in '{a}'"),
        (Grant::Application(a), Some(_)) => format!("403 on every change it makes in '{a}'"),
        (Grant::Step(_), None) => "it sees no records at that step".to_string(),
        (Grant::Step(_), Some(_)) => "403 when it changes records at that step".to_string(),
        (Grant::Build(a), None) => format!("403 on build endpoints for '{a}'"),
        (Grant::Build(a), Some(_)) => format!("it can view but not change the design of '{a}'"),
    }
}

/// The references of account `u` that do not resolve and so may leave it
/// without what it needs: its roles, its permission sets, and those of its
/// roles. Each as a phrase: `its role 'Integration: Jira Snyc' is unknown`.
fn unknown_grants(cx: &RuleContext, u: usize) -> Vec<String> {
    let snapshot = cx.snapshot;
    let user = &snapshot.model.users[u];
    let mut causes = Vec::new();
    for role in &user.roles {
        match snapshot.role_named(&role.value) {
            None => causes.push(format!("its role '{}' is unknown", role.value)),
            Some(r) => {
                for set in &snapshot.model.roles[r].permission_sets {
                    if snapshot.permission_set_named(&set.value).is_none() {
                        causes.push(format!(
                            "its role '{}' names permission set '{}', which is unknown",
                            role.value, set.value
                        ));
                    }
                }
            }
        }
    }
    for set in &user.permission_sets {
        if snapshot.permission_set_named(&set.value).is_none() {
            causes.push(format!("its permission set '{}' is unknown", set.value));
        }
    }
    causes
}

pub(super) fn check(cx: &RuleContext) -> Vec<Finding> {
    let mut findings = Vec::new();
    let model = &cx.snapshot.model;
    for (u, user) in cx.accounts_in_use() {
        let access = cx.access(u);
        let causes = unknown_grants(cx, u);
        for diff in cx.diffs(u).iter().filter(|d| d.is_missing()) {
            let (grant, held) = (&diff.grant, diff.held);
            // Build Access on an application whose list is unknown is not
            // missing: not-assessed (RC111) says so instead.
            if let Grant::Build(app) = grant
                && cx.build_list_unknown(app)
            {
                continue;
            }
            // Nor is an Application Entitlement where the account's are
            // unknown.
            if matches!(grant, Grant::Application(_)) && cx.applications_unknown(u) {
                continue;
            }
            let Some(required) = cx.minimal(u).grants.get(grant) else {
                continue;
            };
            let Some(first) = required.needs.first() else {
                continue;
            };
            let integration = &model.integrations[first.integration];
            let intent = &integration.intents[first.intent];
            let more = match required.needs.len() - 1 {
                0 => String::new(),
                1 => " (and 1 more intent)".to_string(),
                n => format!(" (and {n} more intents)"),
            };
            let state = match held {
                None => "lacks it".to_string(),
                Some(h) => format!("holds only {h}"),
            };
            let mut message = format!(
                "'{}' needs {} for its {} intent{more}, and account '{}' {state}: {}",
                integration.name.value,
                describe(grant, required.level),
                intent.action.value,
                user.name.value,
                consequence(grant, held)
            );
            if !causes.is_empty() {
                message.push_str(&format!(" ({})", causes.join("; ")));
            }
            let mut finding = Finding::new(
                &MISSING_ACCESS,
                Subject::new(SubjectKind::User, user.name.value.as_str()),
                Label::new(intent.action.span, format!("needs {}", describe(grant, required.level))),
                message,
                format!(
                    "grant {} through the account's dedicated role ('rclint derive' prints the whole minimal grant)",
                    describe(grant, required.level)
                ),
            )
            .with_item(grant.to_string());
            finding.consequence = !causes.is_empty();
            finding.trace = match access.paths(grant).first() {
                Some(path) => cx.graph.render(cx.snapshot, path),
                None => trace(&[
                    format!("integration {}", integration.name.value),
                    format!("user {}", user.name.value),
                    format!("{grant} (missing)"),
                ]),
            };
            for need in &required.needs[1..] {
                let i = &model.integrations[need.integration];
                let t = &i.intents[need.intent];
                finding.related.push(Label::new(
                    t.action.span,
                    format!("'{}' needs it too, for {}", i.name.value, t.action.value),
                ));
            }
            for path in access.paths(grant) {
                if let Some((span, note)) = cx.graph.notes(cx.snapshot, path).pop()
                    && !finding.related.iter().any(|l| l.span == span)
                {
                    finding.related.push(Label::new(span, note));
                }
            }
            findings.push(finding);
        }
    }
    findings
}

use super::{RuleContext, at_grant};
use crate::diagnostic::{Finding, Label};
use crate::graph::Grant;

declare_rule! {
    /// ## What it checks
    /// An automation account holds the BUILD module through a role (not only
    /// through ADMIN, which RC101 reports) and either
    /// - is on the `build_access` list of no restricted application (item
    ///   `module:BUILD`): BUILD then grants nothing the account was meant to
    ///   have; or
    /// - reaches an application that does not restrict build access, through
    ///   BUILD alone (item `build:APP`, one finding per application).
    ///
    /// ## Why it matters
    /// In Risk Cloud, when an application does not restrict build access,
    /// every holder of BUILD can change its workflows, fields and steps. An
    /// integration that holds BUILD "just in case" can redesign applications
    /// nobody meant it to touch.
    ///
    /// ## Example
    /// ```toml
    /// [[application]]
    /// name = "Vendor Risk"        # restrict_build_access = false
    ///
    /// [[role]]
    /// name = "Integration: Design Sync"
    /// modules = ["BUILD"]
    /// ```
    ///
    /// ## Fix
    /// Remove BUILD from an integration that does not change design. For one
    /// that does, set `restrict_build_access = true` on the applications it
    /// designs and list the account in their `build_access`.
    pub static BUILD_WITHOUT_BUILD_ACCESS = ("RC104", "build-without-build-access", Error, Account,
        "an automation account holds BUILD without targeted Build Access"),
        controls: &[
            ("CC6.1", "unrestricted BUILD lets an integration change the design of applications it was never scoped to"),
            ("A.5.15", "BUILD reaching unrestricted applications breaks the rule that design access is scoped"),
            ("A.8.2", "BUILD changes application design, a privileged right, and reaches every unrestricted application"),
            ("AC-6(5)", "BUILD is a privileged right restricted to the applications an intent names"),
        ];
}

/// Whether RC104 fires for account `u`: it holds BUILD explicitly, and has
/// Build Access on no restricted application or reaches an unrestricted one
/// through BUILD. RC202 leaves `module:BUILD` to RC104 for such an account.
pub fn fires_for(cx: &RuleContext, u: usize) -> bool {
    !cx.access(u).explicit_module_paths("BUILD").is_empty()
        && (!cx.on_restricted_build_list(u) || !cx.graph.unrestricted_applications().is_empty())
}

pub(super) fn check(cx: &RuleContext) -> Vec<Finding> {
    let mut findings = Vec::new();
    let model = &cx.snapshot.model;
    for (u, user) in cx.automation_accounts() {
        if !fires_for(cx, u) {
            continue;
        }
        let access = cx.access(u);
        let build = access.explicit_module_paths("BUILD");
        // Where a restricted application's list is unknown, the account
        // may be on it: not-assessed (RC111) says so instead.
        if !cx.on_restricted_build_list(u) && cx.unknown_build_lists().next().is_none() {
            let message = format!(
                "automation account '{}' holds BUILD but has Build Access on no restricted application",
                user.name.value
            );
            let help =
                "remove BUILD, or restrict build access on the applications the integration \
                        designs and list the account in their build_access"
                    .to_string();
            findings.extend(at_grant(
                cx,
                &BUILD_WITHOUT_BUILD_ACCESS,
                user,
                "module:BUILD",
                &build,
                message,
                help,
            ));
        }
        for app in model.applications.iter().filter(|a| !a.is_restricted()) {
            let grant = Grant::Build(app.name.value.to_string());
            let paths: Vec<_> = access
                .paths(&grant)
                .iter()
                .filter(|p| !p.via_admin)
                .collect();
            let message = format!(
                "automation account '{}' can change the design of '{}' through BUILD alone",
                user.name.value, app.name.value
            );
            let help = format!(
                "set restrict_build_access = true on '{}' and list only the accounts that design it \
                 in build_access, or remove BUILD from the account",
                app.name.value
            );
            if let Some(mut finding) = at_grant(
                cx,
                &BUILD_WITHOUT_BUILD_ACCESS,
                user,
                grant.to_string(),
                &paths,
                message,
                help,
            ) {
                if let Some(restrict) = &app.restrict_build_access {
                    finding.related.push(Label::new(
                        restrict.span,
                        "build access not restricted here",
                    ));
                }
                findings.push(finding);
            }
        }
    }
    findings
}

use super::{RuleContext, at_grant};
use crate::diagnostic::Finding;

declare_rule! {
    /// ## What it checks
    /// An automation account (a user some integration runs under, or any user
    /// with `service_account = true`) holds the ADMIN module through one of
    /// its roles, and none of its integrations declares an `audit-export`
    /// intent with `admin_data = true`. A `manage-users` intent (user
    /// provisioning, which Risk Cloud gives only to ADMIN) does not silence
    /// it: the finding names the intent, and a waiver with a reason and an
    /// expiry is the documented way to accept it.
    ///
    /// ## Why it matters
    /// ADMIN implies every other module: the account can reach build, import,
    /// records and report endpoints in every application, and its Client and
    /// Secret become keys to the whole tenant. ADMIN granted "to get past a
    /// 403" during development also makes the audit trail meaningless.
    ///
    /// ## Example
    /// ```toml
    /// [[role]]
    /// name = "Integration: Risk Sync"
    /// modules = ["ADMIN"]
    ///
    /// [[user]]
    /// name = "svc-risk-sync"
    /// service_account = true
    /// roles = ["Integration: Risk Sync"]
    /// ```
    ///
    /// ## Fix
    /// Remove ADMIN from the role and grant only the modules the
    /// integration's intents need (`rclint derive` lists them), or move the
    /// account to a dedicated role that holds just those.
    pub static ADMIN_ON_INTEGRATION = ("RC101", "admin-on-integration", Error, Account,
        "an automation account holds ADMIN that no declared intent needs"),
        controls: &[
            ("CC6.1", "ADMIN on an integration account opens every module and all admin data, beyond any logical restriction"),
            ("CC6.3", "ADMIN that no declared intent needs is not authorized by the integration's role"),
            ("A.5.15", "ADMIN against declared intent breaks the access-control rule the intents state"),
            ("A.8.2", "ADMIN is Risk Cloud's most privileged right; an integration holds it only when an intent needs it"),
            ("AC-6(5)", "ADMIN is a privileged account right restricted to intents that need admin data"),
        ];
}

pub(super) fn check(cx: &RuleContext) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (u, user) in cx.automation_accounts() {
        let paths = cx.access(u).explicit_module_paths("ADMIN");
        if paths.is_empty() {
            continue;
        }
        let needed = cx
            .integrations_of(u)
            .any(|i| i.intents.iter().any(|t| t.needs_admin()));
        if needed {
            continue;
        }
        let role = paths.first().map_or(String::new(), |p| cx.role_label(p));
        let provisioning = cx
            .integrations_of(u)
            .find(|i| i.intents.iter().any(|t| t.action.value == "manage-users"));
        let (message, help) = match provisioning {
            Some(i) => (
                format!(
                    "automation account '{}' holds ADMIN for the 'manage-users' intent of \
                     integration '{}': user provisioning needs ADMIN, which opens the whole tenant",
                    user.name.value, i.name.value
                ),
                "if provisioning through this account is accepted, waive RC101 for it with a \
                 reason and an expiry; keep the account for provisioning alone"
                    .to_string(),
            ),
            None => {
                let why = if cx.integrations_of(u).next().is_some() {
                    "no intent of its integrations needs it"
                } else {
                    "no integration declares a need for it"
                };
                (
                    format!(
                        "automation account '{}' holds ADMIN, and {why}",
                        user.name.value
                    ),
                    format!(
                        "remove ADMIN from {role}, or move the account to a dedicated role with \
                         only what its intents need"
                    ),
                )
            }
        };
        findings.extend(at_grant(
            cx,
            &ADMIN_ON_INTEGRATION,
            user,
            "module:ADMIN",
            &paths,
            message,
            help,
        ));
    }
    findings
}

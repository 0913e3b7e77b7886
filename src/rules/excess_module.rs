use super::least_privilege::{Excess, excess_findings};
use super::{RuleContext, build_without_build_access};
use crate::diagnostic::Finding;
use crate::graph::Grant;

declare_rule! {
    /// ## What it checks
    /// An account used by at least one integration holds module X through a
    /// role (not only through ADMIN) and no intent of its integrations needs
    /// X. ADMIN is left to RC101. BUILD is reported here only when RC104 does
    /// not fire for the account (RC104 reports BUILD's reach: no restricted
    /// application's Build Access list, or an unrestricted application
    /// reached through BUILD). A module that only a role reported by RC102
    /// brings is left to RC102.
    ///
    /// ## Why it matters
    /// Each module opens a family of endpoints: IMPORT lets the account
    /// bulk-load records, RECORDS lets it write them. A read-only export that
    /// holds RECORDS can be turned, by a bug or a leaked secret, into
    /// something that changes the risk register.
    ///
    /// ## Example
    /// ```toml
    /// [[role]]
    /// name = "Integration: Warehouse Export"
    /// modules = ["RECORDS", "IMPORT"]     # the export only reads records
    /// ```
    ///
    /// ## Fix
    /// Remove the module from the account's role (`rclint derive` shows the
    /// modules the intents need).
    pub static EXCESS_MODULE = ("RC202", "excess-module", Warning, LeastPrivilege,
        "an account holds a module its declared intents do not need"),
        controls: &[
            ("CC6.3", "a module beyond the declared intent is more privilege than the role requires"),
            ("A.5.15", "an unneeded module breaks the access-control rule the intents state"),
            ("A.5.18", "an unneeded module is an access right that review should have removed"),
            ("AC-6", "a module beyond the declared intent is privilege beyond least privilege"),
        ];
}

pub(super) fn check(cx: &RuleContext) -> Vec<Finding> {
    let select = |u: usize, g: &Grant| match g {
        Grant::Module(code) => {
            code != "ADMIN" && (code != "BUILD" || !build_without_build_access::fires_for(cx, u))
        }
        _ => false,
    };
    let help = |g: &Grant, e: &Excess| {
        let role = cx.role_label(e.paths[0]);
        format!("remove {} from {role}", g.name())
    };
    excess_findings(cx, &EXCESS_MODULE, &select, &help)
}

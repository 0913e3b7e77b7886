use super::RuleContext;
use super::least_privilege::{Excess, excess_findings};
use crate::diagnostic::Finding;
use crate::graph::Grant;

declare_rule! {
    /// ## What it checks
    /// An account used by at least one integration holds an Application
    /// Entitlement that no intent needs, or holds Edit where Read suffices
    /// (the message says which). Entitlements that only a role reported by
    /// RC102 brings are left to RC102.
    ///
    /// ## Why it matters
    /// An Application Entitlement decides what the account can see and
    /// change in a whole application. Edit on an application the integration
    /// only reads lets a bug or a leaked secret change its records.
    ///
    /// ## Example
    /// ```toml
    /// [[role]]
    /// name = "Integration: Warehouse Export"
    /// applications = { "Vendor Risk" = "edit" }   # the export only reads
    /// ```
    ///
    /// ## Fix
    /// Lower the entitlement to Read, or remove it from the account's role.
    pub static EXCESS_APPLICATION_ACCESS = ("RC203", "excess-application-access", Warning, LeastPrivilege,
        "an account holds an Application Entitlement, or a level of it, its intents do not need"),
        controls: &[
            ("CC6.3", "Application Entitlements beyond the declared intent are more privilege than the role requires"),
            ("A.5.15", "an unneeded Application Entitlement breaks the access-control rule the intents state"),
            ("A.5.18", "an unneeded Application Entitlement is an access right that review should have removed"),
            ("AC-6", "an Application Entitlement beyond the declared intent is privilege beyond least privilege"),
        ];
}

pub(super) fn check(cx: &RuleContext) -> Vec<Finding> {
    let select = |_: usize, g: &Grant| matches!(g, Grant::Application(_));
    let help = |g: &Grant, e: &Excess| match (g, e.needed) {
        (Grant::Application(app), Some(level)) => {
            format!("lower the entitlement on '{app}' to {level}")
        }
        (g, _) => format!("remove the entitlement on '{}'", g.name()),
    };
    excess_findings(cx, &EXCESS_APPLICATION_ACCESS, &select, &help)
}

use super::RuleContext;
use super::least_privilege::{Excess, excess_findings};
use crate::diagnostic::Finding;
use crate::graph::Grant;

declare_rule! {
    /// ## What it checks
    /// An account used by at least one integration has access to a step
    /// (through a permission set) that no intent needs, or Edit where Read
    /// suffices. Step access that only a role reported by RC102 brings is
    /// left to RC102.
    ///
    /// ## Why it matters
    /// Step Permission Sets are the gate to records: they decide which
    /// records the account sees and changes. Access to extra steps exposes
    /// records the integration has no business reading, and Edit lets it
    /// move or change them.
    ///
    /// ## Example
    /// ```toml
    /// [[permission_set]]
    /// name = "Risk Sync steps"
    /// steps = { "Vendor Risk/Assessment/Intake" = "edit", "Vendor Risk/Assessment/Closed" = "edit" }
    /// # the integration never touches Closed
    /// ```
    ///
    /// ## Fix
    /// Remove the step from the account's permission set, or lower it to
    /// Read.
    pub static EXCESS_STEP_ACCESS = ("RC204", "excess-step-access", Warning, LeastPrivilege,
        "an account has step access, or a level of it, its intents do not need"),
        controls: &[
            ("CC6.3", "step access beyond the declared intent is more privilege than the role requires"),
            ("A.5.15", "unneeded step access breaks the access-control rule the intents state"),
            ("A.5.18", "unneeded step access is an access right that review should have removed"),
            ("AC-6", "step access beyond the declared intent is privilege beyond least privilege"),
        ];
}

pub(super) fn check(cx: &RuleContext) -> Vec<Finding> {
    let select = |_: usize, g: &Grant| matches!(g, Grant::Step(_));
    let help = |g: &Grant, e: &Excess| {
        let set = cx.set_label(e.paths[0]);
        match e.needed {
            None => format!("remove '{}' from {set}", g.name()),
            Some(level) => format!("lower '{}' to {level} in {set}", g.name()),
        }
    };
    excess_findings(cx, &EXCESS_STEP_ACCESS, &select, &help)
}

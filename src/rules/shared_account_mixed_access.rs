use super::{RuleContext, integration_names, on_shared_account};
use crate::diagnostic::Finding;
use crate::minimal::is_read_only;
use crate::snapshot::Integration;

declare_rule! {
    /// ## What it checks
    /// A shared account serves both a read-only integration (every intent is
    /// `read-records`, `read-report` or `audit-export`) and one that writes.
    ///
    /// ## Why it matters
    /// Permissions belong to the account, not to the integration: the
    /// read-only export runs with the writer's Edit access and modules. A bug
    /// or a leaked secret in the export can then change records, and the
    /// export can no longer be scoped to Read.
    ///
    /// ## Example
    /// ```toml
    /// [[integration]]
    /// name = "Warehouse Export"     # read-records only
    /// account = "svc-shared"
    ///
    /// [[integration]]
    /// name = "Risk Sync"            # create-records
    /// account = "svc-shared"
    /// ```
    ///
    /// ## Fix
    /// Move the read-only integration to its own account with a role that
    /// grants Read only.
    pub static SHARED_ACCOUNT_MIXED_ACCESS = ("RC302", "shared-account-mixed-access", Warning, Sharing,
        "a shared account serves both read-only and writing integrations"),
        controls: &[
            ("CC6.3", "a read-only integration running with write access holds more than its role needs"),
            ("AC-6", "a read-only integration with write access holds more privilege than it uses"),
        ];
}

pub(super) fn check(cx: &RuleContext) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (_, user, integrations) in cx.shared_accounts() {
        let (readers, writers): (Vec<&Integration>, Vec<&Integration>) =
            integrations.iter().partition(|i| is_read_only(&i.intents));
        if readers.is_empty() || writers.is_empty() {
            continue;
        }
        let message = format!(
            "account '{}' serves read-only {} and writing {}: the read-only integration runs with write access",
            user.name.value,
            integration_names(&readers),
            integration_names(&writers)
        );
        let describe = |i: &Integration| {
            let kind = if is_read_only(&i.intents) {
                "only reads"
            } else {
                "writes"
            };
            format!("used by '{}', which {kind}", i.name.value)
        };
        findings.push(on_shared_account(
            &SHARED_ACCOUNT_MIXED_ACCESS,
            user,
            &integrations,
            &describe,
            message,
            "give the read-only integration its own account with a role that grants Read only",
        ));
    }
    findings
}

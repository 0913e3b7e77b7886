use super::{RuleContext, integration_names, on_shared_account};
use crate::diagnostic::Finding;
use crate::snapshot::Integration;

declare_rule! {
    /// ## What it checks
    /// Two or more integrations on one account generate their own tokens from
    /// the Client and Secret (`token_source = "self"`, the default).
    ///
    /// ## Why it matters
    /// Generating a token invalidates every earlier token of the account, so
    /// each integration that generates its own token logs the others out.
    /// Even with retry-on-401 they keep invalidating each other, and under
    /// load they can end up in a loop of 401s.
    ///
    /// ## Example
    /// ```toml
    /// [[integration]]
    /// name = "Risk Sync"
    /// account = "svc-grc"
    ///
    /// [[integration]]
    /// name = "Risk Sync Backfill"
    /// account = "svc-grc"
    /// # both leave token_source at "self"
    /// ```
    ///
    /// ## Fix
    /// Centralise token issuance: one process generates the token and writes
    /// it to a shared secret store; the others read it from there and declare
    /// `token_source = "NAME-OF-THE-STORE"`.
    pub static UNCOORDINATED_TOKEN_ISSUANCE = ("RC304", "uncoordinated-token-issuance", Error, Sharing,
        "several integrations on one account generate their own tokens"),
        controls: &[
            ("A.5.17", "integrations that each generate tokens for one account invalidate each other's authentication"),
            ("IA-5", "uncoordinated token issuance invalidates authenticators other integrations rely on"),
        ];
}

pub(super) fn check(cx: &RuleContext) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (_, user, integrations) in cx.shared_accounts() {
        let generating: Vec<&Integration> = integrations
            .iter()
            .filter(|i| i.generates_own_tokens())
            .copied()
            .collect();
        if generating.len() < 2 {
            continue;
        }
        let message = format!(
            "{} each generate their own token for account '{}': every regeneration invalidates the others' tokens",
            integration_names(&generating),
            user.name.value
        );
        let describe = |i: &Integration| format!("'{}' generates its own tokens", i.name.value);
        findings.push(on_shared_account(
            &UNCOORDINATED_TOKEN_ISSUANCE,
            user,
            &generating,
            &describe,
            message,
            "let one process issue the token into a shared secret store, and declare token_source = \"STORE\" on the others",
        ));
    }
    findings
}

use super::RuleContext;
use crate::diagnostic::{Finding, Label, Subject, SubjectKind};
use crate::snapshot::attest::Standing;

declare_rule! {
    /// ## What it checks
    /// An `[[attestation]]` of a fact the snapshot does carry (exported or
    /// hand-written, not `unknown`), or that an earlier attestation already
    /// supplied, which says otherwise: the snapshot, or the earlier
    /// attestation, stands. Subject: the
    /// attestation, named by its fact (`api_access of svc-x`).
    ///
    /// ## Why it matters
    /// What Risk Cloud's export says is read by a machine on the day of the
    /// pull; an attestation is a person's memory of a screen. Where they
    /// differ, the export wins and the attestation supplies nothing, but
    /// the difference is worth a look: the tenant changed since, or the
    /// attestation names the wrong account.
    ///
    /// ## Example
    /// ```toml
    /// [[user]]
    /// name = "svc-risk-sync"
    /// api_access = false
    ///
    /// [[attestation]]
    /// user = "svc-risk-sync"
    /// api_access = true
    /// by = "jane.doe@acme.example"
    /// on = 2026-11-30
    /// evidence = "CHG-1234"
    /// ```
    ///
    /// ## Fix
    /// Remove the attestation: the snapshot carries the fact.
    pub static CONTRADICTED_ATTESTATION = ("RC504", "contradicted-attestation", Warning, Waiver,
        "an attestation the export contradicts: the export wins"),
        controls: &[("A.5.18", "a reviewed access right differs from what the tenant shows")];
}

pub(super) fn check(cx: &RuleContext) -> Vec<Finding> {
    let attestations = &cx.snapshot.model.attestations;
    cx.snapshot
        .attested
        .iter()
        .filter_map(|s| {
            let Standing::Contradicted { by } = &s.standing else {
                return None;
            };
            let a = attestations.get(s.index)?;
            Some(Finding::new(
                &CONTRADICTED_ATTESTATION,
                Subject::new(SubjectKind::Attestation, a.name()),
                Label::new(a.span, "contradicted"),
                format!(
                    "the attestation of {} by '{}' is contradicted by {by}: that stands, and this \
                     attestation supplies nothing",
                    a.name(),
                    a.by.value
                ),
                "remove this attestation, or the one it contradicts: one fact, one statement",
            ))
        })
        .collect()
}

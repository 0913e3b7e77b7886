use super::RuleContext;
use crate::diagnostic::{Finding, Label, Subject, SubjectKind};
use crate::snapshot::attest::Standing;

declare_rule! {
    /// ## What it checks
    /// An `[[attestation]]` whose validity ended before the day rclint
    /// judges on: its `expires` date, or, without one, its `on` date plus
    /// `[rule_settings] attestation_days` (365 by default). Subject: the
    /// attestation, named by its fact (`api_access of svc-x`).
    ///
    /// ## Why it matters
    /// A person's statement of what Risk Cloud showed is evidence for as
    /// long as someone is willing to stand by it. An expired attestation
    /// supplies nothing: the fact is unknown again, and not-assessed
    /// (RC111) says what that leaves undecided.
    ///
    /// ## Example
    /// ```toml
    /// [[attestation]]
    /// user = "svc-risk-sync"
    /// api_access = true
    /// by = "jane.doe@acme.example"
    /// on = 2024-01-15          # more than 365 days ago
    /// evidence = "CHG-1234"
    /// ```
    ///
    /// ## Fix
    /// Look again and renew it (a new `on`, new evidence), or remove it.
    pub static EXPIRED_ATTESTATION = ("RC503", "expired-attestation", Warning, Waiver,
        "an attestation past its validity supplies nothing"),
        controls: &[("A.5.18", "the review of an access right a person attested has lapsed")];
}

pub(super) fn check(cx: &RuleContext) -> Vec<Finding> {
    let attestations = &cx.snapshot.model.attestations;
    cx.snapshot
        .attested
        .iter()
        .filter(|s| s.standing == Standing::Expired)
        .filter_map(|s| {
            let a = attestations.get(s.index)?;
            let span = a.expires.as_ref().map_or(a.on.span, |e| e.span);
            Some(Finding::new(
                &EXPIRED_ATTESTATION,
                Subject::new(SubjectKind::Attestation, a.name()),
                Label::new(span, format!("valid until {}", s.valid_until)),
                format!(
                    "the attestation of {} by '{}' expired on {}: it supplies nothing",
                    a.name(),
                    a.by.value,
                    s.valid_until
                ),
                "look in Risk Cloud again and renew it (a new on date and evidence), or remove it",
            ))
        })
        .collect()
}

//! RC5xx: waivers. Policy reports these after matching the config file's
//! waivers against the findings (`policy`); they are declared here so that
//! their documentation lives with the other rules.

declare_rule! {
    /// ## What it checks
    /// A `[[waiver]]` in `rclint.toml` whose `expires` date has passed. The
    /// finding it covered, if any, is reported again, with its own severity.
    /// The item is `waiver:RULE:SUBJECT[:ITEM]` (the rule by its code).
    ///
    /// ## Why it matters
    /// A waiver is an accepted risk with an end date: the exception was
    /// reviewed for a period, not forever. Once the date passes, the
    /// acceptance is no longer on record and the finding must be fixed or
    /// reviewed again.
    ///
    /// ## Example
    /// ```toml
    /// [[waiver]]
    /// rule = "admin-on-integration"
    /// subject = "svc-audit-export"
    /// reason = "quarterly export covers admin data; reviewed in SEC-123"
    /// expires = 2026-03-31      # in the past
    /// ```
    ///
    /// ## Fix
    /// Fix the finding and delete the waiver, or review the exception again
    /// and move `expires` (and `ticket`) forward.
    pub static EXPIRED_WAIVER = ("RC501", "expired-waiver", Error, Waiver,
        "a waiver's expiry date has passed"),
        baseline: Never("an expired waiver must be reviewed"),
        controls: &[
            ("CC6.3", "an expired waiver is an exception whose authorization has lapsed"),
            ("A.5.18", "an expired waiver is a review that lapsed"),
        ];
}

declare_rule! {
    /// ## What it checks
    /// A `[[waiver]]` in `rclint.toml` that matches no finding: no finding of
    /// its rule has its subject (and item, when the waiver names one). The
    /// item is `waiver:RULE:SUBJECT[:ITEM]` (the rule by its code).
    ///
    /// A waiver of a rule that is turned off in the run (`--allow`, or
    /// `"off"` in `[rules]`) is not unused: there is nothing to waive, and
    /// `check` says so in a note on stderr instead.
    ///
    /// ## Why it matters
    /// A stale waiver is a blank cheque: the problem was fixed or renamed,
    /// and the next time the same finding appears it is hidden without
    /// anybody reviewing it again. Waivers that match nothing also make the
    /// waiver register an auditor reads longer than the risk it records.
    ///
    /// ## Example
    /// ```toml
    /// [[waiver]]
    /// rule = "admin-on-integration"
    /// subject = "svc-retired-export"   # the account no longer holds ADMIN
    /// reason = "legacy export"
    /// expires = 2027-03-31
    /// ```
    ///
    /// ## Fix
    /// Delete the waiver, or correct its `subject` or `item` to the finding
    /// it is meant to cover.
    pub static UNUSED_WAIVER = ("RC502", "unused-waiver", Warning, Waiver,
        "a waiver matches no finding"),
        controls: &[
            ("CC6.3", "a waiver matching nothing is an authorization no longer tied to any access"),
            ("A.5.18", "a waiver matching nothing is a review record no longer about any access"),
        ];
}

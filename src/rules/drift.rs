//! RC6xx: access drift. `rclint diff` and `rclint pull --check` raise these
//! when they compare two states of a tenant (`drift`); they are declared
//! here so that their documentation lives with the other rules.

declare_rule! {
    /// ## What it checks
    /// An automation account holds a grant in the compared state (the live
    /// tenant in `rclint pull --check` and `rclint diff SNAPSHOT EXPORT`,
    /// the new snapshot in `rclint diff OLD NEW`) that the reference (the
    /// repository, the old snapshot) does not give it, or gives at a lower
    /// level. The item is the grant (`module:ADMIN`); the trace shows how the
    /// compared state grants it.
    ///
    /// ## Why it matters
    /// The repository is what was reviewed. A grant added in the Risk Cloud
    /// UI, such as ADMIN given to an integration account "to get past a
    /// 403", bypasses that review: every rule rclint checked holds for a
    /// tenant that no longer exists.
    ///
    /// ## Example
    /// The repository's role holds `RECORDS`; in Risk Cloud someone added
    /// `ADMIN` to it, so the tenant (`rclint pull --check`) reads:
    /// ```toml
    /// [[role]]
    /// name = "Integration: Risk Sync"
    /// modules = ["ADMIN", "RECORDS"]      # the repository: ["RECORDS"]
    /// ```
    ///
    /// ## Fix
    /// Remove the grant in Risk Cloud, or, when it is wanted, import the
    /// tenant again (`rclint pull -o SNAPSHOT_DIR`) and have the change
    /// reviewed like any other.
    pub static ACCESS_ADDED = ("RC601", "access-added", Error, Drift,
        "an automation account holds access the reviewed snapshot does not give it");
}

declare_rule! {
    /// ## What it checks
    /// An automation account holds a grant in the reference (the
    /// repository, the old snapshot) that the compared state (the live
    /// tenant, the new snapshot) no longer gives it, or gives at a lower
    /// level. The item is the grant; the trace shows how the reference
    /// grants it.
    ///
    /// ## Why it matters
    /// An integration whose access was removed in Risk Cloud fails at its
    /// next call (403, or records it no longer sees), and the repository
    /// describes access that is not there.
    ///
    /// ## Example
    /// The repository's permission set edits two steps; in Risk Cloud one
    /// was removed from the set, so the tenant reads:
    /// ```toml
    /// [[permission_set]]
    /// name = "Risk Sync steps"
    /// # the repository also has "Vendor Risk/Assessment/Review" = "edit"
    /// steps = { "Vendor Risk/Assessment/Intake" = "edit" }
    /// ```
    ///
    /// ## Fix
    /// Restore the grant in Risk Cloud, or import the tenant again and
    /// review the change.
    pub static ACCESS_REMOVED = ("RC602", "access-removed", Warning, Drift,
        "an automation account lost access the reviewed snapshot gives it");
}

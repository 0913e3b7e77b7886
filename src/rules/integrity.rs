//! RC4xx: snapshot integrity. The loader finds these while reading the files
//! (`snapshot::parse`, `snapshot::resolve`); they are declared here so that
//! their documentation lives with the other rules.

declare_rule! {
    /// ## What it checks
    /// Every snapshot file is read as TOML and checked against the snapshot
    /// format: syntax errors, unknown keys (with a "did you mean"), values of
    /// the wrong type, missing required keys, application, workflow or step
    /// names containing `/`, a workflow without steps or whose `origin` is not
    /// one of its steps, a file that is not UTF-8 or that defines nothing.
    ///
    /// ## Why it matters
    /// A snapshot that does not say what its author meant cannot be checked:
    /// a misspelt `api_acess = true` is silently ignored by Risk Cloud's
    /// export tooling and would leave the toggle off.
    ///
    /// ## Example
    /// ```toml
    /// [[user]]
    /// name = "svc-risk-sync"
    /// api_acess = true    # unknown key: did you mean 'api_access'?
    /// ```
    ///
    /// ## Fix
    /// Correct the key, value or syntax at the location shown. A file with a
    /// syntax error is not read further until it is fixed.
    pub static INVALID_SNAPSHOT = ("RC401", "invalid-snapshot", Error,
        "a snapshot file is not valid TOML or does not follow the snapshot format");
}

declare_rule! {
    /// ## What it checks
    /// Every reference by name (a role's permission sets, a user's roles, an
    /// integration's account, a step path, ...) names something the snapshot
    /// defines.
    ///
    /// ## Why it matters
    /// Risk Cloud refuses to attach what does not exist; a dangling name in
    /// the snapshot means the real tenant differs from what the file says, and
    /// every conclusion drawn from it is doubtful.
    ///
    /// ## Example
    /// ```toml
    /// [[role]]
    /// name = "Integration: Risk Sync"
    /// permission_sets = ["Risk Sync step"]   # defined as "Risk Sync steps"
    /// ```
    ///
    /// ## Fix
    /// Fix the name (the finding suggests the closest defined one) or add the
    /// missing definition.
    pub static UNKNOWN_REFERENCE = ("RC402", "unknown-reference", Error,
        "a reference names an entity the snapshot does not define");
}

declare_rule! {
    /// ## What it checks
    /// No name is defined twice within one kind (applications, workflows in
    /// their application, steps in their workflow, permission sets, roles,
    /// users, reports, integrations). Both definitions are labelled.
    ///
    /// ## Why it matters
    /// Risk Cloud names are unique; two definitions mean two exports were
    /// merged or a copy was left behind, and only one of them can be true.
    /// rclint uses the first and ignores the second.
    ///
    /// ## Example
    /// ```toml
    /// [[role]]
    /// name = "Auditors"
    ///
    /// [[role]]
    /// name = "Auditors"
    /// ```
    ///
    /// ## Fix
    /// Remove or rename one of the definitions.
    pub static DUPLICATE_DEFINITION = ("RC403", "duplicate-definition", Error,
        "the same name is defined twice in one kind");
}

declare_rule! {
    /// ## What it checks
    /// Every module code in a role's `modules` is in rclint's module catalog
    /// (`ADMIN`, `BUILD`, `RECORDS`, `IMPORT`, `TABLE_REPORTS_READ`, `STATUS`).
    ///
    /// ## Why it matters
    /// An unknown code is usually a typo (`RECORD` for `RECORDS`): the role
    /// then lacks the module its author meant to grant, and the integration
    /// gets 403 on that module's endpoints. rclint cannot reason about a
    /// module it does not know.
    ///
    /// ## Example
    /// ```toml
    /// [[role]]
    /// name = "Integration: Risk Sync"
    /// modules = ["RECORD"]
    /// ```
    ///
    /// ## Fix
    /// Use a known module code (the finding suggests the closest one).
    pub static UNKNOWN_MODULE = ("RC404", "unknown-module", Warning,
        "a role names a module code the module catalog does not know");
}

declare_rule! {
    /// ## What it checks
    /// No key in any table is named like a credential (`secret`,
    /// `client_secret`, `secret_key`, `password`, `token`, `access_token`,
    /// `api_key`), and no string value starts with `Bearer `. The finding
    /// points at the key; the value is never printed, in any output format,
    /// and is masked in the source excerpts rclint shows.
    ///
    /// ## Why it matters
    /// The snapshot lives in version control. A Client Secret or access token
    /// committed there can be used by anyone who can read the repository to
    /// act as the service account, with all of its permissions.
    ///
    /// ## Example
    /// ```toml
    /// [[integration]]
    /// name = "Risk Sync"
    /// account = "svc-risk-sync"
    /// client_secret = "…"
    /// ```
    ///
    /// ## Fix
    /// Remove the value, rotate the credential in Risk Cloud (it must be
    /// considered leaked), and keep credentials in a secret store.
    pub static SECRET_IN_SNAPSHOT = ("RC405", "secret-in-snapshot", Error,
        "a credential is stored in the snapshot");
}

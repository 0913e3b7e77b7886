//! RC4xx: snapshot integrity. The loader finds these while reading the files
//! (`snapshot::parse`, `snapshot::resolve`); they are declared here so that
//! their documentation lives with the other rules.

declare_rule! {
    /// ## What it checks
    /// Every snapshot file is read as TOML and checked against the snapshot
    /// format: syntax errors, a file that is not UTF-8, a folder or file that
    /// cannot be read, unknown keys (with a "did you mean"), values of the
    /// wrong type, missing required keys, empty required lists
    /// (`intent = []`, `modify-design` with `applications = []`), invalid
    /// names (empty, white space at either end, or a control character such
    /// as a newline, tab or NUL), application, workflow or step names
    /// containing `/`, a workflow without steps or whose `origin` is not one
    /// of its steps, and intents with keys their action does not use or
    /// without those it needs.
    ///
    /// Each finding's item is the key path of the problem, array elements
    /// named by their `name` (else their index): `role[Admins].modules`,
    /// `integration[Jira Sync].intent[0].steps`; `syntax@LINE:COL` for a
    /// syntax error (which has no stable identity and cannot usefully be
    /// baselined), `encoding` for a file that is not UTF-8, `unreadable` for
    /// what cannot be read.
    ///
    /// What the loader still does with a problem: an empty file, or one
    /// holding only comments, is valid and defines nothing; a key an action
    /// does not use is ignored for the minimal grant; a wrong type inside an
    /// entity leaves the entity defined, so references to it resolve; an
    /// entity with an invalid name is still defined; a file that is not
    /// UTF-8 defines nothing but is still scanned for credentials (RC405).
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
    pub static INVALID_SNAPSHOT = ("RC401", "invalid-snapshot", Error, Integrity,
        "a snapshot file is not valid TOML or does not follow the snapshot format"),
        baseline: NotItemsStarting("syntax@", "a syntax error has no stable identity");
}

declare_rule! {
    /// ## What it checks
    /// Every reference by name (a role's permission sets, a user's roles, an
    /// integration's account, a step path, ...) names something the snapshot
    /// defines. The finding's item is the reference, written as an item:
    /// `role:Everyon`, `permission_set:X`, `application:X`,
    /// `step:App/Workflow/Step`, `workflow:App/Workflow`, `report:X`,
    /// `account:svc-x` (an integration's `account` or a `build_access`
    /// entry). The same unknown name referred to twice by one entity is one
    /// finding with a label at each place.
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
    pub static UNKNOWN_REFERENCE = ("RC402", "unknown-reference", Error, Integrity,
        "a reference names an entity the snapshot does not define");
}

declare_rule! {
    /// ## What it checks
    /// No name is defined twice within one kind (applications, workflows in
    /// their application, steps in their workflow, permission sets, roles,
    /// users, reports, integrations). One finding per duplicated entity, on
    /// its second definition, labels every definition.
    ///
    /// The first definition counts, everywhere; the others take part in
    /// nothing else (no membership, grant, integration or Build Access). A
    /// name listed twice in one list (`roles = ["A", "A"]`) counts once and
    /// is not a finding.
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
    pub static DUPLICATE_DEFINITION = ("RC403", "duplicate-definition", Error, Integrity,
        "the same name is defined twice in one kind");
}

declare_rule! {
    /// ## What it checks
    /// Every module code in a role's `modules` is in rclint's module catalog
    /// (`catalog/modules.toml`; `rclint explain CODE` describes each module).
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
    pub static UNKNOWN_MODULE = ("RC404", "unknown-module", Warning, Integrity,
        "a role names a module code the module catalog does not know");
}

declare_rule! {
    /// ## What it checks
    /// No key in any table is named like a credential (`secret`,
    /// `client_secret`, `secret_key`, `password`, `token`, `access_token`,
    /// `api_key`), and no string value starts with `Bearer `. The finding
    /// points at the key and its item is the key path
    /// (`integration[Jira Sync].client_secret`); the value is never printed,
    /// in any output format, and is masked in the source excerpts rclint
    /// shows. Such a key is RC405 only, not also an unknown key. A file that
    /// is not UTF-8, or that has a syntax error, is scanned too (line by line
    /// where TOML cannot read it: the item is then `KEY@LINE:COL`).
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
    pub static SECRET_IN_SNAPSHOT = ("RC405", "secret-in-snapshot", Error, Secret,
        "a credential is stored in the snapshot"),
        baseline: Never("a credential in the repository must be removed and rotated"),
        controls: &[
            ("CC6.1", "a credential stored in the repository defeats authentication for anyone who can read it"),
            ("A.5.17", "authentication information stored in the repository is disclosed to every reader"),
            ("IA-5", "an authenticator stored in the repository is not protected from disclosure"),
        ];
}

//! What a finding is: data only. The rule decides, [`Finding`] carries the
//! facts, and the message is built once, where the finding is made. Severity
//! is not here: it is applied later, in one place (`policy`). Every rule,
//! wherever it is raised, is described by a [`RuleMeta`] declared with
//! [`declare_rule!`]. This module imports nothing but `source`.

use crate::source::Span;
use std::fmt;

/// The documentation headings every rule has, in order.
pub const DOC_HEADINGS: [&str; 4] = [
    "## What it checks",
    "## Why it matters",
    "## Example",
    "## Fix",
];

/// A rule's identity, default severity and documentation.
#[derive(Debug)]
pub struct RuleMeta {
    /// Stable code, `RC101`.
    pub code: &'static str,
    /// Stable kebab-case name, `admin-on-integration`.
    pub name: &'static str,
    /// Severity unless configured otherwise.
    pub default_severity: Severity,
    /// One line for `rclint rules`.
    pub summary: &'static str,
    /// Markdown with the headings of [`DOC_HEADINGS`].
    pub docs: &'static str,
    /// What the rule is about.
    pub category: Category,
    /// What a finding of it says about an integration: too much, or too
    /// little.
    pub verdict: Verdict,
    /// Whether its findings may be accepted into a baseline.
    pub baseline: Baseline,
    /// The controls of `catalog/controls.toml` its findings evidence, by id,
    /// each with why: what the compliance report maps it to.
    pub controls: &'static [(&'static str, &'static str)],
}

/// What a rule is about; every command that treats rules alike by kind
/// asks this, never the code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Category {
    /// The automation account: its type, state, roles, modules (RC1xx).
    Account,
    /// Its grants against the minimal grant its intents need (RC2xx).
    LeastPrivilege,
    /// Accounts shared by integrations (RC3xx).
    Sharing,
    /// The snapshot itself: what does not read, resolve or exist
    /// (RC401–RC404). What rclint concludes may be incomplete.
    Integrity,
    /// A credential in the repository (RC405).
    Secret,
    /// The waivers of the config (RC5xx).
    Waiver,
    /// Drift between the reviewed snapshot and the tenant, raised by `diff`
    /// and `pull --check`, never by `check` (RC6xx).
    Drift,
}

/// What a finding says about the integration it concerns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Access the integration should not have, or misuse of it.
    Excess,
    /// Access it needs and lacks: the integration is broken, not
    /// over-privileged (the report counts these apart).
    Missing,
}

/// Whether a rule's findings may be accepted into a baseline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Baseline {
    /// Yes.
    Allowed,
    /// Never, for this reason.
    Never(&'static str),
    /// Not a finding whose item starts with `prefix`, for this reason (a
    /// syntax error's item is its position: no stable identity).
    NotItemsStarting(&'static str, &'static str),
}

impl RuleMeta {
    /// What [`declare_rule!`] gives the facts a rule does not state.
    pub const DEFAULT_FACTS: RuleMeta = RuleMeta {
        code: "",
        name: "",
        default_severity: Severity::Error,
        summary: "",
        docs: "",
        category: Category::Account,
        verdict: Verdict::Excess,
        baseline: Baseline::Allowed,
        controls: &[],
    };

    /// Whether its findings are snapshot problems (RC401–RC404).
    pub fn is_snapshot_problem(&self) -> bool {
        self.category == Category::Integrity
    }

    /// Why `finding` of this rule may not be accepted into a baseline, if
    /// it may not.
    pub fn not_for_a_baseline(&self, item: Option<&str>) -> Option<&'static str> {
        match self.baseline {
            Baseline::Allowed => None,
            Baseline::Never(why) => Some(why),
            Baseline::NotItemsStarting(prefix, why) => {
                item.is_some_and(|i| i.starts_with(prefix)).then_some(why)
            }
        }
    }
}

impl RuleMeta {
    /// The documentation without rustdoc's leading space on each line.
    pub fn documentation(&self) -> String {
        self.docs
            .lines()
            .map(|l| l.strip_prefix(' ').unwrap_or(l))
            .collect::<Vec<_>>()
            .join("\n")
    }
}

impl PartialEq for RuleMeta {
    fn eq(&self, other: &RuleMeta) -> bool {
        self.code == other.code
    }
}

/// Declares a rule's [`RuleMeta`] from doc comments and its identity, where
/// the rule is raised:
///
/// ```text
/// declare_rule! {
///     /// ## What it checks
///     /// ...
///     pub static ADMIN_ON_INTEGRATION = ("RC101", "admin-on-integration", Error, Account,
///         "automation account holds ADMIN");
/// }
/// ```
///
/// The category is stated by every rule; the other facts have defaults
/// (`verdict: Excess`, `baseline: Allowed`, `controls: &[]`) and are stated
/// after the tuple when they differ: `... "summary"), verdict: Missing,
/// controls: &[("CC6.1", "why it evidences the control")];`.
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        $vis:vis static $ident:ident = ($code:literal, $name:literal, $sev:ident, $category:ident, $summary:literal)
            $(, $fact:ident: $value:expr)* ;
    ) => {
        $(#[doc = $doc])*
        $vis static $ident: $crate::diagnostic::RuleMeta = $crate::diagnostic::RuleMeta {
            code: $code,
            name: $name,
            default_severity: $crate::diagnostic::Severity::$sev,
            summary: $summary,
            docs: concat!($($doc, "\n"),*),
            category: $crate::diagnostic::Category::$category,
            $($fact: { #[allow(unused_imports)] use $crate::diagnostic::{Baseline::*, Verdict::*}; $value },)*
            ..$crate::diagnostic::RuleMeta::DEFAULT_FACTS
        };
    };
}

/// How serious a finding is, once policy has been applied.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Fails the run (exit code 1).
    Error,
    /// Reported, does not fail the run.
    Warning,
    /// Informational.
    Note,
}

impl Severity {
    /// The lowercase name used in output and configuration.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What kind of entity a finding is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SubjectKind {
    /// A snapshot file.
    File,
    /// An `[[application]]`.
    Application,
    /// A workflow of an application.
    Workflow,
    /// A step of a workflow.
    Step,
    /// A `[[permission_set]]`.
    PermissionSet,
    /// A `[[role]]`.
    Role,
    /// A `[[user]]`.
    User,
    /// A `[[report]]`.
    Report,
    /// An `[[integration]]`.
    Integration,
    /// A waiver in the config file.
    Waiver,
    /// An `[[attestation]]`, named by its fact (`api_access of svc-x`).
    Attestation,
}

impl SubjectKind {
    /// The snake_case name used in output.
    pub fn as_str(self) -> &'static str {
        match self {
            SubjectKind::File => "file",
            SubjectKind::Application => "application",
            SubjectKind::Workflow => "workflow",
            SubjectKind::Step => "step",
            SubjectKind::PermissionSet => "permission_set",
            SubjectKind::Role => "role",
            SubjectKind::User => "user",
            SubjectKind::Report => "report",
            SubjectKind::Integration => "integration",
            SubjectKind::Waiver => "waiver",
            SubjectKind::Attestation => "attestation",
        }
    }
}

/// The entity a finding is about.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Subject {
    /// Its kind.
    pub kind: SubjectKind,
    /// Its name (a path for workflows and steps, the file path for files).
    pub name: String,
}

impl Subject {
    /// A subject of the given kind and name.
    pub fn new(kind: SubjectKind, name: impl Into<String>) -> Subject {
        Subject {
            kind,
            name: name.into(),
        }
    }
}

/// A place in a source file with a short text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    /// Where.
    pub span: Span,
    /// What is there.
    pub message: String,
}

impl Label {
    /// A label at `span`.
    pub fn new(span: Span, message: impl Into<String>) -> Label {
        Label {
            span,
            message: message.into(),
        }
    }
}

/// One hop of an access path, with where the edge leading to it is declared.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hop {
    /// `user svc-x`, `role Everyone`, `module ADMIN`, ...
    pub label: String,
    /// Where the grant that reaches this hop is written, if anywhere.
    pub span: Option<Span>,
}

/// A problem found in the snapshot.
#[derive(Clone, Debug)]
pub struct Finding {
    /// The rule that found it.
    pub rule: &'static RuleMeta,
    /// One sentence, lowercase first letter, no trailing period.
    pub message: String,
    /// What the finding is about.
    pub subject: Subject,
    /// The grant it is about (`module:ADMIN`, `role:Everyone`, ...), if one.
    pub item: Option<String>,
    /// The offending place.
    pub primary: Label,
    /// What connects it (memberships, roles, the other definition).
    pub related: Vec<Label>,
    /// The access path behind the grant, if the finding is about one.
    pub trace: Vec<Hop>,
    /// How to fix it.
    pub help: String,
    /// Whether it follows from another finding of the run (an unknown
    /// reference that leaves the account without a grant): it is listed
    /// after the findings that are root causes.
    pub consequence: bool,
}

impl Finding {
    /// A finding with no item, related labels or trace yet.
    pub fn new(
        rule: &'static RuleMeta,
        subject: Subject,
        primary: Label,
        message: impl Into<String>,
        help: impl Into<String>,
    ) -> Finding {
        Finding {
            rule,
            message: message.into(),
            subject,
            item: None,
            primary,
            related: Vec::new(),
            trace: Vec::new(),
            help: help.into(),
            consequence: false,
        }
    }

    /// Sets the item.
    pub fn with_item(mut self, item: impl Into<String>) -> Finding {
        self.item = Some(item.into());
        self
    }

    /// Adds a related label.
    pub fn with_related(mut self, span: Span, message: impl Into<String>) -> Finding {
        self.related.push(Label::new(span, message));
        self
    }

    /// Sets the access path.
    pub fn with_trace(mut self, trace: Vec<Hop>) -> Finding {
        self.trace = trace;
        self
    }

    /// The stable identity of a finding: a hash of its code, subject and item
    /// only, so moving or reformatting a definition does not change it.
    pub fn fingerprint(&self) -> String {
        stable_fingerprint(&[
            self.rule.code,
            self.subject.kind.as_str(),
            self.subject.name.as_str(),
            self.item.as_deref().unwrap_or(""),
        ])
    }
}

/// The fingerprint of some parts: FNV-1a (64 bits) over each part followed
/// by a NUL byte, as 16 lowercase hex digits. Baseline files, SARIF
/// `partialFingerprints` and GitLab's `fingerprint` store it, so it is the
/// same on every platform and in every version: never change it. (Not for
/// security: a baseline is as trustworthy as the repository it lives in.)
pub fn stable_fingerprint(parts: &[&str]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for byte in part.bytes().chain(std::iter::once(0)) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{hash:016x}")
}

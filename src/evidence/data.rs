//! The report's content, as the JSON format writes it (`docs/report.md`).

use crate::snapshot::Level;
use serde::Serialize;

/// The whole report.
#[derive(Debug, Serialize)]
pub struct ComplianceReport {
    /// Title: config `[report] title`, or the snapshot folder's name.
    pub title: String,
    /// When it was generated, UTC, `YYYY-MM-DDTHH:MM:SSZ`.
    pub generated_at: String,
    /// rclint's version.
    pub rclint_version: String,
    /// Versions of the embedded catalogs.
    pub catalogs: Catalogs,
    /// Every input file with its SHA-256.
    pub inputs: Vec<InputFile>,
    /// SHA-256 over the sorted `sha256  path` lines of every input file.
    pub snapshot_sha256: String,
    /// The counts.
    pub summary: ReportSummary,
    /// One entry per control of the control catalog.
    pub controls: Vec<ControlResult>,
    /// One section per automation account.
    pub accounts: Vec<AccountSection>,
    /// Every finding of the run, remaining (in the order of `check`) and
    /// then waived, with the accounts and controls it bears on.
    pub findings: Vec<ReportFinding>,
    /// What changed since the report `--since` names, when it names one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub changes: Option<super::since::Changes>,
    /// Every waiver of the config file.
    pub waivers: Vec<WaiverRow>,
    /// Every rule's documentation.
    pub rules: Vec<RuleDoc>,
    /// The configuration the run was made with.
    pub configuration: Configuration,
    /// What the snapshot holds, and so what was assessed.
    pub scope: Scope,
}

/// What was assessed: the totals of the snapshot.
#[derive(Debug, Serialize)]
pub struct Scope {
    /// Users defined.
    pub users: usize,
    /// Of them, automation accounts: what the report assesses.
    pub automation_accounts: usize,
    /// Of them, people: not assessed (they appear only beside the accounts).
    pub people: usize,
    /// Roles defined.
    pub roles: usize,
    /// Permission sets defined.
    pub permission_sets: usize,
    /// Applications defined.
    pub applications: usize,
    /// Integrations declared.
    pub integrations: usize,
    /// When the access data was read, and how that is known: `2026-11-28T06:00:00Z
    /// (the import's as-of)`, or the newest input file's modification time.
    pub data_as_of: String,
}

/// The configuration a report was made with: it is evidence too.
#[derive(Debug, Serialize)]
pub struct Configuration {
    /// The config file, relative to the snapshot root (its SHA-256 is in
    /// `inputs`), if there is one.
    pub config_file: Option<String>,
    /// Rules whose severity differs from their default: `RC105 off`,
    /// `RC204 error`.
    pub changed_rules: Vec<String>,
    /// Globs of files left out of the snapshot.
    pub exclude: Vec<String>,
    /// How many waivers the config declares (the register lists them).
    pub waivers: usize,
}

/// Catalog versions.
#[derive(Debug, Serialize)]
pub struct Catalogs {
    /// `catalog/modules.toml`.
    pub modules: String,
    /// `catalog/intents.toml`.
    pub intents: String,
    /// `catalog/controls.toml`.
    pub controls: String,
}

/// An input file.
#[derive(Debug, Serialize)]
pub struct InputFile {
    /// As shown in findings.
    pub path: String,
    /// SHA-256 of its bytes as read.
    pub sha256: String,
}

/// Counts.
#[derive(Debug, Serialize)]
pub struct ReportSummary {
    /// Automation accounts assessed.
    pub accounts_assessed: usize,
    /// Accounts whose grants equal their minimal grant and that have no
    /// remaining finding.
    pub least_privilege_accounts: Vec<String>,
    /// Findings of severity error.
    pub error: usize,
    /// Findings of severity warning.
    pub warning: usize,
    /// Findings of severity note.
    pub note: usize,
    /// Findings hidden by waivers.
    pub waived: usize,
    /// Findings hidden by the baseline.
    pub baselined: usize,
    /// Findings per rule, for rules with at least one.
    pub by_rule: Vec<RuleCount>,
    /// RC4xx findings: problems in the evidence itself.
    pub snapshot_problems: usize,
    /// How many controls have each verdict, every verdict in the order of
    /// [`ControlStatus::ORDER`].
    pub control_verdicts: Vec<VerdictCount>,
    /// The facts the verdicts rest on, by where they come from.
    pub facts: FactTally,
}

/// Where a fact a verdict rests on comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Provenance {
    /// Read by `rclint import` from Risk Cloud's API responses.
    Exported,
    /// Written by a person in a snapshot file.
    HandWritten,
    /// Supplied by a valid `[[attestation]]`.
    Attested,
    /// Nobody has said: not exported, not attested.
    Unknown,
}

/// One fact an automation account's verdicts rest on.
#[derive(Debug, Serialize)]
pub struct FactRow {
    /// What it is: `api_access`, `build_access of Vendor Risk`.
    pub fact: String,
    /// Its value (`on`, `off`, `edit`, `not on the list`); `None` when unknown.
    pub value: Option<String>,
    /// Where it comes from.
    pub provenance: Provenance,
    /// The file it is read from, or who attested it, when, on what
    /// evidence and until when, or how to supply it.
    pub source: String,
}

/// How many facts came from where, over every automation account.
#[derive(Debug, Default, Serialize)]
pub struct FactTally {
    /// Read from the export.
    pub exported: usize,
    /// Written by a person.
    pub hand_written: usize,
    /// Attested.
    pub attested: usize,
    /// Unknown.
    pub unknown: usize,
}

/// Controls with one verdict.
#[derive(Debug, Serialize)]
pub struct VerdictCount {
    /// The verdict.
    pub verdict: ControlStatus,
    /// How many controls have it.
    pub count: usize,
}

/// Findings of one rule.
#[derive(Debug, Serialize)]
pub struct RuleCount {
    /// Code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Reported findings.
    pub count: usize,
}

/// A finding as the report lists it (and as `--since` reads it back from
/// a previous report).
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct FindingRow {
    /// Code.
    pub code: String,
    /// Rule name.
    pub rule: String,
    /// Severity after policy, or `waived`.
    pub severity: String,
    /// The message.
    pub message: String,
    /// The subject's name.
    pub subject: String,
    /// The item, if any.
    pub item: Option<String>,
    /// `path:line`.
    pub location: String,
}

/// A finding of the run with what it bears on.
#[derive(Debug, Serialize)]
pub struct ReportFinding {
    /// The finding.
    #[serde(flatten)]
    pub row: FindingRow,
    /// The automation accounts it is about (through the account, one of
    /// its integrations or one of its roles); none for a finding about a
    /// file, a waiver or a person's role alone.
    pub accounts: Vec<String>,
    /// The controls its rule evidences, as `framework id`.
    pub controls: Vec<String>,
}

/// How a control stands. Any remaining finding mapped to a control keeps
/// it from passing: an error makes it fail. Short of an error, rules turned
/// off make it partly assessed (or not assessed, when all are off), and
/// otherwise warnings and notes make exceptions and waived findings make it
/// waived.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ControlStatus {
    /// Every rule that evidences it ran, and none has a finding.
    Pass,
    /// Its only findings are waived.
    Waived,
    /// Remaining warnings or notes of its rules, no error.
    Exceptions,
    /// At least one remaining error of its rules.
    Fail,
    /// Some of its rules are turned off and the others have no remaining
    /// error: it cannot pass, whatever warnings the others found.
    PartlyAssessed,
    /// Every rule that evidences it is turned off: nothing was assessed.
    NotAssessed,
}

/// Why one rule evidences one control.
#[derive(Debug, Serialize)]
pub struct RuleReason {
    /// Rule code.
    pub rule: String,
    /// Why the rule evidences the control.
    pub reason: String,
}

/// One control and the findings behind its status.
#[derive(Debug, Serialize)]
pub struct ControlResult {
    /// Framework.
    pub framework: String,
    /// Control id.
    pub id: String,
    /// What it requires.
    pub title: String,
    /// Why its rules evidence it.
    pub why: String,
    /// Rule codes.
    pub rules: Vec<String>,
    /// Why each rule evidences it, in the order of `rules`.
    pub because: Vec<RuleReason>,
    /// Its verdict.
    pub status: ControlStatus,
    /// Automation accounts its rules checked: every one, unless every rule
    /// of it is off.
    pub accounts_checked: usize,
    /// Of them, accounts with a remaining finding of its rules.
    pub accounts_with_findings: usize,
    /// Its rules that are turned off in this run.
    pub rules_off: Vec<String>,
    /// Its rules that could not decide for some account because a fact was
    /// unknown (from not-assessed, RC111): the control is then at best
    /// partly assessed.
    pub rules_undecided: Vec<String>,
    /// Remaining errors and warnings that are excess or misuse: access the
    /// control says should not be there.
    pub excess: usize,
    /// Remaining errors and warnings that are missing access (RC201,
    /// RC103): an integration that is broken, not over-privileged.
    pub missing: usize,
    /// Remaining notes.
    pub notes: usize,
    /// The findings of its rules (remaining and waived).
    pub findings: Vec<FindingRow>,
}

/// An integration of an account.
#[derive(Debug, Serialize)]
pub struct IntegrationRow {
    /// Name.
    pub name: String,
    /// Team.
    pub team: Option<String>,
    /// Owner.
    pub owner: Option<String>,
    /// Repository.
    pub repository: Option<String>,
    /// Environment.
    pub environment: String,
    /// Token source.
    pub token_source: String,
    /// Whether it retries once on 401.
    pub retry_on_401: bool,
    /// Its intents, as `action target`.
    pub intents: Vec<String>,
}

/// ok, flagged, excess or missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum GrantStatus {
    /// Held as needed, and no remaining finding names it.
    Ok,
    /// Held as needed, but a remaining finding names it (RC104 on a BUILD
    /// that an intent needs, say).
    Flagged,
    /// Held beyond the need.
    Excess,
    /// Needed and not held (or held at a lower level).
    Missing,
}

/// One row of an account's permission matrix.
#[derive(Debug, Serialize)]
pub struct MatrixRow {
    /// The grant, as an item.
    pub grant: String,
    /// Level needed (modules: `edit` when needed).
    pub needed: Option<Level>,
    /// Level held.
    pub held: Option<Level>,
    /// `Integration action` for each intent that needs it.
    pub needed_by: Vec<String>,
    /// Each path that holds it.
    pub held_through: Vec<String>,
    /// ok, flagged, excess or missing: from the comparison with the minimal
    /// grant and from every finding on this account and grant.
    pub status: GrantStatus,
    /// The findings on this account and grant: `RC104 error`, `RC105
    /// waived`.
    pub findings: Vec<String>,
}

/// A node of an account's access picture.
#[derive(Debug, Serialize)]
pub struct PictureNode {
    /// 0 account, 1 role, 2 permission set, 3 grant.
    pub column: usize,
    /// Label.
    pub label: String,
    /// For grants: the status of its matrix row.
    pub status: Option<GrantStatus>,
}

/// What the account's access paths look like: nodes in columns, edges by index.
#[derive(Debug, Default, Serialize)]
pub struct Picture {
    /// Nodes.
    pub nodes: Vec<PictureNode>,
    /// Edges (from, to) between node indices.
    pub edges: Vec<(usize, usize)>,
}

/// One automation account.
#[derive(Debug, Serialize)]
pub struct AccountSection {
    /// The account.
    pub name: String,
    /// `service_account = true`.
    pub service_account: bool,
    /// Not deactivated.
    pub active: bool,
    /// API access on or off; `None` (JSON `null`) when unknown: not
    /// exported and not attested.
    pub api_access: Option<bool>,
    /// Its last login (`YYYY-MM-DD`), where the snapshot says.
    pub last_login: Option<String>,
    /// Token or credential rolls and since when (`3 since 2026-10-15`),
    /// where the snapshot says.
    pub token_rolls: Option<String>,
    /// Whether it holds exactly its minimal grant and has no remaining finding.
    pub least_privilege: bool,
    /// Its integrations.
    pub integrations: Vec<IntegrationRow>,
    /// Its permission matrix.
    pub matrix: Vec<MatrixRow>,
    /// Remaining findings about it, its integrations, its roles.
    pub findings: Vec<FindingRow>,
    /// Findings about it that waivers hide.
    pub waived: Vec<FindingRow>,
    /// Its access paths.
    pub picture: Picture,
    /// The facts its verdicts rest on, with where each comes from.
    pub facts: Vec<FactRow>,
}

/// A waiver as the register lists it.
#[derive(Debug, Serialize)]
pub struct WaiverRow {
    /// Rule code.
    pub rule: String,
    /// Subject.
    pub subject: String,
    /// Item.
    pub item: Option<String>,
    /// Reason.
    pub reason: String,
    /// Ticket.
    pub ticket: Option<String>,
    /// Who accepted the risk, if the waiver says.
    pub approver: Option<String>,
    /// Expiry date.
    pub expires: String,
    /// active, expired or unused.
    pub status: String,
    /// How many findings it hides.
    pub hides: usize,
}

/// A rule's documentation.
#[derive(Debug, Serialize)]
pub struct RuleDoc {
    /// Code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Severity in this run (`off` when turned off).
    pub severity: String,
    /// Default severity.
    pub default_severity: String,
    /// One line.
    pub summary: String,
    /// Markdown.
    pub documentation: String,
}

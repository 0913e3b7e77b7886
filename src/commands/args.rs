//! The arguments of every subcommand (clap derive), with the commands that
//! read them; `cli` assembles them into the command line and dispatches.

use clap::ValueEnum;
use std::path::PathBuf;

/// Formats of `graph`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GraphFormat {
    /// Graphviz DOT.
    Dot,
    /// A Mermaid flowchart.
    Mermaid,
}

/// `rclint graph` arguments.
#[derive(Debug, clap::Args)]
pub struct GraphArgs {
    /// Snapshot directories or files (default: the snapshot under the
    /// current directory).
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(short, long, value_enum, default_value_t = GraphFormat::Dot)]
    pub format: GraphFormat,
    /// Write the output to FILE (whole or not at all) instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Only what this account reaches, and the integrations that use it.
    #[arg(long, value_name = "NAME")]
    pub account: Option<String>,
    /// Config file (default: the nearest rclint.toml in the snapshot's folder
    /// or above it, up to the repository's root).
    #[arg(short, long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

/// Formats of `diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// For people.
    Human,
    /// For tools.
    Json,
    /// For a pull-request comment.
    Markdown,
    /// Each difference as a finding (RC601, RC602): SARIF 2.1.0.
    Sarif,
    /// Each difference as a GitHub Actions annotation.
    Github,
    /// Each difference as a JUnit test case.
    Junit,
    /// Each difference as a GitLab Code Quality entry.
    Gitlab,
    /// Each difference as one line, `path:line:col: CODE message`.
    Concise,
}

impl DiffFormat {
    /// The `check` format that prints differences as findings, if this is one.
    pub fn as_findings(self) -> Option<CheckFormat> {
        match self {
            DiffFormat::Human | DiffFormat::Json | DiffFormat::Markdown => None,
            DiffFormat::Sarif => Some(CheckFormat::Sarif),
            DiffFormat::Github => Some(CheckFormat::Github),
            DiffFormat::Junit => Some(CheckFormat::Junit),
            DiffFormat::Gitlab => Some(CheckFormat::Gitlab),
            DiffFormat::Concise => Some(CheckFormat::Concise),
        }
    }
}

/// `rclint diff` arguments.
#[derive(Debug, clap::Args)]
pub struct DiffArgs {
    /// The snapshot before the change (the repository's).
    pub old: PathBuf,
    /// The snapshot after the change, or a folder of Risk Cloud API
    /// responses (the live tenant, read as `rclint import` reads it).
    pub new: PathBuf,
    /// Output format.
    #[arg(short, long, value_enum, default_value_t = DiffFormat::Human)]
    pub format: DiffFormat,
    /// Write the output to FILE (whole or not at all) instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Config file of the reference, OLD, whose severities apply (default:
    /// the nearest rclint.toml in OLD or above it, up to the repository's
    /// root).
    #[arg(short, long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

/// Formats of `report`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// One self-contained HTML file.
    Html,
    /// GitHub-flavoured Markdown.
    Markdown,
    /// The same content as JSON (docs/report.md).
    Json,
    /// One row per account and grant.
    Csv,
}

/// `rclint report` arguments.
#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// Snapshot directories or files (default: the snapshot under the
    /// current directory).
    pub paths: Vec<PathBuf>,
    /// Output format (default: from the extension of -o, else html).
    #[arg(short, long, value_enum)]
    pub format: Option<ReportFormat>,
    /// Write the report to FILE (whole or not at all) instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Config file (default: the nearest rclint.toml in the snapshot's folder
    /// or above it, up to the repository's root).
    #[arg(short, long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// The generation time, YYYY-MM-DDTHH:MM:SSZ or a date (its midnight,
    /// UTC) (default: SOURCE_DATE_EPOCH, else now). Waivers are judged on
    /// its date; `--today` is the same.
    #[arg(long, visible_alias = "today", value_name = "TIME")]
    pub now: Option<String>,
    /// The JSON report of the last audit: the report then says what changed
    /// since (accounts, grants, findings, control verdicts).
    #[arg(long, value_name = "PREVIOUS.json")]
    pub since: Option<PathBuf>,
}

/// `rclint deps` arguments.
#[derive(Debug, clap::Args)]
pub struct DepsArgs {
    /// The account (user name).
    pub account: String,
    /// Snapshot directories or files (default: the snapshot under the
    /// current directory, as for `check`).
    pub paths: Vec<PathBuf>,
    /// Deprecated: name the snapshot as an operand, as for `check`.
    #[arg(short, long = "snapshot", value_name = "PATH", hide = true)]
    pub snapshot: Vec<PathBuf>,
    /// Config file (default: the nearest rclint.toml in the snapshot's folder
    /// or above it, up to the repository's root).
    #[arg(short, long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Output format.
    #[arg(short, long, value_enum, default_value_t = QueryFormat::Text)]
    pub format: QueryFormat,
}

/// Output formats of `why`, `who-can` and `deps`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum QueryFormat {
    /// Lines for people.
    Text,
    /// The same content for tools.
    Json,
}

/// Output formats of `derive`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DeriveFormat {
    /// The minimal grant and the differences, for people.
    Text,
    /// A snapshot fragment to commit: the dedicated role and permission set.
    Toml,
    /// The same content for tools.
    Json,
}

/// `rclint derive` arguments.
#[derive(Debug, clap::Args)]
pub struct DeriveArgs {
    /// Snapshot directories or files (default: the snapshot under the
    /// current directory).
    pub paths: Vec<PathBuf>,
    /// Only this account.
    #[arg(long, value_name = "NAME", conflicts_with = "integration")]
    pub account: Option<String>,
    /// Only the account of this integration.
    #[arg(long, value_name = "NAME")]
    pub integration: Option<String>,
    /// Output format.
    #[arg(short, long, value_enum, default_value_t = DeriveFormat::Text)]
    pub format: DeriveFormat,
    /// Write the output to FILE (whole or not at all) instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Config file (default: the nearest rclint.toml in the snapshot's folder
    /// or above it, up to the repository's root).
    #[arg(short, long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

/// Output formats of `rclint plan`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PlanFormat {
    /// A change ticket a reviewer follows top to bottom.
    Markdown,
    /// The same content for tools (docs/plan.schema.json).
    Json,
}

/// `rclint plan` arguments.
#[derive(Debug, clap::Args)]
pub struct PlanArgs {
    /// Snapshot directories or files (default: the snapshot under the
    /// current directory).
    pub paths: Vec<PathBuf>,
    /// Only this account.
    #[arg(long, value_name = "NAME", conflicts_with = "integration")]
    pub account: Option<String>,
    /// Only the account of this integration.
    #[arg(long, value_name = "NAME")]
    pub integration: Option<String>,
    /// Output format.
    #[arg(short, long, value_enum, default_value_t = PlanFormat::Markdown)]
    pub format: PlanFormat,
    /// Write the output to FILE (whole or not at all) instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Config file (default: the nearest rclint.toml in the snapshot's folder
    /// or above it, up to the repository's root).
    #[arg(short, long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

/// `rclint why` arguments.
#[derive(Debug, clap::Args)]
pub struct WhyArgs {
    /// The account (user name).
    pub account: String,
    /// A grant in item syntax (`module:ADMIN`, `step:App/Workflow/Step`,
    /// `application:App`, `build:App`), optionally with `=read` or `=edit`.
    pub grant: Option<String>,
    /// Snapshot directories or files (default: the snapshot under the
    /// current directory, as for `check`).
    pub paths: Vec<PathBuf>,
    /// Deprecated: name the snapshot as an operand, as for `check`.
    #[arg(short, long = "snapshot", value_name = "PATH", hide = true)]
    pub snapshot: Vec<PathBuf>,
    /// Config file (default: the nearest rclint.toml in the snapshot's folder
    /// or above it, up to the repository's root).
    #[arg(short, long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Output format.
    #[arg(short, long, value_enum, default_value_t = QueryFormat::Text)]
    pub format: QueryFormat,
}

/// `rclint who-can` arguments.
#[derive(Debug, clap::Args)]
pub struct WhoCanArgs {
    /// A grant in item syntax, optionally with `=read` or `=edit`.
    pub grant: String,
    /// Snapshot directories or files (default: the snapshot under the
    /// current directory, as for `check`).
    pub paths: Vec<PathBuf>,
    /// Deprecated: name the snapshot as an operand, as for `check`.
    #[arg(short, long = "snapshot", value_name = "PATH", hide = true)]
    pub snapshot: Vec<PathBuf>,
    /// Config file (default: the nearest rclint.toml in the snapshot's folder
    /// or above it, up to the repository's root).
    #[arg(short, long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Output format.
    #[arg(short, long, value_enum, default_value_t = QueryFormat::Text)]
    pub format: QueryFormat,
}

/// Output formats of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// Diagnostics with source excerpts, for people.
    Human,
    /// The JSON contract, for tools.
    Json,
    /// SARIF 2.1.0, for GitHub code scanning.
    Sarif,
    /// GitHub Actions workflow commands (annotations).
    Github,
    /// JUnit XML, one test case per finding.
    Junit,
    /// GitLab Code Quality JSON.
    Gitlab,
    /// One line per finding, `path:line:col: CODE message`, for terminals,
    /// editors and problem matchers.
    Concise,
}

/// When the human format is coloured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// On a terminal, unless NO_COLOR is set; CLICOLOR_FORCE forces it.
    Auto,
    /// Always, even into a file or a pipe.
    Always,
    /// Never.
    Never,
}

/// `rclint check` arguments.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Snapshot directories or files (default: the snapshot under the
    /// current directory).
    pub paths: Vec<PathBuf>,
    /// Also say on stderr which files under the snapshot folders were left
    /// out, and why (hidden, another tool's, the config, excluded).
    #[arg(short, long)]
    pub verbose: bool,
    /// Output format.
    #[arg(short, long, value_enum, default_value_t = CheckFormat::Human)]
    pub format: CheckFormat,
    /// Colour in the human format.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Write the output to FILE (whole or not at all) instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Make a rule an error for this run (repeatable, or a comma list).
    #[arg(long, value_name = "RULE", value_delimiter = ',')]
    pub deny: Vec<String>,
    /// Make a rule a warning for this run (repeatable, or a comma list).
    #[arg(long, value_name = "RULE", value_delimiter = ',')]
    pub warn: Vec<String>,
    /// Turn a rule off for this run (repeatable, or a comma list).
    #[arg(long, value_name = "RULE", value_delimiter = ',')]
    pub allow: Vec<String>,
    /// Config file (default: the nearest rclint.toml in the snapshot's folder
    /// or above it, up to the repository's root).
    #[arg(short, long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Hide the findings whose fingerprints are in FILE (they are counted).
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Write the fingerprints of today's findings to FILE and exit 0.
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
    /// With --write-baseline: accept also what is never baselined otherwise
    /// (credentials, expired waivers, syntax errors).
    #[arg(long, requires = "write_baseline")]
    pub force: bool,
    /// Judge waiver expiry as of this day instead of today (UTC): a date
    /// (YYYY-MM-DD) or a moment (YYYY-MM-DDTHH:MM:SSZ); `--now` is the same.
    #[arg(long, visible_alias = "now", value_name = "DATE", value_parser = parse_date)]
    pub today: Option<crate::config::Date>,
}

/// Parses `--today` (or `--now`): a date, or a moment whose UTC day counts.
pub fn parse_date(text: &str) -> Result<crate::time::Date, String> {
    crate::time::parse_date(text)
        .or_else(|| crate::time::parse_utc(text).map(crate::time::date_at))
        .ok_or_else(|| {
            format!("'{text}' is not a date that exists (use YYYY-MM-DD, or YYYY-MM-DDTHH:MM:SSZ)")
        })
}

/// `rclint import` arguments.
#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// A folder of JSON responses saved from the Risk Cloud API.
    pub export: PathBuf,
    /// The snapshot folder to write the generated files into.
    #[arg(short, long, value_name = "SNAPSHOT_DIR")]
    pub output: PathBuf,
    /// The config file (default: rclint.toml in SNAPSHOT_DIR, else in the
    /// current directory).
    #[arg(short, long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// When the export was taken (`2026-11-28T06:00:00Z`), written in the
    /// generated files' header (default: the newest export file's
    /// modification time).
    #[arg(long, value_name = "TIME", value_parser = parse_moment)]
    pub as_of: Option<jiff::Timestamp>,
    /// Print nothing on stderr but an error that stops the run (the exit
    /// code still says whether something was dropped).
    #[arg(short, long)]
    pub quiet: bool,
}

/// A moment in UTC, `YYYY-MM-DDTHH:MM:SSZ`.
pub fn parse_moment(text: &str) -> Result<jiff::Timestamp, String> {
    crate::time::parse_utc(text)
        .and_then(|s| jiff::Timestamp::from_second(s).ok())
        .filter(|at| crate::time::is_writable(*at))
        .ok_or_else(|| format!("'{text}' is not a moment such as 2026-11-28T06:00:00Z"))
}

/// `rclint pull` arguments.
#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("target").required(true).args(["output", "check"])))]
pub struct PullArgs {
    /// The tenant: https://TENANT.logicgate.com.
    #[arg(long)]
    pub url: String,
    /// Write the tenant into this snapshot folder (generated files only).
    #[arg(short, long, value_name = "SNAPSHOT_DIR")]
    pub output: Option<PathBuf>,
    /// Compare the tenant with this committed snapshot instead: every
    /// difference is a finding (RC601, RC602); exit 1 on added access.
    #[arg(long, value_name = "SNAPSHOT_DIR")]
    pub check: Option<PathBuf>,
    /// Output format of --check.
    #[arg(short, long, value_enum, default_value_t = DiffFormat::Human)]
    pub format: DiffFormat,
    /// Also keep every response as fetched in this folder (evidence).
    #[arg(long, value_name = "DIR")]
    pub save_raw: Option<PathBuf>,
    /// The config file (default: rclint.toml in the snapshot folder, else in
    /// the current directory).
    #[arg(short, long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Seconds a request may wait to connect, or for the server's next
    /// bytes, before it is abandoned (then retried): an idle timeout, so a
    /// large answer that keeps coming is never cut off.
    #[arg(long, value_name = "SECONDS", default_value_t = 30)]
    pub timeout: u64,
    /// Seconds the whole run may take, waits and retries included; past
    /// it, the pull stops with exit 2 and writes nothing.
    #[arg(long, value_name = "SECONDS", default_value_t = 3600, value_parser = clap::value_parser!(u64).range(1..=604_800))]
    pub deadline: u64,
    /// The largest answer read, in MiB once decompressed; a larger one
    /// stops the pull (exit 2).
    #[arg(long, value_name = "MIB", default_value_t = 512, value_parser = clap::value_parser!(u64).range(1..=4096))]
    pub max_response_mib: u64,
    /// Requests in flight at once (the lists are fetched side by side,
    /// then the permission sets' details).
    #[arg(long, value_name = "N", default_value_t = 8, value_parser = clap::value_parser!(u16).range(1..=16))]
    pub concurrency: u16,
    /// Nothing on stderr but an error that stops the run (the exit code
    /// still says whether something is missing or was dropped).
    #[arg(short, long)]
    pub quiet: bool,
}

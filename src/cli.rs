//! The command line: clap definitions and the dispatch to `commands`. Each
//! command returns the exit code; a run that cannot go as asked returns a
//! [`CliError`] that `main` prints as one line with exit code 2.

use crate::commands::{self, output::write_stdout, query, query::answer};
use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// rclint: least-privilege linter for Risk Cloud integration service accounts.
#[derive(Debug, Parser)]
#[command(name = "rclint", version, about)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Load the snapshot, run every rule, print the findings.
    Check(CheckArgs),
    /// List every rule: code, name, default severity, one line.
    Rules,
    /// Print one rule's documentation.
    Explain {
        /// A rule code (RC101) or name (admin-on-integration).
        rule: String,
    },
    /// Print each automation account's minimal grant, derived from its
    /// integrations' intents, and how it differs from what it holds.
    Derive(DeriveArgs),
    /// Print every path by which ACCOUNT holds GRANT (or all its grants).
    Why(WhyArgs),
    /// List every user holding GRANT, with the path.
    WhoCan(WhoCanArgs),
    /// Who depends on ACCOUNT: integrations, teams, owners, environments,
    /// token sources. Read it before rotating the account's Client Secret.
    Deps(DepsArgs),
    /// Write the auditors' compliance report: controls, accounts, permission
    /// matrices, access pictures, waivers, file hashes.
    Report(ReportArgs),
    /// Print the access graph, or one account's part of it.
    Graph(GraphArgs),
    /// Access drift: every grant an automation account holds in NEW and not
    /// in OLD (exit 1 when there is any), and, apart, grants removed.
    Diff(DiffArgs),
    /// Print the JSON Schema of the snapshot format or of rclint.toml, for
    /// editors to complete and validate them.
    Schema {
        /// Which schema.
        #[arg(value_enum, default_value_t = SchemaKind::Snapshot)]
        kind: SchemaKind,
    },
}

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
    /// Snapshot directories or files.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(short, long, value_enum, default_value_t = GraphFormat::Dot)]
    pub format: GraphFormat,
    /// Only what this account reaches, and the integrations that use it.
    #[arg(long, value_name = "NAME")]
    pub account: Option<String>,
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
}

/// `rclint diff` arguments.
#[derive(Debug, clap::Args)]
pub struct DiffArgs {
    /// The snapshot before the change.
    pub old: PathBuf,
    /// The snapshot after the change.
    pub new: PathBuf,
    /// Output format.
    #[arg(short, long, value_enum, default_value_t = DiffFormat::Human)]
    pub format: DiffFormat,
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
    /// Snapshot directories or files.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(short, long, value_enum, default_value_t = ReportFormat::Html)]
    pub format: ReportFormat,
    /// Write the report to FILE (whole or not at all) instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Config file (default: rclint.toml in the first directory given, then
    /// in the current directory).
    #[arg(short, long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// The generation time, YYYY-MM-DDTHH:MM:SSZ (default: SOURCE_DATE_EPOCH,
    /// else now). Waivers are judged on its date.
    #[arg(long, value_name = "TIME")]
    pub now: Option<String>,
}

/// The schemas `rclint schema` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SchemaKind {
    /// A snapshot file.
    Snapshot,
    /// The config file, rclint.toml.
    Config,
}

/// `rclint deps` arguments.
#[derive(Debug, clap::Args)]
pub struct DepsArgs {
    /// The account (user name).
    pub account: String,
    /// The snapshot (repeatable).
    #[arg(short, long = "snapshot", value_name = "PATH", default_value = ".")]
    pub snapshot: Vec<PathBuf>,
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
    /// Snapshot directories or files.
    #[arg(default_value = ".")]
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
}

/// `rclint why` arguments.
#[derive(Debug, clap::Args)]
pub struct WhyArgs {
    /// The account (user name).
    pub account: String,
    /// A grant in item syntax (`module:ADMIN`, `step:App/Workflow/Step`,
    /// `application:App`, `build:App`), optionally with `=read` or `=edit`.
    pub grant: Option<String>,
    /// The snapshot (repeatable).
    #[arg(short, long = "snapshot", value_name = "PATH", default_value = ".")]
    pub snapshot: Vec<PathBuf>,
}

/// `rclint who-can` arguments.
#[derive(Debug, clap::Args)]
pub struct WhoCanArgs {
    /// A grant in item syntax, optionally with `=read` or `=edit`.
    pub grant: String,
    /// The snapshot (repeatable).
    #[arg(short, long = "snapshot", value_name = "PATH", default_value = ".")]
    pub snapshot: Vec<PathBuf>,
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
}

/// `rclint check` arguments.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Snapshot directories or files.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(short, long, value_enum, default_value_t = CheckFormat::Human)]
    pub format: CheckFormat,
    /// Write the output to FILE (whole or not at all) instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Make a rule an error for this run (repeatable).
    #[arg(long, value_name = "RULE")]
    pub deny: Vec<String>,
    /// Make a rule a warning for this run (repeatable).
    #[arg(long, value_name = "RULE")]
    pub warn: Vec<String>,
    /// Turn a rule off for this run (repeatable).
    #[arg(long, value_name = "RULE")]
    pub allow: Vec<String>,
    /// Config file (default: rclint.toml in the first directory given, then
    /// in the current directory).
    #[arg(short, long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Hide the findings whose fingerprints are in FILE (they are counted).
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Write the fingerprints of today's findings to FILE and exit 0.
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
    /// Judge waiver expiry as of this date (YYYY-MM-DD) instead of today (UTC).
    #[arg(long, value_name = "DATE", value_parser = crate::commands::check::parse_date)]
    pub today: Option<crate::config::Date>,
}

/// A run that could not go as asked: exit code 2.
#[derive(Debug)]
pub struct CliError(pub String);

impl std::fmt::Display for CliError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl<E: std::error::Error> From<E> for CliError {
    fn from(e: E) -> Self {
        CliError(e.to_string())
    }
}

/// Runs a parsed command; returns the exit code.
pub fn run(cli: Cli) -> Result<u8, CliError> {
    match cli.command {
        Command::Check(args) => commands::check::check(&args),
        Command::Rules => {
            write_stdout(&commands::rules::rules_table())?;
            Ok(0)
        }
        Command::Explain { rule } => {
            write_stdout(&commands::rules::explain(&rule)?)?;
            Ok(0)
        }
        Command::Derive(args) => answer(query::derive(&args)?),
        Command::Why(args) => answer(query::why(&args)?),
        Command::WhoCan(args) => answer(query::who_can(&args)?),
        Command::Deps(args) => answer(query::deps(&args)?),
        Command::Report(args) => commands::report::report(&args),
        Command::Graph(args) => commands::graph::graph(&args),
        Command::Diff(args) => commands::graph::diff(&args),
        Command::Schema { kind } => {
            let schema = match kind {
                SchemaKind::Snapshot => crate::schema::snapshot(),
                SchemaKind::Config => crate::schema::config(),
            };
            let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
            text.push('\n');
            write_stdout(&text)?;
            Ok(0)
        }
    }
}

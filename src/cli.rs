//! The command line: the clap tree of subcommands (their arguments live with
//! the commands, in `commands::args`) and the one dispatch to `commands`.
//! Each command returns the exit code; a run that cannot go as asked returns
//! a [`CliError`] that `main` prints as one line with exit code 2.

pub use crate::commands::CliError;
use crate::commands::args::*;
use crate::commands::{self, output::write_stdout, query::answer};
use crate::escape::Language;
use clap::{Parser, Subcommand, ValueEnum};

/// rclint: least-privilege linter for Risk Cloud integration service accounts.
#[derive(Debug, Parser)]
#[command(
    name = "rclint",
    version,
    about,
    after_help = "Exit codes: 0 nothing to report; 1 findings at error severity, \
                  access drift, or an import or pull that could not place everything; \
                  2 a run that could not go as asked (a bad invocation, an unreadable \
                  config, input rclint will not use), with one line on stderr."
)]
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
    /// Print one rule's documentation, or what a module or an intent
    /// action grants.
    Explain {
        /// A rule code (RC101) or name (admin-on-integration), a module
        /// (RECORDS) or an intent action (move-records).
        rule: String,
    },
    /// Print each automation account's minimal grant, derived from its
    /// integrations' intents, and how it differs from what it holds.
    Derive(DeriveArgs),
    /// Each automation account's minimal grant as the changes to make in
    /// Risk Cloud: API calls, UI and identity-provider steps, and the
    /// attestations still missing. Changes nothing.
    Plan(PlanArgs),
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
    /// Turn a folder of saved Risk Cloud API responses into the generated
    /// part of a snapshot (applications, roles, permission sets, users).
    Import(ImportArgs),
    /// Fetch the live tenant from the Risk Cloud API into a snapshot folder
    /// (-o), or compare it with the committed snapshot (--check).
    Pull(PullArgs),
    /// Print the JSON Schema of the snapshot format or of rclint.toml, for
    /// editors to complete and validate them.
    Schema {
        /// Which schema.
        #[arg(value_enum, default_value_t = SchemaKind::Snapshot)]
        kind: SchemaKind,
    },
}

/// The schemas `rclint schema` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SchemaKind {
    /// A snapshot file.
    Snapshot,
    /// The config file, rclint.toml.
    Config,
}

/// Runs a parsed command; returns its exit code.
pub fn run(cli: Cli) -> Result<u8, CliError> {
    let code = match cli.command {
        Command::Check(args) => commands::check::check(&args)?,
        Command::Rules => {
            write_stdout(&commands::rules::rules_table(), Language::Text)?;
            0
        }
        Command::Explain { rule } => {
            write_stdout(&commands::rules::explain(&rule)?, Language::Text)?;
            0
        }
        Command::Derive(args) => answer(commands::derive::derive(&args)?)?,
        Command::Plan(args) => answer(commands::derive::plan(&args)?)?,
        Command::Why(args) => answer(commands::paths::why(&args)?)?,
        Command::WhoCan(args) => answer(commands::paths::who_can(&args)?)?,
        Command::Deps(args) => answer(commands::deps::deps(&args)?)?,
        Command::Report(args) => commands::report::report(&args)?,
        Command::Graph(args) => commands::graph::graph(&args)?,
        Command::Diff(args) => commands::diff::diff(&args)?,
        Command::Import(args) => commands::import::import(&args)?,
        Command::Pull(args) => commands::pull::pull(&args)?,
        Command::Schema { kind } => {
            let schema = match kind {
                SchemaKind::Snapshot => crate::schema::snapshot(),
                SchemaKind::Config => crate::schema::config(),
            };
            write_stdout(&crate::report::json_text(&schema), Language::Json)?;
            0
        }
    };
    Ok(code)
}

//! The command line: clap definitions and one function per subcommand. Each
//! returns the exit code; a run that cannot go as asked returns a [`CliError`]
//! that `main` prints as one line with exit code 2.

use crate::policy::Policy;
use crate::report::{self, ReportInput, human};
use crate::rules;
use crate::suggest;
use clap::{Parser, Subcommand, ValueEnum};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

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
}

/// Output formats of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// Diagnostics with source excerpts, for people.
    Human,
    /// The JSON contract, for tools.
    Json,
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
        Command::Check(args) => check(&args),
        Command::Rules => {
            write_stdout(&rules_table())?;
            Ok(0)
        }
        Command::Explain { rule } => {
            write_stdout(&explain(&rule)?)?;
            Ok(0)
        }
    }
}

fn check(args: &CheckArgs) -> Result<u8, CliError> {
    let policy = Policy::from_flags(&args.deny, &args.warn, &args.allow)?;
    let analysis = crate::analyze(&args.paths, &|_| false)?;
    let outcome = policy.apply(analysis.findings, &analysis.snapshot.sources);
    let input = ReportInput {
        outcome: &outcome,
        sources: &analysis.snapshot.sources,
    };
    let text = match args.format {
        CheckFormat::Json => report::json::render(&input),
        CheckFormat::Human => {
            let color = args.output.is_none()
                && std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
            let width = terminal_width();
            human::render(&input, human::Style { color, width })
        }
    };
    match &args.output {
        Some(path) => write_file(path, &text)?,
        None => write_stdout(&text)?,
    }
    Ok(u8::from(outcome.has_errors()))
}

fn terminal_width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .filter(|w: &usize| *w >= 40)
        .unwrap_or(100)
}

/// The `rclint rules` table.
pub fn rules_table() -> String {
    let mut out = String::new();
    for rule in rules::REGISTRY {
        out.push_str(&format!(
            "{}  {:<40} {:<8} {}\n",
            rule.code,
            rule.name,
            rule.default_severity.as_str(),
            rule.summary
        ));
    }
    out
}

/// The `rclint explain RULE` text.
pub fn explain(name: &str) -> Result<String, CliError> {
    let rule = rules::find(name).ok_or_else(|| {
        let names = rules::REGISTRY.iter().flat_map(|r| [r.code, r.name]);
        let hint = match suggest::closest(name, names) {
            Some(c) => format!(" (did you mean '{c}'?)"),
            None => " (see 'rclint rules')".to_string(),
        };
        CliError(format!("unknown rule '{name}'{hint}"))
    })?;
    Ok(format!(
        "# {} {}\n\nDefault severity: {}. {}.\n\n{}\n",
        rule.code,
        rule.name,
        rule.default_severity,
        capitalized(rule.summary),
        rule.documentation().trim_end()
    ))
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

fn write_stdout(text: &str) -> Result<(), CliError> {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|_| stdout.flush())
    {
        Ok(()) => Ok(()),
        // A closed pipe (`rclint check | head`) is not an error worth reporting.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(CliError(format!(
            "cannot write the output: {}",
            crate::io_message(&e)
        ))),
    }
}

/// Writes `text` to a temporary file beside `path`, then renames it, so the
/// file is written whole or not at all.
pub fn write_file(path: &Path, text: &str) -> Result<(), CliError> {
    let fail = |e: std::io::Error| {
        CliError(format!(
            "cannot write '{}': {}",
            path.display(),
            crate::io_message(&e)
        ))
    };
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = dir.join(format!(".{name}.rclint-{}.tmp", std::process::id()));
    let result = std::fs::write(&temp, text).and_then(|_| std::fs::rename(&temp, path));
    if let Err(e) = result {
        let _ = std::fs::remove_file(&temp);
        return Err(fail(e));
    }
    Ok(())
}

//! The command line: clap definitions and one function per subcommand. Each
//! returns the exit code; a run that cannot go as asked returns a [`CliError`]
//! that `main` prints as one line with exit code 2.

use crate::graph::Grant;
use crate::policy::Policy;
use crate::report::{self, ReportInput, human};
use crate::rules;
use crate::snapshot::Level;
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
        Command::Derive(args) => answer(derive(&args)?),
        Command::Why(args) => answer(why(&args)?),
        Command::WhoCan(args) => answer(who_can(&args)?),
        Command::Deps(args) => answer(deps(&args)?),
    }
}

/// What a query command (`derive`, `why`, `who-can`) answers, and how many
/// problems the snapshot has.
struct Answer {
    text: String,
    problems: usize,
}

/// Prints an answer; snapshot problems do not stop a query, but are
/// mentioned once on stderr.
fn answer(a: Answer) -> Result<u8, CliError> {
    write_stdout(&a.text)?;
    if a.problems > 0 {
        eprintln!(
            "warning: the snapshot has {} (run 'rclint check'); answers may be incomplete",
            report::plural(a.problems, "problem")
        );
    }
    Ok(0)
}

fn problems(analysis: &crate::Analysis) -> usize {
    analysis
        .findings
        .iter()
        .filter(|f| f.rule.code >= "RC400")
        .count()
}

fn analyze_for_query(paths: &[PathBuf]) -> Result<crate::Analysis, CliError> {
    Ok(crate::analyze(paths, &|_| false)?)
}

/// Finds a user by name, or says which name was meant.
fn find_account(analysis: &crate::Analysis, name: &str) -> Result<usize, CliError> {
    let users = &analysis.snapshot.index.users;
    users.get(name).copied().ok_or_else(|| {
        let hint = suggest::closest(name, users.keys().map(String::as_str))
            .map(|c| format!(" (did you mean '{c}'?)"))
            .unwrap_or_default();
        CliError(format!("unknown account '{name}'{hint}"))
    })
}

/// Parses `module:ADMIN`, `step:A/W/S=edit`, ... and checks that the target
/// exists in the snapshot.
fn parse_grant(analysis: &crate::Analysis, text: &str) -> Result<(Grant, Option<Level>), CliError> {
    let usage = "use module:CODE, application:APP, step:APP/WORKFLOW/STEP or build:APP, optionally with =read or =edit";
    let (item, level) = match text.rsplit_once('=') {
        Some((item, level)) => {
            let level = Level::parse(level)
                .ok_or_else(|| CliError(format!("invalid level in '{text}': {usage}")))?;
            (item, Some(level))
        }
        None => (text, None),
    };
    let grant =
        Grant::parse(item).ok_or_else(|| CliError(format!("invalid grant '{text}': {usage}")))?;
    let index = &analysis.snapshot.index;
    let known: Vec<&str> = match &grant {
        Grant::Module(_) => crate::catalog::ModuleCatalog::get().codes().collect(),
        Grant::Application(_) | Grant::Build(_) => {
            index.applications.keys().map(String::as_str).collect()
        }
        Grant::Step(_) => index.steps.keys().map(String::as_str).collect(),
    };
    if !known.contains(&grant.name()) {
        let hint = suggest::closest(grant.name(), known)
            .map(|c| format!(" (did you mean '{c}'?)"))
            .unwrap_or_default();
        return Err(CliError(format!(
            "'{}' is not in the snapshot{hint}",
            grant.name()
        )));
    }
    Ok((grant, level))
}

fn derive(args: &DeriveArgs) -> Result<Answer, CliError> {
    let analysis = analyze_for_query(&args.paths)?;
    if let Some(account) = &args.account {
        find_account(&analysis, account)?;
    }
    if let Some(name) = &args.integration {
        let integrations = &analysis.snapshot.index.integrations;
        if !integrations.contains_key(name) {
            let hint = suggest::closest(name, integrations.keys().map(String::as_str))
                .map(|c| format!(" (did you mean '{c}'?)"))
                .unwrap_or_default();
            return Err(CliError(format!("unknown integration '{name}'{hint}")));
        }
    }
    let derivations = crate::derive::derive(
        &analysis,
        args.account.as_deref(),
        args.integration.as_deref(),
    );
    if let (Some(account), true) = (&args.account, derivations.is_empty()) {
        return Err(CliError(format!(
            "'{account}' is not an automation account: no integration uses it and it is not a service account"
        )));
    }
    let text = match args.format {
        DeriveFormat::Text => report::derive::text(&derivations),
        DeriveFormat::Toml => report::derive::toml(&derivations),
        DeriveFormat::Json => report::derive::json(&derivations),
    };
    Ok(Answer {
        text,
        problems: problems(&analysis),
    })
}

fn why(args: &WhyArgs) -> Result<Answer, CliError> {
    let analysis = analyze_for_query(&args.snapshot)?;
    let u = find_account(&analysis, &args.account)?;
    let access = &analysis.graph.access[u];
    let wanted = match &args.grant {
        Some(text) => Some(parse_grant(&analysis, text)?),
        None => None,
    };
    let grants: Vec<_> = match &wanted {
        Some((grant, level)) => {
            let paths = access
                .paths(grant)
                .iter()
                .filter(|p| level.is_none_or(|l| p.level >= l))
                .collect();
            vec![(grant, paths)]
        }
        None => access
            .grants
            .iter()
            .map(|(g, paths)| (g, paths.iter().collect()))
            .collect(),
    };
    Ok(Answer {
        text: report::paths::why(&analysis.snapshot, &args.account, &grants),
        problems: problems(&analysis),
    })
}

fn deps(args: &DepsArgs) -> Result<Answer, CliError> {
    let analysis = analyze_for_query(&args.snapshot)?;
    let u = find_account(&analysis, &args.account)?;
    let model = &analysis.snapshot.model;
    let integrations: Vec<_> = analysis.graph.integrations_of[u]
        .iter()
        .map(|&i| &model.integrations[i])
        .collect();
    Ok(Answer {
        text: report::deps::deps(&analysis.snapshot, &model.users[u], &integrations),
        problems: problems(&analysis),
    })
}

fn who_can(args: &WhoCanArgs) -> Result<Answer, CliError> {
    let analysis = analyze_for_query(&args.snapshot)?;
    let (grant, level) = parse_grant(&analysis, &args.grant)?;
    let snapshot = &analysis.snapshot;
    let holders: Vec<_> = (0..snapshot.model.users.len())
        .filter(|&u| {
            snapshot
                .index
                .users
                .get(&snapshot.model.users[u].name.value)
                == Some(&u)
        })
        .map(|u| {
            let paths: Vec<_> = analysis.graph.access[u]
                .paths(&grant)
                .iter()
                .filter(|p| level.is_none_or(|l| p.level >= l))
                .collect();
            (u, paths)
        })
        .filter(|(_, paths)| !paths.is_empty())
        .collect();
    Ok(Answer {
        text: report::paths::who_can(snapshot, &grant, &holders),
        problems: problems(&analysis),
    })
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

//! The query commands: `derive`, `why`, `who-can` and `deps`. They answer
//! from the same analysis as `check`; snapshot problems do not stop them.

use super::CliError;
use super::args::{DepsArgs, DeriveArgs, DeriveFormat, WhoCanArgs, WhyArgs};
use super::output::write_stdout;
use crate::graph::Grant;
use crate::report;
use crate::snapshot::Level;
use crate::suggest;

/// What a query command (`derive`, `why`, `who-can`) answers, and how many
/// problems the snapshot has.
pub struct Answer {
    text: String,
    problems: usize,
}

/// Prints an answer; snapshot problems do not stop a query, but are
/// mentioned once on stderr.
pub fn answer(a: Answer) -> Result<u8, CliError> {
    write_stdout(&a.text)?;
    if a.problems > 0 {
        eprintln!(
            "warning: the snapshot has {} (run 'rclint check'); answers may be incomplete",
            report::plural(a.problems, "problem")
        );
    }
    Ok(0)
}

fn problems(analysis: &crate::analysis::Analysis) -> usize {
    analysis
        .findings
        .iter()
        .filter(|f| f.rule.code >= "RC400")
        .count()
}

/// Finds a user by name, or says which name was meant.
pub fn find_account(analysis: &crate::analysis::Analysis, name: &str) -> Result<usize, CliError> {
    let users = &analysis.snapshot.index.users;
    users.get(name).copied().ok_or_else(|| {
        let hint = suggest::closest(name, users.keys().map(String::as_str))
            .map(|c| format!(" (did you mean '{c}'?)"))
            .unwrap_or_default();
        CliError(format!("unknown account '{name}'{hint}"))
    })
}

/// Parses a grant as `check` prints it as an item (`module:ADMIN`,
/// `step:A/W/S`), optionally followed by `=read` or `=edit`, and checks that
/// the target exists in the snapshot. A name may itself hold `=` or `:`
/// (`application:R&D = 1`): the whole text is taken as the item when it
/// names something, before a trailing `=level` is split off.
fn parse_grant(
    analysis: &crate::analysis::Analysis,
    text: &str,
) -> Result<(Grant, Option<Level>), CliError> {
    let usage = "use module:CODE, application:APP, step:APP/WORKFLOW/STEP or build:APP, optionally with =read or =edit";
    let with_level = text
        .rsplit_once('=')
        .and_then(|(item, level)| Some((item, Some(Level::parse(level)?))));
    let candidates = [Some((text, None)), with_level];
    let mut first_error = None;
    for (item, level) in candidates.into_iter().flatten() {
        let Some(grant) = Grant::parse(item) else {
            continue;
        };
        match known_grant(analysis, &grant) {
            Ok(()) => return Ok((grant, level)),
            Err(e) => {
                // The error about the level-split form names what was meant.
                first_error = Some(e);
            }
        }
    }
    Err(first_error.unwrap_or_else(|| CliError(format!("invalid grant '{text}': {usage}"))))
}

/// Whether the snapshot defines the grant's target, or which name was meant.
fn known_grant(analysis: &crate::analysis::Analysis, grant: &Grant) -> Result<(), CliError> {
    let index = &analysis.snapshot.index;
    let known: Vec<&str> = match grant {
        Grant::Module(_) => crate::catalog::ModuleCatalog::get().codes().collect(),
        Grant::Application(_) | Grant::Build(_) => {
            index.applications.keys().map(String::as_str).collect()
        }
        Grant::Step(_) => index.steps.keys().map(String::as_str).collect(),
    };
    if known.contains(&grant.name()) {
        return Ok(());
    }
    let hint = suggest::closest(grant.name(), known)
        .map(|c| format!(" (did you mean '{c}'?)"))
        .unwrap_or_default();
    Err(CliError(format!(
        "'{}' is not in the snapshot{hint}",
        grant.name()
    )))
}

pub fn derive(args: &DeriveArgs) -> Result<Answer, CliError> {
    let analysis = super::analyze_with_config(&args.paths)?;
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
        DeriveFormat::Text => report::query::derivation::text(&derivations),
        DeriveFormat::Toml => report::query::derivation::toml(&derivations),
        DeriveFormat::Json => report::query::derivation::json(&derivations),
    };
    Ok(Answer {
        text,
        problems: problems(&analysis),
    })
}

pub fn why(args: &WhyArgs) -> Result<Answer, CliError> {
    let analysis = super::analyze_with_config(&args.snapshot)?;
    let u = find_account(&analysis, &args.account)?;
    let access = analysis.graph.access_of(&analysis.snapshot, u);
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
        text: report::query::paths::why(
            &analysis.snapshot,
            &analysis.graph,
            &args.account,
            &grants,
        ),
        problems: problems(&analysis),
    })
}

pub fn deps(args: &DepsArgs) -> Result<Answer, CliError> {
    let analysis = super::analyze_with_config(&args.snapshot)?;
    let u = find_account(&analysis, &args.account)?;
    let model = &analysis.snapshot.model;
    let integrations: Vec<_> = analysis
        .graph
        .integrations_of(u)
        .iter()
        .map(|&i| &model.integrations[i])
        .collect();
    Ok(Answer {
        text: report::query::deps::deps(&analysis.snapshot, &model.users[u], &integrations),
        problems: problems(&analysis),
    })
}

pub fn who_can(args: &WhoCanArgs) -> Result<Answer, CliError> {
    let analysis = super::analyze_with_config(&args.snapshot)?;
    let (grant, level) = parse_grant(&analysis, &args.grant)?;
    let snapshot = &analysis.snapshot;
    let holders: Vec<_> = (0..snapshot.model.users.len())
        .filter_map(|u| {
            let access = analysis.graph.access_of(snapshot, u);
            let paths: Vec<_> = access
                .paths(&grant)
                .iter()
                .filter(|p| level.is_none_or(|l| p.level >= l))
                .cloned()
                .collect();
            (!paths.is_empty()).then_some((u, paths))
        })
        .collect();
    Ok(Answer {
        text: report::query::paths::who_can(snapshot, &analysis.graph, &grant, &holders),
        problems: problems(&analysis),
    })
}

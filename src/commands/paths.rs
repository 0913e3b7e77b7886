//! `rclint why` and `rclint who-can`: every path behind a grant, from the
//! account or from the grant.

use super::CliError;
use super::args::{QueryFormat, WhoCanArgs, WhyArgs};
use super::query::{Answer, find_account, problems};
use crate::escape::Language;
use crate::graph::Grant;
use crate::report;
use crate::snapshot::Level;
use crate::suggest;

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
    let apps = &analysis.snapshot.model.applications;
    let known: Vec<String> = match grant {
        Grant::Module(_) => crate::catalog::ModuleCatalog::get()
            .codes()
            .map(str::to_string)
            .collect(),
        Grant::Application(_) | Grant::Build(_) => {
            apps.iter().map(|a| a.name.value.to_string()).collect()
        }
        Grant::Step(_) => crate::snapshot::StepTable::paths(apps).collect(),
    };
    if known.iter().any(|k| k == grant.name()) {
        return Ok(());
    }
    let hint = suggest::hint(suggest::closest(
        grant.name(),
        known.iter().map(String::as_str),
    ));
    Err(CliError(format!(
        "'{}' is not in the snapshot{hint}",
        grant.name()
    )))
}

/// Whether an operand of `why` after the account is a grant (`kind:...`)
/// rather than a snapshot path.
fn looks_like_grant(text: &str) -> bool {
    let item = text.rsplit_once('=').map_or(text, |(item, _)| item);
    Grant::parse(item).is_some() || Grant::parse(text).is_some()
}

/// Runs `why`. The operand after the account is the grant when it reads
/// as one (`module:ADMIN`), else the first snapshot path.
pub fn why(args: &WhyArgs) -> Result<Answer, CliError> {
    let (grant, operands) = match &args.grant {
        Some(g) if !looks_like_grant(g) && std::path::Path::new(g).exists() => {
            let mut paths = vec![std::path::PathBuf::from(g)];
            paths.extend(args.paths.iter().cloned());
            (None, paths)
        }
        other => (other.clone(), args.paths.clone()),
    };
    let paths = super::snapshot_paths(&operands, &args.snapshot)?;
    let analysis = super::analyze_with_config(&paths, args.config.as_deref())?;
    let u = find_account(&analysis, &args.account)?;
    let access = analysis.graph.access_of(&analysis.snapshot, u);
    let wanted = match &grant {
        Some(text) => Some(parse_grant(&analysis, text)?),
        None => None,
    };
    // Asked about one grant at a level it holds only lower: the paths it has,
    // and the answer is no.
    let mut lower = None;
    let grants: Vec<_> = match &wanted {
        Some((grant, level)) => {
            let mut paths: Vec<_> = access
                .paths(grant)
                .iter()
                .filter(|p| level.is_none_or(|l| p.level >= l))
                .collect();
            if paths.is_empty() && !access.paths(grant).is_empty() {
                lower = *level;
                paths = access.paths(grant).iter().collect();
            }
            vec![(grant, paths)]
        }
        None => access
            .iter()
            .map(|(g, paths)| (g, paths.iter().collect()))
            .collect(),
    };
    let held = grants.iter().any(|(_, paths)| !paths.is_empty());
    let (text, language) = match args.format {
        QueryFormat::Text => (
            report::query::paths::why(
                &analysis.snapshot,
                &analysis.graph,
                &args.account,
                &grants,
                lower,
            ),
            Language::Text,
        ),
        QueryFormat::Json => (
            report::query::paths::why_json(
                &analysis.snapshot,
                &analysis.graph,
                &args.account,
                grant.as_deref(),
                &grants,
                lower,
            ),
            Language::Json,
        ),
    };
    Ok(Answer {
        text,
        problems: problems(&analysis),
        code: u8::from(wanted.is_some() && (!held || lower.is_some())),
        language,
        analysis: None,
        output: None,
    }
    .keeping(analysis))
}

/// Runs `who-can`: each holder's lines are written as the holder is found.
pub fn who_can(args: &WhoCanArgs) -> Result<Answer, CliError> {
    let paths = super::snapshot_paths(&args.paths, &args.snapshot)?;
    let analysis = super::access_with_config(&paths, args.config.as_deref())?;
    let (grant, level) = parse_grant(&analysis, &args.grant)?;
    let snapshot = &analysis.snapshot;
    let graph = &analysis.graph;
    let json = args.format == QueryFormat::Json;
    let language = if json { Language::Json } else { Language::Text };
    super::output::stream_stdout(language, |out| {
        use rayon::prelude::*;
        let mut any = false;
        if json {
            let head = serde_json::json!({ "grant": grant.to_string(), "level": level.map(|l| l.as_str()) });
            // The object is written as holders are found: its head without
            // the closing brace, then the holders array.
            let head = serde_json::to_string(&head).map_err(std::io::Error::other)?;
            out.write_all(head.trim_end_matches('}').as_bytes())?;
            out.write_all(b",\"holders\":[")?;
        }
        graph.each_holder(snapshot, &grant, level, &mut |holders| {
            // Each holder's lines are written on any core, printed in order.
            let lines: Vec<String> = holders
                .par_iter()
                .map(|(u, paths)| {
                    if json {
                        let holder =
                            report::query::paths::holder_json(snapshot, graph, &grant, *u, paths);
                        serde_json::to_string(&holder).unwrap_or_default()
                    } else {
                        report::query::paths::holder_lines(snapshot, graph, &grant, *u, paths)
                    }
                })
                .collect();
            lines.iter().try_for_each(|l| {
                if json {
                    out.write_all(if any { b",\n" } else { b"\n" })?;
                }
                any = true;
                out.write_all(l.as_bytes())
            })
        })?;
        if json {
            out.write_all(b"\n]}\n")?;
        } else if !any {
            out.write_all(report::query::paths::nobody_holds(&grant).as_bytes())?;
        }
        Ok(())
    })?;
    Ok(Answer {
        text: String::new(),
        problems: problems(&analysis),
        code: 0,
        language: Language::Text,
        analysis: None,
        output: None,
    }
    .keeping(analysis))
}

//! `rclint why` and `rclint who-can`: every path behind a grant, from the
//! account or from the grant.

use super::CliError;
use super::args::{QueryFormat, WhoCanArgs, WhyArgs};
use super::query::{Answer, find_account, problems};
use crate::analysis::Depth;
use crate::escape::Language;
use crate::graph::Grant;
use crate::report;

/// Runs `why`. The operand after the account is the grant when it reads
/// as one (`module:ADMIN`), else the first snapshot path.
pub fn why(args: &WhyArgs) -> Result<Answer, CliError> {
    let (grant, operands) = match &args.grant {
        Some(g) if !Grant::looks_like(g) && std::path::Path::new(g).exists() => {
            let mut paths = vec![std::path::PathBuf::from(g)];
            paths.extend(args.paths.iter().cloned());
            (None, paths)
        }
        other => (other.clone(), args.paths.clone()),
    };
    let paths = super::snapshot_paths(&operands, &args.snapshot)?;
    let workspace = super::open(&paths, args.config.as_deref(), Depth::Rules)?;
    let analysis = workspace.analysis();
    let u = find_account(analysis, &args.account)?;
    let access = analysis.graph.access_of(&analysis.snapshot, u);
    let wanted = match &grant {
        Some(text) => Some(Grant::parse_known(text, &analysis.snapshot).map_err(CliError)?),
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
        problems: problems(analysis),
        code: u8::from(wanted.is_some() && (!held || lower.is_some())),
        language,
        output: None,
    })
}

/// Runs `who-can`: each holder's lines are written as the holder is found.
pub fn who_can(args: &WhoCanArgs) -> Result<Answer, CliError> {
    let paths = super::snapshot_paths(&args.paths, &args.snapshot)?;
    let workspace = super::open(&paths, args.config.as_deref(), Depth::AccessOnly)?;
    let analysis = workspace.analysis();
    let (grant, level) = Grant::parse_known(&args.grant, &analysis.snapshot).map_err(CliError)?;
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
        problems: problems(analysis),
        code: 0,
        language: Language::Text,
        output: None,
    })
}

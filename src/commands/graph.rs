//! `rclint graph`: the access graph, or one account's part of it, as DOT or
//! Mermaid.

use super::CliError;
use super::args::{GraphArgs, GraphFormat};
use super::output::write_to;
use super::query::find_account;
use crate::analysis::Depth;
use crate::escape::Language;
use crate::report;

/// Runs `graph`; returns the exit code.
pub fn graph(args: &GraphArgs) -> Result<u8, CliError> {
    let workspace = super::open(
        &super::snapshot_paths(&args.paths, &[])?,
        args.config.as_deref(),
        Depth::Rules,
    )?;
    let analysis = workspace.analysis();
    let user = match &args.account {
        Some(name) => Some(find_account(analysis, name)?),
        None => None,
    };
    let nodes = report::query::diagram::selection(&analysis.graph, user);
    let text = match args.format {
        GraphFormat::Dot => {
            report::query::diagram::dot(&analysis.snapshot, &analysis.graph, &nodes)
        }
        GraphFormat::Mermaid => {
            report::query::diagram::mermaid(&analysis.snapshot, &analysis.graph, &nodes)
        }
    };
    write_to(args.output.as_deref(), &text, Language::Text)?;
    Ok(0)
}

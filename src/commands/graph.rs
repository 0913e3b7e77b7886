//! `rclint graph` and `rclint diff`: the access graph, and access drift
//! between two snapshots.

use super::output::write_stdout;
use super::query::find_account;
use crate::cli::{CliError, DiffArgs, DiffFormat, GraphArgs, GraphFormat};
use crate::config;
use crate::report;
use std::path::PathBuf;

/// Loads a snapshot with the exclusions of its own `rclint.toml`, if any.
fn analyze_with_exclusions(paths: &[PathBuf]) -> Result<crate::Analysis, CliError> {
    let config = match config::locate(None, paths) {
        Some(path) => Some(config::load(&path)?),
        None => None,
    };
    let excluded = config::exclusion(config.as_ref().map_or(&[][..], |c| &c.exclude));
    Ok(crate::analyze(paths, &excluded)?)
}

/// Runs `graph`; returns the exit code.
pub fn graph(args: &GraphArgs) -> Result<u8, CliError> {
    let analysis = analyze_with_exclusions(&args.paths)?;
    let user = match &args.account {
        Some(name) => Some(find_account(&analysis, name)?),
        None => None,
    };
    let nodes = report::graph::selection(&analysis.graph, user);
    let text = match args.format {
        GraphFormat::Dot => report::graph::dot(&analysis.snapshot, &analysis.graph, &nodes),
        GraphFormat::Mermaid => report::graph::mermaid(&analysis.snapshot, &analysis.graph, &nodes),
    };
    write_stdout(&text)?;
    Ok(0)
}

/// Runs `diff`; exit code 1 when access was added.
pub fn diff(args: &DiffArgs) -> Result<u8, CliError> {
    let old = analyze_with_exclusions(std::slice::from_ref(&args.old))?;
    let new = analyze_with_exclusions(std::slice::from_ref(&args.new))?;
    let drift = crate::drift::diff(&old, &new);
    let (n, o) = (&new.snapshot.sources, &old.snapshot.sources);
    let text = match args.format {
        DiffFormat::Human => report::drift::human(&drift, n, o),
        DiffFormat::Json => report::drift::json(&drift, n, o),
        DiffFormat::Markdown => report::drift::markdown(&drift, n, o),
    };
    write_stdout(&text)?;
    Ok(u8::from(!drift.added.is_empty()))
}

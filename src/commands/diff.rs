//! `rclint diff`: access drift between two snapshots.

use super::CliError;
use super::analyze_with_config;
use super::args::{DiffArgs, DiffFormat};
use super::output::write_stdout;
use crate::report;
use crate::report::escape::Language;

/// Runs `diff`; exit code 1 when access was added, or when either snapshot
/// has problems that make the comparison incomplete (never a false green).
pub fn diff(args: &DiffArgs) -> Result<u8, CliError> {
    let old = analyze_with_config(std::slice::from_ref(&args.old))?;
    let new = analyze_with_config(std::slice::from_ref(&args.new))?;
    let drift = crate::drift::diff(&old, &new);
    let (n, o) = (&new.snapshot.sources, &old.snapshot.sources);
    let (text, language) = match args.format {
        DiffFormat::Human => (report::query::changes::human(&drift, n, o), Language::Text),
        DiffFormat::Json => (report::query::changes::json(&drift, n, o), Language::Json),
        DiffFormat::Markdown => (
            report::query::changes::markdown(&drift, n, o),
            Language::Text,
        ),
    };
    write_stdout(&text, language)?;
    Ok(u8::from(!drift.added.is_empty() || drift.incomplete()))
}

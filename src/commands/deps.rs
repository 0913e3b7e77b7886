//! `rclint deps`: who depends on an account, before rotating its secret.

use super::CliError;
use super::args::DepsArgs;
use super::query::{Answer, find_account, problems};
use crate::report;

/// Runs `deps`.
pub fn deps(args: &DepsArgs) -> Result<Answer, CliError> {
    let analysis =
        super::analyze_with_config(&super::snapshot_paths(&args.paths, &args.snapshot)?)?;
    let u = find_account(&analysis, &args.account)?;
    let model = &analysis.snapshot.model;
    let integrations = analysis.integrations_of(u);
    Ok(Answer {
        text: report::query::deps::deps(&analysis.snapshot, &model.users[u], &integrations),
        problems: problems(&analysis),
        code: 0,
        language: crate::report::escape::Language::Text,
        analysis: None,
    }
    .keeping(analysis))
}

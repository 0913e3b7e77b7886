//! `rclint deps`: who depends on an account, before rotating its secret.

use super::CliError;
use super::args::{DepsArgs, QueryFormat};
use super::query::{Answer, find_account, problems};
use crate::analysis::Depth;
use crate::escape::Language;
use crate::report;

/// Runs `deps`.
pub fn deps(args: &DepsArgs) -> Result<Answer, CliError> {
    // `rclint deps snap`: the account was forgotten, and the snapshot
    // folder taken for it.
    if args.paths.is_empty() && std::path::Path::new(&args.account).is_dir() {
        let shown = crate::snapshot::display_path(std::path::Path::new(&args.account));
        return Err(CliError(format!(
            "'{shown}' is a folder, not an account: rclint deps ACCOUNT {shown}"
        )));
    }
    let workspace = super::open(
        &super::snapshot_paths(&args.paths, &args.snapshot)?,
        args.config.as_deref(),
        Depth::Rules,
    )?;
    let analysis = workspace.analysis();
    let u = find_account(analysis, &args.account)?;
    let model = &analysis.snapshot.model;
    let integrations = analysis.integrations_of(u);
    let user = &model.users[u];
    let (text, language) = match args.format {
        QueryFormat::Text => (
            report::query::deps::deps(&analysis.snapshot, user, &integrations),
            Language::Text,
        ),
        QueryFormat::Json => (
            report::query::deps::deps_json(&analysis.snapshot, user, &integrations),
            Language::Json,
        ),
    };
    Ok(Answer {
        text,
        problems: problems(analysis),
        code: 0,
        language,
        output: None,
    })
}

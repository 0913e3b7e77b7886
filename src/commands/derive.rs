//! `rclint derive`: each automation account's minimal grant, as text, a
//! snapshot fragment or JSON.

use super::CliError;
use super::args::{DeriveArgs, DeriveFormat, PlanArgs, PlanFormat};
use super::query::{Answer, find_account, problems};
use crate::analysis::{Depth, Workspace};
use crate::escape::Language;
use crate::report;
use crate::suggest;

/// The derivations `derive` and `plan` print: every automation account, or
/// the one named, or the one of the integration named.
fn derivations(
    workspace: &Workspace,
    account: Option<&str>,
    integration: Option<&str>,
) -> Result<Vec<crate::derive::AccountDerivation>, CliError> {
    let analysis = workspace.analysis();
    if let Some(account) = account {
        find_account(analysis, account)?;
    }
    if let Some(name) = integration {
        let snapshot = &analysis.snapshot;
        if snapshot.integration_named(name).is_none() {
            let integrations = snapshot.model.integrations.iter();
            let hint = suggest::hint(suggest::closest(
                name,
                integrations.map(|i| i.name.value.as_str()),
            ));
            return Err(CliError(format!("unknown integration '{name}'{hint}")));
        }
    }
    let derivations = crate::derive::derive(analysis, account, integration);
    if let (Some(account), true) = (account, derivations.is_empty()) {
        return Err(CliError(format!(
            "'{account}' is not an automation account: no integration uses it and it is not a service account"
        )));
    }
    Ok(derivations)
}

/// Runs `derive`.
pub fn derive(args: &DeriveArgs) -> Result<Answer, CliError> {
    let workspace = super::open(
        &super::snapshot_paths(&args.paths, &[])?,
        args.config.as_deref(),
        Depth::Rules,
    )?;
    let analysis = workspace.analysis();
    let derivations = derivations(
        &workspace,
        args.account.as_deref(),
        args.integration.as_deref(),
    )?;
    let (text, language) = match args.format {
        DeriveFormat::Text => (
            report::query::derivation::text(&derivations),
            Language::Text,
        ),
        DeriveFormat::Toml => (
            report::query::derivation::toml(&derivations),
            Language::Toml,
        ),
        DeriveFormat::Json => (
            report::query::derivation::json(&derivations),
            Language::Json,
        ),
    };
    Ok(Answer {
        text,
        problems: problems(analysis),
        code: 0,
        language,
        output: args.output.clone(),
    })
}

/// Runs `plan`: the minimal grant as changes to make in Risk Cloud.
pub fn plan(args: &PlanArgs) -> Result<Answer, CliError> {
    let workspace = super::open(
        &super::snapshot_paths(&args.paths, &[])?,
        args.config.as_deref(),
        Depth::Rules,
    )?;
    let derivations = derivations(
        &workspace,
        args.account.as_deref(),
        args.integration.as_deref(),
    )?;
    let plans = crate::plan::plan(workspace.analysis(), &derivations, workspace.today);
    let (text, language) = match args.format {
        PlanFormat::Markdown => (report::query::plan::markdown(&plans), Language::Text),
        PlanFormat::Json => (report::query::plan::json(&plans), Language::Json),
    };
    Ok(Answer {
        text,
        problems: problems(workspace.analysis()),
        code: 0,
        language,
        output: args.output.clone(),
    })
}

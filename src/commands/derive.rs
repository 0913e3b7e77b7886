//! `rclint derive`: each automation account's minimal grant, as text, a
//! snapshot fragment or JSON.

use super::CliError;
use super::args::{DeriveArgs, DeriveFormat};
use super::query::{Answer, find_account, problems};
use crate::analysis::Depth;
use crate::escape::Language;
use crate::report;
use crate::suggest;

/// Runs `derive`.
pub fn derive(args: &DeriveArgs) -> Result<Answer, CliError> {
    let workspace = super::open(
        &super::snapshot_paths(&args.paths, &[])?,
        args.config.as_deref(),
        Depth::Rules,
    )?;
    let analysis = workspace.analysis();
    if let Some(account) = &args.account {
        find_account(analysis, account)?;
    }
    if let Some(name) = &args.integration {
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
    let derivations = crate::derive::derive(
        analysis,
        args.account.as_deref(),
        args.integration.as_deref(),
    );
    if let (Some(account), true) = (&args.account, derivations.is_empty()) {
        return Err(CliError(format!(
            "'{account}' is not an automation account: no integration uses it and it is not a service account"
        )));
    }
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

//! `rclint diff`: access drift between two snapshots, or between the
//! repository's snapshot and the live tenant (a folder of API responses).

use super::CliError;
use super::args::{DiffArgs, DiffFormat};
use super::output::write_to;
use super::{analyze, load_config, tenant};
use crate::analysis::Analysis;
use crate::drift::{Side, StateNames};
use crate::escape::Language;
use crate::report;

/// Runs `diff`; exit code 1 when access was added (RC601, or any drift rule
/// the config makes an error), or when either snapshot has problems that
/// make the comparison incomplete (never a false green).
pub fn diff(args: &DiffArgs) -> Result<u8, CliError> {
    let config = load_config(args.config.as_deref(), std::slice::from_ref(&args.old))?;
    let old = analyze(std::slice::from_ref(&args.old), config.as_ref())?;
    let shown = crate::snapshot::display_path(&args.new);
    let holds = tenant::holds(&args.new)?;
    let said = match holds {
        tenant::Holds::Responses => {
            format!("note: reading '{shown}' as the tenant: saved Risk Cloud API responses")
        }
        tenant::Holds::Snapshot => format!("note: reading '{shown}' as a snapshot"),
    };
    eprintln!("{}", crate::escape::visible_controls(&said, Language::Line));
    if holds == tenant::Holds::Responses {
        let export = super::import::read_export(&args.new)?;
        super::import::say_not_read(&export.not_read, false);
        let files = export.files;
        let provenance = crate::import::Provenance {
            source: crate::snapshot::display_path(&args.new),
            as_of: jiff::Timestamp::UNIX_EPOCH,
        };
        let settings = config
            .as_ref()
            .map(|c| c.import.clone())
            .unwrap_or_default();
        let imported =
            crate::import::import(&files, &settings, &provenance).map_err(|e| CliError(e.0))?;
        let dropped = tenant::report_problems(&imported, false);
        let new = tenant::view(&args.old, config.as_ref(), &imported)?;
        let code = compare(
            &old,
            &new,
            args.format,
            args.output.as_deref(),
            Side::Old,
            TENANT,
            config.as_ref(),
        )?;
        return Ok(code.max(u8::from(dropped)));
    }
    let new = super::analyze_with_config(std::slice::from_ref(&args.new), None)?;
    compare(
        &old,
        &new,
        args.format,
        args.output.as_deref(),
        Side::New,
        SNAPSHOTS,
        config.as_ref(),
    )
}

/// The names of the two states when NEW is the tenant.
pub const TENANT: StateNames = StateNames {
    old: "the repository",
    new: "the tenant",
};

/// The names of the two states when both are snapshots.
pub const SNAPSHOTS: StateNames = StateNames {
    old: "the old snapshot",
    new: "the new snapshot",
};

/// Compares two analyses and prints the drift in `format` to `output` (else
/// stdout); the exit code.
/// The severities of `config` (the reference's rclint.toml) apply to the
/// drift findings: `RC602 = "error"` makes lost access fail the run too.
pub fn compare(
    old: &Analysis,
    new: &Analysis,
    format: DiffFormat,
    output: Option<&std::path::Path>,
    at: Side,
    names: StateNames,
    config: Option<&crate::config::Config>,
) -> Result<u8, CliError> {
    let drift = crate::drift::diff(old, new);
    // Every difference is a finding, with the config's severities: the exit
    // code is 1 when one is an error (RC601 by default), or when the
    // comparison is incomplete; in every format.
    let (sources, findings) = crate::drift::findings(old, new, &drift, at, names);
    let mut policy = crate::policy::Policy::default();
    if let Some(c) = config {
        policy = policy.with_severities(c);
    }
    let outcome = policy.apply(findings, &sources);
    let code = u8::from(drift.incomplete() || outcome.has_errors());
    if let Some(check_format) = format.as_findings() {
        let input = report::check::ReportInput {
            outcome: &outcome,
            sources: &sources,
        };
        let (text, language) = super::check::render(check_format, &input, true)?;
        write_to(output, &text, language)?;
        return Ok(code);
    }
    let (n, o) = (&new.snapshot.sources, &old.snapshot.sources);
    let (text, language) = match format {
        DiffFormat::Json => (report::query::changes::json(&drift, n, o), Language::Json),
        DiffFormat::Markdown => (
            report::query::changes::markdown(&drift, n, o),
            Language::Text,
        ),
        _ => (report::query::changes::human(&drift, n, o), Language::Text),
    };
    write_to(output, &text, language)?;
    Ok(code)
}

//! `rclint diff`: access drift between two snapshots, or between the
//! repository's snapshot and the live tenant (a folder of API responses).

use super::CliError;
use super::args::{DiffArgs, DiffFormat};
use super::load_config;
use super::output::write_to;
use crate::analysis::Analysis;
use crate::analysis::{Depth, Workspace};
use crate::drift::tenant::{self, Holds};
use crate::drift::{self, Judged, Side};
use crate::escape::Language;
use crate::report;

/// Runs `diff`; exit code 1 when access was added (RC601, or any drift rule
/// the config makes an error), or when either snapshot has problems that
/// make the comparison incomplete (never a false green).
pub fn diff(args: &DiffArgs) -> Result<u8, CliError> {
    let config = load_config(args.config.as_deref(), std::slice::from_ref(&args.old))?;
    let shown = crate::snapshot::display_path(&args.new);
    let holds = tenant::holds(&args.new).map_err(CliError)?;
    let said = match holds {
        Holds::Responses => {
            format!("note: reading '{shown}' as the tenant: saved Risk Cloud API responses")
        }
        Holds::Snapshot => format!("note: reading '{shown}' as a snapshot"),
    };
    eprintln!("{}", crate::escape::visible_controls(&said, Language::Line));
    if holds == Holds::Responses {
        let export = super::import::read_export(&args.new)?;
        super::import::say_not_read(&export.not_read, false);
        let provenance = crate::import::Provenance {
            source: crate::snapshot::display_path(&args.new),
            as_of: jiff::Timestamp::UNIX_EPOCH,
        };
        let settings = config
            .as_ref()
            .map(|c| c.import.clone())
            .unwrap_or_default();
        let imported = crate::import::import(&export.files, &settings, &provenance)
            .map_err(|e| CliError(e.0))?;
        let against = Against {
            format: args.format,
            output: args.output.as_deref(),
            quiet: false,
        };
        return against_tenant(&args.old, config.as_ref(), imported, against);
    }
    let today = crate::time::today();
    let old = Workspace::with_config(std::slice::from_ref(&args.old), config, today, Depth::Rules)?;
    let new = super::open(std::slice::from_ref(&args.new), None, Depth::Rules)?;
    let (old_analysis, new_analysis) = (old.analysis(), new.analysis());
    let judged = drift::judge(
        old_analysis,
        new_analysis,
        Side::New,
        drift::SNAPSHOTS,
        old.config.as_ref(),
    );
    print(
        &judged,
        old_analysis,
        new_analysis,
        args.format,
        args.output.as_deref(),
    )
}

/// How a comparison with the tenant is printed.
pub struct Against<'a> {
    /// The format.
    pub format: DiffFormat,
    /// Where, else stdout.
    pub output: Option<&'a std::path::Path>,
    /// Whether to leave out what the import could not place.
    pub quiet: bool,
}

/// Compares the committed snapshot with the tenant `imported` holds (the
/// export → import → tenant → compare of `diff SNAPSHOT EXPORT` and `pull
/// --check`), prints the drift, and says what the import could not place;
/// the exit code, 1 too when the comparison is incomplete.
pub fn against_tenant(
    committed: &std::path::Path,
    config: Option<&crate::config::Config>,
    imported: crate::import::Imported,
    how: Against,
) -> Result<u8, CliError> {
    let dropped = super::import::report_problems(&imported, how.quiet);
    let today = crate::time::today();
    let old = Workspace::with_config(
        &[committed.to_path_buf()],
        config.cloned(),
        today,
        Depth::Rules,
    )?;
    let new = Workspace::of(
        tenant::view(committed, config, imported.files, today)?,
        None,
        today,
    );
    let (old, new) = (old.analysis(), new.analysis());
    let judged = drift::judge(old, new, Side::Old, drift::TENANT, config);
    let code = print(&judged, old, new, how.format, how.output)?;
    Ok(code.max(u8::from(dropped)))
}

/// Prints judged drift in `format` to `output` (else stdout); the exit code.
fn print(
    judged: &Judged,
    old: &Analysis,
    new: &Analysis,
    format: DiffFormat,
    output: Option<&std::path::Path>,
) -> Result<u8, CliError> {
    let code = judged.exit_code();
    if let Some(check_format) = format.as_findings() {
        let input = report::check::ReportInput {
            outcome: &judged.outcome,
            sources: &judged.sources,
        };
        let (text, language) = super::check::render(check_format, &input, true)?;
        write_to(output, &text, language)?;
        return Ok(code);
    }
    let drift = &judged.drift;
    let (n, o) = (&new.snapshot.sources, &old.snapshot.sources);
    let (text, language) = match format {
        DiffFormat::Json => (report::query::changes::json(drift, n, o), Language::Json),
        DiffFormat::Markdown => (
            report::query::changes::markdown(drift, n, o),
            Language::Text,
        ),
        _ => (report::query::changes::human(drift, n, o), Language::Text),
    };
    write_to(output, &text, language)?;
    Ok(code)
}

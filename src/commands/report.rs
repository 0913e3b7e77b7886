//! `rclint report`: the auditors' compliance report.

use super::CliError;
use super::args::{ReportArgs, ReportFormat};
use super::output::{stream_file_after, stream_stdout_after, write_file, write_stdout};
use crate::analysis::{Depth, Workspace};
use crate::escape::Language;
use crate::evidence::{self, ReportMeta};
use crate::policy::Policy;
use crate::report;

/// The generation time: `--now`, else `SOURCE_DATE_EPOCH`, else the clock.
fn generation_time(now: Option<&str>) -> Result<i64, CliError> {
    if let Some(text) = now {
        return evidence::parse_utc(text).ok_or_else(|| {
            CliError(format!(
                "invalid --now '{text}' (use YYYY-MM-DDTHH:MM:SSZ or YYYY-MM-DD)"
            ))
        });
    }
    if let Ok(epoch) = std::env::var("SOURCE_DATE_EPOCH") {
        return epoch.trim().parse().map_err(|_| {
            CliError(format!(
                "invalid SOURCE_DATE_EPOCH '{epoch}' (use seconds since 1970)"
            ))
        });
    }
    Ok(jiff::Timestamp::now().as_second())
}

/// The default title: the snapshot folder's name.
fn folder_name(paths: &[std::path::PathBuf]) -> String {
    let first = paths.first().cloned().unwrap_or_else(|| ".".into());
    let dir = if first.is_file() {
        first.parent().map(|p| p.to_path_buf()).unwrap_or_default()
    } else {
        first
    };
    std::fs::canonicalize(&dir)
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "snapshot".to_string())
}

/// The format asked for, else the one `-o`'s extension names, else HTML; a
/// clash between the two is an error.
fn format(args: &ReportArgs) -> Result<ReportFormat, CliError> {
    let by_extension = args.output.as_ref().and_then(|o| {
        let extension = o.extension()?.to_string_lossy().to_lowercase();
        match extension.as_str() {
            "html" | "htm" => Some(ReportFormat::Html),
            "md" | "markdown" => Some(ReportFormat::Markdown),
            "csv" => Some(ReportFormat::Csv),
            "json" => Some(ReportFormat::Json),
            _ => None,
        }
    });
    // An extension rclint does not write (report.pdf) would get HTML in a
    // file named for another format: said, not guessed.
    if args.format.is_none()
        && by_extension.is_none()
        && let Some(output) = &args.output
        && let Some(extension) = output.extension()
    {
        return Err(CliError(format!(
            "-o '{}': rclint writes no '.{}' file; -o names the format by .html (or .htm), \
             .md (or .markdown), .csv or .json, or give --format; for a PDF, print the HTML \
             report from a browser (docs/report.md)",
            crate::snapshot::display_path(output),
            extension.to_string_lossy()
        )));
    }
    match (args.format, by_extension) {
        (Some(asked), Some(named)) if asked != named => Err(CliError(format!(
            "--format {} does not match the extension of '{}'",
            format!("{asked:?}").to_lowercase(),
            args.output
                .as_deref()
                .map_or(String::new(), |o| o.display().to_string())
        ))),
        (Some(asked), _) => Ok(asked),
        (None, Some(named)) => Ok(named),
        (None, None) => Ok(ReportFormat::Html),
    }
}

/// The largest previous report `--since` reads: a report of 500,000
/// accounts is far below it.
const MAX_PREVIOUS_BYTES: u64 = 1 << 30;

/// Reads the JSON report `--since` names: a regular file, bounded, whose
/// compared fields have the types a report gives them.
fn previous_report(path: &std::path::Path) -> Result<evidence::since::PreviousReport, CliError> {
    let shown = crate::snapshot::display_path(path);
    let refuse = |why: String| CliError(format!("--since '{shown}': {why}"));
    let metadata = std::fs::metadata(path).map_err(|e| refuse(e.to_string()))?;
    if !metadata.is_file() {
        return Err(refuse("not a file".into()));
    }
    if metadata.len() > MAX_PREVIOUS_BYTES {
        return Err(refuse(format!(
            "{} bytes, more than a report is ({} at most)",
            metadata.len(),
            MAX_PREVIOUS_BYTES
        )));
    }
    let bytes = std::fs::read(path).map_err(|e| refuse(e.to_string()))?;
    serde_json::from_slice(&bytes).map_err(|e| {
        // serde's message quotes the value it refused: shown escaped, and
        // no longer than a line.
        let message: String = e.to_string().chars().take(200).collect();
        refuse(format!(
            "not a JSON report of rclint (`rclint report -f json`): {}",
            crate::escape::visible_controls(&message, Language::Text)
        ))
    })
}

/// Runs `report`; returns the exit code.
pub fn report(args: &ReportArgs) -> Result<u8, CliError> {
    let format = format(args)?;
    let previous = args.since.as_deref().map(previous_report).transpose()?;
    let paths = super::snapshot_paths(&args.paths, &[])?;
    let seconds = generation_time(args.now.as_deref())?;
    let today = crate::time::date_at(seconds);
    let mut workspace = Workspace::open(&paths, args.config.as_deref(), today, Depth::Rules)?;
    let outcome = workspace.check(Policy::default());
    let (analysis, config) = (workspace.analysis(), &workspace.config);
    let title = config
        .as_ref()
        .and_then(|c| c.report_title.clone())
        .unwrap_or_else(|| folder_name(&paths));
    let roots = paths
        .iter()
        .map(|p| {
            let dir = if p.is_file() {
                p.parent()
                    .map(std::path::Path::to_path_buf)
                    .unwrap_or_default()
            } else {
                p.clone()
            };
            crate::snapshot::display_path(&dir)
        })
        .collect();
    let meta = ReportMeta {
        title,
        generated_at: evidence::format_utc(seconds),
        roots,
        config_file: config.as_ref().map(|c| c.path.clone()),
        exclude: config
            .as_ref()
            .map(|c| c.exclude.clone())
            .unwrap_or_default(),
        files_modified: crate::time::newest_modification(
            analysis
                .snapshot
                .sources
                .iter()
                .map(|(_, f)| std::path::Path::new(&f.path)),
        )
        .map(|m| m.as_second().min(seconds)),
    };
    let mut built = evidence::build(analysis, &outcome, meta);
    if let Some(previous) = &previous {
        built.changes = Some(evidence::since::compare(previous, &built));
    }
    // JSON and CSV are written as they are produced; HTML and Markdown are
    // built whole first.
    let (text, language) = match format {
        ReportFormat::Html => (report::compliance::html::render(&built), Language::Html),
        ReportFormat::Markdown => (report::compliance::markdown::render(&built), Language::Text),
        ReportFormat::Json | ReportFormat::Csv => {
            let (language, write): (Language, fn(&_, &mut dyn std::io::Write) -> _) = match format {
                ReportFormat::Json => (Language::Json, report::compliance::json::write),
                _ => (Language::Text, report::compliance::csv::write),
            };
            // CSV is for spreadsheets, which read UTF-8 (the `→` of
            // held_through) only after a byte order mark.
            let prefix: &'static [u8] = match format {
                ReportFormat::Csv => "\u{feff}".as_bytes(),
                _ => b"",
            };
            let stream = |out: &mut dyn std::io::Write| write(&built, out);
            match &args.output {
                Some(path) => stream_file_after(path, prefix, language, stream)?,
                None => stream_stdout_after(prefix, language, stream)?,
            }
            return Ok(u8::from(outcome.has_errors()));
        }
    };
    match &args.output {
        Some(path) => write_file(path, &text, language)?,
        None => write_stdout(&text, language)?,
    }
    Ok(u8::from(outcome.has_errors()))
}

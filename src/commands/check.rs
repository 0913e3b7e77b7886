//! `rclint check`: load (with the config's exclusions), run every rule,
//! apply policy (config, flags, waivers, baseline), print in one format.

use super::CliError;
use super::args::{CheckArgs, CheckFormat, ColorChoice};
use super::output::{stream_file, stream_stdout, write_file, write_stdout};
use crate::analysis::{Depth, Workspace};
use crate::escape::{Language, visible_controls};
use crate::policy::{self, Policy};
use crate::report::{
    self,
    check::{ReportInput, human},
};
use std::io::{IsTerminal, Write};

/// Runs `check`; returns the exit code.
pub fn check(args: &CheckArgs) -> Result<u8, CliError> {
    let paths = super::snapshot_paths(&args.paths, &[])?;
    let today = args.today.unwrap_or_else(crate::time::today);
    let mut workspace = Workspace::open(&paths, args.config.as_deref(), today, Depth::Rules)?;
    let config = &workspace.config;
    if args.verbose {
        let shown: Vec<String> = paths
            .iter()
            .map(|p| crate::snapshot::display_path(p))
            .collect();
        let line = match &config {
            Some(c) => format!("snapshot {}; config {}", shown.join(", "), c.path),
            None => format!(
                "snapshot {}; no config file (no rclint.toml up to the repository's root)",
                shown.join(", ")
            ),
        };
        eprintln!("{}", visible_controls(&line, Language::Line));
        let excluded = crate::config::exclusion(config.as_ref());
        for (path, why) in crate::snapshot::skipped(&paths, &excluded) {
            let line = format!("skipped {path}: {why}");
            eprintln!("{}", visible_controls(&line, Language::Line));
        }
    }
    let mut policy = Policy::default().with_flags(&args.deny, &args.warn, &args.allow)?;
    if let Some(path) = &args.baseline {
        let text = std::fs::read_to_string(path).map_err(|e| {
            CliError(format!(
                "cannot read baseline '{}': {}",
                path.display(),
                crate::source::io_message(&e)
            ))
        })?;
        let fingerprints = policy::parse_baseline(&text)
            .map_err(|e| CliError(format!("'{}' is not a baseline file: {e}", path.display())))?;
        policy = policy.with_baseline(fingerprints);
    }
    let outcome = workspace.check(policy);
    let analysis = workspace.analysis();
    if let Some(path) = &args.write_baseline {
        write_baseline(path, &outcome, args.force)?;
        return Ok(0);
    }
    let input = ReportInput {
        outcome: &outcome,
        sources: &analysis.snapshot.sources,
    };
    // JSON, SARIF and the human format stream as they are written; the
    // others are made whole, then written.
    let human_style = human_style(args.output.is_none(), args.color);
    let streamed: Option<(Language, Box<StreamedFormat>)> = match args.format {
        CheckFormat::Json => Some((Language::Json, Box::new(report::check::json::write))),
        CheckFormat::Sarif => Some((Language::Json, Box::new(report::check::sarif::write))),
        CheckFormat::Human => Some((
            human_language(human_style),
            Box::new(move |input: &ReportInput, w: &mut dyn std::io::Write| {
                human::write(input, human_style, w)
            }),
        )),
        _ => None,
    };
    match (streamed, &args.output) {
        (Some((language, write)), Some(path)) => stream_file(path, language, |w| write(&input, w))?,
        (Some((language, write)), None) => stream_stdout(language, |w| write(&input, w))?,
        (None, output) => {
            let (text, language) = render(args.format, &input, output.is_none())?;
            match output {
                Some(path) => write_file(path, &text, language)?,
                None => write_stdout(&text, language)?,
            }
        }
    }
    for (waiver, status, _) in &outcome.waivers {
        if *status == policy::WaiverStatus::RuleOff {
            let note = format!(
                "note: the waiver of {} for '{}' is not applied: rule {} is off in this run",
                waiver.rule.code, waiver.subject, waiver.rule.name
            );
            eprintln!("{}", visible_controls(&note, Language::Line));
        }
    }
    Ok(u8::from(outcome.has_errors()))
}

/// How the human format looks: coloured as `choice` says (by default, on
/// a terminal unless NO_COLOR is set; CLICOLOR_FORCE forces it, as cargo
/// and ruff do), as wide as the terminal.
fn human_style(to_stdout: bool, choice: ColorChoice) -> human::Style {
    let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty() && v != "0");
    let color = match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            to_stdout
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && (set("CLICOLOR_FORCE") || std::io::stdout().is_terminal())
        }
    };
    human::Style {
        color,
        width: terminal_width(),
    }
}

/// The language the human format is written in: with colour, its own
/// colour sequences pass (the renderer showed every control of the
/// snapshot's text itself); without, every control is shown.
fn human_language(style: human::Style) -> Language {
    if style.color {
        Language::Styled
    } else {
        Language::Text
    }
}

/// A format written as it is made (JSON, SARIF, human).
type StreamedFormat = dyn Fn(&ReportInput, &mut dyn std::io::Write) -> std::io::Result<()>;

/// Renders findings in one of `check`'s formats; `to_stdout`: the text goes
/// to standard output (colour when it is a terminal). In GitHub format, also
/// appends the job summary GitHub Actions names.
pub fn render(
    format: CheckFormat,
    input: &ReportInput,
    to_stdout: bool,
) -> Result<(String, Language), CliError> {
    let style = human_style(to_stdout, ColorChoice::Auto);
    let text = match format {
        CheckFormat::Json => report::check::json::render(input),
        CheckFormat::Sarif => report::check::sarif::render(input),
        CheckFormat::Junit => report::check::junit::render(input),
        CheckFormat::Gitlab => report::check::gitlab::render(input),
        CheckFormat::Concise => report::check::concise::render(input),
        CheckFormat::Github => {
            if let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty()) {
                append(
                    std::path::Path::new(&path),
                    &visible_controls(&report::check::github::step_summary(input), Language::Text),
                )?;
            }
            report::check::github::render(input)
        }
        CheckFormat::Human => human::render(input, style),
    };
    let language = match format {
        CheckFormat::Json | CheckFormat::Sarif | CheckFormat::Gitlab => Language::Json,
        CheckFormat::Human => human_language(style),
        CheckFormat::Github | CheckFormat::Junit | CheckFormat::Concise => Language::Text,
    };
    Ok((text, language))
}

/// Writes the baseline and says what it wrote; refuses, unless `force`, to
/// accept what is never baselined (credentials, expired waivers, syntax
/// errors).
fn write_baseline(
    path: &std::path::Path,
    outcome: &policy::Outcome,
    force: bool,
) -> Result<(), CliError> {
    let refused: Vec<String> = outcome
        .diagnostics
        .iter()
        .filter_map(|d| {
            let why = policy::not_for_a_baseline(&d.finding)?;
            Some(format!(
                "{} {} ({why})",
                d.finding.rule.code, d.finding.subject.name
            ))
        })
        .collect();
    if !refused.is_empty() && !force {
        return Err(CliError(format!(
            "not written: {} cannot be baselined: {}; fix them, or pass --force",
            report::plural(refused.len(), "finding"),
            refused.join("; ")
        )));
    }
    write_file(
        path,
        &report::check::baseline::render(outcome),
        Language::Text,
    )?;
    // Identities are unique within a run: one entry per reported finding.
    let count = outcome.diagnostics.len();
    let note = format!(
        "wrote {} to {}",
        report::plural(count, "fingerprint"),
        path.display()
    );
    eprintln!("{}", visible_controls(&note, Language::Line));
    Ok(())
}

/// Appends to the job summary file GitHub Actions names.
fn append(path: &std::path::Path, text: &str) -> Result<(), CliError> {
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .and_then(|mut f| f.write_all(text.as_bytes()))
        .map_err(|e| {
            CliError(format!(
                "cannot write the step summary '{}': {}",
                path.display(),
                crate::source::io_message(&e)
            ))
        })
}

fn terminal_width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .filter(|w: &usize| *w >= 40)
        .unwrap_or(100)
}

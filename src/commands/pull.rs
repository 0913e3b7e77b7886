//! `rclint pull`: the live tenant, over HTTPS, into a snapshot folder
//! (`-o`, through the same code as `rclint import`) or compared with the
//! committed snapshot (`--check`, through the same code as `rclint diff`).

use super::CliError;
use super::args::PullArgs;
use super::output::write_bytes;
use crate::escape::{Language, visible_controls};
use crate::import::{self, Provenance};
use crate::pull::{self, Client, Credentials, Retry};
use std::io::IsTerminal;
use std::path::Path;
use std::time::Duration;

/// Runs `pull`; the exit code.
pub fn pull(args: &PullArgs) -> Result<u8, CliError> {
    let base = pull::check_url(&args.url).map_err(|e| CliError(e.to_string()))?;
    let credentials = credentials()?;
    if matches!(credentials, Credentials::Client { .. }) && !args.quiet {
        eprintln!(
            "note: exchanging RISKCLOUD_CLIENT_ID and RISKCLOUD_CLIENT_SECRET for a token ends \
             every other token of that account: an integration running as it is logged out. \
             Pull as a dedicated read-only account, or with its stored RISKCLOUD_TOKEN (see \
             docs/import.md)"
        );
    }
    let snapshot: Vec<_> = args.output.iter().chain(&args.check).cloned().collect();
    let config = super::load_config(args.config.as_deref(), &snapshot)?;
    let settings = config.as_ref().map(|c| c.pull.clone()).unwrap_or_default();
    let earlier_raw = match &args.save_raw {
        Some(dir) => earlier_responses(dir)?,
        None => Vec::new(),
    };
    let started = jiff::Timestamp::now();
    let fetched = fetch(args, &base, credentials, config.as_ref(), started)?;
    let say = |line: String| {
        if !args.quiet {
            eprintln!("{}", visible_controls(&line, Language::Line));
        }
    };
    say(format!(
        "fetched {} from {base}",
        crate::words::plural(fetched.requests, "response")
    ));
    for kind in &fetched.not_configured {
        say(format!(
            "missing: {kind} were not fetched: their v1 paths are not published; name them in \
             {} [pull] (see docs/import.md)",
            settings.config_name()
        ));
    }
    if let Some(why) = &fetched.audits_unavailable {
        say(format!(
            "missing: the access audits were not served ({why}); the snapshot has no \
             token-roll counts, and logins only from the users' lastLogin"
        ));
    }
    if let Some(dir) = &args.save_raw {
        save_raw(dir, &earlier_raw, &fetched.files)?;
        say(format!(
            "kept {} as fetched in {}",
            crate::words::plural(fetched.files.len(), "response"),
            crate::snapshot::display_path(dir)
        ));
    }
    // The host (and port), never a scheme, userinfo or query.
    let host = base.split_once("://").map_or(base.as_str(), |(_, h)| h);
    let provenance = Provenance {
        source: host.to_string(),
        as_of: started.round(jiff::Unit::Second).unwrap_or(started),
    };
    let import_settings = config
        .as_ref()
        .map(|c| c.import.clone())
        .unwrap_or_default();
    let imported = import::import(&fetched.files, &import_settings, &provenance)
        .map_err(|e| CliError(e.to_string()))?;
    let incomplete = u8::from(!fetched.not_configured.is_empty());
    if let Some(output) = &args.output {
        let code = super::import::finish(&imported, output, args.quiet)?;
        return Ok(code.max(incomplete));
    }
    let committed = args.check.as_deref().unwrap_or(Path::new("."));
    let against = super::diff::Against {
        format: args.format,
        output: None,
        quiet: args.quiet,
    };
    let code = super::diff::against_tenant(committed, config.as_ref(), imported, against)?;
    Ok(code.max(incomplete))
}

/// Writes the responses into `dir` as fetched, and removes those of an
/// earlier `--save-raw` (`earlier`) that this pull did not fetch again.
fn save_raw(
    dir: &Path,
    earlier: &[std::ffi::OsString],
    files: &[crate::import::ExportFile],
) -> Result<(), CliError> {
    std::fs::create_dir_all(dir).map_err(|e| {
        CliError(format!(
            "cannot create '{}': {}",
            crate::snapshot::display_path(dir),
            crate::source::io_message(&e)
        ))
    })?;
    let fresh: std::collections::BTreeSet<&str> = files.iter().map(|f| f.name.as_str()).collect();
    for old in earlier {
        if !fresh.contains(old.to_string_lossy().as_ref()) {
            std::fs::remove_file(dir.join(old)).map_err(|e| {
                CliError(format!(
                    "cannot remove '{}': {}",
                    crate::snapshot::display_path(&dir.join(old)),
                    crate::source::io_message(&e)
                ))
            })?;
        }
    }
    for f in files {
        let bytes = f.bytes().map_err(|e| CliError(e.0))?;
        write_bytes(&dir.join(&f.name), &bytes)?;
    }
    Ok(())
}

/// Connects to `base` and fetches everything, with a counter of responses
/// on a terminal; token rolls are counted over the config's stale window
/// up to `started`.
fn fetch(
    args: &PullArgs,
    base: &str,
    credentials: Credentials,
    config: Option<&crate::config::Config>,
    started: jiff::Timestamp,
) -> Result<pull::Fetched, CliError> {
    let settings = config.map(|c| c.pull.clone()).unwrap_or_default();
    let bar = progress_bar(args.quiet);
    let client = Client::connect(
        base,
        credentials,
        (
            Duration::from_secs(args.timeout.max(1)),
            Retry::new(
                Duration::from_secs(args.deadline),
                args.max_response_mib << 20,
            ),
        ),
        settings.config_name(),
    )
    .map_err(|e| CliError(e.to_string()))?;
    let tick = |counter: &pull::Progress| {
        if let Some(bar) = &bar {
            bar.set_position(counter.done() as u64);
            bar.set_message(format!(", {} known to be left", counter.left()));
        }
    };
    let window_days = crate::config::rule_settings(config, crate::time::today()).stale_after_days;
    let audits_since = started
        .checked_sub(jiff::SignedDuration::from_hours(
            24 * i64::from(window_days),
        ))
        .unwrap_or(started);
    let fetched = pull::fetch(
        &client,
        &settings,
        audits_since,
        started,
        usize::from(args.concurrency),
        &tick,
    )
    .map_err(|e| CliError(e.to_string()))?;
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    Ok(fetched)
}

/// The files an earlier `pull --save-raw` left in `dir`, which this one
/// replaces. Anything else there (another file, a folder, a link) is
/// refused before anything is fetched: older responses left beside new
/// ones would be imported with them later.
fn earlier_responses(dir: &Path) -> Result<Vec<std::ffi::OsString>, CliError> {
    let shown = crate::snapshot::display_path(dir);
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => {
            return Err(CliError(format!(
                "cannot read '{shown}': {}",
                crate::source::io_message(&e)
            )));
        }
    };
    let mut ours = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let text = name.to_string_lossy();
        let is_file = entry.file_type().is_ok_and(|t| t.is_file());
        let named_like_ours =
            (text.starts_with("v1-") || text.starts_with("v2-")) && text.ends_with(".json");
        if !(is_file && named_like_ours) {
            return Err(CliError(format!(
                "--save-raw '{shown}' holds '{}', which no earlier pull wrote; name an empty \
                 folder, or one holding only the responses of an earlier --save-raw",
                crate::escape::visible_controls(&text, Language::Line)
            )));
        }
        ours.push(name);
    }
    ours.sort();
    Ok(ours)
}

/// The credentials from the environment: `RISKCLOUD_TOKEN`, else
/// `RISKCLOUD_CLIENT_ID` and `RISKCLOUD_CLIENT_SECRET`.
fn credentials() -> Result<Credentials, CliError> {
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
    if let Some(token) = var("RISKCLOUD_TOKEN") {
        return Ok(Credentials::Token(token));
    }
    match (var("RISKCLOUD_CLIENT_ID"), var("RISKCLOUD_CLIENT_SECRET")) {
        (Some(id), Some(secret)) => Ok(Credentials::Client { id, secret }),
        (Some(_), None) => Err(CliError(
            "RISKCLOUD_CLIENT_ID is set but RISKCLOUD_CLIENT_SECRET is not: set both (an API \
             user's Client and Secret), or RISKCLOUD_TOKEN"
                .to_string(),
        )),
        (None, Some(_)) => Err(CliError(
            "RISKCLOUD_CLIENT_SECRET is set but RISKCLOUD_CLIENT_ID is not: set both (an API \
             user's Client and Secret), or RISKCLOUD_TOKEN"
                .to_string(),
        )),
        _ => Err(CliError(
            "no credentials: set RISKCLOUD_TOKEN, or RISKCLOUD_CLIENT_ID and \
             RISKCLOUD_CLIENT_SECRET (an API user's Client and Secret)"
                .to_string(),
        )),
    }
}

/// A counter of requests done and known to be left on stderr, when it is
/// a terminal.
fn progress_bar(quiet: bool) -> Option<indicatif::ProgressBar> {
    if quiet || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new_spinner();
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{spinner} {pos} requests done{msg} {elapsed}")
    {
        bar.set_style(style);
    }
    bar.enable_steady_tick(Duration::from_millis(120));
    Some(bar)
}

//! The config file `rclint.toml`: per-rule severities, paths excluded from
//! the snapshot, waivers and report settings. A problem in it stops the run
//! (exit code 2) with its file, line and column.

use crate::finding::Severity;
use crate::policy::rule;
use crate::rules::Rule;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// A calendar date (UTC), for waiver expiry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    /// Year.
    pub year: i32,
    /// Month, 1–12.
    pub month: u32,
    /// Day, 1–31.
    pub day: u32,
}

impl Date {
    /// Parses `YYYY-MM-DD`.
    pub fn parse(text: &str) -> Option<Date> {
        let mut parts = text.splitn(3, '-');
        let year = parts.next()?.parse().ok()?;
        let month = parts.next()?.parse().ok()?;
        let day = parts.next()?.parse().ok()?;
        ((1..=12).contains(&month) && (1..=31).contains(&day)).then_some(Date { year, month, day })
    }

    /// The date `days` days after 1970-01-01 (proleptic Gregorian calendar).
    pub fn from_days_since_epoch(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }

    /// Today, by the system clock, in UTC.
    pub fn today() -> Date {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        Date::from_days_since_epoch((secs / 86_400) as i64)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// An accepted finding: auditable, justified, temporary.
#[derive(Debug, Clone)]
pub struct Waiver {
    /// The rule it waives.
    pub rule: &'static Rule,
    /// The finding's subject name.
    pub subject: String,
    /// Narrows it to one finding of that subject.
    pub item: Option<String>,
    /// Why the finding is accepted.
    pub reason: String,
    /// The last day it applies.
    pub expires: Date,
    /// The ticket that tracks it.
    pub ticket: Option<String>,
    /// Where the `[[waiver]]`'s `rule` is written (byte range in the config).
    pub rule_span: Range<usize>,
    /// Where its `expires` is written.
    pub expires_span: Range<usize>,
}

impl Waiver {
    /// The name a waiver finding uses as its subject: `RC101 svc-x module:ADMIN`.
    pub fn label(&self) -> String {
        self.parts().join(" ")
    }

    /// The item of a waiver finding (RC501, RC502):
    /// `waiver:RC101:svc-x:module:ADMIN`.
    pub fn item(&self) -> String {
        format!("waiver:{}", self.parts().join(":"))
    }

    fn parts(&self) -> Vec<&str> {
        let mut parts = vec![self.rule.code, self.subject.as_str()];
        parts.extend(self.item.as_deref());
        parts
    }
}

/// The parsed config file.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// Where it was read from, as shown to users.
    pub path: String,
    /// Its text, for locating waiver findings.
    pub text: String,
    /// Severity per rule code; `None` turns the rule off.
    pub severities: BTreeMap<&'static str, Option<Severity>>,
    /// Globs, relative to the snapshot root, of files that are not part of it.
    pub exclude: Vec<String>,
    /// Waivers, in file order.
    pub waivers: Vec<Waiver>,
    /// `[report] title`.
    pub report_title: Option<String>,
}

/// A config file that cannot be used: `path:line:col: message`.
#[derive(Debug)]
pub struct ConfigError(pub String);

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ConfigError {}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigToml {
    #[serde(default)]
    rules: BTreeMap<Spanned<String>, Spanned<String>>,
    #[serde(default)]
    snapshot: SnapshotToml,
    #[serde(default, rename = "waiver")]
    waivers: Vec<Spanned<WaiverToml>>,
    #[serde(default)]
    report: ReportToml,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct SnapshotToml {
    #[serde(default)]
    exclude: Vec<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct ReportToml {
    title: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WaiverToml {
    rule: Spanned<String>,
    subject: String,
    item: Option<String>,
    reason: String,
    expires: Spanned<toml::value::Datetime>,
    ticket: Option<String>,
}

/// Where the config file is: `--config FILE`, else `rclint.toml` in the first
/// directory given, else in the current directory. `None` when there is none.
pub fn locate(explicit: Option<&Path>, paths: &[PathBuf]) -> Option<PathBuf> {
    if let Some(path) = explicit {
        return Some(path.to_path_buf());
    }
    let first_dir = paths.first().filter(|p| p.is_dir());
    [
        first_dir.map(|d| d.join(crate::snapshot::CONFIG_FILE)),
        Some(PathBuf::from(crate::snapshot::CONFIG_FILE)),
    ]
    .into_iter()
    .flatten()
    .find(|p| p.is_file())
}

/// Reads and checks a config file.
pub fn load(path: &Path) -> Result<Config, ConfigError> {
    let shown = path.to_string_lossy().replace('\\', "/");
    let text = std::fs::read_to_string(path).map_err(|e| {
        ConfigError(format!(
            "cannot read config '{shown}': {}",
            crate::io_message(&e)
        ))
    })?;
    parse(&shown, &text)
}

/// Checks config text; `path` is used in messages.
pub fn parse(path: &str, text: &str) -> Result<Config, ConfigError> {
    let at = |span: Option<Range<usize>>, message: &str| {
        let file = crate::source::SourceFile::new(path.to_string(), text.to_string());
        let (line, column) = file.line_col(span.map_or(0, |s| s.start));
        ConfigError(format!("{path}:{line}:{column}: {message}"))
    };
    let raw: ConfigToml =
        toml::from_str(text).map_err(|e| at(e.span(), e.message().trim_end_matches('.')))?;
    let mut config = Config {
        path: path.to_string(),
        text: text.to_string(),
        exclude: raw.snapshot.exclude,
        report_title: raw.report.title,
        ..Config::default()
    };
    for glob in &config.exclude {
        globset::Glob::new(glob)
            .map_err(|e| at(None, &format!("invalid exclude pattern '{glob}': {e}")))?;
    }
    for (name, severity) in &raw.rules {
        let rule = rule(name.get_ref()).map_err(|e| at(Some(name.span()), &e.to_string()))?;
        let level = match severity.get_ref().as_str() {
            "error" => Some(Severity::Error),
            "warning" => Some(Severity::Warning),
            "note" => Some(Severity::Note),
            "off" => None,
            other => {
                return Err(at(
                    Some(severity.span()),
                    &format!(
                        "invalid severity '{other}' (use \"error\", \"warning\", \"note\" or \"off\")"
                    ),
                ));
            }
        };
        config.severities.insert(rule.code, level);
    }
    for waiver in &raw.waivers {
        let w = waiver.get_ref();
        let rule = rule(w.rule.get_ref()).map_err(|e| at(Some(w.rule.span()), &e.to_string()))?;
        let date = w.expires.get_ref();
        let expires = match (date.date, date.time) {
            (Some(d), None) => Date {
                year: i32::from(d.year),
                month: u32::from(d.month),
                day: u32::from(d.day),
            },
            _ => {
                return Err(at(
                    Some(w.expires.span()),
                    "'expires' must be a date such as 2027-03-31",
                ));
            }
        };
        if w.reason.trim().is_empty() {
            return Err(at(
                Some(waiver.span()),
                "a waiver needs a non-empty 'reason'",
            ));
        }
        config.waivers.push(Waiver {
            rule,
            subject: w.subject.clone(),
            item: w.item.clone(),
            reason: w.reason.clone(),
            expires,
            ticket: w.ticket.clone(),
            rule_span: w.rule.span(),
            expires_span: w.expires.span(),
        });
    }
    Ok(config)
}

/// A matcher for `[snapshot] exclude`.
pub fn exclusion(globs: &[String]) -> impl Fn(&Path) -> bool + use<> {
    let mut builder = globset::GlobSetBuilder::new();
    for g in globs {
        // Patterns were checked when the config was read.
        if let Ok(glob) = globset::Glob::new(g) {
            builder.add(glob);
        }
    }
    let set = builder
        .build()
        .unwrap_or_else(|_| globset::GlobSet::empty());
    move |path: &Path| set.is_match(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_from_days() {
        assert_eq!(Date::from_days_since_epoch(0).to_string(), "1970-01-01");
        assert_eq!(
            Date::from_days_since_epoch(20_543).to_string(),
            "2026-03-31"
        );
        assert_eq!(
            Date::from_days_since_epoch(11_016).to_string(),
            "2000-02-29"
        );
        assert_eq!(
            Date::parse("2027-03-31"),
            Some(Date {
                year: 2027,
                month: 3,
                day: 31
            })
        );
        assert_eq!(Date::parse("2027-13-01"), None);
    }

    #[test]
    fn config_errors_are_located() {
        let e = parse("rclint.toml", "[rules]\nadmin-on-integratoin = \"error\"\n").unwrap_err();
        assert_eq!(
            e.0,
            "rclint.toml:2:1: unknown rule 'admin-on-integratoin' (did you mean 'admin-on-integration'?)"
        );
        let e = parse("rclint.toml", "[rules]\nRC101 = \"fatal\"\n").unwrap_err();
        assert!(
            e.0.starts_with("rclint.toml:2:9: invalid severity 'fatal'"),
            "{}",
            e.0
        );
        let e = parse(
            "c.toml",
            "[[waiver]]\nrule = \"RC101\"\nsubject = \"x\"\nexpires = 2027-01-01\n",
        )
        .unwrap_err();
        assert!(
            e.0.starts_with("c.toml:1:1: missing field `reason`"),
            "{}",
            e.0
        );
        let e = parse(
            "c.toml",
            "[[waiver]]\nrule = \"RC101\"\nsubject = \"x\"\nreason = \"r\"\n",
        )
        .unwrap_err();
        assert!(e.0.contains("missing field `expires`"), "{}", e.0);
        let e = parse("c.toml", "[snapshot]\nexclud = []\n").unwrap_err();
        assert!(
            e.0.starts_with("c.toml:2:1: unknown field `exclud`"),
            "{}",
            e.0
        );
    }
}

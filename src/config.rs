//! The config file `rclint.toml`: per-rule severities, paths excluded from
//! the snapshot, waivers and report settings. A problem in it stops the run
//! (exit code 2) with its file, line and column.

use crate::diagnostic::Severity;
use crate::rules::{RuleMeta, lookup as rule};
use schemars::JsonSchema;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};
use toml::Spanned;

pub use crate::time::Date;

/// An accepted finding: auditable, justified, temporary.
#[derive(Debug, Clone)]
pub struct Waiver {
    /// The rule it waives.
    pub rule: &'static RuleMeta,
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
    /// Who accepted the risk.
    pub approver: Option<String>,
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
    /// `[import]`: how `rclint import` reads what Risk Cloud does not publish.
    pub import: ImportSettings,
    /// `[pull]`: the v1 paths Risk Cloud does not publish.
    pub pull: PullSettings,
    /// `[rule_settings] stale_after_days`, if written.
    pub stale_after_days: Option<u32>,
    /// `[rule_settings] attestation_days`, if written.
    pub attestation_days: Option<u32>,
}

/// The rules' settings for a run: the config's thresholds, and the start
/// of `today` (the run's `--today`, else the date, UTC) as the moment to
/// judge a snapshot that does not say when its data was read.
pub fn rule_settings(config: Option<&Config>, today: Date) -> crate::rules::Settings {
    let defaults = crate::rules::Settings::default();
    crate::rules::Settings {
        stale_after_days: config
            .and_then(|c| c.stale_after_days)
            .unwrap_or(defaults.stale_after_days),
        attestation_days: config
            .and_then(|c| c.attestation_days)
            .unwrap_or(defaults.attestation_days),
        now: jiff::tz::TimeZone::UTC
            .to_timestamp(today.to_datetime(jiff::civil::Time::midnight()))
            .unwrap_or(defaults.now),
    }
}

/// `[import]`: the field names of what Risk Cloud's API does not publish,
/// and module codes beyond the catalog's. `None` means "the documented
/// defaults" (see `docs/import.md`).
#[derive(Debug, Clone, Default)]
pub struct ImportSettings {
    /// Fields of a user that hold the API access toggle.
    pub api_access: Option<Vec<String>>,
    /// Fields of a permission (or an Application Entitlement) that hold its
    /// level; dotted paths (`access.type`) reach into objects.
    pub level: Option<Vec<String>>,
    /// Fields of a permission that name its step's id (`stepId`, `step.id`).
    pub step: Option<Vec<String>>,
    /// Fields of an Application Entitlement that name its application's id.
    pub application: Option<Vec<String>>,
    /// Risk Cloud module code → module (`A_RECORDS = "RECORDS"`).
    pub modules: BTreeMap<String, String>,
    /// The config file these settings were read from, as shown, for the
    /// messages that say where to change them; `None`: there was none.
    pub config_file: Option<String>,
}

impl ImportSettings {
    /// The config file to name in a message: the one read, else
    /// `rclint.toml` (the one to create).
    pub fn config_name(&self) -> &str {
        self.config_file
            .as_deref()
            .unwrap_or(crate::snapshot::CONFIG_FILE)
    }
}

/// `[pull]`: where the v1 role and permission-set lists are served.
#[derive(Debug, Clone, Default)]
pub struct PullSettings {
    /// The roles list (`/api/v1/...`).
    pub roles: Option<String>,
    /// The permission-set list.
    pub permission_sets: Option<String>,
    /// One permission set with its permissions, `{id}` standing for its id.
    pub permission_set: Option<String>,
    /// The config file these settings were read from, as shown; `None`:
    /// there was none.
    pub config_file: Option<String>,
}

impl PullSettings {
    /// The config file to name in a message: the one read, else
    /// `rclint.toml` (the one to create).
    pub fn config_name(&self) -> &str {
        self.config_file
            .as_deref()
            .unwrap_or(crate::snapshot::CONFIG_FILE)
    }
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

/// rclint's config file, `rclint.toml`, as read before it is checked; its
/// JSON Schema (`rclint schema config`) is derived from these types.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    /// Severity per rule (name or code): "error", "warning", "note" or "off".
    #[serde(default)]
    #[schemars(schema_with = "rule_levels")]
    rules: BTreeMap<Spanned<String>, Spanned<String>>,
    /// What is part of the snapshot.
    #[serde(default)]
    snapshot: SnapshotToml,
    /// Accepted findings: auditable, justified, temporary.
    #[serde(default, rename = "waiver")]
    #[schemars(with = "Vec<WaiverToml>")]
    waivers: Vec<Spanned<WaiverToml>>,
    /// The compliance report.
    #[serde(default)]
    report: ReportToml,
    /// How `rclint import` reads what Risk Cloud's API does not publish.
    #[serde(default)]
    import: ImportToml,
    /// The v1 paths `rclint pull` fetches roles and permission sets from.
    #[serde(default)]
    pull: PullToml,
    /// Thresholds of the rules.
    #[serde(default)]
    rule_settings: RuleSettingsToml,
}

/// The schema of `[rules]`: rule → severity or off.
fn rule_levels(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({
        "type": "object",
        "additionalProperties": {"enum": ["error", "warning", "note", "off"]}
    })
}

/// `[rule_settings]`.
#[derive(Deserialize, Default, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "RuleSettings")]
struct RuleSettingsToml {
    /// Days without a login after which an automation account with API
    /// access is stale (RC110; default 90).
    #[schemars(with = "Option<u32>", range(min = 1))]
    stale_after_days: Option<Spanned<i64>>,
    /// Days an attestation holds from its `on` date when it says no
    /// `expires` (default 365).
    #[schemars(with = "Option<u32>", range(min = 1))]
    attestation_days: Option<Spanned<i64>>,
}

/// One field name or several, tried in order.
#[derive(Deserialize, JsonSchema)]
#[serde(untagged)]
enum FieldNames {
    /// One name.
    One(String),
    /// Names tried in order.
    Many(Vec<String>),
}

impl FieldNames {
    fn into_vec(self) -> Vec<String> {
        match self {
            FieldNames::One(name) => vec![name],
            FieldNames::Many(names) => names,
        }
    }
}

/// `[import]` (see docs/import.md for the defaults).
#[derive(Deserialize, Default, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Import")]
struct ImportToml {
    /// Field name(s) of a user's API access toggle.
    api_access: Option<FieldNames>,
    /// Field name(s) of a permission's or Application Entitlement's level.
    level: Option<FieldNames>,
    /// Field name(s) of a permission's step id (dotted paths reach into objects).
    step: Option<FieldNames>,
    /// Field name(s) of an Application Entitlement's application id.
    application: Option<FieldNames>,
    /// Risk Cloud module code → module (`A_RECORDS = "RECORDS"`).
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, String>")]
    modules: BTreeMap<String, Spanned<String>>,
}

/// `[pull]`.
#[derive(Deserialize, Default, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Pull")]
struct PullToml {
    /// The v1 roles list (`/api/v1/...`).
    #[schemars(with = "Option<String>")]
    roles: Option<Spanned<String>>,
    /// The v1 step-permission-set list.
    #[schemars(with = "Option<String>")]
    permission_sets: Option<Spanned<String>>,
    /// One step permission set with its permissions; `{id}` stands for its id.
    #[schemars(with = "Option<String>")]
    permission_set: Option<Spanned<String>>,
}

/// `[snapshot]`.
#[derive(Deserialize, Default, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Snapshot")]
struct SnapshotToml {
    /// Globs, relative to the snapshot root, of files that are not part of
    /// the snapshot.
    #[serde(default)]
    exclude: Vec<String>,
}

/// `[report]`.
#[derive(Deserialize, Default, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Report")]
struct ReportToml {
    /// The report's title (default: the snapshot folder's name).
    title: Option<String>,
}

/// An accepted finding.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Waiver")]
struct WaiverToml {
    /// The rule, by name or code.
    #[schemars(with = "String")]
    rule: Spanned<String>,
    /// The finding's subject name.
    subject: String,
    /// Narrows the waiver to one finding of that subject (`module:ADMIN`, ...).
    item: Option<String>,
    /// Why the finding is accepted.
    reason: String,
    /// The last day the waiver applies (a TOML date, 2027-03-31).
    #[schemars(with = "String")]
    expires: Spanned<toml::value::Datetime>,
    /// The ticket that tracks it.
    ticket: Option<String>,
    /// Who accepted the risk (shown in the report's waiver register).
    approver: Option<String>,
}

/// Where the config file is: `--config FILE`, else the nearest
/// `rclint.toml` walking up from the first path given (its folder, for a
/// file), or from the current directory when none is, as ruff and cargo
/// find theirs. The walk stops at the repository's root (a folder holding
/// `.git`) and at the file system's root: a config outside the repository
/// is never picked up. `None` when there is none.
pub fn locate(explicit: Option<&Path>, paths: &[PathBuf]) -> Option<PathBuf> {
    if let Some(path) = explicit {
        return Some(path.to_path_buf());
    }
    let start = match paths.first() {
        Some(p) if p.is_file() => p.parent().map(Path::to_path_buf).unwrap_or_default(),
        Some(p) => p.clone(),
        None => PathBuf::from("."),
    };
    nearest_config(&start)
}

/// The nearest `rclint.toml` in `dir` or a folder above it, up to the
/// repository's root; as shown relative to the current directory when
/// found above it.
pub fn nearest_config(dir: &Path) -> Option<PathBuf> {
    let here = dir.join(crate::snapshot::CONFIG_FILE);
    if here.is_file() {
        return Some(here);
    }
    if dir.join(".git").exists() {
        return None;
    }
    let absolute = std::fs::canonicalize(if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    })
    .ok()?;
    for folder in absolute.ancestors().skip(1) {
        let candidate = folder.join(crate::snapshot::CONFIG_FILE);
        if candidate.is_file() {
            let cwd = std::env::current_dir().ok();
            let shown = cwd.and_then(|cwd| pathdiff::diff_paths(&candidate, cwd));
            return Some(shown.unwrap_or(candidate));
        }
        if folder.join(".git").exists() {
            return None;
        }
    }
    None
}

/// Reads and checks a config file.
pub fn load(path: &Path) -> Result<Config, ConfigError> {
    let shown = crate::snapshot::display_path(path);
    let text = std::fs::read_to_string(path).map_err(|e| {
        ConfigError(format!(
            "cannot read config '{shown}': {}",
            crate::source::io_message(&e)
        ))
    })?;
    parse(&shown, &text)
}

/// Where a config error is: the file as shown and its text, to turn a
/// byte range into `path:line:col: message`.
struct Place<'a> {
    path: &'a str,
    text: &'a str,
}

impl Place<'_> {
    /// The error at `span` (the file's start when there is none).
    fn error(&self, span: Option<Range<usize>>, message: &str) -> ConfigError {
        let file = crate::source::SourceFile::new(self.path.to_string(), self.text.to_string());
        let (line, column) = file.line_col(span.map_or(0, |s| s.start));
        ConfigError(format!("{}:{line}:{column}: {message}", self.path))
    }

    /// A TOML error, with the value it is about when that is short and on
    /// one line, and the form TOML wants for a date written as a string.
    fn syntax(&self, e: &toml::de::Error) -> ConfigError {
        let value = e
            .span()
            .and_then(|s| self.text.get(s))
            .map(str::trim)
            .filter(|v| !v.is_empty() && v.len() <= 80 && !v.contains('\n'));
        let message = e.message().trim_end_matches('.');
        let unquoted = value
            .and_then(|v| v.strip_prefix('"').and_then(|v| v.strip_suffix('"')))
            .filter(|_| message.contains("expected a TOML datetime"))
            .and_then(crate::time::parse_date);
        if let Some(date) = unquoted {
            return self.error(
                e.span(),
                &format!(
                    "a date is written without quotes in TOML: expires = {date}, not {}",
                    value.unwrap_or_default()
                ),
            );
        }
        match value {
            Some(v) => self.error(e.span(), &format!("{message}: {v}")),
            None => self.error(e.span(), message),
        }
    }
}

/// Checks config text; `path` is used in messages.
pub fn parse(path: &str, text: &str) -> Result<Config, ConfigError> {
    let at = Place { path, text };
    let raw: ConfigFile = toml::from_str(text).map_err(|e| at.syntax(&e))?;
    // Checked in this order: the first error said is the same whatever
    // else is wrong.
    let settings = &raw.rule_settings;
    let stale_after_days = days(&at, "stale_after_days", settings.stale_after_days.as_ref())?;
    let attestation_days = days(&at, "attestation_days", settings.attestation_days.as_ref())?;
    let mut import = import_settings(&at, raw.import)?;
    import.config_file = Some(path.to_string());
    let pull = pull_settings(&at, raw.pull)?;
    for glob in &raw.snapshot.exclude {
        globset::Glob::new(glob)
            .map_err(|e| at.error(None, &format!("invalid exclude pattern '{glob}': {e}")))?;
    }
    Ok(Config {
        path: path.to_string(),
        text: text.to_string(),
        severities: severities(&at, &raw.rules)?,
        exclude: raw.snapshot.exclude,
        waivers: waivers(&at, &raw.waivers)?,
        report_title: raw.report.title,
        import,
        pull,
        stale_after_days,
        attestation_days,
    })
}

/// A `[rule_settings]` number of days (`key`): above 0.
fn days(at: &Place, key: &str, raw: Option<&Spanned<i64>>) -> Result<Option<u32>, ConfigError> {
    let Some(days) = raw else {
        return Ok(None);
    };
    u32::try_from(*days.get_ref())
        .ok()
        .filter(|d| *d > 0)
        .map(Some)
        .ok_or_else(|| {
            at.error(
                Some(days.span()),
                &format!(
                    "'{key}' must be a number of days above 0, not {}",
                    days.get_ref()
                ),
            )
        })
}

/// `[import]`: field names, and module codes mapped to modules rclint
/// knows.
fn import_settings(at: &Place, raw: ImportToml) -> Result<ImportSettings, ConfigError> {
    let catalog = crate::catalog::ModuleCatalog::get();
    let mut modules = BTreeMap::new();
    for (api_code, module) in raw.modules {
        if !catalog.is_known(module.get_ref()) {
            let known: Vec<&str> = catalog.codes().collect();
            return Err(at.error(
                Some(module.span()),
                &format!(
                    "'{}' is not a module rclint knows (use one of {})",
                    module.get_ref(),
                    known.join(", ")
                ),
            ));
        }
        modules.insert(api_code, module.into_inner());
    }
    Ok(ImportSettings {
        api_access: raw.api_access.map(FieldNames::into_vec),
        level: raw.level.map(FieldNames::into_vec),
        step: raw.step.map(FieldNames::into_vec),
        application: raw.application.map(FieldNames::into_vec),
        modules,
        config_file: None,
    })
}

/// `[pull]`: API paths, the permission set's holding `{id}`.
fn pull_settings(at: &Place, pull: PullToml) -> Result<PullSettings, ConfigError> {
    for path in [&pull.roles, &pull.permission_sets, &pull.permission_set]
        .into_iter()
        .flatten()
    {
        if !path.get_ref().starts_with("/api/") {
            return Err(at.error(
                Some(path.span()),
                &format!(
                    "'{}' is not an API path (write it as /api/v1/...)",
                    path.get_ref()
                ),
            ));
        }
    }
    if let Some(path) = &pull.permission_set
        && !path.get_ref().contains("{id}")
    {
        return Err(at.error(
            Some(path.span()),
            "'permission_set' must hold {id}, where the permission set's id goes",
        ));
    }
    Ok(PullSettings {
        roles: pull.roles.map(Spanned::into_inner),
        permission_sets: pull.permission_sets.map(Spanned::into_inner),
        permission_set: pull.permission_set.map(Spanned::into_inner),
        config_file: Some(at.path.to_string()),
    })
}

/// `[rules]`: a severity (or off) per rule name or code.
fn severities(
    at: &Place,
    raw: &BTreeMap<Spanned<String>, Spanned<String>>,
) -> Result<BTreeMap<&'static str, Option<Severity>>, ConfigError> {
    let mut severities = BTreeMap::new();
    for (name, severity) in raw {
        let rule = rule(name.get_ref()).map_err(|e| at.error(Some(name.span()), &e.to_string()))?;
        let level = match severity.get_ref().as_str() {
            "error" => Some(Severity::Error),
            "warning" => Some(Severity::Warning),
            "note" => Some(Severity::Note),
            "off" => None,
            other => {
                return Err(at.error(
                    Some(severity.span()),
                    &format!(
                        "invalid severity '{other}' (use \"error\", \"warning\", \"note\" or \"off\")"
                    ),
                ));
            }
        };
        severities.insert(rule.code, level);
    }
    Ok(severities)
}

/// `[[waiver]]`: each with a known rule, a date that exists and a reason.
fn waivers(at: &Place, raw: &[Spanned<WaiverToml>]) -> Result<Vec<Waiver>, ConfigError> {
    let mut waivers = Vec::new();
    for waiver in raw {
        let w = waiver.get_ref();
        let rule =
            rule(w.rule.get_ref()).map_err(|e| at.error(Some(w.rule.span()), &e.to_string()))?;
        let date = w.expires.get_ref();
        let expires = match (date.date, date.time) {
            (Some(d), None) => crate::time::date(d.year.into(), d.month.into(), d.day.into())
                .ok_or_else(|| {
                    at.error(
                        Some(w.expires.span()),
                        &format!("'expires' = {d} is not a date that exists"),
                    )
                })?,
            _ => {
                return Err(at.error(
                    Some(w.expires.span()),
                    "'expires' must be a date such as 2027-03-31",
                ));
            }
        };
        if w.reason.trim().is_empty() {
            return Err(at.error(Some(waiver.span()), "a waiver needs a non-empty 'reason'"));
        }
        waivers.push(Waiver {
            rule,
            subject: w.subject.clone(),
            item: w.item.clone(),
            reason: w.reason.clone(),
            expires,
            ticket: w.ticket.clone(),
            approver: w.approver.clone(),
            rule_span: w.rule.span(),
            expires_span: w.expires.span(),
        });
    }
    Ok(waivers)
}

/// A matcher for the config's `[snapshot] exclude` (nothing is excluded
/// without a config).
pub fn exclusion(config: Option<&Config>) -> impl Fn(&Path) -> bool + use<> {
    let globs = config.map_or(&[][..], |c| &c.exclude);
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
    fn an_expiry_date_that_does_not_exist_is_an_error() {
        let text =
            "[[waiver]]\nrule = \"RC101\"\nsubject = \"x\"\nreason = \"r\"\nexpires = 2026-02-31\n";
        let e = parse("rclint.toml", text).unwrap_err();
        assert_eq!(
            e.0,
            "rclint.toml:5:11: invalid date, expected day between 01 and 28: 2026-02-31"
        );
    }

    #[test]
    fn a_quoted_date_is_shown_unquoted() {
        let text = "[[waiver]]\nrule = \"RC101\"\nsubject = \"x\"\nreason = \"r\"\nexpires = \"2027-01-01\"\n";
        let e = parse("rclint.toml", text).unwrap_err();
        assert_eq!(
            e.0,
            "rclint.toml:5:11: a date is written without quotes in TOML: expires = 2027-01-01, not \"2027-01-01\""
        );
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

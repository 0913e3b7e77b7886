//! One TOML file → the typed model, collecting every problem as a finding
//! (RC401 invalid-snapshot, RC405 secret-in-snapshot) instead of stopping at
//! the first.

use super::model::*;
use crate::finding::{Finding, Label, Subject, SubjectKind};
use crate::rules::integrity::{INVALID_SNAPSHOT, SECRET_IN_SNAPSHOT};
use crate::source::{FileId, Located, Span};
use crate::suggest;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// What one file contributed.
#[derive(Default)]
pub struct ParsedFile {
    /// The entities it defines.
    pub model: Model,
    /// RC401 and RC405 findings.
    pub findings: Vec<Finding>,
    /// Byte ranges holding credential values, to be masked before the text is
    /// kept for diagnostics.
    pub secret_ranges: Vec<std::ops::Range<usize>>,
}

/// Key names that hold credentials, in any table (compared case-insensitively,
/// with `-` read as `_`).
pub const SECRET_KEYS: &[&str] = &[
    "secret",
    "client_secret",
    "secret_key",
    "password",
    "token",
    "access_token",
    "api_key",
];

/// Whether a key is named like a credential.
pub fn is_secret_key(key: &str) -> bool {
    let key = key.to_lowercase().replace('-', "_");
    SECRET_KEYS.contains(&key.as_str())
}

fn is_secret_value(value: &str) -> bool {
    value.starts_with("Bearer ")
}

const TOP_LEVEL: &[&str] = &[
    "application",
    "permission_set",
    "role",
    "user",
    "report",
    "integration",
];
const APPLICATION_KEYS: &[&str] = &["name", "restrict_build_access", "build_access", "workflow"];
const WORKFLOW_KEYS: &[&str] = &["name", "steps", "origin"];
const PERMISSION_SET_KEYS: &[&str] = &["name", "steps"];
const ROLE_KEYS: &[&str] = &[
    "name",
    "modules",
    "applications",
    "permission_sets",
    "default_for_new_users",
];
const USER_KEYS: &[&str] = &[
    "name",
    "service_account",
    "active",
    "api_access",
    "roles",
    "applications",
    "permission_sets",
];
const REPORT_KEYS: &[&str] = &["name", "steps"];
const INTEGRATION_KEYS: &[&str] = &[
    "name",
    "account",
    "team",
    "repository",
    "owner",
    "environment",
    "retry_on_401",
    "token_source",
    "on_behalf_of_users",
    "intent",
];
const INTENT_KEYS: &[&str] = &[
    "action",
    "workflow",
    "steps",
    "report",
    "applications",
    "admin_data",
];

/// Parses one file's text. `path` is the display path used as the subject of
/// file-level findings.
pub fn parse_file(file: FileId, path: &str, text: &str) -> ParsedFile {
    let mut cx = Cx {
        file,
        path,
        text,
        out: ParsedFile::default(),
    };
    let (root, errors) = DeTable::parse_recoverable(text);
    find_secrets(&mut cx, root.get_ref());
    if let Some(error) = errors.first() {
        // Later errors of a broken file mostly follow from the first one.
        let range = error.span().unwrap_or(0..0);
        let message = format!("invalid TOML: {}", error.message().trim_end_matches('.'));
        cx.invalid(
            cx.span(range),
            message,
            "fix the syntax; the rest of this file is not read until then",
        );
        return cx.out;
    }
    let root = root.get_ref();
    if root.is_empty() {
        cx.invalid(
            cx.span(0..0),
            "the file defines nothing",
            "add definitions such as [[role]] or [[user]], or delete the file",
        );
        return cx.out;
    }
    for (key, value) in root.iter() {
        let name = key.get_ref().as_ref();
        let key_span = cx.key_span(key);
        if is_secret_key(name) {
            continue;
        }
        if !TOP_LEVEL.contains(&name) {
            cx.unknown_key(key_span, name, "the top level", TOP_LEVEL);
            continue;
        }
        let Some(tables) = cx.tables(value, key_span, name) else {
            continue;
        };
        for (header, table) in tables {
            let t = Table { header, table };
            match name {
                "application" => {
                    if let Some(a) = cx.application(t) {
                        cx.out.model.applications.push(a);
                    }
                }
                "permission_set" => {
                    if let Some(p) = cx.permission_set(t) {
                        cx.out.model.permission_sets.push(p);
                    }
                }
                "role" => {
                    if let Some(r) = cx.role(t) {
                        cx.out.model.roles.push(r);
                    }
                }
                "user" => {
                    if let Some(u) = cx.user(t) {
                        cx.out.model.users.push(u);
                    }
                }
                "report" => {
                    if let Some(r) = cx.report(t) {
                        cx.out.model.reports.push(r);
                    }
                }
                _ => {
                    if let Some(i) = cx.integration(t) {
                        cx.out.model.integrations.push(i);
                    }
                }
            }
        }
    }
    cx.out
}

/// Walks the whole document for credential-named keys and `Bearer ` values.
fn find_secrets(cx: &mut Cx, table: &DeTable) {
    for (key, value) in table.iter() {
        let key_span = cx.key_span(key);
        if is_secret_key(key.get_ref()) {
            let what = format!("a credential under key '{}'", key.get_ref());
            cx.secret(key_span, value.span(), &what);
        } else {
            find_secret_values(cx, value, key_span, key.get_ref());
        }
    }
}

fn find_secret_values(cx: &mut Cx, value: &Spanned<DeValue>, key_span: Span, key: &str) {
    match value.get_ref() {
        DeValue::String(s) if is_secret_value(s) => cx.secret(
            key_span,
            value.span(),
            &format!("a bearer token as the value of '{key}'"),
        ),
        DeValue::Table(t) => find_secrets(cx, t),
        DeValue::Array(items) => {
            for item in items.iter() {
                find_secret_values(cx, item, key_span, key);
            }
        }
        _ => {}
    }
}

struct Cx<'t> {
    file: FileId,
    path: &'t str,
    text: &'t str,
    out: ParsedFile,
}

#[derive(Clone, Copy)]
struct Table<'a, 'i> {
    header: Span,
    table: &'a DeTable<'i>,
}

impl<'a, 'i> Table<'a, 'i> {
    fn get(&self, key: &str) -> Option<&'a Spanned<DeValue<'i>>> {
        self.table.get(key)
    }
}

fn type_name(value: &DeValue) -> &'static str {
    match value {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a float",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date-time",
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
    }
}

impl<'t> Cx<'t> {
    fn span(&self, range: std::ops::Range<usize>) -> Span {
        Span::new(self.file, range)
    }

    /// A value or key span without its quotes.
    fn unquoted(&self, range: std::ops::Range<usize>) -> Span {
        let text = self.text.get(range.clone()).unwrap_or("");
        for quote in ["\"\"\"", "'''", "\"", "'"] {
            if text.len() >= 2 * quote.len() && text.starts_with(quote) && text.ends_with(quote) {
                return self.span(range.start + quote.len()..range.end - quote.len());
            }
        }
        self.span(range)
    }

    fn key_span(&self, key: &Spanned<std::borrow::Cow<str>>) -> Span {
        self.unquoted(key.span())
    }

    fn file_subject(&self) -> Subject {
        Subject::new(SubjectKind::File, self.path)
    }

    fn invalid(&mut self, span: Span, message: impl Into<String>, help: impl Into<String>) {
        self.invalid_labelled(span, "here", message, help);
    }

    fn invalid_labelled(
        &mut self,
        span: Span,
        label: &str,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        let finding = Finding::new(
            &INVALID_SNAPSHOT,
            self.file_subject(),
            Label::new(span, label),
            message,
            help,
        );
        self.out.findings.push(finding);
    }

    fn secret(&mut self, key_span: Span, value: std::ops::Range<usize>, what: &str) {
        let finding = Finding::new(
            &SECRET_IN_SNAPSHOT,
            self.file_subject(),
            Label::new(key_span, "credential here (value not shown)"),
            format!("the snapshot holds {what}"),
            "remove the value and rotate the credential: it is in version control now; \
             keep secrets in a secret store",
        );
        self.out.findings.push(finding);
        self.out.secret_ranges.push(value);
    }

    fn unknown_key(&mut self, span: Span, key: &str, place: &str, known: &[&str]) {
        let help = match suggest::closest(key, known.iter().copied()) {
            Some(c) => format!("did you mean '{c}'?"),
            None => format!("known keys here: {}", known.join(", ")),
        };
        self.invalid_labelled(
            span,
            "unknown key",
            format!("unknown key '{key}' in {place}"),
            help,
        );
    }

    /// Reports every key of `t` that is not in `known` (credential keys are
    /// RC405's alone).
    fn check_keys(&mut self, t: Table, what: &str, known: &[&str]) {
        for key in t.table.keys() {
            let name: &str = key.get_ref();
            if !known.contains(&name) && !is_secret_key(name) {
                let span = self.key_span(key);
                self.unknown_key(span, name, &format!("a {what}"), known);
            }
        }
    }

    fn wrong_type(&mut self, value: &Spanned<DeValue>, key: &str, expected: &str) {
        let span = self.span(value.span());
        let found = type_name(value.get_ref());
        self.invalid_labelled(
            span,
            &format!("expected {expected}"),
            format!("'{key}' must be {expected}, found {found}"),
            format!("write '{key}' as {expected}"),
        );
    }

    fn missing(&mut self, t: Table, what: &str, key: &str) {
        self.invalid_labelled(
            t.header,
            &format!("no '{key}' in this {what}"),
            format!("this {what} has no '{key}'"),
            format!("add the required key '{key}'"),
        );
    }

    /// `[[name]]` tables under `value`.
    fn tables<'a, 'i>(
        &mut self,
        value: &'a Spanned<DeValue<'i>>,
        key_span: Span,
        key: &str,
    ) -> Option<Vec<(Span, &'a DeTable<'i>)>> {
        let DeValue::Array(items) = value.get_ref() else {
            self.invalid(
                key_span,
                format!(
                    "'{key}' must be an array of tables, found {}",
                    type_name(value.get_ref())
                ),
                format!("write each entry under a [[{key}]] header"),
            );
            return None;
        };
        let mut tables = Vec::new();
        for item in items.iter() {
            match item.get_ref() {
                DeValue::Table(t) => tables.push((self.span(item.span()), t)),
                other => {
                    let span = self.span(item.span());
                    self.invalid(
                        span,
                        format!("each '{key}' must be a table, found {}", type_name(other)),
                        format!("write each entry under a [[{key}]] header"),
                    );
                }
            }
        }
        Some(tables)
    }

    fn string(&mut self, t: Table, key: &str) -> Option<Located<String>> {
        let value = t.get(key)?;
        self.string_value(value, key)
    }

    fn string_value(&mut self, value: &Spanned<DeValue>, key: &str) -> Option<Located<String>> {
        match value.get_ref() {
            DeValue::String(s) if is_secret_value(s) => None,
            DeValue::String(s) => Some(Located::new(s.to_string(), self.unquoted(value.span()))),
            _ => {
                self.wrong_type(value, key, "a string");
                None
            }
        }
    }

    fn required_string(&mut self, t: Table, what: &str, key: &str) -> Option<Located<String>> {
        match t.get(key) {
            None => {
                self.missing(t, what, key);
                None
            }
            Some(_) => self.string(t, key),
        }
    }

    fn bool(&mut self, t: Table, key: &str) -> Option<Located<bool>> {
        let value = t.get(key)?;
        match value.get_ref() {
            DeValue::Boolean(b) => Some(Located::new(*b, self.span(value.span()))),
            _ => {
                self.wrong_type(value, key, "a boolean (true or false)");
                None
            }
        }
    }

    fn strings(&mut self, t: Table, key: &str) -> Option<Vec<Located<String>>> {
        let value = t.get(key)?;
        let DeValue::Array(items) = value.get_ref() else {
            self.wrong_type(value, key, "an array of strings");
            return None;
        };
        Some(
            items
                .iter()
                .filter_map(|item| self.string_value(item, key))
                .collect(),
        )
    }

    fn levels(&mut self, t: Table, key: &str) -> Vec<LevelEntry> {
        let Some(value) = t.get(key) else {
            return Vec::new();
        };
        let DeValue::Table(entries) = value.get_ref() else {
            self.wrong_type(value, key, "a table of \"read\" or \"edit\" levels");
            return Vec::new();
        };
        let mut out = Vec::new();
        for (target, level) in entries.iter() {
            let target = Located::new(target.get_ref().to_string(), self.key_span(target));
            let Some(text) = self.string_value(level, key) else {
                continue;
            };
            match Level::parse(&text.value) {
                Some(l) => out.push(LevelEntry {
                    target,
                    level: Located::new(l, text.span),
                }),
                None => self.invalid_labelled(
                    text.span,
                    "not an access level",
                    format!("'{}' is not an access level", text.value),
                    "use \"read\" or \"edit\"",
                ),
            }
        }
        out
    }

    /// Reports a name that may not contain `/` (applications, workflows, steps).
    fn path_segment(&mut self, name: &Located<String>, what: &str) {
        if name.value.contains('/') {
            self.invalid(
                name.span,
                format!("{what} name '{}' contains '/'", name.value),
                "names of applications, workflows and steps may not contain '/': \
                 it separates them in paths",
            );
        }
    }

    fn application(&mut self, t: Table) -> Option<Application> {
        self.check_keys(t, "application", APPLICATION_KEYS);
        let name = self.required_string(t, "application", "name");
        let restrict_build_access = self.bool(t, "restrict_build_access");
        let build_access = self.levels(t, "build_access");
        let mut workflows = Vec::new();
        if let Some(value) = t.get("workflow") {
            let key_span = self.span(value.span());
            for (header, table) in self.tables(value, key_span, "application.workflow")? {
                if let Some(w) = self.workflow(Table { header, table }) {
                    workflows.push(w);
                }
            }
        }
        let name = name?;
        self.path_segment(&name, "application");
        Some(Application {
            name,
            restrict_build_access,
            build_access,
            workflows,
        })
    }

    fn workflow(&mut self, t: Table) -> Option<Workflow> {
        self.check_keys(t, "workflow", WORKFLOW_KEYS);
        let name = self.required_string(t, "workflow", "name");
        let steps = if t.get("steps").is_none() {
            self.missing(t, "workflow", "steps");
            None
        } else {
            self.strings(t, "steps")
        };
        let origin = self.string(t, "origin");
        let (name, steps) = (name?, steps?);
        self.path_segment(&name, "workflow");
        for step in &steps {
            self.path_segment(step, "step");
        }
        if steps.is_empty() {
            self.invalid(
                name.span,
                format!("workflow '{}' has no steps", name.value),
                "list the workflow's steps in order",
            );
        }
        if let Some(origin) = &origin
            && !steps.iter().any(|s| s.value == origin.value)
        {
            let names: Vec<&str> = steps.iter().map(|s| s.value.as_str()).collect();
            let mut help = "the Origin Step must be one of the workflow's steps".to_string();
            if let Some(c) = suggest::closest(&origin.value, names) {
                help = format!("did you mean '{c}'? {help}");
            }
            self.invalid(
                origin.span,
                format!(
                    "origin '{}' is not a step of workflow '{}'",
                    origin.value, name.value
                ),
                help,
            );
        }
        Some(Workflow {
            name,
            steps,
            origin,
        })
    }

    fn permission_set(&mut self, t: Table) -> Option<PermissionSet> {
        self.check_keys(t, "permission set", PERMISSION_SET_KEYS);
        let name = self.required_string(t, "permission set", "name");
        if t.get("steps").is_none() {
            self.missing(t, "permission set", "steps");
        }
        let steps = self.levels(t, "steps");
        Some(PermissionSet { name: name?, steps })
    }

    fn role(&mut self, t: Table) -> Option<Role> {
        self.check_keys(t, "role", ROLE_KEYS);
        let name = self.required_string(t, "role", "name");
        let modules = self.strings(t, "modules").unwrap_or_default();
        let applications = self.levels(t, "applications");
        let permission_sets = self.strings(t, "permission_sets").unwrap_or_default();
        let default_for_new_users = self
            .bool(t, "default_for_new_users")
            .is_some_and(|b| b.value);
        Some(Role {
            name: name?,
            modules,
            applications,
            permission_sets,
            default_for_new_users,
        })
    }

    fn user(&mut self, t: Table) -> Option<User> {
        self.check_keys(t, "user", USER_KEYS);
        let name = self.required_string(t, "user", "name");
        Some(User {
            service_account: self.bool(t, "service_account"),
            active: self.bool(t, "active"),
            api_access: self.bool(t, "api_access"),
            roles: self.strings(t, "roles").unwrap_or_default(),
            applications: self.levels(t, "applications"),
            permission_sets: self.strings(t, "permission_sets").unwrap_or_default(),
            name: name?,
        })
    }

    fn report(&mut self, t: Table) -> Option<Report> {
        self.check_keys(t, "report", REPORT_KEYS);
        let name = self.required_string(t, "report", "name");
        let steps = if t.get("steps").is_none() {
            self.missing(t, "report", "steps");
            None
        } else {
            self.strings(t, "steps")
        };
        Some(Report {
            name: name?,
            steps: steps.unwrap_or_default(),
        })
    }

    fn environment(&mut self, t: Table) -> Option<Located<Environment>> {
        let text = self.string(t, "environment")?;
        match Environment::ALL.iter().find(|(s, _)| *s == text.value) {
            Some((_, e)) => Some(Located::new(*e, text.span)),
            None => {
                let names = Environment::ALL.iter().map(|(s, _)| *s);
                let mut help =
                    "use \"production\", \"staging\", \"ci\" or \"development\"".to_string();
                if let Some(c) = suggest::closest(&text.value, names) {
                    help = format!("did you mean '{c}'? {help}");
                }
                self.invalid(
                    text.span,
                    format!("'{}' is not an environment", text.value),
                    help,
                );
                None
            }
        }
    }

    fn integration(&mut self, t: Table) -> Option<Integration> {
        self.check_keys(t, "integration", INTEGRATION_KEYS);
        let name = self.required_string(t, "integration", "name");
        let account = self.required_string(t, "integration", "account");
        let mut intents = Vec::new();
        match t.get("intent") {
            None => self.missing(t, "integration", "intent"),
            Some(value) => {
                let key_span = self.span(value.span());
                for (header, table) in self.tables(value, key_span, "integration.intent")? {
                    if let Some(i) = self.intent(Table { header, table }) {
                        intents.push(i);
                    }
                }
            }
        }
        Some(Integration {
            team: self.string(t, "team"),
            repository: self.string(t, "repository"),
            owner: self.string(t, "owner"),
            environment: self.environment(t),
            retry_on_401: self.bool(t, "retry_on_401"),
            token_source: self.string(t, "token_source"),
            on_behalf_of_users: self.bool(t, "on_behalf_of_users"),
            intents,
            name: name?,
            account: account?,
        })
    }

    fn intent(&mut self, t: Table) -> Option<Intent> {
        self.check_keys(t, "intent", INTENT_KEYS);
        let action = self.required_string(t, "intent", "action");
        Some(Intent {
            span: t.header,
            workflow: self.string(t, "workflow"),
            steps: self.strings(t, "steps"),
            report: self.string(t, "report"),
            applications: self.strings(t, "applications"),
            admin_data: self.bool(t, "admin_data"),
            action: action?,
        })
    }
}

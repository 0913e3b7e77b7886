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

pub(super) struct Cx<'t> {
    file: FileId,
    path: &'t str,
    text: &'t str,
    out: ParsedFile,
}

#[derive(Clone, Copy)]
pub(super) struct Table<'a, 'i> {
    pub(super) header: Span,
    pub(super) table: &'a DeTable<'i>,
}

impl<'a, 'i> Table<'a, 'i> {
    pub(super) fn get(&self, key: &str) -> Option<&'a Spanned<DeValue<'i>>> {
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
    pub(super) fn span(&self, range: std::ops::Range<usize>) -> Span {
        Span::new(self.file, range)
    }

    /// A value or key span without its quotes.
    pub(super) fn unquoted(&self, range: std::ops::Range<usize>) -> Span {
        let text = self.text.get(range.clone()).unwrap_or("");
        for quote in ["\"\"\"", "'''", "\"", "'"] {
            if text.len() >= 2 * quote.len() && text.starts_with(quote) && text.ends_with(quote) {
                return self.span(range.start + quote.len()..range.end - quote.len());
            }
        }
        self.span(range)
    }

    pub(super) fn key_span(&self, key: &Spanned<std::borrow::Cow<str>>) -> Span {
        self.unquoted(key.span())
    }

    fn file_subject(&self) -> Subject {
        Subject::new(SubjectKind::File, self.path)
    }

    pub(super) fn invalid(
        &mut self,
        span: Span,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        self.invalid_labelled(span, "here", message, help);
    }

    pub(super) fn invalid_labelled(
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
    pub(super) fn check_keys(&mut self, t: Table, what: &str, known: &[&str]) {
        for key in t.table.keys() {
            let name: &str = key.get_ref();
            if !known.contains(&name) && !is_secret_key(name) {
                let span = self.key_span(key);
                self.unknown_key(span, name, &format!("a {what}"), known);
            }
        }
    }

    pub(super) fn wrong_type(&mut self, value: &Spanned<DeValue>, key: &str, expected: &str) {
        let span = self.span(value.span());
        let found = type_name(value.get_ref());
        self.invalid_labelled(
            span,
            &format!("expected {expected}"),
            format!("'{key}' must be {expected}, found {found}"),
            format!("write '{key}' as {expected}"),
        );
    }

    pub(super) fn missing(&mut self, t: Table, what: &str, key: &str) {
        self.invalid_labelled(
            t.header,
            &format!("no '{key}' in this {what}"),
            format!("this {what} has no '{key}'"),
            format!("add the required key '{key}'"),
        );
    }

    /// `[[name]]` tables under `value`.
    pub(super) fn tables<'a, 'i>(
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

    pub(super) fn string(&mut self, t: Table, key: &str) -> Option<Located<String>> {
        let value = t.get(key)?;
        self.string_value(value, key)
    }

    pub(super) fn string_value(
        &mut self,
        value: &Spanned<DeValue>,
        key: &str,
    ) -> Option<Located<String>> {
        match value.get_ref() {
            DeValue::String(s) if is_secret_value(s) => None,
            DeValue::String(s) => Some(Located::new(s.to_string(), self.unquoted(value.span()))),
            _ => {
                self.wrong_type(value, key, "a string");
                None
            }
        }
    }

    pub(super) fn required_string(
        &mut self,
        t: Table,
        what: &str,
        key: &str,
    ) -> Option<Located<String>> {
        match t.get(key) {
            None => {
                self.missing(t, what, key);
                None
            }
            Some(_) => self.string(t, key),
        }
    }

    pub(super) fn bool(&mut self, t: Table, key: &str) -> Option<Located<bool>> {
        let value = t.get(key)?;
        match value.get_ref() {
            DeValue::Boolean(b) => Some(Located::new(*b, self.span(value.span()))),
            _ => {
                self.wrong_type(value, key, "a boolean (true or false)");
                None
            }
        }
    }

    pub(super) fn strings(&mut self, t: Table, key: &str) -> Option<Vec<Located<String>>> {
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

    pub(super) fn levels(&mut self, t: Table, key: &str) -> Vec<LevelEntry> {
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
    pub(super) fn path_segment(&mut self, name: &Located<String>, what: &str) {
        if name.value.contains('/') {
            self.invalid(
                name.span,
                format!("{what} name '{}' contains '/'", name.value),
                "names of applications, workflows and steps may not contain '/': \
                 it separates them in paths",
            );
        }
    }
}

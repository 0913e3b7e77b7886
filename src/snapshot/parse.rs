//! One TOML file → the typed model, collecting every problem as a finding
//! (RC401 invalid-snapshot, RC405 secret-in-snapshot) instead of stopping at
//! the first. Every finding's item is the key path of the problem
//! (`role[Admins].modules`), so that no two findings of a file share an
//! identity.

use super::describe::{Entity, ReadValues};
use super::format;
use super::integrity::{INVALID_SNAPSHOT, SECRET_IN_SNAPSHOT};
use super::keys::{KeyPaths, Step, name_problem, unquoted};
use super::model::*;
use super::secrets::{self, is_secret_key, is_secret_value};
use crate::diagnostic::{Finding, Label, Subject, SubjectKind};
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

/// Line and column (1-based, columns in characters) of a byte offset.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// Scans a file that is not UTF-8 (its lossy text) for credentials only: it
/// defines nothing, but RC405 still fires and no excerpt shows the value.
pub fn scan_for_secrets(file: FileId, path: &str, text: &str) -> ParsedFile {
    let (root, _) = DeTable::parse_recoverable(text);
    let mut cx = Cx::new(file, path, text);
    cx.report_secrets(secrets::find(root.get_ref(), text));
    cx.report_secrets(secrets::scan_lines(text, &cx.out.secret_ranges));
    cx.out
}

/// Parses one file's text. `path` is the display path used as the subject of
/// file-level findings. An empty file, or one holding only comments, defines
/// nothing and is valid.
pub fn parse_file(file: FileId, path: &str, text: &str) -> ParsedFile {
    let (root, errors) = DeTable::parse_recoverable(text);
    let mut cx = Cx::new(file, path, text);
    cx.report_secrets(secrets::find(root.get_ref(), text));
    if let Some(error) = errors.first() {
        // Later errors of a broken file mostly follow from the first one.
        let mut range = error.span().unwrap_or(0..0);
        let mut message = format!("invalid TOML: {}", error.message().trim_end_matches('.'));
        if let Some(open) = super::keys::unclosed_bracket(text, range.start) {
            let (stop_line, _) = line_column(text, range.start);
            let bracket = char::from(text.as_bytes()[open]);
            message = format!(
                "invalid TOML: this '{bracket}' is never closed (the parser stopped at line \
                 {stop_line}: {})",
                error.message().trim_end_matches('.')
            );
            range = open..open + 1;
        }
        let (line, column) = line_column(text, range.start);
        cx.invalid(
            &[Step::Key(&format!("syntax@{line}:{column}"))],
            cx.span(range),
            message,
            "fix the syntax; the rest of this file is not read until then",
        );
        cx.report_secrets(secrets::scan_lines(text, &cx.out.secret_ranges));
        return cx.out;
    }
    for (key, value) in root.get_ref().iter() {
        let name = key.get_ref().as_ref();
        let key_span = cx.key_span(key);
        if is_secret_key(name) {
            continue;
        }
        let Some(entity) = format::top_level(name) else {
            let known: Vec<&str> = format::TOP_LEVEL.iter().map(|e| e.table).collect();
            cx.unknown_key(&[Step::Key(name)], key_span, name, "the top level", &known);
            continue;
        };
        let Some(tables) = cx.tables(value, key_span, entity, name) else {
            continue;
        };
        for e in tables {
            let t = e.table;
            cx.enter(name, &e);
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
                "attestation" => {
                    if let Some(a) = cx.attestation(t) {
                        cx.out.model.attestations.push(a);
                    }
                }
                "activity" => {
                    if let Some(a) = cx.activity(t) {
                        cx.out.model.activity.push(a);
                    }
                }
                _ => {
                    if let Some(i) = cx.integration(t) {
                        cx.out.model.integrations.push(i);
                    }
                }
            }
            cx.leave();
        }
    }
    cx.out
}

/// The parser's state for one file: where findings go, and the key path of
/// the table being read.
pub(super) struct Cx<'a, 'i> {
    file: FileId,
    path: &'a str,
    text: &'i str,
    out: ParsedFile,
    /// Key path of the table being read, one step per key or element.
    pub(super) at: Vec<Step<'a, 'i>>,
    /// Writes the key paths findings are identified by.
    paths: KeyPaths,
}

/// One table of an array of tables, with where its header is and how key
/// paths name it.
#[derive(Clone, Copy)]
pub(super) struct Table<'a, 'i> {
    pub(super) header: Span,
    pub(super) table: &'a DeTable<'i>,
    /// What it describes: the keys it may hold.
    pub(super) entity: &'static Entity,
}

/// An element of an array of tables as [`Cx::tables`] returns it: the
/// table, and where it is in its array (key paths label it from there).
pub(super) struct Element<'a, 'i> {
    pub(super) table: Table<'a, 'i>,
    items: &'a [Spanned<DeValue<'i>>],
    index: usize,
}

impl<'a, 'i> Table<'a, 'i> {
    /// The value of `key`, which must be one of its entity's keys: every
    /// read goes through here, so the tests hold the loader to the
    /// description.
    pub(super) fn get(&self, key: &str) -> Option<&'a Spanned<DeValue<'i>>> {
        debug_assert!(
            self.entity.has_key(key),
            "'{key}' is read but not described as a key of {}",
            self.entity.table
        );
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

impl<'a, 'i> Cx<'a, 'i> {
    fn new(file: FileId, path: &'a str, text: &'i str) -> Cx<'a, 'i> {
        Cx {
            file,
            path,
            text,
            out: ParsedFile::default(),
            at: Vec::new(),
            paths: KeyPaths::default(),
        }
    }

    /// Starts reading element `e` of the array of tables at `key`.
    pub(super) fn enter(&mut self, key: &'a str, e: &Element<'a, 'i>) {
        self.at.push(Step::Key(key));
        self.at.push(Step::Element(e.items, e.index));
    }

    /// Ends what [`Cx::enter`] started.
    pub(super) fn leave(&mut self) {
        self.at.truncate(self.at.len().saturating_sub(2));
    }

    pub(super) fn span(&self, range: std::ops::Range<usize>) -> Span {
        Span::new(self.file, range)
    }

    /// A value or key span without its quotes.
    pub(super) fn unquoted(&self, range: std::ops::Range<usize>) -> Span {
        self.span(unquoted(self.text, range))
    }

    pub(super) fn key_span(&self, key: &Spanned<std::borrow::Cow<str>>) -> Span {
        self.unquoted(key.span())
    }

    /// The key path of `below` in the table being read:
    /// `role[Admins].modules`. Only written when a finding needs it.
    pub(super) fn key_path(&mut self, below: &[Step]) -> String {
        self.paths.write(self.at.iter().chain(below))
    }

    fn file_subject(&self) -> Subject {
        Subject::new(SubjectKind::File, self.path)
    }

    /// RC401 at `span`, identified by the key path `item`.
    pub(super) fn invalid(
        &mut self,
        below: &[Step],
        span: Span,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        self.invalid_labelled(below, span, "here", message, help);
    }

    /// RC401 with a label text of its own.
    pub(super) fn invalid_labelled(
        &mut self,
        below: &[Step],
        span: Span,
        label: &str,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        let item = self.key_path(below);
        let finding = Finding::new(
            &INVALID_SNAPSHOT,
            self.file_subject(),
            Label::new(span, label),
            message,
            help,
        )
        .with_item(item);
        self.out.findings.push(finding);
    }

    pub(super) fn secret(
        &mut self,
        item: &str,
        key_span: Span,
        value: std::ops::Range<usize>,
        what: &str,
    ) {
        let finding = Finding::new(
            &SECRET_IN_SNAPSHOT,
            self.file_subject(),
            Label::new(key_span, "credential here (value not shown)"),
            format!("the snapshot holds {what}"),
            "remove the value and rotate the credential: it is in version control now; \
             keep secrets in a secret store",
        )
        .with_item(item);
        self.out.findings.push(finding);
        self.out.secret_ranges.push(value);
    }

    /// RC405 for each credential found, its value masked later.
    fn report_secrets(&mut self, found: Vec<secrets::Secret>) {
        for secret in found {
            let key = self.span(secret.key);
            self.secret(&secret.item, key, secret.value, &secret.what);
        }
    }

    fn unknown_key(&mut self, below: &[Step], span: Span, key: &str, place: &str, known: &[&str]) {
        let help = match suggest::closest(key, known.iter().copied()) {
            Some(c) => suggest::did_you_mean(c),
            None => format!("known keys here: {}", known.join(", ")),
        };
        self.invalid_labelled(
            below,
            span,
            "unknown key",
            format!("unknown key '{key}' in {place}"),
            help,
        );
    }

    /// Reports every key of `t` that its entity does not describe
    /// (credential keys are RC405's alone).
    pub(super) fn check_keys(&mut self, t: Table) {
        let what = t.entity.noun;
        for key in t.table.keys() {
            let name: &str = key.get_ref();
            if !t.entity.has_key(name) && !is_secret_key(name) {
                let span = self.key_span(key);
                let article = if matches!(what, "application" | "integration" | "intent") {
                    "an"
                } else {
                    "a"
                };
                let place = format!("{article} {what}");
                let known = t.entity.key_names();
                self.unknown_key(&[Step::Key(name)], span, name, &place, &known);
            }
        }
    }

    /// RC401: `value`, at `below`, is not of the type `key` takes.
    pub(super) fn wrong_type(
        &mut self,
        below: &[Step],
        value: &Spanned<DeValue>,
        key: &str,
        expected: &str,
    ) {
        let span = self.span(value.span());
        let found = type_name(value.get_ref());
        self.invalid_labelled(
            below,
            span,
            &format!("expected {expected}"),
            format!("'{key}' must be {expected}, found {found}"),
            format!("write '{key}' as {expected}"),
        );
    }

    pub(super) fn missing(&mut self, t: Table, what: &str, key: &str) {
        self.invalid_labelled(
            &[Step::Key(key)],
            t.header,
            &format!("no '{key}' in this {what}"),
            format!("this {what} has no '{key}'"),
            format!("add the required key '{key}'"),
        );
    }

    /// The tables of an array of tables at `key` (shown as `[[shown]]`), each
    /// with the label key paths give it. `None` when `value` is not an array.
    pub(super) fn tables(
        &mut self,
        value: &'a Spanned<DeValue<'i>>,
        key_span: Span,
        entity: &'static Entity,
        shown: &str,
    ) -> Option<Vec<Element<'a, 'i>>> {
        let key = entity.table;
        let DeValue::Array(items) = value.get_ref() else {
            self.invalid(
                &[Step::Key(key)],
                key_span,
                format!(
                    "'{shown}' must be an array of tables, found {}",
                    type_name(value.get_ref())
                ),
                format!("write each entry under a [[{shown}]] header"),
            );
            return None;
        };
        let mut tables = Vec::with_capacity(items.len());
        for (index, entry) in items.iter().enumerate() {
            match entry.get_ref() {
                DeValue::Table(t) => tables.push(Element {
                    table: Table {
                        header: self.span(entry.span()),
                        table: t,
                        entity,
                    },
                    items,
                    index,
                }),
                other => {
                    let span = self.span(entry.span());
                    self.invalid(
                        &[Step::Key(key), Step::Element(items, index)],
                        span,
                        format!("each '{shown}' must be a table, found {}", type_name(other)),
                        format!("write each entry under a [[{shown}]] header"),
                    );
                }
            }
        }
        Some(tables)
    }

    pub(super) fn string(&mut self, t: Table, key: &str) -> Option<Located<Name>> {
        let value = t.get(key)?;
        self.string_value(&[Step::Key(key)], value, key)
    }

    /// A string at `below` (a credential-shaped value is RC405's and reads
    /// as absent).
    pub(super) fn string_value(
        &mut self,
        below: &[Step],
        value: &Spanned<DeValue>,
        key: &str,
    ) -> Option<Located<Name>> {
        match value.get_ref() {
            DeValue::String(s) if is_secret_value(s) => None,
            DeValue::String(s) => Some(Located::new(Name::new(&**s), self.unquoted(value.span()))),
            _ => {
                self.wrong_type(below, value, key, "a string");
                None
            }
        }
    }

    /// A table of name → string (`step_ids`).
    pub(super) fn strings_by_name(
        &mut self,
        t: Table,
        key: &str,
    ) -> Vec<(Located<Name>, Located<Name>)> {
        let Some(value) = t.get(key) else {
            return Vec::new();
        };
        let DeValue::Table(entries) = value.get_ref() else {
            self.wrong_type(&[Step::Key(key)], value, key, "a table of strings");
            return Vec::new();
        };
        let mut out = Vec::with_capacity(entries.len());
        for (name, text) in entries.iter() {
            let below = [Step::Key(key), Step::Entry(name.get_ref())];
            let name = Located::new(Name::new(&**name.get_ref()), self.key_span(name));
            if let Some(text) = self.string_value(&below, text, key) {
                out.push((name, text));
            }
        }
        out
    }

    /// A moment: a TOML offset date-time (`2026-10-01T09:30:00Z`), or a
    /// date alone, read as its midnight in UTC.
    pub(super) fn date_time(&mut self, t: Table, key: &str) -> Option<Located<jiff::Timestamp>> {
        let value = t.get(key)?;
        let expected = "a date-time such as 2026-10-01T09:30:00Z";
        let DeValue::Datetime(moment) = value.get_ref() else {
            self.wrong_type(&[Step::Key(key)], value, key, expected);
            return None;
        };
        let span = self.span(value.span());
        let text = moment.to_string();
        let parsed = match (moment.date, moment.time, moment.offset) {
            (Some(_), Some(_), Some(_)) => text.parse::<jiff::Timestamp>().ok(),
            (Some(d), None, None) => crate::time::parse_utc(&d.to_string())
                .and_then(|s| jiff::Timestamp::from_second(s).ok()),
            _ => None,
        };
        if parsed.is_none() {
            self.invalid_labelled(
                &[Step::Key(key)],
                span,
                "not a moment in time",
                format!("'{key}' = {text} is not a moment in time"),
                format!("write '{key}' as {expected} (with its offset)"),
            );
        }
        parsed.map(|p| Located::new(p, span))
    }

    pub(super) fn required_string(
        &mut self,
        t: Table,
        what: &str,
        key: &str,
    ) -> Option<Located<Name>> {
        match t.get(key) {
            None => {
                self.missing(t, what, key);
                None
            }
            Some(_) => self.string(t, key),
        }
    }

    /// The entity's required `name`, reported when it is not a valid name
    /// (the entity is still defined under it, so references resolve).
    /// `segment`: the name is part of a path and may not hold `/`.
    pub(super) fn name(&mut self, t: Table, what: &str, segment: bool) -> Option<Located<Name>> {
        let name = self.required_string(t, what, "name")?;
        self.check_name(&[Step::Key("name")], &name, what, segment);
        Some(name)
    }

    /// RC401 when `name` (at `below`) is not a valid name.
    pub(super) fn check_name(
        &mut self,
        below: &[Step],
        name: &Located<Name>,
        what: &str,
        segment: bool,
    ) {
        if let Some(problem) = name_problem(&name.value) {
            self.invalid_labelled(
                below,
                name.span,
                "invalid name",
                format!("invalid name: the {what} name {problem}"),
                "names may not be empty, begin or end with white space, or hold control \
                 characters such as newline, tab or NUL",
            );
        } else if segment && name.value.contains('/') {
            self.invalid(
                below,
                name.span,
                format!("{what} name '{}' contains '/'", name.value),
                "names of applications, workflows and steps may not contain '/': \
                 it separates them in paths",
            );
        }
    }

    /// A count: an integer, 0 or more.
    pub(super) fn count(&mut self, t: Table, key: &str) -> Option<Located<u64>> {
        let value = t.get(key)?;
        match value.get_ref() {
            DeValue::Integer(i) => {
                match u64::from_str_radix(&i.as_str().replace('_', ""), i.radix()) {
                    Ok(n) => Some(Located::new(n, self.span(value.span()))),
                    Err(_) => {
                        self.wrong_type(&[Step::Key(key)], value, key, "a count (0 or more)");
                        None
                    }
                }
            }
            _ => {
                self.wrong_type(&[Step::Key(key)], value, key, "a count (0 or more)");
                None
            }
        }
    }

    pub(super) fn bool(&mut self, t: Table, key: &str) -> Option<Located<bool>> {
        let value = t.get(key)?;
        match value.get_ref() {
            DeValue::Boolean(b) => Some(Located::new(*b, self.span(value.span()))),
            _ => {
                self.wrong_type(&[Step::Key(key)], value, key, "a boolean (true or false)");
                None
            }
        }
    }

    pub(super) fn strings(&mut self, t: Table, key: &str) -> Option<Vec<Located<Name>>> {
        let value = t.get(key)?;
        let DeValue::Array(items) = value.get_ref() else {
            self.wrong_type(&[Step::Key(key)], value, key, "an array of strings");
            return None;
        };
        let mut out = Vec::with_capacity(items.len());
        for (i, element) in items.iter().enumerate() {
            match element.get_ref() {
                DeValue::String(_) => {
                    out.extend(self.string_value(&[Step::Key(key)], element, key));
                }
                other => {
                    // Point at the element, and say it is the element.
                    let found = type_name(other);
                    let span = self.span(element.span());
                    self.invalid_labelled(
                        &[Step::Key(key), Step::Index(i)],
                        span,
                        "expected a string",
                        format!("each element of '{key}' must be a string, found {found}"),
                        format!("write each element of '{key}' in quotes"),
                    );
                }
            }
        }
        Some(out)
    }

    pub(super) fn levels(&mut self, t: Table, key: &str) -> Vec<LevelEntry> {
        let Some(value) = t.get(key) else {
            return Vec::new();
        };
        let DeValue::Table(entries) = value.get_ref() else {
            let expected = "a table of \"read\" or \"edit\" levels";
            self.wrong_type(&[Step::Key(key)], value, key, expected);
            return Vec::new();
        };
        let mut out = Vec::with_capacity(entries.len());
        for (target, level) in entries.iter() {
            let below = [Step::Key(key), Step::Entry(target.get_ref())];
            let target = Located::new(Name::new(&**target.get_ref()), self.key_span(target));
            let Some(text) = self.string_value(&below, level, key) else {
                continue;
            };
            match Level::parse(&text.value) {
                Some(l) => out.push(LevelEntry {
                    target,
                    level: Located::new(l, text.span),
                }),
                None => self.invalid_labelled(
                    &below,
                    text.span,
                    "not an access level",
                    format!("'{}' is not an access level", text.value),
                    "use \"read\" or \"edit\"",
                ),
            }
        }
        out
    }
}

/// The values of one table, read through [`Cx`]: how a user's details
/// ([`UserDetails::read`]) are read.
pub(super) struct TableValues<'c, 'a, 'i, 't, 'u> {
    pub(super) cx: &'c mut Cx<'a, 'i>,
    pub(super) table: Table<'t, 'u>,
}

impl ReadValues for TableValues<'_, '_, '_, '_, '_> {
    fn string(&mut self, key: &str) -> Option<Located<Name>> {
        self.cx.string(self.table, key)
    }

    fn date_time(&mut self, key: &str) -> Option<Located<jiff::Timestamp>> {
        self.cx.date_time(self.table, key)
    }

    fn count(&mut self, key: &str) -> Option<Located<u64>> {
        self.cx.count(self.table, key)
    }

    fn bool(&mut self, key: &str) -> Option<Located<bool>> {
        self.cx.bool(self.table, key)
    }
}

//! Credentials in the snapshot (RC405 secret-in-snapshot): keys named like
//! credentials and `Bearer ` values anywhere in a document, found by walking
//! it, and, in a file TOML cannot read whole, line by line, so that no
//! excerpt of any file shows a credential value.

use super::parse::{Cx, ParsedFile, element, element_labels, join};
use crate::source::{FileId, Span};
use toml::Spanned;
use toml::de::{DeTable, DeValue};

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

pub(super) fn is_secret_value(value: &str) -> bool {
    value.starts_with("Bearer ")
}

/// Scans a file that is not UTF-8 (its lossy text) for credentials only: it
/// defines nothing, but RC405 still fires and no excerpt shows the value.
pub fn scan_for_secrets(file: FileId, path: &str, text: &str) -> ParsedFile {
    let mut cx = Cx::new(file, path, text);
    let (root, _) = DeTable::parse_recoverable(text);
    find_secrets(&mut cx, root.get_ref(), "");
    cx.scan_lines_for_secrets();
    cx.out
}

/// Walks the whole document for credential-named keys and `Bearer ` values.
pub(super) fn find_secrets(cx: &mut Cx, table: &DeTable, prefix: &str) {
    for (key, value) in table.iter() {
        let key_span = cx.key_span(key);
        let path = join(prefix, key.get_ref());
        if is_secret_key(key.get_ref()) {
            let what = format!("a credential under key '{}'", key.get_ref());
            cx.secret(&path, key_span, value.span(), &what);
        } else {
            find_secret_values(cx, value, key_span, key.get_ref(), &path);
        }
    }
}

fn find_secret_values(
    cx: &mut Cx,
    value: &Spanned<DeValue>,
    key_span: Span,
    key: &str,
    path: &str,
) {
    match value.get_ref() {
        DeValue::String(s) if is_secret_value(s) => cx.secret(
            path,
            key_span,
            value.span(),
            &format!("a bearer token as the value of '{key}'"),
        ),
        DeValue::Table(t) => find_secrets(cx, t, path),
        DeValue::Array(items) => {
            let labels = element_labels(items.iter());
            for (item, label) in items.iter().zip(labels) {
                find_secret_values(cx, item, key_span, key, &element(path, &label));
            }
        }
        _ => {}
    }
}

impl Cx<'_> {
    /// For a file TOML cannot read whole: every line `KEY = ...` with a
    /// credential-named key, and every `Bearer ` value, that the document
    /// walk did not find is reported and masked to the end of its line, so
    /// that no excerpt of a broken file shows a credential. Such a finding
    /// has no key path; its item is `KEY@LINE:COLUMN`.
    pub(super) fn scan_lines_for_secrets(&mut self) {
        let mut offset = 0;
        for (n, line) in self.text.split_inclusive('\n').enumerate() {
            let content = line.trim_end_matches(['\n', '\r']);
            let mut found: Vec<(String, usize, std::ops::Range<usize>, String)> = Vec::new();
            if let Some(eq) = content.find('=') {
                let key = content[..eq].trim();
                let last = key.rsplit('.').next().unwrap_or(key);
                let last = last.trim().trim_matches(['"', '\'']);
                if is_secret_key(last) {
                    let column = content[..eq].len() - content[..eq].trim_start().len();
                    let what = format!("a credential under key '{last}'");
                    found.push((last.to_string(), column, eq + 1..content.len(), what));
                }
            }
            if let Some(b) = content.find("Bearer ") {
                let end = content[b..]
                    .find(['"', '\''])
                    .map_or(content.len(), |e| b + e);
                let what = "a bearer token".to_string();
                found.push(("bearer".to_string(), b, b..end, what));
            }
            for (key, column, range, what) in found {
                let range = offset + range.start..offset + range.end;
                let covered = self
                    .out
                    .secret_ranges
                    .iter()
                    .any(|r| r.start < range.end.max(range.start + 1) && range.start < r.end);
                if !covered {
                    let col = content[..column].chars().count() + 1;
                    let at = offset + column;
                    let item = format!("{key}@{}:{col}", n + 1);
                    self.secret(&item, self.span(at..at + key.len()), range, &what);
                }
            }
            offset += line.len();
        }
    }
}

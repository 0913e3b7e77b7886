//! Credentials in the snapshot (RC405 secret-in-snapshot): keys named like
//! credentials and `Bearer ` values anywhere in a document, found by walking
//! it, and, in a file TOML cannot read whole, line by line, so that no
//! excerpt of any file shows a credential value. This module finds them; the
//! parser reports them and the loader masks their values.

use super::keys::{element, element_labels, join, unquoted};
use std::ops::Range;
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

/// Whether a string value is a bearer token.
pub(super) fn is_secret_value(value: &str) -> bool {
    value.starts_with("Bearer ")
}

/// A credential found in a file.
pub(super) struct Secret {
    /// The finding's item: the key path, or `KEY@LINE:COL` from a line scan.
    pub(super) item: String,
    /// The key (byte range, without quotes).
    pub(super) key: Range<usize>,
    /// The value to mask (byte range).
    pub(super) value: Range<usize>,
    /// What it is, for the message.
    pub(super) what: String,
}

/// Every credential-named key and `Bearer ` value of a document.
pub(super) fn find(table: &DeTable, text: &str) -> Vec<Secret> {
    let mut found = Vec::new();
    walk_table(table, "", text, &mut found);
    found
}

fn walk_table(table: &DeTable, prefix: &str, text: &str, found: &mut Vec<Secret>) {
    for (key, value) in table.iter() {
        let key_range = unquoted(text, key.span());
        let path = join(prefix, key.get_ref());
        if is_secret_key(key.get_ref()) {
            found.push(Secret {
                item: path,
                key: key_range,
                value: value.span(),
                what: format!("a credential under key '{}'", key.get_ref()),
            });
        } else {
            walk_value(value, key_range, key.get_ref(), &path, text, found);
        }
    }
}

fn walk_value(
    value: &Spanned<DeValue>,
    key_range: Range<usize>,
    key: &str,
    path: &str,
    text: &str,
    found: &mut Vec<Secret>,
) {
    match value.get_ref() {
        DeValue::String(s) if is_secret_value(s) => found.push(Secret {
            item: path.to_string(),
            key: key_range,
            value: value.span(),
            what: format!("a bearer token as the value of '{key}'"),
        }),
        DeValue::Table(t) => walk_table(t, path, text, found),
        DeValue::Array(items) => {
            let labels = element_labels(items.iter());
            for (item, label) in items.iter().zip(labels) {
                let path = element(path, &label);
                walk_value(item, key_range.clone(), key, &path, text, found);
            }
        }
        _ => {}
    }
}

/// For a file TOML cannot read whole: every line `KEY = ...` with a
/// credential-named key, and every `Bearer ` value, that `masked` does not
/// already cover, masked to the end of its line, so that no excerpt of a
/// broken file shows a credential. Such a finding has no key path; its item
/// is `KEY@LINE:COLUMN`.
pub(super) fn scan_lines(text: &str, masked: &[Range<usize>]) -> Vec<Secret> {
    let mut out = Vec::new();
    let mut offset = 0;
    for (n, line) in text.split_inclusive('\n').enumerate() {
        let content = line.trim_end_matches(['\n', '\r']);
        let mut found: Vec<(String, usize, Range<usize>, String)> = Vec::new();
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
            let covered = masked
                .iter()
                .any(|r| r.start < range.end.max(range.start + 1) && range.start < r.end);
            if !covered {
                let col = content[..column].chars().count() + 1;
                let at = offset + column;
                out.push(Secret {
                    item: format!("{key}@{}:{col}", n + 1),
                    key: at..at + key.len(),
                    value: range,
                    what,
                });
            }
        }
        offset += line.len();
    }
    out
}

//! Credentials in the snapshot (RC405 secret-in-snapshot): keys named like
//! credentials and `Bearer ` values anywhere in a document, found by walking
//! it, and, in a file TOML cannot read whole, line by line, so that no
//! excerpt of any file shows a credential value. This module finds them; the
//! parser reports them and the loader masks their values.

use super::keys::{KeyPaths, Step, unquoted};
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
    if key.is_ascii() {
        // Most keys: no allocation.
        let same = |known: &&str| {
            known.len() == key.len()
                && known.bytes().zip(key.bytes()).all(|(k, c)| {
                    let c = if c == b'-' { b'_' } else { c };
                    k == c.to_ascii_lowercase()
                })
        };
        return SECRET_KEYS.iter().any(same);
    }
    // Unicode lower-casing can turn a non-ASCII key into a known one
    // (KELVIN SIGN lower-cases to `k`).
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

/// Every credential-named key and `Bearer ` value of a document. The walk
/// allocates nothing until it finds one.
pub(super) fn find(table: &DeTable, text: &str) -> Vec<Secret> {
    let mut walk = Walk {
        text,
        paths: KeyPaths::default(),
        found: Vec::new(),
    };
    walk.table(table, &mut Vec::new());
    walk.found
}

/// The state of [`find`]'s walk.
struct Walk<'t> {
    text: &'t str,
    paths: KeyPaths,
    found: Vec<Secret>,
}

impl Walk<'_> {
    fn table<'a, 'i>(&mut self, table: &'a DeTable<'i>, steps: &mut Vec<Step<'a, 'i>>) {
        for (key, value) in table.iter() {
            let name: &str = key.get_ref();
            steps.push(Step::Key(name));
            if is_secret_key(name) {
                let item = self.paths.write(steps.iter());
                self.found.push(Secret {
                    item,
                    key: unquoted(self.text, key.span()),
                    value: value.span(),
                    what: format!("a credential under key '{name}'"),
                });
            } else {
                self.value(value, key, steps);
            }
            steps.pop();
        }
    }

    fn value<'a, 'i>(
        &mut self,
        value: &'a Spanned<DeValue<'i>>,
        key: &Spanned<std::borrow::Cow<'i, str>>,
        steps: &mut Vec<Step<'a, 'i>>,
    ) {
        match value.get_ref() {
            DeValue::String(s) if is_secret_value(s) => {
                let item = self.paths.write(steps.iter());
                self.found.push(Secret {
                    item,
                    key: unquoted(self.text, key.span()),
                    value: value.span(),
                    what: format!("a bearer token as the value of '{}'", key.get_ref()),
                });
            }
            DeValue::Table(t) => self.table(t, steps),
            DeValue::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    steps.push(Step::Element(items, i));
                    self.value(item, key, steps);
                    steps.pop();
                }
            }
            _ => {}
        }
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

#[cfg(test)]
mod tests {
    use super::{find, is_secret_key};

    #[test]
    fn secret_keys_are_matched_ignoring_case_and_dashes() {
        for key in ["token", "TOKEN", "Client-Secret", "api_KEY", "to\u{212A}en"] {
            assert!(is_secret_key(key), "{key}");
        }
        for key in ["tokens", "name", "secret_", "", "tøken", "api key"] {
            assert!(!is_secret_key(key), "{key}");
        }
    }

    #[test]
    fn a_credential_is_named_by_its_key_path() {
        let text = "[[integration]]\nname = \"a\"\n[[integration]]\nname = \"b\"\n\
                    [[integration.intent]]\nheaders = { Authorization = \"Bearer x\" }\n\
                    [[integration.intent]]\nclient-secret = \"s\"\n";
        let (root, errors) = toml::de::DeTable::parse_recoverable(text);
        assert!(errors.is_empty());
        let found = find(root.get_ref(), text);
        let items: Vec<&str> = found.iter().map(|s| s.item.as_str()).collect();
        assert_eq!(
            items,
            [
                "integration[b].intent[0].headers.Authorization",
                "integration[b].intent[1].client-secret"
            ]
        );
        assert_eq!(&text[found[1].key.clone()], "client-secret");
        assert_eq!(&text[found[1].value.clone()], "\"s\"");
    }
}

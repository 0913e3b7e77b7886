//! Names and key paths: whether a name is valid, and how a finding names
//! the place of a problem (`role[Admins].modules`), so that no two findings
//! of a file share an identity.

use toml::Spanned;
use toml::de::DeValue;

/// Why a name is not valid, if it is not: empty, white space at either end,
/// or a control character (newline, tab, ESC, NUL, line separators...).
pub fn name_problem(name: &str) -> Option<&'static str> {
    if name.is_empty() {
        Some("is empty")
    } else if name.starts_with(char::is_whitespace) || name.ends_with(char::is_whitespace) {
        Some("begins or ends with white space")
    } else if name
        .chars()
        .any(|c| c.is_control() || matches!(c, '\u{2028}' | '\u{2029}'))
    {
        Some("holds a control character")
    } else {
        None
    }
}

/// How the elements of an array of tables are named in key paths: by their
/// `name` where it is a valid name not used by an earlier element, else by
/// their index (`role[Admins]`, `intent[0]`).
pub(super) fn element_labels<'a, 'i: 'a>(
    items: impl Iterator<Item = &'a Spanned<DeValue<'i>>>,
) -> Vec<String> {
    let mut labels: Vec<String> = Vec::new();
    let mut seen: std::collections::HashSet<String> = std::collections::HashSet::new();
    for (i, item) in items.enumerate() {
        let name = match item.get_ref() {
            DeValue::Table(t) => match t.get("name").map(|v| v.get_ref()) {
                Some(DeValue::String(s)) if name_problem(s).is_none() => Some(s.to_string()),
                _ => None,
            },
            _ => None,
        };
        let label = match name {
            Some(n) if seen.insert(n.clone()) => n,
            _ => i.to_string(),
        };
        labels.push(label);
    }
    labels
}

/// `key[label]`: one element of an array in a key path.
pub(super) fn element(key: &str, label: &str) -> String {
    format!("{key}[{label}]")
}

/// `prefix.key`, or `key` at the top.
pub(super) fn join(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_string()
    } else {
        format!("{prefix}.{key}")
    }
}

/// `range` without the quotes around a quoted key or string in `text`.
pub(super) fn unquoted(text: &str, range: std::ops::Range<usize>) -> std::ops::Range<usize> {
    let quoted = text.get(range.clone()).unwrap_or("");
    for quote in ["\"\"\"", "\'\'\'", "\"", "\'"] {
        if quoted.len() >= 2 * quote.len() && quoted.starts_with(quote) && quoted.ends_with(quote) {
            return range.start + quote.len()..range.end - quote.len();
        }
    }
    range
}

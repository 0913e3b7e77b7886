//! Names and key paths: whether a name is valid, and how a finding names
//! the place of a problem (`role[Admins].modules`), so that no two findings
//! of a file share an identity.

use std::collections::HashMap;
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

/// One step of a key path, borrowed from the parsed document while a file
/// is read: the path is written out only when a finding names it.
#[derive(Clone, Copy)]
pub(super) enum Step<'a, 'i> {
    /// `key`, joined to what comes before by `.`.
    Key(&'a str),
    /// `[label]`: element `index` of an array of tables, labelled as
    /// [`element_labels`] labels it.
    Element(&'a [Spanned<DeValue<'i>>], usize),
    /// `[index]`: an element always named by its index (an intent).
    Index(usize),
    /// `[name]`: an entry of a table (`steps[App/Workflow/Step]`).
    Entry(&'a str),
}

/// Writes key paths out (`role[Admins].modules`), labelling the elements of
/// each array once however many findings name them, so that a file with a
/// problem in each of 100,000 tables stays linear.
#[derive(Default)]
pub(super) struct KeyPaths {
    /// Labels of each array met so far, by the address of its first element.
    labels: HashMap<usize, Vec<String>>,
}

impl KeyPaths {
    /// The key path `steps` spell.
    pub(super) fn write<'s, 'a: 's, 'i: 'a>(
        &mut self,
        steps: impl IntoIterator<Item = &'s Step<'a, 'i>>,
    ) -> String {
        let mut path = String::new();
        for step in steps {
            match *step {
                Step::Key(key) => {
                    if !path.is_empty() {
                        path.push('.');
                    }
                    path.push_str(key);
                }
                Step::Element(items, index) => {
                    let labels = self
                        .labels
                        .entry(items.as_ptr() as usize)
                        .or_insert_with(|| element_labels(items.iter()));
                    let label = labels.get(index).map_or("", String::as_str);
                    path.push('[');
                    path.push_str(label);
                    path.push(']');
                }
                Step::Index(index) => {
                    path.push('[');
                    path.push_str(&index.to_string());
                    path.push(']');
                }
                Step::Entry(name) => {
                    path.push('[');
                    path.push_str(name);
                    path.push(']');
                }
            }
        }
        path
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

/// Where a `[` or `{` that is never closed opens, if the bracket open at
/// `stop` (where the parser gave up) is one and opens on an earlier line:
/// the syntax error to show is there, not where the parser noticed.
/// Strings and comments are skipped; a heuristic on a broken file, so it
/// answers only when the bracket stays open to the end of the file.
pub(super) fn unclosed_bracket(text: &str, stop: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut stack: Vec<usize> = Vec::new();
    let mut open_at_stop = None;
    let mut i = 0;
    while i < bytes.len() {
        if open_at_stop.is_none() && i >= stop {
            open_at_stop = Some(stack.last().copied());
        }
        match bytes[i] {
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            quote @ (b'"' | b'\'') => {
                i = after_string(bytes, i, quote);
                continue;
            }
            b'[' | b'{' => stack.push(i),
            b']' | b'}' => {
                stack.pop();
            }
            _ => {}
        }
        i += 1;
    }
    let open = open_at_stop.unwrap_or(stack.last().copied())?;
    let line = |at: usize| {
        bytes[..at.min(bytes.len())]
            .iter()
            .filter(|b| **b == b'\n')
            .count()
    };
    (stack.contains(&open) && line(open) < line(stop)).then_some(open)
}

/// The offset just past the string that starts at `start` with `quote`
/// (one or three of them; a basic string's `\` escapes the next byte; a
/// one-line string also ends at the line's end).
fn after_string(bytes: &[u8], start: usize, quote: u8) -> usize {
    let triple = bytes.get(start..start + 3) == Some(&[quote, quote, quote][..]);
    let mut i = start + if triple { 3 } else { 1 };
    while i < bytes.len() {
        if quote == b'"' && bytes[i] == b'\\' {
            i += 2;
            continue;
        }
        if triple {
            if bytes.get(i..i + 3) == Some(&[quote, quote, quote][..]) {
                return i + 3;
            }
        } else if bytes[i] == quote {
            return i + 1;
        } else if bytes[i] == b'\n' {
            return i;
        }
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::unclosed_bracket;

    #[test]
    fn an_unclosed_bracket_is_found_where_it_opens() {
        let text = "[[role]]\nmodules = [\"A]\", # ]\n\n[[user]]\nname = \"u\"\n";
        let stop = text.find("name").expect("stop");
        assert_eq!(
            unclosed_bracket(text, stop),
            text.find("= [").map(|i| i + 2)
        );
        // A closed array with a missing comma is not an unclosed bracket.
        let text = "modules = [\n\"A\"\n\"B\"\n]\n";
        let stop = text.find("\"B\"").expect("stop");
        assert_eq!(unclosed_bracket(text, stop), None);
        // An error on the bracket's own line is reported where it is.
        let text = "a = [1 2]\n";
        assert_eq!(unclosed_bracket(text, 7), None);
    }
}

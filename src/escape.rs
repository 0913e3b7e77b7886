//! One escaper per output language (the HTML report is escaped by maud): every name that reaches an output goes
//! through the escaper of that output's language, so that a name can hold
//! any character TOML allows (newline, ESC, quotes, `<`, `|`...) and still
//! not leave the string, cell, comment or element it is printed in.

/// Escapes text for a Markdown table cell or paragraph, for a pull-request
/// comment: besides Markdown's own characters, an `@` (a mention, which
/// would notify whoever a name names, or an email autolink) and a `://` or
/// `www.` (an autolink) get a zero-width space (`&#8203;`) that breaks them
/// and reads the same.
pub fn markdown(text: &str) -> String {
    markdown_escaped(text, true)
}

/// Escapes text inside a Markdown code span, where nothing is a mention or
/// a link.
pub fn markdown_in_code(text: &str) -> String {
    markdown_escaped(text, false)
}

fn markdown_escaped(text: &str, neutralise: bool) -> String {
    const BREAK: &str = "&#8203;";
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '|' => out.push_str("\\|"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '#' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            '@' if neutralise => {
                out.push('@');
                out.push_str(BREAK);
            }
            ':' if neutralise && chars.clone().take(2).eq("//".chars()) => {
                out.push(':');
                out.push_str(BREAK);
            }
            '.' if neutralise
                && out.len() >= 3
                && out.is_char_boundary(out.len() - 3)
                && out[out.len() - 3..].eq_ignore_ascii_case("www") =>
            {
                out.push_str(BREAK);
                out.push('.');
            }
            c => out.push(c),
        }
    }
    out
}

/// Escapes a Mermaid node label (inside `["..."]`).
pub fn mermaid(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '#' => out.push_str("#35;"),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Escapes a GitHub workflow command's message.
pub fn workflow_message(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a GitHub workflow command's property value.
pub fn workflow_property(text: &str) -> String {
    workflow_message(text)
        .replace(':', "%3A")
        .replace(',', "%2C")
}

/// A Graphviz DOT string, quoted.
pub fn dot(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Text for a spreadsheet cell: a leading `=`, `+`, `-`, `@`, tab or
/// carriage return, which a spreadsheet would run as a formula, is
/// neutralised with a `'`. (Quoting the cell is the CSV writer's job.)
pub fn spreadsheet(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

/// A TOML string literal (quoted and escaped).
pub fn toml(text: &str) -> String {
    use toml_writer::ToTomlValue;
    toml_writer::TomlStringBuilder::new(text)
        .as_basic()
        .to_toml_value()
}

/// The language an output is written in, for [`visible_controls`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Language {
    /// Text for a terminal or a log (line breaks and tabs are structure).
    Text,
    /// One line of text (a message on stderr): line breaks are shown too.
    Line,
    /// JSON (SARIF, GitLab): shown as JSON escapes, still valid JSON.
    Json,
    /// TOML (the derive fragment): shown as TOML escapes, valid in strings
    /// and readable in comments.
    Toml,
    /// HTML: shown as text.
    Html,
    /// Text for a terminal that rclint itself styles with colours: as
    /// `Text`, except that an ANSI colour sequence (`ESC [ digits ; m`)
    /// passes. Only for output whose every piece of input was shown with
    /// `Text` first, so that every such sequence left is rclint's own.
    Styled,
}

/// The length of the ANSI colour sequence (SGR: `ESC [ 0-9 ; : m`) at the
/// start of `text`, if one is there whole.
pub fn colour_sequence(text: &str) -> Option<usize> {
    let rest = text.strip_prefix("\u{1b}[")?;
    // At most 32 parameter bytes are looked at: a long run is no colour.
    let body = rest
        .bytes()
        .take(33)
        .position(|b| !(b.is_ascii_digit() || b == b';' || b == b':'))?;
    (rest.as_bytes()[body] == b'm').then_some(2 + body + 1)
}

/// Whether `text` (ending a piece of output) is the start of a colour
/// sequence whose end is still to come.
pub fn colour_sequence_started(text: &str) -> bool {
    let Some(start) = text.rfind('\u{1b}') else {
        return false;
    };
    let tail = &text[start + 1..];
    tail.len() <= 33
        && (tail.is_empty()
            || tail.strip_prefix('[').is_some_and(|body| {
                body.chars()
                    .all(|c| c.is_ascii_digit() || c == ';' || c == ':')
            }))
}

/// Whether a character may not reach an output as it is: control
/// characters (ESC, BEL, NUL, CR, DEL, C1...), line and paragraph
/// separators, and the bidirectional controls that reorder what a reader
/// sees. Line breaks and tabs are structure unless `one_line`.
fn hidden_meaning(c: char, one_line: bool) -> bool {
    match c {
        '\n' | '\t' => one_line,
        '\u{2028}' | '\u{2029}' | '\u{200e}' | '\u{200f}' | '\u{feff}' => true,
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => true,
        c => c.is_control(),
    }
}

/// Whether `bytes` are printable ASCII, and line breaks and tabs unless
/// `one_line`: nothing in them has a hidden meaning (most output; checked a
/// byte at a time, without decoding characters).
pub fn is_plain(bytes: &[u8], one_line: bool) -> bool {
    bytes
        .iter()
        .all(|&b| matches!(b, 0x20..=0x7e) || (!one_line && matches!(b, b'\n' | b'\t')))
}

/// `text` with every character that could rewrite a terminal, hide text or
/// reorder it shown visibly instead, in the output's own notation: `\u{1b}`
/// in text and HTML, `\u001B` in JSON and TOML. The last step of every
/// command's output, so no name in a snapshot can clear a screen or forge
/// a line.
pub fn visible_controls(text: &str, language: Language) -> std::borrow::Cow<'_, str> {
    let one_line = language == Language::Line;
    let Some(first) = first_hidden(text, one_line) else {
        return std::borrow::Cow::Borrowed(text);
    };
    let mut out = String::with_capacity(text.len() + 16);
    out.push_str(&text[..first]);
    let mut at = first;
    while let Some(c) = text[at..].chars().next() {
        if language == Language::Styled
            && let Some(len) = colour_sequence(&text[at..])
        {
            out.push_str(&text[at..at + len]);
            at += len;
            continue;
        }
        at += c.len_utf8();
        if !hidden_meaning(c, one_line) {
            out.push(c);
            continue;
        }
        match language {
            Language::Json | Language::Toml => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{unit:04X}"));
                }
            }
            Language::Text | Language::Line | Language::Html | Language::Styled => {
                out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
            }
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Where the first character with a hidden meaning is, if there is one:
/// ASCII is judged a byte at a time, other characters decoded.
fn first_hidden(text: &str, one_line: bool) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut at = 0;
    while let Some(&byte) = bytes.get(at) {
        if byte.is_ascii() {
            if !is_plain(&[byte], one_line) {
                return Some(at);
            }
            at += 1;
        } else {
            let c = text.get(at..)?.chars().next()?;
            if hidden_meaning(c, one_line) {
                return Some(at);
            }
            at += c.len_utf8();
        }
    }
    None
}

/// Text for an XML attribute or element (JUnit): `&`, `<`, `>`, `'` and `"`
/// as entities. Control characters are shown by the writer, as in every
/// output.
pub fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\'' => out.push_str("&apos;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_breaks_mentions_and_autolinks_but_not_in_code() {
        assert_eq!(
            markdown("@security-team see https://evil.example and WWW.evil.example"),
            "@&#8203;security-team see https:&#8203;//evil.example and WWW&#8203;.evil.example"
        );
        assert_eq!(markdown("erin@acme.example"), "erin@&#8203;acme.example");
        assert_eq!(markdown_in_code("KEY@LINE"), "KEY@LINE");
    }

    #[test]
    fn styled_text_keeps_colour_sequences_and_shows_every_other_control() {
        let text = "\u{1b}[31mRC104\u{1b}[0m \u{1b}[2J\u{7}\r\u{202e}x\n";
        assert_eq!(
            visible_controls(text, Language::Styled),
            "\u{1b}[31mRC104\u{1b}[0m \\u{1b}[2J\\u{7}\\u{d}\\u{202e}x\n"
        );
        assert!(colour_sequence_started("ab\u{1b}[38;5"));
        assert!(colour_sequence_started("ab\u{1b}"));
        assert!(!colour_sequence_started("ab\u{1b}[0m"));
        assert!(!colour_sequence_started("ab\u{1b}[2J"));
    }

    #[test]
    fn only_printable_ascii_is_plain() {
        assert!(is_plain(b"svc-1 = \"edit\"\n\t~", false));
        assert!(!is_plain(b"a\nb", true));
        assert!(!is_plain(b"a\tb", true));
        for hostile in [
            "\u{1b}[2J",
            "\r",
            "\u{7f}",
            "\u{85}",
            "\u{2028}",
            "\u{202e}",
            "é",
        ] {
            assert!(!is_plain(hostile.as_bytes(), false), "{hostile:?}");
        }
        // Not plain is not hostile: the characters are then looked at.
        assert_eq!(visible_controls("café", Language::Text), "café");
    }

    #[test]
    fn control_characters_are_shown_not_obeyed() {
        let hostile = "svc-\u{1b}[2J\u{7}\u{0}\r\u{2028}\u{202e}x\ny";
        assert_eq!(
            visible_controls(hostile, Language::Text),
            "svc-\\u{1b}[2J\\u{7}\\u{0}\\u{d}\\u{2028}\\u{202e}x\ny"
        );
        assert_eq!(
            visible_controls("a\nb\tc", Language::Line),
            "a\\u{a}b\\u{9}c"
        );
        assert_eq!(
            visible_controls("\"\u{202e}\"", Language::Json),
            "\"\\u202E\""
        );
        let json: String = serde_json::from_str(&visible_controls("\"a\u{85}\"", Language::Json))
            .expect("still JSON");
        assert_eq!(json, "a\u{85}");
        let toml: toml::Table =
            toml::from_str(&visible_controls("k = \"\u{202e}\"", Language::Toml))
                .expect("still TOML");
        assert_eq!(toml["k"].as_str(), Some("\u{202e}"));
        assert_eq!(visible_controls("plain", Language::Text), "plain");
    }

    #[test]
    fn markdown_cells_cannot_break_the_table() {
        assert_eq!(markdown("a|b\n# c <x>"), "a\\|b \\# c &lt;x&gt;");
        assert_eq!(mermaid("\"a\"<b>#"), "#quot;a#quot;#lt;b#gt;#35;");
    }

    #[test]
    fn workflow_commands_cannot_be_injected() {
        assert_eq!(
            workflow_message("50%\r\n::error::x"),
            "50%25%0D%0A::error::x"
        );
        assert_eq!(workflow_property("a:b,c"), "a%3Ab%2Cc");
    }

    #[test]
    fn dot_strings_stay_strings() {
        assert_eq!(dot("a\"b\\c\nd"), "\"a\\\"b\\\\c d\"");
    }

    #[test]
    fn spreadsheet_formulas_are_neutralised() {
        assert_eq!(spreadsheet("=cmd()"), "'=cmd()");
        assert_eq!(spreadsheet("@x"), "'@x");
        assert_eq!(spreadsheet("a=b"), "a=b");
    }

    #[test]
    fn toml_strings_are_single_line() {
        assert_eq!(toml("a\nb\"c"), "\"a\\nb\\\"c\"");
    }
}

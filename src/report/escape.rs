//! One escaper per output language (JUnit XML is escaped by quick-junit): every name that reaches an output goes
//! through the escaper of that output's language, so that a name can hold
//! any character TOML allows (newline, ESC, quotes, `<`, `|`...) and still
//! not leave the string, cell, comment or element it is printed in.

/// Escapes text for HTML content and attribute values.
pub fn html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Escapes text for a Markdown table cell or paragraph.
pub fn markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_escapes_markup_and_quotes() {
        assert_eq!(
            html("<a href='x'>&\"</a>"),
            "&lt;a href=&#39;x&#39;&gt;&amp;&quot;&lt;/a&gt;"
        );
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

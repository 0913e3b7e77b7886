//! Printers, grouped by the command they serve: `check` (the findings in
//! every CI format), `compliance` (the auditors' report), `query` (derive,
//! why/who-can, deps, diff, graph). They format; they never decide what is
//! reported or how severe it is. Every name reaches its output through the
//! escaper of that output's language (`escape`).

pub mod check;
pub mod compliance;
pub mod query;

use crate::diagnostic::Hop;
use crate::policy::Outcome;
use crate::source::{FileId, Sources};

pub use crate::words::plural;

/// The one-line summary: `3 errors, 2 warnings, 1 waived`.
pub fn summary_line(outcome: &Outcome) -> String {
    let s = outcome.summary;
    let mut parts = vec![plural(s.error, "error"), plural(s.warning, "warning")];
    if s.note > 0 {
        parts.push(plural(s.note, "note"));
    }
    if s.waived > 0 {
        parts.push(format!("{} waived", s.waived));
    }
    if s.baselined > 0 {
        parts.push(format!("{} baselined", s.baselined));
    }
    parts.join(", ")
}

/// What a printer that writes as it goes (JSON, SARIF, human, the JSON and
/// CSV reports) writes, as one text, for callers that want it whole.
/// Writing to memory cannot fail, and every printer writes UTF-8.
pub fn written(write: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>) -> String {
    let mut bytes = Vec::new();
    let _ = write(&mut bytes);
    String::from_utf8(bytes).unwrap_or_default()
}

/// Writes `value` as pretty JSON with a final newline (every JSON output).
pub fn write_json(
    out: &mut dyn std::io::Write,
    value: &impl serde::Serialize,
) -> std::io::Result<()> {
    // The serialiser writes a few bytes at a time (a quote, a comma, an
    // indent): into a buffer of its own they are copies, not calls through
    // `dyn Write`. `out` gets whole blocks.
    let mut buffered = std::io::BufWriter::with_capacity(1 << 16, out);
    serde_json::to_writer_pretty(&mut buffered, value)?;
    std::io::Write::write_all(&mut buffered, b"\n")?;
    std::io::Write::flush(&mut buffered)
}

/// `value` as pretty JSON with a final newline.
pub fn json_text(value: &impl serde::Serialize) -> String {
    written(|out| write_json(out, value))
}

/// Appends one line to a line-oriented text output (`why`, `who-can`,
/// `deps`, `derive`, `diff`): a line break or control character inside a
/// name is shown, so no name can start a line of its own.
pub fn push_line(out: &mut String, line: std::fmt::Arguments) {
    use std::fmt::Write;
    let start = out.len();
    // Writing to a String cannot fail.
    let _ = out.write_fmt(line);
    if let std::borrow::Cow::Owned(shown) =
        crate::escape::visible_controls(&out[start..], crate::escape::Language::Line)
    {
        out.truncate(start);
        out.push_str(&shown);
    }
    out.push('\n');
}

/// An access path as one line, `user svc-x → role R (users.toml:4) → ...`,
/// with the file and line of each hop. Hops in `home` show only their line.
pub fn trace_text(hops: &[Hop], sources: &Sources, home: Option<FileId>) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    for (i, h) in hops.iter().enumerate() {
        if i > 0 {
            out.push_str(" → ");
        }
        out.push_str(&h.label);
        if let Some(span) = h.span {
            let file = sources.get(span.file);
            let (line, _) = file.line_col(span.start());
            // Writing to a String cannot fail.
            let _ = if Some(span.file) == home {
                write!(out, " (line {line})")
            } else {
                write!(out, " ({}:{line})", file.path)
            };
        }
    }
    out
}

//! `--format human`: miette diagnostics with labels in the TOML source, the
//! access path as a note, a help line, and a summary line.

use super::ReportInput;
use crate::diagnostic::{Label, Severity};
use crate::escape::{Language, visible_controls};
use crate::report::{summary_line, trace_text};
use crate::source::{FileId, SourceFile, Sources};
use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError,
    MietteSpanContents, SourceCode, SourceSpan, SpanContents,
};
use std::borrow::Cow;
use std::fmt;

/// How to draw.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    /// ANSI colours.
    pub color: bool,
    /// Terminal width for wrapping.
    pub width: usize,
}

/// A snapshot file as miette reads it: borrowed, not copied per finding,
/// and read from the loader's line index, so an excerpt costs a binary
/// search and the lines it shows instead of a scan from the file's start.
#[derive(Debug, Clone, Copy)]
struct Indexed<'s> {
    file: &'s SourceFile,
    /// Whether the file holds a CR that is not part of a CRLF.
    lone_cr: bool,
}

impl SourceCode for Indexed<'_> {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let text = self.file.text.as_str();
        // miette reads from the window's start exactly as from the file's,
        // with line numbers shifted by the lines before it. A lone CR is a
        // line break to miette but not to the index: such a file is read
        // whole, as miette would.
        let first = if self.lone_cr {
            0
        } else {
            self.file
                .line_of(span.offset())
                .saturating_sub(context_lines_before)
        };
        let start = self.file.line_start(first);
        let window = &text.as_bytes()[start..];
        let shifted = SourceSpan::new(span.offset().saturating_sub(start).into(), span.len());
        let read = window.read_span(&shifted, context_lines_before, context_lines_after)?;
        let contents = MietteSpanContents::new_named(
            self.file.path.clone(),
            read.data(),
            SourceSpan::new((read.span().offset() + start).into(), read.span().len()),
            read.line() + first,
            read.column(),
            read.line_count() + first,
        )
        .with_language("toml");
        Ok(Box::new(contents))
    }
}

/// One diagnostic in miette's terms: a message and labels in one file.
#[derive(Debug)]
struct Rendered<'s> {
    code: String,
    message: String,
    severity: miette::Severity,
    source: Indexed<'s>,
    labels: Vec<LabeledSpan>,
}

impl fmt::Display for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Rendered<'_> {}

impl Diagnostic for Rendered<'_> {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        (!self.code.is_empty()).then(|| Box::new(&self.code) as Box<dyn fmt::Display>)
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.labels.iter().cloned()))
    }
}

/// A file whose text or path holds characters with a hidden meaning, as a
/// coloured output shows it: every such character written visibly (as the
/// plain output's last step would), and where offsets moved.
struct Escaped {
    file: SourceFile,
    /// (offset in the file as read, bytes added before the next character)
    /// at each character written visibly, in file order.
    growth: Vec<(usize, usize)>,
}

impl Escaped {
    /// `None` when nothing in the file needs showing.
    fn of(f: &SourceFile) -> Option<Escaped> {
        let shown = |t: &str| visible_controls(t, Language::Text).into_owned();
        let path_plain = matches!(visible_controls(&f.path, Language::Text), Cow::Borrowed(_));
        let text_plain = matches!(visible_controls(&f.text, Language::Text), Cow::Borrowed(_));
        if path_plain && text_plain {
            return None;
        }
        let mut growth = Vec::new();
        let mut added = 0;
        let mut buffer = [0u8; 4];
        for (at, c) in f.text.char_indices() {
            let one = c.encode_utf8(&mut buffer);
            let len = visible_controls(one, Language::Text).len();
            if len != one.len() {
                added += len - one.len();
                growth.push((at, added));
            }
        }
        Some(Escaped {
            file: SourceFile::new(shown(&f.path), shown(&f.text)),
            growth,
        })
    }

    /// Where `offset` of the file as read lies in the shown text.
    fn map(&self, offset: usize) -> usize {
        // The growth of every visibly written character before `offset`.
        let before = self.growth.partition_point(|(at, _)| *at < offset);
        offset + before.checked_sub(1).map_or(0, |i| self.growth[i].1)
    }
}

/// The files as miette reads them, each looked at once (from any thread).
struct Files<'s> {
    sources: &'s Sources,
    /// Whether each file holds a CR that is not followed by LF, by file id.
    lone_cr: Vec<std::sync::OnceLock<bool>>,
    /// With colour: each file as shown, where it differs from the file as
    /// read (the plain output shows controls in its last step instead).
    escaped: Option<Vec<std::sync::OnceLock<Option<Escaped>>>>,
}

impl<'s> Files<'s> {
    fn new(sources: &'s Sources, color: bool) -> Files<'s> {
        Files {
            sources,
            lone_cr: sources.iter().map(|_| std::sync::OnceLock::new()).collect(),
            escaped: color.then(|| sources.iter().map(|_| std::sync::OnceLock::new()).collect()),
        }
    }

    /// Text from the snapshot as this output shows it: with colour, every
    /// character with a hidden meaning written visibly here, since the
    /// output's last step then keeps rclint's own colour sequences.
    fn shown<'t>(&self, text: &'t str) -> Cow<'t, str> {
        match self.escaped {
            Some(_) => visible_controls(text, Language::Text),
            None => Cow::Borrowed(text),
        }
    }

    /// The file as shown, if it differs from the file as read.
    fn escaped(&self, file: FileId) -> Option<&Escaped> {
        let cell = self.escaped.as_ref()?.get(file.0 as usize)?;
        cell.get_or_init(|| Escaped::of(self.sources.get(file)))
            .as_ref()
    }

    /// `labels` of `file` moved to where they lie in the file as shown,
    /// their text shown too.
    fn shown_labels(&self, file: FileId, labels: Vec<LabeledSpan>) -> Vec<LabeledSpan> {
        if self.escaped.is_none() {
            return labels;
        }
        let escaped = self.escaped(file);
        labels
            .into_iter()
            .map(|l| {
                let text = l
                    .label()
                    .map(|t| visible_controls(t, Language::Text).into_owned());
                let (start, end) = match escaped {
                    Some(e) => (e.map(l.offset()), e.map(l.offset() + l.len())),
                    None => (l.offset(), l.offset() + l.len()),
                };
                if l.primary() {
                    LabeledSpan::new_primary_with_span(text, start..end)
                } else {
                    LabeledSpan::new_with_span(text, start..end)
                }
            })
            .collect()
    }

    fn get(&self, file: FileId) -> Indexed<'_> {
        let f = match self.escaped(file) {
            Some(e) => &e.file,
            None => self.sources.get(file),
        };
        let has_lone_cr = || {
            f.text
                .match_indices('\r')
                .any(|(i, _)| !f.text[i + 1..].starts_with('\n'))
        };
        let lone_cr = match self.lone_cr.get(file.0 as usize) {
            Some(known) => *known.get_or_init(has_lone_cr),
            None => has_lone_cr(),
        };
        Indexed { file: f, lone_cr }
    }
}

fn labeled(label: &Label, primary: bool) -> LabeledSpan {
    let range = label.span.range();
    if primary {
        LabeledSpan::new_primary_with_span(Some(label.message.clone()), range)
    } else {
        LabeledSpan::new_with_span(Some(label.message.clone()), range)
    }
}

/// Labels further apart than this many lines are shown as separate
/// excerpts: miette draws every line between two labels of one excerpt.
const NEARBY_LINES: usize = 12;

/// A finding's labels as excerpts: those near the primary label (same
/// file, each within [`NEARBY_LINES`] of the next), and the others grouped
/// the same way, in file and line order.
fn excerpts(
    f: &crate::diagnostic::Finding,
    sources: &Sources,
) -> (Vec<LabeledSpan>, Vec<(FileId, Vec<LabeledSpan>)>) {
    let line = |label: &Label| sources.get(label.span.file).line_of(label.span.start());
    // Clusters of (file, first line, last line, labels).
    let mut clusters: Vec<(FileId, usize, usize, Vec<LabeledSpan>)> = vec![(
        f.primary.span.file,
        line(&f.primary),
        line(&f.primary),
        vec![labeled(&f.primary, true)],
    )];
    // In file and position order, so that labels near each other always
    // meet in one cluster.
    let mut related: Vec<&Label> = f.related.iter().collect();
    related.sort_by_key(|l| (l.span.file, l.span.start()));
    for label in related {
        let at = line(label);
        let is_near = |(file, first, last, _): &(FileId, usize, usize, Vec<LabeledSpan>)| {
            *file == label.span.file && at + NEARBY_LINES >= *first && at <= *last + NEARBY_LINES
        };
        // Only the primary's cluster and the newest one can be near: the
        // others lie wholly before the newest, further than NEARBY_LINES
        // (so a label defined 100,000 times stays linear).
        let newest = clusters.len() - 1;
        let near = if is_near(&clusters[0]) {
            Some(0)
        } else if is_near(&clusters[newest]) {
            Some(newest)
        } else {
            None
        };
        match near.and_then(|i| clusters.get_mut(i)) {
            Some((_, first, last, labels)) => {
                *first = (*first).min(at);
                *last = (*last).max(at);
                labels.push(labeled(label, false));
            }
            None => clusters.push((label.span.file, at, at, vec![labeled(label, false)])),
        }
    }
    let mut clusters = clusters.into_iter();
    let main = clusters
        .next()
        .map(|(_, _, _, labels)| labels)
        .unwrap_or_default();
    (
        main,
        clusters
            .map(|(file, _, _, labels)| (file, labels))
            .collect(),
    )
}

/// How far into its line (in bytes) a label may start and still be drawn.
/// miette pads to a label's column with a formatting width, which Rust
/// caps at 65,535; a column is at most four times the bytes before it (a
/// tab), so labels past this point are listed as text instead.
const DRAWN_COLUMNS: usize = 16_000;

/// Keeps the labels of `file` that miette can draw; the others become
/// lines of text in `listed` (`  at path:line:column: message`).
fn drawable(
    file: FileId,
    labels: Vec<LabeledSpan>,
    sources: &Sources,
    listed: &mut String,
) -> Vec<LabeledSpan> {
    let source = sources.get(file);
    let (near, far): (Vec<_>, Vec<_>) = labels.into_iter().partition(|l| {
        let line = source.line_of(l.offset());
        l.offset() - source.line_start(line) <= DRAWN_COLUMNS
    });
    for label in far {
        let (line, column) = source.line_col(label.offset());
        listed.push_str(&format!(
            "  at {}:{line}:{column}: {}\n",
            source.path,
            label.label().unwrap_or_default()
        ));
    }
    near
}

/// One finding as people read it: the excerpts, the trace, the help.
fn render_one(
    d: &crate::policy::Diagnostic,
    handler: &GraphicalReportHandler,
    files: &Files,
) -> String {
    let sources = files.sources;
    let mut out = String::new();
    let f = &d.finding;
    let file = f.primary.span.file;
    let (labels, others) = excerpts(f, sources);
    let mut listed = String::new();
    let labels = drawable(file, labels, sources, &mut listed);
    let labels = files.shown_labels(file, labels);
    let related: Vec<Rendered> = others
        .into_iter()
        .map(|(id, labels)| (id, drawable(id, labels, sources, &mut listed)))
        .filter(|(_, labels)| !labels.is_empty())
        .map(|(id, labels)| Rendered {
            code: String::new(),
            message: "see also".to_string(),
            severity: miette::Severity::Advice,
            source: files.get(id),
            labels: files.shown_labels(id, labels),
        })
        .collect();
    let rendered = Rendered {
        code: format!("{} {}", f.rule.code, f.rule.name),
        message: files.shown(&f.message).into_owned(),
        severity: match d.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Note => miette::Severity::Advice,
        },
        source: files.get(file),
        labels,
    };
    // Rendering into a String cannot fail. Labels in other files are
    // drawn as their own excerpts under the main one.
    let _ = handler.render_report(&mut out, &rendered);
    for r in &related {
        let mut part = String::new();
        let _ = handler.render_report(&mut part, r);
        out.push_str(part.trim_start_matches('\n'));
    }
    out.push_str(&files.shown(&listed));
    if !f.trace.is_empty() {
        let trace = trace_text(&f.trace, sources, Some(file));
        out.push_str(&format!("  note: {}\n", files.shown(&trace)));
    }
    if !f.help.is_empty() {
        out.push_str(&format!("  help: {}\n", files.shown(&f.help)));
    }
    out.push('\n');
    out
}

/// Renders every finding, then the summary line.
pub fn render(input: &ReportInput, style: Style) -> String {
    crate::report::written(|out| write(input, style, out))
}

/// Writes the findings for people as they are rendered: a batch of
/// findings at a time, rendered on every core and written in order (the
/// whole output is never held in memory). While one batch is rendered,
/// this thread writes the one before.
pub fn write(
    input: &ReportInput,
    style: Style,
    sink: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    use rayon::prelude::*;
    let theme = if style.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(style.width)
        .with_links(false);
    let files = Files::new(input.sources, style.color);
    let batch = rayon::current_num_threads().max(1) * 64;
    let mut rendered: Vec<String> = Vec::new();
    for findings in input.outcome.diagnostics.chunks(batch) {
        let mut next = Vec::new();
        rayon::in_place_scope(|scope| {
            scope.spawn(|_| {
                next = findings
                    .par_iter()
                    .map(|d| render_one(d, &handler, &files))
                    .collect();
            });
            rendered
                .iter()
                .try_for_each(|text| sink.write_all(text.as_bytes()))
        })?;
        rendered = next;
    }
    for text in rendered {
        sink.write_all(text.as_bytes())?;
    }
    sink.write_all(summary_line(input.outcome).as_bytes())?;
    sink.write_all(b"\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Finding, Subject, SubjectKind};
    use crate::snapshot::integrity::INVALID_SNAPSHOT;
    use crate::source::{SourceFile, Span};

    #[test]
    fn labels_are_grouped_with_the_labels_near_them() {
        let mut sources = Sources::default();
        let text: String = (1..=100).map(|n| format!("line {n:03}\n")).collect();
        let a = sources.add(SourceFile::new("a.toml".into(), text.clone()));
        let b = sources.add(SourceFile::new("b.toml".into(), text));
        // Line n (1-based) starts at byte 9 * (n - 1).
        let at =
            |file, line: usize| Label::new(Span::new(file, 9 * (line - 1)..9 * (line - 1) + 4), "");
        let mut finding = Finding::new(
            &INVALID_SNAPSHOT,
            Subject::new(SubjectKind::File, "a.toml"),
            at(a, 50),
            "m",
            "h",
        );
        finding.related = [90, 1, 62, 30, 45, 5, 60]
            .into_iter()
            .map(|line| at(a, line))
            .chain([at(b, 3)])
            .collect();
        let (main, others) = excerpts(&finding, &sources);
        let lines = |labels: &[LabeledSpan]| -> Vec<usize> {
            labels.iter().map(|l| l.offset() / 9 + 1).collect()
        };
        assert_eq!(lines(&main), [50, 45, 60, 62]);
        let others: Vec<(FileId, Vec<usize>)> =
            others.iter().map(|(f, l)| (*f, lines(l))).collect();
        assert_eq!(
            others,
            [(a, vec![1, 5]), (a, vec![30]), (a, vec![90]), (b, vec![3])]
        );
    }
}

//! `--format human`: miette diagnostics with labels in the TOML source, the
//! access path as a note, a help line, and a summary line.

use super::ReportInput;
use crate::diagnostic::{Label, Severity};
use crate::report::{summary_line, trace_text};
use crate::source::{FileId, Sources};
use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceCode,
};
use std::fmt;

/// How to draw.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    /// ANSI colours.
    pub color: bool,
    /// Terminal width for wrapping.
    pub width: usize,
}

/// One diagnostic in miette's terms: a message and labels in one file.
#[derive(Debug)]
struct Rendered {
    code: String,
    message: String,
    severity: miette::Severity,
    source: NamedSource<String>,
    labels: Vec<LabeledSpan>,
}

impl fmt::Display for Rendered {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Rendered {}

impl Diagnostic for Rendered {
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

fn named_source(sources: &Sources, file: FileId) -> NamedSource<String> {
    let f = sources.get(file);
    NamedSource::new(&f.path, f.text.clone()).with_language("toml")
}

fn labeled(label: &Label, primary: bool) -> LabeledSpan {
    let range = label.span.start..label.span.end;
    if primary {
        LabeledSpan::new_primary_with_span(Some(label.message.clone()), range)
    } else {
        LabeledSpan::new_with_span(Some(label.message.clone()), range)
    }
}

/// Renders every finding, then the summary line.
pub fn render(input: &ReportInput, style: Style) -> String {
    let theme = if style.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(style.width)
        .with_links(false);
    let sources = input.sources;
    let mut out = String::new();
    for d in &input.outcome.diagnostics {
        let f = &d.finding;
        let file = f.primary.span.file;
        let mut labels = vec![labeled(&f.primary, true)];
        let mut others: Vec<(FileId, Vec<LabeledSpan>)> = Vec::new();
        for label in &f.related {
            if label.span.file == file {
                labels.push(labeled(label, false));
            } else if let Some((_, l)) = others.iter_mut().find(|(id, _)| *id == label.span.file) {
                l.push(labeled(label, false));
            } else {
                others.push((label.span.file, vec![labeled(label, false)]));
            }
        }
        let related: Vec<Rendered> = others
            .into_iter()
            .map(|(id, labels)| Rendered {
                code: String::new(),
                message: "see also".to_string(),
                severity: miette::Severity::Advice,
                source: named_source(sources, id),
                labels,
            })
            .collect();
        let rendered = Rendered {
            code: format!("{} {}", f.rule.code, f.rule.name),
            message: f.message.clone(),
            severity: match d.severity {
                Severity::Error => miette::Severity::Error,
                Severity::Warning => miette::Severity::Warning,
                Severity::Note => miette::Severity::Advice,
            },
            source: named_source(sources, file),
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
        if !f.trace.is_empty() {
            out.push_str(&format!(
                "  note: {}\n",
                trace_text(&f.trace, sources, Some(file))
            ));
        }
        if !f.help.is_empty() {
            out.push_str(&format!("  help: {}\n", f.help));
        }
        out.push('\n');
    }
    out.push_str(&summary_line(input.outcome));
    out.push('\n');
    out
}

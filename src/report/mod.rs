//! Reporters: each turns a policy [`Outcome`] into text. They format; they
//! never decide what is reported or how severe it is.

pub mod csv;
pub mod deps;
pub mod derive;
pub mod drift;
pub mod github;
pub mod gitlab;
pub mod graph;
pub mod html;
pub mod human;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod paths;
pub mod sarif;
pub mod table;

use crate::diagnostic::Hop;
use crate::policy::Outcome;
use crate::source::{FileId, Sources};

/// What a reporter reads.
pub struct ReportInput<'a> {
    /// The findings after policy.
    pub outcome: &'a Outcome,
    /// The snapshot's files, for locations and excerpts.
    pub sources: &'a Sources,
}

/// `1 error`, `2 warnings`.
pub fn plural(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("{count} {noun}")
    } else {
        format!("{count} {noun}s")
    }
}

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

/// An access path as one line, `user svc-x → role R (users.toml:4) → ...`,
/// with the file and line of each hop. Hops in `home` show only their line.
pub fn trace_text(hops: &[Hop], sources: &Sources, home: Option<FileId>) -> String {
    let parts: Vec<String> = hops
        .iter()
        .map(|h| match h.span {
            Some(span) => {
                let file = sources.get(span.file);
                let (line, _) = file.line_col(span.start);
                if Some(span.file) == home {
                    format!("{} (line {line})", h.label)
                } else {
                    format!("{} ({}:{line})", h.label, file.path)
                }
            }
            None => h.label.clone(),
        })
        .collect();
    parts.join(" → ")
}

//! Reporters: each turns a policy [`Outcome`] into text. They format; they
//! never decide what is reported or how severe it is.

pub mod human;
pub mod json;

use crate::policy::Outcome;
use crate::source::Sources;

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

//! The printers of `rclint check`: one per `--format`.

pub mod baseline;
pub mod concise;
pub mod github;
pub mod gitlab;
pub mod human;
pub mod json;
pub mod junit;
pub mod sarif;

use crate::policy::Outcome;
use crate::source::Sources;

/// What a reporter reads.
pub struct ReportInput<'a> {
    /// The findings after policy.
    pub outcome: &'a Outcome,
    /// The snapshot's files, for locations and excerpts.
    pub sources: &'a Sources,
}

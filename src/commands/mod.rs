//! One module per subcommand family; `cli` parses, these run.

pub mod check;
pub mod graph;
pub mod output;
pub mod query;
pub mod report;
pub mod rules;

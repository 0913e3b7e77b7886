//! rclint: a least-privilege linter for the service accounts that integrations
//! use to call the Risk Cloud API.
//!
//! The data takes a one-way trip: [`snapshot`] loads the files into a typed
//! model with spans, [`graph`] builds the access graph and effective access,
//! [`rules`] turn them into [`diagnostic::Finding`]s, [`policy`] applies
//! severities in one place, and [`report`] formats the result.

#[macro_use]
pub mod diagnostic;
pub mod analysis;
pub mod catalog;
pub mod cli;
pub mod commands;
pub mod config;
pub mod derive;
pub mod drift;
pub mod escape;
pub mod evidence;
pub mod graph;
pub mod import;
pub mod minimal;
pub mod plan;
pub mod policy;
pub mod pull;
pub mod report;
pub mod rules;
pub mod schema;
pub mod snapshot;
pub mod source;
pub mod suggest;
pub mod time;
pub mod words;

pub use analysis::{Analysis, Depth, Workspace, analyze, analyze_loaded};

//! The printers of `rclint report`: the auditors' compliance report as HTML,
//! Markdown, CSV and JSON, drawn from the evidence `evidence::build` gathered
//! (the tables once, in `table`, for HTML and Markdown).

pub mod csv;
pub mod html;
pub mod json;
pub mod markdown;
pub mod picture;
pub mod table;

//! rclint's integration tests, one crate (one binary to link after a
//! change): a module per feature. Each runs the built `rclint` or calls the
//! library, on the fixtures and on shapes real tenants send.

mod access;
mod browser;
mod ci;
mod cli;
mod commands_agree;
mod common;
mod config_discovery;
mod conventions;
mod deps;
mod derive;
mod drift;
mod evidence;
mod finding_identity;
mod hostile;
mod import;
mod ingest;
mod layers;
mod loader;
mod loader_cases;
mod properties;
mod pull;
mod query_formats;
mod real_tenant;
mod report;
mod report_consistency;
mod report_since;
mod rules;
mod schema;
mod secrets;
mod synth;
mod terminal;
mod unknown_facts;

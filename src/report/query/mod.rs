//! The printers of the query commands: `derive` (derivation), `why` and
//! `who-can` (paths), `deps`, `diff` (changes) and `graph` (diagram).

pub mod changes;
pub mod deps;
pub mod derivation;
pub mod diagram;
pub mod paths;
pub mod plan;

//! A grant named on the command line (`module:ADMIN`, `step:A/W/S=edit`),
//! read and checked against the snapshot: `why` and `who-can` take one.

use super::Grant;
use crate::snapshot::{Level, Snapshot};
use crate::suggest;

impl Grant {
    /// Parses a grant as `check` prints it as an item (`module:ADMIN`,
    /// `step:A/W/S`), optionally followed by `=read` or `=edit`, and checks
    /// that the target exists in `snapshot`. A name may itself hold `=` or
    /// `:` (`application:R&D = 1`): the whole text is taken as the item when
    /// it names something, before a trailing `=level` is split off. The
    /// error is one line, naming the closest name where one is close.
    pub fn parse_known(text: &str, snapshot: &Snapshot) -> Result<(Grant, Option<Level>), String> {
        let usage = "use module:CODE, application:APP, step:APP/WORKFLOW/STEP or build:APP, \
                     optionally with =read or =edit";
        let with_level = text
            .rsplit_once('=')
            .and_then(|(item, level)| Some((item, Some(Level::parse(level)?))));
        let candidates = [Some((text, None)), with_level];
        let mut first_error = None;
        for (item, level) in candidates.into_iter().flatten() {
            let Some(grant) = Grant::parse(item) else {
                continue;
            };
            match grant.known_in(snapshot) {
                Ok(()) => return Ok((grant, level)),
                // The error about the level-split form names what was meant.
                Err(e) => first_error = Some(e),
            }
        }
        Err(first_error.unwrap_or_else(|| format!("invalid grant '{text}': {usage}")))
    }

    /// Whether `snapshot` defines the grant's target, or which name was
    /// meant.
    fn known_in(&self, snapshot: &Snapshot) -> Result<(), String> {
        let apps = &snapshot.model.applications;
        let known: Vec<String> = match self {
            Grant::Module(_) => crate::catalog::ModuleCatalog::get()
                .codes()
                .map(str::to_string)
                .collect(),
            Grant::Application(_) | Grant::Build(_) => {
                apps.iter().map(|a| a.name.value.to_string()).collect()
            }
            Grant::Step(_) => crate::snapshot::StepTable::paths(apps).collect(),
        };
        if known.iter().any(|k| k == self.name()) {
            return Ok(());
        }
        let hint = suggest::hint(suggest::closest(
            self.name(),
            known.iter().map(String::as_str),
        ));
        Err(format!("'{}' is not in the snapshot{hint}", self.name()))
    }

    /// Whether `text` reads as a grant (`kind:...`, maybe with `=level`)
    /// rather than, say, a path.
    pub fn looks_like(text: &str) -> bool {
        let item = text.rsplit_once('=').map_or(text, |(item, _)| item);
        Grant::parse(item).is_some() || Grant::parse(text).is_some()
    }
}

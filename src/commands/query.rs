//! What the query commands (`derive`, `why`, `who-can`, `deps`) share: an
//! answer printed with a word about snapshot problems, and finding the
//! account asked about. They answer from the same analysis as `check`;
//! snapshot problems do not stop them.

use super::CliError;
use super::output::write_to;
use crate::escape::Language;
use crate::report;
use crate::suggest;

/// What a query command (`derive`, `why`, `who-can`) answers, and how many
/// problems the snapshot has.
pub struct Answer {
    /// What to print on stdout.
    pub text: String,
    /// How many snapshot problems (RC4xx) the snapshot has.
    pub problems: usize,
    /// The language `text` is written in.
    pub language: Language,
    /// The exit code: 1 when the answer to a yes-or-no question is no.
    pub code: u8,
    /// Where to write it (`-o`), else stdout.
    pub output: Option<std::path::PathBuf>,
}

/// Prints an answer; snapshot problems do not stop a query, but are
/// mentioned once on stderr.
pub fn answer(a: Answer) -> Result<u8, CliError> {
    write_to(a.output.as_deref(), &a.text, a.language)?;
    if a.problems > 0 {
        eprintln!(
            "warning: the snapshot has {} (run 'rclint check'); answers may be incomplete",
            report::plural(a.problems, "problem")
        );
    }
    Ok(a.code)
}

pub(super) fn problems(analysis: &crate::analysis::Analysis) -> usize {
    analysis.snapshot_problems()
}

/// Finds a user by name, or says which name was meant.
pub fn find_account(analysis: &crate::analysis::Analysis, name: &str) -> Result<usize, CliError> {
    let snapshot = &analysis.snapshot;
    snapshot.user_named(name).ok_or_else(|| {
        let users = snapshot.model.users.iter();
        let hint = suggest::hint(suggest::closest(name, users.map(|u| u.name.value.as_str())));
        CliError(format!("unknown account '{name}'{hint}"))
    })
}

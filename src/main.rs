//! The `rclint` binary: parse the arguments, call the library, map the result
//! to an exit code (0 clean, 1 errors found, 2 could not run as asked).

use clap::Parser;
use clap::error::ErrorKind;
use rclint::cli::{Cli, run};
use rclint::report::escape::{Language, visible_controls};
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) => {
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        Err(e) if e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = e.print();
            return ExitCode::from(2);
        }
        Err(e) => {
            // clap explains over several lines; the first one says what is wrong.
            let text = e.render().to_string();
            let first = text.lines().next().unwrap_or("error: invalid arguments");
            eprintln!("{first} (see 'rclint --help')");
            return ExitCode::from(2);
        }
    };
    match run(cli) {
        Ok(finished) => {
            let code = ExitCode::from(finished.code);
            // The process ends right after: freeing a large snapshot piece by
            // piece would only add to the wall time (a large tenant: a third
            // of it), so the operating system takes it back whole.
            std::mem::forget(finished);
            code
        }
        Err(e) => {
            let message = format!("error: {e}");
            eprintln!("{}", visible_controls(&message, Language::Line));
            ExitCode::from(2)
        }
    }
}

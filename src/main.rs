//! The `rclint` binary: parse the arguments, call the library, map the result
//! to an exit code (0 clean, 1 errors found, 2 could not run as asked).

use clap::Parser;
use clap::error::ErrorKind;
use rclint::cli::{Cli, run};
use rclint::escape::{Language, visible_controls};
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
            // clap's first paragraph says what is wrong: the missing
            // argument, the possible values, a similar name. One line.
            let text = e.render().to_string();
            let first: Vec<&str> = text
                .split("\n\n")
                .enumerate()
                .filter(|(i, p)| *i == 0 || p.trim_start().starts_with("tip:"))
                .flat_map(|(_, p)| p.lines())
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect();
            let message = format!("{} (see 'rclint --help')", first.join(" "));
            eprintln!("{}", visible_controls(&message, Language::Line));
            return ExitCode::from(2);
        }
    };
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            let message = format!("error: {e}");
            eprintln!("{}", visible_controls(&message, Language::Line));
            ExitCode::from(2)
        }
    }
}

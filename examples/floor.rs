//! The parse floor: what `rclint check` cannot go below. It finds the same
//! files as `rclint check` (the same walk), reads each one and parses it
//! with the same crate and call (`toml::de::DeTable::parse`), and does
//! nothing else. Run it as its own process, like rclint, and compare:
//!
//! ```sh
//! cargo build --release --examples
//! hyperfine -N -i 'target/release/examples/floor /tmp/synth-large' \
//!     'target/release/rclint check /tmp/synth-large -f json'
//! ```
//!
//! `--threads` parses on every core (one file per task), as a floor for
//! parallel loading.

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let parallel = args.iter().any(|a| a == "--threads");
    args.retain(|a| a != "--threads");
    let Some(path) = args.first() else {
        eprintln!("usage: floor [--threads] PATH");
        std::process::exit(2);
    };
    let files = match rclint::snapshot::discover(&[path.into()], &|_| false) {
        Ok(files) => files,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    let parse = |file: &rclint::snapshot::Discovered| -> usize {
        let Ok(text) = std::fs::read_to_string(&file.path) else {
            return 0;
        };
        let keys = match toml::de::DeTable::parse(&text) {
            Ok(table) => {
                let keys = table.get_ref().len();
                std::mem::forget(table);
                keys
            }
            Err(_) => 0,
        };
        // Keep the text alive as rclint does, and not freed before exit.
        std::mem::forget(text);
        keys
    };
    let keys: usize = if parallel {
        use rayon::prelude::*;
        files.par_iter().map(parse).sum()
    } else {
        files.iter().map(parse).sum()
    };
    println!("{} files, {keys} top-level keys", files.len());
}

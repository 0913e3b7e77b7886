//! Arbitrary bytes as one or two snapshot files, through load, rules and
//! every output format.

#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // A 0xFF byte (never valid UTF-8) splits the input into two files.
    let files: Vec<(String, std::io::Result<Vec<u8>>)> = data
        .splitn(2, |b| *b == 0xFF)
        .enumerate()
        .map(|(i, part)| (format!("part-{i}.toml"), Ok(part.to_vec())))
        .collect();
    common::exercise(rclint::snapshot::load_bytes(files));
});

//! Arbitrary bytes as saved Risk Cloud API responses (a 0xFF byte, never
//! valid UTF-8, starts the next file), through import, then load, rules and
//! every output format on what import wrote.

#![no_main]

mod common;
mod import_common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let files = data
        .split(|b| *b == 0xFF)
        .take(16)
        .enumerate()
        .map(|(i, part)| {
            rclint::import::ExportFile::held(format!("response-{i:02}.json"), part.to_vec())
        })
        .collect();
    import_common::import_and_check(files);
});

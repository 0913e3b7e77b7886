//! The JSON floor of `rclint import`: what an import cannot go below. It
//! reads every file of an export folder and parses it with serde_json into
//! a `Value`, one file at a time, and drops it; nothing else. Run it as its
//! own process, like rclint, and compare (paired, medians):
//!
//! ```sh
//! cargo build --release --examples
//! cargo run --release --example synth_export -- --scale large --seed 7 /tmp/sx-large
//! hyperfine -N 'target/release/examples/json_floor /tmp/sx-large/export' \
//!     'target/release/rclint import /tmp/sx-large/export -o /tmp/sx-large/snapshot -q'
//! ```

fn main() {
    let Some(dir) = std::env::args().nth(1) else {
        eprintln!("usage: json_floor EXPORT_DIR");
        std::process::exit(2);
    };
    let mut paths: Vec<std::path::PathBuf> = match std::fs::read_dir(&dir) {
        Ok(entries) => entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| {
                p.extension()
                    .is_some_and(|e| e.eq_ignore_ascii_case("json"))
            })
            .collect(),
        Err(e) => {
            eprintln!("cannot read {dir}: {e}");
            std::process::exit(2);
        }
    };
    paths.sort();
    let (mut files, mut bytes, mut elements) = (0usize, 0usize, 0usize);
    for path in &paths {
        let Ok(text) = std::fs::read(path) else {
            continue;
        };
        if let Ok(value) = serde_json::from_slice::<serde_json::Value>(&text) {
            elements += value
                .get("content")
                .and_then(|c| c.as_array())
                .or_else(|| value.as_array())
                .map_or(1, Vec::len);
        }
        files += 1;
        bytes += text.len();
    }
    println!("{files} files, {bytes} bytes, {elements} elements");
}

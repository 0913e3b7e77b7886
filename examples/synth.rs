//! Writes a deterministic synthetic Risk Cloud tenant (see `rclint_synth`):
//!
//! ```sh
//! cargo run --release --example synth -- --scale large --seed 7 OUT_DIR
//! ```

use std::path::PathBuf;
use std::process::ExitCode;

fn run() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut scale = "small".to_string();
    let mut seed = 7u64;
    let mut out: Option<PathBuf> = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--scale" => scale = it.next().ok_or("--scale needs a value")?.clone(),
            "--seed" => {
                seed = it
                    .next()
                    .ok_or("--seed needs a value")?
                    .parse()
                    .map_err(|_| "--seed takes a number")?
            }
            other if other.starts_with('-') => return Err(format!("unknown option {other}")),
            other => out = Some(PathBuf::from(other)),
        }
    }
    let out = out.ok_or("usage: synth [--scale small|medium|large|xlarge] [--seed N] OUT_DIR")?;
    let tenant = rclint_synth::generate(&scale, seed)
        .ok_or_else(|| format!("unknown scale '{scale}' (small, medium, large, xlarge)"))?;
    tenant
        .write(&out)
        .map_err(|e| format!("cannot write to {}: {e}", out.display()))?;
    eprintln!("wrote {} files to {}", tenant.files.len(), out.display());
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

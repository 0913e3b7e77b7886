//! Writing output: to stdout (a closed pipe is not an error) or to a file,
//! whole or not at all.

use super::CliError;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Writes to stdout.
pub fn write_stdout(text: &str) -> Result<(), CliError> {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|_| stdout.flush())
    {
        Ok(()) => Ok(()),
        // A closed pipe (`rclint check | head`) is not an error worth reporting.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(CliError(format!(
            "cannot write the output: {}",
            crate::source::io_message(&e)
        ))),
    }
}

/// Writes `text` to a temporary file beside `path`, then renames it, so the
/// file is written whole or not at all.
pub fn write_file(path: &Path, text: &str) -> Result<(), CliError> {
    let fail = |e: std::io::Error| {
        CliError(format!(
            "cannot write '{}': {}",
            path.display(),
            crate::source::io_message(&e)
        ))
    };
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = dir.join(format!(".{name}.rclint-{}.tmp", std::process::id()));
    let result = std::fs::write(&temp, text).and_then(|_| std::fs::rename(&temp, path));
    if let Err(e) = result {
        let _ = std::fs::remove_file(&temp);
        return Err(fail(e));
    }
    Ok(())
}

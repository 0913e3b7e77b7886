//! Writing output: to stdout (a closed pipe is not an error) or to a file,
//! whole or not at all.

use super::CliError;
use crate::escape::{Language, is_plain, visible_controls};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Writes to stdout, every control character shown visibly in `language`'s
/// notation.
pub fn write_stdout(text: &str, language: Language) -> Result<(), CliError> {
    let text = visible_controls(text, language);
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

/// Writes `text` to `-o FILE` when there is one (whole or not at all),
/// else to stdout.
pub fn write_to(output: Option<&Path>, text: &str, language: Language) -> Result<(), CliError> {
    match output {
        Some(path) => write_file(path, text, language),
        None => write_stdout(text, language),
    }
}

/// Writes `text` to a new temporary file beside `path` (tempfile: a fresh
/// name, never another run's), syncs it to disk and renames it over `path`,
/// so the file is written whole or not at all.
/// Every control character is shown visibly in `language`'s notation.
pub fn write_file(path: &Path, text: &str, language: Language) -> Result<(), CliError> {
    write_bytes(path, visible_controls(text, language).as_bytes())
}

/// Writes `bytes` as they are, whole or not at all (a response kept as
/// evidence by `pull --save-raw`).
pub fn write_bytes(path: &Path, bytes: &[u8]) -> Result<(), CliError> {
    write_whole(path, |file| file.write_all(bytes))
}

/// Runs `write` on a new temporary file beside `path` (tempfile: a fresh
/// name, never another run's), syncs it and renames it over `path`: the
/// file is written whole or not at all (on failure the temporary file is
/// removed when dropped). A device or FIFO at `path` is written to as it
/// is; a symbolic link is refused.
fn write_whole(
    path: &Path,
    write: impl FnOnce(&mut std::fs::File) -> std::io::Result<()>,
) -> Result<(), CliError> {
    let fail = |e: std::io::Error| {
        CliError(format!(
            "cannot write '{}': {}",
            path.display(),
            crate::source::io_message(&e)
        ))
    };
    match std::fs::symlink_metadata(path) {
        // A link could be committed in a repository to aim a report at any
        // file the job may write: refused, never followed or replaced.
        Ok(m) if m.file_type().is_symlink() => {
            return Err(CliError(format!(
                "'{}' is a symbolic link; rclint writes through no link: remove it, or name \
                 the file it points to",
                path.display()
            )));
        }
        // A device or a FIFO (-o /dev/null, -o /dev/stdout, a named pipe)
        // is written to, never replaced by a file.
        Ok(m) if !m.is_file() && !m.is_dir() => {
            let mut file = std::fs::OpenOptions::new()
                .write(true)
                .open(path)
                .map_err(fail)?;
            return write(&mut file).map_err(fail);
        }
        _ => {}
    }
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut builder = tempfile::Builder::new();
    if let Some(mode) = kept_mode(path) {
        builder.permissions(mode);
    }
    let mut file = builder.tempfile_in(&dir).map_err(fail)?;
    write(file.as_file_mut()).map_err(fail)?;
    file.as_file().sync_all().map_err(fail)?;
    file.persist(path).map_err(|e| fail(e.error))?;
    Ok(())
}

/// The mode a written file gets: the mode of the file it replaces, else
/// read and write for all as the umask allows (what `touch` gives), not the
/// temporary file's private 0600. `None`: the platform's default.
fn kept_mode(path: &Path) -> Option<std::fs::Permissions> {
    match std::fs::metadata(path) {
        Ok(m) if m.is_file() => Some(m.permissions()),
        _ => new_file_mode(),
    }
}

#[cfg(unix)]
fn new_file_mode() -> Option<std::fs::Permissions> {
    use std::os::unix::fs::PermissionsExt;
    // Applied at creation, so the umask takes away what it takes away.
    Some(std::fs::Permissions::from_mode(0o666))
}

#[cfg(not(unix))]
fn new_file_mode() -> Option<std::fs::Permissions> {
    None
}

/// Passes what it is given on to `inner` with every control character shown
/// in `language`'s notation, as [`write_stdout`] does for a whole text. A
/// character split between two writes (a writer that buffers bytes, such
/// as the CSV one) is held back until its last byte comes.
struct VisibleControls<W: Write> {
    inner: W,
    language: Language,
    /// The first bytes of a character whose last bytes are still to come.
    pending: Vec<u8>,
}

impl<W: Write> VisibleControls<W> {
    fn new(inner: W, language: Language) -> VisibleControls<W> {
        VisibleControls {
            inner,
            language,
            pending: Vec::new(),
        }
    }

    fn write_text(&mut self, text: &str) -> std::io::Result<()> {
        self.inner
            .write_all(visible_controls(text, self.language).as_bytes())
    }

    /// Writes what is held back (bytes that never became a character are
    /// written as U+FFFD) and flushes.
    fn finish(&mut self) -> std::io::Result<()> {
        let pending = std::mem::take(&mut self.pending);
        if !pending.is_empty() {
            self.write_text(&String::from_utf8_lossy(&pending))?;
        }
        self.inner.flush()
    }
}

impl<W: Write> Write for VisibleControls<W> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        if self.pending.is_empty() && is_plain(bytes, self.language == Language::Line) {
            self.inner.write_all(bytes)?;
            return Ok(bytes.len());
        }
        let mut data = std::mem::take(&mut self.pending);
        data.extend_from_slice(bytes);
        match std::str::from_utf8(&data) {
            // A colour sequence split between two writes waits for its end.
            Ok(text)
                if self.language == Language::Styled
                    && crate::escape::colour_sequence_started(text) =>
            {
                let start = text.rfind('\u{1b}').unwrap_or(text.len());
                self.write_text(&text[..start])?;
                self.pending = data[start..].to_vec();
            }
            Ok(text) => self.write_text(text)?,
            Err(e) if e.error_len().is_none() => {
                // The last character is not whole yet.
                let (whole, rest) = data.split_at(e.valid_up_to());
                self.write_text(std::str::from_utf8(whole).unwrap_or_default())?;
                self.pending = rest.to_vec();
            }
            Err(_) => self.write_text(&String::from_utf8_lossy(&data))?,
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// Writes `write`'s output through the control-character guard, in
/// large slices: the guard is fed from a buffer, so a JSON document written
/// a token at a time is judged a few kilobytes at a time.
fn guarded<W: Write>(
    inner: W,
    language: Language,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let mut out = std::io::BufWriter::with_capacity(1 << 16, VisibleControls::new(inner, language));
    write(&mut out)?;
    out.into_inner().map_err(|e| e.into_error())?.finish()
}

/// Streams an output to stdout as `write` produces it (buffered, control
/// characters shown): the document is never held whole in memory.
pub fn stream_stdout(
    language: Language,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), CliError> {
    stream_stdout_after(b"", language, write)
}

/// [`stream_stdout`], `prefix` written first as it is (the byte order mark
/// spreadsheets expect before CSV, which the guard would show).
pub fn stream_stdout_after(
    prefix: &'static [u8],
    language: Language,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), CliError> {
    let mut stdout = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    let written = stdout
        .write_all(prefix)
        .and_then(|()| guarded(stdout, language, write));
    match written {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(CliError(format!(
            "cannot write the output: {}",
            crate::source::io_message(&e)
        ))),
    }
}

/// Streams an output into `path`, whole or not at all (buffered, control
/// characters shown).
pub fn stream_file(
    path: &Path,
    language: Language,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), CliError> {
    stream_file_after(path, b"", language, write)
}

/// [`stream_file`], `prefix` written first as it is.
pub fn stream_file_after(
    path: &Path,
    prefix: &'static [u8],
    language: Language,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), CliError> {
    write_whole(path, |file| {
        file.write_all(prefix)?;
        guarded(
            std::io::BufWriter::with_capacity(1 << 16, file),
            language,
            write,
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_character_split_between_writes_is_still_judged() {
        let text = "é\u{1b}[2J ü\u{202e}x";
        let bytes = text.as_bytes();
        // Every way to cut the text in two writes gives the same output.
        for cut in 0..=bytes.len() {
            let mut out = VisibleControls::new(Vec::new(), Language::Text);
            out.write_all(&bytes[..cut]).expect("write");
            out.write_all(&bytes[cut..]).expect("write");
            out.finish().expect("finish");
            assert_eq!(
                String::from_utf8(out.inner).expect("utf-8"),
                "é\\u{1b}[2J ü\\u{202e}x",
                "cut at {cut}"
            );
        }
        // A character never completed is written as U+FFFD.
        let mut out = VisibleControls::new(Vec::new(), Language::Text);
        out.write_all(&bytes[..1]).expect("write");
        out.finish().expect("finish");
        assert_eq!(out.inner, "\u{fffd}".as_bytes());
    }
}

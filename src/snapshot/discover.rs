//! Finding the snapshot's files: every `*.toml` under the given paths, in a
//! stable order, following no symlinks, skipping hidden folders and files,
//! `target/`, the config file and other tools' TOML files.

use crate::source::io_message as plain_io;
use std::fmt;
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

/// A path given to rclint that cannot be used.
#[derive(Debug)]
pub enum LoadError {
    /// The path does not exist or cannot be read.
    Unreadable(PathBuf, std::io::Error),
    /// No snapshot file was found under the paths.
    NoFiles(Vec<PathBuf>),
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::Unreadable(path, e) => {
                write!(f, "cannot read '{}': {}", path.display(), plain_io(e))
            }
            LoadError::NoFiles(paths) => {
                let names: Vec<String> =
                    paths.iter().map(|p| format!("'{}'", p.display())).collect();
                write!(f, "no snapshot files (*.toml) under {}", names.join(", "))
            }
        }
    }
}

impl std::error::Error for LoadError {}

/// A file to read.
#[derive(Debug, Clone)]
pub struct Discovered {
    /// Where it is.
    pub path: PathBuf,
    /// How it is shown: relative to the current directory, with `/`.
    pub display: String,
    /// Why it could not be walked, for a folder or file that walking the
    /// snapshot could not read: reported as RC401 `unreadable`.
    pub unreadable: Option<String>,
}

/// The name of the config file, never part of the snapshot.
pub const CONFIG_FILE: &str = "rclint.toml";

/// The import manifest `rclint import` writes beside the generated files:
/// not a snapshot file; read for the as-of time.
pub const MANIFEST_FILE: &str = "rclint-import.toml";

/// TOML files of other tools that live in repositories beside snapshots:
/// never part of a snapshot found by walking a folder (a file named on the
/// command line is read all the same).
pub const OTHER_TOOLS: &[&str] = &[
    "Cargo.toml",
    "pyproject.toml",
    "rust-toolchain.toml",
    "rustfmt.toml",
    "clippy.toml",
    "deny.toml",
    "taplo.toml",
    "Cross.toml",
    "netlify.toml",
    "fly.toml",
    "book.toml",
    "dist-workspace.toml",
];

/// Why a file found while walking a folder is left out, if it is: hidden
/// files, the config file, and other tools' TOML files.
fn left_out(name: &str) -> Option<&'static str> {
    if name.starts_with('.') {
        Some("a hidden file")
    } else if name == CONFIG_FILE {
        Some("the config file")
    } else if name == MANIFEST_FILE {
        Some("the import manifest")
    } else if OTHER_TOOLS.contains(&name) {
        Some("another tool's file")
    } else {
        None
    }
}

/// Every snapshot file under `paths`. `excluded` is asked for each file found
/// inside a directory, with its path relative to that directory.
pub fn discover(
    paths: &[PathBuf],
    excluded: &dyn Fn(&Path) -> bool,
) -> Result<Vec<Discovered>, LoadError> {
    walk(paths, excluded, &mut Vec::new())
}

/// What walking `paths` leaves out, and why (`rclint check -v`): hidden
/// folders and files, `target/`, the config file, other tools' TOML files,
/// files the config excludes. In walking order.
pub fn skipped(paths: &[PathBuf], excluded: &dyn Fn(&Path) -> bool) -> Vec<(String, &'static str)> {
    let mut skipped = Vec::new();
    let _ = walk(paths, excluded, &mut skipped);
    skipped
}

fn walk(
    paths: &[PathBuf],
    excluded: &dyn Fn(&Path) -> bool,
    skipped: &mut Vec<(String, &'static str)>,
) -> Result<Vec<Discovered>, LoadError> {
    let cwd = std::env::current_dir().ok();
    let mut found = Vec::new();
    for root in paths {
        let meta = std::fs::metadata(root).map_err(|e| LoadError::Unreadable(root.clone(), e))?;
        if meta.is_file() {
            found.push(discovered(root.clone(), cwd.as_deref()));
            continue;
        }
        std::fs::read_dir(root).map_err(|e| LoadError::Unreadable(root.clone(), e))?;
        let mut walker = WalkDir::new(root)
            .follow_links(false)
            .sort_by_file_name()
            .into_iter();
        while let Some(entry) = walker.next() {
            // A folder that cannot be read is never skipped in silence: it
            // becomes an RC401 finding when the snapshot is loaded.
            let entry = match entry {
                Ok(entry) => entry,
                Err(e) => {
                    let at = e.path().map_or_else(|| root.clone(), Path::to_path_buf);
                    let reason = e.io_error().map_or_else(|| e.to_string(), plain_io);
                    let mut file = discovered(at, cwd.as_deref());
                    file.unreadable = Some(reason);
                    found.push(file);
                    continue;
                }
            };
            if entry.depth() > 0 && skipped_dir(&entry) {
                let why = if entry.file_name() == "target" {
                    "a target/ folder"
                } else {
                    "a hidden folder"
                };
                skipped.push((
                    discovered(entry.path().to_path_buf(), cwd.as_deref()).display,
                    why,
                ));
                walker.skip_current_dir();
                continue;
            }
            let name = entry.file_name().to_string_lossy();
            if !entry.file_type().is_file() || !name.ends_with(".toml") {
                continue;
            }
            if let Some(why) = left_out(&name) {
                skipped.push((
                    discovered(entry.path().to_path_buf(), cwd.as_deref()).display,
                    why,
                ));
                continue;
            }
            let relative = entry.path().strip_prefix(root).unwrap_or(entry.path());
            if excluded(relative) {
                skipped.push((
                    discovered(entry.path().to_path_buf(), cwd.as_deref()).display,
                    "excluded by [snapshot] exclude",
                ));
                continue;
            }
            found.push(discovered(entry.into_path(), cwd.as_deref()));
        }
    }
    if found.is_empty() {
        return Err(LoadError::NoFiles(paths.to_vec()));
    }
    found.sort_by(|a, b| a.display.cmp(&b.display));
    found.dedup_by(|a, b| a.display == b.display);
    Ok(found)
}

/// Whether discovery leaves this folder out: a hidden one (`.git`) or a
/// `target/`. Every walk over a snapshot's folders asks this.
pub fn skipped_dir(entry: &walkdir::DirEntry) -> bool {
    let name = entry.file_name().to_string_lossy();
    entry.file_type().is_dir() && (name.starts_with('.') || name == "target")
}

/// How a path is shown to users: relative to the current directory, also
/// when it lies outside it (`../snap/users.toml`), with `/`, no `./`.
pub fn display_path(path: &Path) -> String {
    let cwd = std::env::current_dir().ok();
    discovered(path.to_path_buf(), cwd.as_deref()).display
}

fn discovered(path: PathBuf, cwd: Option<&Path>) -> Discovered {
    let relative = match cwd {
        Some(cwd) if path.is_absolute() => pathdiff::diff_paths(&path, cwd),
        _ => None,
    };
    let shown = relative
        .as_deref()
        .unwrap_or(&path)
        .to_string_lossy()
        .replace('\\', "/");
    let mut display = shown.as_str();
    while let Some(rest) = display.strip_prefix("./") {
        display = rest;
    }
    Discovered {
        display: display.to_string(),
        path,
        unreadable: None,
    }
}

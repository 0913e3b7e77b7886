//! Loading an access snapshot: discovery, parsing with spans, name resolution.
//! Every problem in the snapshot becomes a finding; only a path that cannot be
//! used at all is an error ([`LoadError`]).

mod discover;
mod entities;
pub mod model;
mod parse;
mod resolve;

pub use discover::{CONFIG_FILE, Discovered, LoadError, discover};
pub use model::*;
pub use parse::{SECRET_KEYS, is_secret_key};
pub use resolve::{Index, StepRef};

use crate::finding::{Finding, Label, Subject, SubjectKind};
use crate::rules::integrity::INVALID_SNAPSHOT;
use crate::source::{SourceFile, Sources, Span};
use std::path::{Path, PathBuf};

/// A loaded snapshot: its files, its entities and the name index.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    /// Every file read, with credential values masked.
    pub sources: Sources,
    /// Everything the files define.
    pub model: Model,
    /// Name → definition.
    pub index: Index,
}

/// A snapshot and the problems found while loading it (RC401–RC405).
#[derive(Debug)]
pub struct Loaded {
    /// The snapshot.
    pub snapshot: Snapshot,
    /// RC401–RC405 findings.
    pub findings: Vec<Finding>,
}

/// Walks `paths`, reads and parses every snapshot file, resolves names.
/// `excluded` is asked for every file found under a directory.
pub fn load(paths: &[PathBuf], excluded: &dyn Fn(&Path) -> bool) -> Result<Loaded, LoadError> {
    let files = discover(paths, excluded)?;
    Ok(load_files(&files))
}

/// Reads and parses the given files (already discovered).
pub fn load_files(files: &[Discovered]) -> Loaded {
    let inputs = files
        .iter()
        .map(|f| (f.display.clone(), std::fs::read(&f.path)))
        .collect();
    load_bytes(inputs)
}

/// Parses files already read: (display path, bytes or the error reading
/// them). Touches no file; the fuzz targets call it.
pub fn load_bytes(inputs: Vec<(String, std::io::Result<Vec<u8>>)>) -> Loaded {
    let mut sources = Sources::default();
    let mut model = Model::default();
    let mut findings = Vec::new();
    for (display, read) in inputs {
        let mut digest = None;
        let (text, problem) = match read {
            Ok(bytes) => {
                digest = Some(sha256_hex(&bytes));
                match String::from_utf8(bytes) {
                    Ok(text) => (text, None),
                    Err(e) => {
                        let at = e.utf8_error().valid_up_to();
                        let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
                        (text, Some((at, "the file is not valid UTF-8".to_string())))
                    }
                }
            }
            Err(e) => (
                String::new(),
                Some((
                    0,
                    format!("cannot read the file: {}", crate::io_message(&e)),
                )),
            ),
        };
        let id = sources.add(SourceFile::new(display.clone(), String::new()));
        if let Some((at, message)) = problem {
            findings.push(Finding::new(
                &INVALID_SNAPSHOT,
                Subject::new(SubjectKind::File, &display),
                Label::new(Span::new(id, at..at), "here"),
                message,
                "save the file as UTF-8 text that rclint can read",
            ));
            *sources.get_mut(id) = SourceFile::new(display, text).with_digest(digest);
            continue;
        }
        let parsed = parse::parse_file(id, &display, &text);
        let mut text = text.into_bytes();
        for range in &parsed.secret_ranges {
            for byte in text.get_mut(range.clone()).into_iter().flatten() {
                if !matches!(*byte, b'\n' | b'\r' | b'"' | b'\'') {
                    *byte = b'*';
                }
            }
        }
        // Only whole bytes were replaced by ASCII, so the text stays UTF-8 and
        // every span stays valid.
        let text = String::from_utf8_lossy(&text).into_owned();
        *sources.get_mut(id) = SourceFile::new(display, text).with_digest(digest);
        findings.extend(parsed.findings);
        let m = parsed.model;
        model.applications.extend(m.applications);
        model.permission_sets.extend(m.permission_sets);
        model.roles.extend(m.roles);
        model.users.extend(m.users);
        model.reports.extend(m.reports);
        model.integrations.extend(m.integrations);
    }
    let mut snapshot = Snapshot {
        sources,
        model,
        index: Index::default(),
    };
    findings.extend(snapshot.reindex());
    Loaded { snapshot, findings }
}

impl Snapshot {
    /// Rebuilds the name index from the model, after the model was changed,
    /// and returns the RC402–RC404 findings of the new model.
    pub fn reindex(&mut self) -> Vec<Finding> {
        let (index, findings) = resolve::resolve(&self.model);
        self.index = index;
        findings
    }
}

/// The SHA-256 of some bytes, as lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

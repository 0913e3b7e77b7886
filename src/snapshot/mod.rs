//! Loading an access snapshot: discovery, parsing with spans, name resolution.
//! Every problem in the snapshot becomes a finding; only a path that cannot be
//! used at all is an error ([`LoadError`]).

pub mod attest;
pub mod describe;
mod discover;
pub mod emit;
mod entities;
pub mod format;
pub mod integrity;
mod intent_checks;
mod keys;
pub mod model;
mod name_table;
mod parse;
mod resolve;
mod secrets;

pub use discover::{
    CONFIG_FILE, Discovered, LoadError, MANIFEST_FILE, discover, display_path, skipped, skipped_dir,
};
pub use keys::name_problem;
pub use model::*;
pub use name_table::{NameTable, Named, StepRef, StepTable, step_path};
pub use resolve::{Index, SetSteps};
pub use secrets::{SECRET_KEYS, is_secret_key};

use crate::diagnostic::{Finding, Label, Subject, SubjectKind};
use crate::source::{FileId, SourceFile, Sources, Span};
use integrity::INVALID_SNAPSHOT;
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
    /// What became of each attestation, once [`attest::apply`] ran.
    pub attested: Vec<attest::AttestationStanding>,
    /// The attestation (its index) that supplied each fact, by
    /// [`attest::fact_id`].
    pub supplied: std::collections::HashMap<(&'static str, Name), usize>,
    /// The `as_of` of the import manifest beside the snapshot, if any.
    pub imported_as_of: Option<jiff::Timestamp>,
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
    let mut loaded = load_files(&files);
    loaded.snapshot.imported_as_of = paths
        .iter()
        .filter_map(|p| read_manifest(&p.join(MANIFEST_FILE)))
        .max();
    Ok(loaded)
}

/// The `as_of` of the import manifest at `path`: a regular file of at most
/// 1 MiB, valid TOML, with `as_of` an offset date-time. Anything else reads
/// as no manifest, so RC110 judges against the day of the run: more
/// findings, never fewer.
fn read_manifest(path: &Path) -> Option<jiff::Timestamp> {
    let meta = std::fs::symlink_metadata(path).ok()?;
    if !meta.is_file() || meta.len() > 1 << 20 {
        return None;
    }
    manifest_as_of(&std::fs::read_to_string(path).ok()?)
}

/// The `as_of` of an import manifest's text.
pub fn manifest_as_of(text: &str) -> Option<jiff::Timestamp> {
    let table: toml::Table = text.parse().ok()?;
    let toml::Value::Datetime(at) = table.get("as_of")? else {
        return None;
    };
    at.to_string().parse().ok()
}

/// Reads and parses the given files (already discovered).
pub fn load_files(files: &[Discovered]) -> Loaded {
    let inputs = files
        .iter()
        .map(|f| {
            let read = match &f.unreadable {
                Some(reason) => Err(std::io::Error::other(reason.clone())),
                None => read_below_limit(&f.path),
            };
            (f.display.clone(), read)
        })
        .collect();
    load_bytes(inputs)
}

/// Why a file of `len` bytes is not read, if it is too long for a span.
fn too_long(len: u64) -> Option<std::io::Error> {
    (len >= crate::source::MAX_FILE_LEN as u64).then(|| {
        std::io::Error::other(format!(
            "it is {len} bytes long, and rclint reads files shorter than {} bytes (4 gib)",
            crate::source::MAX_FILE_LEN
        ))
    })
}

/// The file's bytes, unless it is too long to be read (asked before reading).
fn read_below_limit(path: &Path) -> std::io::Result<Vec<u8>> {
    let len = std::fs::metadata(path)?.len();
    match too_long(len) {
        Some(e) => Err(e),
        None => std::fs::read(path),
    }
}

/// Parses files already read: (display path, bytes or the error reading
/// them). Touches no file; the fuzz targets call it. Files are parsed on
/// every core; their results are merged in input order, so the snapshot
/// and its findings do not depend on the number of threads.
pub fn load_bytes(inputs: Vec<(String, std::io::Result<Vec<u8>>)>) -> Loaded {
    use rayon::prelude::*;
    let mut sources = Sources::default();
    let mut model = Model::default();
    let mut findings = Vec::new();
    // A few files per core at a time: parsed in parallel, then merged in
    // order before the next batch, so that no more than a batch of parsed
    // files waits in memory beside the merged model.
    let batch = rayon::current_num_threads().max(1) * 4;
    let mut inputs = inputs.into_iter().enumerate().peekable();
    while inputs.peek().is_some() {
        let files: Vec<ReadFile> = inputs
            .by_ref()
            .take(batch)
            .collect::<Vec<_>>()
            .into_par_iter()
            .map(|(i, (display, read))| read_file(FileId(i as u32), display, read))
            .collect();
        for file in files {
            sources.add(file.source);
            findings.extend(file.findings);
            let Some(m) = file.model else { continue };
            model.applications.extend(m.applications);
            model.permission_sets.extend(m.permission_sets);
            model.roles.extend(m.roles);
            model.users.extend(m.users);
            model.reports.extend(m.reports);
            model.integrations.extend(m.integrations);
            model.attestations.extend(m.attestations);
            model.activity.extend(m.activity);
        }
    }
    let mut snapshot = Snapshot {
        sources,
        model,
        index: Index::default(),
        attested: Vec::new(),
        supplied: Default::default(),
        imported_as_of: None,
    };
    findings.extend(snapshot.reindex());
    snapshot.merge_activity();
    findings.extend(intent_checks::validate(&snapshot));
    Loaded { snapshot, findings }
}

/// One file, read and parsed on its own (any thread): its source, what it
/// defines, its findings.
struct ReadFile {
    source: SourceFile,
    model: Option<Model>,
    findings: Vec<Finding>,
}

fn read_file(id: FileId, display: String, read: std::io::Result<Vec<u8>>) -> ReadFile {
    let read = read.and_then(|bytes| match too_long(bytes.len() as u64) {
        Some(e) => Err(e),
        None => Ok(bytes),
    });
    let bytes = match read {
        Ok(bytes) => bytes,
        Err(e) => {
            let finding = Finding::new(
                &INVALID_SNAPSHOT,
                Subject::new(SubjectKind::File, &display),
                Label::new(Span::new(id, 0..0), "here"),
                format!("cannot read '{display}': {}", crate::source::io_message(&e)),
                "make it readable by the user running rclint, or exclude it in rclint.toml",
            )
            .with_item("unreadable");
            return ReadFile {
                source: SourceFile::new(display, String::new()),
                model: None,
                findings: vec![finding],
            };
        }
    };
    let (text, parsed, original) = match String::from_utf8(bytes) {
        Ok(text) => {
            let parsed = parse::parse_file(id, &display, &text);
            (text, parsed, None)
        }
        Err(e) => {
            // Not UTF-8: reported, defines nothing, but still scanned for
            // credentials on its lossy text so that no excerpt shows one.
            let at = e.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
            let mut parsed = parse::scan_for_secrets(id, &display, &text);
            parsed.findings.push(
                Finding::new(
                    &INVALID_SNAPSHOT,
                    Subject::new(SubjectKind::File, &display),
                    Label::new(Span::new(id, at..at), "here"),
                    "the file is not valid UTF-8",
                    "save the file as UTF-8 text",
                )
                .with_item("encoding"),
            );
            (text, parsed, Some(e.into_bytes()))
        }
    };
    // The SHA-256 of the bytes as read: the text's, computed when a report
    // asks, unless the text is not the bytes (not UTF-8, or masked).
    let digest = match (&original, parsed.secret_ranges.is_empty()) {
        (Some(bytes), _) => Some(sha256_hex(bytes)),
        (None, false) => Some(sha256_hex(text.as_bytes())),
        (None, true) => None,
    };
    let text = mask(text, &parsed.secret_ranges);
    let source = SourceFile::new(display, text);
    ReadFile {
        source: match digest {
            Some(d) => source.with_digest(Some(d)),
            None => source.with_digest_of_text(),
        },
        model: Some(parsed.model),
        findings: parsed.findings,
    }
}

/// `text` with every byte of the credential values in `ranges` replaced by
/// `*` (line breaks and quotes kept, so spans and lines stay where they were).
fn mask(text: String, ranges: &[std::ops::Range<usize>]) -> String {
    let mut bytes = text.into_bytes();
    for range in ranges {
        for byte in bytes.get_mut(range.clone()).into_iter().flatten() {
            if !matches!(*byte, b'\n' | b'\r' | b'"' | b'\'') {
                *byte = b'*';
            }
        }
    }
    // The ranges start and end at character boundaries (the parser's spans,
    // or ASCII delimiters), and every byte inside became ASCII: still UTF-8.
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// The first line of every file `rclint import` (or `pull`) writes: what
/// an import may overwrite or delete, and nothing else.
pub const GENERATED_MARK: &str = "# Generated by `rclint import` from Risk Cloud";

/// Whether a file's text was written by `rclint import`.
pub fn is_generated(text: &str) -> bool {
    text.starts_with(GENERATED_MARK)
}

/// The `# as-of:` moment in a generated file's header, if it has one.
pub fn generated_as_of(text: &str) -> Option<jiff::Timestamp> {
    if !is_generated(text) {
        return None;
    }
    text.lines()
        .take_while(|l| l.starts_with('#'))
        .find_map(|l| l.strip_prefix("# as-of: "))
        .and_then(|t| t.trim().parse().ok())
}

impl Snapshot {
    /// When the access data was read from Risk Cloud: the import
    /// manifest's `as_of`, else the newest `# as-of:` header of files an
    /// earlier rclint generated; `None` for a snapshot written by hand.
    pub fn as_of(&self) -> Option<jiff::Timestamp> {
        self.imported_as_of.or_else(|| {
            self.sources
                .iter()
                .filter_map(|(_, f)| generated_as_of(&f.text))
                .max()
        })
    }

    /// Merges each `[[activity]]` into its user's details: the newer last
    /// login, the token rolls of the record (a user named by none keeps
    /// its own; RC402 reports a record of a user nobody defined).
    fn merge_activity(&mut self) {
        let records = std::mem::take(&mut self.model.activity);
        for record in &records {
            let Some(u) = self.user_named(&record.user.value) else {
                continue;
            };
            let user = &mut self.model.users[u];
            let mut details = user.details.take().map(|d| *d).unwrap_or_default();
            if let Some(at) = &record.last_login
                && details
                    .last_login
                    .as_ref()
                    .is_none_or(|d| d.value < at.value)
            {
                details.last_login = Some(at.clone());
            }
            if record.token_rolls.is_some() {
                details.token_rolls = record.token_rolls.clone();
                details.token_rolls_since = record.token_rolls_since.clone();
            }
            user.details = details.boxed();
        }
        self.model.activity = records;
    }

    /// The application named `name` (its model index).
    pub fn application_named(&self, name: &str) -> Option<usize> {
        self.index.applications.get(&self.model.applications, name)
    }

    /// The permission set named `name` (its model index).
    pub fn permission_set_named(&self, name: &str) -> Option<usize> {
        self.index
            .permission_sets
            .get(&self.model.permission_sets, name)
    }

    /// Whether user `u`'s Application Entitlements are unknown: its own, or
    /// those of a role it holds (not exported, not attested).
    pub fn applications_unknown(&self, u: usize) -> bool {
        let user = &self.model.users[u];
        user.is_unknown("applications")
            || user.roles.iter().any(|r| {
                self.role_named(&r.value)
                    .is_some_and(|i| self.model.roles[i].is_unknown("applications"))
            })
    }

    /// The role named `name` (its model index).
    pub fn role_named(&self, name: &str) -> Option<usize> {
        self.index.roles.get(&self.model.roles, name)
    }

    /// The user named `name` (its model index).
    pub fn user_named(&self, name: &str) -> Option<usize> {
        self.index.users.get(&self.model.users, name)
    }

    /// The report named `name` (its model index).
    pub fn report_named(&self, name: &str) -> Option<usize> {
        self.index.reports.get(&self.model.reports, name)
    }

    /// The integration named `name` (its model index).
    pub fn integration_named(&self, name: &str) -> Option<usize> {
        self.index.integrations.get(&self.model.integrations, name)
    }

    /// Resolves names after the model was read or changed: removes second
    /// definitions and repeated list entries, rebuilds the index, and returns
    /// the RC402–RC404 findings of the model.
    pub fn reindex(&mut self) -> Vec<Finding> {
        let (index, findings) = resolve::resolve(&mut self.model);
        self.index = index;
        findings
    }
}

pub use crate::source::sha256_hex;

//! Source files, byte spans into them, and the line/column positions shown to
//! users. Every value the loader reads keeps a [`Span`], so no later stage ever
//! re-parses a file to find a location.

use std::fmt;

/// Index of a file in [`Sources`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FileId(pub u32);

/// A byte range in one source file. Offsets are 32-bit (12 bytes a span,
/// and the model holds hundreds of thousands): the loader refuses a file of
/// [`MAX_FILE_LEN`] bytes or more.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    /// The file the range lies in.
    pub file: FileId,
    /// First byte.
    start: u32,
    /// One past the last byte.
    end: u32,
}

/// Files this long or longer are not read: a span could not point into them.
pub const MAX_FILE_LEN: usize = u32::MAX as usize;

/// A byte offset as spans and the line index keep it (clamped to
/// [`MAX_FILE_LEN`], which the loader never lets a file reach).
fn offset32(at: usize) -> u32 {
    u32::try_from(at).unwrap_or(u32::MAX)
}

impl Span {
    /// A span over `start..end` in `file` (offsets past [`MAX_FILE_LEN`]
    /// are clamped to it).
    pub fn new(file: FileId, range: std::ops::Range<usize>) -> Span {
        Span {
            file,
            start: offset32(range.start),
            end: offset32(range.end.max(range.start)),
        }
    }

    /// First byte.
    pub fn start(&self) -> usize {
        self.start as usize
    }

    /// One past the last byte.
    pub fn end(&self) -> usize {
        self.end as usize
    }

    /// The byte range.
    pub fn range(&self) -> std::ops::Range<usize> {
        self.start()..self.end()
    }
}

/// A value together with the span it was read from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Located<T> {
    /// The value.
    pub value: T,
    /// Where it is written.
    pub span: Span,
}

impl<T> Located<T> {
    /// Pairs a value with its span.
    pub fn new(value: T, span: Span) -> Self {
        Located { value, span }
    }
}

impl<T: fmt::Display> fmt::Display for Located<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.value.fmt(f)
    }
}

/// One file of the snapshot, as text.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path as shown to users: relative to the current directory, with `/`.
    pub path: String,
    /// The file's text (credential values already masked).
    pub text: String,
    /// How to know the SHA-256 of the bytes as read from disk.
    digest: Digest,
    /// Where each line starts (32-bit, as spans are).
    line_starts: Vec<u32>,
}

/// The SHA-256 of a file as read, known or computed only when asked for
/// (only `report` asks): most files' text is their bytes.
#[derive(Clone, Debug, Default)]
enum Digest {
    /// Not read (unreadable).
    #[default]
    Unknown,
    /// The text is the bytes as read: hashed when asked.
    OfText,
    /// Hashed when read (the text differs from the bytes: masked, or not
    /// UTF-8).
    Known(String),
}

/// The SHA-256 of some bytes, as lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest as _;
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(64);
    for b in sha2::Sha256::digest(bytes) {
        out.push(char::from(HEX[usize::from(b >> 4)]));
        out.push(char::from(HEX[usize::from(b & 0xf)]));
    }
    out
}

/// A 1-based line/column range; `end_column` is exclusive. Columns count
/// Unicode scalar values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    /// First line.
    pub line: usize,
    /// First column.
    pub column: usize,
    /// Last line.
    pub end_line: usize,
    /// Column after the last character.
    pub end_column: usize,
}

impl SourceFile {
    /// A file with its display path and text.
    pub fn new(path: String, text: String) -> SourceFile {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| offset32(i + 1)));
        SourceFile {
            path,
            text,
            digest: Digest::Unknown,
            line_starts,
        }
    }

    /// Records the SHA-256 of the file's bytes.
    pub fn with_digest(mut self, digest: Option<String>) -> SourceFile {
        self.digest = digest.map_or(Digest::Unknown, Digest::Known);
        self
    }

    /// Records that the text is the file's bytes as read: its SHA-256 is
    /// computed from the text when asked for.
    pub fn with_digest_of_text(mut self) -> SourceFile {
        self.digest = Digest::OfText;
        self
    }

    /// The SHA-256 of the bytes as read from disk (before masking), hex;
    /// `None` for a file that could not be read.
    pub fn digest(&self) -> Option<String> {
        match &self.digest {
            Digest::Unknown => None,
            Digest::OfText => Some(sha256_hex(self.text.as_bytes())),
            Digest::Known(d) => Some(d.clone()),
        }
    }

    /// The 0-based line that holds byte `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        let offset = offset.min(self.text.len());
        self.line_starts
            .partition_point(|&s| s as usize <= offset)
            .saturating_sub(1)
    }

    /// The byte where 0-based line `line` starts (the end of the text past
    /// the last line).
    pub fn line_start(&self, line: usize) -> usize {
        self.line_starts
            .get(line)
            .map_or(self.text.len(), |&s| s as usize)
    }

    /// 1-based line and column of a byte offset (clamped to the text).
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_of(offset);
        let start = self.line_start(line);
        let column = self
            .text
            .get(start..offset)
            .map_or(offset - start, |s| s.chars().count());
        (line + 1, column + 1)
    }

    /// The position of a byte range.
    pub fn position(&self, start: usize, end: usize) -> Position {
        let (line, column) = self.line_col(start);
        let (end_line, end_column) = self.line_col(end.max(start));
        Position {
            line,
            column,
            end_line,
            end_column,
        }
    }
}

/// Every file read for one run, addressed by [`FileId`].
#[derive(Debug, Default, Clone)]
pub struct Sources {
    files: Vec<SourceFile>,
}

impl Sources {
    /// Adds a file and returns its id.
    pub fn add(&mut self, file: SourceFile) -> FileId {
        self.files.push(file);
        FileId(self.files.len() as u32 - 1)
    }

    /// The file behind an id.
    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    /// Mutable access, used by the loader to mask credential values.
    pub fn get_mut(&mut self, id: FileId) -> &mut SourceFile {
        &mut self.files[id.0 as usize]
    }

    /// All files, in the order they were read.
    pub fn iter(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files
            .iter()
            .enumerate()
            .map(|(i, f)| (FileId(i as u32), f))
    }

    /// The position of a span.
    pub fn position(&self, span: Span) -> Position {
        self.get(span.file).position(span.start(), span.end())
    }

    /// The text a span covers.
    pub fn text(&self, span: Span) -> &str {
        self.get(span.file).text.get(span.range()).unwrap_or("")
    }
}

/// An I/O error as a short lowercase phrase, without the "(os error N)" suffix.
pub fn io_message(e: &std::io::Error) -> String {
    let text = e.to_string();
    let text = text
        .find(" (os error")
        .map_or(text.as_str(), |i| &text[..i]);
    text.to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_from_one() {
        let f = SourceFile::new("a.toml".into(), "ab\nçd = 1\n".into());
        assert_eq!(f.line_col(0), (1, 1));
        assert_eq!(f.line_col(3), (2, 1));
        // 'ç' is two bytes but one column
        assert_eq!(f.line_col(5), (2, 2));
        assert_eq!(f.line_col(100), (3, 1));
    }
}

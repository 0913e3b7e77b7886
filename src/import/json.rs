//! Reading saved API responses: each value carries the file and the JSON
//! pointer it was read at, so that every problem names both.

use super::Fatal;
use serde_json::Value;

/// One saved API response: its name in the export folder, and its bytes
/// or where to read them (read while the import goes, a few at a time).
#[derive(Debug, Clone)]
pub struct ExportFile {
    /// Its path relative to the export folder, with `/`.
    pub name: String,
    body: Body,
}

/// What the API answered, held or on disk.
#[derive(Debug, Clone)]
enum Body {
    Held(Vec<u8>),
    OnDisk(std::path::PathBuf),
}

impl ExportFile {
    /// A response held in memory (fetched by `pull`).
    pub fn held(name: String, bytes: Vec<u8>) -> ExportFile {
        ExportFile {
            name,
            body: Body::Held(bytes),
        }
    }

    /// A response saved at `path`, read when the import reaches it.
    pub fn on_disk(name: String, path: std::path::PathBuf) -> ExportFile {
        ExportFile {
            name,
            body: Body::OnDisk(path),
        }
    }

    /// Its bytes: borrowed when held, read when on disk. A file on disk
    /// must still be a file, not a symbolic link, when it is read: the
    /// export folder was checked when it was listed (a link inside it is
    /// listed as the file it leads to), and a link put there since is
    /// refused rather than followed.
    pub fn bytes(&self) -> Result<std::borrow::Cow<'_, [u8]>, Fatal> {
        let path = match &self.body {
            Body::Held(bytes) => return Ok(std::borrow::Cow::Borrowed(bytes)),
            Body::OnDisk(path) => path,
        };
        let shown = crate::snapshot::display_path(path);
        let cannot = |e: std::io::Error| {
            Fatal(format!(
                "cannot read '{shown}': {}",
                crate::source::io_message(&e)
            ))
        };
        if std::fs::symlink_metadata(path)
            .map_err(cannot)?
            .file_type()
            .is_symlink()
        {
            return Err(Fatal(format!(
                "'{shown}' became a symbolic link after the export was listed; rclint \
                 follows no link it has not checked"
            )));
        }
        std::fs::read(path)
            .map(std::borrow::Cow::Owned)
            .map_err(cannot)
    }
}

/// How deep a pointer is kept inline; a deeper one (a hostile file, a
/// long configured path) is written out as text from there on.
const INLINE_DEPTH: usize = 8;

/// One step of a pointer: a member (its key borrowed from the parsed file)
/// or an array index.
#[derive(Debug, Clone, Copy)]
enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

impl Step<'_> {
    /// Appends `/step`, escaped as RFC 6901 says, to `out`.
    fn write_into(&self, out: &mut String) {
        out.push('/');
        match self {
            Step::Index(i) => {
                use std::fmt::Write as _;
                let _ = write!(out, "{i}");
            }
            Step::Key(key) if !key.contains(['~', '/']) => out.push_str(key),
            Step::Key(key) => out.push_str(&key.replace('~', "~0").replace('/', "~1")),
        }
    }
}

/// An RFC 6901 JSON pointer (`/content/3/roleIds/0`), kept as its steps
/// and written out only when a place is asked for: reading a field costs
/// no text.
#[derive(Debug, Clone)]
pub struct Pointer<'a> {
    steps: [Step<'a>; INLINE_DEPTH],
    len: usize,
    /// The steps past [`INLINE_DEPTH`], written out.
    deeper: Option<String>,
}

impl Default for Pointer<'_> {
    fn default() -> Self {
        Pointer {
            steps: [Step::Index(0); INLINE_DEPTH],
            len: 0,
            deeper: None,
        }
    }
}

impl<'a> Pointer<'a> {
    fn child(&self, step: Step<'a>) -> Pointer<'a> {
        let mut child = self.clone();
        if child.deeper.is_none() && child.len < INLINE_DEPTH {
            child.steps[child.len] = step;
            child.len += 1;
        } else {
            step.write_into(child.deeper.get_or_insert_with(String::new));
        }
        child
    }
}

impl Pointer<'_> {
    /// Appends the pointer (`/` for the root) to `out`.
    fn write_into(&self, out: &mut String) {
        if self.len == 0 {
            out.push('/');
            return;
        }
        for step in &self.steps[..self.len] {
            step.write_into(out);
        }
        out.push_str(self.deeper.as_deref().unwrap_or(""));
    }
}

/// A JSON value and where it is: its file and its RFC 6901 pointer.
pub struct Located<'a> {
    /// The value.
    pub value: &'a Value,
    /// The file.
    pub file: &'a str,
    /// Where in the file.
    pointer: Pointer<'a>,
}

impl<'a> Located<'a> {
    /// The root of a file.
    pub fn root(value: &'a Value, file: &'a str) -> Located<'a> {
        Located {
            value,
            file,
            pointer: Pointer::default(),
        }
    }

    /// `file#/pointer`: where a problem is.
    pub fn place(&self) -> String {
        let mut place = String::with_capacity(self.file.len() + 40);
        place.push_str(self.file);
        place.push('#');
        self.pointer.write_into(&mut place);
        place
    }

    /// The member `key` of an object.
    pub fn get(&self, key: &str) -> Option<Located<'a>> {
        self.member(key).filter(|v| !v.value.is_null())
    }

    /// A member reached by a dotted path (`step.id`).
    pub fn get_path(&self, path: &str) -> Option<Located<'a>> {
        let mut here = Located {
            value: self.value,
            file: self.file,
            pointer: self.pointer.clone(),
        };
        for part in path.split('.') {
            here = here.get(part)?;
        }
        Some(here)
    }

    /// The first of `paths` that is present, with the path that matched.
    pub fn first_of<'p>(&self, paths: &'p [String]) -> Option<(&'p str, Located<'a>)> {
        paths
            .iter()
            .find_map(|p| self.get_path(p).map(|v| (p.as_str(), v)))
    }

    /// The elements of an array (none for anything else).
    pub fn elements(&self) -> Vec<Located<'a>> {
        match self.value {
            Value::Array(items) => items
                .iter()
                .enumerate()
                .map(|(i, value)| Located {
                    value,
                    file: self.file,
                    pointer: self.pointer.child(Step::Index(i)),
                })
                .collect(),
            _ => Vec::new(),
        }
    }

    /// A string member, or a number written as its digits (ids are strings
    /// in v2 and may be numbers elsewhere).
    pub fn text(&self, key: &str) -> Option<String> {
        self.get(key).and_then(|v| text(v.value))
    }

    /// The member `key` as it is, `null` included.
    fn member(&self, key: &str) -> Option<Located<'a>> {
        let (key, value) = self.value.as_object()?.get_key_value(key)?;
        Some(Located {
            value,
            file: self.file,
            pointer: self.pointer.child(Step::Key(key)),
        })
    }

    /// The error for a member of the wrong type: file, JSON pointer, what
    /// was expected and what was found.
    pub fn wrong_type(&self, expected: &str) -> Fatal {
        Fatal(format!(
            "{}: expected {expected}, found {}{}; rclint reads no guess of what it means",
            self.place(),
            kind(self.value),
            match self.value {
                Value::String(s) if s.len() <= 40 => format!(" \"{}\"", s.escape_debug()),
                _ => String::new(),
            }
        ))
    }

    /// A boolean member, type checked: absent is `None`; `null` or any
    /// other type stops the import.
    pub fn bool_of(&self, key: &str) -> Result<Option<bool>, Fatal> {
        match self.member(key) {
            None => Ok(None),
            Some(v) => v
                .value
                .as_bool()
                .map(Some)
                .ok_or_else(|| v.wrong_type("true or false")),
        }
    }

    /// A string (or number) member, type checked as [`Self::bool_of`],
    /// except that `null` is absent (an email or a name a real tenant left
    /// empty): the caller reports what is missing.
    pub fn text_of(&self, key: &str) -> Result<Option<String>, Fatal> {
        match self.member(key) {
            None => Ok(None),
            Some(v) if v.value.is_null() => Ok(None),
            Some(v) => text(v.value)
                .map(Some)
                .ok_or_else(|| v.wrong_type("a string")),
        }
    }

    /// An array member's elements, type checked as [`Self::bool_of`].
    pub fn array_of(&self, key: &str) -> Result<Option<Vec<Located<'a>>>, Fatal> {
        match self.member(key) {
            None => Ok(None),
            Some(v) if v.value.is_array() => Ok(Some(v.elements())),
            Some(v) => Err(v.wrong_type("an array")),
        }
    }

    /// An object member, type checked as [`Self::bool_of`].
    pub fn object_of(&self, key: &str) -> Result<Option<Located<'a>>, Fatal> {
        match self.member(key) {
            None => Ok(None),
            Some(v) if v.value.is_object() => Ok(Some(v)),
            Some(v) => Err(v.wrong_type("an object")),
        }
    }

    /// The keys an object holds, for messages ("the keys there were: ...").
    pub fn keys(&self) -> String {
        match self.value {
            Value::Object(map) if map.is_empty() => "none".to_string(),
            Value::Object(map) => map.keys().cloned().collect::<Vec<_>>().join(", "),
            other => format!("none (it is {})", kind(other)),
        }
    }
}

/// A string, or a number as its digits.
pub fn text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// What kind of JSON value this is, for messages.
pub fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A moment written as epoch milliseconds or as an ISO 8601 string (Risk
/// Cloud writes both).
/// A moment outside years 0001-9999 (which TOML cannot write) is none.
pub fn moment(value: &Value) -> Option<jiff::Timestamp> {
    let at = match value {
        Value::Number(n) => jiff::Timestamp::from_millisecond(n.as_i64()?).ok(),
        Value::String(s) => s.parse::<jiff::Timestamp>().ok().or_else(|| {
            s.parse::<i64>()
                .ok()
                .and_then(|ms| jiff::Timestamp::from_millisecond(ms).ok())
        }),
        _ => None,
    }?;
    crate::time::is_writable(at).then_some(at)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_escape_slashes_and_tildes() {
        let value: Value = serde_json::json!({"a/b": {"c~d": [1, 2]}});
        let root = Located::root(&value, "f.json");
        let inner = root.get("a/b").and_then(|v| v.get("c~d")).expect("present");
        assert_eq!(inner.elements()[1].place(), "f.json#/a~1b/c~0d/1");
        assert_eq!(root.place(), "f.json#/");
    }

    #[test]
    fn pointers_deeper_than_the_inline_steps_are_whole() {
        let value: Value = serde_json::json!({"a": {"b": {"c": {"d": {"e": {"f": {"g": {
            "h": {"i/j": [{"k": 1}]}}}}}}}}});
        let mut here = Located::root(&value, "f.json");
        for key in ["a", "b", "c", "d", "e", "f", "g", "h", "i/j"] {
            here = here.get(key).expect("present");
        }
        let deepest = here.elements()[0].get("k").expect("present");
        assert_eq!(deepest.place(), "f.json#/a/b/c/d/e/f/g/h/i~1j/0/k");
    }

    #[test]
    fn moments_are_read_from_milliseconds_and_iso_strings() {
        let ms = moment(&serde_json::json!(1_672_552_800_000_i64)).expect("ms");
        let iso = moment(&serde_json::json!("2023-01-01T06:00:00Z")).expect("iso");
        assert_eq!(ms, iso);
        assert_eq!(moment(&serde_json::json!("yesterday")), None);
        assert_eq!(moment(&serde_json::json!(-219_337_000_000_000_i64)), None);
    }
}

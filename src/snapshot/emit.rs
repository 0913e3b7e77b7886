//! The one TOML emitter of snapshot entities, used by `rclint import` and
//! by `derive -f toml`: an entity's keys in the order the format describes
//! them ([`super::describe`]), scalars first, then arrays one element per
//! line, then each table of grants one grant per line, then nested arrays
//! of tables; so that a grant changed in Risk Cloud is a one-line diff.

use super::describe::{Entity, Kind};
use crate::catalog::Level;
use crate::escape::toml;
use crate::time::format_moment;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// A value to write.
#[derive(Clone, Debug)]
pub enum Value {
    /// A string.
    Text(String),
    /// A boolean.
    Bool(bool),
    /// A count.
    Count(u64),
    /// A moment, written as a TOML offset date-time.
    Moment(jiff::Timestamp),
    /// An array of strings, one per line.
    Strings(Vec<String>),
    /// A table of name → level, one per line (`{}` when empty).
    Levels(BTreeMap<String, Level>),
    /// A table of name → string, one per line, in the given order.
    StringMap(Vec<(String, String)>),
    /// Nested entities (`[[application.workflow]]`).
    Tables(Vec<Block>),
}

impl From<super::Name> for Value {
    fn from(v: super::Name) -> Value {
        Value::Text(v.into())
    }
}

impl From<u64> for Value {
    fn from(v: u64) -> Value {
        Value::Count(v)
    }
}

impl From<jiff::Timestamp> for Value {
    fn from(v: jiff::Timestamp) -> Value {
        Value::Moment(v)
    }
}

impl From<bool> for Value {
    fn from(v: bool) -> Value {
        Value::Bool(v)
    }
}

/// One entity to write: the values of its keys. A key left out is not
/// written; every key given is, even an empty array.
#[derive(Clone, Debug)]
pub struct Block {
    /// What it is.
    pub entity: &'static Entity,
    /// Key → value, in any order: the description orders them.
    pub values: Vec<(&'static str, Value)>,
}

impl Block {
    /// An entity with no values yet.
    pub fn new(entity: &'static Entity) -> Block {
        Block {
            entity,
            values: Vec::new(),
        }
    }

    /// Adds `key = value`.
    pub fn with(mut self, key: &'static str, value: impl Into<Value>) -> Block {
        self.set(key, value);
        self
    }

    /// Sets `key = value`.
    pub fn set(&mut self, key: &'static str, value: impl Into<Value>) {
        let value = value.into();
        debug_assert!(
            self.entity.key(key).is_some_and(|k| fits(k.kind, &value)),
            "'{key}' is not a key of {} that holds {value:?}",
            self.entity.table
        );
        self.values.push((key, value));
    }

    /// Sets `key` to a string.
    pub fn text(self, key: &'static str, value: &str) -> Block {
        self.with(key, Value::Text(value.to_string()))
    }

    /// Sets `key` to an array of strings, unless it is empty.
    pub fn strings<'s>(
        mut self,
        key: &'static str,
        items: impl IntoIterator<Item = &'s String>,
    ) -> Block {
        let items: Vec<String> = items.into_iter().cloned().collect();
        if !items.is_empty() {
            self.set(key, Value::Strings(items));
        }
        self
    }

    /// Sets `key` to a table of levels, unless it is empty.
    pub fn levels(mut self, key: &'static str, levels: &BTreeMap<String, Level>) -> Block {
        if !levels.is_empty() {
            self.set(key, Value::Levels(levels.clone()));
        }
        self
    }
}

/// Where a value goes in its entity's block.
fn section(value: &Value) -> u8 {
    match value {
        Value::Strings(items) if !items.is_empty() => 1,
        Value::Levels(m) if !m.is_empty() => 2,
        Value::StringMap(m) if !m.is_empty() => 2,
        Value::Tables(_) => 3,
        _ => 0,
    }
}

/// Writes `block` as `[[path]]` (path: the dotted tables above it and its
/// own), preceded by an empty line.
pub fn write(out: &mut String, block: &Block, parent: &str) {
    let path = if parent.is_empty() {
        block.entity.table.to_string()
    } else {
        format!("{parent}.{}", block.entity.table)
    };
    let _ = writeln!(out, "\n[[{path}]]");
    let mut ordered: Vec<&(&str, Value)> = Vec::with_capacity(block.values.len());
    for key in block.entity.all_keys() {
        ordered.extend(block.values.iter().filter(|(k, _)| *k == key.name));
    }
    for wanted in 0..=3 {
        for (key, value) in ordered.iter().filter(|(_, v)| section(v) == wanted) {
            write_value(out, &path, key, value);
        }
    }
}

fn write_value(out: &mut String, path: &str, key: &str, value: &Value) {
    match value {
        Value::Text(s) => {
            let _ = writeln!(out, "{key} = {}", toml(s));
        }
        Value::Bool(b) => {
            let _ = writeln!(out, "{key} = {b}");
        }
        Value::Count(n) => {
            let _ = writeln!(out, "{key} = {n}");
        }
        Value::Moment(at) => {
            let _ = writeln!(out, "{key} = {}", format_moment(*at));
        }
        Value::Strings(items) if items.is_empty() => {
            let _ = writeln!(out, "{key} = []");
        }
        Value::Strings(items) => {
            let _ = writeln!(out, "{key} = [");
            for item in items {
                let _ = writeln!(out, "    {},", toml(item));
            }
            let _ = writeln!(out, "]");
        }
        Value::Levels(m) if m.is_empty() => {
            let _ = writeln!(out, "{key} = {{}}");
        }
        Value::StringMap(m) if m.is_empty() => {
            let _ = writeln!(out, "{key} = {{}}");
        }
        Value::Levels(m) => {
            let _ = writeln!(out, "\n[{path}.{key}]");
            for (target, level) in m {
                let _ = writeln!(out, "{} = \"{}\"", toml(target), level.as_str());
            }
        }
        Value::StringMap(m) => {
            let _ = writeln!(out, "\n[{path}.{key}]");
            for (name, text) in m {
                let _ = writeln!(out, "{} = {}", toml(name), toml(text));
            }
        }
        Value::Tables(blocks) => {
            for b in blocks {
                write(out, b, path);
            }
        }
    }
}

/// Whether a value fits what `kind` holds (checked in debug builds, so
/// that the tests hold every caller to the description).
fn fits(kind: Kind, value: &Value) -> bool {
    matches!(
        (kind, value),
        (
            Kind::Name { .. } | Kind::Text | Kind::Environment | Kind::Action,
            Value::Text(_)
        ) | (Kind::Bool, Value::Bool(_))
            | (Kind::Count, Value::Count(_))
            | (Kind::Moment, Value::Moment(_))
            | (Kind::Strings | Kind::Modules, Value::Strings(_))
            | (Kind::Levels, Value::Levels(_))
            | (Kind::StringMap, Value::StringMap(_))
            | (Kind::Tables(_), Value::Tables(_))
    )
}

//! How the snapshot format is described: entities, their keys, and what
//! each key holds. The description itself is in [`super::format`].

use crate::source::Located;

/// A name as the model keeps it.
type Name = compact_str::CompactString;

/// What a key holds.
#[derive(Clone, Copy, Debug)]
pub enum Kind {
    /// A name: a string without control characters or surrounding spaces
    /// (`/` too, where `segment`).
    Name {
        /// It is part of a path, so it may not hold `/`.
        segment: bool,
    },
    /// Any string.
    Text,
    /// `true` or `false`.
    Bool,
    /// An integer, 0 or more.
    Count,
    /// A TOML offset date-time (`2026-10-01T09:30:00Z`), or a date.
    Moment,
    /// An environment's name ([`super::Environment::ALL`]).
    Environment,
    /// An action of the intent catalog.
    Action,
    /// An array of strings.
    Strings,
    /// An array of module codes of the module catalog.
    Modules,
    /// A table of name → `"read"` or `"edit"`: one grant per line.
    Levels,
    /// A table of name → string (`step_ids`).
    StringMap,
    /// An array of tables, each the given entity.
    Tables(&'static Entity),
}

/// One key of an entity.
#[derive(Debug)]
pub struct Key {
    /// The key as written.
    pub name: &'static str,
    /// What it holds.
    pub kind: Kind,
    /// Whether every entity must write it.
    pub required: bool,
    /// What it means (the schema's description).
    pub doc: &'static str,
}

impl Key {
    /// A key every entity may leave out.
    pub const fn optional(name: &'static str, kind: Kind, doc: &'static str) -> Key {
        Key {
            name,
            kind,
            required: false,
            doc,
        }
    }

    /// A key every entity must write.
    pub const fn required(name: &'static str, kind: Kind, doc: &'static str) -> Key {
        Key {
            name,
            kind,
            required: true,
            doc,
        }
    }
}

/// One kind of table of the format (`[[role]]`, `[[application.workflow]]`).
#[derive(Debug)]
pub struct Entity {
    /// Its key in its parent (`role`, `workflow`).
    pub table: &'static str,
    /// How findings call it (`permission set`).
    pub noun: &'static str,
    /// Its name in the schema's `$defs` (`PermissionSet`).
    pub title: &'static str,
    /// What it is.
    pub doc: &'static str,
    /// Its keys, in the order they are written.
    pub keys: &'static [Key],
    /// Keys that follow the first one (a user's details), declared
    /// where they are stored.
    pub details: &'static [Key],
}

impl Entity {
    /// Every key, in the order they are written: the first key, the
    /// details, the rest.
    pub fn all_keys(&self) -> impl Iterator<Item = &'static Key> + use<> {
        let (first, rest) = self.keys.split_at(self.keys.len().min(1));
        first.iter().chain(self.details).chain(rest)
    }

    /// The key called `name`, if it has one.
    pub fn key(&self, name: &str) -> Option<&'static Key> {
        self.all_keys().find(|k| k.name == name)
    }

    /// Whether `name` is one of its keys.
    pub fn has_key(&self, name: &str) -> bool {
        self.key(name).is_some()
    }

    /// The names of its keys, in order.
    pub fn key_names(&self) -> Vec<&'static str> {
        self.all_keys().map(|k| k.name).collect()
    }
}

/// Reads one value of each kind a user detail may hold out of the table
/// being read; the loader implements it, with its findings and spans.
pub trait ReadValues {
    /// A string.
    fn string(&mut self, key: &str) -> Option<Located<Name>>;
    /// A moment.
    fn date_time(&mut self, key: &str) -> Option<Located<jiff::Timestamp>>;
    /// A count.
    fn count(&mut self, key: &str) -> Option<Located<u64>>;
    /// A boolean.
    fn bool(&mut self, key: &str) -> Option<Located<bool>>;
}

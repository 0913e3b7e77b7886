//! Entities of one kind found by name. A table keeps only each entity's
//! position in its model list; the name is the entity's own, compared at
//! lookup. A snapshot of 50,000 users would otherwise hold every login
//! twice, once in the model and once as a key.

use super::model::{Application, Integration, PermissionSet, Report, Role, User};
use hashbrown::HashTable;
use std::hash::BuildHasher;
use std::marker::PhantomData;

/// An entity found by its name.
pub trait Named {
    /// Its name.
    fn name(&self) -> &str;
}

macro_rules! named {
    ($($t:ty),*) => {$(
        impl Named for $t {
            fn name(&self) -> &str {
                &self.name.value
            }
        }
    )*};
}
named!(Application, PermissionSet, Role, User, Report, Integration);

/// The position in a model list of each name in it.
pub struct NameTable<T> {
    /// Positions in the list, hashed by the name at that position.
    positions: HashTable<u32>,
    kind: PhantomData<fn() -> T>,
}

fn hash(name: &str) -> u64 {
    rustc_hash::FxBuildHasher.hash_one(name)
}

impl<T: Named> NameTable<T> {
    /// The table of `list`. A name given twice is found at its first
    /// position (the resolver has already removed later definitions).
    pub fn new(list: &[T]) -> NameTable<T> {
        let mut positions = HashTable::with_capacity(list.len());
        let name_at = |at: &u32| list[*at as usize].name();
        // A list cannot hold 2^32 entities in memory (each is over 100
        // bytes), so every position fits.
        for (at, item) in (0..=u32::MAX).zip(list) {
            let name = item.name();
            let h = hash(name);
            if positions.find(h, |p| name_at(p) == name).is_none() {
                positions.insert_unique(h, at, |p| hash(name_at(p)));
            }
        }
        NameTable {
            positions,
            kind: PhantomData,
        }
    }

    /// The position of `name` in `list`, the list the table was made from.
    pub fn get(&self, list: &[T], name: &str) -> Option<usize> {
        self.positions
            .find(hash(name), |&at| {
                list.get(at as usize).is_some_and(|t| t.name() == name)
            })
            .map(|&at| at as usize)
    }

    /// Whether `list` has an entity named `name`.
    pub fn contains(&self, list: &[T], name: &str) -> bool {
        self.get(list, name).is_some()
    }
}

impl<T> Default for NameTable<T> {
    fn default() -> Self {
        NameTable {
            positions: HashTable::new(),
            kind: PhantomData,
        }
    }
}

impl<T> Clone for NameTable<T> {
    fn clone(&self) -> Self {
        NameTable {
            positions: self.positions.clone(),
            kind: PhantomData,
        }
    }
}

impl<T> std::fmt::Debug for NameTable<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "NameTable({} names)", self.positions.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{FileId, Located, Span};

    fn role(name: &str) -> Role {
        let at = Span::new(FileId(0), 0..0);
        Role {
            id: None,
            name: Located::new(name.into(), at),
            modules: Vec::new(),
            applications: Vec::new(),
            permission_sets: Vec::new(),
            default_for_new_users: false,
        }
    }

    #[test]
    fn finds_each_name_at_its_first_position() {
        let roles: Vec<Role> = ["Everyone", "a/b=c", "\u{1b}[31m", "Everyone", ""]
            .into_iter()
            .map(role)
            .collect();
        let table = NameTable::new(&roles);
        assert_eq!(table.get(&roles, "Everyone"), Some(0));
        assert_eq!(table.get(&roles, "a/b=c"), Some(1));
        assert_eq!(table.get(&roles, "\u{1b}[31m"), Some(2));
        assert_eq!(table.get(&roles, ""), Some(4));
        assert_eq!(table.get(&roles, "everyone"), None);
        assert!(!table.contains(&roles, "Admins"));
        // Asked with a shorter list than it was made from: not found, no panic.
        assert_eq!(table.get(&roles[..1], "a/b=c"), None);
    }

    #[test]
    fn finds_every_one_of_many_names() {
        let roles: Vec<Role> = (0..20_000).map(|i| role(&format!("Role {i:05}"))).collect();
        let table = NameTable::new(&roles);
        for (i, r) in roles.iter().enumerate() {
            assert_eq!(table.get(&roles, &r.name.value), Some(i));
        }
        assert_eq!(table.get(&roles, "Role 20000"), None);
    }
}

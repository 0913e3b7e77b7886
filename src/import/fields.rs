//! Reading the fields every kind shares, type checked: ids and names,
//! lists of ids, levels, `lastLogin`.

use super::json::{Located, moment, text};
use super::{Fatal, Problem};
use crate::catalog::Level;

/// A reference by id, with where it was read.
#[derive(Debug, Clone)]
pub struct IdRef {
    pub(super) id: String,
    pub(super) place: String,
}

/// The id and name every entity has; a missing one is a problem.
pub(super) fn id_and_name(
    e: &Located,
    what: &str,
    problems: &mut Vec<Problem>,
) -> Result<Option<(String, String)>, Fatal> {
    let id = e.text_of("id")?;
    let name = e.text_of("name")?;
    Ok(match (id, name) {
        (Some(id), Some(name)) => Some((id, name)),
        _ => {
            problems.push(Problem::new(
                e.place(),
                format!(
                    "this {what} has no id or no name (its keys: {}); it is not imported",
                    e.keys()
                ),
            ));
            None
        }
    })
}

/// A list of ids, written as `key_ids` (`roleIds`: strings) and/or as `key`
/// (`roles`: objects with an `id`), type checked. When both are there and
/// name different ids, that is a problem and both are kept (never the
/// narrower guess).
pub(super) fn ids(
    e: &Located,
    ids_key: &str,
    objects_key: &str,
    problems: &mut Vec<Problem>,
) -> Result<Vec<IdRef>, Fatal> {
    let as_ids = match e.array_of(ids_key)? {
        Some(list) => Some(
            list.iter()
                .map(|i| {
                    Ok(IdRef {
                        id: text(i.value).ok_or_else(|| i.wrong_type("an id (a string)"))?,
                        place: i.place(),
                    })
                })
                .collect::<Result<Vec<_>, Fatal>>()?,
        ),
        None => None,
    };
    let as_objects = match e.array_of(objects_key)? {
        Some(list) => Some(
            list.iter()
                .map(|o| {
                    let id = match o.value {
                        serde_json::Value::Object(_) => o
                            .text_of("id")?
                            .ok_or_else(|| o.wrong_type("an object with an id"))?,
                        other => text(other).ok_or_else(|| o.wrong_type("an object with an id"))?,
                    };
                    Ok(IdRef {
                        id,
                        place: o.place(),
                    })
                })
                .collect::<Result<Vec<_>, Fatal>>()?,
        ),
        None => None,
    };
    Ok(match (as_ids, as_objects) {
        (Some(a), Some(b)) => {
            let set = |l: &[IdRef]| {
                l.iter()
                    .map(|r| r.id.clone())
                    .collect::<std::collections::BTreeSet<_>>()
            };
            if set(&a) != set(&b) {
                problems.push(Problem::new(
                    e.place(),
                    format!(
                        "'{ids_key}' ({}) and '{objects_key}' ({}) name different ids; both \
                         are imported",
                        crate::words::plural(a.len(), "id"),
                        crate::words::plural(b.len(), "id")
                    ),
                ));
            }
            a.into_iter().chain(b).collect()
        }
        (Some(a), None) => a,
        (None, Some(b)) => b,
        (None, None) => Vec::new(),
    })
}

/// A level written as `EDIT`, `READ`, `READ_ONLY`... (any case).
pub(super) fn level_of(value: &str) -> Option<Level> {
    match value.to_ascii_uppercase().as_str() {
        "EDIT" | "WRITE" | "READ_WRITE" => Some(Level::Edit),
        "READ" | "READ_ONLY" | "READONLY" | "VIEW" => Some(Level::Read),
        _ => None,
    }
}

pub(super) fn target_noun(what: &str) -> &'static str {
    if what == "permission" || what == "step entitlement" {
        "step"
    } else {
        "application"
    }
}

/// `lastLogin`: an access audit object (`{id, created, ...}`, what real
/// tenants send), epoch milliseconds or an ISO 8601 string; `null` for
/// never. Anything else stops the import.
pub(super) fn last_login(e: &Located) -> Result<Option<jiff::Timestamp>, Fatal> {
    let Some(v) = e.get("lastLogin") else {
        return Ok(None);
    };
    let expected = "a time, or an access audit object with 'created'";
    let at = match v.value {
        serde_json::Value::Object(_) => v.get("created").ok_or_else(|| v.wrong_type(expected))?,
        _ => v,
    };
    moment(at.value)
        .map(Some)
        .ok_or_else(|| at.wrong_type(expected))
}

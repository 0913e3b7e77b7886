//! Attestations applied: a valid `[[attestation]]` supplies a fact the
//! export did not carry (`unknown`), so the rules decide on it; an expired
//! one, or one the export contradicts, supplies nothing and says why.

use super::Snapshot;
use super::model::{Attestation, Attested, LevelEntry, Name};
use crate::time::Date;
use std::collections::HashMap;

/// What became of one attestation (by index in the model).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Standing {
    /// It supplied its fact.
    Applied,
    /// The export carries the fact and says the same: nothing to supply.
    Confirmed,
    /// Its validity ended before the day judged on: the fact stays unknown.
    Expired,
    /// The snapshot, or an earlier attestation, says otherwise: that wins.
    Contradicted {
        /// What says otherwise, and what it says (`the snapshot, which says
        /// api_access = false`).
        by: String,
    },
    /// Its subject is not defined (RC402 says so).
    Unresolved,
}

/// One attestation's standing on the day judged on.
#[derive(Clone, Debug)]
pub struct AttestationStanding {
    /// Its index in `model.attestations`.
    pub index: usize,
    /// The last day it holds: `expires`, else `on` plus the validity.
    pub valid_until: Date,
    /// What became of it.
    pub standing: Standing,
}

/// The UTC day of a moment.
fn day(at: jiff::Timestamp) -> Date {
    jiff::tz::TimeZone::UTC.to_datetime(at).date()
}

/// Applies every attestation valid on `today` (valid for `valid_days` from
/// its `on` unless it says when it `expires`), and records each one's
/// standing in `snapshot.attested`.
pub fn apply(snapshot: &mut Snapshot, today: Date, valid_days: u32) {
    let mut standings = Vec::with_capacity(snapshot.model.attestations.len());
    // Which attestation supplied each fact: a later one of the same fact is
    // compared with it, not with the value it put in the snapshot.
    let mut supplied: HashMap<(&'static str, Name), usize> = HashMap::new();
    for index in 0..snapshot.model.attestations.len() {
        let a = &snapshot.model.attestations[index];
        let valid_until = match &a.expires {
            Some(e) => day(e.value),
            None => day(a.on.value)
                .checked_add(jiff::Span::new().days(i64::from(valid_days)))
                .unwrap_or(Date::MAX),
        };
        let fact = a.fact.clone();
        let id = fact_id(&fact);
        let standing = if valid_until < today {
            Standing::Expired
        } else if let Some(&first) = supplied.get(&id) {
            against_earlier(&snapshot.model.attestations[first], &fact)
        } else {
            let standing = supply(snapshot, &fact);
            if standing == Standing::Applied {
                supplied.insert(id, index);
            }
            standing
        };
        standings.push(AttestationStanding {
            index,
            valid_until,
            standing,
        });
    }
    snapshot.attested = standings;
    snapshot.supplied = supplied;
}

/// What a fact is, whatever its value: its kind and subject.
pub fn fact_id(fact: &Attested) -> (&'static str, Name) {
    let kind = match fact {
        Attested::Applications { role: true, .. } => "applications of role",
        Attested::Applications { role: false, .. } => "applications of user",
        other => other.key(),
    };
    (kind, fact.subject().value.clone())
}

/// A second attestation of a fact an earlier one supplied: confirmed where
/// they agree, else contradicted by the earlier one, which stands.
fn against_earlier(earlier: &Attestation, fact: &Attested) -> Standing {
    let (same, said) = match (&earlier.fact, fact) {
        (Attested::ApiAccess { value: a, .. }, Attested::ApiAccess { value: b, .. }) => {
            (a.value == b.value, format!("api_access = {}", a.value))
        }
        (Attested::Applications { entries: a, .. }, Attested::Applications { entries: b, .. }) => (
            same_entries(a, b),
            format!("applications = {{ {} }}", listed(a)),
        ),
        (Attested::BuildAccess { entries: a, .. }, Attested::BuildAccess { entries: b, .. }) => (
            same_entries(a, b),
            format!("build_access = {{ {} }}", listed(a)),
        ),
        _ => (false, String::new()),
    };
    if same {
        Standing::Confirmed
    } else {
        Standing::Contradicted {
            by: format!(
                "the earlier attestation by '{}', which says {said}",
                earlier.by.value
            ),
        }
    }
}

/// Supplies `fact` where it is unknown; compares it where it is known.
fn supply(snapshot: &mut Snapshot, fact: &Attested) -> Standing {
    match fact {
        Attested::ApiAccess { user, value } => {
            let Some(u) = snapshot.user_named(&user.value) else {
                return Standing::Unresolved;
            };
            let user = &mut snapshot.model.users[u];
            if user.is_unknown("api_access") {
                user.api_access = Some(value.clone());
                user.unknown.retain(|k| k.value != "api_access");
                return Standing::Applied;
            }
            let exported = user.has_api_access();
            if exported == value.value {
                Standing::Confirmed
            } else {
                Standing::Contradicted {
                    by: format!("the snapshot, which says api_access = {exported}"),
                }
            }
        }
        Attested::Applications {
            holder,
            role,
            entries,
        } => {
            let found = if *role {
                snapshot.role_named(&holder.value).map(|r| {
                    let r = &mut snapshot.model.roles[r];
                    (&mut r.applications, &mut r.unknown)
                })
            } else {
                snapshot.user_named(&holder.value).map(|u| {
                    let u = &mut snapshot.model.users[u];
                    (&mut u.applications, &mut u.unknown)
                })
            };
            let Some((held, unknown)) = found else {
                return Standing::Unresolved;
            };
            if unknown.iter().any(|k| k.value == "applications") {
                held.extend(entries.iter().cloned());
                unknown.retain(|k| k.value != "applications");
                return Standing::Applied;
            }
            if same_entries(held, entries) {
                Standing::Confirmed
            } else {
                Standing::Contradicted {
                    by: format!(
                        "the snapshot, which says applications = {{ {} }}",
                        listed(held)
                    ),
                }
            }
        }
        Attested::BuildAccess {
            application,
            entries,
        } => {
            let Some(a) = snapshot.application_named(&application.value) else {
                return Standing::Unresolved;
            };
            let app = &mut snapshot.model.applications[a];
            if app.is_unknown("build_access") {
                app.build_access.extend(entries.iter().cloned());
                app.unknown.retain(|k| k.value != "build_access");
                return Standing::Applied;
            }
            if same_entries(&app.build_access, entries) {
                Standing::Confirmed
            } else {
                Standing::Contradicted {
                    by: format!(
                        "the snapshot, which says build_access = {{ {} }}",
                        listed(&app.build_access)
                    ),
                }
            }
        }
    }
}

/// `name = level, ...`.
fn listed(entries: &[LevelEntry]) -> String {
    let listed: Vec<String> = entries
        .iter()
        .map(|e| format!("{} = {}", e.target.value, e.level.value.as_str()))
        .collect();
    listed.join(", ")
}

/// Whether two lists of levels hold the same (name, level) entries.
fn same_entries(a: &[LevelEntry], b: &[LevelEntry]) -> bool {
    let set = |l: &[LevelEntry]| -> std::collections::BTreeSet<(String, &'static str)> {
        l.iter()
            .map(|e| (e.target.value.to_string(), e.level.value.as_str()))
            .collect()
    };
    set(a) == set(b)
}

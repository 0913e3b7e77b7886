//! Attestations applied: a valid `[[attestation]]` supplies a fact the
//! export did not carry (`unknown`), so the rules decide on it; an expired
//! one, or one the export contradicts, supplies nothing and says why.

use super::Snapshot;
use super::model::{Attested, LevelEntry};
use crate::time::Date;

/// What became of one attestation (by index in the model).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Standing {
    /// It supplied its fact.
    Applied,
    /// The export carries the fact and says the same: nothing to supply.
    Confirmed,
    /// Its validity ended before the day judged on: the fact stays unknown.
    Expired,
    /// The export carries the fact and says otherwise (`exported`): the
    /// export wins.
    Contradicted {
        /// What the export says.
        exported: String,
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
    for index in 0..snapshot.model.attestations.len() {
        let a = &snapshot.model.attestations[index];
        let valid_until = match &a.expires {
            Some(e) => day(e.value),
            None => day(a.on.value)
                .checked_add(jiff::Span::new().days(i64::from(valid_days)))
                .unwrap_or(Date::MAX),
        };
        let fact = a.fact.clone();
        let standing = if valid_until < today {
            Standing::Expired
        } else {
            supply(snapshot, &fact)
        };
        standings.push(AttestationStanding {
            index,
            valid_until,
            standing,
        });
    }
    snapshot.attested = standings;
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
                    exported: format!("api_access = {exported}"),
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
                    exported: format!("applications = {{ {} }}", listed(held)),
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
                    exported: format!("build_access = {{ {} }}", listed(&app.build_access)),
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

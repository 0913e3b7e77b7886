//! The facts an automation account's verdicts rest on, each with where it
//! comes from: exported by Risk Cloud, written by a person, attested, or
//! unknown. The API access toggle and the Application Entitlements of every
//! account; for an account that holds BUILD, the Build Access list of every
//! restricted application.

use super::{AccountSection, FactRow, FactTally, Provenance, relative};
use crate::analysis::Analysis;
use crate::snapshot::Snapshot;
use crate::source::Span;

/// Where the fact written at `span` comes from: the import's file, or a
/// person's.
fn written(snapshot: &Snapshot, roots: &[String], span: Span) -> (Provenance, String) {
    let file = snapshot.sources.get(span.file);
    let (line, _) = file.line_col(span.start());
    let at = format!("{}:{line}", relative(roots, &file.path));
    if crate::snapshot::is_generated(&file.text) {
        let when = snapshot
            .as_of()
            .map(|t| format!(" as of {}", crate::time::format_moment(t)))
            .unwrap_or_default();
        (
            Provenance::Exported,
            format!("{at}, written by rclint import{when}"),
        )
    } else {
        (Provenance::HandWritten, at)
    }
}

/// The attestation that supplied the fact `kind` of `subject` (see
/// [`crate::snapshot::attest::fact_id`]), described: by, on, evidence,
/// valid until. A lookup, so that a report stays linear in accounts and
/// attestations.
fn attested(snapshot: &Snapshot, kind: &'static str, subject: &str) -> Option<String> {
    let index = *snapshot.supplied.get(&(kind, subject.into()))?;
    let a = snapshot.model.attestations.get(index)?;
    // Standings are in attestation order.
    let standing = snapshot.attested.get(index)?;
    Some(format!(
        "attested by {} on {} ({}), valid until {}",
        a.by.value,
        crate::time::format_day(a.on.value),
        a.evidence.value,
        standing.valid_until
    ))
}

/// The facts account `u`'s verdicts rest on.
pub(super) fn of_account(analysis: &Analysis, roots: &[String], u: usize) -> Vec<FactRow> {
    let snapshot = &analysis.snapshot;
    let user = &snapshot.model.users[u];
    let mut facts = Vec::new();
    let supplied = attested(snapshot, "api_access", &user.name.value);
    let on_off = |on: bool| if on { "on" } else { "off" }.to_string();
    facts.push(match (user.api_access_known(), supplied) {
        (None, _) => unknown("api_access", "not in the export: attest it"),
        (Some(on), Some(by)) => FactRow {
            fact: "api_access".into(),
            value: Some(on_off(on)),
            provenance: Provenance::Attested,
            source: by,
        },
        (Some(on), None) => {
            let span = user.api_access.as_ref().map_or(user.name.span, |v| v.span);
            let (provenance, mut source) = written(snapshot, roots, span);
            if user.api_access.is_none() {
                source.push_str(" (left out: off)");
            }
            FactRow {
                fact: "api_access".into(),
                value: Some(on_off(on)),
                provenance,
                source,
            }
        }
    });
    facts.push(applications(analysis, roots, u));
    if analysis
        .graph
        .access(u)
        .explicit_module_paths("BUILD")
        .is_empty()
    {
        return facts;
    }
    for app in snapshot
        .model
        .applications
        .iter()
        .filter(|a| a.is_restricted())
    {
        let fact = format!("build_access of {}", app.name.value);
        if app.is_unknown("build_access") {
            facts.push(unknown(&fact, "not in the export: attest the list"));
            continue;
        }
        let level = app
            .build_access
            .iter()
            .find(|e| e.target.value == user.name.value)
            .map_or("not on the list".to_string(), |e| e.level.value.to_string());
        let supplied = attested(snapshot, "build_access", &app.name.value);
        let (provenance, source) = match supplied {
            Some(by) => (Provenance::Attested, by),
            None => written(snapshot, roots, app.name.span),
        };
        facts.push(FactRow {
            fact,
            value: Some(level),
            provenance,
            source,
        });
    }
    facts
}

/// User `u`'s Application Entitlements, its own and its roles', as one
/// fact: what it holds (`Vendor Risk edit`), or unknown.
fn applications(analysis: &Analysis, roots: &[String], u: usize) -> FactRow {
    let snapshot = &analysis.snapshot;
    if snapshot.applications_unknown(u) {
        return unknown(
            "applications",
            "not in the export (the user's or a role's): attest them",
        );
    }
    let user = &snapshot.model.users[u];
    let supplied = attested(snapshot, "applications of user", &user.name.value);
    let (provenance, source) = match supplied {
        Some(by) => (Provenance::Attested, by),
        None => written(snapshot, roots, user.name.span),
    };
    let held: Vec<String> = analysis
        .graph
        .access(u)
        .iter()
        .filter_map(|(g, _)| match g {
            crate::graph::Grant::Application(app) => {
                let level = analysis.graph.access(u).level(g)?;
                Some(format!("{app} {}", level.as_str()))
            }
            _ => None,
        })
        .collect();
    FactRow {
        fact: "applications".into(),
        value: Some(if held.is_empty() {
            "none".into()
        } else {
            held.join(", ")
        }),
        provenance,
        source,
    }
}

fn unknown(fact: &str, source: &str) -> FactRow {
    FactRow {
        fact: fact.to_string(),
        value: None,
        provenance: Provenance::Unknown,
        source: source.to_string(),
    }
}

/// How many facts of `accounts` came from where.
pub(super) fn tally(accounts: &[AccountSection]) -> FactTally {
    let mut tally = FactTally::default();
    for f in accounts.iter().flat_map(|a| &a.facts) {
        *match f.provenance {
            Provenance::Exported => &mut tally.exported,
            Provenance::HandWritten => &mut tally.hand_written,
            Provenance::Attested => &mut tally.attested,
            Provenance::Unknown => &mut tally.unknown,
        } += 1;
    }
    tally
}

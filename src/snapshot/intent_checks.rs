//! Intents checked against the intent catalog while loading (RC401): an
//! unknown action, a key the action does not use (ignored for the minimal
//! grant), a key it needs that is missing or an empty list.

use super::Snapshot;
use super::integrity::INVALID_SNAPSHOT;
use super::model::Intent;
use crate::catalog::IntentCatalog;
use crate::diagnostic::{Finding, Label, Subject, SubjectKind};
use crate::source::Span;
use crate::suggest;

/// A key an intent has written: its name, where, and whether it is an
/// empty list.
struct WrittenKey {
    key: &'static str,
    span: Span,
    empty: bool,
}

/// The keys an intent has written.
fn written_keys(intent: &Intent) -> Vec<WrittenKey> {
    let mut keys = Vec::new();
    let mut push = |key, span, empty| keys.push(WrittenKey { key, span, empty });
    if let Some(w) = &intent.workflow {
        push("workflow", w.span, false);
    }
    if let Some(s) = &intent.steps {
        push(
            "steps",
            s.first().map_or(intent.span, |s| s.span),
            s.is_empty(),
        );
    }
    if let Some(r) = &intent.report {
        push("report", r.span, false);
    }
    if let Some(a) = &intent.applications {
        let span = a.first().map_or(intent.span, |a| a.span);
        push("applications", span, a.is_empty());
    }
    if let Some(a) = &intent.admin_data {
        push("admin_data", a.span, false);
    }
    keys
}

/// RC401 for every intent whose action is unknown, that writes a key its
/// action does not use, or that lacks the keys its action needs.
pub(super) fn validate(snapshot: &Snapshot) -> Vec<Finding> {
    let catalog = IntentCatalog::get();
    let mut findings = Vec::new();
    for integration in &snapshot.model.integrations {
        for intent in &integration.intents {
            let path = &snapshot.sources.get(intent.span.file).path;
            let invalid = |key: &str, span: Span, label: &str, message: String, help: String| {
                Finding::new(
                    &INVALID_SNAPSHOT,
                    Subject::new(SubjectKind::File, path),
                    Label::new(span, label),
                    message,
                    help,
                )
                .with_item(format!("{}.{key}", intent.key_path))
            };
            let Some(action) = catalog.action(&intent.action.value) else {
                let names = catalog.actions.iter().map(|a| a.name.as_str());
                let help = match suggest::closest(&intent.action.value, names) {
                    Some(c) => suggest::did_you_mean(c),
                    None => format!(
                        "known actions: {}",
                        catalog
                            .actions
                            .iter()
                            .map(|a| a.name.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                };
                findings.push(invalid(
                    "action",
                    intent.action.span,
                    "not in the intent catalog",
                    format!("unknown action '{}'", intent.action.value),
                    help,
                ));
                continue;
            };
            let written = written_keys(intent);
            for w in &written {
                let key = w.key;
                if !action.uses.iter().any(|u| u == key) {
                    findings.push(invalid(
                        key,
                        w.span,
                        "not used by this action",
                        format!(
                            "action '{}' does not use '{key}'; it is ignored for the minimal grant",
                            action.name
                        ),
                        format!(
                            "remove '{key}'; '{}' reads {}",
                            action.name,
                            action.uses.join(", ")
                        ),
                    ));
                } else if w.empty && action.requires_one_of.iter().any(|r| r == key) {
                    findings.push(invalid(
                        key,
                        w.span,
                        "empty",
                        format!("'{key}' of action '{}' is empty", action.name),
                        format!("name at least one entry in '{key}'"),
                    ));
                }
            }
            let given =
                |w: &WrittenKey| !w.empty && action.requires_one_of.iter().any(|r| r == w.key);
            let any_empty = written
                .iter()
                .any(|w| w.empty && action.requires_one_of.iter().any(|r| r == w.key));
            if !action.requires_one_of.is_empty() && !any_empty && !written.iter().any(given) {
                let keys = action.requires_one_of.join("' or '");
                findings.push(invalid(
                    "action",
                    intent.action.span,
                    "what does it act on?",
                    format!("action '{}' needs '{keys}'", action.name),
                    format!("add '{keys}' to say what the intent acts on"),
                ));
            }
        }
    }
    findings
}

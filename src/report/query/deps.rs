//! Output of `rclint deps ACCOUNT`: everything that depends on an account,
//! as an on-call engineer reads it before rotating the account's secret.

use crate::report::push_line;
use crate::snapshot::{Integration, Name, Snapshot, User};
use crate::source::Located;
use std::fmt::Write;

fn or_missing(v: &Option<Located<Name>>) -> &str {
    v.as_ref().map_or("not declared", |v| v.value.as_str())
}

/// Renders the integrations that use `user`, in model order.
pub fn deps(snapshot: &Snapshot, user: &User, integrations: &[&Integration]) -> String {
    let mut out = String::new();
    let kind = if user.is_service_account() {
        "service account"
    } else {
        "personal account"
    };
    let active = if user.is_active() {
        "active"
    } else {
        "inactive"
    };
    let api = match user.api_access_known() {
        Some(true) => "API access on",
        Some(false) => "API access off",
        None => "API access unknown (not exported, not attested)",
    };
    push_line(
        &mut out,
        format_args!("{}: {kind}, {active}, {api}", user.name.value),
    );
    if integrations.is_empty() {
        push_line(
            &mut out,
            format_args!("no integration declares this account"),
        );
        return out;
    }
    let count = integrations.len();
    let noun = if count == 1 {
        "integration depends"
    } else {
        "integrations depend"
    };
    push_line(&mut out, format_args!("{count} {noun} on it:"));
    for i in integrations {
        let file = snapshot.sources.get(i.name.span.file);
        let (line, _) = file.line_col(i.name.span.start());
        let token = if i.generates_own_tokens() {
            "self (generates its own tokens)".to_string()
        } else {
            format!("{} (reads a centrally issued token)", i.token_source())
        };
        out.push('\n');
        push_line(
            &mut out,
            format_args!("  {}  ({}:{line})", i.name.value, file.path),
        );
        let rows = [
            ("team", or_missing(&i.team).to_string()),
            ("owner", or_missing(&i.owner).to_string()),
            ("repository", or_missing(&i.repository).to_string()),
            ("environment", i.environment().as_str().to_string()),
            ("token source", token),
            (
                "retries on 401",
                if i.retries_on_401() { "yes" } else { "no" }.to_string(),
            ),
        ];
        for (key, value) in rows {
            push_line(
                &mut out,
                format_args!("    {:<15} {value}", format!("{key}:")),
            );
        }
    }
    let mut owners: Vec<&str> = integrations
        .iter()
        .filter_map(|i| i.owner.as_ref().map(|o| o.value.as_str()))
        .collect();
    owners.sort();
    owners.dedup();
    let unowned: Vec<&str> = integrations
        .iter()
        .filter(|i| i.owner.is_none())
        .map(|i| i.name.value.as_str())
        .collect();
    out.push('\n');
    if owners.is_empty() {
        let _ = write!(
            out,
            "Before rotating its Client Secret: no integration declares an owner"
        );
    } else {
        let _ = write!(
            out,
            "Before rotating its Client Secret, tell: {}",
            owners.join(", ")
        );
    }
    if !unowned.is_empty() && !owners.is_empty() {
        let _ = write!(out, "; no owner declared for: {}", unowned.join(", "));
    }
    out.push('\n');
    out
}

/// A declared value's text, if declared.
fn text(v: &Option<Located<Name>>) -> Option<&str> {
    v.as_ref().map(|v| v.value.as_str())
}

/// `deps -f json`: the account, every integration that uses it with where
/// it is declared, and whom to tell before rotating its secret.
pub fn deps_json(snapshot: &Snapshot, user: &User, integrations: &[&Integration]) -> String {
    use serde_json::json;
    let mut owners: Vec<&str> = integrations.iter().filter_map(|i| text(&i.owner)).collect();
    owners.sort();
    owners.dedup();
    let list: Vec<serde_json::Value> = integrations
        .iter()
        .map(|i| {
            let file = snapshot.sources.get(i.name.span.file);
            let (line, _) = file.line_col(i.name.span.start());
            json!({
                "name": i.name.value.as_str(),
                "file": file.path,
                "line": line,
                "team": text(&i.team),
                "owner": text(&i.owner),
                "repository": text(&i.repository),
                "environment": i.environment().as_str(),
                "token_source": i.token_source(),
                "generates_own_tokens": i.generates_own_tokens(),
                "retries_on_401": i.retries_on_401(),
            })
        })
        .collect();
    crate::report::json_text(&json!({
        "account": user.name.value.as_str(),
        "service_account": user.is_service_account(),
        "active": user.is_active(),
        "api_access": user.api_access_known(),
        "integrations": list,
        "tell_before_rotating": owners,
        "no_owner_declared": integrations
            .iter()
            .filter(|i| i.owner.is_none())
            .map(|i| i.name.value.as_str())
            .collect::<Vec<_>>(),
    }))
}

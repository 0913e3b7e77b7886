//! Output of `rclint derive`: text for people, a TOML snapshot fragment to
//! commit, and JSON for tools.

use crate::derive::{AccountDerivation, GrantDifference};
use crate::escape;
use crate::graph::Grant;
use crate::report::push_line;
use crate::snapshot::Level;
use crate::snapshot::emit::{self, Block};
use crate::snapshot::format;
use serde_json::{Value, json};
use std::fmt::Write;

/// Every name of `names` as a TOML string, joined by `, `.
fn toml_strings(names: &[String]) -> String {
    names
        .iter()
        .map(|n| escape::toml(n))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The renamings of a fragment, one sentence each, names as TOML strings.
fn renamed_lines(f: &crate::derive::Fragment) -> Vec<String> {
    f.renamed
        .iter()
        .map(|r| {
            format!(
                "the {} {} exists and others hold it or it grants something else: \
                 this fragment's {} is {}",
                r.kind,
                escape::toml(&r.usual),
                r.kind,
                escape::toml(&r.chosen)
            )
        })
        .collect()
}

fn level(l: Option<Level>) -> &'static str {
    l.map_or("none", Level::as_str)
}

fn difference_line(d: &GrantDifference) -> String {
    match (&d.grant, d.held) {
        (Grant::Module(_), None) => format!("{} (not held)", d.grant),
        (Grant::Module(_), Some(_)) => format!("{} (not needed)", d.grant),
        _ => format!(
            "{} (holds {}, needs {})",
            d.grant,
            level(d.held),
            level(d.needed)
        ),
    }
}

/// A grant's level as shown: none for modules, which are held or not.
fn shown_level(grant: &Grant, level: Option<Level>) -> Option<&'static str> {
    match grant {
        Grant::Module(_) => None,
        _ => level.map(Level::as_str),
    }
}

/// Whether what the account holds is its minimal grant, grant for grant:
/// the derivation proposes nothing to change.
fn holds_exactly(d: &AccountDerivation) -> bool {
    d.missing.is_empty() && d.excess.is_empty()
}

/// People's view: per account, the minimal grant and the differences.
pub fn text(derivations: &[AccountDerivation]) -> String {
    let mut out = String::new();
    for d in derivations {
        let used = if d.integrations.is_empty() {
            "no integration".to_string()
        } else {
            d.integrations.join(", ")
        };
        push_line(&mut out, format_args!("{} (used by {used})", d.account));
        for line in renamed_lines(&d.fragment) {
            push_line(&mut out, format_args!("  note: {line}"));
        }
        push_line(&mut out, format_args!("  minimal grant:"));
        if d.minimal.is_empty() {
            push_line(&mut out, format_args!("    nothing"));
        }
        for n in &d.minimal {
            let by: Vec<String> = n
                .needed_by
                .iter()
                .map(|b| format!("{} {}", b.integration, b.action))
                .collect();
            let grant = match shown_level(&n.grant, Some(n.level)) {
                Some(l) => format!("{}={l}", n.grant),
                None => n.grant.to_string(),
            };
            push_line(
                &mut out,
                format_args!("    {grant}  (needed by {})", by.join(", ")),
            );
        }
        if holds_exactly(d) {
            push_line(
                &mut out,
                format_args!("  nothing to change: its grants are exactly its minimal grant"),
            );
        }
        for (title, list) in [("missing", &d.missing), ("excess", &d.excess)] {
            if !list.is_empty() {
                push_line(&mut out, format_args!("  {title}:"));
                for diff in list.iter() {
                    push_line(&mut out, format_args!("    {}", difference_line(diff)));
                }
            }
        }
        out.push('\n');
    }
    out
}

/// The fragment's entities: the permission set, the role, and the account
/// with its roles replaced.
fn blocks(d: &AccountDerivation) -> Vec<Block> {
    let f = &d.fragment;
    let mut blocks = Vec::new();
    if let Some(set) = &f.permission_set {
        blocks.push(
            Block::new(&format::PERMISSION_SET)
                .text("name", set)
                .with("steps", emit::Value::Levels(f.steps.clone())),
        );
    }
    if !f.role.is_empty() {
        blocks.push(
            Block::new(&format::ROLE)
                .text("name", &f.role)
                .strings("modules", &f.modules)
                .strings("permission_sets", &f.permission_set)
                .levels("applications", &f.applications),
        );
    }
    let mut user = Block::new(&format::USER)
        .text("name", &d.account)
        .with("service_account", f.service_account);
    if !f.active {
        user.set("active", false);
    }
    let roles = if f.role.is_empty() {
        Vec::new()
    } else {
        vec![f.role.clone()]
    };
    // Every role is written, none too: the fragment replaces the account's.
    blocks.push(
        user.with("api_access", f.api_access)
            .with("roles", emit::Value::Strings(roles)),
    );
    blocks
}

/// A snapshot fragment per account: the dedicated role, its permission set,
/// the account with its roles replaced, and the Build Access changes as
/// comments (they change application definitions that live elsewhere).
pub fn toml(derivations: &[AccountDerivation]) -> String {
    let mut out = String::new();
    for d in derivations {
        let f = &d.fragment;
        // Names in comments are TOML strings: a name cannot end the comment.
        let _ = writeln!(
            out,
            "# Minimal grant of {}, derived by rclint from the intents of: {}.",
            escape::toml(&d.account),
            if d.integrations.is_empty() {
                "no integration".to_string()
            } else {
                toml_strings(&d.integrations)
            }
        );
        for line in renamed_lines(f) {
            let _ = writeln!(out, "# Note: {line}.");
        }
        if holds_exactly(d) {
            let _ = writeln!(
                out,
                "# Nothing to change: its grants are exactly this minimal grant already."
            );
        } else {
            let _ = writeln!(
                out,
                "# Put it in place of the account's current roles, direct grants and Build Access."
            );
        }
        for block in blocks(d) {
            emit::write(&mut out, &block, "");
        }
        if !f.build_access.is_empty() || !f.restrict_build_access.is_empty() {
            out.push('\n');
            let _ = writeln!(
                out,
                "# Build Access: change these [[application]] definitions."
            );
            for (app, l) in &f.build_access {
                let _ = writeln!(
                    out,
                    "#   {}: restrict_build_access = true, build_access += {{ {} = {} }}",
                    escape::toml(app),
                    escape::toml(&d.account),
                    escape::toml(l.as_str())
                );
            }
            for app in &f.restrict_build_access {
                if !f.build_access.contains_key(app) {
                    let _ = writeln!(
                        out,
                        "#   {}: restrict_build_access = true (BUILD reaches every unrestricted application)",
                        escape::toml(app)
                    );
                }
            }
        }
        out.push('\n');
    }
    out
}

fn difference_json(d: &GrantDifference) -> Value {
    let held = match (&d.grant, d.held) {
        (Grant::Module(_), h) => json!(h.is_some()),
        (_, h) => json!(h.map(Level::as_str)),
    };
    let needed = match (&d.grant, d.needed) {
        (Grant::Module(_), n) => json!(n.is_some()),
        (_, n) => json!(n.map(Level::as_str)),
    };
    json!({ "grant": d.grant.to_string(), "held": held, "needed": needed })
}

/// The same content as JSON.
pub fn json(derivations: &[AccountDerivation]) -> String {
    let accounts: Vec<Value> = derivations
        .iter()
        .map(|d| {
            let f = &d.fragment;
            json!({
                "account": d.account,
                "integrations": d.integrations,
                "minimal": d.minimal.iter().map(|n| json!({
                    "grant": n.grant.to_string(),
                    "level": shown_level(&n.grant, Some(n.level)),
                    "needed_by": n.needed_by.iter().map(|b| json!({
                        "integration": b.integration,
                        "action": b.action,
                    })).collect::<Vec<_>>(),
                })).collect::<Vec<_>>(),
                "missing": d.missing.iter().map(difference_json).collect::<Vec<_>>(),
                "excess": d.excess.iter().map(difference_json).collect::<Vec<_>>(),
                "fragment": {
                    "role": (!f.role.is_empty()).then_some(&f.role),
                    "modules": f.modules,
                    "applications": f.applications.iter().map(|(k, v)| (k.clone(), json!(v.as_str()))).collect::<serde_json::Map<_, _>>(),
                    "permission_set": f.permission_set,
                    "steps": f.steps.iter().map(|(k, v)| (k.clone(), json!(v.as_str()))).collect::<serde_json::Map<_, _>>(),
                    "build_access": f.build_access.iter().map(|(k, v)| (k.clone(), json!(v.as_str()))).collect::<serde_json::Map<_, _>>(),
                    "restrict_build_access": f.restrict_build_access,
                    "api_access": f.api_access,
                    "renamed": f.renamed.iter().map(|r| json!({
                        "kind": r.kind,
                        "usual": r.usual,
                        "chosen": r.chosen,
                    })).collect::<Vec<_>>(),
                },
            })
        })
        .collect();
    crate::report::json_text(&json!({ "accounts": accounts }))
}

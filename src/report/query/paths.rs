//! Output of `rclint why` and `rclint who-can`: one line per path, with the
//! file and line of each hop.

use crate::diagnostic::Hop;
use crate::graph::{AccessGraph, Grant, GrantPath};
use crate::report::push_line;
use crate::report::trace_text;
use crate::snapshot::{Level, Snapshot};
use crate::source::Sources;
use serde_json::{Value, json};

/// `Read` or `Edit`.
fn capitalised(level: Level) -> &'static str {
    match level {
        Level::Read => "Read",
        Level::Edit => "Edit",
    }
}

/// `module:RECORDS`, `step:A/W/S=edit`: modules have no level.
fn grant_with_level(grant: &Grant, path: &GrantPath) -> String {
    match grant {
        Grant::Module(_) => grant.to_string(),
        _ => format!("{grant}={}", path.level),
    }
}

/// `why`: every path by which `account` holds each of `grants`.
pub fn why(
    snapshot: &Snapshot,
    graph: &AccessGraph,
    account: &str,
    grants: &[(&Grant, Vec<&GrantPath>)],
    not_at: Option<Level>,
) -> String {
    let mut out = String::new();
    if let (Some(wanted), [(grant, paths)]) = (not_at, grants) {
        let held = paths.iter().map(|p| p.level).max().unwrap_or(Level::Read);
        push_line(
            &mut out,
            format_args!(
                "{account} holds {grant} at {}, not {}:",
                capitalised(held),
                capitalised(wanted)
            ),
        );
    }
    if grants.iter().all(|(_, paths)| paths.is_empty()) {
        let what = match grants {
            [(grant, _)] => grant.to_string(),
            _ => "any grant".to_string(),
        };
        push_line(&mut out, format_args!("{account} does not hold {what}"));
        return out;
    }
    for (grant, paths) in grants {
        for path in paths {
            push_line(
                &mut out,
                format_args!("{}", path_line(snapshot, graph, grant, path)),
            );
        }
    }
    out
}

/// `step:A/W/S=edit: user svc-x → role R (users.toml:4) → ...`
fn path_line(snapshot: &Snapshot, graph: &AccessGraph, grant: &Grant, path: &GrantPath) -> String {
    format!(
        "{}: {}",
        grant_with_level(grant, path),
        trace_text(&graph.render(snapshot, path), &snapshot.sources, None)
    )
}

/// `who-can`: every user holding the grant, with each path.
pub fn who_can(
    snapshot: &Snapshot,
    graph: &AccessGraph,
    grant: &Grant,
    holders: &[(usize, Vec<GrantPath>)],
) -> String {
    let mut out = String::new();
    for (u, paths) in holders {
        out.push_str(&holder_lines(snapshot, graph, grant, *u, paths));
    }
    if holders.is_empty() {
        out.push_str(&nobody_holds(grant));
    }
    out
}

/// `who-can`'s lines for one holder: one per path.
pub fn holder_lines(
    snapshot: &Snapshot,
    graph: &AccessGraph,
    grant: &Grant,
    u: usize,
    paths: &[GrantPath],
) -> String {
    let mut out = String::new();
    let user = &snapshot.model.users[u];
    let name = if user.is_active() {
        user.name.value.to_string()
    } else {
        format!("{} (inactive)", user.name.value)
    };
    for path in paths {
        push_line(
            &mut out,
            format_args!("{name} holds {}", path_line(snapshot, graph, grant, path)),
        );
    }
    out
}

/// `who-can`'s answer when nobody holds the grant.
pub fn nobody_holds(grant: &Grant) -> String {
    let mut out = String::new();
    push_line(&mut out, format_args!("nobody holds {grant}"));
    out
}

/// A hop as JSON: `{label, file, line}` (`file` and `line` null for a hop
/// written nowhere).
fn hop_json(hop: &Hop, sources: &Sources) -> Value {
    match hop.span {
        Some(span) => {
            let file = sources.get(span.file);
            let (line, _) = file.line_col(span.start());
            json!({ "label": hop.label, "file": file.path, "line": line })
        }
        None => json!({ "label": hop.label, "file": null, "line": null }),
    }
}

/// A path as JSON: the grant, the level it gives (null for a module,
/// which is held or not), whether only ADMIN's implication makes it, and
/// its hops.
pub fn path_json(
    snapshot: &Snapshot,
    graph: &AccessGraph,
    grant: &Grant,
    path: &GrantPath,
) -> Value {
    let level = match grant {
        Grant::Module(_) => None,
        _ => Some(path.level.as_str()),
    };
    json!({
        "grant": grant.to_string(),
        "level": level,
        "via_admin": path.via_admin,
        "hops": graph
            .render(snapshot, path)
            .iter()
            .map(|h| hop_json(h, &snapshot.sources))
            .collect::<Vec<_>>(),
    })
}

/// `why -f json`: the account, the grant asked about (with its level, if
/// one was asked), whether the account holds it (at that level), and every
/// path.
pub fn why_json(
    snapshot: &Snapshot,
    graph: &AccessGraph,
    account: &str,
    asked: Option<&str>,
    grants: &[(&Grant, Vec<&GrantPath>)],
    not_at: Option<Level>,
) -> String {
    let any = grants.iter().any(|(_, paths)| !paths.is_empty());
    let paths: Vec<Value> = grants
        .iter()
        .flat_map(|(grant, paths)| paths.iter().map(|p| path_json(snapshot, graph, grant, p)))
        .collect();
    crate::report::json_text(&json!({
        "account": account,
        "asked": asked,
        "holds": any && not_at.is_none(),
        "paths": paths,
    }))
}

/// `who-can -f json`: one holder, with every path by which it holds the
/// grant.
pub fn holder_json(
    snapshot: &Snapshot,
    graph: &AccessGraph,
    grant: &Grant,
    u: usize,
    paths: &[GrantPath],
) -> Value {
    let user = &snapshot.model.users[u];
    json!({
        "account": user.name.value.as_str(),
        "active": user.is_active(),
        "paths": paths.iter().map(|p| path_json(snapshot, graph, grant, p)).collect::<Vec<_>>(),
    })
}

//! Output of `rclint diff`: access added (with the path that adds it) and,
//! listed apart, access removed; for people, tools, or a pull-request comment.

use crate::drift::{Change, Drift};
use crate::escape;
use crate::graph::Grant;
use crate::report::push_line;
use crate::report::{plural, trace_text};
use crate::snapshot::Level;
use crate::source::Sources;
use serde_json::json;
use std::fmt::Write;

fn level_change(c: &Change) -> String {
    let l = |l: Option<Level>| l.map_or("none", Level::as_str);
    match c.grant {
        Grant::Module(_) => String::new(),
        _ => format!(" ({} → {})", l(c.before), l(c.after)),
    }
}

/// `none → edit`, or `added` / `removed` for a module.
fn change_cell(c: &Change) -> String {
    match (&c.grant, c.after) {
        (Grant::Module(_), Some(_)) => "added".to_string(),
        (Grant::Module(_), None) => "removed".to_string(),
        _ => level_change(c)
            .trim()
            .trim_start_matches('(')
            .trim_end_matches(')')
            .to_string(),
    }
}

/// For people.
pub fn human(drift: &Drift, new: &Sources, old: &Sources) -> String {
    let mut out = String::new();
    for (side, problems) in [("OLD", &drift.old_problems), ("NEW", &drift.new_problems)] {
        if problems.is_empty() {
            continue;
        }
        push_line(
            &mut out,
            format_args!(
                "{side} has {}: the comparison is incomplete until they are fixed",
                plural(problems.len(), "snapshot problem")
            ),
        );
        for p in problems.iter() {
            push_line(
                &mut out,
                format_args!("  {}: {} {}", p.location, p.code, p.message),
            );
        }
    }
    if drift.added.is_empty() && drift.removed.is_empty() {
        out.push_str("no change in the access of automation accounts\n");
        return out;
    }
    if !drift.added.is_empty() {
        push_line(
            &mut out,
            format_args!("access added ({}):", drift.added.len()),
        );
        for c in &drift.added {
            push_line(
                &mut out,
                format_args!("  + {} {}{}", c.account, c.grant, level_change(c)),
            );
            for path in &c.paths {
                push_line(
                    &mut out,
                    format_args!("      via {}", trace_text(path, new, None)),
                );
            }
        }
    }
    if !drift.removed.is_empty() {
        push_line(
            &mut out,
            format_args!("access removed ({}):", drift.removed.len()),
        );
        for c in &drift.removed {
            push_line(
                &mut out,
                format_args!("  - {} {}{}", c.account, c.grant, level_change(c)),
            );
            for path in &c.paths {
                push_line(
                    &mut out,
                    format_args!("      was via {}", trace_text(path, old, None)),
                );
            }
        }
    }
    out
}

fn change_json(c: &Change, sources: &Sources) -> serde_json::Value {
    json!({
        "account": c.account,
        "grant": c.grant.to_string(),
        "before": c.before.map(Level::as_str),
        "after": c.after.map(Level::as_str),
        "paths": c.paths.iter().map(|p| trace_text(p, sources, None)).collect::<Vec<_>>(),
    })
}

/// For tools.
pub fn json(drift: &Drift, new: &Sources, old: &Sources) -> String {
    let problems = |list: &[crate::drift::SnapshotProblem]| -> Vec<serde_json::Value> {
        list.iter()
            .map(|p| json!({ "code": p.code, "location": p.location, "message": p.message }))
            .collect()
    };
    let value = json!({
        "complete": !drift.incomplete(),
        "problems": { "old": problems(&drift.old_problems), "new": problems(&drift.new_problems) },
        "added": drift.added.iter().map(|c| change_json(c, new)).collect::<Vec<_>>(),
        "removed": drift.removed.iter().map(|c| change_json(c, old)).collect::<Vec<_>>(),
    });
    crate::report::json_text(&value)
}

/// For a pull-request comment.
pub fn markdown(drift: &Drift, new: &Sources, old: &Sources) -> String {
    let mut out = String::from("## rclint: access drift\n\n");
    for (side, problems) in [("OLD", &drift.old_problems), ("NEW", &drift.new_problems)] {
        if problems.is_empty() {
            continue;
        }
        let _ = writeln!(
            out,
            "**{side} has {}: the comparison is incomplete until they are fixed.**\n",
            plural(problems.len(), "snapshot problem")
        );
        for p in problems.iter() {
            let _ = writeln!(
                out,
                "- `{}` {} {}",
                escape::markdown_in_code(&p.location),
                p.code,
                escape::markdown(&p.message)
            );
        }
        out.push('\n');
    }
    if drift.added.is_empty() && drift.removed.is_empty() {
        out.push_str("No change in the access of automation accounts.\n");
        return out;
    }
    for (title, list, sources) in [
        ("Access added", &drift.added, new),
        ("Access removed", &drift.removed, old),
    ] {
        if list.is_empty() {
            continue;
        }
        let _ = writeln!(
            out,
            "### {title}\n\n| account | grant | change | path |\n|---|---|---|---|"
        );
        for c in list.iter() {
            let paths: Vec<String> = c
                .paths
                .iter()
                .map(|p| escape::markdown(&trace_text(p, sources, None)))
                .collect();
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |",
                escape::markdown(&c.account),
                escape::markdown(&c.grant.to_string()),
                escape::markdown(&change_cell(c)),
                paths.join("; ")
            );
        }
        out.push('\n');
    }
    out
}

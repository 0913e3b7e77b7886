//! The pipeline's layers hold in the imports (`../shared/design.md`,
//! "Layers"): a module imports only from layers below its own, never
//! sideways, never up; and no two files of one directory module import each
//! other in a cycle. Reads every `crate::` path of `src/` (brace groups
//! included; comments and `#[cfg(test)]` modules left out).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Bottom up. A module may import from any layer before its own. The same
/// list, with what each layer holds, is `docs/architecture.md`'s "Layers";
/// a test below keeps the two the same.
const LAYERS: &[&[&str]] = &[
    &["source", "suggest", "time", "words", "escape"],
    &["diagnostic"],
    &["catalog"],
    &["snapshot"],
    &["graph"],
    &["minimal"],
    &["rules"],
    &["config"],
    &["policy"],
    &["analysis", "import"],
    &["derive", "drift", "evidence", "schema", "pull"],
    &["plan"],
    &["report"],
    &["commands"],
    &["cli"],
];

fn layer(module: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.contains(&module))
}

/// Every `.rs` file under `src/`, with its top module (`snapshot` for
/// `src/snapshot/parse.rs`).
fn sources() -> Vec<(PathBuf, String)> {
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new("src").into_iter().flatten() {
        let path = entry.path().to_path_buf();
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let relative = path.strip_prefix("src").expect("under src");
        let first = relative.components().next().expect("a component");
        let top = first
            .as_os_str()
            .to_string_lossy()
            .trim_end_matches(".rs")
            .to_string();
        out.push((path, top));
    }
    out.sort();
    out
}

/// The code of a file without line comments and without its test module.
fn code(path: &Path) -> String {
    let text = std::fs::read_to_string(path).expect("read source");
    let text = text.split("#[cfg(test)]").next().unwrap_or("");
    text.lines()
        .map(|l| l.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The paths that follow `prefix` (`crate::`, `super::`): for a brace group,
/// each of its items.
fn paths_after(code: &str, prefix: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find(prefix) {
        let after = &rest[at + prefix.len()..];
        if let Some(group) = after.strip_prefix('{') {
            let mut depth = 1;
            let mut item = String::new();
            for c in group.chars() {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    _ => {}
                }
                if depth == 0 || (depth == 1 && c == ',') {
                    out.push(item.trim().to_string());
                    item.clear();
                    if depth == 0 {
                        break;
                    }
                } else {
                    item.push(c);
                }
            }
        } else {
            let path: String = after
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
                .collect();
            out.push(path);
        }
        rest = &rest[at + prefix.len()..];
    }
    out.into_iter().filter(|p| !p.is_empty()).collect()
}

fn first_segment(path: &str) -> &str {
    path.split("::").next().unwrap_or(path).trim()
}

#[test]
fn every_import_goes_down_the_layers() {
    let mut wrong = Vec::new();
    for (path, top) in sources() {
        if top == "lib" || top == "main" {
            continue;
        }
        let Some(own) = layer(&top) else {
            wrong.push(format!("{}: module '{top}' is in no layer", path.display()));
            continue;
        };
        for import in paths_after(&code(&path), "crate::") {
            let target = first_segment(&import);
            if target == top || target == "self" {
                continue;
            }
            match layer(target) {
                Some(l) if l < own => {}
                Some(_) => wrong.push(format!(
                    "{}: '{top}' imports '{target}' ({import}), which is not below it",
                    path.display()
                )),
                None => wrong.push(format!(
                    "{}: imports crate::{import}, which is in no layer (import it from its module)",
                    path.display()
                )),
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "imports against the layers:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn no_two_files_of_a_module_import_each_other_in_a_cycle() {
    // Edges between sibling files of one directory module (mod.rs, the
    // parent that declares them, is left out: children reading their
    // parent's shared items is the registry pattern, not a cycle).
    let mut edges: BTreeMap<(String, String), BTreeSet<String>> = BTreeMap::new();
    for (path, top) in sources() {
        let Some(parent) = path.parent() else {
            continue;
        };
        if parent == Path::new("src") || path.file_name().is_some_and(|n| n == "mod.rs") {
            continue;
        }
        let siblings: BTreeSet<String> = std::fs::read_dir(parent)
            .expect("read dir")
            .flatten()
            .filter_map(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                name.strip_suffix(".rs")
                    .filter(|n| *n != "mod")
                    .map(str::to_string)
            })
            .collect();
        let own = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let dir = parent.to_string_lossy().into_owned();
        let code = code(&path);
        let own_prefix = format!("crate::{top}::");
        let mut used: Vec<String> = paths_after(&code, "super::");
        used.extend(paths_after(&code, &own_prefix));
        for import in used {
            let target = first_segment(&import).to_string();
            if target != own && siblings.contains(&target) {
                edges
                    .entry((dir.clone(), own.clone()))
                    .or_default()
                    .insert(target);
            }
        }
    }
    // Depth-first search for a cycle within each directory.
    fn visit(
        dir: &str,
        node: &str,
        edges: &BTreeMap<(String, String), BTreeSet<String>>,
        stack: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = stack.iter().position(|n| n == node) {
            let mut cycle = stack[at..].to_vec();
            cycle.push(node.to_string());
            return Some(cycle);
        }
        if done.contains(node) {
            return None;
        }
        stack.push(node.to_string());
        for next in edges
            .get(&(dir.to_string(), node.to_string()))
            .into_iter()
            .flatten()
        {
            if let Some(cycle) = visit(dir, next, edges, stack, done) {
                return Some(cycle);
            }
        }
        stack.pop();
        done.insert(node.to_string());
        None
    }
    let mut cycles = Vec::new();
    for (dir, node) in edges.keys() {
        let mut done = BTreeSet::new();
        if let Some(cycle) = visit(dir, node, &edges, &mut Vec::new(), &mut done) {
            cycles.push(format!("{dir}: {}", cycle.join(" → ")));
        }
    }
    cycles.dedup();
    assert!(cycles.is_empty(), "import cycles:\n{}", cycles.join("\n"));
}

#[test]
fn the_checker_sees_grouped_and_plain_imports() {
    let code = "use crate::{graph::Grant, snapshot::{Level, Model}};\nuse crate::rules::find;\n";
    let found: Vec<String> = paths_after(code, "crate::")
        .iter()
        .map(|p| first_segment(p).to_string())
        .collect();
    assert_eq!(found, vec!["graph", "snapshot", "rules"]);
    assert_eq!(
        layer("graph").map(|g| g < layer("rules").unwrap_or(0)),
        Some(true)
    );
}

/// `docs/architecture.md` lists the layers as a numbered list, each line
/// naming its modules in backticks before a dash: the same layers, in the
/// same order, as the checker's.
#[test]
fn the_architecture_document_lists_the_layers_the_checker_enforces() {
    let text = std::fs::read_to_string("docs/architecture.md").expect("docs/architecture.md");
    let section = text
        .split("\n## Layers\n")
        .nth(1)
        .expect("a Layers section")
        .split("\n## ")
        .next()
        .unwrap_or_default();
    let documented: Vec<Vec<String>> = section
        .lines()
        .filter(|l| {
            l.split_once(". ")
                .is_some_and(|(n, _)| n.parse::<usize>().is_ok())
        })
        .map(|l| {
            let names = l.split(" — ").next().unwrap_or_default();
            names
                .split('`')
                .skip(1)
                .step_by(2)
                .map(str::to_string)
                .collect()
        })
        .collect();
    let enforced: Vec<Vec<String>> = LAYERS
        .iter()
        .map(|l| l.iter().map(|m| m.to_string()).collect())
        .collect();
    assert_eq!(documented, enforced);
}

//! Output of `rclint graph`: the access graph, or one account's part of it,
//! as Graphviz DOT or a Mermaid flowchart.

use crate::escape;
use crate::graph::{AccessGraph, Edge, Node};
use crate::snapshot::Snapshot;
use petgraph::Direction;
use petgraph::graph::NodeIndex;
use petgraph::visit::EdgeRef;
use std::collections::BTreeSet;
use std::fmt::Write;

/// The nodes to draw: every node, or what account `user` reaches and the
/// integrations that use it.
pub fn selection(graph: &AccessGraph, user: Option<usize>) -> BTreeSet<NodeIndex> {
    let Some(u) = user else {
        return graph.petgraph().node_indices().collect();
    };
    let start = graph.user_node(u);
    let mut seen = BTreeSet::from([start]);
    let mut todo = vec![start];
    while let Some(n) = todo.pop() {
        for e in graph.petgraph().edges(n) {
            let follow = !matches!(e.weight(), Edge::Contains)
                && !matches!(graph.petgraph()[n], Node::User(_) if n != start);
            if follow && seen.insert(e.target()) {
                todo.push(e.target());
            }
        }
    }
    for e in graph.petgraph().edges_directed(start, Direction::Incoming) {
        if matches!(e.weight(), Edge::Uses(_)) {
            seen.insert(e.source());
        }
    }
    seen
}

fn edge_label(edge: &Edge) -> String {
    match edge {
        Edge::Member(_) => "member".into(),
        Edge::Module(_) => "module".into(),
        Edge::Application(level, _) | Edge::Step(level, _) => level.as_str().into(),
        Edge::PermissionSet(_) => "holds".into(),
        Edge::BuildAccess(level, _) => format!("build {level}"),
        Edge::Uses(_) => "uses".into(),
        Edge::Implies => "implies".into(),
        Edge::Contains => "contains".into(),
        Edge::Unrestricted(_) => "build (not restricted)".into(),
    }
}

fn shape(node: &Node) -> &'static str {
    match node {
        Node::User(_) => "ellipse",
        Node::Integration(_) => "note",
        Node::Role(_) => "box",
        Node::PermissionSet(_) => "folder",
        Node::Module(_) => "hexagon",
        _ => "box",
    }
}

/// Graphviz DOT.
pub fn dot(snapshot: &Snapshot, graph: &AccessGraph, nodes: &BTreeSet<NodeIndex>) -> String {
    let mut out = String::from(
        "digraph access {\n  rankdir=LR;\n  node [fontname=\"Helvetica\", fontsize=10];\n",
    );
    for &n in nodes {
        let _ = writeln!(
            out,
            "  n{} [label={}, shape={}];",
            n.index(),
            escape::dot(&graph.label(snapshot, n)),
            shape(&graph.petgraph()[n])
        );
    }
    for e in graph.petgraph().edge_references() {
        if nodes.contains(&e.source()) && nodes.contains(&e.target()) {
            let _ = writeln!(
                out,
                "  n{} -> n{} [label={}];",
                e.source().index(),
                e.target().index(),
                escape::dot(&edge_label(e.weight()))
            );
        }
    }
    out.push_str("}\n");
    out
}

/// A Mermaid flowchart.
pub fn mermaid(snapshot: &Snapshot, graph: &AccessGraph, nodes: &BTreeSet<NodeIndex>) -> String {
    let mut out = String::from("flowchart LR\n");
    for &n in nodes {
        let _ = writeln!(
            out,
            "  n{}[\"{}\"]",
            n.index(),
            escape::mermaid(&graph.label(snapshot, n))
        );
    }
    for e in graph.petgraph().edge_references() {
        if nodes.contains(&e.source()) && nodes.contains(&e.target()) {
            let _ = writeln!(
                out,
                "  n{} -->|{}| n{}",
                e.source().index(),
                escape::mermaid(&edge_label(e.weight())),
                e.target().index()
            );
        }
    }
    out
}

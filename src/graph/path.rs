//! Access paths as data: each hop is the node it reaches and the edge that
//! reaches it, with no English in it. Labels and notes are rendered from the
//! snapshot only where a finding is built or a path is printed
//! ([`AccessGraph::render`]), so a path costs a few bytes per hop.

use super::{AccessGraph, Edge, Node};
use crate::diagnostic;
use crate::snapshot::{Level, Snapshot};
use crate::source::Span;
use petgraph::graph::NodeIndex;

/// One hop of an access path: the node it reaches, and the edge that
/// reaches it (`None` for the account the path starts from).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hop {
    /// The node reached.
    pub node: NodeIndex,
    /// The membership or grant that reaches it.
    pub edge: Option<Edge>,
}

impl Hop {
    /// Where the grant that reaches this hop is written, if anywhere.
    pub fn span(&self) -> Option<Span> {
        self.edge.and_then(Edge::span)
    }
}

/// One way an account holds a grant. An account's effective access holds
/// many (every path to every grant), so a path is kept small: its hops
/// boxed without spare room, its role and set as 32-bit indices (40 bytes
/// besides the hops).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GrantPath {
    /// The level this path gives (modules are always `Edit`: held).
    pub level: Level,
    /// From the user to the grant.
    pub hops: Box<[Hop]>,
    /// Whether the path only exists because ADMIN implies the module.
    pub via_admin: bool,
    /// The role (model index) the path goes through, if any.
    via_role: Option<u32>,
    /// The permission set (model index) the path goes through, if any.
    via_set: Option<u32>,
}

impl GrantPath {
    /// A path through `hops`, by way of role `role` and permission set
    /// `set` (model indices) where it goes through them.
    pub fn new(
        level: Level,
        hops: Vec<Hop>,
        via_admin: bool,
        role: Option<usize>,
        set: Option<usize>,
    ) -> GrantPath {
        // Model indices: there are never 4 billion roles or sets.
        let index = |i: usize| u32::try_from(i).ok();
        GrantPath {
            level,
            hops: hops.into_boxed_slice(),
            via_admin,
            via_role: role.and_then(index),
            via_set: set.and_then(index),
        }
    }

    /// The path with one more hop at its end, through the same role: a path
    /// that goes on past a module (ADMIN's implications, BUILD's
    /// applications) never went through a permission set.
    pub fn then(&self, hop: Hop, level: Level, via_admin: bool) -> GrantPath {
        let mut hops = Vec::with_capacity(self.hops.len() + 1);
        hops.extend_from_slice(&self.hops);
        hops.push(hop);
        GrantPath {
            level,
            hops: hops.into_boxed_slice(),
            via_admin,
            via_role: self.via_role,
            via_set: None,
        }
    }

    /// The role (model index) the path goes through, if any.
    pub fn role(&self) -> Option<usize> {
        self.via_role.map(|r| r as usize)
    }

    /// The permission set (model index) the path goes through, if any.
    pub fn permission_set(&self) -> Option<usize> {
        self.via_set.map(|s| s as usize)
    }
}

impl AccessGraph {
    /// A hop's label in traces: `user svc-x`, `role Everyone`,
    /// `module ADMIN`, `build access on Vendor Risk`, ...
    pub fn hop_label(&self, snapshot: &Snapshot, hop: &Hop) -> String {
        let name = self.name(snapshot, hop.node);
        match (&self.graph[hop.node], hop.edge) {
            (Node::Application(_), Some(Edge::BuildAccess(..))) => {
                format!("build access on {name}")
            }
            (Node::Application(_), Some(Edge::Unrestricted(_))) => {
                format!("application {name} (build access not restricted)")
            }
            _ => format!("{} {name}", self.kind(hop.node)),
        }
    }

    /// What is written where the hop's edge is declared, for a label:
    /// `member of role 'Everyone' here`. `previous` is the hop before it.
    pub fn hop_note(&self, snapshot: &Snapshot, hop: &Hop, previous: Option<&Hop>) -> String {
        let name = self.name(snapshot, hop.node);
        match hop.edge {
            None | Some(Edge::Contains) => String::new(),
            Some(Edge::Member(_)) => format!("member of role '{name}' here"),
            Some(Edge::Module(_)) => format!("grants module {name} here"),
            Some(Edge::Application(level, _)) => {
                format!("grants {level} on application '{name}' here")
            }
            Some(Edge::PermissionSet(_)) => format!("holds permission set '{name}' here"),
            Some(Edge::Step(level, _)) => format!("grants {level} on step '{name}' here"),
            Some(Edge::BuildAccess(level, _)) => {
                format!("{level} on the build access list of '{name}' here")
            }
            Some(Edge::Uses(_)) => format!("uses account '{name}' here"),
            Some(Edge::Implies) => {
                let by = previous.map_or("", |p| self.name(snapshot, p.node));
                format!("{by} implies {name}")
            }
            Some(Edge::Unrestricted(_)) => format!("'{name}' does not restrict build access"),
        }
    }

    /// The path as a finding's trace: the label and span of each hop.
    pub fn render(&self, snapshot: &Snapshot, path: &GrantPath) -> Vec<diagnostic::Hop> {
        path.hops
            .iter()
            .map(|hop| diagnostic::Hop {
                label: self.hop_label(snapshot, hop),
                span: hop.span(),
            })
            .collect()
    }

    /// Where each grant of the path is written and what to say there, for
    /// a finding's labels: `member of role 'Everyone' here`. Hops written
    /// nowhere have none.
    pub fn notes(&self, snapshot: &Snapshot, path: &GrantPath) -> Vec<(Span, String)> {
        path.hops
            .iter()
            .enumerate()
            .filter_map(|(i, hop)| {
                let previous = i.checked_sub(1).map(|p| &path.hops[p]);
                Some((hop.span()?, self.hop_note(snapshot, hop, previous)))
            })
            .collect()
    }

    /// The hops' labels, for a trace line.
    pub fn labels(&self, snapshot: &Snapshot, path: &GrantPath) -> Vec<String> {
        path.hops
            .iter()
            .map(|hop| self.hop_label(snapshot, hop))
            .collect()
    }
}

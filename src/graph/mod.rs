//! The access graph: users, roles, permission sets, applications, workflows,
//! steps, modules and integrations as nodes; memberships and grants as edges
//! that carry the span where they are declared. Effective access (format spec,
//! "Effective access") is computed from it, with every path behind every grant.

use crate::snapshot::{Level, Snapshot};
use crate::source::Span;
use petgraph::Direction;
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;
use rustc_hash::FxHashMap;
use std::collections::BTreeMap;
use std::fmt;

mod access;
mod build;
mod named;
mod path;

pub use access::Holder;
pub use path::{GrantPath, Hop};

/// A node of the access graph. Indices point into the snapshot's model.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Node {
    /// A user.
    User(usize),
    /// A role.
    Role(usize),
    /// A permission set.
    PermissionSet(usize),
    /// An application.
    Application(usize),
    /// A workflow, by path.
    Workflow(String),
    /// A step, by path.
    Step(String),
    /// A module entitlement, by code.
    Module(String),
    /// An integration.
    Integration(usize),
}

/// An edge: a membership or grant, with where it is declared.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Edge {
    /// user → role.
    Member(Span),
    /// role → module.
    Module(Span),
    /// role or user → application (Application Entitlement).
    Application(Level, Span),
    /// role or user → permission set.
    PermissionSet(Span),
    /// permission set → step.
    Step(Level, Span),
    /// user → application: an entry of the application's `build_access`.
    BuildAccess(Level, Span),
    /// integration → user: the `account` it runs under.
    Uses(Span),
    /// module → module it implies (ADMIN → the rest).
    Implies,
    /// application → workflow → step.
    Contains,
    /// Only on access paths, never in the graph: BUILD reaches an
    /// application that does not restrict build access (its name's span).
    Unrestricted(Span),
}

impl Edge {
    /// Where the grant this edge stands for is written, if anywhere.
    pub fn span(self) -> Option<Span> {
        match self {
            Edge::Member(s)
            | Edge::Module(s)
            | Edge::Application(_, s)
            | Edge::PermissionSet(s)
            | Edge::Step(_, s)
            | Edge::BuildAccess(_, s)
            | Edge::Uses(s)
            | Edge::Unrestricted(s) => Some(s),
            Edge::Implies | Edge::Contains => None,
        }
    }
}

/// A grant an account can hold, as named by a finding's item.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Grant {
    /// `module:CODE`.
    Module(String),
    /// `application:APP`: an Application Entitlement.
    Application(String),
    /// `step:APP/WORKFLOW/STEP`: step access.
    Step(String),
    /// `build:APP`: Build Access.
    Build(String),
}

impl Grant {
    /// Parses the item syntax (`module:ADMIN`, `step:A/W/S`, ...).
    pub fn parse(item: &str) -> Option<Grant> {
        let (kind, name) = item.split_once(':')?;
        let name = name.to_string();
        match kind {
            "module" => Some(Grant::Module(name)),
            "application" => Some(Grant::Application(name)),
            "step" => Some(Grant::Step(name)),
            "build" => Some(Grant::Build(name)),
            _ => None,
        }
    }
}

impl Grant {
    /// The module code, application name or step path.
    pub fn name(&self) -> &str {
        match self {
            Grant::Module(n) | Grant::Application(n) | Grant::Step(n) | Grant::Build(n) => n,
        }
    }
}

impl fmt::Display for Grant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Grant::Module(m) => write!(f, "module:{m}"),
            Grant::Application(a) => write!(f, "application:{a}"),
            Grant::Step(s) => write!(f, "step:{s}"),
            Grant::Build(a) => write!(f, "build:{a}"),
        }
    }
}

/// Everything one user holds, and how: each grant, in order, with every
/// path that gives it, in a stable order. One list sized to what it holds:
/// kept as a map, an account with two grants held a 600-byte map node.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EffectiveAccess {
    /// Grant → its paths, sorted by grant.
    grants: Vec<(Grant, Box<[GrantPath]>)>,
}

impl EffectiveAccess {
    /// The access made of the grants found, each with its paths.
    fn new(found: BTreeMap<Grant, Vec<GrantPath>>) -> EffectiveAccess {
        EffectiveAccess {
            grants: found
                .into_iter()
                .map(|(grant, paths)| (grant, paths.into_boxed_slice()))
                .collect(),
        }
    }

    /// Each grant held, in order, with its paths.
    pub fn iter(&self) -> impl Iterator<Item = (&Grant, &[GrantPath])> {
        self.grants.iter().map(|(g, paths)| (g, &paths[..]))
    }

    /// Each grant held, in order.
    pub fn grants(&self) -> impl Iterator<Item = &Grant> {
        self.grants.iter().map(|(g, _)| g)
    }

    /// Whether nothing is held.
    pub fn is_empty(&self) -> bool {
        self.grants.is_empty()
    }

    /// The highest level held, if the grant is held at all.
    pub fn level(&self, grant: &Grant) -> Option<Level> {
        self.paths(grant).iter().map(|p| p.level).max()
    }

    /// Every path to the grant.
    pub fn paths(&self, grant: &Grant) -> &[GrantPath] {
        self.grants
            .binary_search_by(|(g, _)| g.cmp(grant))
            .map_or(&[], |at| &self.grants[at].1)
    }

    /// Paths to a module that do not go through ADMIN's implications.
    pub fn explicit_module_paths(&self, code: &str) -> Vec<&GrantPath> {
        self.paths(&Grant::Module(code.to_string()))
            .iter()
            .filter(|p| !p.via_admin)
            .collect()
    }
}

/// The graph and what is computed from it once.
#[derive(Debug, Default)]
pub struct AccessGraph {
    graph: DiGraph<Node, Edge>,
    /// The node of each user (by model index).
    user_nodes: Vec<NodeIndex>,
    /// The integrations (model indices) naming each user that any names.
    integrations: FxHashMap<usize, Vec<usize>>,
    /// The Build Access entries naming each user that any names:
    /// (application, level, span).
    build_entries: FxHashMap<usize, Vec<(usize, Level, Span)>>,
    roles: Vec<NodeIndex>,
    applications: Vec<NodeIndex>,
    automation: Vec<usize>,
    /// The effective access of each automation account, in the order of
    /// `automation`; empty in a graph built without it (see
    /// [`AccessGraph::build_without_access`]).
    automation_access: Vec<EffectiveAccess>,
    unrestricted_applications: Vec<usize>,
}

/// What a user who is not an automation account holds, as far as
/// [`AccessGraph::access`] knows.
static NO_ACCESS: EffectiveAccess = EffectiveAccess { grants: Vec::new() };

impl AccessGraph {
    /// The petgraph graph, to walk or draw.
    pub fn petgraph(&self) -> &DiGraph<Node, Edge> {
        &self.graph
    }

    /// What a node stands for.
    pub fn node(&self, node: NodeIndex) -> &Node {
        &self.graph[node]
    }

    /// The node of user `u` (model index).
    pub fn user_node(&self, u: usize) -> NodeIndex {
        self.user_nodes[u]
    }

    /// The computed access of automation account `u`, if it is one and it
    /// was computed.
    fn automation_access_of(&self, u: usize) -> Option<&EffectiveAccess> {
        let at = self.automation.binary_search(&u).ok()?;
        self.automation_access.get(at)
    }

    /// Effective access of automation account `u` (empty for other users,
    /// and for everyone in a graph built without it: see
    /// [`AccessGraph::access_of`]).
    pub fn access(&self, u: usize) -> &EffectiveAccess {
        self.automation_access_of(u).unwrap_or(&NO_ACCESS)
    }

    /// The integrations (model indices) that name user `u` as `account`.
    pub fn integrations_of(&self, u: usize) -> &[usize] {
        self.integrations.get(&u).map_or(&[], Vec::as_slice)
    }

    /// Automation accounts (model indices), in model order.
    pub fn automation(&self) -> &[usize] {
        &self.automation
    }

    /// Build Access entries naming user `u`: (application, level, span).
    pub fn build_entries(&self, u: usize) -> &[(usize, Level, Span)] {
        self.build_entries.get(&u).map_or(&[], Vec::as_slice)
    }

    /// The applications (model indices) that do not restrict build access.
    pub fn unrestricted_applications(&self) -> &[usize] {
        &self.unrestricted_applications
    }

    /// What user `u` holds: computed once for automation accounts, on demand
    /// for anybody else.
    pub fn access_of(
        &self,
        snapshot: &Snapshot,
        u: usize,
    ) -> std::borrow::Cow<'_, EffectiveAccess> {
        if let Some(access) = self.automation_access_of(u) {
            std::borrow::Cow::Borrowed(access)
        } else {
            std::borrow::Cow::Owned(self.effective_access(snapshot, u))
        }
    }

    /// A node's name: the entity's name, a path, or a module code.
    pub fn name<'a>(&'a self, snapshot: &'a Snapshot, node: NodeIndex) -> &'a str {
        let m = &snapshot.model;
        match &self.graph[node] {
            Node::User(i) => &m.users[*i].name.value,
            Node::Role(i) => &m.roles[*i].name.value,
            Node::PermissionSet(i) => &m.permission_sets[*i].name.value,
            Node::Application(i) => &m.applications[*i].name.value,
            Node::Workflow(p) | Node::Step(p) | Node::Module(p) => p,
            Node::Integration(i) => &m.integrations[*i].name.value,
        }
    }

    /// A node's label in traces: `user svc-x`, `role Everyone`, ...
    pub fn label(&self, snapshot: &Snapshot, node: NodeIndex) -> String {
        format!("{} {}", self.kind(node), self.name(snapshot, node))
    }

    /// What kind of thing a node is, as labels say it: `user`, `role`,
    /// `permission set`, ...
    fn kind(&self, node: NodeIndex) -> &'static str {
        match &self.graph[node] {
            Node::User(_) => "user",
            Node::Role(_) => "role",
            Node::PermissionSet(_) => "permission set",
            Node::Application(_) => "application",
            Node::Workflow(_) => "workflow",
            Node::Step(_) => "step",
            Node::Module(_) => "module",
            Node::Integration(_) => "integration",
        }
    }

    /// Whether user `u` is an automation account: `service_account = true`
    /// or named by some integration.
    pub fn is_automation(&self, snapshot: &Snapshot, u: usize) -> bool {
        snapshot.model.users[u].is_service_account() || self.integrations.contains_key(&u)
    }

    /// Every role membership as (user, role, span), in the order they were
    /// added (users in model order): one pass over the edge list, for a
    /// question about many roles at once. One role's members are
    /// [`AccessGraph::members`].
    pub fn memberships(&self) -> impl Iterator<Item = (usize, usize, Span)> + '_ {
        self.graph.raw_edges().iter().filter_map(|e| {
            let Edge::Member(span) = e.weight else {
                return None;
            };
            match (&self.graph[e.source()], &self.graph[e.target()]) {
                (Node::User(u), Node::Role(r)) => Some((*u, *r, span)),
                _ => None,
            }
        })
    }

    /// Users (model indices) that are members of role `r`, with the span of
    /// each membership.
    pub fn members(&self, r: usize) -> Vec<(usize, Span)> {
        let mut out: Vec<(usize, Span)> = self
            .graph
            .edges_directed(self.roles[r], Direction::Incoming)
            .filter_map(|e| match (&self.graph[e.source()], e.weight()) {
                (Node::User(u), Edge::Member(span)) => Some((*u, *span)),
                _ => None,
            })
            .collect();
        out.sort();
        out
    }
}

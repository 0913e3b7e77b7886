//! The access graph: users, roles, permission sets, applications, workflows,
//! steps, modules and integrations as nodes; memberships and grants as edges
//! that carry the span where they are declared. Effective access (format spec,
//! "Effective access") is computed from it, with every path behind every grant.

use crate::catalog::ModuleCatalog;
use crate::snapshot::{Level, Snapshot};
use crate::source::Span;
use petgraph::Direction;
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;
use std::collections::BTreeMap;
use std::fmt;

mod access;
mod path;

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

/// Everything one user holds, and how.
#[derive(Clone, Debug, Default)]
pub struct EffectiveAccess {
    /// Grant → every path that gives it, in a stable order.
    pub grants: BTreeMap<Grant, Vec<GrantPath>>,
}

impl EffectiveAccess {
    /// The highest level held, if the grant is held at all.
    pub fn level(&self, grant: &Grant) -> Option<Level> {
        self.paths(grant).iter().map(|p| p.level).max()
    }

    /// Every path to the grant.
    pub fn paths(&self, grant: &Grant) -> &[GrantPath] {
        self.grants.get(grant).map_or(&[], Vec::as_slice)
    }

    /// Paths to a module that do not go through ADMIN's implications.
    pub fn explicit_module_paths(&self, code: &str) -> Vec<&GrantPath> {
        self.paths(&Grant::Module(code.to_string()))
            .iter()
            .filter(|p| !p.via_admin)
            .collect()
    }

    fn add(&mut self, grant: Grant, path: GrantPath) {
        self.grants.entry(grant).or_default().push(path);
    }
}

/// The graph and what is computed from it once.
#[derive(Debug, Default)]
pub struct AccessGraph {
    /// The petgraph graph.
    pub graph: DiGraph<Node, Edge>,
    /// Node of each user, by model index.
    pub users: Vec<NodeIndex>,
    /// Node of each role, by model index.
    pub roles: Vec<NodeIndex>,
    /// Node of each application, by model index.
    pub applications: Vec<NodeIndex>,
    /// Node of each integration, by model index.
    pub integrations: Vec<NodeIndex>,
    /// Effective access of each automation account, by model index; empty for
    /// other users, whose access [`AccessGraph::access_of`] computes on demand.
    pub access: Vec<EffectiveAccess>,
    /// Integrations (model indices) that name each user as `account`.
    pub integrations_of: Vec<Vec<usize>>,
    /// Automation accounts (model indices), in model order.
    pub automation: Vec<usize>,
    /// Build Access entries naming each user: (application, level, span).
    pub build_entries: Vec<Vec<(usize, Level, Span)>>,
    /// The applications that do not restrict build access.
    pub unrestricted_applications: Vec<usize>,
}

impl AccessGraph {
    /// Builds the graph from a loaded snapshot. References that do not
    /// resolve (already reported by the loader) are left out.
    pub fn build(snapshot: &Snapshot) -> AccessGraph {
        let model = &snapshot.model;
        let index = &snapshot.index;
        let mut g = DiGraph::new();
        let users: Vec<_> = (0..model.users.len())
            .map(|i| g.add_node(Node::User(i)))
            .collect();
        let roles: Vec<_> = (0..model.roles.len())
            .map(|i| g.add_node(Node::Role(i)))
            .collect();
        let sets: Vec<_> = (0..model.permission_sets.len())
            .map(|i| g.add_node(Node::PermissionSet(i)))
            .collect();
        let apps: Vec<_> = (0..model.applications.len())
            .map(|i| g.add_node(Node::Application(i)))
            .collect();
        let integrations: Vec<_> = (0..model.integrations.len())
            .map(|i| g.add_node(Node::Integration(i)))
            .collect();
        let mut steps = std::collections::HashMap::new();
        // Workflows and steps in the order they are written.
        for (a, app) in model.applications.iter().enumerate() {
            for workflow in &app.workflows {
                let workflow_path = format!("{}/{}", app.name.value, workflow.name.value);
                let wn = g.add_node(Node::Workflow(workflow_path.clone()));
                g.add_edge(apps[a], wn, Edge::Contains);
                for step in &workflow.steps {
                    let path = format!("{workflow_path}/{}", step.value);
                    let sn = g.add_node(Node::Step(path.clone()));
                    g.add_edge(wn, sn, Edge::Contains);
                    steps.insert(path, sn);
                }
            }
        }
        let catalog = ModuleCatalog::get();
        let mut modules = BTreeMap::new();
        for code in catalog.codes() {
            modules.insert(code.to_string(), g.add_node(Node::Module(code.to_string())));
        }
        for code in catalog.codes() {
            for implied in catalog.implied_by(code) {
                g.add_edge(modules[code], modules[implied], Edge::Implies);
            }
        }
        for (a, app) in model.applications.iter().enumerate() {
            for entry in &app.build_access {
                if let Some(&u) = index.users.get(&entry.target.value) {
                    g.add_edge(
                        users[u],
                        apps[a],
                        Edge::BuildAccess(entry.level.value, entry.target.span),
                    );
                }
            }
        }
        for (s, set) in model.permission_sets.iter().enumerate() {
            for entry in &set.steps {
                if let Some(&step) = steps.get(&entry.target.value) {
                    g.add_edge(
                        sets[s],
                        step,
                        Edge::Step(entry.level.value, entry.target.span),
                    );
                }
            }
        }
        let grants = |g: &mut DiGraph<Node, Edge>,
                      from: NodeIndex,
                      applications: &[crate::snapshot::LevelEntry],
                      permission_sets: &[crate::source::Located<String>]| {
            for entry in applications {
                if let Some(&a) = index.applications.get(&entry.target.value) {
                    g.add_edge(
                        from,
                        apps[a],
                        Edge::Application(entry.level.value, entry.target.span),
                    );
                }
            }
            for set in permission_sets {
                if let Some(&s) = index.permission_sets.get(&set.value) {
                    g.add_edge(from, sets[s], Edge::PermissionSet(set.span));
                }
            }
        };
        for (r, role) in model.roles.iter().enumerate() {
            for module in &role.modules {
                if let Some(&m) = modules.get(&module.value) {
                    g.add_edge(roles[r], m, Edge::Module(module.span));
                }
            }
            grants(&mut g, roles[r], &role.applications, &role.permission_sets);
        }
        for (u, user) in model.users.iter().enumerate() {
            for role in &user.roles {
                if let Some(&r) = index.roles.get(&role.value) {
                    g.add_edge(users[u], roles[r], Edge::Member(role.span));
                }
            }
            grants(&mut g, users[u], &user.applications, &user.permission_sets);
        }
        let mut integrations_of = vec![Vec::new(); model.users.len()];
        for (i, integration) in model.integrations.iter().enumerate() {
            if let Some(&u) = index.users.get(&integration.account.value) {
                g.add_edge(
                    integrations[i],
                    users[u],
                    Edge::Uses(integration.account.span),
                );
                integrations_of[u].push(i);
            }
        }
        let mut graph = AccessGraph {
            graph: g,
            users,
            roles,
            applications: apps,
            integrations,
            access: Vec::new(),
            integrations_of,
            automation: Vec::new(),
            build_entries: vec![Vec::new(); model.users.len()],
            unrestricted_applications: Vec::new(),
        };
        graph.unrestricted_applications = (0..model.applications.len())
            .filter(|&a| !model.applications[a].is_restricted())
            .collect();
        for (a, app) in model.applications.iter().enumerate() {
            for entry in &app.build_access {
                if let Some(&u) = index.users.get(&entry.target.value) {
                    graph.build_entries[u].push((a, entry.level.value, entry.target.span));
                }
            }
        }
        graph.automation = (0..model.users.len())
            .filter(|&u| graph.is_automation(snapshot, u))
            .collect();
        graph.access = (0..model.users.len())
            .map(|u| {
                if graph.automation.binary_search(&u).is_ok() {
                    graph.effective_access(snapshot, u)
                } else {
                    EffectiveAccess::default()
                }
            })
            .collect();
        graph
    }

    /// What user `u` holds: computed once for automation accounts, on demand
    /// for anybody else.
    pub fn access_of(
        &self,
        snapshot: &Snapshot,
        u: usize,
    ) -> std::borrow::Cow<'_, EffectiveAccess> {
        if self.automation.binary_search(&u).is_ok() {
            std::borrow::Cow::Borrowed(&self.access[u])
        } else {
            std::borrow::Cow::Owned(self.effective_access(snapshot, u))
        }
    }

    /// A node's name: the entity's name, a path, or a module code.
    pub fn name(&self, snapshot: &Snapshot, node: NodeIndex) -> String {
        let m = &snapshot.model;
        match &self.graph[node] {
            Node::User(i) => m.users[*i].name.value.clone(),
            Node::Role(i) => m.roles[*i].name.value.clone(),
            Node::PermissionSet(i) => m.permission_sets[*i].name.value.clone(),
            Node::Application(i) => m.applications[*i].name.value.clone(),
            Node::Workflow(p) | Node::Step(p) | Node::Module(p) => p.clone(),
            Node::Integration(i) => m.integrations[*i].name.value.clone(),
        }
    }

    /// A node's label in traces: `user svc-x`, `role Everyone`, ...
    pub fn label(&self, snapshot: &Snapshot, node: NodeIndex) -> String {
        let kind = match &self.graph[node] {
            Node::User(_) => "user",
            Node::Role(_) => "role",
            Node::PermissionSet(_) => "permission set",
            Node::Application(_) => "application",
            Node::Workflow(_) => "workflow",
            Node::Step(_) => "step",
            Node::Module(_) => "module",
            Node::Integration(_) => "integration",
        };
        format!("{kind} {}", self.name(snapshot, node))
    }

    /// Whether user `u` is an automation account: `service_account = true`
    /// or named by some integration.
    pub fn is_automation(&self, snapshot: &Snapshot, u: usize) -> bool {
        snapshot.model.users[u].is_service_account() || !self.integrations_of[u].is_empty()
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

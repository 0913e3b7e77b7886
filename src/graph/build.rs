//! Building the access graph from a snapshot, one kind of node or edge at a
//! time (in a fixed order, so node indices, and so every output, are
//! stable), then what is computed once: automation accounts and their
//! effective access.

use super::{AccessGraph, Edge, Node};
use crate::catalog::ModuleCatalog;
use crate::snapshot::{LevelEntry, Name, Snapshot};
use crate::source::Located;
use petgraph::graph::{DiGraph, NodeIndex};
use rustc_hash::FxHashMap;
use std::collections::BTreeMap;

/// The graph while it is built, with the node of every entity.
struct Builder<'s> {
    snapshot: &'s Snapshot,
    g: DiGraph<Node, Edge>,
    users: Vec<NodeIndex>,
    roles: Vec<NodeIndex>,
    sets: Vec<NodeIndex>,
    apps: Vec<NodeIndex>,
    integrations: Vec<NodeIndex>,
    /// The node of every step, by its number (model order: see
    /// [`crate::snapshot::StepRef::number`]).
    step_nodes: Vec<NodeIndex>,
    modules: BTreeMap<String, NodeIndex>,
}

impl AccessGraph {
    /// Builds the graph from a loaded snapshot. References that do not
    /// resolve (already reported by the loader) are left out.
    pub fn build(snapshot: &Snapshot) -> AccessGraph {
        let mut graph = AccessGraph::build_without_access(snapshot);
        graph.compute_automation_access(snapshot);
        graph
    }

    /// The graph alone, for a question about one grant (`who-can`): the
    /// automation accounts' effective access is not computed up front, so
    /// [`AccessGraph::access`] is empty for everyone and
    /// [`AccessGraph::access_of`] computes what it is asked for.
    pub fn build_without_access(snapshot: &Snapshot) -> AccessGraph {
        let mut b = Builder::with_entities(snapshot);
        b.add_workflows_and_steps();
        b.add_modules();
        b.add_build_access();
        b.add_steps_of_sets();
        b.add_role_grants();
        b.add_user_grants();
        let integrations_of = b.add_uses();
        b.finish(integrations_of)
    }
}

/// At most how many nodes and edges the graph of `snapshot` has (a
/// reference that does not resolve adds no edge), so that its lists are
/// allocated once instead of grown by doubling.
fn size_bound(snapshot: &Snapshot) -> (usize, usize) {
    let model = &snapshot.model;
    let catalog = ModuleCatalog::get();
    let modules = catalog.codes().count();
    let implied: usize = catalog.codes().map(|c| catalog.implied_by(c).len()).sum();
    let workflows: usize = model.applications.iter().map(|a| a.workflows.len()).sum();
    let steps: usize = model
        .applications
        .iter()
        .flat_map(|a| &a.workflows)
        .map(|w| w.steps.len())
        .sum();
    let nodes = model.users.len()
        + model.roles.len()
        + model.permission_sets.len()
        + model.applications.len()
        + model.integrations.len()
        + workflows
        + steps
        + modules;
    let build_access: usize = model
        .applications
        .iter()
        .map(|a| a.build_access.len())
        .sum();
    let set_steps: usize = model.permission_sets.iter().map(|p| p.steps.len()).sum();
    let role_grants: usize = model
        .roles
        .iter()
        .map(|r| r.modules.len() + r.applications.len() + r.permission_sets.len())
        .sum();
    let user_grants: usize = model
        .users
        .iter()
        .map(|u| u.roles.len() + u.applications.len() + u.permission_sets.len())
        .sum();
    let edges = workflows
        + steps
        + implied
        + build_access
        + set_steps
        + role_grants
        + user_grants
        + model.integrations.len();
    (nodes, edges)
}

impl<'s> Builder<'s> {
    /// A node for every user, role, permission set, application and
    /// integration, in model order.
    fn with_entities(snapshot: &'s Snapshot) -> Builder<'s> {
        let model = &snapshot.model;
        let (nodes, edges) = size_bound(snapshot);
        let mut g = DiGraph::with_capacity(nodes, edges);
        let users = (0..model.users.len())
            .map(|i| g.add_node(Node::User(i)))
            .collect();
        let roles = (0..model.roles.len())
            .map(|i| g.add_node(Node::Role(i)))
            .collect();
        let sets = (0..model.permission_sets.len())
            .map(|i| g.add_node(Node::PermissionSet(i)))
            .collect();
        let apps = (0..model.applications.len())
            .map(|i| g.add_node(Node::Application(i)))
            .collect();
        let integrations = (0..model.integrations.len())
            .map(|i| g.add_node(Node::Integration(i)))
            .collect();
        Builder {
            snapshot,
            g,
            users,
            roles,
            sets,
            apps,
            integrations,
            step_nodes: Vec::new(),
            modules: BTreeMap::new(),
        }
    }

    /// Workflows and steps, in the order they are written.
    fn add_workflows_and_steps(&mut self) {
        for (a, app) in self.snapshot.model.applications.iter().enumerate() {
            for workflow in &app.workflows {
                let workflow_path = format!("{}/{}", app.name.value, workflow.name.value);
                let wn = self.g.add_node(Node::Workflow(workflow_path.clone()));
                self.g.add_edge(self.apps[a], wn, Edge::Contains);
                for step in &workflow.steps {
                    let path = format!("{workflow_path}/{}", step.value);
                    let sn = self.g.add_node(Node::Step(path));
                    self.g.add_edge(wn, sn, Edge::Contains);
                    self.step_nodes.push(sn);
                }
            }
        }
    }

    /// A node per module of the catalog, and what each implies.
    fn add_modules(&mut self) {
        let catalog = ModuleCatalog::get();
        for code in catalog.codes() {
            let node = self.g.add_node(Node::Module(code.to_string()));
            self.modules.insert(code.to_string(), node);
        }
        for code in catalog.codes() {
            for implied in catalog.implied_by(code) {
                self.g
                    .add_edge(self.modules[code], self.modules[implied], Edge::Implies);
            }
        }
    }

    /// user → application, for each `build_access` entry.
    fn add_build_access(&mut self) {
        let snapshot = self.snapshot;
        for (a, app) in snapshot.model.applications.iter().enumerate() {
            for entry in &app.build_access {
                if let Some(u) = snapshot.user_named(&entry.target.value) {
                    let edge = Edge::BuildAccess(entry.level.value, entry.target.span);
                    self.g.add_edge(self.users[u], self.apps[a], edge);
                }
            }
        }
    }

    /// permission set → step, through the steps the resolver found.
    fn add_steps_of_sets(&mut self) {
        let snapshot = self.snapshot;
        for (s, set) in snapshot.model.permission_sets.iter().enumerate() {
            let named = snapshot.index.set_steps.of(s);
            for (entry, number) in set.steps.iter().zip(named) {
                if let Some(&step) = number.and_then(|n| self.step_nodes.get(n)) {
                    let edge = Edge::Step(entry.level.value, entry.target.span);
                    self.g.add_edge(self.sets[s], step, edge);
                }
            }
        }
    }

    /// Application Entitlements and permission sets held by `from` (a role
    /// or a user).
    fn add_grants(
        &mut self,
        from: NodeIndex,
        applications: &[LevelEntry],
        permission_sets: &[Located<Name>],
    ) {
        let snapshot = self.snapshot;
        for entry in applications {
            if let Some(a) = snapshot.application_named(&entry.target.value) {
                let edge = Edge::Application(entry.level.value, entry.target.span);
                self.g.add_edge(from, self.apps[a], edge);
            }
        }
        for set in permission_sets {
            if let Some(s) = snapshot.permission_set_named(&set.value) {
                self.g
                    .add_edge(from, self.sets[s], Edge::PermissionSet(set.span));
            }
        }
    }

    /// role → module, application, permission set.
    fn add_role_grants(&mut self) {
        let snapshot = self.snapshot;
        for (r, role) in snapshot.model.roles.iter().enumerate() {
            for module in &role.modules {
                if let Some(&m) = self.modules.get(module.value.as_str()) {
                    self.g.add_edge(self.roles[r], m, Edge::Module(module.span));
                }
            }
            self.add_grants(self.roles[r], &role.applications, &role.permission_sets);
        }
    }

    /// user → role, application, permission set.
    fn add_user_grants(&mut self) {
        let snapshot = self.snapshot;
        for (u, user) in snapshot.model.users.iter().enumerate() {
            for role in &user.roles {
                if let Some(r) = snapshot.role_named(&role.value) {
                    self.g
                        .add_edge(self.users[u], self.roles[r], Edge::Member(role.span));
                }
            }
            self.add_grants(self.users[u], &user.applications, &user.permission_sets);
        }
    }

    /// integration → the user it runs under; the integrations of each user.
    fn add_uses(&mut self) -> FxHashMap<usize, Vec<usize>> {
        let snapshot = self.snapshot;
        let mut integrations_of: FxHashMap<usize, Vec<usize>> = FxHashMap::default();
        for (i, integration) in snapshot.model.integrations.iter().enumerate() {
            if let Some(u) = snapshot.user_named(&integration.account.value) {
                let edge = Edge::Uses(integration.account.span);
                self.g.add_edge(self.integrations[i], self.users[u], edge);
                integrations_of.entry(u).or_default().push(i);
            }
        }
        integrations_of
    }

    /// The graph with what is computed once: unrestricted applications, the
    /// Build Access entries of each user, the automation accounts and their
    /// effective access.
    fn finish(self, integrations: FxHashMap<usize, Vec<usize>>) -> AccessGraph {
        let snapshot = self.snapshot;
        let model = &snapshot.model;
        let mut build_entries: FxHashMap<usize, Vec<_>> = FxHashMap::default();
        for (a, app) in model.applications.iter().enumerate() {
            for entry in &app.build_access {
                if let Some(u) = snapshot.user_named(&entry.target.value) {
                    build_entries.entry(u).or_default().push((
                        a,
                        entry.level.value,
                        entry.target.span,
                    ));
                }
            }
        }
        let mut graph = AccessGraph {
            graph: self.g,
            user_nodes: self.users,
            integrations,
            build_entries,
            roles: self.roles,
            applications: self.apps,
            automation: Vec::new(),
            automation_access: Vec::new(),
            unrestricted_applications: (0..model.applications.len())
                .filter(|&a| !model.applications[a].is_restricted())
                .collect(),
        };
        graph.automation = (0..model.users.len())
            .filter(|&u| graph.is_automation(snapshot, u))
            .collect();
        graph
    }
}

impl AccessGraph {
    /// Computes, once, what every automation account holds, the accounts
    /// shared among every core (collected in order).
    fn compute_automation_access(&mut self, snapshot: &Snapshot) {
        use rayon::prelude::*;
        self.automation_access = self
            .automation
            .par_iter()
            .map(|&u| self.effective_access(snapshot, u))
            .collect();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use petgraph::visit::EdgeRef;

    #[test]
    fn set_steps_and_memberships_lead_where_their_entries_name() {
        let dir = tempfile::tempdir().expect("temp dir");
        // Two steps written the same way ('a/b/c/d'): the later one counts.
        let text = r#"
[[application]]
name = "a/b"
[[application.workflow]]
name = "c"
steps = ["d", "e"]

[[application]]
name = "a"
[[application.workflow]]
name = "b/c"
steps = ["d"]
[[application.workflow]]
name = "\u001b"
steps = ["=\"", "x"]

[[permission_set]]
name = "p"
steps = { "a/b/c/e" = "read", "nowhere/x/y" = "edit", "a/b/c/d" = "edit", "a/\u001b/x" = "read" }

[[permission_set]]
name = "q"
steps = { "a/\u001b/=\"" = "edit" }

[[role]]
name = "r\u001b"

[[role]]
name = "s"

[[user]]
name = "u"
roles = ["s", "nobody", "r\u001b"]
"#;
        std::fs::write(dir.path().join("s.toml"), text).expect("write");
        for path in [dir.path().to_path_buf(), "fixtures/acme".into()] {
            let loaded = crate::snapshot::load(&[path], &|_| false).expect("loads");
            let snapshot = &loaded.snapshot;
            let graph = AccessGraph::build(snapshot);
            for (p, set) in snapshot.model.permission_sets.iter().enumerate() {
                let mut reached: Vec<(String, String)> = graph
                    .graph
                    .edges(
                        graph
                            .graph
                            .node_indices()
                            .find(|&n| graph.graph[n] == Node::PermissionSet(p))
                            .expect("a node for every set"),
                    )
                    .filter_map(|e| match (&graph.graph[e.target()], e.weight()) {
                        (Node::Step(path), Edge::Step(level, _)) => {
                            Some((path.clone(), level.to_string()))
                        }
                        _ => None,
                    })
                    .collect();
                reached.sort();
                let mut named: Vec<(String, String)> = set
                    .steps
                    .iter()
                    .filter(|e| {
                        snapshot
                            .index
                            .steps
                            .get(&snapshot.model.applications, &e.target.value)
                            .is_some()
                    })
                    .map(|e| (e.target.value.to_string(), e.level.value.to_string()))
                    .collect();
                named.sort();
                assert_eq!(reached, named, "set {}", set.name.value);
            }
            // Each user's memberships lead to the roles its entries name.
            for (u, user) in snapshot.model.users.iter().enumerate() {
                let mut reached: Vec<usize> = graph
                    .graph
                    .edges(graph.user_node(u))
                    .filter_map(|e| match (&graph.graph[e.target()], e.weight()) {
                        (Node::Role(r), Edge::Member(_)) => Some(*r),
                        _ => None,
                    })
                    .collect();
                reached.sort();
                let mut named: Vec<usize> = user
                    .roles
                    .iter()
                    .filter_map(|r| snapshot.role_named(&r.value))
                    .collect();
                named.sort();
                assert_eq!(reached, named, "user {}", user.name.value);
            }
        }
    }

    #[test]
    fn the_size_bound_holds_the_whole_graph() {
        for dir in ["fixtures/acme", "fixtures/hostile/dangling"] {
            let loaded = crate::snapshot::load(&[dir.into()], &|_| false).expect("fixture");
            let graph = AccessGraph::build(&loaded.snapshot);
            let (nodes, edges) = size_bound(&loaded.snapshot);
            assert!(graph.graph.node_count() <= nodes, "{dir}");
            assert!(graph.graph.edge_count() <= edges, "{dir}");
            assert!(graph.graph.edge_count() > 0, "{dir}");
        }
    }
}

//! Effective access (format spec, "Effective access"): following a user's
//! memberships and grants through the graph, with every path behind every
//! grant; ADMIN's implications; Build Access by `restrict_build_access`.

use super::{AccessGraph, Edge, EffectiveAccess, Grant, GrantPath, Hop, Node};
use crate::snapshot::{Level, Snapshot};
use petgraph::graph::NodeIndex;
use petgraph::visit::EdgeRef;
use std::collections::BTreeMap;

/// A user (model index) holding a grant, with the paths that give it.
pub type Holder = (usize, Vec<GrantPath>);

/// The grants found so far while a user's access is followed, each with
/// its paths.
#[derive(Default)]
struct Found {
    grants: BTreeMap<Grant, Vec<GrantPath>>,
}

impl Found {
    fn add(&mut self, grant: Grant, path: GrantPath) {
        // Most grants are held one way: room for one path, not the four a
        // first push makes.
        self.grants
            .entry(grant)
            .or_insert_with(|| Vec::with_capacity(1))
            .push(path);
    }

    fn paths(&self, grant: &Grant) -> &[GrantPath] {
        self.grants.get(grant).map_or(&[], Vec::as_slice)
    }
}

/// Where a path is while it is followed: the hops so far, and the role and
/// permission set it went through.
struct Walk {
    hops: Vec<Hop>,
    role: Option<usize>,
    set: Option<usize>,
}

impl Walk {
    fn then(&self, node: NodeIndex, edge: Edge) -> Walk {
        // Room for exactly one more hop: a path keeps its hops boxed, and
        // a full list boxes without moving.
        let mut hops = Vec::with_capacity(self.hops.len() + 1);
        hops.extend_from_slice(&self.hops);
        hops.push(Hop {
            node,
            edge: Some(edge),
        });
        Walk { hops, ..*self }
    }

    fn path(self, level: Level) -> GrantPath {
        GrantPath::new(level, self.hops, false, self.role, self.set)
    }
}

impl AccessGraph {
    pub(super) fn effective_access(&self, snapshot: &Snapshot, u: usize) -> EffectiveAccess {
        self.effective_access_within(snapshot, u, &|_| true)
    }

    /// Effective access of user `u`, following only the nodes `keep` allows.
    fn effective_access_within(
        &self,
        snapshot: &Snapshot,
        u: usize,
        keep: &dyn Fn(NodeIndex) -> bool,
    ) -> EffectiveAccess {
        let mut access = Found::default();
        let start = Walk {
            hops: vec![Hop {
                node: self.user_nodes[u],
                edge: None,
            }],
            role: None,
            set: None,
        };
        self.collect(snapshot, self.user_nodes[u], &start, &mut access, keep);
        self.add_implied_modules(&mut access);
        self.add_build_access(snapshot, u, &start, &mut access);
        for paths in access.grants.values_mut() {
            paths.sort_by_cached_key(|p| (self.labels(snapshot, p), std::cmp::Reverse(p.level)));
        }
        EffectiveAccess::new(access.grants)
    }

    /// Follows memberships and grants from `node` (a user or a role).
    fn collect(
        &self,
        snapshot: &Snapshot,
        node: NodeIndex,
        walk: &Walk,
        access: &mut Found,
        keep: &dyn Fn(NodeIndex) -> bool,
    ) {
        let mut edges: Vec<_> = self
            .graph
            .edges(node)
            .filter(|e| keep(e.target()))
            .collect();
        edges.sort_by_key(|e| e.id());
        for e in edges {
            let target = e.target();
            let edge = *e.weight();
            match (edge, &self.graph[target]) {
                (Edge::Member(_), Node::Role(r)) => {
                    let mut next = walk.then(target, edge);
                    next.role = Some(*r);
                    self.collect(snapshot, target, &next, access, keep);
                }
                (Edge::Module(_), Node::Module(code)) => access.add(
                    Grant::Module(code.clone()),
                    walk.then(target, edge).path(Level::Edit),
                ),
                (Edge::Application(level, _), Node::Application(a)) => access.add(
                    Grant::Application(snapshot.model.applications[*a].name.value.to_string()),
                    walk.then(target, edge).path(level),
                ),
                (Edge::PermissionSet(_), Node::PermissionSet(p)) => {
                    let mut through_set = walk.then(target, edge);
                    through_set.set = Some(*p);
                    let mut steps: Vec<_> = self
                        .graph
                        .edges(target)
                        .filter(|e| keep(e.target()))
                        .collect();
                    steps.sort_by_key(|e| e.id());
                    for s in steps {
                        if let (Edge::Step(level, _), Node::Step(path)) =
                            (*s.weight(), &self.graph[s.target()])
                        {
                            access.add(
                                Grant::Step(path.clone()),
                                through_set.then(s.target(), *s.weight()).path(level),
                            );
                        }
                    }
                }
                _ => {}
            }
        }
    }

    /// Adds the modules that held modules imply (ADMIN → the rest), along
    /// the graph's `Implies` edges.
    fn add_implied_modules(&self, access: &mut Found) {
        let held: Vec<GrantPath> = access
            .grants
            .iter()
            .filter(|(g, _)| matches!(g, Grant::Module(_)))
            .flat_map(|(_, paths)| paths.iter().cloned())
            .collect();
        for path in held {
            let Some(last) = path.hops.last() else {
                continue;
            };
            for e in self.graph.edges(last.node) {
                if let (Edge::Implies, Node::Module(implied)) =
                    (e.weight(), &self.graph[e.target()])
                {
                    let hop = Hop {
                        node: e.target(),
                        edge: Some(Edge::Implies),
                    };
                    access.add(
                        Grant::Module(implied.clone()),
                        path.then(hop, Level::Edit, true),
                    );
                }
            }
        }
    }

    /// Build Access: on a restricted application, the `build_access` entry
    /// for the user, if the user holds BUILD; on an unrestricted one, Edit
    /// through every path to BUILD.
    fn add_build_access(&self, snapshot: &Snapshot, u: usize, start: &Walk, access: &mut Found) {
        let build_paths = access.paths(&Grant::Module("BUILD".into())).to_vec();
        if build_paths.is_empty() {
            return;
        }
        let apps = &snapshot.model.applications;
        // Restricted applications: the user's own build_access entries.
        let mut entries: Vec<_> = self
            .graph
            .edges(self.user_nodes[u])
            .filter_map(|e| match (e.weight(), &self.graph[e.target()]) {
                (Edge::BuildAccess(level, _), Node::Application(a)) if apps[*a].is_restricted() => {
                    Some((*a, *level, e.target(), *e.weight()))
                }
                _ => None,
            })
            .collect();
        entries.sort_by_key(|(a, ..)| *a);
        entries.dedup_by_key(|(a, ..)| *a);
        for (a, level, node, edge) in entries {
            access.add(
                Grant::Build(apps[a].name.value.to_string()),
                start.then(node, edge).path(level),
            );
        }
        // Unrestricted applications: every path to BUILD reaches them.
        for &a in &self.unrestricted_applications {
            let app = &apps[a];
            let grant = Grant::Build(app.name.value.to_string());
            for path in &build_paths {
                let hop = Hop {
                    node: self.applications[a],
                    edge: Some(Edge::Unrestricted(app.name.span)),
                };
                access.add(grant.clone(), path.then(hop, Level::Edit, path.via_admin));
            }
        }
    }

    /// Every user holding `grant` (at least at `level`, when given), in
    /// model order, with the paths: found from the grant backwards. Only
    /// the nodes from which a membership or grant leads to the grant's node
    /// are followed, and only the users among them are asked, so a rare
    /// grant costs little and a common one costs its paths, not everyone's
    /// whole access. Build Access, which BUILD reaches without an edge, asks
    /// every user.
    pub fn holders(&self, snapshot: &Snapshot, grant: &Grant, level: Option<Level>) -> Vec<Holder> {
        let mut found = Vec::new();
        self.each_holder(snapshot, grant, level, &mut |holders| {
            found.extend(holders);
            Ok(())
        })
        .map(|()| found)
        .unwrap_or_default()
    }

    /// [`AccessGraph::holders`], handing the holders to `found` a batch
    /// at a time, in model order, as they are found (who-can writes them
    /// out without holding them all); stops at the first error `found`
    /// returns. The users of a batch are asked on every core.
    pub fn each_holder(
        &self,
        snapshot: &Snapshot,
        grant: &Grant,
        level: Option<Level>,
        found: &mut dyn FnMut(Vec<Holder>) -> std::io::Result<()>,
    ) -> std::io::Result<()> {
        use rayon::prelude::*;
        /// Users asked at a time: enough to share among cores, few enough
        /// that a batch's paths are not the whole answer.
        const BATCH: usize = 512;
        let relevant = self.leading_to(snapshot, grant);
        let keep = |n: NodeIndex| relevant.as_ref().is_none_or(|r| r.contains(&n));
        let users: Vec<usize> = (0..self.user_nodes.len())
            .filter(|&u| keep(self.user_nodes[u]))
            .collect();
        for batch in users.chunks(BATCH) {
            let holders: Vec<Holder> = batch
                .par_iter()
                .filter_map(|&u| {
                    let access = if relevant.is_some() {
                        std::borrow::Cow::Owned(self.effective_access_within(snapshot, u, &keep))
                    } else {
                        self.access_of(snapshot, u)
                    };
                    let paths: Vec<GrantPath> = access
                        .paths(grant)
                        .iter()
                        .filter(|p| level.is_none_or(|l| p.level >= l))
                        .cloned()
                        .collect();
                    (!paths.is_empty()).then_some((u, paths))
                })
                .collect();
            if !holders.is_empty() {
                found(holders)?;
            }
        }
        Ok(())
    }

    /// The nodes from which a membership or grant leads to `grant`'s node
    /// (the grant's own node included), or `None` when the grant has no
    /// node to walk back from.
    fn leading_to(
        &self,
        snapshot: &Snapshot,
        grant: &Grant,
    ) -> Option<std::collections::HashSet<NodeIndex>> {
        // Build Access is reached through BUILD (or ADMIN, which implies
        // it) and through the application's build_access entries: walk
        // back from the BUILD module, and from the users on the list.
        let seeds: Option<Vec<NodeIndex>> = match grant {
            Grant::Build(app) => self
                .graph
                .node_indices()
                .find_map(|n| match &self.graph[n] {
                    Node::Application(a) if snapshot.model.applications[*a].name.value == *app => {
                        let listed = self
                            .graph
                            .edges_directed(n, petgraph::Direction::Incoming)
                            .filter(|e| matches!(e.weight(), Edge::BuildAccess(..)))
                            .map(|e| e.source());
                        let build = self
                            .graph
                            .node_indices()
                            .filter(|&m| matches!(&self.graph[m], Node::Module(c) if c == "BUILD"));
                        Some(std::iter::once(n).chain(listed).chain(build).collect())
                    }
                    _ => None,
                }),
            _ => self
                .graph
                .node_indices()
                .find(|&n| match (&self.graph[n], grant) {
                    (Node::Module(code), Grant::Module(wanted)) => code == wanted,
                    (Node::Step(path), Grant::Step(wanted)) => path == wanted,
                    (Node::Application(a), Grant::Application(wanted)) => {
                        snapshot.model.applications[*a].name.value == *wanted
                    }
                    _ => false,
                })
                .map(|target| vec![target]),
        };
        seeds.map(|seeds| {
            let mut seen: std::collections::HashSet<NodeIndex> = seeds.iter().copied().collect();
            // The application itself is kept, but its other grants (its
            // Application Entitlements) lead nowhere for Build Access.
            let mut queue: Vec<NodeIndex> = match grant {
                Grant::Build(_) => seeds.into_iter().skip(1).collect(),
                _ => seeds,
            };
            while let Some(n) = queue.pop() {
                for e in self.graph.edges_directed(n, petgraph::Direction::Incoming) {
                    let grants = !matches!(e.weight(), Edge::Contains | Edge::Uses(_));
                    if grants && seen.insert(e.source()) {
                        queue.push(e.source());
                    }
                }
            }
            seen
        })
    }
}

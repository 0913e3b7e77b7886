//! Effective access (format spec, "Effective access"): following a user's
//! memberships and grants through the graph, with every path behind every
//! grant; ADMIN's implications; Build Access by `restrict_build_access`.

use super::{AccessGraph, Edge, EffectiveAccess, Grant, GrantPath, Node};
use crate::catalog::ModuleCatalog;
use crate::diagnostic::Hop;
use crate::snapshot::{Level, Snapshot};
use crate::source::Span;
use petgraph::graph::NodeIndex;
use petgraph::visit::EdgeRef;
use std::collections::BTreeMap;

impl AccessGraph {
    pub(super) fn effective_access(&self, snapshot: &Snapshot, u: usize) -> EffectiveAccess {
        let mut access = EffectiveAccess::default();
        let start = vec![Hop {
            label: self.label(snapshot, self.users[u]),
            span: None,
            note: String::new(),
        }];
        self.collect(snapshot, self.users[u], None, &start, &mut access);
        self.add_implied_modules(&mut access);
        self.add_build_access(snapshot, u, &start, &mut access);
        for paths in access.grants.values_mut() {
            paths.sort_by_cached_key(|p| (p.labels(), std::cmp::Reverse(p.level)));
        }
        access
    }

    /// Follows memberships and grants from `node` (a user or a role).
    fn collect(
        &self,
        snapshot: &Snapshot,
        node: NodeIndex,
        role: Option<usize>,
        hops: &[Hop],
        access: &mut EffectiveAccess,
    ) {
        let mut edges: Vec<_> = self.graph.edges(node).collect();
        edges.sort_by_key(|e| e.id());
        for e in edges {
            let target = e.target();
            let label = self.label(snapshot, target);
            let hop = |span: Span, note: String| {
                let mut h = hops.to_vec();
                h.push(Hop {
                    label: label.clone(),
                    span: Some(span),
                    note,
                });
                h
            };
            let name = self.name(snapshot, target);
            match (*e.weight(), &self.graph[target]) {
                (Edge::Member(span), _) => {
                    let note = format!("member of role '{name}' here");
                    let role = match self.graph[target] {
                        Node::Role(r) => Some(r),
                        _ => role,
                    };
                    self.collect(snapshot, target, role, &hop(span, note), access)
                }
                (Edge::Module(span), Node::Module(code)) => access.add(
                    Grant::Module(code.clone()),
                    GrantPath {
                        level: Level::Edit,
                        hops: hop(span, format!("grants module {code} here")),
                        via_admin: false,
                        via_role: role,
                    },
                ),
                (Edge::Application(level, span), Node::Application(a)) => access.add(
                    Grant::Application(snapshot.model.applications[*a].name.value.clone()),
                    GrantPath {
                        level,
                        hops: hop(span, format!("grants {level} on application '{name}' here")),
                        via_admin: false,
                        via_role: role,
                    },
                ),
                (Edge::PermissionSet(span), _) => {
                    let through_set = hop(span, format!("holds permission set '{name}' here"));
                    let mut steps: Vec<_> = self.graph.edges(target).collect();
                    steps.sort_by_key(|e| e.id());
                    for s in steps {
                        if let (Edge::Step(level, span), Node::Step(path)) =
                            (*s.weight(), &self.graph[s.target()])
                        {
                            let mut h = through_set.clone();
                            h.push(Hop {
                                label: format!("step {path}"),
                                span: Some(span),
                                note: format!("grants {level} on step '{path}' here"),
                            });
                            access.add(
                                Grant::Step(path.clone()),
                                GrantPath {
                                    level,
                                    hops: h,
                                    via_admin: false,
                                    via_role: role,
                                },
                            );
                        }
                    }
                }
                _ => {}
            }
        }
    }

    /// Adds the modules that held modules imply (ADMIN → the rest).
    fn add_implied_modules(&self, access: &mut EffectiveAccess) {
        let catalog = ModuleCatalog::get();
        let held: Vec<(String, GrantPath)> = access
            .grants
            .iter()
            .filter_map(|(g, paths)| match g {
                Grant::Module(code) => Some(paths.iter().map(move |p| (code.clone(), p.clone()))),
                _ => None,
            })
            .flatten()
            .collect();
        for (code, path) in held {
            for implied in catalog.implied_by(&code) {
                let mut hops = path.hops.clone();
                hops.push(Hop {
                    label: format!("module {implied}"),
                    span: None,
                    note: format!("{code} implies {implied}"),
                });
                access.add(
                    Grant::Module(implied.to_string()),
                    GrantPath {
                        level: Level::Edit,
                        hops,
                        via_admin: true,
                        via_role: path.via_role,
                    },
                );
            }
        }
    }

    /// Build Access: on a restricted application, the `build_access` entry
    /// for the user, if the user holds BUILD; on an unrestricted one, Edit
    /// through every path to BUILD.
    fn add_build_access(
        &self,
        snapshot: &Snapshot,
        u: usize,
        start: &[Hop],
        access: &mut EffectiveAccess,
    ) {
        let build_paths = access.paths(&Grant::Module("BUILD".into())).to_vec();
        if build_paths.is_empty() {
            return;
        }
        let entries: BTreeMap<usize, (Level, Span)> = self
            .graph
            .edges(self.users[u])
            .filter_map(|e| match (e.weight(), &self.graph[e.target()]) {
                (Edge::BuildAccess(level, span), Node::Application(a)) => {
                    Some((*a, (*level, *span)))
                }
                _ => None,
            })
            .collect();
        let apps = &snapshot.model.applications;
        // Restricted applications: the user's own build_access entries.
        for (&a, &(level, span)) in &entries {
            let app = &apps[a];
            if !app.is_restricted() {
                continue;
            }
            let mut hops = start.to_vec();
            hops.push(Hop {
                label: format!("build access on {}", app.name.value),
                span: Some(span),
                note: format!(
                    "{level} on the build access list of '{}' here",
                    app.name.value
                ),
            });
            access.add(
                Grant::Build(app.name.value.clone()),
                GrantPath {
                    level,
                    hops,
                    via_admin: false,
                    via_role: None,
                },
            );
        }
        // Unrestricted applications: every path to BUILD reaches them.
        for &a in &self.unrestricted_applications {
            let app = &apps[a];
            let grant = Grant::Build(app.name.value.clone());
            for path in &build_paths {
                let mut hops = path.hops.clone();
                hops.push(Hop {
                    label: format!(
                        "application {} (build access not restricted)",
                        app.name.value
                    ),
                    span: Some(app.name.span),
                    note: format!("'{}' does not restrict build access", app.name.value),
                });
                access.add(
                    grant.clone(),
                    GrantPath {
                        level: Level::Edit,
                        hops,
                        via_admin: path.via_admin,
                        via_role: path.via_role,
                    },
                );
            }
        }
    }
}

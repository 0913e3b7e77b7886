//! What the RC102 and RC2xx rules share: how a grant is described, which of an
//! account's roles provide nothing it needs, and whether a grant is reached
//! only through such roles (then RC102 alone reports it).

use super::{RuleContext, RuleMeta, at_grant};
use crate::diagnostic::Finding;
use crate::graph::{Grant, GrantPath};
use crate::snapshot::Level;
use crate::source::Span;

/// `module RECORDS`, `edit on application 'Vendor Risk'`, ...
pub fn describe(grant: &Grant, level: Level) -> String {
    match grant {
        Grant::Module(m) => format!("module {m}"),
        Grant::Application(a) => format!("{level} on application '{a}'"),
        Grant::Step(s) => format!("{level} on step '{s}'"),
        Grant::Build(a) => format!("{level} Build Access on '{a}'"),
    }
}

/// The roles (model index, membership span) of account `u` that provide
/// nothing in its minimal grant, in membership order.
fn extra_roles(cx: &RuleContext, u: usize) -> Vec<(usize, Span)> {
    let access = cx.access(u);
    let minimal = cx.minimal(u);
    let user = &cx.snapshot.model.users[u];
    let mut roles = Vec::new();
    for membership in &user.roles {
        let Some(r) = cx.snapshot.role_named(&membership.value) else {
            continue;
        };
        if roles.iter().any(|(seen, _)| *seen == r) {
            continue;
        }
        let provides = minimal
            .grants
            .keys()
            .any(|g| access.paths(g).iter().any(|p| p.role() == Some(r)));
        if !provides {
            roles.push((r, membership.span));
        }
    }
    roles
}

/// Whether every path goes through one of `roles`.
fn only_through(paths: &[&GrantPath], roles: &[(usize, Span)]) -> bool {
    !paths.is_empty()
        && paths
            .iter()
            .all(|p| p.role().is_some_and(|r| roles.iter().any(|(x, _)| *x == r)))
}

/// What the least-privilege rules (RC102, RC202–RC204) judge of one
/// account in use.
pub struct Review<'a> {
    /// Its roles that provide nothing it needs, in membership order.
    pub extra_roles: Vec<(usize, Span)>,
    /// Its excess grants, with the paths that give more than is needed.
    pub excesses: Vec<(&'a Grant, Excess<'a>)>,
}

/// The review of every account in use, in model order (see
/// [`RuleContext::review`]).
pub fn review_accounts<'a>(cx: &RuleContext<'a>) -> Vec<(usize, Review<'a>)> {
    cx.accounts_in_use()
        .map(|(u, _)| {
            let extra_roles = extra_roles(cx, u);
            let excesses = excesses(cx, u, &extra_roles);
            let review = Review {
                extra_roles,
                excesses,
            };
            (u, review)
        })
        .collect()
}

/// An excess grant as the RC2xx rules report it: the paths that give more
/// than is needed (never through ADMIN's implications), the level held and
/// the level needed.
pub struct Excess<'a> {
    /// The paths that give the excess.
    pub paths: Vec<&'a GrantPath>,
    /// The level held.
    pub held: Level,
    /// The level needed, if any.
    pub needed: Option<Level>,
}

/// The excess grants of account `u`, from [`crate::minimal::compare`], with
/// their paths; a grant reached only through roles RC102 reports is left
/// to RC102.
fn excesses<'a>(
    cx: &RuleContext<'a>,
    u: usize,
    extra: &[(usize, Span)],
) -> Vec<(&'a Grant, Excess<'a>)> {
    let access = cx.access(u);
    let mut out = Vec::new();
    for diff in cx.diffs(u).iter().filter(|d| d.is_excess()) {
        let Some(held) = diff.held else { continue };
        let paths: Vec<&GrantPath> = access
            .paths(&diff.grant)
            .iter()
            .filter(|p| !p.via_admin && diff.needed.is_none_or(|n| p.level > n))
            .collect();
        if paths.is_empty() || only_through(&paths, extra) {
            continue;
        }
        let excess = Excess {
            paths,
            held,
            needed: diff.needed,
        };
        out.push((&diff.grant, excess));
    }
    out
}

/// The message tail and help for an excess grant: "which no intent needs" or
/// "where read suffices".
fn excess_reason(e: &Excess) -> &'static str {
    match e.needed {
        None => "which no intent of its integrations needs",
        Some(_) => "where read suffices for its intents",
    }
}

/// The findings of an excess rule (RC202–RC204): for every account in use and
/// every grant it holds that `select` picks, one finding when the holding is
/// excess, at the grant, with the fix `help` describes.
pub fn excess_findings(
    cx: &RuleContext,
    rule: &'static RuleMeta,
    select: &dyn Fn(usize, &Grant) -> bool,
    help: &dyn Fn(&Grant, &Excess) -> String,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (u, user) in cx.accounts_in_use() {
        let Some(review) = cx.review(u) else { continue };
        for (grant, e) in &review.excesses {
            let grant: &Grant = grant;
            if !select(u, grant) {
                continue;
            }
            let message = format!(
                "account '{}' holds {}, {}",
                user.name.value,
                describe(grant, e.held),
                excess_reason(e)
            );
            findings.extend(at_grant(
                cx,
                rule,
                user,
                grant.to_string(),
                &e.paths,
                message,
                help(grant, e),
            ));
        }
    }
    findings
}

//! Ids claimed twice: never guessed between.

use super::Problem;
use super::tenant::Tenant;
use std::collections::{HashMap, HashSet};

/// Every id that more than one entity of a kind claims is a problem at
/// each later definition (naming the first), and none of them is imported:
/// every reference to it is then unresolved, never guessed.
pub fn drop_duplicate_ids(tenant: &mut Tenant, problems: &mut Vec<Problem>) {
    fn dedup<T>(
        items: &mut Vec<T>,
        what: &str,
        key: impl Fn(&T) -> (&str, &str),
        problems: &mut Vec<Problem>,
    ) {
        // Borrowed, not copied: every id and place of the tenant passes here.
        let mut first: HashMap<&str, &str> = HashMap::with_capacity(items.len());
        let mut twice: HashSet<String> = HashSet::new();
        for item in items.iter() {
            let (id, place) = key(item);
            match first.get(id) {
                Some(at) => {
                    problems.push(Problem::new(
                        place.to_string(),
                        format!(
                            "{what} id {id} is defined here and at {at}; neither is imported, \
                             and every reference to it is unresolved"
                        ),
                    ));
                    twice.insert(id.to_string());
                }
                None => {
                    first.insert(id, place);
                }
            }
        }
        if twice.is_empty() {
            return;
        }
        items.retain(|item| !twice.contains(key(item).0));
    }
    dedup(
        &mut tenant.apps,
        "application",
        |a| (&a.id, &a.place),
        problems,
    );
    dedup(
        &mut tenant.flows,
        "workflow",
        |f| (&f.id, &f.place),
        problems,
    );
    dedup(&mut tenant.steps, "step", |s| (&s.id, &s.place), problems);
    dedup(&mut tenant.roles, "role", |r| (&r.id, &r.place), problems);
    dedup(&mut tenant.users, "user", |u| (&u.id, &u.place), problems);
    for (id, place, first) in std::mem::take(&mut tenant.twice) {
        problems.push(Problem::new(
            place,
            format!(
                "permission set {id} was read already at {first} (two responses for one \
                 set); it is not imported, and every reference to it is unresolved"
            ),
        ));
        tenant.sets.remove(&id);
    }
}

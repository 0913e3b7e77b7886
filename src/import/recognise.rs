//! What a saved API response is, told by its content, never by its name.

use super::Problem;
use super::json::Located;
use serde_json::Value;

/// The kinds of response `import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// A v2 page of applications.
    Applications,
    /// A v2 page of workflows.
    Workflows,
    /// A v2 page of steps.
    Steps,
    /// A v1 array of roles.
    Roles,
    /// A list (or page) of step permission sets.
    PermissionSetList,
    /// One step permission set with its permissions.
    PermissionSet,
    /// A v1 array of users.
    Users,
    /// A v2 page of access audit events.
    AccessAudits,
    /// An empty array or page: nothing to read.
    Empty,
}

impl Kind {
    /// How the summary names it.
    pub fn describe(self) -> &'static str {
        match self {
            Kind::Applications => "applications (v2 page)",
            Kind::Workflows => "workflows (v2 page)",
            Kind::Steps => "steps (v2 page)",
            Kind::Roles => "roles (v1)",
            Kind::PermissionSetList => "step permission set list",
            Kind::PermissionSet => "step permission set with its permissions",
            Kind::Users => "users (v1)",
            Kind::AccessAudits => "access audit events (v2 page)",
            Kind::Empty => "an empty list",
        }
    }
}

/// What `root` is, with the elements to read; `Err` with a description of
/// what was there when it is no response `import` knows. Every element is
/// recognised: the list is of the kind most of its elements are (the first
/// such on a tie), and an element of another kind, or of none, is a
/// problem and is not read.
pub fn recognise<'a>(
    root: &Located<'a>,
    problems: &mut Vec<Problem>,
) -> Result<(Kind, Vec<Located<'a>>), String> {
    let (elements, paged) = match root.value {
        Value::Array(_) => (root.elements(), false),
        Value::Object(_) => match root.get("content") {
            Some(content) if content.value.is_array() => (content.elements(), true),
            _ if root.get("permissions").is_some() && root.get("id").is_some() => {
                return Ok((
                    Kind::PermissionSet,
                    vec![Located::root(root.value, root.file)],
                ));
            }
            _ => {
                return Err(format!(
                    "an object with the keys {}, which is no Risk Cloud response rclint reads",
                    root.keys()
                ));
            }
        },
        other => {
            return Err(format!(
                "{}, not an array or an object",
                super::json::kind(other)
            ));
        }
    };
    if elements.is_empty() {
        return Ok((Kind::Empty, elements));
    }
    let kinds: Vec<Option<Kind>> = elements.iter().map(|e| element_kind(e, paged)).collect();
    let mut tally: Vec<(Kind, usize)> = Vec::new();
    for kind in kinds.iter().flatten() {
        match tally.iter_mut().find(|(k, _)| k == kind) {
            Some((_, n)) => *n += 1,
            None => tally.push((*kind, 1)),
        }
    }
    let Some(kind) = tally
        .iter()
        .fold(None, |best: Option<(Kind, usize)>, &(k, n)| match best {
            Some((_, m)) if m >= n => best,
            _ => Some((k, n)),
        })
        .map(|(k, _)| k)
    else {
        return Err(format!(
            "a list whose first element has the keys {}, which is no Risk Cloud entity rclint reads",
            elements[0].keys()
        ));
    };
    let mut read = Vec::with_capacity(elements.len());
    for (e, k) in elements.into_iter().zip(kinds) {
        if k == Some(kind) {
            read.push(e);
            continue;
        }
        let what = match k {
            Some(other) => format!("looks like {}", other.describe()),
            None => format!(
                "is no Risk Cloud entity rclint reads (its keys: {})",
                e.keys()
            ),
        };
        problems.push(Problem::new(
            e.place(),
            format!(
                "this element of a list of {} {what}; it is not read",
                kind.describe()
            ),
        ));
    }
    Ok((kind, read))
}

/// The kind of one element: by its `object` tag (v2), else by the fields
/// only that kind has.
fn element_kind(e: &Located, paged: bool) -> Option<Kind> {
    let has = |key: &str| e.value.get(key).is_some();
    match e.text("object").as_deref() {
        Some("application") => return Some(Kind::Applications),
        Some("workflow") => return Some(Kind::Workflows),
        Some("step") => return Some(Kind::Steps),
        Some("access_audit") => return Some(Kind::AccessAudits),
        _ => {}
    }
    if has("restrictBuildAccess") {
        Some(Kind::Applications)
    } else if has("applicationId") && has("recordPrefix") {
        Some(Kind::Workflows)
    } else if e.get("workflow").is_some_and(|w| w.value.is_object()) && has("type") {
        Some(Kind::Steps)
    } else if has("moduleEntitlements") || has("superAdmin") {
        Some(Kind::Roles)
    } else if has("stepCount") || has("defaultStepPermissionSetForNewUsers") {
        Some(Kind::PermissionSetList)
    } else if has("permissions") && has("id") {
        Some(Kind::PermissionSet)
    } else if !paged && (has("email") || has("roleIds") || has("serviceAccount")) {
        Some(Kind::Users)
    } else if has("user") && has("created") && has("type") {
        Some(Kind::AccessAudits)
    } else {
        None
    }
}

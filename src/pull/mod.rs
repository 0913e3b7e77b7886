//! `rclint pull`: fetch a tenant's access data from the Risk Cloud API, as
//! the responses `rclint import` reads. Every page of the v2 lists
//! (applications, then the workflows of each application, then the steps of
//! each workflow), the v1 users, and, where `[pull]` names their paths, the
//! v1 roles and step permission sets. Nothing is written here: the command
//! writes once everything was fetched.

mod client;

pub use client::{Answer, Client, Credentials, Retry, check_url};

use crate::config::PullSettings;
use crate::import::{ExportFile, PageInfo};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// A pull that cannot go on: one line, exit 2, nothing written.
#[derive(Debug)]
pub struct PullError {
    /// The line to print.
    pub message: String,
    /// The HTTP status that ended it, if one did.
    pub status: Option<u16>,
}

impl PullError {
    /// An error with no HTTP status.
    pub fn new(message: String) -> PullError {
        PullError {
            message,
            status: None,
        }
    }

    /// An error an HTTP status ended.
    pub fn status(status: u16, message: String) -> PullError {
        PullError {
            message,
            status: Some(status),
        }
    }
}

impl std::fmt::Display for PullError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for PullError {}

/// What a pull fetched.
#[derive(Debug, Default)]
pub struct Fetched {
    /// Every response, named as `--save-raw` writes it.
    pub files: Vec<ExportFile>,
    /// Kinds not fetched because `[pull]` names no path for them.
    pub not_configured: Vec<&'static str>,
    /// Requests made.
    pub requests: usize,
    /// Why the access audits were refused (400, 403) or not served (404),
    /// if they were: the snapshot then has no token-roll counts.
    pub audits_unavailable: Option<String>,
}

/// Where the roles are listed when `[pull] roles` says nothing: LogicGate's
/// v1 Swagger documents it.
pub const DEFAULT_ROLES: &str = "/api/v1/roles";

/// Page size asked for.
const PAGE_SIZE: usize = 100;
/// No list is longer than this many pages (two million elements at 100 a
/// page): a server that never says it is done is stopped here, exit 2.
pub const MAX_PAGES: usize = 20_000;

/// Fetches everything, `workers` requests at a time where they do not
/// depend on each other; `progress` is told of each response. Token and
/// credential rolls are counted from `audits_since` until `started` (when
/// the pull began, before it asked for a token).
pub fn fetch(
    client: &Client,
    paths: &PullSettings,
    audits_since: jiff::Timestamp,
    started: jiff::Timestamp,
    workers: usize,
    progress: &(dyn Fn() + Sync),
) -> Result<Fetched, PullError> {
    let count = AtomicUsize::new(0);
    let tick = || {
        count.fetch_add(1, Ordering::Relaxed);
        progress();
    };
    let get = |path: &str, what: &str| {
        let body = client.get(path, what)?;
        tick();
        Ok(Some(body))
    };
    let refused: Mutex<Option<PullError>> = Mutex::new(None);
    let get_optional = |path: &str, what: &str| {
        let answer = client.get_optional(path, what)?;
        tick();
        Ok(match answer {
            Ok(body) => Some(body),
            Err(why) => {
                if let Ok(mut r) = refused.lock() {
                    r.get_or_insert(why);
                }
                None
            }
        })
    };
    let list = |path: &str, what: &str, name: &str| -> Result<Listed, PullError> {
        Ok(pages(&get, path, what, name)?.unwrap_or_default())
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(workers.clamp(1, 16))
        .build()
        .map_err(|e| PullError::new(format!("cannot start the pull's threads: {e}")))?;
    let mut fetched = Fetched::default();
    let apps = list(
        "/api/v2/applications",
        "read applications",
        "v2-applications",
    )?;
    let flows = Listed::concat(pooled(&pool, numbered(apps.ids), |(i, id)| {
        let path = format!("/api/v2/workflows?application-id={}", encode(&id));
        list(&path, "read workflows", &format!("v2-workflows-{i:05}"))
    })?);
    fetched.files.extend(apps.files);
    let steps = Listed::concat(pooled(&pool, numbered(flows.ids), |(i, id)| {
        let path = format!("/api/v2/steps?workflow-id={}", encode(&id));
        list(&path, "read steps", &format!("v2-steps-{i:05}"))
    })?);
    fetched.files.extend(flows.files);
    fetched.files.extend(steps.files);
    fetched
        .files
        .extend(list("/api/v1/users", "list users", "v1-users")?.files);
    // The documented path unless `[pull] roles` names another. It answers
    // active, unlocked roles only: a locked role a user holds stays an
    // unresolved reference in the import, which check reports.
    let roles = paths.roles.as_deref().unwrap_or(DEFAULT_ROLES);
    fetched
        .files
        .extend(list(roles, "list roles", "v1-roles")?.files);
    match (&paths.permission_sets, &paths.permission_set) {
        (Some(sets_path), Some(one)) => {
            let sets = list(sets_path, "list step permission sets", "v1-permission-sets")?;
            fetched.files.extend(sets.files);
            let details = pooled(&pool, numbered(sets.ids), |(i, id)| {
                let path = one.replace("{id}", &encode(&id));
                let answer = client.get(&path, "read step permission sets")?;
                tick();
                Ok(ExportFile {
                    name: format!("v1-permission-set-{i:05}.json"),
                    bytes: answer.bytes,
                })
            })?;
            fetched.files.extend(details);
        }
        _ => fetched.not_configured.push("step permission sets"),
    }
    fetched.audits_unavailable = audits(
        &get_optional,
        &refused,
        audits_since,
        started,
        &mut fetched.files,
    )?;
    fetched.requests = count.load(Ordering::Relaxed);
    Ok(fetched)
}

/// The token and credential rolls from `since` until `started`, where the
/// API user may read the access audits (optional activity data): their
/// pages into `files`; why they were not served, if they were not.
fn audits(
    get_optional: &Get,
    refused: &Mutex<Option<PullError>>,
    since: jiff::Timestamp,
    started: jiff::Timestamp,
    files: &mut Vec<ExportFile>,
) -> Result<Option<String>, PullError> {
    // Token and credential rolls over the window, where the API user may
    // read the access audits: optional activity data.
    // `created-min` is epoch milliseconds (the v2 OpenAPI file): an ISO
    // date is a 400.
    // `created-max` is the millisecond before the pull started, before its
    // own token request: the roll that request causes is not the
    // integrations' doing, even when it falls in the same millisecond
    // (`created-max` is inclusive).
    let since = since.as_millisecond();
    let until = started.as_millisecond() - 1;
    for kind in ["TOKEN_ROLLED", "CREDENTIALS_ROLLED"] {
        let path =
            format!("/api/v2/audits/access?type={kind}&created-min={since}&created-max={until}");
        let name = format!("v2-audits-{}", kind.to_ascii_lowercase().replace('_', "-"));
        match pages(&get_optional, &path, "read access audits", &name)? {
            Some(listed) => files.extend(listed.files),
            None => {
                return Ok(Some(
                    refused
                        .lock()
                        .ok()
                        .and_then(|mut r| r.take())
                        .map_or_else(|| "not served".to_string(), |e| e.message),
                ));
            }
        }
    }
    Ok(None)
}

/// What stays as it is in an id put in a URL: RFC 3986's unreserved
/// characters.
const UNRESERVED: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// An id as one URL path segment or query value.
fn encode(id: &str) -> String {
    percent_encoding::utf8_percent_encode(id, UNRESERVED).to_string()
}

/// `GET path` for `what`: the answer, `None` where the API does not serve it.
type Get<'a> = dyn Fn(&str, &str) -> Result<Option<Answer>, PullError> + 'a;

/// The pages of a list, and the `id` of every element, in order.
#[derive(Default)]
struct Listed {
    files: Vec<ExportFile>,
    ids: Vec<String>,
}

impl Listed {
    /// Lists fetched one after the other, as one.
    fn concat(lists: Vec<Listed>) -> Listed {
        let mut out = Listed::default();
        for l in lists {
            out.files.extend(l.files);
            out.ids.extend(l.ids);
        }
        out
    }
}

/// Ids numbered in order: the number names the files of what each leads to.
fn numbered(ids: Vec<String>) -> Vec<(usize, String)> {
    ids.into_iter().enumerate().collect()
}

/// Whether the list goes on after page `number`, which held `items`
/// elements: until the page says it was the last; where it says nothing (a
/// plain array, a page without totals), while pages come back full.
fn more_after(page: Option<PageInfo>, number: usize, items: usize) -> bool {
    let (last, total_pages) = page.map_or((None, None), |p| (p.last, p.total_pages));
    match (last, total_pages) {
        (Some(true), _) => false,
        _ if items == 0 => false,
        (_, Some(total)) => (number as u64) + 1 < total,
        (Some(false), None) => true,
        // More than asked for: the server answered the whole list.
        (None, None) => items == PAGE_SIZE,
    }
}

/// Every page of a list: `page=0,1,...` until an answer says it was the
/// last, or (where it says nothing) comes back short or empty. A page that
/// repeats the one before, more elements than the list's `totalElements`,
/// or more than [`MAX_PAGES`] pages end the pull (exit 2): a server that
/// never ends a list cannot hold it. `None` when the API does not serve the
/// list at all.
fn pages(get: &Get, path: &str, what: &str, name: &str) -> Result<Option<Listed>, PullError> {
    let separator = if path.contains('?') { '&' } else { '?' };
    let mut out = Listed::default();
    let mut read: u64 = 0;
    let mut previous: Option<String> = None;
    for number in 0..MAX_PAGES {
        let Some(Answer {
            bytes: body,
            json: value,
        }) = get(
            &format!("{path}{separator}page={number}&size={PAGE_SIZE}"),
            what,
        )?
        else {
            return Ok(None);
        };
        let page = PageInfo::of(&value);
        let items = value
            .as_array()
            .or_else(|| value.get("content").and_then(|c| c.as_array()));
        let Some(items) = items else {
            // One object: the whole answer.
            out.files.push(ExportFile {
                name: format!("{name}-page-{number}.json"),
                bytes: body,
            });
            return Ok(Some(out));
        };
        let digest = crate::snapshot::sha256_hex(&serde_json::to_vec(items).unwrap_or_default());
        if !items.is_empty() && previous.as_ref() == Some(&digest) {
            return Err(PullError::new(format!(
                "{path}: page {number} repeats page {} element for element; the server does \
                 not end the list, so the pull stops",
                number - 1
            )));
        }
        read += items.len() as u64;
        if let Some(total) = page.and_then(|p| p.total_elements)
            && read > total
        {
            return Err(PullError::new(format!(
                "{path}: {read} elements by page {number}, more than the {total} the list says \
                 it holds; the pull stops"
            )));
        }
        let more = more_after(page, number, items.len());
        out.ids.extend(
            items
                .iter()
                .filter_map(|item| crate::import::json_text(&item["id"])),
        );
        out.files.push(ExportFile {
            name: format!("{name}-page-{number}.json"),
            bytes: body,
        });
        if !more {
            return Ok(Some(out));
        }
        previous = Some(digest);
    }
    Err(PullError::new(format!(
        "{path}: the list did not end within {MAX_PAGES} pages; the pull stops"
    )))
}

/// `job` on every input, on `pool`'s threads; the results in input
/// order; an error stops the rest.
fn pooled<I: Send, T: Send>(
    pool: &rayon::ThreadPool,
    inputs: Vec<I>,
    job: impl Fn(I) -> Result<T, PullError> + Sync + Send,
) -> Result<Vec<T>, PullError> {
    use rayon::prelude::*;
    pool.install(|| inputs.into_par_iter().map(job).collect())
}

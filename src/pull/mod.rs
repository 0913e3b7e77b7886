//! `rclint pull`: fetch a tenant's access data from the Risk Cloud API, as
//! the responses `rclint import` reads. Every page of the v2 lists of
//! applications, workflows and steps (whole lists, not one per application
//! and workflow), the v1 users and roles, where `[pull]` names their paths
//! the step permission sets, and the access audits. Nothing is written
//! here: the command writes once everything was fetched.

mod client;

pub use client::{Answer, Client, Credentials, Retry, check_url};

use crate::config::PullSettings;
use crate::import::{ExportFile, PageInfo};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// A pull that cannot go on: one line, exit 2, nothing written.
#[derive(Debug)]
pub struct PullError {
    /// The line to print.
    pub message: String,
    /// The HTTP status that ended it, if one did.
    pub status: Option<u16>,
    /// Whether it is only that another request failed first.
    stopped: bool,
}

impl PullError {
    /// An error with no HTTP status.
    pub fn new(message: String) -> PullError {
        PullError {
            message,
            status: None,
            stopped: false,
        }
    }

    /// A request not made because another one failed.
    fn stopped() -> PullError {
        PullError {
            stopped: true,
            ..PullError::new("stopped: another request failed".to_string())
        }
    }

    /// An error an HTTP status ended.
    pub fn status(status: u16, message: String) -> PullError {
        PullError {
            message,
            status: Some(status),
            stopped: false,
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

/// Page size asked for: the largest that integrations seen in use ask
/// for (`size=1000`, `../shared/riskcloud-api/integrations-seen.md`); a
/// tenant that serves fewer says so in each page, and is paged on.
const PAGE_SIZE: usize = 1000;
/// No list is longer than this many pages (twenty million elements at
/// 1,000 a page): a server that never says it is done is stopped here, exit 2.
pub const MAX_PAGES: usize = 20_000;

/// Requests made so far, and requests known to be left (a list's pages
/// past the first once it says how many there are, the details of a list
/// once it is read): what the pull's counter shows.
#[derive(Default)]
pub struct Progress {
    done: AtomicUsize,
    left: AtomicUsize,
}

impl Progress {
    /// Requests made.
    pub fn done(&self) -> usize {
        self.done.load(Ordering::Relaxed)
    }

    /// Requests known to be left.
    pub fn left(&self) -> usize {
        self.left.load(Ordering::Relaxed)
    }

    fn expect(&self, requests: usize) {
        self.left.fetch_add(requests, Ordering::Relaxed);
    }

    fn answered(&self) {
        self.done.fetch_add(1, Ordering::Relaxed);
        // Saturating: a list that ends before the pages it announced.
        let _ = self
            .left
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |l| {
                Some(l.saturating_sub(1))
            });
    }
}

/// Fetches everything, at most `workers` requests at a time: the lists
/// (applications, workflows, steps, users, roles, permission sets, access
/// audits) at once, each page after the one before it, and the detail of
/// each permission set as soon as the list of them is read. `progress` is
/// told of each response. Token and credential rolls are counted from
/// `audits_since` until `started` (when the pull began, before it asked
/// for a token). The responses are in the same order whatever the number
/// of workers.
pub fn fetch(
    client: &Client,
    paths: &PullSettings,
    audits_since: jiff::Timestamp,
    started: jiff::Timestamp,
    workers: usize,
    progress: &(dyn Fn(&Progress) + Sync),
) -> Result<Fetched, PullError> {
    let counter = Progress::default();
    let tick = || {
        counter.answered();
        progress(&counter);
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
    // Set by the first request that fails: the others make no further
    // request (each list its first page still, so that a failure every
    // list shares is told of the first list, whatever the timing).
    let stop = AtomicBool::new(false);
    let list = |path: &str, what: &str, name: &str| -> Result<Listed, PullError> {
        Ok(pages(&get, (&counter, &stop), path, what, name)?.unwrap_or_default())
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(workers.clamp(1, 64))
        .build()
        .map_err(|e| PullError::new(format!("cannot start the pull's threads: {e}")))?;
    // The documented path unless `[pull] roles` names another. It answers
    // active, unlocked roles only: a locked role a user holds stays an
    // unresolved reference in the import, which check reports.
    let roles = paths.roles.as_deref().unwrap_or(DEFAULT_ROLES);
    let mut jobs = vec![
        Job::List(
            "/api/v2/applications",
            "read applications",
            "v2-applications",
        ),
        // Whole lists: `application-id` and `workflow-id` are optional
        // (the v2 OpenAPI file), and one list takes far fewer requests
        // than one per application and one per workflow.
        Job::List("/api/v2/workflows", "read workflows", "v2-workflows"),
        Job::List("/api/v2/steps", "read steps", "v2-steps"),
        Job::List("/api/v1/users", "list users", "v1-users"),
        Job::List(roles, "list roles", "v1-roles"),
    ];
    let mut not_configured = Vec::new();
    match (&paths.permission_sets, &paths.permission_set) {
        (Some(list), Some(one)) => jobs.push(Job::Sets(list, one)),
        _ => not_configured.push("step permission sets"),
    }
    jobs.push(Job::Audits);
    // The first page of each list; the audits are two lists.
    counter.expect(jobs.len() + 1);
    let done = pooled(&pool, &stop, jobs, |job| match job {
        Job::List(path, what, name) => Ok((list(path, what, name)?.files, None)),
        Job::Sets(sets_path, one) => {
            let sets = list(sets_path, "list step permission sets", "v1-permission-sets")?;
            counter.expect(sets.ids.len());
            let details = pooled(&pool, &stop, numbered(sets.ids), |(i, id)| {
                if stop.load(Ordering::Relaxed) {
                    return Err(PullError::stopped());
                }
                let path = one.replace("{id}", &encode(&id));
                let answer = client.get(&path, "read step permission sets")?;
                tick();
                Ok(ExportFile::held(
                    format!("v1-permission-set-{i:05}.json"),
                    answer.bytes,
                ))
            })?;
            Ok((sets.files.into_iter().chain(details).collect(), None))
        }
        Job::Audits => {
            let mut files = Vec::new();
            let why = audits(
                &|path, what, name| pages(&get_optional, (&counter, &stop), path, what, name),
                &refused,
                audits_since,
                started,
                &mut files,
            )?;
            Ok((files, why))
        }
    })?;
    let mut fetched = Fetched {
        not_configured,
        ..Fetched::default()
    };
    for (files, unavailable) in done {
        fetched.files.extend(files);
        fetched.audits_unavailable = fetched.audits_unavailable.or(unavailable);
    }
    fetched.requests = counter.done();
    Ok(fetched)
}

/// What [`fetch`] asks for, each independent of the others.
enum Job<'a> {
    /// A list: its path, what it is for, the name of its files.
    List(&'a str, &'a str, &'a str),
    /// The permission set list and each set's detail (`{id}` in the path).
    Sets(&'a str, &'a str),
    /// The access audits.
    Audits,
}

/// The token and credential rolls from `since` until `started`, where the
/// API user may read the access audits (optional activity data): their
/// pages into `files`; why they were not served, if they were not.
fn audits(
    list: &OptionalList,
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
        match list(&path, "read access audits", &name)? {
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

/// Every page of a list (path, what it is for, the name of its files);
/// `None` where the API does not serve it.
type OptionalList<'a> = dyn Fn(&str, &str, &str) -> Result<Option<Listed>, PullError> + 'a;

/// The pages of a list, and the `id` of every element, in order.
#[derive(Default)]
struct Listed {
    files: Vec<ExportFile>,
    ids: Vec<String>,
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
fn pages(
    get: &Get,
    (progress, stop): (&Progress, &AtomicBool),
    path: &str,
    what: &str,
    name: &str,
) -> Result<Option<Listed>, PullError> {
    let separator = if path.contains('?') { '&' } else { '?' };
    let mut out = Listed::default();
    let mut read: u64 = 0;
    let mut previous: Option<String> = None;
    for number in 0..MAX_PAGES {
        if number > 0 && stop.load(Ordering::Relaxed) {
            return Err(PullError::stopped());
        }
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
            out.files
                .push(ExportFile::held(format!("{name}-page-{number}.json"), body));
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
        if more {
            match page.and_then(|p| p.total_pages) {
                Some(total) if number == 0 => progress.expect(
                    usize::try_from(total)
                        .unwrap_or(MAX_PAGES)
                        .clamp(1, MAX_PAGES)
                        - 1,
                ),
                Some(_) => {}
                None => progress.expect(1),
            }
        }
        out.ids.extend(
            items
                .iter()
                .filter_map(|item| crate::import::json_text(&item["id"])),
        );
        out.files
            .push(ExportFile::held(format!("{name}-page-{number}.json"), body));
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
/// order. A failure sets `stop`, which the jobs read to make no further
/// request; the error told is the first, in input order, that is not only
/// such a stop, so that it does not depend on the timing.
fn pooled<I: Send, T: Send>(
    pool: &rayon::ThreadPool,
    stop: &AtomicBool,
    inputs: Vec<I>,
    job: impl Fn(I) -> Result<T, PullError> + Sync + Send,
) -> Result<Vec<T>, PullError> {
    use rayon::prelude::*;
    let results: Vec<Result<T, PullError>> = pool.install(|| {
        inputs
            .into_par_iter()
            .map(|input| {
                let result = job(input);
                if result.is_err() {
                    stop.store(true, Ordering::Relaxed);
                }
                result
            })
            .collect()
    });
    let mut done = Vec::with_capacity(results.len());
    let mut stopped = None;
    for result in results {
        match result {
            Ok(t) => done.push(t),
            Err(e) if e.stopped => {
                stopped.get_or_insert(e);
            }
            Err(e) => return Err(e),
        }
    }
    stopped.map_or(Ok(done), Err)
}

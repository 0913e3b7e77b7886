//! `rclint pull`: fetch a tenant's access data from the Risk Cloud API, as
//! the responses `rclint import` reads. Every page of the v2 lists
//! (applications, then the workflows of each application, then the steps of
//! each workflow), the v1 users, and, where `[pull]` names their paths, the
//! v1 roles and step permission sets. Nothing is written here: the command
//! writes once everything was fetched.

mod client;

pub use client::{Client, Credentials, Retry, check_url};

use crate::config::PullSettings;
use crate::import::ExportFile;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// A pull that cannot go on: one line, exit 2, nothing written.
#[derive(Debug)]
pub struct PullError(pub String);

impl std::fmt::Display for PullError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
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
}

/// Page size asked for.
const PAGE_SIZE: usize = 100;
/// No list is longer than this many pages: a server that never says it is
/// done stops here.
const MAX_PAGES: usize = 100_000;

/// Fetches everything, `workers` requests at a time where they do not
/// depend on each other; `progress` is told of each response.
pub fn fetch(
    client: &Client,
    paths: &PullSettings,
    workers: usize,
    progress: &(dyn Fn() + Sync),
) -> Result<Fetched, PullError> {
    let count = AtomicUsize::new(0);
    let get = |path: &str, what: &str| {
        let body = client.get(path, what)?;
        count.fetch_add(1, Ordering::Relaxed);
        progress();
        Ok(body)
    };
    let mut fetched = Fetched::default();
    let apps = pages(
        &get,
        "/api/v2/applications",
        "read applications",
        "v2-applications",
    )?;
    let app_ids = ids(&apps);
    fetched.files.extend(apps);
    let flows = pooled(app_ids, workers, |(i, id)| {
        let path = format!("/api/v2/workflows?application-id={}", encode(&id));
        pages(
            &get,
            &path,
            "read workflows",
            &format!("v2-workflows-{i:05}"),
        )
    })?
    .concat();
    let flow_ids = ids(&flows);
    fetched.files.extend(flows);
    let steps = pooled(flow_ids, workers, |(i, id)| {
        let path = format!("/api/v2/steps?workflow-id={}", encode(&id));
        pages(&get, &path, "read steps", &format!("v2-steps-{i:05}"))
    })?
    .concat();
    fetched.files.extend(steps);
    fetched
        .files
        .extend(pages(&get, "/api/v1/users", "list users", "v1-users")?);
    match &paths.roles {
        Some(path) => fetched
            .files
            .extend(pages(&get, path, "list roles", "v1-roles")?),
        None => fetched.not_configured.push("roles"),
    }
    match (&paths.permission_sets, &paths.permission_set) {
        (Some(list), Some(one)) => {
            let sets = pages(
                &get,
                list,
                "list step permission sets",
                "v1-permission-sets",
            )?;
            let set_ids = ids(&sets);
            fetched.files.extend(sets);
            let details = pooled(set_ids, workers, |(i, id)| {
                let path = one.replace("{id}", &encode(&id));
                let body = get(&path, "read step permission sets")?;
                Ok(ExportFile {
                    name: format!("v1-permission-set-{i:05}.json"),
                    bytes: body,
                })
            })?;
            fetched.files.extend(details);
        }
        _ => fetched.not_configured.push("step permission sets"),
    }
    fetched.requests = count.load(Ordering::Relaxed);
    Ok(fetched)
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

/// `GET path` for `what`: the body.
type Get<'a> = dyn Fn(&str, &str) -> Result<Vec<u8>, PullError> + 'a;

/// Every page of a list: `page=0,1,...` until the answer's `page` says it
/// was the last (or holds no `page`: one response is the whole list).
fn pages(get: &Get, path: &str, what: &str, name: &str) -> Result<Vec<ExportFile>, PullError> {
    let separator = if path.contains('?') { '&' } else { '?' };
    let mut out = Vec::new();
    for number in 0..MAX_PAGES {
        let body = get(
            &format!("{path}{separator}page={number}&size={PAGE_SIZE}"),
            what,
        )?;
        let value: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
        out.push(ExportFile {
            name: format!("{name}-page-{number}.json"),
            bytes: body,
        });
        let total = value["page"]["totalPages"].as_u64();
        let empty = value["content"].as_array().is_none_or(|c| c.is_empty());
        match total {
            Some(total) if (number as u64) + 1 < total && !empty => continue,
            _ => break,
        }
    }
    Ok(out)
}

/// The `id` of every element of every page, numbered in order.
fn ids(files: &[ExportFile]) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for f in files {
        let value: serde_json::Value = serde_json::from_slice(&f.bytes).unwrap_or_default();
        let items = value["content"]
            .as_array()
            .or_else(|| value.as_array())
            .cloned()
            .unwrap_or_default();
        for item in items {
            if let Some(id) = crate::import::json_text(&item["id"]) {
                out.push((out.len(), id));
            }
        }
    }
    out
}

/// `job` on every input, at most `workers` at once; the results in input
/// order; the first error stops the rest.
fn pooled<I: Send, T: Send>(
    inputs: Vec<I>,
    workers: usize,
    job: impl Fn(I) -> Result<T, PullError> + Sync,
) -> Result<Vec<T>, PullError> {
    let n = inputs.len();
    let queue = Mutex::new(inputs.into_iter().enumerate());
    let results: Mutex<Vec<Option<T>>> = Mutex::new((0..n).map(|_| None).collect());
    let failed: Mutex<Option<PullError>> = Mutex::new(None);
    let stop = AtomicBool::new(false);
    std::thread::scope(|scope| {
        for _ in 0..workers.clamp(1, 16).min(n.max(1)) {
            scope.spawn(|| {
                while !stop.load(Ordering::Relaxed) {
                    let next = queue.lock().map(|mut q| q.next()).ok().flatten();
                    let Some((i, input)) = next else { break };
                    match job(input) {
                        Ok(t) => {
                            if let Ok(mut r) = results.lock() {
                                r[i] = Some(t);
                            }
                        }
                        Err(e) => {
                            stop.store(true, Ordering::Relaxed);
                            if let Ok(mut f) = failed.lock() {
                                f.get_or_insert(e);
                            }
                        }
                    }
                }
            });
        }
    });
    if let Some(e) = failed.into_inner().ok().flatten() {
        return Err(e);
    }
    let results = results.into_inner().unwrap_or_default();
    results
        .into_iter()
        .collect::<Option<Vec<T>>>()
        .ok_or_else(|| PullError("a request was not answered".to_string()))
}

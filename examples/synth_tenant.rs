//! Serves an export written by `examples/synth_export` as a Risk Cloud
//! tenant on 127.0.0.1, for the `pull` benchmarks of `BENCHMARKS.md`:
//!
//! ```sh
//! cargo run --release --example synth_tenant -- OUT_DIR/export --latency-ms 20
//! ```
//!
//! It prints its URL on the first line of stdout. It answers in the shapes
//! real tenants send (`../shared/riskcloud-api/v1-shapes.md`): v2 pages of
//! applications, workflows and steps (filtered by `application-id` and
//! `workflow-id` when asked, the whole list otherwise), no more than 1,000
//! elements a page whatever `size` asks; v1 users and roles as plain
//! arrays; the step permission sets as v1 Spring pages and each set's
//! detail by id; no access audit events. Every answer waits
//! `--latency-ms` first, as a distant tenant would. `GET /_stats` answers
//! the requests served and the most in flight at once since the last
//! `/_stats`, and starts counting again.
//!
//! Any client id and secret get a token; every other request needs it.
//! The HTTP server is the tests' (`tests/it/common/http.rs`): a thread for
//! each connection, kept open between requests.

#[path = "../tests/it/common/http.rs"]
mod http;

use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// The token every request but the token request must carry.
const TOKEN: &str = "synth-tenant-token";
/// The most elements a page holds, whatever `size` asks.
const MAX_PAGE: usize = 1000;

/// The tenant, read from the export.
struct Tenant {
    applications: Vec<Value>,
    workflows: Vec<Value>,
    steps: Vec<Value>,
    users: String,
    roles: String,
    permission_sets: Vec<Value>,
    /// Permission set id → its detail, as saved.
    details: BTreeMap<String, String>,
}

/// Requests served, in flight now, and the most in flight at once.
#[derive(Default)]
struct Counters {
    requests: AtomicUsize,
    in_flight: AtomicUsize,
    most_in_flight: AtomicUsize,
}

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

fn parse(path: &Path) -> Result<Value, String> {
    serde_json::from_str(&read(path)?).map_err(|e| format!("{}: {e}", path.display()))
}

/// The `content` of every file in `dir` whose name starts with `prefix`
/// and then a digit or `page`, in name order.
fn elements(dir: &Path, names: &[String], prefix: &str) -> Result<Vec<Value>, String> {
    let mut out = Vec::new();
    for name in names.iter().filter(|n| n.starts_with(prefix)) {
        if let Value::Array(items) = parse(&dir.join(name))?["content"].take() {
            out.extend(items);
        }
    }
    Ok(out)
}

fn load(dir: &Path) -> Result<Tenant, String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let mut details = BTreeMap::new();
    for name in names.iter().filter(|n| n.starts_with("permission-set-")) {
        let text = read(&dir.join(name))?;
        let id = serde_json::from_str::<Value>(&text).map_err(|e| format!("{name}: {e}"))?["id"]
            .as_str()
            .map(str::to_string)
            .ok_or_else(|| format!("{name}: no id"))?;
        details.insert(id, text);
    }
    Ok(Tenant {
        applications: elements(dir, &names, "applications-page-")?,
        workflows: elements(dir, &names, "workflows-page-")?,
        steps: elements(dir, &names, "steps-page-")?,
        users: read(&dir.join("users.json"))?,
        roles: read(&dir.join("roles.json"))?,
        permission_sets: elements(dir, &names, "permission-sets-page-")?,
        details,
    })
}

/// The query of a URL, as (key, value) pairs.
fn query(url: &str) -> BTreeMap<&str, &str> {
    url.split_once('?')
        .map_or("", |(_, q)| q)
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .collect()
}

/// Page `page` of `items` at `size` (at most [`MAX_PAGE`]): the elements
/// and the page's numbers.
fn slice<'a>(items: &'a [&'a Value], q: &BTreeMap<&str, &str>) -> (Vec<&'a Value>, Value) {
    let number: usize = q.get("page").and_then(|p| p.parse().ok()).unwrap_or(0);
    let size = q
        .get("size")
        .and_then(|s| s.parse().ok())
        .unwrap_or(20)
        .clamp(1, MAX_PAGE);
    let content: Vec<&Value> = items
        .iter()
        .skip(number * size)
        .take(size)
        .copied()
        .collect();
    let total_pages = items.len().div_ceil(size).max(1);
    let numbers = json!({"size": size, "number": number, "totalElements": items.len(), "totalPages": total_pages, "numberOfElements": content.len(), "first": number == 0, "last": number + 1 >= total_pages});
    (content, numbers)
}

/// A v2 page of the elements of `items` whose `pointer` is `filter` (all
/// of them when there is no filter).
fn v2_page(items: &[Value], filter: Option<(&str, &str)>, q: &BTreeMap<&str, &str>) -> String {
    let kept: Vec<&Value> = items
        .iter()
        .filter(|i| {
            filter
                .is_none_or(|(pointer, id)| i.pointer(pointer).and_then(Value::as_str) == Some(id))
        })
        .collect();
    let (content, numbers) = slice(&kept, q);
    json!({"content": content, "links": {}, "page": {"size": numbers["size"], "number": numbers["number"], "totalElements": numbers["totalElements"], "totalPages": numbers["totalPages"]}}).to_string()
}

/// A v1 Spring page of `items`: the paging fields at the root.
fn v1_page(items: &[Value], q: &BTreeMap<&str, &str>) -> String {
    let all: Vec<&Value> = items.iter().collect();
    let (content, numbers) = slice(&all, q);
    let mut page = numbers;
    page["content"] = json!(content);
    page["empty"] = json!(content.is_empty());
    page["sort"] = json!({});
    page.to_string()
}

/// The answer to one request: status and body.
fn answer(tenant: &Tenant, method: &str, url: &str, authorization: Option<&str>) -> (u16, String) {
    let path = url.split('?').next().unwrap_or(url);
    let q = query(url);
    if method == "POST" && path == "/api/v1/account/token" {
        return (
            200,
            json!({"access_token": TOKEN, "token_type": "bearer", "expires_in": 31_536_000})
                .to_string(),
        );
    }
    if authorization != Some(&format!("Bearer {TOKEN}")) {
        return (401, json!({"error": "unauthorized"}).to_string());
    }
    let by = |key: &str, pointer: &'static str| q.get(key).map(|id| (pointer, *id));
    match path {
        "/api/v2/applications" => (200, v2_page(&tenant.applications, None, &q)),
        "/api/v2/workflows" => (
            200,
            v2_page(
                &tenant.workflows,
                by("application-id", "/applicationId"),
                &q,
            ),
        ),
        "/api/v2/steps" => (
            200,
            v2_page(&tenant.steps, by("workflow-id", "/workflow/id"), &q),
        ),
        "/api/v2/audits/access" => (200, v2_page(&[], None, &q)),
        "/api/v1/users" => (200, tenant.users.clone()),
        "/api/v1/roles" => (200, tenant.roles.clone()),
        "/api/v1/step-permission-sets" => (200, v1_page(&tenant.permission_sets, &q)),
        _ => match path
            .strip_prefix("/api/v1/step-permission-sets/")
            .and_then(|id| tenant.details.get(id))
        {
            Some(detail) => (200, detail.clone()),
            None => (
                404,
                json!({"status": 404, "message": "not found"}).to_string(),
            ),
        },
    }
}

fn run() -> Result<(), String> {
    let mut args = std::env::args().skip(1);
    let mut export = None;
    let mut latency = Duration::ZERO;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--latency-ms" => {
                let ms: u64 = args
                    .next()
                    .and_then(|v| v.parse().ok())
                    .ok_or("--latency-ms takes a number of milliseconds")?;
                latency = Duration::from_millis(ms);
            }
            _ if export.is_none() => export = Some(arg),
            _ => return Err(format!("unexpected argument '{arg}'")),
        }
    }
    let export = export.ok_or("usage: synth_tenant EXPORT_DIR [--latency-ms N]")?;
    let tenant = load(Path::new(&export))?;
    let counters = Arc::new(Counters::default());
    let counting = counters.clone();
    let server = http::start(move |request| {
        if request.url == "/_stats" {
            let stats = json!({
                "requests": counting.requests.swap(0, Ordering::SeqCst),
                "most_in_flight": counting.most_in_flight.swap(0, Ordering::SeqCst),
            });
            return http::Reply::json(stats.to_string());
        }
        counting.requests.fetch_add(1, Ordering::SeqCst);
        let now = counting.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        counting.most_in_flight.fetch_max(now, Ordering::SeqCst);
        std::thread::sleep(latency);
        let (status, body) = answer(
            &tenant,
            &request.method,
            &request.url,
            request.authorization.as_deref(),
        );
        counting.in_flight.fetch_sub(1, Ordering::SeqCst);
        http::Reply {
            status,
            headers: Vec::new(),
            body: body.into_bytes(),
        }
    })
    .map_err(|e| e.to_string())?;
    println!("http://127.0.0.1:{}", server.port);
    // Serves until the process is stopped.
    loop {
        std::thread::park();
    }
}

fn main() -> std::process::ExitCode {
    match run() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::ExitCode::from(2)
        }
    }
}

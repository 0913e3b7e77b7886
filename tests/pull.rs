//! `rclint pull` against a fake Risk Cloud: a real HTTP server on 127.0.0.1
//! that serves the test tenant in the documented shapes, with pagination,
//! and the faults a real tenant shows (a refused token, 429 with
//! Retry-After, a 500, a truncated body). Every fault ends in the right
//! snapshot or the right error, nothing is half-written, and the secret and
//! the token appear nowhere.

mod common;

use common::tree;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};

const EXPORT: &str = "tests/data/riskcloud/export";
const HAND_WRITTEN: &str = "tests/data/riskcloud/snapshot";
const CLIENT_ID: &str = "rclint-test-client-7f3a";
const SECRET: &str = "S3cr3t-never-printed-91c2";
const TOKEN: &str = "tok-issued-never-printed-5be8";
const PULL_PATHS: &str = "\n[pull]\nroles = \"/api/v1/roles\"\npermission_sets = \"/api/v1/step-permission-sets\"\npermission_set = \"/api/v1/step-permission-sets/{id}\"\n";

/// A fault the server shows once (or always) on requests whose path starts
/// with a prefix.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Fault {
    TooManyRequests,
    ServerError,
    Truncated,
    Forbidden,
    /// Answers only after 3 seconds.
    Slow,
}

#[derive(Default)]
struct Faults {
    /// (path prefix, fault, times left; u32::MAX: always).
    planned: Vec<(String, Fault, u32)>,
    /// Every request: method and path with query.
    log: Vec<String>,
}

/// The fake tenant, serving on a free port until dropped.
struct FakeRiskCloud {
    url: String,
    server: Arc<tiny_http::Server>,
    faults: Arc<Mutex<Faults>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Drop for FakeRiskCloud {
    fn drop(&mut self) {
        self.server.unblock();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn read_json(name: &str) -> serde_json::Value {
    let text = std::fs::read_to_string(Path::new(EXPORT).join(name)).expect("export file");
    serde_json::from_str(&text).expect("export JSON")
}

/// The elements of every file of the export whose name starts with `prefix`.
fn elements(prefix: &str) -> Vec<serde_json::Value> {
    let mut names: Vec<String> = std::fs::read_dir(EXPORT)
        .expect("export")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(prefix))
        .collect();
    names.sort();
    names
        .iter()
        .flat_map(|n| {
            let v = read_json(n);
            v["content"].as_array().cloned().unwrap_or_default()
        })
        .collect()
}

fn query(url: &str) -> BTreeMap<String, String> {
    url.split_once('?')
        .map(|(_, q)| q)
        .unwrap_or("")
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// A v2 page of `items`, two per page whatever `size` asks.
fn page(items: Vec<serde_json::Value>, q: &BTreeMap<String, String>) -> String {
    let size = 2;
    let number: usize = q.get("page").and_then(|p| p.parse().ok()).unwrap_or(0);
    let total_pages = items.len().div_ceil(size).max(1);
    let content: Vec<_> = items.into_iter().skip(number * size).take(size).collect();
    serde_json::json!({
        "content": content,
        "links": {},
        "page": {"size": size, "totalElements": 0, "totalPages": total_pages, "number": number}
    })
    .to_string()
}

fn answer(method: &str, url: &str, authorization: Option<&str>) -> (u16, String) {
    use base64::Engine;
    let path = url.split('?').next().unwrap_or(url);
    let q = query(url);
    if method == "POST" && path == "/api/v1/account/token" {
        let basic =
            base64::engine::general_purpose::STANDARD.encode(format!("{CLIENT_ID}:{SECRET}"));
        if authorization != Some(&format!("Basic {basic}")) {
            return (401, "{\"error\":\"unauthorized\"}".into());
        }
        return (
            200,
            serde_json::json!({"access_token": TOKEN, "token_type": "bearer", "expires_in": 31536000, "scope": "read"}).to_string(),
        );
    }
    if authorization != Some(&format!("Bearer {TOKEN}")) {
        return (401, "{\"error\":\"unauthorized\"}".into());
    }
    let by = |items: Vec<serde_json::Value>, key: &str, pointer: &str| -> Vec<serde_json::Value> {
        match q.get(key) {
            Some(id) => items
                .into_iter()
                .filter(|i| i.pointer(pointer).and_then(|v| v.as_str()) == Some(id))
                .collect(),
            None => items,
        }
    };
    match path {
        "/api/v2/applications" => (200, page(elements("applications-page-"), &q)),
        "/api/v2/workflows" => (
            200,
            page(
                by(elements("workflows"), "application-id", "/applicationId"),
                &q,
            ),
        ),
        "/api/v2/steps" => (
            200,
            page(by(elements("steps-"), "workflow-id", "/workflow/id"), &q),
        ),
        "/api/v1/users" => (
            200,
            std::fs::read_to_string(Path::new(EXPORT).join("users.json")).expect("users"),
        ),
        // Served as saved: with the repeated key of the published samples.
        "/api/v1/roles" => (
            200,
            std::fs::read_to_string(Path::new(EXPORT).join("roles.json")).expect("roles"),
        ),
        "/api/v1/step-permission-sets" => (200, read_json("permission-sets.json").to_string()),
        "/api/v2/audits/access" => (200, page(by(elements("audits-"), "type", "/type"), &q)),
        _ => match path.strip_prefix("/api/v1/step-permission-sets/") {
            Some(id) => match std::fs::read_to_string(
                Path::new(EXPORT).join(format!("permission-set-{id}.json")),
            ) {
                Ok(text) => (200, text),
                Err(_) => (404, "{}".into()),
            },
            None => (404, "{}".into()),
        },
    }
}

fn serve(faults: Vec<(&str, Fault, u32)>) -> FakeRiskCloud {
    let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").expect("bind 127.0.0.1"));
    let port = server.server_addr().to_ip().expect("ip").port();
    let faults = Arc::new(Mutex::new(Faults {
        planned: faults
            .into_iter()
            .map(|(p, f, n)| (p.to_string(), f, n))
            .collect(),
        log: Vec::new(),
    }));
    let (s, f) = (server.clone(), faults.clone());
    let thread = std::thread::spawn(move || {
        for request in s.incoming_requests() {
            let method = request.method().as_str().to_string();
            let url = request.url().to_string();
            let authorization = request
                .headers()
                .iter()
                .find(|h| h.field.equiv("Authorization"))
                .map(|h| h.value.as_str().to_string());
            let fault = {
                let mut state = f.lock().expect("state");
                state.log.push(format!("{method} {url}"));
                let hit = state
                    .planned
                    .iter_mut()
                    .find(|(p, _, n)| url.starts_with(p.as_str()) && *n > 0);
                hit.map(|(_, fault, n)| {
                    if *n != u32::MAX {
                        *n -= 1;
                    }
                    *fault
                })
            };
            if fault == Some(Fault::Slow) {
                std::thread::sleep(std::time::Duration::from_secs(3));
            }
            let (status, body) = match fault {
                Some(Fault::TooManyRequests) => (429, "{}".to_string()),
                Some(Fault::ServerError) => (500, "{\"error\":\"boom\"}".to_string()),
                Some(Fault::Forbidden) => (403, "{}".to_string()),
                Some(Fault::Truncated) => {
                    let (_, full) = answer(&method, &url, authorization.as_deref());
                    (200, full[..full.len() / 2].to_string())
                }
                None | Some(Fault::Slow) => answer(&method, &url, authorization.as_deref()),
            };
            let mut response = tiny_http::Response::from_string(body).with_status_code(status);
            if fault == Some(Fault::TooManyRequests) {
                response
                    .add_header(tiny_http::Header::from_bytes("Retry-After", "1").expect("header"));
            }
            let _ = request.respond(response);
        }
    });
    FakeRiskCloud {
        url: format!("http://127.0.0.1:{port}"),
        server,
        faults,
        thread: Some(thread),
    }
}

/// A temporary folder with `snapshot/` (the hand-written part, with the
/// `[pull]` paths in its rclint.toml) and room for `raw/`.
fn workspace(with_paths: bool) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let snapshot = dir.path().join("snapshot");
    common::copy_dir(Path::new(HAND_WRITTEN), &snapshot);
    if with_paths {
        let config = snapshot.join("rclint.toml");
        let mut text = std::fs::read_to_string(&config).expect("config");
        text.push_str(PULL_PATHS);
        std::fs::write(&config, text).expect("config");
    }
    (dir, snapshot)
}

fn pull(url: &str, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_rclint"));
    command.arg("pull").arg("--url").arg(url).args(args);
    for var in [
        "RISKCLOUD_TOKEN",
        "RISKCLOUD_CLIENT_ID",
        "RISKCLOUD_CLIENT_SECRET",
    ] {
        command.env_remove(var);
    }
    for (k, v) in env {
        command.env(k, v);
    }
    command.output().expect("rclint runs")
}

const CLIENT: &[(&str, &str)] = &[
    ("RISKCLOUD_CLIENT_ID", CLIENT_ID),
    ("RISKCLOUD_CLIENT_SECRET", SECRET),
];

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The generated files without their header comments: what the tenant says.
fn bodies(dir: &Path) -> BTreeMap<String, String> {
    tree(dir)
        .into_iter()
        .filter(|(name, _)| name.starts_with("access/") || name.starts_with("applications/"))
        .map(|(name, bytes)| {
            let text = String::from_utf8_lossy(&bytes);
            let body: Vec<&str> = text.lines().filter(|l| !l.starts_with('#')).collect();
            (name, body.join("\n"))
        })
        .collect()
}

/// What `rclint import` makes of the responses `pull` asks the fake server
/// for: the export without its LOGIN events (`pull` reads logins from the
/// users' `lastLogin`, not from the audits).
fn imported_bodies() -> BTreeMap<String, String> {
    let (dir, snapshot) = workspace(false);
    let export = dir.path().join("export");
    std::fs::create_dir_all(&export).expect("mkdir");
    for entry in std::fs::read_dir(EXPORT).expect("export").flatten() {
        if entry.file_name() != "audits-login.json" {
            std::fs::copy(entry.path(), export.join(entry.file_name())).expect("copy");
        }
    }
    let out = Command::new(env!("CARGO_BIN_EXE_rclint"))
        .args(["import", "-q", "-o"])
        .arg(&snapshot)
        .arg(&export)
        .output()
        .expect("import runs");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    bodies(&snapshot)
}

#[test]
fn pull_through_429_500_and_a_truncated_body_ends_in_the_imported_snapshot() {
    let server = serve(vec![
        ("/api/v1/users", Fault::TooManyRequests, 1),
        ("/api/v2/steps?workflow-id=wf-rm", Fault::ServerError, 1),
        ("/api/v1/roles", Fault::Truncated, 1),
    ]);
    let (dir, snapshot) = workspace(true);
    let raw = dir.path().join("raw");
    let started = std::time::Instant::now();
    let out = pull(
        &server.url,
        &[
            "-o",
            snapshot.to_str().expect("utf-8"),
            "--save-raw",
            raw.to_str().expect("utf-8"),
        ],
        CLIENT,
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        started.elapsed() >= std::time::Duration::from_secs(1),
        "Retry-After was honoured"
    );
    assert_eq!(bodies(&snapshot), imported_bodies());
    let log = server.faults.lock().expect("log").log.clone();
    assert_eq!(
        log.iter()
            .filter(|l| l.starts_with("GET /api/v1/users"))
            .count(),
        2,
        "{log:?}"
    );
    assert_eq!(
        log.iter()
            .filter(|l| l.starts_with("GET /api/v1/roles"))
            .count(),
        2,
        "{log:?}"
    );
    // Three applications, two per page: two pages fetched.
    assert!(
        log.contains(&"GET /api/v2/applications?page=1&size=100".to_string()),
        "{log:?}"
    );
    // The raw responses are kept as fetched, and read back as the same tenant.
    let users = std::fs::read(raw.join("v1-users-page-0.json")).expect("raw users");
    assert_eq!(
        users,
        std::fs::read(Path::new(EXPORT).join("users.json")).expect("users")
    );
    let (_again, other) = workspace(false);
    let reimport = Command::new(env!("CARGO_BIN_EXE_rclint"))
        .args(["import", raw.to_str().expect("utf-8"), "-q", "-o"])
        .arg(&other)
        .output()
        .expect("import runs");
    assert_eq!(reimport.status.code(), Some(0), "{}", stderr(&reimport));
    assert_eq!(bodies(&other), bodies(&snapshot));
    // The pulled snapshot checks without integrity problems.
    let check = Command::new(env!("CARGO_BIN_EXE_rclint"))
        .args(["check", "-f", "json"])
        .arg(&snapshot)
        .output()
        .expect("check runs");
    let json = String::from_utf8_lossy(&check.stdout);
    for code in ["RC401", "RC402", "RC403"] {
        assert!(
            !json.contains(&format!("\"code\": \"{code}\"")),
            "{code}: {json}"
        );
    }
    let users = std::fs::read_to_string(snapshot.join("access/users.toml")).expect("users");
    assert!(
        users.contains(&format!("# source: {}\n", server.url)),
        "{users}"
    );
}

#[test]
fn a_refused_token_is_one_error_and_nothing_is_written() {
    let server = serve(vec![]);
    let (_dir, snapshot) = workspace(true);
    let before = tree(&snapshot);
    let out = pull(
        &server.url,
        &["-o", snapshot.to_str().expect("utf-8")],
        &[("RISKCLOUD_TOKEN", "tok-wrong-value-33aa")],
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out).trim_end(),
        "error: Risk Cloud refused the credentials (401 on /api/v2/applications?page=0&size=100): check RISKCLOUD_TOKEN, or RISKCLOUD_CLIENT_ID and RISKCLOUD_CLIENT_SECRET"
    );
    assert!(!stderr(&out).contains("tok-wrong-value-33aa"));
    assert_eq!(before, tree(&snapshot));
    // A wrong secret is refused at the token endpoint.
    let out = pull(
        &server.url,
        &["-o", snapshot.to_str().expect("utf-8")],
        &[
            ("RISKCLOUD_CLIENT_ID", CLIENT_ID),
            ("RISKCLOUD_CLIENT_SECRET", "wrong-secret-77"),
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("401 on /api/v1/account/token"),
        "{}",
        stderr(&out)
    );
    assert!(!stderr(&out).contains("wrong-secret-77"));
    assert_eq!(before, tree(&snapshot));
}

#[test]
fn a_server_that_keeps_failing_is_given_up_with_nothing_half_written() {
    let server = serve(vec![(
        "/api/v1/step-permission-sets/ps-wh",
        Fault::ServerError,
        u32::MAX,
    )]);
    let (_dir, snapshot) = workspace(true);
    let before = tree(&snapshot);
    let out = pull(
        &server.url,
        &["-o", snapshot.to_str().expect("utf-8")],
        CLIENT,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains(
            "/api/v1/step-permission-sets/ps-wh: gave up after 5 attempts: 500 from the server"
        ),
        "{}",
        stderr(&out)
    );
    assert_eq!(before, tree(&snapshot), "-o is written whole or not at all");
}

#[test]
fn a_forbidden_list_names_the_missing_permission() {
    let server = serve(vec![("/api/v1/users", Fault::Forbidden, u32::MAX)]);
    let (_dir, snapshot) = workspace(true);
    let out = pull(
        &server.url,
        &["-o", snapshot.to_str().expect("utf-8")],
        CLIENT,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out)
            .contains("the API user needs an Admin role to list users (403 on /api/v1/users"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn without_the_v1_paths_pull_fetches_what_it_can_and_exits_1() {
    let server = serve(vec![]);
    let (_dir, snapshot) = workspace(false);
    let out = pull(
        &server.url,
        &["-o", snapshot.to_str().expect("utf-8")],
        CLIENT,
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let said = stderr(&out);
    assert!(said.contains("missing: roles were not fetched"), "{said}");
    assert!(
        said.contains("missing: step permission sets were not fetched"),
        "{said}"
    );
    assert!(snapshot.join("applications/vendor-risk.toml").exists());
    let log = server.faults.lock().expect("log").log.clone();
    assert!(!log.iter().any(|l| l.contains("/api/v1/roles")), "{log:?}");
    // --quiet: nothing on stderr; the exit code still says it.
    let (_dir2, other) = workspace(false);
    let out = pull(
        &server.url,
        &["-q", "-o", other.to_str().expect("utf-8")],
        CLIENT,
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stderr(&out), "");
}

#[test]
fn pull_check_reports_a_grant_added_in_the_tenant() {
    let server = serve(vec![]);
    let (_dir, snapshot) = workspace(true);
    let snap = snapshot.to_str().expect("utf-8");
    assert_eq!(
        pull(&server.url, &["-o", snap, "-q"], CLIENT).status.code(),
        Some(0)
    );
    let out = pull(&server.url, &["--check", snap], CLIENT);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // In the committed snapshot, someone removes a grant by hand: the tenant
    // now holds more than the repository says.
    let roles = snapshot.join("access/roles.toml");
    let text = std::fs::read_to_string(&roles).expect("roles");
    let text = text.replacen(
        "    \"ADMIN\",\n    \"RECORDS\",\n",
        "    \"RECORDS\",\n",
        1,
    );
    std::fs::write(&roles, text).expect("write");
    let out = pull(&server.url, &["--check", snap, "-f", "sarif"], CLIENT);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).expect("SARIF");
    let results = sarif["runs"][0]["results"].as_array().expect("results");
    assert_eq!(results.len(), 1, "{results:?}");
    assert_eq!(results[0]["ruleId"], "RC601");
    assert!(
        results[0]["message"]["text"]
            .as_str()
            .expect("text")
            .contains("svc-incident-bridge")
    );
}

#[test]
fn the_secret_and_the_token_appear_in_no_output_and_no_file() {
    let server = serve(vec![("/api/v1/users", Fault::TooManyRequests, 1)]);
    let (dir, snapshot) = workspace(true);
    let raw = dir.path().join("raw");
    let runs = [
        pull(
            &server.url,
            &[
                "-o",
                snapshot.to_str().expect("utf-8"),
                "--save-raw",
                raw.to_str().expect("utf-8"),
            ],
            CLIENT,
        ),
        pull(
            &server.url,
            &["--check", snapshot.to_str().expect("utf-8"), "-f", "sarif"],
            CLIENT,
        ),
        pull(
            &server.url,
            &["--check", snapshot.to_str().expect("utf-8")],
            CLIENT,
        ),
        pull(
            &server.url,
            &["-o", snapshot.to_str().expect("utf-8")],
            &[
                ("RISKCLOUD_CLIENT_ID", CLIENT_ID),
                ("RISKCLOUD_CLIENT_SECRET", "x"),
            ],
        ),
        pull(
            "http://acme.example",
            &["-o", snapshot.to_str().expect("utf-8")],
            CLIENT,
        ),
    ];
    assert_eq!(runs[0].status.code(), Some(0), "{}", stderr(&runs[0]));
    for run in &runs {
        for stream in [&run.stdout, &run.stderr] {
            let text = String::from_utf8_lossy(stream);
            for secret in [SECRET, TOKEN] {
                assert!(!text.contains(secret), "{secret} in {text}");
            }
        }
    }
    for (name, bytes) in tree(dir.path()) {
        let text = String::from_utf8_lossy(&bytes);
        for secret in [SECRET, TOKEN, CLIENT_ID] {
            assert!(!text.contains(secret), "{secret} in {name}");
        }
    }
    assert!(
        stderr(&runs[4]).contains("--url must be https://"),
        "{}",
        stderr(&runs[4])
    );
}

#[test]
fn a_request_that_hangs_times_out_and_is_tried_again() {
    let server = serve(vec![("/api/v1/users", Fault::Slow, 1)]);
    let (_dir, snapshot) = workspace(true);
    let out = pull(
        &server.url,
        &["-o", snapshot.to_str().expect("utf-8"), "--timeout", "1"],
        CLIENT,
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let log = server.faults.lock().expect("log").log.clone();
    // The fake server answers one request at a time: while it sleeps on
    // the first, a retry may time out too; then one is answered.
    let asked = log
        .iter()
        .filter(|l| l.starts_with("GET /api/v1/users"))
        .count();
    assert!(
        (2..=5).contains(&asked),
        "timed out, then answered: {log:?}"
    );
    assert_eq!(bodies(&snapshot), imported_bodies());
}

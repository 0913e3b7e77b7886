//! A fake Risk Cloud: a real HTTP server on 127.0.0.1 that serves the test
//! tenant (`tests/data/riskcloud/export`) in the documented shapes, with
//! pagination, the faults a real tenant shows, and any hostile answer a
//! test puts in front of it.

use super::tree;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};

pub const EXPORT: &str = "tests/data/riskcloud/export";
pub const HAND_WRITTEN: &str = "tests/data/riskcloud/snapshot";
pub const CLIENT_ID: &str = "rclint-test-client-7f3a";
pub const SECRET: &str = "S3cr3t-never-printed-91c2";
pub const TOKEN: &str = "tok-issued-never-printed-5be8";
pub const PULL_PATHS: &str = "\n[pull]\nroles = \"/api/v1/roles\"\npermission_sets = \"/api/v1/step-permission-sets\"\npermission_set = \"/api/v1/step-permission-sets/{id}\"\n";

/// A fault the server shows once (or always) on requests whose path starts
/// with a prefix.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Fault {
    TooManyRequests,
    ServerError,
    Truncated,
    Forbidden,
    /// Answers only after 3 seconds.
    Slow,
    /// Answers in ten pieces, 400 ms apart: 4 seconds in all, never
    /// silent for more than 0.4 s.
    Trickle,
}

#[derive(Default)]
pub struct Faults {
    /// (path prefix, fault, times left; u32::MAX: always).
    pub planned: Vec<(String, Fault, u32)>,
    /// Every request: method and path with query.
    pub log: Vec<String>,
    /// When a token was issued, epoch ms: each is a roll of the account's
    /// token, seen in the access audits.
    pub rolls: Vec<i64>,
}

/// The fake tenant, serving on a free port until dropped.
pub struct FakeRiskCloud {
    pub url: String,
    pub faults: Arc<Mutex<Faults>>,
    _server: super::http::Server,
}

pub fn read_json(name: &str) -> serde_json::Value {
    let text = std::fs::read_to_string(Path::new(EXPORT).join(name)).expect("export file");
    serde_json::from_str(&text).expect("export JSON")
}

/// The elements of every file of the export whose name starts with `prefix`.
pub fn elements(prefix: &str) -> Vec<serde_json::Value> {
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

pub fn query(url: &str) -> BTreeMap<String, String> {
    url.split_once('?')
        .map(|(_, q)| q)
        .unwrap_or("")
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// A v2 page of `items`, two per page whatever `size` asks.
pub fn page(items: Vec<serde_json::Value>, q: &BTreeMap<String, String>) -> String {
    let size = 2;
    let number: usize = q.get("page").and_then(|p| p.parse().ok()).unwrap_or(0);
    let total_elements = items.len();
    let total_pages = items.len().div_ceil(size).max(1);
    let content: Vec<_> = items.into_iter().skip(number * size).take(size).collect();
    serde_json::json!({
        "content": content,
        "links": {},
        "page": {"size": size, "totalElements": total_elements, "totalPages": total_pages, "number": number}
    })
    .to_string()
}

/// The tenant's answer. `rolls`: when tokens were issued (epoch ms): as in
/// Risk Cloud, each issue rolls the API user's token, an access audit
/// event of `svc-secops` (the account the tests pull as).
pub fn answer(
    method: &str,
    url: &str,
    authorization: Option<&str>,
    rolls: &[i64],
) -> (u16, String) {
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
        // Served as saved (with the repeated key of the published samples),
        // but, as Risk Cloud does, without the locked roles.
        "/api/v1/roles" => {
            let text =
                std::fs::read_to_string(Path::new(EXPORT).join("roles.json")).expect("roles");
            let roles: Vec<serde_json::Value> = serde_json::from_str(&text).expect("roles");
            if roles.iter().any(|r| r["locked"] == true) {
                let unlocked: Vec<_> = roles.into_iter().filter(|r| r["locked"] != true).collect();
                (200, serde_json::Value::Array(unlocked).to_string())
            } else {
                (200, text)
            }
        }
        "/api/v1/step-permission-sets" => (200, read_json("permission-sets.json").to_string()),
        // As the v2 OpenAPI file says: created-min is epoch milliseconds,
        // and anything else is a 400.
        "/api/v2/audits/access"
            if q.get("created-min")
                .is_some_and(|m| m.parse::<i64>().is_err()) =>
        {
            (
                400,
                serde_json::json!({"status": 400, "message": "created-min must be an integer"})
                    .to_string(),
            )
        }
        "/api/v2/audits/access" => {
            let mut events = elements("audits-");
            events.extend(rolls.iter().map(|at| {
                serde_json::json!({"id": format!("roll-{at}"), "type": "TOKEN_ROLLED", "user": {"id": "u-so"}, "created": at, "object": "access_audit"})
            }));
            let ms = |v: &serde_json::Value| match v {
                serde_json::Value::Number(n) => n.as_i64(),
                serde_json::Value::String(s) => s
                    .parse::<jiff::Timestamp>()
                    .ok()
                    .map(|t| t.as_millisecond()),
                _ => None,
            };
            let bound = |key: &str| q.get(key).and_then(|v| v.parse::<i64>().ok());
            let (min, max) = (bound("created-min"), bound("created-max"));
            events.retain(|e| {
                let at = ms(&e["created"]).unwrap_or(0);
                min.is_none_or(|m| at >= m) && max.is_none_or(|m| at <= m)
            });
            (200, page(by(events, "type", "/type"), &q))
        }
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

/// An answer a test gives in place of the tenant's.
pub use super::http::Reply;

/// Given the method and the URL (path and query), a hostile answer, or
/// `None` to answer as the tenant does.
pub type Hostile = Box<dyn Fn(&str, &str) -> Option<Reply> + Send + Sync>;

pub fn serve(faults: Vec<(&str, Fault, u32)>) -> FakeRiskCloud {
    serve_hostile(faults, Box::new(|_, _| None))
}

/// The fake tenant, with `hostile` answering first.
pub fn serve_hostile(faults: Vec<(&str, Fault, u32)>, hostile: Hostile) -> FakeRiskCloud {
    let faults = Arc::new(Mutex::new(Faults {
        planned: faults
            .into_iter()
            .map(|(p, f, n)| (p.to_string(), f, n))
            .collect(),
        log: Vec::new(),
        rolls: Vec::new(),
    }));
    let f = faults.clone();
    let server = super::http::start(move |request| {
        let (method, url) = (request.method.as_str(), request.url.as_str());
        let authorization = request.authorization.as_deref();
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
        match fault {
            Some(Fault::TooManyRequests) => Reply {
                status: 429,
                headers: vec![("Retry-After", "1".to_string())],
                body: b"{}".to_vec(),
            },
            Some(Fault::ServerError) => Reply {
                status: 500,
                headers: Vec::new(),
                body: b"{\"error\":\"boom\"}".to_vec(),
            },
            Some(Fault::Forbidden) => Reply {
                status: 403,
                headers: Vec::new(),
                body: b"{}".to_vec(),
            },
            Some(Fault::Truncated) => {
                let rolls = f.lock().expect("state").rolls.clone();
                let (_, full) = answer(method, url, authorization, &rolls);
                Reply::json(full[..full.len() / 2].to_string())
            }
            Some(Fault::Trickle) => {
                let rolls = f.lock().expect("state").rolls.clone();
                let (status, body) = answer(method, url, authorization, &rolls);
                Reply {
                    status,
                    headers: vec![(super::http::TRICKLE, "400".to_string())],
                    body: body.into_bytes(),
                }
            }
            None | Some(Fault::Slow) => hostile(method, url).unwrap_or_else(|| {
                let rolls = f.lock().expect("state").rolls.clone();
                let (status, body) = answer(method, url, authorization, &rolls);
                if status == 200 && url.starts_with("/api/v1/account/token") {
                    f.lock()
                        .expect("state")
                        .rolls
                        .push(jiff::Timestamp::now().as_millisecond());
                }
                Reply {
                    status,
                    headers: Vec::new(),
                    body: body.into_bytes(),
                }
            }),
        }
    })
    .expect("bind 127.0.0.1");
    FakeRiskCloud {
        url: format!("http://127.0.0.1:{}", server.port),
        faults,
        _server: server,
    }
}

/// A temporary folder with `snapshot/` (the hand-written part, with the
/// `[pull]` paths in its rclint.toml) and room for `raw/`.
pub fn workspace(with_paths: bool) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let snapshot = dir.path().join("snapshot");
    super::copy_dir(Path::new(HAND_WRITTEN), &snapshot);
    if with_paths {
        let config = snapshot.join("rclint.toml");
        let mut text = std::fs::read_to_string(&config).expect("config");
        text.push_str(PULL_PATHS);
        std::fs::write(&config, text).expect("config");
    }
    (dir, snapshot)
}

pub fn pull(url: &str, args: &[&str], env: &[(&str, &str)]) -> Output {
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

pub const CLIENT: &[(&str, &str)] = &[
    ("RISKCLOUD_CLIENT_ID", CLIENT_ID),
    ("RISKCLOUD_CLIENT_SECRET", SECRET),
];

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The generated files without their header comments: what the tenant says.
pub fn bodies(dir: &Path) -> BTreeMap<String, String> {
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
pub fn imported_bodies() -> BTreeMap<String, String> {
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

//! Import, pull and diff against a hostile export, server or folder: each
//! case here is an attack that worked before it was fixed (issue "Import,
//! pull and diff that a hostile export, server or folder cannot turn
//! against the repository"). The fake tenant plays the hostile server.

mod common;

use common::riskcloud::*;
use common::tree;
use std::path::Path;
use std::process::Output;
use std::time::{Duration, Instant};

fn path(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

#[test]
fn userinfo_in_the_url_never_sends_the_secret_to_the_host_it_hides() {
    let host = serve(vec![]);
    let port = host.url.rsplit(':').next().expect("port");
    let (_dir, snapshot) = workspace(true);
    for url in [
        format!("http://127.0.0.1:pw-leak-41@127.0.0.1:{port}"),
        format!("http://user:pw-leak-41@127.0.0.1:{port}"),
        format!("HTTPS://user:pw-leak-41@127.0.0.1:{port}"),
    ] {
        let out = pull(&url, &["-o", path(&snapshot)], CLIENT);
        assert_eq!(out.status.code(), Some(2), "{url}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("user name or password"),
            "{}",
            stderr(&out)
        );
        assert!(!stderr(&out).contains("pw-leak-41"), "{}", stderr(&out));
    }
    let log = host.faults.lock().expect("log").log.clone();
    assert!(log.is_empty(), "nothing may reach the hidden host: {log:?}");
    assert!(!snapshot.join("access").exists(), "nothing written");
}

#[test]
fn a_pull_path_in_the_config_cannot_send_the_token_to_another_host() {
    let tenant = serve(vec![]);
    let other = serve(vec![]);
    let other_host = other.url.trim_start_matches("http://").to_string();
    let (_dir, snapshot) = workspace(false);
    let config = snapshot.join("rclint.toml");
    let mut text = std::fs::read_to_string(&config).expect("config");
    text.push_str(&format!(
        "\n[pull]\nroles = \"@{other_host}/api/v1/roles\"\npermission_sets = \"/api/v1/step-permission-sets\"\npermission_set = \"/api/v1/step-permission-sets/{{id}}\"\n"
    ));
    std::fs::write(&config, text).expect("config");
    let out = pull(&tenant.url, &["-o", path(&snapshot)], CLIENT);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("/api/v1/"), "{}", stderr(&out));
    let log = other.faults.lock().expect("log").log.clone();
    assert!(log.is_empty(), "the token went to another host: {log:?}");
}

/// A pull of the fake tenant with `hostile` answering first; its output
/// and how long it took.
fn pull_hostile(hostile: Hostile, args: &[&str]) -> (Output, Duration, Vec<String>) {
    let server = serve_hostile(vec![], hostile);
    let (_dir, snapshot) = workspace(true);
    let before = tree(&snapshot);
    let mut all = vec!["-o", path(&snapshot)];
    all.extend_from_slice(args);
    let started = Instant::now();
    let out = pull(&server.url, &all, CLIENT);
    let took = started.elapsed();
    if out.status.code() == Some(2) {
        assert_eq!(before, tree(&snapshot), "exit 2 writes nothing");
    }
    let log = server.faults.lock().expect("log").log.clone();
    (out, took, log)
}

/// A v2 page of `n` applications numbered from `from`.
fn applications(from: usize, n: usize, page: serde_json::Value) -> Reply {
    let content: Vec<_> = (from..from + n)
        .map(|i| serde_json::json!({"id": format!("app-{i}"), "name": format!("App {i}"), "object": "application", "restrictBuildAccess": false}))
        .collect();
    Reply::json(serde_json::json!({"content": content, "links": {}, "page": page}).to_string())
}

fn page_number(url: &str) -> usize {
    query(url)
        .get("page")
        .and_then(|p| p.parse().ok())
        .unwrap_or(0)
}

#[test]
fn a_list_that_repeats_its_page_ends_the_pull() {
    let (out, took, log) = pull_hostile(
        Box::new(|_, url| {
            url.starts_with("/api/v2/applications").then(|| {
                applications(0, 2, serde_json::json!({"size": 2, "totalPages": 1_000_000, "number": page_number(url)}))
            })
        }),
        &[],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("page 1 repeats page 0"),
        "{}",
        stderr(&out)
    );
    assert!(took < Duration::from_secs(20), "{took:?}");
    assert!(log.len() < 10, "{} requests", log.len());
}

#[test]
fn a_list_longer_than_its_total_ends_the_pull() {
    let (out, _, _) = pull_hostile(
        Box::new(|_, url| {
            url.starts_with("/api/v2/applications").then(|| {
                let n = page_number(url);
                applications(n * 2, 2, serde_json::json!({"size": 2, "totalPages": 1_000_000, "totalElements": 5, "number": n}))
            })
        }),
        &[],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("6 elements by page 2, more than the 5"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn an_endless_list_is_stopped_by_the_deadline() {
    let (out, took, _) = pull_hostile(
        Box::new(|_, url| {
            url.starts_with("/api/v2/applications").then(|| {
                let n = page_number(url);
                applications(
                    n * 2,
                    2,
                    serde_json::json!({"size": 2, "totalPages": 1_000_000, "number": n}),
                )
            })
        }),
        &["--deadline", "3"],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("--deadline"), "{}", stderr(&out));
    assert!(took < Duration::from_secs(15), "{took:?}");
}

#[test]
fn a_gzip_bomb_is_refused_at_the_response_cap() {
    use std::io::Write;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    let zeros = vec![b' '; 1 << 20];
    for _ in 0..100 {
        encoder.write_all(&zeros).expect("gzip");
    }
    let bomb = std::sync::Arc::new(encoder.finish().expect("gzip"));
    assert!(bomb.len() < 1 << 20, "a small body");
    let (out, took, log) = pull_hostile(
        Box::new(move |_, url| {
            url.starts_with("/api/v1/users").then(|| Reply {
                status: 200,
                headers: vec![
                    ("Content-Encoding", "gzip".to_string()),
                    ("Content-Type", "application/json".to_string()),
                ],
                body: bomb.to_vec(),
            })
        }),
        &[],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("larger than 64 MiB once decompressed"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        log.iter()
            .filter(|l| l.starts_with("GET /api/v1/users"))
            .count(),
        1,
        "not retried: {log:?}"
    );
    assert!(took < Duration::from_secs(20), "{took:?}");
}

#[test]
fn a_huge_retry_after_ends_the_pull_instead_of_holding_it() {
    let (out, took, _) = pull_hostile(
        Box::new(|_, url| {
            url.starts_with("/api/v1/users").then(|| Reply {
                status: 429,
                headers: vec![("Retry-After", "86400".to_string())],
                body: b"{}".to_vec(),
            })
        }),
        &[],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("asked to wait 86400 s"),
        "{}",
        stderr(&out)
    );
    assert!(took < Duration::from_secs(10), "{took:?}");
}

#[test]
fn a_plain_array_page_that_comes_back_full_is_followed_by_the_next() {
    // 122 users, answered as plain arrays of at most `size`: 100, then 22.
    let users: Vec<serde_json::Value> = (0..122)
        .map(|i| serde_json::json!({"id": format!("u-{i:03}"), "email": format!("user{i:03}@acme.example"), "active": true, "serviceAccount": false, "roleIds": []}))
        .collect();
    let (out, _, log) = {
        let server = serve_hostile(
            vec![],
            Box::new(move |_, url| {
                url.starts_with("/api/v1/users").then(|| {
                    let q = query(url);
                    let size: usize = q.get("size").and_then(|s| s.parse().ok()).unwrap_or(100);
                    let page: Vec<_> = users
                        .iter()
                        .skip(page_number(url) * size)
                        .take(size)
                        .cloned()
                        .collect();
                    Reply::json(serde_json::Value::Array(page).to_string())
                })
            }),
        );
        let (dir, snapshot) = workspace(true);
        let out = pull(&server.url, &["-o", path(&snapshot)], CLIENT);
        let text = std::fs::read_to_string(snapshot.join("access/users.toml")).unwrap_or_default();
        assert!(
            text.contains("user121@acme.example"),
            "the second page was read"
        );
        assert!(text.contains("user000@acme.example"));
        drop(dir);
        let log = server.faults.lock().expect("log").log.clone();
        (out, (), log)
    };
    assert!(out.status.code() != Some(2), "{}", stderr(&out));
    let pages: Vec<_> = log
        .iter()
        .filter(|l| l.starts_with("GET /api/v1/users"))
        .collect();
    assert_eq!(pages.len(), 2, "{pages:?}");
}

#[test]
fn a_token_holding_a_line_break_is_named_as_such() {
    let (out, _, _) = pull_hostile(
        Box::new(|method, url| {
            (method == "POST" && url.starts_with("/api/v1/account/token")).then(|| {
                Reply::json(
                    serde_json::json!({"access_token": "abc\r\nX-Injected: 1", "token_type": "bearer"})
                        .to_string(),
                )
            })
        }),
        &[],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("line break"), "{}", stderr(&out));
}

//! `rclint pull` against a fake Risk Cloud: a real HTTP server on 127.0.0.1
//! that serves the test tenant in the documented shapes, with pagination,
//! and the faults a real tenant shows (a refused token, 429 with
//! Retry-After, a 500, a truncated body). Every fault ends in the right
//! snapshot or the right error, nothing is half-written, and the secret and
//! the token appear nowhere.

use crate::common;

use common::riskcloud::*;
use common::tree;
use std::path::Path;
use std::process::Command;

#[test]
fn pull_through_429_500_and_a_truncated_body_ends_in_the_imported_snapshot() {
    let server = serve(vec![
        ("/api/v1/users", Fault::TooManyRequests, 1),
        ("/api/v2/steps", Fault::ServerError, 1),
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
    // Workflows and steps as whole lists, not one list per application
    // and per workflow.
    assert!(
        log.iter()
            .all(|l| !l.contains("application-id=") && !l.contains("workflow-id=")),
        "{log:?}"
    );
    // Three applications, two per page: two pages fetched.
    assert!(
        log.contains(&"GET /api/v2/applications?page=1&size=1000".to_string()),
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
    // The source is the host and port: no scheme, userinfo or query.
    let manifest = std::fs::read_to_string(snapshot.join("rclint-import.toml")).expect("manifest");
    let host = server.url.trim_start_matches("http://");
    assert!(
        manifest.contains(&format!("source = \"{host}\"\n")),
        "{manifest}"
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
        "error: Risk Cloud refused the credentials (401 on /api/v2/applications?page=0&size=1000): check RISKCLOUD_TOKEN, or RISKCLOUD_CLIENT_ID and RISKCLOUD_CLIENT_SECRET"
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
        stderr(&out).contains(
            "the API user needs an Admin (Primary) account to list users (403 on /api/v1/users"
        ),
        "{}",
        stderr(&out)
    );
}

#[test]
fn without_the_permission_set_paths_pull_fetches_the_rest_and_exits_1() {
    let server = serve(vec![]);
    let (_dir, snapshot) = workspace(false);
    let out = pull(
        &server.url,
        &["-o", snapshot.to_str().expect("utf-8")],
        CLIENT,
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let said = stderr(&out);
    assert!(!said.contains("missing: roles"), "{said}");
    assert!(
        said.contains("missing: step permission sets were not fetched"),
        "{said}"
    );
    assert!(snapshot.join("applications/vendor-risk.toml").exists());
    // Roles come from the documented path without any configuration.
    let log = server.faults.lock().expect("log").log.clone();
    assert!(
        log.iter().any(|l| l.starts_with("GET /api/v1/roles?")),
        "{log:?}"
    );
    assert!(snapshot.join("access/roles.toml").exists());
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

/// A pull with `--timeout 1` whose first users request shows `fault`,
/// which ends in the imported snapshot: the server's request log.
fn pull_with_timeout_1(fault: Fault) -> Vec<String> {
    let server = serve(vec![("/api/v1/users", fault, 1)]);
    let (_dir, snapshot) = workspace(true);
    let out = pull(
        &server.url,
        &["-o", snapshot.to_str().expect("utf-8"), "--timeout", "1"],
        CLIENT,
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(bodies(&snapshot), imported_bodies());
    server.faults.lock().expect("log").log.clone()
}

#[test]
fn a_request_that_hangs_times_out_and_is_tried_again() {
    let log = pull_with_timeout_1(Fault::Slow);
    // Each page of users is one request, tried at most five times; the
    // first timed out, so at least one was asked twice. (A loaded machine
    // may time out another: the bounds hold whatever the load.)
    let users: Vec<&String> = log
        .iter()
        .filter(|l| l.starts_with("GET /api/v1/users"))
        .collect();
    let pages: std::collections::BTreeSet<&String> = users.iter().copied().collect();
    assert!(
        users.len() > pages.len() && users.len() <= 5 * pages.len(),
        "timed out, then answered: {log:?}"
    );
}

#[test]
fn an_answer_that_keeps_coming_is_not_cut_off_by_the_timeout() {
    // Four seconds for the users, never more than 0.4 s without a byte:
    // --timeout 1 is an idle timeout, not a limit on the whole answer.
    let log = pull_with_timeout_1(Fault::Trickle);
    let users = log
        .iter()
        .filter(|l| l.starts_with("GET /api/v1/users"))
        .count();
    assert_eq!(
        users, 1,
        "answered once, not timed out and retried: {log:?}"
    );
}

#[test]
fn audits_are_asked_from_epoch_milliseconds_and_a_refusal_is_said_not_fatal() {
    let server = serve(vec![]);
    let (_dir, snapshot) = workspace(true);
    let out = pull(
        &server.url,
        &["-o", snapshot.to_str().expect("utf-8")],
        CLIENT,
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let log = server.faults.lock().expect("log").log.clone();
    let audits: Vec<_> = log
        .iter()
        .filter(|l| l.contains("/api/v2/audits/access"))
        .collect();
    assert!(!audits.is_empty(), "{log:?}");
    for line in &audits {
        let q = query(line);
        let since = q.get("created-min").expect("created-min");
        assert!(since.parse::<i64>().is_ok(), "epoch ms, not {since}");
    }
    // An API user without the Productivity entitlement: the pull goes on.
    let server = serve(vec![("/api/v2/audits/access", Fault::Forbidden, u32::MAX)]);
    let (_dir, snapshot) = workspace(true);
    let out = pull(
        &server.url,
        &["-o", snapshot.to_str().expect("utf-8")],
        CLIENT,
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("missing: the access audits were not served (the API user needs the Productivity report entitlement (R_PRODUCTIVITY)"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_stored_token_asks_for_no_token_and_the_pulls_own_roll_is_not_counted() {
    let server = serve(vec![]);
    let (_dir, snapshot) = workspace(true);
    let out = pull(
        &server.url,
        &["-o", snapshot.to_str().expect("utf-8")],
        &[("RISKCLOUD_TOKEN", TOKEN)],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        !stderr(&out).contains("ends every other token"),
        "{}",
        stderr(&out)
    );
    let log = server.faults.lock().expect("log").log.clone();
    assert!(!log.iter().any(|l| l.starts_with("POST")), "{log:?}");
    let with_token = std::fs::read_to_string(snapshot.join("access/users.toml")).expect("users");
    // With a client id and secret: said once, and the roll the exchange
    // causes (the fake tenant records it, as Risk Cloud does) is not counted.
    let out = pull(
        &server.url,
        &["-o", snapshot.to_str().expect("utf-8")],
        CLIENT,
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stderr(&out).matches("ends every other token").count(), 1);
    assert_eq!(server.faults.lock().expect("log").rolls.len(), 1);
    let with_client = std::fs::read_to_string(snapshot.join("access/users.toml")).expect("users");
    let rolls = |text: &str| {
        text.lines()
            .filter(|l| l.starts_with("token_rolls ="))
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    assert_eq!(rolls(&with_client), rolls(&with_token));
}

#[test]
fn a_locked_role_a_user_holds_is_kept_and_fails_check_naming_its_id() {
    // /api/v1/roles answers unlocked roles only: lock the Warehouse role.
    let server = serve_hostile(
        vec![],
        Box::new(|_, url| {
            url.starts_with("/api/v1/roles").then(|| {
                let text =
                    std::fs::read_to_string(Path::new(EXPORT).join("roles.json")).expect("roles");
                let roles: Vec<serde_json::Value> = serde_json::from_str(&text).expect("roles");
                let unlocked: Vec<_> = roles.into_iter().filter(|r| r["id"] != "r-wh").collect();
                Reply::json(serde_json::Value::Array(unlocked).to_string())
            })
        }),
    );
    let (_dir, snapshot) = workspace(true);
    let out = pull(
        &server.url,
        &["-o", snapshot.to_str().expect("utf-8")],
        CLIENT,
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(
            "names role id r-wh, which no role has (GET /api/v1/roles does not return locked roles)"
        ),
        "{}",
        stderr(&out)
    );
    let check = Command::new(env!("CARGO_BIN_EXE_rclint"))
        .args(["check", "-f", "concise"])
        .arg(&snapshot)
        .output()
        .expect("check runs");
    assert_eq!(check.status.code(), Some(1));
    let text = String::from_utf8_lossy(&check.stdout);
    assert!(
        text.contains("access/users.toml:")
            && text.contains("RC402 error: unknown role 'unresolved role id r-wh'"),
        "{text}"
    );
}

#[test]
fn what_the_api_user_cannot_see_is_kept_said_and_fails_check() {
    // GET /api/v2/applications lists only what the API user has Build
    // Access to: here only Policy Management, not Vendor Risk.
    let server = serve_hostile(
        vec![],
        Box::new(|_, url| {
            url.starts_with("/api/v2/applications").then(|| {
                let visible: Vec<_> = elements("applications-page-")
                    .into_iter()
                    .filter(|a| a["id"] != "app-vr")
                    .collect();
                Reply::json(
                    serde_json::json!({"content": visible, "links": {}, "page": {"size": 100, "number": 0, "totalPages": 1, "totalElements": visible.len()}})
                        .to_string(),
                )
            })
        }),
    );
    let (_dir, snapshot) = workspace(true);
    let out = pull(
        &server.url,
        &["-o", snapshot.to_str().expect("utf-8")],
        CLIENT,
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("names step id st-review, which no step fetched has (its application app-vr is not visible to the API user"),
        "{}",
        stderr(&out)
    );
    let check = Command::new(env!("CARGO_BIN_EXE_rclint"))
        .args(["check", "-f", "concise"])
        .arg(&snapshot)
        .output()
        .expect("check runs");
    assert_eq!(check.status.code(), Some(1));
    let text = String::from_utf8_lossy(&check.stdout);
    assert!(
        text.contains("RC402 error: unknown step 'unresolved step id st-review'"),
        "{text}"
    );
}

#[test]
fn no_more_requests_are_in_flight_than_the_concurrency_and_the_same_tenant_comes_out() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    // Each answer takes 100 ms, so requests sent side by side overlap.
    let pulled = |concurrency: &str| {
        let now = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        let (n, m) = (now.clone(), most.clone());
        let server = serve_hostile(
            vec![],
            Box::new(move |_, _| {
                let inside = n.fetch_add(1, Ordering::SeqCst) + 1;
                m.fetch_max(inside, Ordering::SeqCst);
                std::thread::sleep(std::time::Duration::from_millis(100));
                n.fetch_sub(1, Ordering::SeqCst);
                None
            }),
        );
        let (dir, snapshot) = workspace(true);
        let out = pull(
            &server.url,
            &[
                "-o",
                snapshot.to_str().expect("utf-8"),
                "--concurrency",
                concurrency,
            ],
            CLIENT,
        );
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let bodies = bodies(&snapshot);
        drop(dir);
        (most.load(Ordering::SeqCst), bodies)
    };
    let (one, alone) = pulled("1");
    let (three, side_by_side) = pulled("3");
    assert_eq!(one, 1, "one request at a time");
    assert_eq!(three, 3, "three at a time, and never more");
    assert_eq!(alone, side_by_side, "the same snapshot either way");
}

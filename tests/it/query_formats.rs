//! One set of flags: `-f json` on `why`, `who-can` and `deps` (the same
//! answer as the text, for tools), and `-o FILE` on `derive`, `graph` and
//! `diff` (the same bytes as stdout, in a file).

use crate::common::cli::rclint;
use serde_json::Value;
use std::process::Output;

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

#[test]
fn why_answers_in_json_with_the_exit_code_of_the_text() {
    let held = rclint(&[
        "why",
        "svc-incident-bridge",
        "module:ADMIN",
        "fixtures/acme",
        "-f",
        "json",
    ]);
    assert_eq!(held.status.code(), Some(0));
    let answer = json(&held);
    assert_eq!(answer["account"], "svc-incident-bridge");
    assert_eq!(answer["asked"], "module:ADMIN");
    assert_eq!(answer["holds"], true);
    let hops = answer["paths"][0]["hops"].as_array().expect("hops");
    assert_eq!(hops[0]["label"], "user svc-incident-bridge");
    assert_eq!(hops[1]["label"], "role Integration: Incident Bridge");
    assert_eq!(hops[1]["file"], "fixtures/acme/users.toml");
    assert!(hops[1]["line"].as_u64().is_some_and(|l| l > 0));

    // The same paths as the text, one per line.
    let text = rclint(&["why", "svc-incident-bridge", "fixtures/acme"]);
    let lines = String::from_utf8_lossy(&text.stdout).lines().count();
    let all = json(&rclint(&[
        "why",
        "svc-incident-bridge",
        "fixtures/acme",
        "-f",
        "json",
    ]));
    assert_eq!(all["paths"].as_array().expect("paths").len(), lines);
    assert_eq!(all["asked"], Value::Null);

    let not_held = rclint(&[
        "why",
        "svc-risk-sync",
        "module:ADMIN",
        "fixtures/acme",
        "-f",
        "json",
    ]);
    assert_eq!(not_held.status.code(), Some(1), "no is exit 1 in JSON too");
    assert_eq!(json(&not_held)["holds"], false);
}

#[test]
fn who_can_answers_in_json_with_every_holder_of_the_text() {
    let text = rclint(&["who-can", "module:RECORDS", "fixtures/acme"]);
    let mut from_text: Vec<String> = String::from_utf8_lossy(&text.stdout)
        .lines()
        .filter_map(|l| l.split(" holds ").next())
        .map(|n| n.trim_end_matches(" (inactive)").to_string())
        .collect();
    from_text.dedup();
    let answer = json(&rclint(&[
        "who-can",
        "module:RECORDS",
        "fixtures/acme",
        "-f",
        "json",
    ]));
    assert_eq!(answer["grant"], "module:RECORDS");
    let holders = answer["holders"].as_array().expect("holders");
    let from_json: Vec<String> = holders
        .iter()
        .map(|h| h["account"].as_str().expect("account").to_string())
        .collect();
    assert_eq!(from_json, from_text);
    let paths: usize = holders
        .iter()
        .map(|h| h["paths"].as_array().expect("paths").len())
        .sum();
    assert_eq!(paths, String::from_utf8_lossy(&text.stdout).lines().count());

    // Nobody: an empty list, still JSON.
    let nobody = json(&rclint(&[
        "who-can",
        "module:ADMIN",
        "fixtures/rules/excess-step-access/fail",
        "-f",
        "json",
    ]));
    assert_eq!(nobody["holders"], serde_json::json!([]));
}

#[test]
fn deps_answers_in_json() {
    let answer = json(&rclint(&[
        "deps",
        "svc-secops",
        "fixtures/acme",
        "-f",
        "json",
    ]));
    assert_eq!(answer["account"], "svc-secops");
    let integrations = answer["integrations"].as_array().expect("integrations");
    let names: Vec<&str> = integrations
        .iter()
        .filter_map(|i| i["name"].as_str())
        .collect();
    assert_eq!(names, ["PagerDuty Sync", "Incident Digest"]);
    assert_eq!(integrations[1]["owner"], Value::Null);
    assert_eq!(
        answer["no_owner_declared"],
        serde_json::json!(["Incident Digest"])
    );
    assert!(integrations[0]["line"].as_u64().is_some());
}

#[test]
fn a_hostile_name_is_a_json_string_in_every_query_format() {
    let dir = tempfile::tempdir().expect("tempdir");
    let name = "svc-\u{1b}[31mred\nnext \"quoted\" \u{202e}";
    std::fs::write(
        dir.path().join("a.toml"),
        format!(
            "[[role]]\nname = \"R\"\nmodules = [\"RECORDS\"]\n\n[[user]]\nname = {}\nservice_account = true\nroles = [\"R\"]\n\n[[integration]]\nname = \"I\"\naccount = {0}\nowner = {0}\n",
            rclint::escape::toml(name)
        ),
    )
    .expect("write");
    let path = dir.path().to_str().expect("UTF-8");
    for args in [
        vec!["who-can", "module:RECORDS", path, "-f", "json"],
        vec!["why", name, path, "-f", "json"],
        vec!["deps", name, path, "-f", "json"],
    ] {
        let out = rclint(&args);
        assert!(!out.stdout.contains(&0x1b), "{args:?}: no raw ESC");
        let answer = json(&out);
        assert!(
            answer
                .to_string()
                .contains("svc-\\u001b[31mred\\nnext \\\"quoted\\\""),
            "{args:?}: {answer}"
        );
    }
}

#[test]
fn derive_graph_and_diff_write_to_o_the_bytes_they_print() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cases: Vec<Vec<&str>> = vec![
        vec![
            "derive",
            "fixtures/acme",
            "--account",
            "svc-warehouse-export",
            "-f",
            "toml",
        ],
        vec!["graph", "fixtures/acme", "--account", "svc-risk-sync"],
        vec![
            "diff",
            "fixtures/rules/access-added/fail/old",
            "fixtures/rules/access-added/fail/new",
            "-f",
            "json",
        ],
    ];
    for args in cases {
        let printed = rclint(&args);
        let file = dir.path().join(format!("{}.out", args[0]));
        let mut with_o = args.clone();
        with_o.extend(["-o", file.to_str().expect("UTF-8")]);
        let written = rclint(&with_o);
        assert_eq!(written.status.code(), printed.status.code(), "{args:?}");
        assert!(written.stdout.is_empty(), "{args:?}: nothing on stdout");
        let bytes = std::fs::read(&file).unwrap_or_else(|e| panic!("{args:?}: {e}"));
        assert!(!bytes.is_empty(), "{args:?}");
        assert_eq!(bytes, printed.stdout, "{args:?}");
    }
}

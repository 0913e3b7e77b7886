//! Import, pull and diff against a hostile export, server or folder: each
//! case here is an attack that worked before it was fixed (issue "Import,
//! pull and diff that a hostile export, server or folder cannot turn
//! against the repository"). The fake tenant plays the hostile server.

mod common;

use common::riskcloud::*;
use common::tree;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

fn rclint(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rclint"))
        .args(args)
        .env_remove("RISKCLOUD_TOKEN")
        .output()
        .expect("rclint runs")
}

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

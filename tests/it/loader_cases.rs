//! The loader as the format spec says, case by case: invalid names and
//! empty lists at their place, a wrong type that keeps its entity,
//! credentials never shown, dates that do not exist, locations relative to
//! where rclint runs. Each case here was wrong before it was fixed.

use crate::common;
use crate::common::cases::*;
use std::process::Command;

#[test]
fn empty_intent_lists_are_invalid() {
    let snapshot = r#"
[[user]]
name = "svc-a"
service_account = true
api_access = true

[[integration]]
name = "Nothing"
account = "svc-a"
intent = []

[[integration]]
name = "Designer"
account = "svc-a"
retry_on_401 = true
owner = "x"
token_source = "vault"

[[integration.intent]]
action = "modify-design"
applications = []
"#;
    let found = ids(&[("a.toml", snapshot.as_bytes())]);
    let items: Vec<&str> = found
        .iter()
        .filter(|i| i.0 == "RC401")
        .filter_map(|i| i.3.as_deref())
        .collect();
    assert_eq!(
        items,
        vec![
            "integration[Designer].intent[0].applications",
            "integration[Nothing].intent"
        ]
    );
}

#[test]
fn invalid_names_are_reported_at_the_name() {
    let snapshot = "[[role]]\nname = \"\"\n\n[[role]]\nname = \" Lead\"\n\n\
                    [[role]]\nname = \"a\\nb\"\n\n[[role]]\nname = \"x\\u0000y\"\n\n\
                    [[role]]\nname = \"tab\\tbed\"\n\n[[role]]\nname = \"fine\"\n";
    let (outcome, _) = check(&[("a.toml", snapshot.as_bytes())]);
    let invalid: Vec<(&str, &str)> = outcome
        .diagnostics
        .iter()
        .map(|d| {
            (
                d.finding.item.as_deref().unwrap_or(""),
                d.finding.message.as_str(),
            )
        })
        .collect();
    assert_eq!(invalid.len(), 5, "{invalid:?}");
    for (item, message) in invalid {
        assert!(
            item.starts_with("role[") && item.ends_with("].name"),
            "{item}"
        );
        assert!(message.starts_with("invalid name"), "{message}");
    }
}

#[test]
fn a_key_the_action_does_not_use_grants_nothing() {
    let snapshot = BASE.replace(
        "action = \"update-records\"\nsteps",
        "action = \"update-records\"\nworkflow = \"Vendor Risk/Assessment\"\nsteps",
    );
    let dir = tempfile::tempdir().expect("temp dir");
    write(dir.path(), &[("a.toml", snapshot.as_bytes())]);
    let analysis = rclint::analyze(&[dir.path().to_path_buf()], &|_| false).expect("loads");
    let unused: Vec<_> = analysis
        .findings
        .iter()
        .filter_map(|f| f.item.as_deref())
        .collect();
    assert_eq!(unused, vec!["integration[Risk Sync].intent[1].workflow"]);
    let u = analysis
        .snapshot
        .user_named("svc-risk-sync")
        .expect("defined");
    let steps: Vec<String> = analysis.minimal[u]
        .grants
        .keys()
        .filter(|g| matches!(g, rclint::graph::Grant::Step(_)))
        .map(|g| g.to_string())
        .collect();
    assert_eq!(
        steps,
        vec![
            "step:Vendor Risk/Assessment/Intake",
            "step:Vendor Risk/Assessment/Review"
        ],
        "Closed is not granted through the ignored workflow"
    );
}

#[test]
fn a_wrong_type_inside_an_entity_keeps_the_entity() {
    let snapshot = r#"
[[application]]
name = "Vendor Risk"
workflow = "Assessment"

[[role]]
name = "Readers"
applications = { "Vendor Risk" = "read" }
"#;
    let found = ids(&[("a.toml", snapshot.as_bytes())]);
    assert_eq!(
        found,
        vec![(
            "RC401".into(),
            "file".into(),
            found[0].2.clone(),
            Some("application[Vendor Risk].workflow".into())
        )],
        "no RC402 for the application"
    );
}

#[test]
fn a_file_that_is_not_utf8_is_still_scanned_for_credentials() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(
        dir.path(),
        &[(
            "a.toml",
            b"[[integration]]\nname = \"caf\xe9\"\nclient_secret = \"sup3r-s3cret-value\"\n",
        )],
    );
    let (outcome, _) = common::check(&[dir.path()]);
    let items: Vec<_> = common::identities(&outcome)
        .into_iter()
        .map(|i| (i.0, i.3))
        .collect();
    assert_eq!(
        items,
        vec![
            ("RC401".to_string(), Some("encoding".to_string())),
            (
                "RC405".to_string(),
                Some("integration[caf\u{fffd}].client_secret".to_string())
            ),
        ]
    );
    for format in ["human", "json", "sarif", "github", "junit", "gitlab"] {
        let out = rclint(&["check", "-f", format, "."], dir.path());
        assert_eq!(out.status.code(), Some(1), "{format}");
        let shown = text(&out);
        assert!(shown.contains("RC405") || shown.contains("secret-in-snapshot"));
        assert!(!shown.contains("sup3r"), "{format} shows the credential");
    }
}

#[test]
fn a_credential_next_to_a_syntax_error_is_not_shown() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(
        dir.path(),
        &[("a.toml", b"[[user]\npassword = \"hunter2-value\"\n")],
    );
    for format in ["human", "json", "sarif", "github", "junit", "gitlab"] {
        let out = rclint(&["check", "-f", format, "."], dir.path());
        assert!(!text(&out).contains("hunter2"), "{format} shows it");
    }
}

#[test]
fn an_absent_repository_is_a_value() {
    let shared = |first: &str, second: &str| {
        format!(
            r#"
[[user]]
name = "svc-a"
service_account = true
api_access = true

[[integration]]
name = "One"
account = "svc-a"
team = "T"
{first}
[[integration.intent]]
action = "read-records"
steps = ["Vendor Risk/Assessment/Intake"]

[[integration]]
name = "Two"
account = "svc-a"
team = "T"
{second}
[[integration.intent]]
action = "read-records"
steps = ["Vendor Risk/Assessment/Intake"]
"#
        )
    };
    let apps = "[[application]]\nname = \"Vendor Risk\"\nrestrict_build_access = true\n\
                [[application.workflow]]\nname = \"Assessment\"\nsteps = [\"Intake\"]\n";
    let both_absent = shared("", "");
    let found = ids(&[
        ("a.toml", both_absent.as_bytes()),
        ("b.toml", apps.as_bytes()),
    ]);
    assert!(!codes(&found).contains(&"RC301"), "{found:?}");
    let one_absent = shared("repository = \"r\"", "");
    let found = ids(&[
        ("a.toml", one_absent.as_bytes()),
        ("b.toml", apps.as_bytes()),
    ]);
    assert!(codes(&found).contains(&"RC301"), "{found:?}");
}

#[test]
fn an_unreadable_folder_is_reported() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(
        dir.path(),
        &[
            ("snap/a.toml", BASE.as_bytes()),
            ("snap/locked/b.toml", b""),
        ],
    );
    let locked = dir.path().join("snap/locked");
    use std::os::unix::fs::PermissionsExt;
    let open = std::fs::Permissions::from_mode(0o755);
    std::fs::set_permissions(dir.path(), open.clone()).expect("chmod");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    let bin = env!("CARGO_BIN_EXE_rclint");
    let args = ["check", "-f", "json", "snap"];
    // Root reads every folder: run as nobody where that is the case.
    let out = if std::fs::read_dir(&locked).is_ok() {
        Command::new("setpriv")
            .args(["--reuid=65534", "--regid=65534", "--clear-groups", bin])
            .args(args)
            .current_dir(dir.path())
            .output()
            .expect("setpriv runs (util-linux)")
    } else {
        rclint(&args, dir.path())
    };
    std::fs::set_permissions(&locked, open).expect("chmod back");
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let finding = &json["findings"][0];
    assert_eq!(finding["item"], "unreadable");
    assert_eq!(finding["subject"]["name"], "snap/locked");
}

#[test]
fn locations_are_relative_also_outside_the_current_directory() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(
        dir.path(),
        &[("snap/a.toml", b"[[user]]\nname = \"x\"\nrolez = []\n")],
    );
    std::fs::create_dir(dir.path().join("work")).expect("mkdir");
    let absolute = dir.path().join("snap");
    let absolute = absolute.to_str().expect("utf-8 path");
    for path in ["../snap", absolute] {
        let out = rclint(&["check", "-f", "json", path], &dir.path().join("work"));
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
        assert_eq!(
            json["findings"][0]["location"]["path"], "../snap/a.toml",
            "{path}"
        );
    }
}

#[test]
fn dates_that_do_not_exist_are_rejected_with_the_value() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(dir.path(), &[("a.toml", BASE.as_bytes())]);
    let out = rclint(&["check", ".", "--today", "2026-02-31"], dir.path());
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("2026-02-31"));
    let out = rclint(
        &["report", ".", "-f", "json", "--now", "2026-02-31T00:00:00Z"],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("2026-02-31"));
    let config =
        "[[waiver]]\nrule = \"RC101\"\nsubject = \"x\"\nreason = \"r\"\nexpires = 2026-02-31\n";
    write(dir.path(), &[("rclint.toml", config.as_bytes())]);
    let out = rclint(&["check", "."], dir.path());
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("rclint.toml:5:"), "{}", text(&out));
    assert!(text(&out).contains("2026-02-31"), "{}", text(&out));
}

#[test]
fn waiver_findings_are_located_like_every_other_path() {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = "[[waiver]]\nrule = \"RC101\"\nsubject = \"svc-gone\"\nreason = \"r\"\n\
                  expires = 2020-01-01\n\n[[waiver]]\nrule = \"RC101\"\nsubject = \"svc-other\"\n\
                  reason = \"r\"\nexpires = 2099-01-01\n";
    write(
        dir.path(),
        &[
            ("a.toml", BASE.as_bytes()),
            ("rclint.toml", config.as_bytes()),
        ],
    );
    let out = rclint(&["check", ".", "-f", "json"], dir.path());
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let findings = json["findings"].as_array().expect("findings");
    assert_eq!(findings.len(), 2, "{findings:?}");
    for f in findings {
        assert_eq!(f["location"]["path"], "rclint.toml");
    }
    // An expired waiver that matched nothing has no finding to report again.
    let expired = findings
        .iter()
        .find(|f| f["code"] == "RC501")
        .expect("RC501");
    let message = expired["message"].as_str().expect("message");
    assert!(!message.contains("reported again"), "{message}");
}

#[test]
fn messages_use_the_right_article() {
    let (outcome, _) = check(&[("a.toml", b"[[application]]\nname = \"A\"\nowner = \"x\"\n")]);
    assert_eq!(outcome.diagnostics.len(), 1);
    assert_eq!(
        outcome.diagnostics[0].finding.message,
        "unknown key 'owner' in an application"
    );
}

#[test]
fn activity_kept_apart_is_the_users_and_an_unknown_users_is_a_reference() {
    // The tests judge as of 2026-06-01: a login a year and a half before.
    let base = BASE.replace("api_access = true", "api_access = true\nid = \"u-1\"");
    let activity = "[[activity]]\nuser = \"svc-risk-sync\"\nlast_login = 2025-01-15T08:00:00Z\n\n[[activity]]\nuser = \"svc-nobody\"\nlast_login = 2026-05-01T08:00:00Z\n";
    let found = ids(&[
        ("access.toml", base.as_bytes()),
        ("activity.toml", activity.as_bytes()),
    ]);
    assert!(
        found
            .iter()
            .any(|(c, _, n, _)| c == "RC110" && n == "svc-risk-sync"),
        "{found:?}"
    );
    assert!(
        found.iter().any(|(c, _, n, i)| c == "RC402"
            && n == "svc-nobody"
            && i.as_deref() == Some("account:svc-nobody")),
        "{found:?}"
    );
    // Without the record, no login is known and RC110 does not judge.
    let found = ids(&[("access.toml", base.as_bytes())]);
    assert!(!found.iter().any(|(c, ..)| c == "RC110"), "{found:?}");
}

#[test]
fn a_fact_attested_twice_is_supplied_once_and_a_disagreement_names_the_first() {
    let base = BASE.replace("api_access = true", "unknown = [\"api_access\"]");
    let attest = |value: bool, by: &str| {
        format!(
            "[[attestation]]\nuser = \"svc-risk-sync\"\napi_access = {value}\nby = \"{by}\"\non = 2026-05-20\nevidence = \"E\"\n\n"
        )
    };
    // The same value twice: supplied once, nothing to report.
    let twice = attest(true, "first") + &attest(true, "second");
    let found = ids(&[("a.toml", base.as_bytes()), ("b.toml", twice.as_bytes())]);
    assert!(
        !found.iter().any(|(c, ..)| c == "RC504" || c == "RC111"),
        "{found:?}"
    );
    // Two values: the first stands (api_access off: RC103), and the second
    // is contradicted by it, not "by the snapshot".
    let both = attest(false, "first") + &attest(true, "second");
    let (outcome, _) = check(&[("a.toml", base.as_bytes()), ("b.toml", both.as_bytes())]);
    let messages: Vec<&str> = outcome
        .diagnostics
        .iter()
        .filter(|d| d.finding.rule.code == "RC504")
        .map(|d| d.finding.message.as_str())
        .collect();
    assert_eq!(messages.len(), 1, "{messages:?}");
    assert!(
        messages[0].contains("by 'second' is contradicted by the earlier attestation by 'first', which says api_access = false"),
        "{messages:?}"
    );
    assert!(
        outcome
            .diagnostics
            .iter()
            .any(|d| d.finding.rule.code == "RC103"),
        "the first attestation stands"
    );
}

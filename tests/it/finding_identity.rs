//! One identity per finding, and duplicates that count once: no two
//! findings share a code, subject and item, a baseline hides exactly what
//! it recorded, and an entity written twice is reported once. Each case
//! here was wrong before it was fixed.

use crate::common;
use crate::common::cases::*;
use std::collections::BTreeSet;

#[test]
fn identities_are_unique_in_every_fixture_and_generated_tenant() {
    let dirs = fixture_dirs();
    assert!(dirs.len() > 50, "found {} fixture folders", dirs.len());
    for dir in &dirs {
        let (outcome, _) = common::check(&[dir]);
        assert_unique(&common::identities(&outcome), &dir.display().to_string());
    }
    for scale in ["small", "medium"] {
        let tmp = tempfile::tempdir().expect("temp dir");
        rclint_synth::generate(scale, 7)
            .expect("known scale")
            .write(tmp.path())
            .expect("write tenant");
        let (outcome, _) = common::check(&[tmp.path()]);
        assert!(!outcome.diagnostics.is_empty(), "{scale} has findings");
        assert_unique(&common::identities(&outcome), scale);
    }
}

#[test]
fn a_baseline_hides_exactly_the_finding_it_recorded() {
    let dir = tempfile::tempdir().expect("temp dir");
    let one = BASE.replace(
        r#"permission_sets = ["Risk Sync steps"]"#,
        r#"permission_sets = ["Risk Sync steps", "Missing One"]"#,
    );
    write(dir.path(), &[("a.toml", one.as_bytes())]);
    let snapshot = dir.path().join("snap");
    std::fs::create_dir(&snapshot).expect("mkdir");
    std::fs::rename(dir.path().join("a.toml"), snapshot.join("a.toml")).expect("move");
    let out = rclint(
        &["check", "snap", "--write-baseline", "baseline.txt"],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let out = rclint(&["check", "snap", "--baseline", "baseline.txt"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    // A second unknown reference on the same role is a new finding.
    let two = one.replace(r#""Missing One"]"#, r#""Missing One", "Missing Two"]"#);
    std::fs::write(snapshot.join("a.toml"), two).expect("write");
    let out = rclint(
        &["check", "snap", "--baseline", "baseline.txt", "-f", "json"],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let items: Vec<&str> = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["item"].as_str())
        .collect();
    assert_eq!(items, vec!["permission_set:Missing Two"]);
    assert_eq!(json["summary"]["baselined"], 1);
}

#[test]
fn two_unknown_keys_in_one_file_have_two_fingerprints() {
    let (outcome, _) = check(&[(
        "a.toml",
        b"[[user]]\nname = \"svc\"\nrolez = []\napi_acess = true\n",
    )]);
    let fingerprints: BTreeSet<String> = outcome
        .diagnostics
        .iter()
        .map(|d| d.finding.fingerprint())
        .collect();
    assert_eq!(outcome.diagnostics.len(), 2);
    assert_eq!(fingerprints.len(), 2);
}

#[test]
fn a_permission_set_listed_twice_counts_once() {
    let snapshot = BASE.replace(
        "roles = [\"Integration: Risk Sync\"]",
        "roles = [\"Integration: Risk Sync\", \"Integration: Risk Sync\"]\n\
         permission_sets = [\"Risk Sync steps\", \"Risk Sync steps\"]",
    );
    let found = ids(&[("a.toml", snapshot.as_bytes())]);
    assert_eq!(
        found,
        vec![(
            "RC107".into(),
            "user".into(),
            "svc-risk-sync".into(),
            Some("permission_set:Risk Sync steps".into())
        )]
    );
}

#[test]
fn a_user_defined_twice_is_not_a_human_sharing_its_role() {
    let second = "[[user]]\nname = \"svc-risk-sync\"\nroles = [\"Integration: Risk Sync\"]\n";
    let found = ids(&[("a.toml", BASE.as_bytes()), ("b.toml", second.as_bytes())]);
    assert_eq!(
        found,
        vec![("RC403".into(), "user".into(), "svc-risk-sync".into(), None)]
    );
}

#[test]
fn an_application_defined_twice_counts_once() {
    // The account holds BUILD it does not need. The first definition of
    // 'Policy' does not restrict build access; the second, ignored, would
    // put the account on a restricted build_access list.
    let snapshot = BASE.replace(
        r#"modules = ["RECORDS"]"#,
        r#"modules = ["RECORDS", "BUILD"]"#,
    ) + r#"
[[application]]
name = "Policy"

[[application]]
name = "Policy"
restrict_build_access = true
build_access = { "svc-risk-sync" = "edit" }
"#;
    let found = ids(&[("a.toml", snapshot.as_bytes())]);
    let found = codes(&found);
    assert!(found.contains(&"RC104"), "{found:?}");
    assert!(found.contains(&"RC403"), "{found:?}");
    assert!(!found.contains(&"RC205"), "{found:?}");
}

#[test]
fn an_integration_defined_twice_does_not_share_its_account() {
    let second = r#"
[[integration]]
name = "Risk Sync"
account = "svc-risk-sync"

[[integration.intent]]
action = "read-records"
workflow = "Vendor Risk/Assessment"
"#;
    let found = ids(&[("a.toml", BASE.as_bytes()), ("b.toml", second.as_bytes())]);
    assert_eq!(
        found,
        vec![(
            "RC403".into(),
            "integration".into(),
            "Risk Sync".into(),
            None
        )]
    );
}

#[test]
fn module_build_is_reported_by_rc104_alone() {
    // BUILD that no intent needs; on a restricted list, and an unrestricted
    // application reached through BUILD alone.
    let snapshot =
        BASE.replace(
            r#"modules = ["RECORDS"]"#,
            r#"modules = ["RECORDS", "BUILD"]"#,
        )
        .replace(
            "restrict_build_access = true\n",
            "restrict_build_access = true\nbuild_access = { \"svc-risk-sync\" = \"edit\" }\n",
        ) + "\n[[application]]\nname = \"Open App\"\n";
    let found = ids(&[("a.toml", snapshot.as_bytes())]);
    let build: Vec<_> = found
        .iter()
        .filter(|i| i.3.as_deref() == Some("module:BUILD") || i.0 == "RC104")
        .map(|i| (i.0.as_str(), i.3.as_deref().unwrap_or("")))
        .collect();
    assert_eq!(build, vec![("RC104", "build:Open App")]);
}

#[test]
fn a_root_cause_comes_before_its_consequences() {
    // The integration's file sorts first; the unknown role is in the users'.
    let integration = "[[integration]]\nname = \"Jira\"\naccount = \"svc-jira\"\nretry_on_401 = true\n\n\
                       [[integration.intent]]\naction = \"update-records\"\n\
                       steps = [\"Vendor Risk/Assessment/Review\"]\n";
    let tenant = BASE
        .split("[[integration]]")
        .next()
        .unwrap_or(BASE)
        .to_string()
        + "\n[[user]]\nname = \"svc-jira\"\nservice_account = true\napi_access = true\n\
           roles = [\"Integration: Jira Snyc\"]\n";
    let dir = tempfile::tempdir().expect("temp dir");
    write(
        dir.path(),
        &[
            ("a-integrations.toml", integration.as_bytes()),
            ("z-access.toml", tenant.as_bytes()),
        ],
    );
    let out = rclint(&["check", ".", "-f", "json"], dir.path());
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let findings = json["findings"].as_array().expect("findings");
    let codes: Vec<&str> = findings.iter().filter_map(|f| f["code"].as_str()).collect();
    let first_consequence = codes.iter().position(|c| *c == "RC201").expect("RC201");
    let cause = codes.iter().position(|c| *c == "RC402").expect("RC402");
    assert!(cause < first_consequence, "{codes:?}");
    let message = findings[first_consequence]["message"]
        .as_str()
        .expect("message");
    assert!(
        message.ends_with("(its role 'Integration: Jira Snyc' is unknown)"),
        "{message}"
    );
}

//! Every command reads the same snapshot and agrees: the config's
//! excludes everywhere, why/who-can taking every item check prints, rules,
//! derive and report agreeing on held against needed, and derive's
//! fragment granting only what it says. Each case here was wrong before it
//! was fixed.

use crate::common::cases::*;
use std::collections::BTreeSet;
use std::path::PathBuf;

#[test]
fn every_subcommand_leaves_out_the_files_the_config_excludes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let draft = r#"
[[role]]
name = "Draft admin"
modules = ["ADMIN"]

[[user]]
name = "svc-draft"
service_account = true
api_access = true
roles = ["Draft admin"]
"#;
    write(
        dir.path(),
        &[
            ("snap/a.toml", BASE.as_bytes()),
            ("snap/drafts/d.toml", draft.as_bytes()),
            (
                "snap/rclint.toml",
                b"[snapshot]\nexclude = [\"drafts/**\"]\n",
            ),
        ],
    );
    let cwd = dir.path();
    for args in [
        vec!["derive", "snap", "--account", "svc-draft"],
        vec!["why", "svc-draft", "snap"],
        vec!["deps", "svc-draft", "snap"],
        vec!["graph", "snap", "--account", "svc-draft"],
    ] {
        let out = rclint(&args, cwd);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", text(&out));
        assert!(
            text(&out).contains("unknown account 'svc-draft'"),
            "{args:?}"
        );
    }
    let out = rclint(&["who-can", "module:ADMIN", "snap"], cwd);
    assert!(!text(&out).contains("svc-draft"), "{}", text(&out));
    let out = rclint(&["check", "snap"], cwd);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
}

#[test]
fn why_and_who_can_take_every_item_check_prints() {
    let snapshot = BASE.replace("Vendor Risk", "R&D = 1: Vendors");
    let dir = tempfile::tempdir().expect("temp dir");
    write(dir.path(), &[("a.toml", snapshot.as_bytes())]);
    for args in [
        vec!["why", "svc-risk-sync", "application:R&D = 1: Vendors", "."],
        vec![
            "why",
            "svc-risk-sync",
            "application:R&D = 1: Vendors=edit",
            ".",
        ],
        vec!["who-can", "application:R&D = 1: Vendors", "."],
        vec![
            "who-can",
            "step:R&D = 1: Vendors/Assessment/Intake=edit",
            ".",
        ],
    ] {
        let out = rclint(&args, dir.path());
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", text(&out));
        assert!(text(&out).contains("svc-risk-sync"), "{args:?}");
    }
}

#[test]
fn a_waiver_of_a_rule_that_is_off_is_not_unused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = "[[waiver]]\nrule = \"admin-on-integration\"\nsubject = \"svc-risk-sync\"\n\
                  reason = \"reviewed\"\nexpires = 2099-01-01\n";
    write(
        dir.path(),
        &[
            ("a.toml", BASE.as_bytes()),
            ("rclint.toml", config.as_bytes()),
        ],
    );
    let out = rclint(&["check", ".", "--allow", "RC101"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(!text(&out).contains("RC502"), "{}", text(&out));
    assert!(text(&out).contains("rule admin-on-integration is off"));
    let out = rclint(&["check", "."], dir.path());
    assert!(text(&out).contains("RC502"), "{}", text(&out));
}

/// Grants (as items) of one account's findings of the given rules, before
/// policy.
fn items_of(analysis: &rclint::Analysis, account: &str, codes: &[&str]) -> BTreeSet<String> {
    analysis
        .findings
        .iter()
        .filter(|f| codes.contains(&f.rule.code) && f.subject.name == account)
        .filter_map(|f| f.item.clone())
        .collect()
}

#[test]
fn rules_derive_and_report_agree_on_held_against_needed() {
    let medium = tempfile::tempdir().expect("temp dir");
    rclint_synth::generate("medium", 7)
        .expect("known scale")
        .write(medium.path())
        .expect("write tenant");
    for dir in [PathBuf::from("fixtures/acme"), medium.path().to_path_buf()] {
        // Findings before policy: the comparison is the rules' business, not
        // the severities'.
        let analysis = rclint::analyze(std::slice::from_ref(&dir), &|_| false).expect("loads");
        let outcome = rclint::policy::Policy::default()
            .apply(analysis.findings.clone(), &analysis.snapshot.sources);
        let meta = rclint::evidence::ReportMeta {
            title: "t".into(),
            generated_at: "now".into(),
            roots: vec![dir.display().to_string()],
            config_file: None,
            exclude: Vec::new(),
            files_modified: None,
        };
        let report = rclint::evidence::build(&analysis, &outcome, meta);
        let derivations = rclint::derive::derive(&analysis, None, None);
        assert!(derivations.len() > 3, "{}", dir.display());
        let mut excess_seen = 0;
        for d in &derivations {
            let set = |diffs: &[rclint::derive::GrantDifference]| -> BTreeSet<String> {
                diffs.iter().map(|x| x.grant.to_string()).collect()
            };
            let (missing, excess) = (set(&d.missing), set(&d.excess));
            excess_seen += excess.len();
            assert_eq!(
                items_of(&analysis, &d.account, &["RC201"]),
                missing,
                "{}",
                d.account
            );
            let reported = items_of(&analysis, &d.account, &["RC202", "RC203", "RC204", "RC205"]);
            assert!(
                reported.is_subset(&excess),
                "{}: {reported:?} ⊄ {excess:?}",
                d.account
            );
            let section = report.accounts.iter().find(|a| a.name == d.account);
            let section = section.expect("every automation account has a section");
            let status = |wanted| -> BTreeSet<String> {
                section
                    .matrix
                    .iter()
                    .filter(|r| r.status == wanted)
                    .map(|r| r.grant.clone())
                    .collect()
            };
            use rclint::evidence::GrantStatus;
            assert_eq!(status(GrantStatus::Missing), missing, "{}", d.account);
            assert_eq!(status(GrantStatus::Excess), excess, "{}", d.account);
        }
        assert!(
            excess_seen > 0,
            "{}: the comparison is exercised",
            dir.display()
        );
    }
}

#[test]
fn a_derive_fragment_grants_only_what_it_says() {
    let hostile = r#""Nightly\n[[user]]\nname = \"svc-n\"\nroles = [\"Admins\"]""#;
    let snapshot = BASE.replace(r#"name = "Risk Sync""#, &format!("name = {hostile}"))
        + r#"
[[role]]
name = "Admins"
modules = ["ADMIN"]
"#;
    let dir = tempfile::tempdir().expect("temp dir");
    write(dir.path(), &[("a.toml", snapshot.as_bytes())]);
    let out = rclint(&["derive", ".", "-f", "toml"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let fragment: toml::Table = toml::from_slice(&out.stdout).expect("the fragment is TOML");
    let users = fragment["user"].as_array().expect("users");
    assert_eq!(users.len(), 1, "{fragment:?}");
    assert_eq!(users[0]["name"].as_str(), Some("svc-risk-sync"));
    let roles = fragment["role"].as_array().expect("roles");
    assert_eq!(roles.len(), 1);
    assert_eq!(
        roles[0]["name"].as_str(),
        Some(r#"Integration: Nightly [[user]] name = "svc-n" roles = ["Admins"]"#)
    );
}

#[test]
fn a_derived_role_never_takes_the_name_of_a_role_others_hold() {
    // The account's own role is reused when it grants exactly the minimal
    // grant and the account alone holds it...
    let dir = tempfile::tempdir().expect("temp dir");
    write(dir.path(), &[("a.toml", BASE.as_bytes())]);
    let out = rclint(&["derive", ".", "-f", "toml"], dir.path());
    assert!(text(&out).contains("name = \"Integration: Risk Sync\"\n"));
    assert!(!text(&out).contains("Note:"));
    // ...but not once a person holds it too.
    let shared = BASE.to_string()
        + "\n[[user]]\nname = \"someone@example.com\"\nroles = [\"Integration: Risk Sync\"]\n";
    write(dir.path(), &[("a.toml", shared.as_bytes())]);
    let out = rclint(&["derive", ".", "-f", "toml"], dir.path());
    let shown = text(&out);
    assert!(
        shown.contains("name = \"Integration: Risk Sync (2)\""),
        "{shown}"
    );
    assert!(
        shown.contains("# Note: the role \"Integration: Risk Sync\" exists and others hold it"),
        "{shown}"
    );
}

#[test]
fn why_answers_no_for_a_level_not_held_and_who_can_marks_inactive_users() {
    let snapshot = BASE.replace(r#""Vendor Risk" = "edit" }"#, r#""Vendor Risk" = "read" }"#)
        + "\n[[user]]\nname = \"gone@example.com\"\nactive = false\nroles = [\"Integration: Risk Sync\"]\n";
    let dir = tempfile::tempdir().expect("temp dir");
    write(dir.path(), &[("a.toml", snapshot.as_bytes())]);
    let out = rclint(
        &["why", "svc-risk-sync", "application:Vendor Risk=edit", "."],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        text(&out).starts_with("svc-risk-sync holds application:Vendor Risk at Read, not Edit:"),
        "{}",
        text(&out)
    );
    let out = rclint(
        &["why", "svc-risk-sync", "application:Vendor Risk=read", "."],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let out = rclint(&["who-can", "application:Vendor Risk", "."], dir.path());
    assert!(
        text(&out).contains("gone@example.com (inactive) holds"),
        "{}",
        text(&out)
    );
}

//! Every rule against its fixtures: `fixtures/rules/NAME/fail` makes it fire
//! with the subject and item of the rules spec (and nothing else fires);
//! `fixtures/rules/NAME/pass` is entirely clean. The human and JSON output of
//! every failing fixture is an insta snapshot.

mod common;

use rclint::rules::REGISTRY;
use std::path::Path;

/// The findings each failing fixture must produce: (subject kind, subject
/// name, item), for the rule under test only.
fn expected(code: &str) -> Vec<(&'static str, &'static str, Option<&'static str>)> {
    const INVALID: &str = "fixtures/rules/invalid-snapshot/fail/access.toml";
    const SECRET: &str = "fixtures/rules/secret-in-snapshot/fail/access.toml";
    match code {
        "RC101" => vec![("user", "svc-risk-sync", Some("module:ADMIN"))],
        "RC102" => vec![("user", "svc-risk-sync", Some("role:Everyone"))],
        "RC103" => vec![("user", "svc-risk-sync", Some("api_access"))],
        "RC104" => vec![
            ("user", "svc-build-bot", Some("build:Policy Management")),
            ("user", "svc-build-bot", Some("module:BUILD")),
            ("user", "svc-design-sync", Some("build:Policy Management")),
        ],
        "RC105" => vec![("user", "svc-old-export", None)],
        "RC106" => vec![("role", "Integration: Risk Sync", None)],
        "RC107" => vec![
            ("user", "svc-risk-sync", Some("application:Vendor Risk")),
            (
                "user",
                "svc-risk-sync",
                Some("permission_set:Risk Sync steps"),
            ),
        ],
        "RC108" => vec![("integration", "Risk Sync", None)],
        "RC109" => vec![("integration", "Risk Sync", None)],
        "RC201" => vec![
            ("user", "svc-risk-sync", Some("application:Vendor Risk")),
            ("user", "svc-risk-sync", Some("module:RECORDS")),
        ],
        "RC202" => vec![("user", "svc-risk-sync", Some("module:IMPORT"))],
        "RC203" => vec![
            (
                "user",
                "svc-warehouse",
                Some("application:Policy Management"),
            ),
            ("user", "svc-warehouse", Some("application:Vendor Risk")),
        ],
        "RC204" => vec![
            (
                "user",
                "svc-risk-sync",
                Some("step:Vendor Risk/Assessment/Archive"),
            ),
            (
                "user",
                "svc-risk-sync",
                Some("step:Vendor Risk/Assessment/Closed"),
            ),
        ],
        "RC205" => vec![("user", "svc-risk-sync", Some("build:Vendor Risk"))],
        "RC301" | "RC302" | "RC304" | "RC306" => vec![("user", "svc-risk-sync", None)],
        "RC303" | "RC305" => vec![("integration", "Risk Sync Backfill", None)],
        "RC501" | "RC502" => vec![(
            "waiver",
            "RC101 svc-risk-sync module:ADMIN",
            Some("waiver:RC101:svc-risk-sync:module:ADMIN"),
        )],
        "RC401" => {
            let mut v: Vec<_> = [
                "application[Vendor Risk].restrict_build_access",
                "application[Vendor Risk].workflow[Assessment].origin",
                "application[Vendor Risk].workflow[Remediation/Tracking].name",
                "permission_set[Risk Sync steps].steps[Vendor Risk/Assessment/Intake]",
                "role[0].name",
                "user[svc-risk-sync].api_acess",
            ]
            .into_iter()
            .map(|item| ("file", INVALID, Some(item)))
            .collect();
            v.push((
                "file",
                "fixtures/rules/invalid-snapshot/fail/broken.toml",
                Some("syntax@1:8"),
            ));
            v
        }
        "RC402" => vec![(
            "role",
            "Integration: Risk Sync",
            Some("permission_set:Risk Sync step"),
        )],
        "RC403" => vec![("role", "Integration: Risk Sync", None)],
        "RC404" => vec![(
            "role",
            "Integration: Risk Sync",
            Some("module:RECORD_EXPORT"),
        )],
        "RC405" => vec![
            ("file", SECRET, Some("integration[Risk Sync].client_secret")),
            ("file", SECRET, Some("integration[Risk Sync].repository")),
        ],
        other => panic!("no expectation written for {other}"),
    }
}

/// Other rules a failing fixture may also set off, because they follow from
/// the same mistake (a dangling permission set leaves its steps missing).
fn also(code: &str) -> &'static [&'static str] {
    match code {
        "RC402" => &["RC201"],
        // The finding an expired waiver covered is reported again.
        "RC501" => &["RC101"],
        _ => &[],
    }
}

#[test]
fn every_rule_fires_on_its_failing_fixture_with_spec_subject_and_item() {
    for rule in REGISTRY {
        let dir = Path::new("fixtures/rules").join(rule.name).join("fail");
        let (outcome, _) = common::check(&[&dir]);
        let (found, others): (Vec<_>, Vec<_>) = common::identities(&outcome)
            .into_iter()
            .partition(|f| f.0 == rule.code);
        for other in &others {
            assert!(
                also(rule.code).contains(&other.0.as_str()),
                "{} fires on {}",
                other.0,
                dir.display()
            );
        }
        let mut want: Vec<_> = expected(rule.code)
            .into_iter()
            .map(|(kind, name, item)| {
                (
                    rule.code.to_string(),
                    kind.to_string(),
                    name.to_string(),
                    item.map(str::to_string),
                )
            })
            .collect();
        want.sort();
        assert_eq!(
            found,
            want,
            "findings of {} on {}",
            rule.code,
            dir.display()
        );
    }
}

#[test]
fn every_passing_fixture_is_clean() {
    for rule in REGISTRY {
        let dir = Path::new("fixtures/rules").join(rule.name).join("pass");
        let (outcome, _) = common::check(&[&dir]);
        assert_eq!(
            common::identities(&outcome),
            vec![],
            "{} should be silent on {}",
            rule.code,
            dir.display()
        );
    }
}

/// What each intent action's failing fixture lacks (RC201 items), and the
/// other rules the same mistake sets off.
fn intent_expectations(action: &str) -> (Vec<&'static str>, &'static [&'static str]) {
    match action {
        "read-records" => (vec!["step:Vendor Risk/Assessment/Review"], &[]),
        "create-records" => (vec!["step:Vendor Risk/Assessment/Review"], &["RC204"]),
        "update-records" => (vec!["step:Vendor Risk/Assessment/Closed"], &[]),
        "bulk-import" => (vec!["module:IMPORT"], &["RC202"]),
        "read-report" => (vec!["module:TABLE_REPORTS_READ"], &[]),
        "audit-export" => (vec!["module:ADMIN"], &[]),
        "modify-design" => (vec!["build:Vendor Risk"], &["RC104"]),
        other => panic!("no expectation written for action {other}"),
    }
}

#[test]
fn every_intent_action_has_a_clean_minimal_fixture_and_a_failing_one() {
    for action in &rclint::catalog::IntentCatalog::get().actions {
        let dir = Path::new("fixtures/intents").join(&action.name);
        let (pass, _) = common::check(&[&dir.join("pass")]);
        assert_eq!(
            common::identities(&pass),
            vec![],
            "{} pass is not clean",
            action.name
        );
        let (fail, _) = common::check(&[&dir.join("fail")]);
        let (want, allowed) = intent_expectations(&action.name);
        let mut missing = Vec::new();
        for (code, _, _, item) in common::identities(&fail) {
            if code == "RC201" {
                missing.push(item.unwrap_or_default());
            } else {
                assert!(
                    allowed.contains(&code.as_str()),
                    "{code} fires on {}",
                    dir.display()
                );
            }
        }
        assert_eq!(missing, want, "RC201 items of {}", dir.display());
    }
}

#[test]
fn failing_fixture_output_snapshots() {
    for rule in REGISTRY {
        let dir = Path::new("fixtures/rules").join(rule.name).join("fail");
        insta::assert_snapshot!(format!("{}-human", rule.name), common::human(&dir));
        insta::assert_snapshot!(format!("{}-json", rule.name), common::json(&dir));
    }
}

#[test]
fn demo_tenant_output_snapshots() {
    let acme = Path::new("fixtures/acme");
    insta::assert_snapshot!("acme-human", common::human(acme));
    insta::assert_snapshot!("acme-json", common::json(acme));
}

#[test]
fn demo_tenant_shows_every_rule() {
    let (outcome, _) = common::check(&[Path::new("fixtures/acme")]);
    for rule in REGISTRY {
        let reported = outcome
            .diagnostics
            .iter()
            .any(|d| d.finding.rule.code == rule.code);
        let waived = outcome
            .waivers
            .iter()
            .any(|(_, _, hidden)| hidden.iter().any(|f| f.rule.code == rule.code));
        assert!(
            reported || waived,
            "{} does not fire on fixtures/acme",
            rule.code
        );
    }
}

/// Accounts (by name) that exactly one integration uses, in a snapshot.
fn single_integration_accounts(snapshot: &rclint::snapshot::Snapshot) -> Vec<String> {
    let mut counts = std::collections::BTreeMap::new();
    for i in &snapshot.model.integrations {
        *counts.entry(i.account.value.clone()).or_insert(0) += 1;
    }
    counts
        .into_iter()
        .filter(|(_, n)| *n == 1)
        .map(|(a, _)| a)
        .collect()
}

#[test]
fn one_integration_alone_on_its_account_never_triggers_rc3xx() {
    // The fixture has everything sharing rules look at gone wrong: no team,
    // no owner, no retry, a CI environment, its own tokens.
    let (outcome, _) = common::check(&[Path::new("fixtures/shared/alone")]);
    assert_eq!(common::identities(&outcome), vec![]);
    // And across every fixture, no RC3xx finding is about such an account.
    for entry in walkdir::WalkDir::new("fixtures").min_depth(1).max_depth(3) {
        let entry = entry.expect("fixture entry");
        if !entry.file_type().is_dir() {
            continue;
        }
        let Ok(analysis) = rclint::analyze(&[entry.path().to_path_buf()], &|_| false) else {
            continue;
        };
        let alone = single_integration_accounts(&analysis.snapshot);
        let integrations_alone: Vec<&str> = analysis
            .snapshot
            .model
            .integrations
            .iter()
            .filter(|i| alone.contains(&i.account.value))
            .map(|i| i.name.value.as_str())
            .collect();
        for f in analysis
            .findings
            .iter()
            .filter(|f| f.rule.code.starts_with("RC3"))
        {
            assert!(
                !alone.contains(&f.subject.name)
                    && !integrations_alone.contains(&f.subject.name.as_str()),
                "{} about {} in {}",
                f.rule.code,
                f.subject.name,
                entry.path().display()
            );
        }
    }
}

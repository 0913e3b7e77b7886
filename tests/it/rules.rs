//! Every rule against its fixtures: `fixtures/rules/NAME/fail` makes it fire
//! with the subject and item of the rules spec (and nothing else fires);
//! `fixtures/rules/NAME/pass` is entirely clean. The human and JSON output of
//! every failing fixture is an insta snapshot.

use crate::common;

use rclint::rules::REGISTRY;
use std::path::Path;

type Identity = (String, String, String, Option<String>);

/// What a failing fixture says it must produce: its `# expect: CODE | KIND |
/// NAME [| ITEM]` lines (the rule under test), and its `# also: CODE` lines
/// (other rules the same mistake sets off), from every file of the folder.
fn expectations(dir: &Path) -> (Vec<Identity>, Vec<String>) {
    let mut expected = Vec::new();
    let mut also = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.expect("fixture entry");
        if !entry.file_type().is_file() {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
        for line in text.lines() {
            if let Some(rest) = line.strip_prefix("# expect: ") {
                let parts: Vec<&str> = rest.split(" | ").collect();
                assert!(
                    (3..=4).contains(&parts.len()),
                    "{}: malformed '{line}'",
                    entry.path().display()
                );
                expected.push((
                    parts[0].to_string(),
                    parts[1].to_string(),
                    parts[2].to_string(),
                    parts.get(3).map(|i| i.to_string()),
                ));
            } else if let Some(rest) = line.strip_prefix("# also: ") {
                also.extend(rest.split_whitespace().next().map(str::to_string));
            }
        }
    }
    expected.sort();
    (expected, also)
}

/// Runs `check` for every rule, each in its own catch, and fails once at
/// the end with every rule that failed: one broken rule hides no other.
fn for_every_rule(what: &str, check: impl Fn(&rclint::rules::Rule) + std::panic::RefUnwindSafe) {
    let failed: Vec<String> = REGISTRY
        .iter()
        .filter_map(|rule| {
            std::panic::catch_unwind(|| check(rule))
                .err()
                .map(|_| rule.name.to_string())
        })
        .collect();
    assert!(
        failed.is_empty(),
        "{what} failed for: {}",
        failed.join(", ")
    );
}

#[test]
fn every_rule_fires_on_its_failing_fixture_with_spec_subject_and_item() {
    for_every_rule("the failing fixture", |rule| {
        let dir = Path::new("fixtures/rules").join(rule.name).join("fail");
        let (want, also) = expectations(&dir);
        assert!(
            !want.is_empty(),
            "{} has no '# expect:' line",
            dir.display()
        );
        assert!(
            want.iter().all(|w| w.0 == rule.code),
            "{}: expectations name another rule",
            dir.display()
        );
        let (outcome, _) = common::check(&[&dir]);
        let (found, others): (Vec<_>, Vec<_>) = common::identities(&outcome)
            .into_iter()
            .partition(|f| f.0 == rule.code);
        for other in &others {
            assert!(
                also.contains(&other.0),
                "{} fires on {}",
                other.0,
                dir.display()
            );
        }
        assert_eq!(
            found,
            want,
            "findings of {} on {}",
            rule.code,
            dir.display()
        );
    });
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
        "move-records" => (vec!["step:Vendor Risk/Assessment/Closed"], &[]),
        "link-records" => (vec!["step:Vendor Risk/Assessment/Review"], &[]),
        "assign-records" => (vec!["module:ASSIGN"], &[]),
        "read-access-audits" => (vec!["module:PRODUCTIVITY"], &["RC102"]),
        "manage-users" => (vec!["module:ADMIN"], &["RC102"]),
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
    for_every_rule("the output snapshot", |rule| {
        let dir = Path::new("fixtures/rules").join(rule.name).join("fail");
        insta::assert_snapshot!(format!("{}-human", rule.name), common::human(&dir));
        insta::assert_snapshot!(format!("{}-json", rule.name), common::json(&dir));
    });
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
    // Drift (RC6xx) is raised by `diff`, never by `check`.
    for rule in REGISTRY
        .iter()
        .filter(|r| r.category != rclint::diagnostic::Category::Drift)
    {
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
        *counts.entry(i.account.value.to_string()).or_insert(0) += 1;
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
            .filter(|i| alone.iter().any(|a| *a == i.account.value))
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

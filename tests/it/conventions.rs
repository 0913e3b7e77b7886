//! Meta-tests that keep the rule conventions: unique codes and names, docs
//! with every heading in order, a failing and a passing fixture per rule, and
//! messages that start lowercase with no trailing period.

use crate::common;

use rclint::rules::{DOC_HEADINGS, REGISTRY};
use std::collections::BTreeSet;
use std::path::Path;

#[test]
fn codes_and_names_are_unique_and_well_formed() {
    let mut codes = BTreeSet::new();
    let mut names = BTreeSet::new();
    for rule in REGISTRY {
        assert!(codes.insert(rule.code), "duplicate code {}", rule.code);
        assert!(names.insert(rule.name), "duplicate name {}", rule.name);
        assert!(
            rule.code.len() == 5
                && rule.code.starts_with("RC")
                && rule.code[2..].chars().all(|c| c.is_ascii_digit()),
            "{} is not RCnnn",
            rule.code
        );
        assert!(
            rule.name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
            "{} is not kebab-case",
            rule.name
        );
        assert!(
            !rule.summary.ends_with('.'),
            "{} summary ends with a period",
            rule.code
        );
    }
    let sorted: Vec<_> = REGISTRY.iter().map(|r| r.code).collect();
    let mut expected = sorted.clone();
    expected.sort();
    assert_eq!(sorted, expected, "the registry is in code order");
}

#[test]
fn every_rule_documents_every_heading_in_order() {
    for rule in REGISTRY {
        let docs = rule.documentation();
        let mut at = 0;
        for heading in DOC_HEADINGS {
            let found = docs[at..].find(heading);
            assert!(
                found.is_some(),
                "{} lacks '{heading}' (in order)",
                rule.code
            );
            at += found.unwrap_or(0) + heading.len();
            let body = docs[at..].split("\n## ").next().unwrap_or("");
            assert!(
                body.trim().len() > 20,
                "{} has an empty '{heading}'",
                rule.code
            );
        }
        assert!(
            docs.contains("```toml"),
            "{} has no TOML example",
            rule.code
        );
    }
}

#[test]
fn every_rule_has_a_failing_and_a_passing_fixture() {
    for rule in REGISTRY {
        for kind in ["fail", "pass"] {
            let dir = Path::new("fixtures/rules").join(rule.name).join(kind);
            assert!(dir.is_dir(), "{} has no {}", rule.code, dir.display());
        }
    }
}

#[test]
fn messages_start_lowercase_without_trailing_period() {
    let mut dirs: Vec<_> = REGISTRY
        .iter()
        .map(|r| Path::new("fixtures/rules").join(r.name).join("fail"))
        .collect();
    dirs.push(Path::new("fixtures/acme").to_path_buf());
    for dir in dirs {
        let (outcome, _) = common::check(&[&dir]);
        for d in outcome.diagnostics {
            let f = d.finding;
            let first = f.message.chars().next().unwrap_or('X');
            assert!(
                !first.is_uppercase() && !f.message.ends_with('.'),
                "{}: {:?}",
                f.rule.code,
                f.message
            );
            assert!(
                !f.help.is_empty() && !f.help.ends_with('.'),
                "{}: help {:?}",
                f.rule.code,
                f.help
            );
        }
    }
}

#[test]
fn the_readme_rule_table_lists_every_rule_of_the_registry() {
    let readme = std::fs::read_to_string("README.md").expect("README.md");
    let rows: Vec<(String, String, String)> = readme
        .lines()
        .filter(|l| l.starts_with("| RC"))
        .map(|l| {
            let cells: Vec<&str> = l.split('|').map(str::trim).collect();
            (
                cells[1].to_string(),
                cells[2].trim_matches('`').to_string(),
                cells[3].to_string(),
            )
        })
        .collect();
    let registry: Vec<(String, String, String)> = rclint::rules::REGISTRY
        .iter()
        .map(|r| {
            (
                r.code.to_string(),
                r.name.to_string(),
                r.default_severity.as_str().to_string(),
            )
        })
        .collect();
    assert_eq!(
        rows, registry,
        "README's rule table and the registry differ"
    );
}

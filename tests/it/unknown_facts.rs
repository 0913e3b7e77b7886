//! Unknown is not false: a tenant pulled from a server that answers as real
//! ones do (no API access field on users, no Build Access lists anywhere)
//! leaves those facts unknown; check says so (RC111) instead of guessing
//! RC103 or RC104, and an attestation supplies the fact for as long as it
//! holds.

use crate::common::cli::{rclint, stdout};
use crate::common::riskcloud::{CLIENT, pull, serve_hostile, stderr};
use std::path::Path;

/// (code, subject, item) of every finding of `check` on `snapshot`, judged
/// on 2026-12-01.
fn findings(snapshot: &Path) -> Vec<(String, String, String)> {
    crate::common::cli::finding_identities(snapshot, "2026-12-01")
}

fn has(found: &[(String, String, String)], code: &str, subject: &str, item: &str) -> bool {
    found
        .iter()
        .any(|(c, s, i)| c == code && s == subject && i == item)
}

/// Pulls the real-shaped tenant into a snapshot with two integrations: Risk
/// Sync on svc-risk-sync, Design Sync (modify-design on the restricted
/// Policy Management) on svc-design-sync.
fn pulled() -> tempfile::TempDir {
    let server = serve_hostile(vec![], Box::new(crate::real_tenant::real_tenant));
    let dir = tempfile::tempdir().expect("tempdir");
    let snapshot = dir.path();
    std::fs::write(
        snapshot.join("rclint.toml"),
        "[pull]\npermission_sets = \"/api/v1/step-permission-sets\"\npermission_set = \"/api/v1/step-permission-sets/{id}\"\n",
    )
    .expect("config");
    std::fs::create_dir_all(snapshot.join("integrations")).expect("mkdir");
    std::fs::write(
        snapshot.join("integrations/risk-sync.toml"),
        "[[integration]]\nname = \"Risk Sync\"\naccount = \"svc-risk-sync\"\nretry_on_401 = true\n\n[[integration.intent]]\naction = \"read-records\"\nworkflow = \"Vendor Risk/Assessment\"\n",
    )
    .expect("write");
    std::fs::write(
        snapshot.join("integrations/design-sync.toml"),
        "[[integration]]\nname = \"Design Sync\"\naccount = \"svc-design-sync\"\nretry_on_401 = true\n\n[[integration.intent]]\naction = \"modify-design\"\napplications = [\"Policy Management\"]\n",
    )
    .expect("write");
    let out = pull(
        &server.url,
        &["-o", snapshot.to_str().expect("utf-8")],
        CLIENT,
    );
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
    dir
}

fn attest(snapshot: &Path, text: &str) {
    std::fs::write(snapshot.join("attestations.toml"), text).expect("write");
}

#[test]
fn what_the_tenant_does_not_say_is_not_assessed_until_a_person_attests_it() {
    let dir = pulled();
    let snapshot = dir.path();
    let users = std::fs::read_to_string(snapshot.join("access/users.toml")).expect("users");
    assert!(!users.contains("api_access ="), "never guessed: {users}");
    let apps = std::fs::read_to_string(snapshot.join("applications/policy-management.toml"))
        .expect("application");
    assert!(apps.contains("\"build_access\","), "{apps}");

    // Unknown: RC111 for each account and fact, never RC103 or RC104.
    let found = findings(snapshot);
    for account in ["svc-risk-sync", "svc-design-sync"] {
        assert!(has(&found, "RC111", account, "api_access"), "{found:?}");
        assert!(
            !found.iter().any(|f| f.0 == "RC103" && f.1 == account),
            "{found:?}"
        );
    }
    assert!(
        has(&found, "RC111", "svc-design-sync", "build_access"),
        "{found:?}"
    );
    assert!(
        has(
            &found,
            "RC111",
            "svc-design-sync",
            "build:Policy Management"
        ),
        "{found:?}"
    );
    // RC104 decides on what is known: BUILD reaching the unrestricted
    // Vendor Risk; not whether the account is on Policy Management's list.
    assert!(
        has(&found, "RC104", "svc-design-sync", "build:Vendor Risk"),
        "{found:?}"
    );
    assert!(
        !has(&found, "RC104", "svc-design-sync", "module:BUILD"),
        "{found:?}"
    );
    assert!(
        !found
            .iter()
            .any(|f| f.0 == "RC201" && f.2 == "build:Policy Management"),
        "{found:?}"
    );

    // Real user and role objects carry no Application Entitlements: an
    // entitlement an intent needs is not assessed, never missing.
    assert!(users.contains("\"applications\","), "{users}");
    assert!(
        has(&found, "RC111", "svc-risk-sync", "application:Vendor Risk"),
        "{found:?}"
    );
    assert!(
        !found
            .iter()
            .any(|f| f.0 == "RC201" && f.2.starts_with("application:")),
        "{found:?}"
    );

    // Attested, by someone, on a date: the finding goes; the Build Access
    // entry settles what RC104 and RC201 would decide.
    let valid = "[[attestation]]\nuser = \"svc-risk-sync\"\napi_access = true\nby = \"jane.doe@acme.example\"\non = 2026-11-30\nevidence = \"CHG-1\"\n\n[[attestation]]\napplication = \"Policy Management\"\nbuild_access = { \"svc-design-sync\" = \"edit\" }\nby = \"jane.doe@acme.example\"\non = 2026-11-30\nevidence = \"CHG-2\"\n";
    attest(snapshot, valid);
    let found = findings(snapshot);
    assert!(
        !has(&found, "RC111", "svc-risk-sync", "api_access"),
        "{found:?}"
    );
    assert!(
        has(&found, "RC111", "svc-design-sync", "api_access"),
        "{found:?}"
    );
    assert!(
        !has(&found, "RC104", "svc-design-sync", "module:BUILD"),
        "{found:?}"
    );
    assert!(
        !has(
            &found,
            "RC201",
            "svc-design-sync",
            "build:Policy Management"
        ),
        "{found:?}"
    );
    assert!(
        !has(&found, "RC111", "svc-design-sync", "build_access"),
        "{found:?}"
    );
    assert!(
        !has(
            &found,
            "RC111",
            "svc-design-sync",
            "build:Policy Management"
        ),
        "{found:?}"
    );
    assert!(
        !found.iter().any(|f| f.0 == "RC503" || f.0 == "RC504"),
        "{found:?}"
    );

    // The role's and the user's Application Entitlements, attested (none):
    // the entitlement an intent needs is missing (RC201), a known fact.
    attest(
        snapshot,
        &format!(
            "{valid}\n[[attestation]]\nrole = \"Integration: Risk Sync\"\napplications = {{}}\nby = \"j\"\non = 2026-11-30\nevidence = \"CHG-4\"\n\n[[attestation]]\nuser = \"svc-risk-sync\"\napplications = {{}}\nby = \"j\"\non = 2026-11-30\nevidence = \"CHG-4\"\n"
        ),
    );
    let found = findings(snapshot);
    assert!(
        has(&found, "RC201", "svc-risk-sync", "application:Vendor Risk"),
        "{found:?}"
    );
    assert!(
        !has(&found, "RC111", "svc-risk-sync", "application:Vendor Risk"),
        "{found:?}"
    );

    // The same attestation 400 days old: expired, and the fact is unknown
    // again.
    attest(
        snapshot,
        &valid.replace("on = 2026-11-30", "on = 2025-10-27"),
    );
    let found = findings(snapshot);
    assert!(
        has(&found, "RC503", "api_access of svc-risk-sync", ""),
        "{found:?}"
    );
    assert!(
        has(&found, "RC111", "svc-risk-sync", "api_access"),
        "{found:?}"
    );
    assert!(
        has(&found, "RC111", "svc-design-sync", "build_access"),
        "{found:?}"
    );

    // An attestation of a user nobody defined is an unknown reference.
    attest(
        snapshot,
        "[[attestation]]\nuser = \"svc-nobody\"\napi_access = true\nby = \"j\"\non = 2026-11-30\nevidence = \"CHG-3\"\n",
    );
    let found = findings(snapshot);
    assert!(
        has(
            &found,
            "RC402",
            "api_access of svc-nobody",
            "account:svc-nobody"
        ),
        "{found:?}"
    );
}

#[test]
fn the_report_says_where_each_fact_comes_from_and_never_passes_on_an_unknown_one() {
    let dir = pulled();
    let snapshot = dir.path();
    attest(
        snapshot,
        "[[attestation]]\nuser = \"svc-risk-sync\"\napi_access = true\nby = \"jane.doe@acme.example\"\non = 2026-11-30\nevidence = \"CHG-1\"\n",
    );
    let out = rclint(&[
        "report",
        "-f",
        "json",
        "--now",
        "2026-12-01T00:00:00Z",
        snapshot.to_str().expect("utf-8"),
    ]);
    let report: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("JSON");
    let account = |name: &str| {
        report["accounts"]
            .as_array()
            .expect("accounts")
            .iter()
            .find(|a| a["name"] == name)
            .cloned()
            .expect("account")
    };
    let fact = |name: &str, fact: &str| {
        account(name)["facts"]
            .as_array()
            .expect("facts")
            .iter()
            .find(|f| f["fact"] == fact)
            .cloned()
            .expect("fact")
    };
    let risk = fact("svc-risk-sync", "api_access");
    assert_eq!(risk["provenance"], "attested", "{risk}");
    assert_eq!(risk["value"], "on");
    let source = risk["source"].as_str().expect("source");
    assert!(source.contains("jane.doe@acme.example"), "{source}");
    assert!(
        source.contains("CHG-1") && source.contains("2027-11-30"),
        "{source}"
    );
    let design = fact("svc-design-sync", "api_access");
    assert_eq!(design["provenance"], "unknown", "{design}");
    assert!(design["value"].is_null());
    assert!(account("svc-design-sync")["api_access"].is_null());
    let list = fact("svc-design-sync", "build_access of Policy Management");
    assert_eq!(list["provenance"], "unknown", "{list}");
    let tally = &report["summary"]["facts"];
    assert_eq!(tally["attested"], 1, "{tally}");
    // svc-risk-sync's Application Entitlements; svc-design-sync's toggle,
    // entitlements and Policy Management's list.
    assert_eq!(tally["unknown"], 4, "{tally}");
    let apps = fact("svc-risk-sync", "applications");
    assert_eq!(apps["provenance"], "unknown", "{apps}");
    // A.5.18 rests on RC103, which could not decide for svc-design-sync:
    // partly assessed, never pass, though no error of its rules remains.
    let control = report["controls"]
        .as_array()
        .expect("controls")
        .iter()
        .find(|c| c["id"] == "A.5.18")
        .cloned()
        .expect("A.5.18");
    assert_eq!(control["status"], "partly_assessed", "{control}");
    assert!(
        control["rules_undecided"]
            .as_array()
            .is_some_and(|r| r.iter().any(|c| c == "RC103")),
        "{control}"
    );
}

#[test]
fn plan_turns_the_minimal_grant_into_changes_to_make_in_risk_cloud() {
    let dir = pulled();
    let snapshot = dir.path().to_str().expect("utf-8");
    let out = rclint(&["plan", "-f", "json", snapshot]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let plan: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("JSON");
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string("docs/plan.schema.json").expect("schema"))
            .expect("schema is JSON");
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&plan)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    let account = |name: &str| {
        plan["accounts"]
            .as_array()
            .expect("accounts")
            .iter()
            .find(|a| a["account"] == name)
            .cloned()
            .expect("account")
    };
    let risk = account("svc-risk-sync");
    let changes = risk["changes"].as_array().expect("changes");
    let with = |channel: &str, text: &str| {
        changes.iter().any(|c| {
            c["channel"] == channel && c["action"].as_str().is_some_and(|a| a.contains(text))
        })
    };
    // Memberships through the API, by id where the import knows it.
    assert!(
        with("api", "create role 'Integration: Risk Sync (2)'"),
        "{risk}"
    );
    let removal = changes
        .iter()
        .find(|c| c["action"] == "remove 'svc-risk-sync' from role 'Integration: Risk Sync'")
        .expect("removal");
    assert_eq!(removal["call"], "Update Role r-risk", "{removal}");
    assert_eq!(removal["body"]["usersToRemove"][0], "u-risk", "{removal}");
    // Role and permission-set content in the UI.
    assert!(with("ui", "create the step permission set"), "{risk}");
    assert!(
        with("ui", "Application Entitlement read on 'Vendor Risk'"),
        "{risk}"
    );
    assert!(with("ui", "turn on API access"), "{risk}");
    // What nobody has said yet, as stubs to fill in.
    let stubs = risk["attestations_needed"].as_array().expect("stubs");
    let facts: Vec<&str> = stubs.iter().filter_map(|s| s["fact"].as_str()).collect();
    assert_eq!(
        facts,
        [
            "api_access of svc-risk-sync",
            "applications of svc-risk-sync"
        ]
    );
    let stub = stubs[0]["stub"].as_str().expect("stub");
    assert!(
        stub.starts_with("[[attestation]]\nuser = \"svc-risk-sync\"\napi_access = "),
        "{stub}"
    );
    let design = account("svc-design-sync");
    let facts: Vec<&str> = design["attestations_needed"]
        .as_array()
        .expect("stubs")
        .iter()
        .filter_map(|s| s["fact"].as_str())
        .collect();
    assert!(
        facts.contains(&"build_access of Policy Management"),
        "{facts:?}"
    );
    // The Markdown ticket says the same, and that the plan changes nothing.
    let text = stdout(&rclint(&["plan", snapshot]));
    assert!(
        text.contains("**[API]** remove 'svc-risk-sync' from role 'Integration: Risk Sync'"),
        "{text}"
    );
    assert!(
        text.contains("```toml\n[[attestation]]\nuser = \"svc-risk-sync\""),
        "{text}"
    );
    assert!(text.contains("This plan changes nothing."), "{text}");
}

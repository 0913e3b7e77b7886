//! A gate people can trust: one identity per finding, duplicates that count
//! once, the loader as the spec says, and every command reading the same
//! snapshot. Each case here was wrong before it was fixed.

use crate::common;

use crate::common::cli::{Run, both};
use rclint::policy::Outcome;
use rclint::snapshot::Snapshot;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The clean small example of the format spec.
const BASE: &str = r#"
[[application]]
name = "Vendor Risk"
restrict_build_access = true

[[application.workflow]]
name = "Assessment"
steps = ["Intake", "Review", "Closed"]

[[permission_set]]
name = "Risk Sync steps"
steps = { "Vendor Risk/Assessment/Intake" = "edit", "Vendor Risk/Assessment/Review" = "edit" }

[[role]]
name = "Integration: Risk Sync"
modules = ["RECORDS"]
applications = { "Vendor Risk" = "edit" }
permission_sets = ["Risk Sync steps"]

[[user]]
name = "svc-risk-sync"
service_account = true
api_access = true
roles = ["Integration: Risk Sync"]

[[integration]]
name = "Risk Sync"
account = "svc-risk-sync"
team = "GRC Engineering"
repository = "git.example.com/grc/risk-sync"
owner = "grc-oncall@example.com"
retry_on_401 = true

[[integration.intent]]
action = "create-records"
workflow = "Vendor Risk/Assessment"

[[integration.intent]]
action = "update-records"
steps = ["Vendor Risk/Assessment/Review"]
"#;

type Identity = (String, String, String, Option<String>);

fn write(dir: &Path, files: &[(&str, &[u8])]) {
    for (name, bytes) in files {
        let path = dir.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(path, bytes).expect("write");
    }
}

/// Checks a snapshot made of `files`.
fn check(files: &[(&str, &[u8])]) -> (Outcome, Snapshot) {
    let dir = tempfile::tempdir().expect("temp dir");
    write(dir.path(), files);
    common::check(&[dir.path()])
}

fn ids(files: &[(&str, &[u8])]) -> Vec<Identity> {
    common::identities(&check(files).0)
}

fn codes(ids: &[Identity]) -> Vec<&str> {
    ids.iter().map(|i| i.0.as_str()).collect()
}

fn rclint(args: &[&str], cwd: &Path) -> Output {
    Run::new(args).in_dir(cwd).output()
}

fn text(out: &Output) -> String {
    both(out)
}

/// Every directory under `fixtures/` that holds snapshot files itself.
fn fixture_dirs() -> Vec<PathBuf> {
    let mut dirs = BTreeSet::new();
    for entry in walkdir::WalkDir::new("fixtures").into_iter().flatten() {
        let name = entry.file_name().to_string_lossy();
        if entry.file_type().is_file()
            && name.ends_with(".toml")
            && name != "rclint.toml"
            && let Some(parent) = entry.path().parent()
        {
            dirs.insert(parent.to_path_buf());
        }
    }
    dirs.insert(PathBuf::from("fixtures/acme"));
    dirs.into_iter().collect()
}

fn assert_unique(ids: &[Identity], what: &str) {
    let mut seen = BTreeSet::new();
    for id in ids {
        assert!(seen.insert(id), "{what}: two findings share {id:?}");
    }
}

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

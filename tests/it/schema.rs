//! `rclint schema`: the JSON Schemas accept every valid fixture and reject
//! what the loader rejects, so editors and rclint agree.

use serde_json::Value;
use std::path::Path;

/// What `rclint schema KIND` prints.
fn schema_json(kind: &str) -> Value {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_rclint"))
        .args(["schema", kind])
        .output()
        .expect("rclint runs");
    assert_eq!(out.status.code(), Some(0));
    serde_json::from_slice(&out.stdout).expect("schema is JSON")
}

fn schema(kind: &str) -> jsonschema::Validator {
    jsonschema::validator_for(&schema_json(kind)).expect("schema compiles")
}

/// The property names of an object schema, sorted.
fn property_names(schema: &Value) -> Vec<String> {
    let mut keys: Vec<String> = schema["properties"]
        .as_object()
        .expect("properties")
        .keys()
        .cloned()
        .collect();
    keys.sort();
    keys
}

/// A TOML document as the JSON an editor validates (dates as strings).
fn to_json(value: toml::Value) -> Value {
    match value {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(i) => Value::from(i),
        toml::Value::Float(f) => Value::from(f),
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(a) => Value::Array(a.into_iter().map(to_json).collect()),
        toml::Value::Table(t) => {
            Value::Object(t.into_iter().map(|(k, v)| (k, to_json(v))).collect())
        }
    }
}

fn load(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).expect("read");
    to_json(toml::from_str::<toml::Value>(&text).expect("TOML"))
}

fn toml_files(dir: &str) -> Vec<std::path::PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect()
}

#[test]
fn snapshot_schema_accepts_every_passing_fixture() {
    let validator = schema("snapshot");
    let mut checked = 0;
    for path in toml_files("fixtures").into_iter().filter(|p| {
        let s = p.to_string_lossy();
        s.contains("/pass/") && !s.ends_with("rclint.toml")
    }) {
        let errors: Vec<String> = validator
            .iter_errors(&load(&path))
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{}: {errors:?}", path.display());
        checked += 1;
    }
    assert!(checked > 30);
}

#[test]
fn snapshot_schema_rejects_what_the_loader_rejects() {
    let validator = schema("snapshot");
    // The demo tenant's users.toml has the typo `api_acess`.
    assert!(!validator.is_valid(&load(Path::new("fixtures/acme/users.toml"))));
    assert!(!validator.is_valid(&load(Path::new(
        "fixtures/rules/invalid-snapshot/fail/access.toml"
    ))));
    let unknown_action = toml::from_str::<toml::Value>(
        "[[integration]]\nname = \"x\"\naccount = \"y\"\n[[integration.intent]]\naction = \"create-record\"\n",
    )
    .expect("TOML");
    assert!(!validator.is_valid(&to_json(unknown_action)));
}

#[test]
fn config_schema_accepts_the_fixture_configs() {
    let validator = schema("config");
    for path in toml_files("fixtures")
        .into_iter()
        .filter(|p| p.ends_with("rclint.toml"))
    {
        let errors: Vec<String> = validator
            .iter_errors(&load(&path))
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{}: {errors:?}", path.display());
    }
    let bad = toml::from_str::<toml::Value>("[rules]\nRC101 = \"fatal\"\n").expect("TOML");
    assert!(!validator.is_valid(&to_json(bad)));
}

/// The keys the loader accepts in one kind of table, as it names them when
/// it meets a key it does not know.
fn loader_keys(document: &str) -> Vec<String> {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("a.toml"), document).expect("write");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_rclint"))
        .args(["check", "-f", "json"])
        .arg(dir.path())
        .output()
        .expect("rclint runs");
    let report: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let findings = report["findings"].as_array().expect("findings");
    let unknown: Vec<&Value> = findings
        .iter()
        .filter(|f| {
            f["message"]
                .as_str()
                .is_some_and(|m| m.contains("'qqqqqq'"))
        })
        .collect();
    assert_eq!(unknown.len(), 1, "{document}: {findings:?}");
    let help = unknown[0]["help"].as_str().expect("help");
    let known = help.strip_prefix("known keys here: ").expect("known keys");
    let mut keys: Vec<String> = known.split(", ").map(str::to_string).collect();
    keys.sort();
    keys
}

#[test]
fn the_loader_accepts_exactly_the_keys_the_schema_describes() {
    let schema = schema_json("snapshot");
    let tables = [
        ("Application", "[[application]]\nname = \"A\"\nqqqqqq = 1\n"),
        (
            "Workflow",
            "[[application]]\nname = \"A\"\n[[application.workflow]]\nname = \"W\"\nsteps = [\"S\"]\nqqqqqq = 1\n",
        ),
        (
            "PermissionSet",
            "[[permission_set]]\nname = \"P\"\nsteps = {}\nqqqqqq = 1\n",
        ),
        ("Role", "[[role]]\nname = \"R\"\nqqqqqq = 1\n"),
        ("User", "[[user]]\nname = \"U\"\nqqqqqq = 1\n"),
        (
            "Report",
            "[[report]]\nname = \"T\"\nsteps = []\nqqqqqq = 1\n",
        ),
        (
            "Integration",
            "[[integration]]\nname = \"I\"\naccount = \"U\"\nqqqqqq = 1\n[[integration.intent]]\naction = \"read-records\"\n",
        ),
        (
            "Attestation",
            "[[attestation]]\nuser = \"U\"\napi_access = true\nby = \"B\"\non = 2026-01-01\nevidence = \"E\"\nqqqqqq = 1\n",
        ),
        ("Activity", "[[activity]]\nuser = \"U\"\nqqqqqq = 1\n"),
        (
            "Intent",
            "[[integration]]\nname = \"I\"\naccount = \"U\"\n[[integration.intent]]\naction = \"read-records\"\nqqqqqq = 1\n",
        ),
    ];
    let defs = schema["$defs"].as_object().expect("$defs");
    let described: Vec<&String> = defs
        .iter()
        .filter(|(_, d)| d.get("properties").is_some())
        .map(|(name, _)| name)
        .collect();
    assert_eq!(described.len(), tables.len(), "every entity is checked");
    for (def, document) in tables {
        assert_eq!(loader_keys(document), property_names(&defs[def]), "{def}");
    }
    let top = property_names(&schema);
    assert_eq!(loader_keys("qqqqqq = 1\n"), top, "the top level");
}

/// The keys `rclint.toml` accepts in one section, as the error names them.
fn config_keys(document: &str) -> Vec<String> {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("rclint.toml"), document).expect("write");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_rclint"))
        .arg("check")
        .arg(dir.path())
        .output()
        .expect("rclint runs");
    assert_eq!(out.status.code(), Some(2));
    let error = String::from_utf8_lossy(&out.stderr);
    let expected = error.split("expected ").nth(1).expect("expected keys");
    let mut keys: Vec<String> = expected
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect();
    keys.sort();
    keys
}

#[test]
fn the_config_accepts_exactly_the_keys_its_schema_describes() {
    let schema = schema_json("config");
    assert_eq!(config_keys("qqqqqq = 1\n"), property_names(&schema));
    let waiver =
        "[[waiver]]\nrule = \"RC101\"\nsubject = \"x\"\nreason = \"r\"\nexpires = 2027-01-01\n";
    for (def, section) in [
        ("Snapshot", "[snapshot]\n"),
        ("Report", "[report]\n"),
        ("Import", "[import]\n"),
        ("Pull", "[pull]\n"),
        ("RuleSettings", "[rule_settings]\n"),
        ("Waiver", waiver),
    ] {
        let keys = config_keys(&format!("{section}qqqqqq = 1\n"));
        assert_eq!(keys, property_names(&schema["$defs"][def]), "{def}");
    }
}

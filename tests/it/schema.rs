//! `rclint schema`: the JSON Schemas accept every valid fixture and reject
//! what the loader rejects, so editors and rclint agree.

use serde_json::Value;
use std::path::Path;

fn schema(kind: &str) -> jsonschema::Validator {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_rclint"))
        .args(["schema", kind])
        .output()
        .expect("rclint runs");
    assert_eq!(out.status.code(), Some(0));
    let schema: Value = serde_json::from_slice(&out.stdout).expect("schema is JSON");
    jsonschema::validator_for(&schema).expect("schema compiles")
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

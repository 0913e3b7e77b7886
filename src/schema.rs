//! `rclint schema`: JSON Schemas of the snapshot format and of `rclint.toml`,
//! for editors (Taplo / Even Better TOML) to complete and validate them.
//! The snapshot's is built from the format's description
//! ([`crate::snapshot::describe`]), which the loader checks keys against;
//! the config's is derived from the types the config is read into.

use crate::catalog::IntentCatalog;
use crate::catalog::ModuleCatalog;
use crate::snapshot::Environment;
use crate::snapshot::describe::{Entity, Kind};
use crate::snapshot::format::{TOP_LEVEL, top_level_doc};
use serde_json::{Map, Value, json};

const SCHEMA: &str = "https://json-schema.org/draft/2020-12/schema";

/// `"read"` or `"edit"`.
fn level() -> Value {
    json!({
        "description": "`\"read\"` or `\"edit\"`. Edit includes Read.",
        "oneOf": [
            {"const": "read", "description": "Read.", "type": "string"},
            {"const": "edit", "description": "Edit (includes Read).", "type": "string"}
        ]
    })
}

/// What a value of `kind` may be.
fn value_schema(kind: Kind) -> Value {
    let strings = || json!({"type": "array", "items": {"type": "string"}});
    match kind {
        Kind::Name { .. } | Kind::Text => json!({"type": "string"}),
        Kind::Bool => json!({"type": "boolean"}),
        Kind::Count => json!({"type": "integer", "minimum": 0}),
        Kind::Moment => json!({"type": "string", "format": "date-time"}),
        Kind::Environment => {
            let names: Vec<&str> = Environment::ALL.iter().map(|(s, _)| *s).collect();
            json!({"type": "string", "enum": names})
        }
        Kind::Action => {
            let actions: Vec<&str> = IntentCatalog::get()
                .actions
                .iter()
                .map(|a| a.name.as_str())
                .collect();
            json!({"type": "string", "enum": actions})
        }
        Kind::Strings => strings(),
        Kind::Modules => {
            let modules: Vec<&str> = ModuleCatalog::get().codes().collect();
            let mut s = strings();
            s["items"]["examples"] = json!(modules);
            s
        }
        Kind::Levels => {
            json!({"type": "object", "additionalProperties": {"$ref": "#/$defs/Level"}})
        }
        Kind::StringMap => json!({"type": "object", "additionalProperties": {"type": "string"}}),
        Kind::Tables(e) => {
            json!({"type": "array", "items": {"$ref": format!("#/$defs/{}", e.title)}})
        }
    }
}

/// The schema of one entity, and of the entities nested in it, into `defs`.
fn entity_schema(entity: &Entity, defs: &mut Map<String, Value>) {
    let mut properties = Map::new();
    let mut required = Vec::new();
    for key in entity.all_keys() {
        let mut property = value_schema(key.kind);
        property["description"] = json!(key.doc);
        properties.insert(key.name.to_string(), property);
        if key.required {
            required.push(key.name);
        }
        if let Kind::Tables(nested) = key.kind {
            entity_schema(nested, defs);
        }
    }
    let schema = json!({
        "description": entity.doc,
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": false,
    });
    defs.insert(entity.title.to_string(), schema);
}

/// The JSON Schema of a snapshot file: the format's description, with the
/// actions of the embedded intent catalog and the module codes of the
/// module catalog.
pub fn snapshot() -> Value {
    let mut defs = Map::new();
    defs.insert("Level".into(), level());
    let mut properties = Map::new();
    for entity in TOP_LEVEL {
        entity_schema(entity, &mut defs);
        let mut property = value_schema(Kind::Tables(entity));
        property["description"] = json!(top_level_doc(entity));
        properties.insert(entity.table.to_string(), property);
    }
    json!({
        "$schema": SCHEMA,
        "$id": "rclint-snapshot.schema.json",
        "title": "SnapshotFile",
        "description": "One Risk Cloud access snapshot file. Any file may hold any of the arrays.",
        "type": "object",
        "properties": properties,
        "additionalProperties": false,
        "$defs": defs,
    })
}

/// The JSON Schema of `rclint.toml`, derived from the types it is read into.
pub fn config() -> Value {
    let mut schema = schemars::schema_for!(crate::config::ConfigFile).to_value();
    if let Some(expires) = schema.pointer_mut("/$defs/Waiver/properties/expires") {
        expires["format"] = json!("date");
    }
    if let Some(object) = schema.as_object_mut() {
        object.insert("$id".into(), json!("rclint-config.schema.json"));
    }
    schema
}

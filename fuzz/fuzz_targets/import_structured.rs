//! Structure-aware API responses: every kind `import` reads (applications,
//! workflows, steps, roles, users, permission sets, access audits), as
//! plain arrays, v2 pages, v1 pages or single objects, with ids from small
//! pools (so references mostly resolve, and collide) and any field replaced
//! by a value of any JSON type.

#![no_main]

mod common;
mod import_common;

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use serde_json::{Value, json};

const KEYS: [&str; 24] = [
    "id",
    "name",
    "email",
    "superAdmin",
    "roleIds",
    "roles",
    "moduleEntitlements",
    "permissions",
    "serviceAccount",
    "lastLogin",
    "applicationEntitlements",
    "stepPermissionSets",
    "stepPermissionSetIds",
    "workflow",
    "applicationId",
    "type",
    "created",
    "user",
    "active",
    "restrictBuildAccess",
    "stepId",
    "permissionType",
    "object",
    "content",
];
const NAMES: [&str; 6] = [
    "Vendor Risk",
    "Intake",
    "CON",
    "a/b",
    "x\u{202e}y",
    "@team www.x.io",
];
const CODES: [&str; 4] = ["A_BUILD", "A_RECORDS", "ADMIN_ALL", "R_NOPE"];
const TYPES: [&str; 6] = ["ORIGIN", "CHAIN", "END", "LOGIN", "TOKEN_ROLLED", "EDIT"];

#[derive(Arbitrary, Debug)]
enum Field {
    Bool(bool),
    Id(u8),
    Name(u8),
    Number(i64),
    Null,
    Ids(Vec<u8>),
    Objects(Vec<u8>),
    Module(u8, bool),
    Type(u8),
    Text(String),
}

fn field(f: &Field) -> Value {
    match f {
        Field::Bool(b) => json!(b),
        Field::Id(n) => json!(format!("id-{}", n % 5)),
        Field::Name(n) => json!(NAMES[usize::from(*n) % NAMES.len()]),
        Field::Number(n) => json!(n),
        Field::Null => Value::Null,
        Field::Ids(ids) => json!(ids.iter().map(|n| format!("id-{}", n % 5)).collect::<Vec<_>>()),
        Field::Objects(ids) => json!(
            ids.iter()
                .map(|n| json!({"id": format!("id-{}", n % 5), "created": i64::from(*n) * 86_400_000, "step": {"id": format!("id-{}", n % 5)}, "permissionType": "READ"}))
                .collect::<Vec<_>>()
        ),
        Field::Module(n, edit) => json!([{"type": "MODULE", "operationType": if *edit { "EDIT" } else { "READ" }, "module": {"value": CODES[usize::from(*n) % CODES.len()]}}]),
        Field::Type(n) => json!(TYPES[usize::from(*n) % TYPES.len()]),
        Field::Text(s) => json!(s),
    }
}

#[derive(Arbitrary, Debug)]
struct Entity {
    kind: u8,
    id: u8,
    name: u8,
    fields: Vec<(u8, Field)>,
}

/// A well-formed element of one kind, then its fields overwritten.
fn entity(e: &Entity) -> Value {
    let id = format!("id-{}", e.id % 5);
    let name = NAMES[usize::from(e.name) % NAMES.len()];
    let mut v = match e.kind % 7 {
        0 => {
            json!({"object": "application", "id": id, "name": name, "restrictBuildAccess": e.id % 2 == 0})
        }
        1 => {
            json!({"object": "workflow", "id": id, "name": name, "applicationId": "id-0", "recordPrefix": "W"})
        }
        2 => {
            json!({"object": "step", "id": id, "name": name, "type": "ORIGIN", "workflow": {"id": "id-1"}})
        }
        3 => {
            json!({"id": id, "name": name, "superAdmin": false, "moduleEntitlements": [{"module": {"value": "A_BUILD"}}], "stepPermissionSets": [{"id": "id-2"}]})
        }
        4 => {
            json!({"id": id, "email": format!("{name}@x"), "serviceAccount": true, "roleIds": ["id-3"], "lastLogin": {"id": "a", "created": 1_700_000_000_000_i64}})
        }
        5 => {
            json!({"id": id, "name": name, "permissions": [{"stepId": "id-2", "permissionType": "EDIT"}]})
        }
        _ => {
            json!({"object": "access_audit", "id": id, "type": "TOKEN_ROLLED", "user": {"id": "id-4"}, "created": 1_700_000_000_000_i64})
        }
    };
    for (key, f) in &e.fields {
        v[KEYS[usize::from(*key) % KEYS.len()]] = field(f);
    }
    v
}

#[derive(Arbitrary, Debug)]
struct Response {
    shape: u8,
    number: u8,
    total_pages: u8,
    total_elements: u8,
    entities: Vec<Entity>,
}

fn response(r: &Response) -> Value {
    let content: Vec<Value> = r.entities.iter().map(entity).collect();
    match r.shape % 4 {
        0 => Value::Array(content),
        1 => {
            json!({"content": content, "links": {}, "page": {"size": 20, "number": r.number % 4, "totalPages": r.total_pages % 5, "totalElements": r.total_elements}})
        }
        2 => {
            json!({"content": content, "number": r.number % 4, "totalPages": r.total_pages % 5, "totalElements": r.total_elements, "last": r.number % 2 == 0})
        }
        _ => content.into_iter().next().unwrap_or(Value::Null),
    }
}

fuzz_target!(|responses: Vec<Response>| {
    let files = responses
        .iter()
        .take(16)
        .enumerate()
        .map(|(i, r)| {
            rclint::import::ExportFile::held(
                format!("response-{i:02}.json"),
                response(r).to_string().into_bytes(),
            )
        })
        .collect();
    import_common::import_and_check(files);
});

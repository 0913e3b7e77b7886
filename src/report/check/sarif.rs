//! `--format sarif`: SARIF 2.1.0 as GitHub code scanning accepts it: one run,
//! every rule's metadata, one physical location per result.

use super::ReportInput;
use crate::diagnostic::Severity;
use crate::rules::{DOC_HEADINGS, REGISTRY, Rule};
use crate::source::Span;
use serde_json::{Value, json};

/// `security-severity` GitHub reads to rank alerts (a number, as a string).
fn security_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "8.0",
        Severity::Warning => "5.0",
        Severity::Note => "2.0",
    }
}

/// The rule family a code belongs to, as a tag.
fn family(rule: &Rule) -> &'static str {
    match &rule.code[..3] {
        "RC1" => "account-hygiene",
        "RC2" => "least-privilege",
        "RC3" => "shared-accounts",
        "RC4" => "snapshot-integrity",
        "RC5" => "waivers",
        _ => "access-drift",
    }
}

/// The text under one documentation heading.
fn section(docs: &str, heading: &str) -> String {
    let Some(start) = docs.find(heading) else {
        return String::new();
    };
    let body = &docs[start + heading.len()..];
    let end = body.find("\n## ").unwrap_or(body.len());
    body[..end].split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Bytes kept as they are in a URI path: RFC 3986's unreserved characters
/// and `/`; everything else is percent-encoded.
const KEPT_IN_URI: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'/');

/// A relative URI: the path with `/`, anything but unreserved characters
/// percent-encoded.
pub fn uri(path: &str) -> String {
    percent_encoding::utf8_percent_encode(path, KEPT_IN_URI).to_string()
}

fn physical_location(input: &ReportInput, span: Span) -> Value {
    let pos = input.sources.position(span);
    json!({
        "artifactLocation": { "uri": uri(&input.sources.get(span.file).path), "uriBaseId": "%SRCROOT%" },
        "region": {
            "startLine": pos.line,
            "startColumn": pos.column,
            "endLine": pos.end_line,
            "endColumn": pos.end_column,
        }
    })
}

fn rule_metadata(rule: &Rule) -> Value {
    let docs = rule.documentation();
    json!({
        "id": rule.code,
        "name": rule.name,
        "shortDescription": { "text": rule.summary },
        "fullDescription": { "text": section(&docs, DOC_HEADINGS[0]) },
        "help": { "text": docs, "markdown": docs },
        "defaultConfiguration": { "level": rule.default_severity.as_str() },
        "properties": {
            "tags": ["security", family(rule)],
            "security-severity": security_severity(rule.default_severity),
        }
    })
}

/// The rules the results refer to, in the registry's order: `ruleIndex`
/// is a position in this list. (A rule without results adds nothing a
/// viewer shows; `rclint rules` and `explain` document every rule.)
fn referenced(input: &ReportInput) -> Vec<&'static Rule> {
    let used: std::collections::BTreeSet<&str> = input
        .outcome
        .diagnostics
        .iter()
        .map(|d| d.finding.rule.code)
        .collect();
    REGISTRY.iter().filter(|r| used.contains(r.code)).collect()
}

/// One result: a finding with its rule's index, locations, fingerprint.
fn result(input: &ReportInput, rules: &[&Rule], d: &crate::policy::Diagnostic) -> Value {
    let f = &d.finding;
    let index = rules
        .iter()
        .position(|r| r.code == f.rule.code)
        .unwrap_or(0);
    let related: Vec<Value> = f
        .related
        .iter()
        .enumerate()
        .map(|(i, l)| {
            json!({
                "id": i + 1,
                "physicalLocation": physical_location(input, l.span),
                "message": { "text": l.message },
            })
        })
        .collect();
    json!({
        "ruleId": f.rule.code,
        "ruleIndex": index,
        "level": d.severity.as_str(),
        "message": { "text": format!("{}. Fix: {}", f.message, f.help) },
        "locations": [{ "physicalLocation": physical_location(input, f.primary.span) }],
        "relatedLocations": related,
        "partialFingerprints": { "primaryLocationLineHash": f.fingerprint() },
        "properties": {
            "subject": { "kind": f.subject.kind.as_str(), "name": f.subject.name },
            "item": f.item,
            "trace": f.trace.iter().map(|h| h.label.as_str()).collect::<Vec<_>>(),
        }
    })
}

/// The results, each built and serialised as the writer takes it.
struct Results<'a>(&'a ReportInput<'a>, &'a [&'static Rule]);

impl serde::Serialize for Results<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let (input, rules) = (self.0, self.1);
        serializer.collect_seq(
            input
                .outcome
                .diagnostics
                .iter()
                .map(|d| result(input, rules, d)),
        )
    }
}

/// The SARIF document; keys in the order serde_json writes a map's (sorted).
#[derive(serde::Serialize)]
struct Document<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    runs: [Run<'a>; 1],
    version: &'static str,
}

#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    column_kind: &'static str,
    original_uri_base_ids: Value,
    results: Results<'a>,
    tool: Value,
}

/// Writes the findings as one SARIF run, each result serialised as it is
/// written (no document held in memory).
pub fn write(input: &ReportInput, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let referenced = referenced(input);
    let rules: Vec<Value> = referenced.iter().copied().map(rule_metadata).collect();
    let document = Document {
        schema: "https://json.schemastore.org/sarif-2.1.0.json",
        runs: [Run {
            column_kind: "unicodeCodePoints",
            original_uri_base_ids: json!({ "%SRCROOT%": { "description": { "text": "the directory rclint ran in" } } }),
            results: Results(input, &referenced),
            tool: json!({
                "driver": {
                    "name": "rclint",
                    "version": env!("CARGO_PKG_VERSION"),
                    "informationUri": env!("CARGO_PKG_HOMEPAGE"),
                    "rules": rules,
                }
            }),
        }],
        version: "2.1.0",
    };
    crate::report::write_json(out, &document)
}

/// The SARIF document, as text.
pub fn render(input: &ReportInput) -> String {
    crate::report::written(|out| write(input, out))
}

#[cfg(test)]
mod tests {
    #[test]
    fn uris_keep_unreserved_characters_and_encode_the_rest() {
        assert_eq!(
            super::uri("snap/a b,ç%.toml"),
            "snap/a%20b%2C%C3%A7%25.toml"
        );
        assert_eq!(super::uri("A-z_0.9~/x"), "A-z_0.9~/x");
    }
}

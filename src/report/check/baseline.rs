//! `--write-baseline`: the baseline file, one fingerprint per line.

use crate::escape::{Language, visible_controls};
use crate::policy::Outcome;
use std::collections::BTreeMap;

/// A baseline file: one fingerprint per line, sorted, each followed by what
/// it identifies so that a reviewer can read the file.
pub fn render(outcome: &Outcome) -> String {
    let mut lines: BTreeMap<String, String> = BTreeMap::new();
    for d in &outcome.diagnostics {
        let f = &d.finding;
        let what = match &f.item {
            Some(item) => format!("{} {} {item}", f.rule.code, f.subject.name),
            None => format!("{} {}", f.rule.code, f.subject.name),
        };
        // One line each: a name cannot add a line that reads as a fingerprint.
        let what = visible_controls(&what, Language::Line).into_owned();
        lines.entry(f.fingerprint()).or_insert(what);
    }
    let mut out = String::from(
        "# rclint baseline: fingerprints of accepted findings (code, subject, item)\n",
    );
    for (fingerprint, what) in lines {
        out.push_str(&format!("{fingerprint}  {what}\n"));
    }
    out
}

//! `rclint rules` and `rclint explain RULE`.

use super::CliError;
use crate::rules;
use crate::suggest;

/// The `rclint rules` table.
pub fn rules_table() -> String {
    let mut out = String::new();
    for rule in rules::REGISTRY {
        out.push_str(&format!(
            "{}  {:<40} {:<8} {}\n",
            rule.code,
            rule.name,
            rule.default_severity.as_str(),
            rule.summary
        ));
    }
    out
}

/// The `rclint explain RULE` text.
pub fn explain(name: &str) -> Result<String, CliError> {
    let rule = rules::find(name).ok_or_else(|| {
        let names = rules::REGISTRY.iter().flat_map(|r| [r.code, r.name]);
        let hint = match suggest::closest(name, names) {
            Some(c) => suggest::hint(Some(c)),
            None => " (see 'rclint rules')".to_string(),
        };
        CliError(format!("unknown rule '{name}'{hint}"))
    })?;
    Ok(format!(
        "# {} {}\n\nDefault severity: {}. {}.\n\n{}\n",
        rule.code,
        rule.name,
        rule.default_severity,
        capitalized(rule.summary),
        rule.documentation().trim_end()
    ))
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

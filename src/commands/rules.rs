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

/// The `rclint explain NAME` text: a rule (code or name), a module of the
/// module catalog, or an action of the intent catalog.
pub fn explain(name: &str) -> Result<String, CliError> {
    let modules = crate::catalog::ModuleCatalog::get();
    let intents = crate::catalog::IntentCatalog::get();
    let Some(rule) = rules::find(name) else {
        if let Some(module) = modules.modules.iter().find(|m| m.code == name) {
            return Ok(explain_module(module));
        }
        if let Some(action) = intents.action(name) {
            return Ok(explain_action(action));
        }
        let names = rules::REGISTRY
            .iter()
            .flat_map(|r| [r.code, r.name])
            .chain(modules.codes())
            .chain(intents.actions.iter().map(|a| a.name.as_str()));
        let hint = match suggest::closest(name, names) {
            Some(c) => suggest::hint(Some(c)),
            None => " (see 'rclint rules')".to_string(),
        };
        return Err(CliError(format!(
            "unknown rule, module or intent '{name}'{hint}"
        )));
    };
    let catalog = crate::catalog::ControlCatalog::get();
    let controls: String = rule
        .controls
        .iter()
        .map(|(id, why)| {
            let control = catalog.controls.iter().find(|c| c.id == *id);
            let framework = control.map_or("", |c| c.framework.as_str());
            let title = control.map_or("", |c| c.title.as_str());
            format!("- {framework} {id} {title}: {why}.\n")
        })
        .collect();
    let controls = if controls.is_empty() {
        String::new()
    } else {
        format!("\n\n## Controls it evidences\n{}", controls.trim_end())
    };
    Ok(format!(
        "# {} {}\n\nDefault severity: {}. {}.\n\n{}{controls}\n",
        rule.code,
        rule.name,
        rule.default_severity,
        capitalized(rule.summary),
        rule.documentation().trim_end()
    ))
}

/// A module of the catalog: what it grants, what it implies, and the Risk
/// Cloud codes `import` maps to it.
fn explain_module(m: &crate::catalog::Module) -> String {
    let list = |items: &[String]| {
        if items.is_empty() {
            "none".to_string()
        } else {
            items.join(", ")
        }
    };
    let implied: Vec<String> = crate::catalog::ModuleCatalog::get()
        .implied_by(&m.code)
        .into_iter()
        .map(str::to_string)
        .collect();
    format!(
        "# module {}\n\n{}.\n\nWithout it: {}.\nImplies: {}.\nRisk Cloud codes: {}.\n",
        m.code,
        capitalized(&m.description),
        m.without,
        list(&implied),
        match (
            m.riskcloud_codes.is_empty(),
            m.riskcloud_edit_codes.is_empty()
        ) {
            (_, true) => list(&m.riskcloud_codes),
            (true, false) => format!(
                "{} with operationType EDIT",
                m.riskcloud_edit_codes.join(", ")
            ),
            (false, false) => format!(
                "{}; {} with operationType EDIT",
                m.riskcloud_codes.join(", "),
                m.riskcloud_edit_codes.join(", ")
            ),
        }
    )
}

/// An action of the intent catalog: the keys it reads and what it needs.
fn explain_action(a: &crate::catalog::Action) -> String {
    use crate::catalog::{Access, StepTarget};
    let level = |access: Access| access.level().map_or("none", |l| l.as_str());
    let steps = match a.steps {
        StepTarget::None => "none".to_string(),
        StepTarget::Named => format!(
            "{} on its steps (or every step of its workflow)",
            level(a.step_level)
        ),
        StepTarget::Origin => format!("{} on its workflow's Origin Step", level(a.step_level)),
        StepTarget::Report => format!(
            "{} on every step its report references",
            level(a.step_level)
        ),
    };
    let keys = if a.uses.is_empty() {
        "none".to_string()
    } else {
        a.uses.join(", ")
    };
    let mut modules = a.modules.join(", ");
    if modules.is_empty() {
        modules = "none".to_string();
    }
    if !a.admin_data_modules.is_empty() {
        modules.push_str(&format!(
            ", and {} with admin_data = true",
            a.admin_data_modules.join(", ")
        ));
    }
    format!(
        "# intent {}\n\nKeys: {keys}{}.\nModules: {modules}.\nApplication Entitlement: {}.\n\
         Step access: {steps}.\nBuild Access: {}.\nChanges data: {}.\n",
        a.name,
        if a.requires_one_of.is_empty() {
            String::new()
        } else {
            format!(" (at least one of {})", a.requires_one_of.join(", "))
        },
        level(a.application),
        level(a.build),
        if a.writes { "yes" } else { "no" }
    )
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

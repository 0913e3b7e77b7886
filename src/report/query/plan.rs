//! Output of `rclint plan`: a change ticket in Markdown that a reviewer
//! follows top to bottom, and the same content as JSON
//! (`docs/plan.schema.json`).

use crate::escape;
use crate::plan::{AccountPlan, Channel};
use std::fmt::Write;

/// What closes every plan: it changes nothing, and what confirms it.
const AFTERWARDS: &str = "This plan changes nothing. Once the changes are made, the next \
     `rclint pull` and `rclint check` confirm them: the findings they answer go, and nothing \
     new appears.";

/// The tag a step is shown with.
fn tag(channel: Channel) -> &'static str {
    match channel {
        Channel::Api => "API",
        Channel::Ui => "UI",
        Channel::Idp => "IdP",
    }
}

/// The plan as a change ticket.
pub fn markdown(plans: &[AccountPlan]) -> String {
    let mut out = String::from("# Change plan: the minimal grant of each automation account\n");
    for p in plans {
        let _ = writeln!(out, "\n## {}\n", escape::markdown(&p.account));
        if !p.integrations.is_empty() {
            let names: Vec<String> = p.integrations.iter().map(|i| escape::markdown(i)).collect();
            let _ = writeln!(out, "Used by: {}.\n", names.join(", "));
        }
        if p.nothing_to_change {
            out.push_str("Nothing to change: it holds exactly its minimal grant.\n");
        }
        for (i, c) in p.changes.iter().enumerate() {
            let _ = writeln!(
                out,
                "{}. **[{}]** {}",
                i + 1,
                tag(c.channel),
                escape::markdown(&c.action)
            );
            if let (Some(call), Some(body)) = (&c.call, &c.body) {
                let body = serde_json::to_string(body).unwrap_or_default();
                let _ = writeln!(
                    out,
                    "   call: {}, body: {}",
                    escape::markdown(call),
                    escape::markdown(&body)
                );
            }
        }
        if !p.attestations_needed.is_empty() {
            out.push_str(
                "\nAttestations still needed (look in Risk Cloud, fill in, commit for review):\n",
            );
            for a in &p.attestations_needed {
                // A fence longer than any run of backticks in the stub (whose
                // names are TOML strings): a name cannot close it.
                let longest = a.stub.split(|c| c != '`').map(str::len).max().unwrap_or(0);
                let fence = "`".repeat(longest.max(2) + 1);
                let _ = writeln!(
                    out,
                    "\n{}:\n\n{fence}toml\n{}{fence}",
                    escape::markdown(&a.fact),
                    a.stub
                );
            }
        }
    }
    let _ = writeln!(out, "\n{AFTERWARDS}");
    out
}

/// The plan as JSON.
pub fn json(plans: &[AccountPlan]) -> String {
    let value = serde_json::json!({
        "accounts": plans,
        "afterwards": AFTERWARDS,
    });
    crate::report::json_text(&value)
}

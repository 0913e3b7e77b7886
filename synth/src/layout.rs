//! Applications, workflows, steps and reports.

use crate::{Rng, Size, Tenant, app_name, q};
use std::collections::BTreeMap;
use std::fmt::Write;

/// The applications' workflows and steps, and which applications restrict
/// build access.
pub(crate) struct Layout {
    /// (workflow path, step path), every step.
    pub(crate) steps: Vec<(String, String)>,
    /// Workflow path → its step paths.
    pub(crate) workflows: Vec<(String, Vec<String>)>,
    /// Whether each application restricts build access.
    pub(crate) restricted: Vec<bool>,
}

/// Applications, workflows, steps. A few applications do not restrict build
/// access.
pub(crate) fn layout(s: &Size) -> Layout {
    let mut steps: Vec<(String, String)> = Vec::new(); // (workflow path, step path)
    let mut workflows: Vec<(String, Vec<String>)> = Vec::new();
    let mut restricted: Vec<bool> = Vec::new();
    for a in 0..s.applications {
        let mut wfs = Vec::new();
        for w in 0..s.workflows_per_app {
            let wf = format!("{}/Workflow {w}", app_name(a));
            let names: Vec<String> = (0..s.steps_per_workflow)
                .map(|k| format!("Step {k}"))
                .collect();
            for n in &names {
                steps.push((wf.clone(), format!("{wf}/{n}")));
            }
            wfs.push((wf, names));
        }
        workflows.extend(wfs.iter().map(|(wf, names)| {
            (
                wf.clone(),
                names.iter().map(|n| format!("{wf}/{n}")).collect(),
            )
        }));
        // A handful of applications (at most four, whatever the scale) do not
        // restrict build access, as in a real tenant.
        restricted.push(!(a % 50 == 7 && a < 200));
    }
    Layout {
        steps,
        workflows,
        restricted,
    }
}

/// The reports, each over a few steps of one workflow; their steps.
pub(crate) fn reports(s: &Size, rng: &mut Rng, t: &mut Tenant, shape: &Layout) -> Vec<Vec<String>> {
    let workflows = &shape.workflows;
    let report_steps: Vec<Vec<String>> = (0..s.reports)
        .map(|_| {
            let (wf, names) = &workflows[rng.below(workflows.len())];
            let _ = wf;
            let k = 2 + rng.below(4);
            names.iter().take(k).cloned().collect()
        })
        .collect();
    let mut text = String::new();
    for (r, st) in report_steps.iter().enumerate() {
        let list: Vec<String> = st.iter().map(|p| q(p)).collect();
        let _ = write!(
            text,
            "[[report]]\nname = \"Report {r:04}\"\nsteps = [{}]\n\n",
            list.join(", ")
        );
    }
    t.push("reports.toml".into(), &text);

    report_steps
}

/// The applications, now that Build Access is known.
pub(crate) fn applications(
    s: &Size,
    t: &mut Tenant,
    shape: &Layout,
    builders: &BTreeMap<usize, Vec<String>>,
) {
    let restricted = &shape.restricted;
    for (a, &is_restricted) in restricted.iter().enumerate() {
        let mut text = format!("[[application]]\nname = {}\n", q(&app_name(a)));
        if is_restricted {
            text.push_str("restrict_build_access = true\n");
            let mut list: Vec<String> = builders.get(&a).cloned().unwrap_or_default();
            list.sort();
            list.dedup();
            if !list.is_empty() {
                let entries: Vec<String> = list
                    .iter()
                    .map(|u| format!("{} = \"edit\"", q(u)))
                    .collect();
                let _ = writeln!(text, "build_access = {{ {} }}", entries.join(", "));
            }
        }
        for w in 0..s.workflows_per_app {
            let names: Vec<String> = (0..s.steps_per_workflow)
                .map(|k| q(&format!("Step {k}")))
                .collect();
            let _ = write!(
                text,
                "\n[[application.workflow]]\nname = \"Workflow {w}\"\nsteps = [{}]\n",
                names.join(", ")
            );
        }
        t.push(format!("applications/app-{a:04}.toml"), &text);
    }
}

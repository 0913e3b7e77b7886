//! What both fuzz targets do with a loaded snapshot: run every rule and
//! every output format, as `check`, `derive` and `report` would.

use rclint::evidence::{self, ReportMeta};
use rclint::policy::Policy;
use rclint::report::{self, check::ReportInput};

pub fn exercise(loaded: rclint::snapshot::Loaded) {
    let analysis = rclint::analyze_loaded(loaded);
    let derivations = rclint::derive::derive(&analysis, None, None);
    let _ = report::query::derivation::toml(&derivations);
    let _ = report::query::derivation::json(&derivations);
    let _ = report::query::derivation::text(&derivations);
    let outcome = Policy::default().apply(analysis.findings.clone(), &analysis.snapshot.sources);
    let input = ReportInput {
        outcome: &outcome,
        sources: &analysis.snapshot.sources,
    };
    // Every finding's location lies inside its file.
    for d in &outcome.diagnostics {
        let span = d.finding.primary.span;
        let file = analysis.snapshot.sources.get(span.file);
        assert!(
            span.start() <= span.end() && span.end() <= file.text.len(),
            "span outside its file"
        );
    }
    let style = report::check::human::Style {
        color: false,
        width: 80,
    };
    let _ = report::check::human::render(&input, style);
    let _ = report::check::json::render(&input);
    let _ = report::check::sarif::render(&input);
    let _ = report::check::github::render(&input);
    let _ = report::check::github::step_summary(&input);
    let _ = report::check::junit::render(&input);
    let _ = report::check::gitlab::render(&input);
    let built = evidence::build(
        &analysis,
        &outcome,
        ReportMeta {
            title: "fuzz".into(),
            generated_at: "2026-01-01T00:00:00Z".into(),
            roots: Vec::new(),
            config_file: None,
            exclude: Vec::new(),
            files_modified: None,
        },
    );
    let _ = report::compliance::html::render(&built);
    let _ = report::compliance::markdown::render(&built);
    let _ = report::compliance::csv::render(&built);
    let _ = report::compliance::json::render(&built);
    let nodes = report::query::diagram::selection(&analysis.graph, None);
    let _ = report::query::diagram::dot(&analysis.snapshot, &analysis.graph, &nodes);
    let _ = report::query::diagram::mermaid(&analysis.snapshot, &analysis.graph, &nodes);
}

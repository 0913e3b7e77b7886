//! `cargo bench`: each stage of the pipeline (load, graph, minimal grant and
//! rules, derive) on the synthetic tenants `small`, `medium` and `large`
//! (seed 7), generated once into a temporary directory.

use rclint::graph::AccessGraph;
use rclint::snapshot::{Loaded, load};
use std::path::PathBuf;
use std::sync::OnceLock;

fn main() {
    divan::main();
}

const SCALES: [&str; 3] = ["small", "medium", "large"];

/// The tenant of a scale, written once per run.
fn tenant(scale: &str) -> PathBuf {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    let dir = DIR.get_or_init(|| tempfile::tempdir().expect("temp dir"));
    let path = dir.path().join(scale);
    if !path.exists() {
        let tenant = rclint_synth::generate(scale, 7).expect("known scale");
        tenant.write(&path).expect("write tenant");
    }
    path
}

fn loaded(scale: &str) -> Loaded {
    load(&[tenant(scale)], &|_| false).expect("tenant loads")
}

#[divan::bench(args = SCALES, sample_count = 10, sample_size = 1)]
fn load_snapshot(bencher: divan::Bencher, scale: &str) {
    let paths = [tenant(scale)];
    bencher.bench(|| load(&paths, &|_| false).expect("tenant loads"));
}

#[divan::bench(args = SCALES, sample_count = 10, sample_size = 1)]
fn build_graph(bencher: divan::Bencher, scale: &str) {
    let loaded = loaded(scale);
    bencher.bench(|| AccessGraph::build(&loaded.snapshot));
}

#[divan::bench(args = SCALES, sample_count = 10, sample_size = 1)]
fn minimal_grant_and_rules(bencher: divan::Bencher, scale: &str) {
    let loaded = loaded(scale);
    let graph = AccessGraph::build(&loaded.snapshot);
    bencher.bench(|| {
        let minimal = rclint::minimal::minimal_grants(&loaded.snapshot, &graph);
        let diffs = rclint::minimal::compare_all(&graph, &minimal);
        rclint::rules::run(&rclint::rules::RuleContext::new(
            &loaded.snapshot,
            &graph,
            &minimal,
            &diffs,
            &rclint::rules::Settings::default(),
        ))
    });
}

#[divan::bench(args = SCALES, sample_count = 10, sample_size = 1)]
fn derive_every_account(bencher: divan::Bencher, scale: &str) {
    let analysis = rclint::analyze_loaded(loaded(scale));
    bencher.bench(|| rclint::derive::derive(&analysis, None, None));
}

//! Times each stage of `rclint check -f json` on a snapshot: load, graph,
//! minimal grants, rules, policy, output. Used for the stage split in
//! BENCHMARKS.md:
//!
//! ```sh
//! cargo run --release --example stages -- PATH [RUNS]
//! ```

use rclint::policy::Policy;
use rclint::report::check::{ReportInput, json};
use std::time::{Duration, Instant};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: stages PATH [RUNS]");
        std::process::exit(2);
    };
    let runs: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(5);
    let paths = vec![std::path::PathBuf::from(path)];
    let names = [
        "load",
        "graph",
        "minimal grant",
        "rules",
        "policy",
        "json output",
    ];
    let mut times: Vec<Vec<Duration>> = vec![Vec::new(); names.len()];
    for _ in 0..runs {
        let t = Instant::now();
        let Ok(loaded) = rclint::snapshot::load(&paths, &|_| false) else {
            eprintln!("cannot load the snapshot");
            std::process::exit(2);
        };
        times[0].push(t.elapsed());
        let t = Instant::now();
        let graph = rclint::graph::AccessGraph::build(&loaded.snapshot);
        times[1].push(t.elapsed());
        let t = Instant::now();
        let minimal = rclint::minimal::minimal_grants(&loaded.snapshot, &graph);
        times[2].push(t.elapsed());
        let t = Instant::now();
        let mut findings = loaded.findings;
        let diffs = rclint::minimal::compare_all(&graph, &minimal);
        findings.extend(rclint::rules::run(&rclint::rules::RuleContext::new(
            &loaded.snapshot,
            &graph,
            &minimal,
            &diffs,
            &rclint::rules::Settings::default(),
        )));
        times[3].push(t.elapsed());
        let t = Instant::now();
        let outcome = Policy::default().apply(findings, &loaded.snapshot.sources);
        times[4].push(t.elapsed());
        let t = Instant::now();
        let text = json::render(&ReportInput {
            outcome: &outcome,
            sources: &loaded.snapshot.sources,
        });
        times[5].push(t.elapsed());
        std::hint::black_box(text);
    }
    let medians: Vec<Duration> = times.into_iter().map(median).collect();
    if std::env::var_os("STAGES_PER_RULE").is_some() {
        let loaded = rclint::snapshot::load(&paths, &|_| false).expect("loads");
        let graph = rclint::graph::AccessGraph::build(&loaded.snapshot);
        let minimal = rclint::minimal::minimal_grants(&loaded.snapshot, &graph);
        let diffs = rclint::minimal::compare_all(&graph, &minimal);
        let settings = rclint::rules::Settings::default();
        // The least-privilege review is found once, by the first rule that
        // asks for it (RC102), and counted there.
        let cx =
            rclint::rules::RuleContext::new(&loaded.snapshot, &graph, &minimal, &diffs, &settings);
        for rule in rclint::rules::REGISTRY {
            if let Some(check) = rule.check {
                let t = Instant::now();
                let n = check(&cx).len();
                println!(
                    "  {} {:<40} {:>7.1} ms {n:>6} findings",
                    rule.code,
                    rule.name,
                    t.elapsed().as_secs_f64() * 1000.0
                );
            }
        }
    }
    let load = medians[0];
    let rest: Duration = medians[1..].iter().sum();
    for (name, d) in names.iter().zip(&medians) {
        println!("{name:<14} {:>9.1} ms", d.as_secs_f64() * 1000.0);
    }
    println!(
        "after loading  {:>9.1} ms = {:.0}% of loading (median of {runs} runs)",
        rest.as_secs_f64() * 1000.0,
        100.0 * rest.as_secs_f64() / load.as_secs_f64()
    );
}

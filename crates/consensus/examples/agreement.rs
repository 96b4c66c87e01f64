//! Prints the per-conversation agreement table (k, ARI, coverage) for the
//! Pol.is data in the repository's data/polis, cold and replayed.
//! Run: cargo run --release -p koers-consensus --example agreement [DATA_DIR]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;
use std::time::Instant;

use koers_consensus::evaluation::{agreement, reference_groups, summary_value};
use koers_consensus::{analyse, load_export, replay, EngineConfig, Tick};

fn main() {
    let data: PathBuf = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data/polis"));
    let tick_ms: i64 = std::env::var("TICK_MS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(300_000);
    let mut names: Vec<String> = std::fs::read_dir(&data)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    println!("| conversation | Pol.is k | cold k | cold ARI | cold coverage | replay k | replay ARI | replay coverage | cold ms | replay ms |");
    println!("|---|---|---|---|---|---|---|---|---|---|");
    for name in names {
        let dir = data.join(&name);
        let export = load_export(&dir).unwrap();
        let reference = reference_groups(&dir).unwrap();
        let k_ref = summary_value(&dir, "groups").unwrap().unwrap_or_default();
        let config = EngineConfig::default();
        let t = Instant::now();
        let (engine, cold) = analyse(&export, &config, None).unwrap();
        let cold_ms = t.elapsed().as_secs_f64() * 1e3;
        let a = agreement(&engine.group_of_participants(), &reference);
        let t = Instant::now();
        let (engine_r, rep) =
            replay(&export, &config, None, Tick::Window { millis: tick_ms }).unwrap();
        let rep_ms = t.elapsed().as_secs_f64() * 1e3;
        let b = agreement(&engine_r.group_of_participants(), &reference);
        println!(
            "| {name} | {k_ref} | {} | {:.3} | {:.3} ({}/{}) | {} | {:.3} | {:.3} | {:.1} | {:.0} |",
            cold.k, a.ari, a.coverage, a.ours, a.reference, rep.k, b.ari, b.coverage, cold_ms, rep_ms
        );
    }
}

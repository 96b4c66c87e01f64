//! Prints the per-conversation agreement table for every conversation in the
//! repository's data/polis, cold and replayed: the number of groups chosen,
//! the silhouette of each candidate k, the adjusted Rand index against
//! Pol.is's exported groups and the coverage.
//! Run: cargo run --release -p koers-consensus --example agreement [DATA_DIR]
//! (TICK_MS sets the replay tick; TIMES=1 adds the run times.)
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Instant;

use koers_consensus::evaluation::{agreement, reference_groups, summary_value};
use koers_consensus::{analyse, load_export, replay, EngineConfig, Tick};

/// "0.512 / 0.480*" for k = 2, 3, ...; the star marks the k chosen.
fn silhouettes(s: &BTreeMap<usize, f64>, k: usize) -> String {
    s.iter()
        .map(|(kk, v)| format!("{v:.3}{}", if *kk == k { "*" } else { "" }))
        .collect::<Vec<_>>()
        .join(" / ")
}

fn main() {
    let data: PathBuf = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data/polis"));
    let tick_ms: i64 = std::env::var("TICK_MS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(300_000);
    let times = std::env::var("TIMES").is_ok_and(|v| v == "1");
    let mut names: Vec<String> = std::fs::read_dir(&data)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    print!("| conversation | Pol.is k | cold k | cold silhouettes (k = 2, 3, …) | cold ARI | cold coverage | replay k | replay silhouettes | replay ARI | replay coverage |");
    println!("{}", if times { " cold ms | replay ms |" } else { "" });
    print!("|---|---|---|---|---|---|---|---|---|---|");
    println!("{}", if times { "---|---|" } else { "" });
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
        print!(
            "| {name} | {k_ref} | {} | {} | {:.3} | {:.3} ({}/{}) | {} | {} | {:.3} | {:.3} ({}/{}) |",
            cold.k,
            silhouettes(&cold.silhouettes, cold.k),
            a.ari,
            a.coverage,
            a.both,
            a.reference,
            rep.k,
            silhouettes(&rep.silhouettes, rep.k),
            b.ari,
            b.coverage,
            b.both,
            b.reference,
        );
        if times {
            print!(" {cold_ms:.1} | {rep_ms:.0} |");
        }
        println!();
    }
}

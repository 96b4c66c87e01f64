//! Prints the k trajectory of a replay (tick, votes, participants in, k, best k).
#![allow(clippy::unwrap_used, clippy::expect_used)]
use koers_consensus::replay::ticks;
use koers_consensus::{load_export, Engine, EngineConfig, Tick};
fn main() {
    let dir = std::path::PathBuf::from(std::env::args().nth(1).unwrap());
    let ms: i64 = std::env::args()
        .nth(2)
        .and_then(|s| s.parse().ok())
        .unwrap_or(60_000);
    let export = load_export(&dir).unwrap();
    let mut e = Engine::new(EngineConfig::default()).unwrap();
    e.set_statements(&export.statements);
    let mut last = String::new();
    for (i, batch) in ticks(&export.votes, Tick::Window { millis: ms })
        .iter()
        .enumerate()
    {
        e.add_votes(batch);
        if let Ok(s) = e.update_groups() {
            let line = format!("k={} best={}", s.k, s.best_k);
            if line != last {
                println!(
                    "tick {i} votes {} in {} base {} {line}",
                    e.n_votes(),
                    s.in_conversation,
                    s.base_clusters
                );
                last = line;
            }
        }
    }
}

//! Exactly one cold update with the full report on the synthetic conversation of
//! the held-out shape (2,031 x 896 x 225,000, fixed seed), so that
//! `valgrind --tool=callgrind` counts that and little else (the synthetic
//! generation is counted too; callgrind's per-function view separates it).
#![allow(clippy::unwrap_used, clippy::expect_used)]
use koers_consensus::{synthetic, Engine, EngineConfig};

fn main() {
    let votes = synthetic::conversation(2_031, 896, 225_000, 2031);
    let mut e = Engine::new(EngineConfig::default()).unwrap();
    e.add_votes(&votes);
    let a = e.update().unwrap();
    println!(
        "participants {} statements {} votes {} k {} silhouettes {:?}",
        a.participants, a.statements, a.votes, a.k, a.silhouettes
    );
}

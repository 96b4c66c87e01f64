//! Reads an export folder and says how long it took, for measuring the
//! loader alone (its peak memory with `/usr/bin/time -v`); see
//! `docs/BENCHMARKS.md`.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use std::time::Instant;
fn main() {
    let dir = std::env::args()
        .nth(1)
        .expect("usage: load <export folder>");
    let t = Instant::now();
    let export = koers_consensus::load_export(std::path::Path::new(&dir)).unwrap();
    println!(
        "{} votes, {} statements in {:?}",
        export.votes.len(),
        export.statements.len(),
        t.elapsed()
    );
}

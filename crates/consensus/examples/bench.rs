//! The Rust side of the consensus benchmark (benches/consensus/run.sh runs it
//! next to red-dwarf and the NumPy port). Prints one JSON object per line.
//!
//! Usage: bench DATA_DIR [--synthetic [--write-synthetic VOTES_CSV]
//!        [--write-synthetic-shape VOTES_CSV]] [--repeat N]
//!
//! With `--synthetic` a second case follows: a synthetic conversation of the
//! held-out real one's shape (issue 8: 2,031 participants, 896 statements,
//! 225,000 votes, fixed seed), timed cold with the full report, median of 21 runs.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;
use std::time::Instant;

use koers_consensus::{load_export, synthetic, Engine, EngineConfig};

fn peak_rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

fn best(v: &[f64]) -> f64 {
    v.iter().copied().fold(f64::INFINITY, f64::min)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let data = PathBuf::from(&args[1]);
    let synthetic_run = args.iter().any(|a| a == "--synthetic");
    let repeat: usize = args
        .iter()
        .position(|a| a == "--repeat")
        .and_then(|i| args.get(i + 1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(7);
    if synthetic_run {
        let votes = synthetic::conversation(33_422, 783, 2_001_000, 2026);
        // Hold out 1,000 new votes for every incremental run, so that each run adds
        // votes the engine has not seen (re-applying the same ones would measure a
        // no-op update).
        let (base, extra) = votes.split_at(votes.len() - 1_000 * repeat.max(1));
        if let Some(path) = args
            .iter()
            .position(|a| a == "--write-synthetic")
            .and_then(|i| args.get(i + 1))
        {
            use std::io::Write;
            let mut out = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
            writeln!(out, "timestamp,datetime,comment-id,voter-id,vote").unwrap();
            for v in base {
                writeln!(
                    out,
                    "{},,{},{},{}",
                    v.time,
                    v.statement,
                    v.voter,
                    v.vote.value()
                )
                .unwrap();
            }
        }
        let mut full = Vec::new();
        let mut engine = None;
        for _ in 0..repeat.min(3) {
            let t = Instant::now();
            let mut e = Engine::new(EngineConfig::default()).unwrap();
            e.add_votes(base);
            let a = e.update().unwrap();
            full.push(t.elapsed().as_secs_f64() * 1e3);
            assert!(a.k >= 2);
            engine = Some(e);
        }
        let mut engine = engine.unwrap();
        // Incremental: +1,000 votes, warm-started update with the full report.
        let mut inc = Vec::new();
        for i in 0..repeat {
            let batch = &extra[i * 1_000..(i + 1) * 1_000];
            let t = Instant::now();
            engine.add_votes(batch);
            engine.update().unwrap();
            inc.push(t.elapsed().as_secs_f64() * 1e3);
        }
        println!(
            "{{\"case\":\"synthetic\",\"participants\":{},\"statements\":783,\"votes\":{},\"full_ms\":{:.1},\"full_best_ms\":{:.1},\"incremental_ms\":{:.1},\"incremental_best_ms\":{:.1},\"peak_rss_mb\":{:.0}}}",
            engine.report().unwrap().participants,
            base.len(),
            median(full.clone()),
            best(&full),
            median(inc.clone()),
            best(&inc),
            peak_rss_mb()
        );
        held_out_shape(&args);
        return;
    }
    let mut names: Vec<String> = std::fs::read_dir(&data)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    for name in names {
        let dir = data.join(&name);
        let mut load = Vec::new();
        let mut full = Vec::new();
        let mut k = 0;
        for _ in 0..repeat {
            let t = Instant::now();
            let export = load_export(&dir).unwrap();
            load.push(t.elapsed().as_secs_f64() * 1e3);
            let t = Instant::now();
            let mut e = Engine::new(EngineConfig::default()).unwrap();
            e.set_statements(&export.statements);
            e.add_votes(&export.votes);
            k = e.update().unwrap().k;
            full.push(t.elapsed().as_secs_f64() * 1e3);
        }
        println!(
            "{{\"case\":\"{name}\",\"load_ms\":{:.2},\"full_ms\":{:.2},\"full_best_ms\":{:.2},\"k\":{k}}}",
            median(load),
            median(full.clone()),
            best(&full)
        );
    }
}

/// The held-out conversation's shape (issue 8 section 5), so its cold update can be
/// timed and compared with the NumPy port and red-dwarf on the same CSV.
const SHAPE: (usize, usize, usize, u64) = (2_031, 896, 225_000, 2031);
/// The target from issue 8 for a cold update with the full report.
const SHAPE_TARGET_MS: f64 = 15.0;

fn held_out_shape(args: &[String]) {
    let (participants, statements, target_votes, seed) = SHAPE;
    let votes = synthetic::conversation(participants, statements, target_votes, seed);
    if let Some(path) = args
        .iter()
        .position(|a| a == "--write-synthetic-shape")
        .and_then(|i| args.get(i + 1))
    {
        use std::io::Write;
        let mut out = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
        writeln!(out, "timestamp,datetime,comment-id,voter-id,vote").unwrap();
        for v in &votes {
            writeln!(
                out,
                "{},,{},{},{}",
                v.time,
                v.statement,
                v.voter,
                v.vote.value()
            )
            .unwrap();
        }
    }
    // Cold every time: a new engine, all votes, one update with the full report.
    let mut full = Vec::new();
    let mut k = 0;
    let mut seen = 0;
    for _ in 0..21 {
        let t = Instant::now();
        let mut e = Engine::new(EngineConfig::default()).unwrap();
        e.add_votes(&votes);
        let a = e.update().unwrap();
        full.push(t.elapsed().as_secs_f64() * 1e3);
        k = a.k;
        seen = a.participants;
    }
    let med = median(full.clone());
    println!(
        "{{\"case\":\"synthetic-shape\",\"participants\":{seen},\"statements\":{statements},\"votes\":{},\"full_ms\":{med:.1},\"full_best_ms\":{:.1},\"k\":{k},\"target_ms\":{SHAPE_TARGET_MS:.0},\"target_met\":{}}}",
        votes.len(),
        best(&full),
        med < SHAPE_TARGET_MS
    );
}

//! Times the phases of one cold update with the full report: matrix build,
//! PCA (with projection), base k-means, group k-means with silhouettes,
//! repness, and the rest of the report. The phases are re-run from the
//! crate's public pieces, the total through the engine itself.
//! Run: cargo run --release -p koers-consensus --example phases -- DIR
//!      cargo run --release -p koers-consensus --example phases -- --synthetic 2031 896 225000
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Instant;

use koers_consensus::cluster::{self, Cluster};
use koers_consensus::matrix::VoteMatrix;
use koers_consensus::{load_export, pca, stats, synthetic, Engine, EngineConfig, Statement};

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1e3
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (votes, statements): (Vec<_>, Vec<Statement>) = if args[0] == "--synthetic" {
        let p: usize = args[1].parse().unwrap();
        let s: usize = args[2].parse().unwrap();
        let v: usize = args[3].parse().unwrap();
        (synthetic::conversation(p, s, v, 2026), Vec::new())
    } else {
        let e = load_export(std::path::Path::new(&args[0])).unwrap();
        (e.votes, e.statements)
    };
    let repeat = 15;
    let names = [
        "matrix", "pca", "base", "groups", "repness", "report", "engine",
    ];
    let mut times: Vec<Vec<f64>> = vec![Vec::new(); names.len()];
    let mut k = 0;
    for _ in 0..repeat {
        let t = Instant::now();
        let mut m = VoteMatrix::default();
        m.apply_batch(&votes);
        times[0].push(ms(t));

        let excluded: Vec<u64> = statements
            .iter()
            .filter(|s| s.excluded())
            .map(|s| s.id)
            .collect();
        let active: Vec<bool> = m
            .statements
            .iter()
            .map(|id| !excluded.contains(id))
            .collect();
        let t = Instant::now();
        let p = pca::pca(&m, &active, None, EngineConfig::default().seed);
        let points = pca::project_participants(&m, &active, &p);
        times[1].push(ms(t));

        let needed = 7.min(m.n_cols());
        let in_rows: Vec<usize> = (0..m.n_rows())
            .filter(|&r| m.rows[r].len() >= needed)
            .collect();
        let in_points: Vec<[f64; 2]> = in_rows.iter().map(|&r| points[r]).collect();
        let t = Instant::now();
        let start = cluster::start_centres(&in_points, &[], 100);
        let base: Vec<Cluster> = cluster::kmeans(&in_points, None, start, 100, 0.01);
        times[2].push(ms(t));

        let t = Instant::now();
        let centres: Vec<[f64; 2]> = base.iter().map(|c| c.center).collect();
        let weights: Vec<f64> = base.iter().map(|c| c.members.len() as f64).collect();
        let max = 5.min(2 + base.len() / 12).min(base.len());
        let mut best = (f64::NEG_INFINITY, Vec::new());
        for kk in 2..=max {
            let start = cluster::start_centres(&centres, &[], kk);
            let groups = cluster::kmeans(&centres, Some(&weights), start, 20, 0.01);
            let mut labels = vec![0; centres.len()];
            for (g, c) in groups.iter().enumerate() {
                for &b in &c.members {
                    labels[b as usize] = g;
                }
            }
            let s = cluster::silhouette(&centres, &labels, groups.len());
            if s > best.0 {
                best = (s, groups);
            }
        }
        times[3].push(ms(t));

        let t = Instant::now();
        let mut set_of_row = vec![None; m.n_rows()];
        for (g, c) in best.1.iter().enumerate() {
            for &b in &c.members {
                for &i in &base[b as usize].members {
                    set_of_row[in_rows[i as usize]] = Some(g);
                }
            }
        }
        let tallies = stats::tally_sets(&m, &set_of_row, best.1.len());
        let repr = stats::representative(&tallies, &active, &m.statements);
        std::hint::black_box(repr);
        times[4].push(ms(t));

        let mut e = Engine::new(EngineConfig::default()).unwrap();
        e.set_statements(&statements);
        let t = Instant::now();
        e.add_votes(&votes);
        e.update_groups().unwrap();
        let t_groups = ms(t);
        let t2 = Instant::now();
        k = e.report().unwrap().k;
        times[5].push(ms(t2));
        times[6].push(t_groups + ms(t2));
    }
    let cells: Vec<String> = names
        .iter()
        .zip(times)
        .map(|(n, t)| format!("{n} {:.2}", median(t)))
        .collect();
    println!(
        "votes {} k {k}: {} (ms, median of {repeat}; report = Engine::report, engine = add_votes + update_groups + report)",
        votes.len(),
        cells.join(" | ")
    );
}

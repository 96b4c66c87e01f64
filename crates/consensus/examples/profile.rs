//! Times the parts of one cold update on a conversation folder.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use koers_consensus::{load_export, Engine, EngineConfig};
use std::time::Instant;
fn main() {
    let dir = std::env::args().nth(1).unwrap();
    let export = load_export(std::path::Path::new(&dir)).unwrap();
    for _ in 0..3 {
        let t = Instant::now();
        let mut e = Engine::new(EngineConfig::default()).unwrap();
        e.set_statements(&export.statements);
        e.add_votes(&export.votes);
        let t1 = t.elapsed();
        let s = e.update_groups().unwrap();
        let t2 = t.elapsed();
        let a = e.report().unwrap();
        let t3 = t.elapsed();
        println!(
            "build {:?} groups {:?} report {:?} {:?} k={}",
            t1,
            t2 - t1,
            t3 - t2,
            s,
            a.k
        );
        let t = Instant::now();
        let s = e.update_groups().unwrap();
        println!("warm update {:?} {:?}", t.elapsed(), s);
    }
}

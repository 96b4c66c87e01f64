//! Contingency table of our groups against Pol.is's for one conversation.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use koers_consensus::evaluation::reference_groups;
use koers_consensus::{analyse, load_export, replay, EngineConfig, Tick};
use std::collections::BTreeMap;
fn main() {
    let dir = std::path::PathBuf::from(std::env::args().nth(1).unwrap());
    let export = load_export(&dir).unwrap();
    let reference = reference_groups(&dir).unwrap();
    for (name, engine) in [
        (
            "cold",
            analyse(&export, &EngineConfig::default(), None).unwrap().0,
        ),
        (
            "replay",
            replay(&export, &EngineConfig::default(), None, Tick::default())
                .unwrap()
                .0,
        ),
    ] {
        let ours = engine.group_of_participants();
        let mut table: BTreeMap<(Option<u32>, Option<u64>), usize> = BTreeMap::new();
        let mut ids: Vec<u64> = ours.keys().chain(reference.keys()).copied().collect();
        ids.sort();
        ids.dedup();
        for v in ids {
            *table
                .entry((ours.get(&v).copied(), reference.get(&v).copied()))
                .or_default() += 1;
        }
        println!("{name}: (ours, polis) -> n: {table:?}");
    }
}

//! Properties: canonical order, determinism, no panics on any votes.

use koers_consensus::rng::SplitMix64;
use koers_consensus::{analyse, load_export, EngineConfig, Export, VoteEvent, VoteSource};
use proptest::prelude::*;

use crate::common::{conversation, vote};

fn shuffled(votes: &[VoteEvent], seed: u64) -> Vec<VoteEvent> {
    let mut v = votes.to_vec();
    let mut rng = SplitMix64::new(seed);
    for i in (1..v.len()).rev() {
        let j = rng.below(i as u64 + 1) as usize;
        v.swap(i, j);
    }
    v
}

fn json(export: &Export, config: &EngineConfig) -> String {
    let (_, a) = analyse(export, config, None).unwrap();
    serde_json::to_string(&a).unwrap()
}

#[test]
fn shuffling_input_rows_does_not_change_the_result() {
    let export = load_export(&conversation("15-per-hour-seattle")).unwrap();
    let reference = json(&export, &EngineConfig::default());
    for seed in 1..4 {
        let mut e = export.clone();
        e.votes = shuffled(&export.votes, seed);
        assert_eq!(json(&e, &EngineConfig::default()), reference, "seed {seed}");
    }
}

#[test]
fn the_matrix_export_gives_the_same_groups_whatever_the_row_order() {
    // participants-votes.csv has no times: the whole file is one tick.
    let dir = conversation("brexit-consensus");
    let mut export = load_export(&dir).unwrap();
    let text = std::fs::read_to_string(dir.join("participants-votes.csv")).unwrap();
    export.votes =
        koers_consensus::load::parse_participants_votes_csv(&text, "participants-votes.csv")
            .unwrap();
    export.source = VoteSource::Matrix;
    let reference = json(&export, &EngineConfig::default());
    let mut e = export.clone();
    e.votes = shuffled(&export.votes, 99);
    assert_eq!(json(&e, &EngineConfig::default()), reference);
}

#[test]
fn a_fixed_seed_gives_identical_output() {
    let export = load_export(&conversation("vtaiwan.uberx")).unwrap();
    let config = EngineConfig {
        seed: 42,
        ..EngineConfig::default()
    };
    assert_eq!(json(&export, &config), json(&export, &config));
    // Another seed starts the power iteration elsewhere but converges to the
    // same groups.
    let other = EngineConfig {
        seed: 7,
        ..EngineConfig::default()
    };
    let (_, a) = analyse(&export, &config, None).unwrap();
    let (_, b) = analyse(&export, &other, None).unwrap();
    let members = |x: &koers_consensus::Analysis| {
        let mut m: Vec<Vec<u64>> = x.groups.iter().map(|g| g.members.clone()).collect();
        m.sort();
        m
    };
    assert_eq!(members(&a), members(&b));
}

fn small_conversation() -> impl Strategy<Value = Vec<VoteEvent>> {
    prop::collection::vec((0i64..50, 0u64..12, 0u64..8, -1i8..=1), 0..120).prop_map(|rows| {
        rows.into_iter()
            .map(|(t, p, s, v)| vote(t, p, s, v))
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn any_votes_give_a_result_or_a_clear_error(votes in small_conversation(), k in 0usize..10) {
        let export = Export { votes, statements: Vec::new(), source: VoteSource::EventLog };
        let groups = if k < 2 { koers_consensus::GroupCount::Auto } else { koers_consensus::GroupCount::Fixed(k) };
        let config = EngineConfig { groups, ..EngineConfig::default() };
        if let Ok((_, a)) = analyse(&export, &config, None) {
            let json = serde_json::to_string(&a).unwrap();
            prop_assert!(!json.contains("NaN"));
            let members: usize = a.groups.iter().map(|g| g.members.len()).sum();
            prop_assert_eq!(members, a.in_conversation);
            for x in a.group_informed_consensus.values() {
                prop_assert!((0.0..=1.0).contains(x));
            }
        }
    }

    #[test]
    fn order_within_a_tick_never_matters(votes in small_conversation(), seed in any::<u64>()) {
        let export = Export { votes: votes.clone(), statements: Vec::new(), source: VoteSource::EventLog };
        let a = analyse(&export, &EngineConfig::default(), None).map(|(_, a)| serde_json::to_string(&a).unwrap());
        let e2 = Export { votes: shuffled(&votes, seed), ..export };
        let b = analyse(&e2, &EngineConfig::default(), None).map(|(_, a)| serde_json::to_string(&a).unwrap());
        prop_assert_eq!(a, b);
    }
}

#[test]
fn replay_is_deterministic_and_ignores_row_order() {
    let export = load_export(&conversation("brexit-consensus")).unwrap();
    let tick = koers_consensus::Tick::Window { millis: 600_000 };
    let run = |e: &Export| {
        let (_, a) = koers_consensus::replay(e, &EngineConfig::default(), None, tick).unwrap();
        serde_json::to_string(&a).unwrap()
    };
    let reference = run(&export);
    let mut e = export.clone();
    e.votes = shuffled(&export.votes, 5);
    assert_eq!(run(&e), reference);
}

#[test]
fn ticks_keep_time_order_and_cover_every_vote() {
    let votes: Vec<VoteEvent> = (0..100)
        .map(|i| vote(1000 - i * 7, i as u64 % 9, i as u64 % 5, 1))
        .collect();
    for tick in [
        koers_consensus::Tick::Window { millis: 50 },
        koers_consensus::Tick::Votes(10),
    ] {
        let ticks = koers_consensus::replay::ticks(&votes, tick);
        let flat: Vec<VoteEvent> = ticks.iter().flatten().copied().collect();
        assert_eq!(flat.len(), votes.len());
        assert!(flat.windows(2).all(|w| w[0] <= w[1]));
        assert!(ticks.len() > 1);
    }
}

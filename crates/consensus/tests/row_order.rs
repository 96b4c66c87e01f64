//! Rows are numbered as Pol.is numbers them: within a batch, participants in
//! the order first seen when the votes are sorted by (statement, participant,
//! time). k-means takes its start centres in row order, so this decides the
//! base clusters and, on real data, the number of groups.

use koers_consensus::matrix::VoteMatrix;
use koers_consensus::rng::SplitMix64;
use koers_consensus::{Engine, EngineConfig, VoteEvent};

use crate::common::vote;

/// Voters 1..=6 on statements 10, 20, 30. In time order the first voter is 2
/// and the first statement 30; by voter id the order is 1..=6; sorted by
/// (statement, participant) the rows are 3, 5, 1, 6, 2, 4.
fn constructed() -> Vec<VoteEvent> {
    vec![
        vote(1, 2, 30, 1),
        vote(2, 4, 30, -1),
        vote(5, 6, 20, 1),
        vote(10, 1, 20, -1),
        vote(11, 1, 30, 1),
        vote(40, 3, 10, 1),
        vote(41, 3, 20, 1),
        vote(50, 5, 10, -1),
        vote(51, 5, 20, 0),
        vote(52, 5, 30, -1),
        // Voter 3 changes their mind on 10: the latest vote still wins.
        vote(60, 3, 10, -1),
    ]
}

fn shuffled(votes: &[VoteEvent], seed: u64) -> Vec<VoteEvent> {
    let mut v = votes.to_vec();
    let mut rng = SplitMix64::new(seed);
    for i in (1..v.len()).rev() {
        let j = rng.below(i as u64 + 1) as usize;
        v.swap(i, j);
    }
    v
}

#[test]
fn a_batch_numbers_participants_in_statement_then_participant_order() {
    let votes = constructed();
    let mut engine = Engine::new(EngineConfig::default()).unwrap();
    engine.add_votes(&votes);
    assert_eq!(engine.participant_order(), &[3, 5, 1, 6, 2, 4]);
    assert_eq!(engine.statement_order(), &[10, 20, 30]);

    // The orders the engine used to follow give other rows: time order
    // starts with voter 2 and statement 30, id order with voter 1.
    let mut by_time = votes.clone();
    by_time.sort();
    let mut first_seen: Vec<u64> = Vec::new();
    for v in &by_time {
        if !first_seen.contains(&v.voter) {
            first_seen.push(v.voter);
        }
    }
    assert_eq!(first_seen, vec![2, 4, 6, 1, 3, 5]);
    assert_ne!(engine.participant_order(), first_seen.as_slice());
    assert_ne!(engine.participant_order(), &[1, 2, 3, 4, 5, 6]);

    // Only the content of the batch counts, not the order it is handed in.
    for seed in 0..20 {
        let mut e = Engine::new(EngineConfig::default()).unwrap();
        e.add_votes(&shuffled(&votes, seed));
        assert_eq!(e.participant_order(), engine.participant_order());
        assert_eq!(e.statement_order(), engine.statement_order());
    }
}

#[test]
fn the_matrix_keeps_the_latest_vote_of_each_cell() {
    let mut m = VoteMatrix::default();
    m.apply_batch(&shuffled(&constructed(), 3));
    assert_eq!(m.voters, vec![3, 5, 1, 6, 2, 4]);
    let row = m.row_of(3).unwrap() as usize;
    let col = m.col_of(10).unwrap();
    let cell = m.rows[row].iter().find(|c| c.col == col).unwrap();
    assert_eq!(
        cell.value, -1,
        "voter 3's later disagree replaces the agree"
    );
    assert_eq!(m.n_votes, 10);
    // Every row's cells stay sorted by column.
    assert!(m
        .rows
        .iter()
        .all(|cells| cells.windows(2).all(|w| w[0].col < w[1].col)));
}

#[test]
fn a_later_batch_keeps_existing_rows_and_appends_new_ones_in_polis_order() {
    let mut engine = Engine::new(EngineConfig::default()).unwrap();
    engine.add_votes(&constructed());
    // Voter 3 is known; 9, 7 and 8 are new. Sorted by (statement,
    // participant): 8 on statement 5 comes first, then 9 on 10, then 7 on 20,
    // although 7 voted first in time and 9 has the highest id.
    engine.add_votes(&[
        vote(100, 7, 20, 1),
        vote(101, 9, 10, 1),
        vote(102, 3, 30, 1),
        vote(103, 8, 5, -1),
        vote(104, 8, 30, 1),
    ]);
    assert_eq!(engine.participant_order(), &[3, 5, 1, 6, 2, 4, 8, 9, 7]);
    assert_eq!(engine.statement_order(), &[10, 20, 30, 5]);
}

/// Three camps on a line: L (voters 11..=15) agrees with everything, M
/// (21..=25) passes on everything and R (1..=5) disagrees with everything
/// but never saw statement 1. M votes first in time, L last. With two base
/// clusters k-means starts from the first two distinct rows: in Pol.is's
/// order those are L and M (statement 1's voters by id, then R), and the
/// middle camp joins R; in time order they were M and R, and M joined L.
#[test]
fn the_row_order_decides_the_kmeans_start_and_so_the_groups() {
    let mut votes = Vec::new();
    let mut t = 0;
    let mut cast = |voters: std::ops::RangeInclusive<u64>, from: u64, v: i8| {
        for p in voters {
            for s in from..=8 {
                t += 1;
                votes.push(vote(t, p, s, v));
            }
        }
    };
    cast(21..=25, 1, 0);
    cast(1..=5, 2, -1);
    cast(11..=15, 1, 1);
    let config = EngineConfig {
        base_clusters: 2,
        groups: koers_consensus::GroupCount::Fixed(2),
        ..EngineConfig::default()
    };
    let mut engine = Engine::new(config).unwrap();
    engine.add_votes(&votes);
    let order: Vec<u64> = (11..=15).chain(21..=25).chain(1..=5).collect();
    assert_eq!(engine.participant_order(), order.as_slice());
    let a = engine.update().unwrap();
    let mut groups: Vec<Vec<u64>> = a.groups.iter().map(|g| g.members.clone()).collect();
    groups.sort();
    let l: Vec<u64> = (11..=15).collect();
    let mr: Vec<u64> = (1..=5).chain(21..=25).collect();
    assert_eq!(groups, vec![mr, l]);
}

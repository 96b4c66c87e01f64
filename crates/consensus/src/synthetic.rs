//! Seeded synthetic conversations for benchmarks and tests.
//!
//! Participants belong to one of a few hidden opinion camps; each statement has
//! an agree and a disagree probability per camp. How many statements a
//! participant votes on is heavy-tailed, as in real conversations (many vote a
//! little, a few vote on everything).

use crate::model::{Vote, VoteEvent};
use crate::rng::SplitMix64;

/// Builds `target_votes` votes (exactly, when the participants can cast that
/// many) from
/// `participants` participants on `statements` statements.
pub fn conversation(
    participants: usize,
    statements: usize,
    target_votes: usize,
    seed: u64,
) -> Vec<VoteEvent> {
    let mut rng = SplitMix64::new(seed);
    let camps = 3usize;
    let mut leaning = vec![[0.0f64; 2]; statements * camps];
    for l in leaning.iter_mut() {
        let a = rng.next_f64();
        let d = rng.next_f64() * (1.0 - a);
        *l = [a, d];
    }
    // Heavy-tailed vote counts scaled to hit the target on average.
    let raw: Vec<f64> = (0..participants)
        .map(|_| {
            let u = rng.next_f64().max(1e-9);
            u.powf(-0.6)
        })
        .collect();
    // Find the scale at which the clamped counts reach the target (the
    // clamp to the number of statements cuts the heavy tail).
    let count_at = |scale: f64| -> usize {
        raw.iter()
            .map(|r| ((r * scale).round() as usize).clamp(1, statements.max(1)))
            .sum()
    };
    let (mut lo, mut hi) = (0.0f64, 1.0f64);
    while count_at(hi) < target_votes && hi < 1e12 {
        hi *= 2.0;
    }
    for _ in 0..60 {
        let mid = 0.5 * (lo + hi);
        if count_at(mid) < target_votes {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    let scale = hi;
    let mut votes = Vec::with_capacity(target_votes);
    let mut order: Vec<u32> = (0..statements as u32).collect();
    let mut time = 0i64;
    for (p, r) in raw.iter().enumerate() {
        let n = ((r * scale).round() as usize).clamp(1, statements);
        let camp = rng.below(camps as u64) as usize;
        // Partial Fisher-Yates: the first n entries become a random subset.
        for i in 0..n {
            let j = i + rng.below((statements - i) as u64) as usize;
            order.swap(i, j);
        }
        for &s in &order[..n] {
            let [a, d] = leaning[s as usize * camps + camp];
            let x = rng.next_f64();
            let vote = if x < a {
                Vote::Agree
            } else if x < a + d {
                Vote::Disagree
            } else {
                Vote::Pass
            };
            time += 1 + rng.below(1000) as i64;
            votes.push(VoteEvent {
                time,
                voter: p as u64,
                statement: u64::from(s),
                vote,
            });
            if votes.len() >= target_votes {
                return votes;
            }
        }
    }
    votes
}

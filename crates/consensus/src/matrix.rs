//! The sparse vote matrix: one row per participant, one column per statement,
//! holding only the cells where a vote exists.
//!
//! Rows and columns are numbered in the order first seen. A batch of votes
//! (a cold start, or one tick of an update) is applied in Pol.is's order,
//! sorted by (statement, participant, time, vote): Pol.is's math reads votes
//! `ORDER BY zid, tid, pid, created`, and k-means starts from the first
//! distinct rows, so the row numbering decides the base clusters and can
//! change the number of groups. Sorting also makes the numbering independent
//! of how the input rows were shuffled.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use crate::model::{StatementId, VoteEvent, VoterId};

/// Pol.is ignores votes beyond these sizes; so do we, to bound memory.
pub const MAX_PARTICIPANTS: usize = 100_000;
pub const MAX_STATEMENTS: usize = 10_000;

/// A fast hasher for integer ids (Fibonacci multiplicative hashing). The ids
/// come from the platform's own database or an export, not from an attacker
/// choosing collisions, and SipHash's cost showed up in every vote applied.
#[derive(Default, Clone, Copy)]
pub struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0 ^ n).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        self.0 ^= self.0 >> 29;
    }
}

type IdMap = HashMap<u64, u32, BuildHasherDefault<IdHasher>>;

/// One vote in a row: the column and the value (+1, 0, -1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cell {
    pub col: u32,
    pub value: i8,
}

#[derive(Debug, Clone, Default)]
pub struct VoteMatrix {
    pub voters: Vec<VoterId>,
    voter_index: IdMap,
    pub statements: Vec<StatementId>,
    statement_index: IdMap,
    /// Cells of each row, sorted by column.
    pub rows: Vec<Vec<Cell>>,
    /// Per column: agrees, disagrees and all votes (passes included).
    pub col_agree: Vec<u32>,
    pub col_disagree: Vec<u32>,
    pub col_count: Vec<u32>,
    pub n_votes: usize,
    /// Votes that are not passes; zero means an all-pass conversation.
    pub n_opinions: usize,
    /// Statements beyond [`MAX_STATEMENTS`] whose votes were left out, so that a
    /// caller can say so instead of dropping them without a word.
    pub left_out: std::collections::BTreeSet<StatementId>,
}

impl VoteMatrix {
    pub fn row_of(&self, voter: VoterId) -> Option<u32> {
        self.voter_index.get(&voter).copied()
    }

    pub fn col_of(&self, statement: StatementId) -> Option<u32> {
        self.statement_index.get(&statement).copied()
    }

    /// Applies one batch of votes in Pol.is's order: sorted by (statement,
    /// participant, time, vote). New participants get their rows in the order
    /// they are first seen in that order, new statements their columns in
    /// statement-id order; rows and columns that exist keep their index.
    /// Within one cell the votes are still applied in time order (ties broken
    /// by the vote), so the latest vote wins as it would in time order.
    ///
    /// The result equals applying the batch vote by vote in that sorted order
    /// (see the test below), but sorting the whole batch cost more than the
    /// rest of a cold update, so it is built in passes instead: a voter is
    /// first seen at their lowest statement id, so new rows are numbered by
    /// (lowest statement id, voter id); the votes are then bucketed by row
    /// and only each row's few votes are sorted.
    pub fn apply_batch(&mut self, batch: &[VoteEvent]) {
        if batch.is_empty() {
            return;
        }
        // New statements take columns in id order, up to the limit.
        // (Deduplicated while collected: sorting every vote's id cost more
        // than the rest of the build.)
        let mut seen: IdMap = IdMap::default();
        let mut new_statements: Vec<StatementId> = Vec::new();
        for e in batch {
            if !self.statement_index.contains_key(&e.statement)
                && seen.insert(e.statement, 0).is_none()
            {
                new_statements.push(e.statement);
            }
        }
        new_statements.sort_unstable();
        for s in new_statements {
            if self.statements.len() >= MAX_STATEMENTS {
                self.left_out.insert(s);
                continue;
            }
            let c = self.statements.len() as u32;
            self.statements.push(s);
            self.statement_index.insert(s, c);
            self.col_agree.push(0);
            self.col_disagree.push(0);
            self.col_count.push(0);
        }
        // New voters by (lowest statement id in the batch, voter id).
        let mut first: IdMap = IdMap::default();
        let mut lowest: Vec<(StatementId, VoterId)> = Vec::new();
        for e in batch {
            if self.voter_index.contains_key(&e.voter) {
                continue;
            }
            match first.get(&e.voter) {
                Some(&i) => {
                    let l = &mut lowest[i as usize].0;
                    *l = (*l).min(e.statement);
                }
                None => {
                    first.insert(e.voter, lowest.len() as u32);
                    lowest.push((e.statement, e.voter));
                }
            }
        }
        lowest.sort_unstable();
        for (_, v) in lowest {
            if self.voters.len() >= MAX_PARTICIPANTS {
                break;
            }
            let r = self.voters.len() as u32;
            self.voters.push(v);
            self.voter_index.insert(v, r);
            self.rows.push(Vec::new());
        }
        // Radix sort of the votes by (row, column) in two counting passes:
        // by column, then stably by row. Votes beyond the limits are dropped.
        // Votes on one cell end up side by side, and of those the latest
        // (time, then vote) stays, which the input order cannot change.
        let mut rc: Vec<(u32, u32)> = Vec::with_capacity(batch.len());
        let mut which: Vec<u32> = Vec::with_capacity(batch.len());
        for (i, e) in batch.iter().enumerate() {
            if let (Some(&r), Some(&c)) = (
                self.voter_index.get(&e.voter),
                self.statement_index.get(&e.statement),
            ) {
                rc.push((r, c));
                which.push(i as u32);
            }
        }
        let by_col = counting_order(rc.len(), self.n_cols(), |i| rc[i].1 as usize, None);
        let by_row = counting_order(
            rc.len(),
            self.rows.len(),
            |i| rc[i].0 as usize,
            Some(&by_col),
        );
        let later = |a: usize, b: usize| {
            let (ea, eb) = (&batch[which[a] as usize], &batch[which[b] as usize]);
            (ea.time, ea.vote) > (eb.time, eb.vote)
        };
        let mut fresh: Vec<Cell> = Vec::new();
        let mut k = 0;
        while k < by_row.len() {
            let r = rc[by_row[k] as usize].0;
            fresh.clear();
            let mut keep: Option<usize> = None;
            while k < by_row.len() && rc[by_row[k] as usize].0 == r {
                let i = by_row[k] as usize;
                k += 1;
                match keep {
                    Some(j) if rc[j].1 == rc[i].1 => {
                        if later(i, j) {
                            keep = Some(i);
                        }
                    }
                    _ => {
                        if let Some(j) = keep {
                            fresh.push(self.cell_of(batch, &which, &rc, j));
                        }
                        keep = Some(i);
                    }
                }
            }
            if let Some(j) = keep {
                fresh.push(self.cell_of(batch, &which, &rc, j));
            }
            self.merge_row(r as usize, &fresh);
        }
    }

    fn cell_of(&self, batch: &[VoteEvent], which: &[u32], rc: &[(u32, u32)], i: usize) -> Cell {
        Cell {
            col: rc[i].1,
            value: batch[which[i] as usize].vote.value(),
        }
    }

    /// Merges new cells (sorted by column, one per column) into row `r`:
    /// a new cell replaces an old one in the same column.
    fn merge_row(&mut self, r: usize, fresh: &[Cell]) {
        let old = std::mem::take(&mut self.rows[r]);
        let mut merged = Vec::with_capacity(old.len() + fresh.len());
        let (mut i, mut j) = (0, 0);
        while i < old.len() || j < fresh.len() {
            let take_old = j >= fresh.len() || (i < old.len() && old[i].col < fresh[j].col);
            if take_old {
                merged.push(old[i]);
                i += 1;
                continue;
            }
            let cell = fresh[j];
            j += 1;
            if i < old.len() && old[i].col == cell.col {
                let was = old[i].value;
                i += 1;
                self.untally(cell.col, was);
                self.n_opinions -= usize::from(was != 0);
            } else {
                self.col_count[cell.col as usize] += 1;
                self.n_votes += 1;
            }
            self.tally(cell.col, cell.value);
            self.n_opinions += usize::from(cell.value != 0);
            merged.push(cell);
        }
        self.rows[r] = merged;
    }

    /// Applies one vote; a later vote on the same cell replaces the earlier.
    /// New rows and columns are numbered in call order; batches should go
    /// through [`VoteMatrix::apply_batch`] to get Pol.is's numbering.
    pub fn apply(&mut self, event: &VoteEvent) {
        let row = match self.voter_index.get(&event.voter) {
            Some(&r) => r,
            None => {
                if self.voters.len() >= MAX_PARTICIPANTS {
                    return;
                }
                let r = self.voters.len() as u32;
                self.voters.push(event.voter);
                self.voter_index.insert(event.voter, r);
                self.rows.push(Vec::new());
                r
            }
        };
        let col = match self.statement_index.get(&event.statement) {
            Some(&c) => c,
            None => {
                if self.statements.len() >= MAX_STATEMENTS {
                    self.left_out.insert(event.statement);
                    return;
                }
                let c = self.statements.len() as u32;
                self.statements.push(event.statement);
                self.statement_index.insert(event.statement, c);
                self.col_agree.push(0);
                self.col_disagree.push(0);
                self.col_count.push(0);
                c
            }
        };
        let value = event.vote.value();
        let cells = &mut self.rows[row as usize];
        match cells.binary_search_by_key(&col, |cell| cell.col) {
            Ok(i) => {
                let old = cells[i].value;
                cells[i].value = value;
                self.untally(col, old);
                self.tally(col, value);
                self.n_opinions = self.n_opinions + usize::from(value != 0) - usize::from(old != 0);
            }
            Err(i) => {
                cells.insert(i, Cell { col, value });
                self.tally(col, value);
                self.col_count[col as usize] += 1;
                self.n_votes += 1;
                self.n_opinions += usize::from(value != 0);
            }
        }
    }

    fn tally(&mut self, col: u32, value: i8) {
        let c = col as usize;
        match value.signum() {
            1 => self.col_agree[c] += 1,
            -1 => self.col_disagree[c] += 1,
            _ => {}
        }
    }

    fn untally(&mut self, col: u32, value: i8) {
        let c = col as usize;
        match value.signum() {
            1 => self.col_agree[c] -= 1,
            -1 => self.col_disagree[c] -= 1,
            _ => {}
        }
    }

    /// Column mean over the cells that hold a vote (0 for an unvoted column).
    pub fn col_mean(&self, c: usize) -> f64 {
        if self.col_count[c] == 0 {
            0.0
        } else {
            (f64::from(self.col_agree[c]) - f64::from(self.col_disagree[c]))
                / f64::from(self.col_count[c])
        }
    }

    pub fn n_rows(&self) -> usize {
        self.rows.len()
    }

    pub fn n_cols(&self) -> usize {
        self.statements.len()
    }
}

/// A stable counting sort: the indices `0..n` (or those of `within`, in its
/// order) ordered by `key`, which is below `n_keys`.
fn counting_order(
    n: usize,
    n_keys: usize,
    key: impl Fn(usize) -> usize,
    within: Option<&[u32]>,
) -> Vec<u32> {
    let mut start = vec![0usize; n_keys + 1];
    for i in 0..n {
        start[key(i) + 1] += 1;
    }
    for k in 0..n_keys {
        start[k + 1] += start[k];
    }
    let mut out = vec![0u32; n];
    let mut place = |i: usize| {
        let k = key(i);
        out[start[k]] = i as u32;
        start[k] += 1;
    };
    match within {
        Some(order) => order.iter().for_each(|&i| place(i as usize)),
        None => (0..n).for_each(place),
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Vote;
    use crate::rng::SplitMix64;

    /// The batch build equals the plain definition: sort the batch by
    /// (statement, voter, time, vote) and apply it vote by vote.
    #[test]
    fn a_batch_equals_its_sorted_votes_applied_one_by_one() {
        let mut rng = SplitMix64::new(11);
        let mut random_batch = |n: usize| -> Vec<VoteEvent> {
            (0..n)
                .map(|_| VoteEvent {
                    time: rng.below(40) as i64 - 20,
                    voter: rng.below(30) * 1_000_003,
                    statement: rng.below(12) * 7,
                    vote: [Vote::Disagree, Vote::Pass, Vote::Agree][rng.below(3) as usize],
                })
                .collect()
        };
        let batches = [random_batch(300), random_batch(50), random_batch(200)];
        let mut fast = VoteMatrix::default();
        let mut plain = VoteMatrix::default();
        for batch in &batches {
            fast.apply_batch(batch);
            let mut sorted = batch.clone();
            sorted.sort_unstable_by_key(|e| (e.statement, e.voter, e.time, e.vote));
            for e in &sorted {
                plain.apply(e);
            }
            assert_eq!(fast.voters, plain.voters);
            assert_eq!(fast.statements, plain.statements);
            assert_eq!(fast.rows, plain.rows);
            assert_eq!(fast.col_agree, plain.col_agree);
            assert_eq!(fast.col_disagree, plain.col_disagree);
            assert_eq!(fast.col_count, plain.col_count);
            assert_eq!(fast.n_votes, plain.n_votes);
            assert_eq!(fast.n_opinions, plain.n_opinions);
        }
    }
}

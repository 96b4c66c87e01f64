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
    pub fn apply_batch(&mut self, batch: &[VoteEvent]) {
        let mut sorted = batch.to_vec();
        sorted.sort_unstable_by_key(|e| (e.statement, e.voter, e.time, e.vote));
        for event in &sorted {
            self.apply(event);
        }
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

//! Domain types shared by the loaders and the engine.

use serde::Serialize;

/// A participant's id as the export gives it (Pol.is `pid`).
pub type VoterId = u64;
/// A statement's id as the export gives it (Pol.is `tid`, "comment-id").
pub type StatementId = u64;

/// A vote, in the export sign convention (agree = +1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Vote {
    Disagree,
    Pass,
    Agree,
}

impl Vote {
    /// The numeric value used in the matrix: agree +1, disagree -1, pass 0.
    pub fn value(self) -> i8 {
        match self {
            Vote::Agree => 1,
            Vote::Disagree => -1,
            Vote::Pass => 0,
        }
    }

    /// Parses the export's text form. Pol.is writes integers; some tools write
    /// `1.0`, which is accepted too. Anything else is not a vote.
    pub fn parse(text: &str) -> Option<Vote> {
        match text.trim() {
            "1" | "+1" | "1.0" => Some(Vote::Agree),
            "-1" | "-1.0" => Some(Vote::Disagree),
            "0" | "-0" | "0.0" => Some(Vote::Pass),
            _ => None,
        }
    }
}

/// One row of the vote log: `voter` voted `vote` on `statement` at `time`
/// (milliseconds; only the order matters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct VoteEvent {
    pub time: i64,
    pub voter: VoterId,
    pub statement: StatementId,
    pub vote: Vote,
}

/// A statement and the moderation facts the engine needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    pub id: StatementId,
    pub text: String,
    /// `moderated = -1` in the export: zeroed in the PCA, never selected.
    pub moderated_out: bool,
    /// Meta statements ("I am a student") are treated like moderated-out ones in
    /// the math but get a fixed routing priority.
    pub is_meta: bool,
}

impl Statement {
    /// True when the statement takes no part in the opinion space.
    pub fn excluded(&self) -> bool {
        self.moderated_out || self.is_meta
    }
}

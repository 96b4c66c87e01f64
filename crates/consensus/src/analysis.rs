//! The engine's result. Its JSON form is a contract read by outside tools:
//! `participants`, `statements`, `votes`, `groups`, `consensus`,
//! `group_informed_consensus`, `bridging` and `coordinates` keep their names
//! and shapes; new keys may be added.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::model::{StatementId, VoterId};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Agree,
    Disagree,
}

/// A statement that sets a group (or perspective) apart from the rest.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RepresentativeStatement {
    pub statement: StatementId,
    pub direction: Direction,
    /// (agrees + 1) / (votes + 2) within the group.
    pub pa: f64,
    /// (disagrees + 1) / (votes + 2) within the group.
    pub pd: f64,
    /// Two-proportion z of the chosen direction, group versus the rest.
    pub z: f64,
    /// How many times likelier the chosen direction is in the group than outside.
    pub repness: f64,
    /// One-sample z of the chosen direction within the group.
    pub p_test: f64,
    pub n_agree: u32,
    pub n_disagree: u32,
    pub n_votes: u32,
}

/// An opinion group.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OpinionGroup {
    /// Stable across updates: a group keeps its id while it keeps its members.
    pub id: u32,
    pub members: Vec<VoterId>,
    pub representative: Vec<RepresentativeStatement>,
}

/// A statement most participants agree (or disagree) with.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConsensusStatement {
    pub statement: StatementId,
    pub direction: Direction,
    /// p × z of the direction (Pol.is's ranking).
    pub score: f64,
    pub p: f64,
    pub z: f64,
}

/// A statement a majority agrees with in every opinion group and every
/// perspective.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BridgingStatement {
    pub statement: StatementId,
    /// The smallest 95 % Wilson lower bound of the agree share over all groups
    /// and perspectives: a cautious "at least this share agrees everywhere".
    pub score: f64,
    /// The smallest plain agree share (agrees / votes) over them.
    pub min_agree_share: f64,
}

/// A point on the opinion map.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ParticipantPoint {
    pub participant: VoterId,
    pub x: f64,
    pub y: f64,
    /// The opinion group, when the participant is in conversation.
    pub group: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StatementPoint {
    pub statement: StatementId,
    pub x: f64,
    pub y: f64,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Coordinates {
    pub participants: Vec<ParticipantPoint>,
    pub statements: Vec<StatementPoint>,
}

/// The same statistics as for opinion groups, for one declared perspective.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PerspectiveReport {
    pub perspective: String,
    pub members: Vec<VoterId>,
    /// Statements that set this perspective apart from the other perspectives.
    pub representative: Vec<RepresentativeStatement>,
    /// Consensus within this perspective.
    pub consensus: Vec<ConsensusStatement>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Analysis {
    /// Participants with at least one vote.
    pub participants: usize,
    /// Statements known (from the votes and from comments.csv).
    pub statements: usize,
    /// Votes in the matrix (latest per participant and statement, passes too).
    pub votes: usize,
    /// Participants who count for the groups (the in-conversation rule).
    pub in_conversation: usize,
    /// The number of groups in use (after the smoother).
    pub k: usize,
    /// The number of groups the silhouette preferred in this update.
    pub best_k: usize,
    /// Silhouette per candidate k.
    pub silhouettes: BTreeMap<usize, f64>,
    pub groups: Vec<OpinionGroup>,
    pub consensus: Vec<ConsensusStatement>,
    pub group_informed_consensus: BTreeMap<StatementId, f64>,
    pub bridging: Vec<BridgingStatement>,
    pub coordinates: Coordinates,
    /// Routing weight per statement: how strongly to show it next.
    pub priorities: BTreeMap<StatementId, f64>,
    pub perspectives: Vec<PerspectiveReport>,
    /// Product over perspectives of (agrees + 1) / (votes + 2), per statement.
    pub perspective_informed_consensus: BTreeMap<StatementId, f64>,
}

//! The facilitator's moderation beyond accept and reject: fixing a statement's
//! text, merging a duplicate into the statement that survives, editing the
//! dot-voting ballot, and the kinds of entry in a session's log.
//!
//! Merging follows Pol.is's counting: the survivor keeps every vote it has, a
//! participant who voted only on the duplicate is counted on the survivor with
//! that vote, and a participant who voted on both keeps their vote on the
//! survivor (the duplicate's vote stays stored as the duplicate's, out of every
//! count). Dots the same way.

use crate::StatementId;
use std::collections::{BTreeMap, BTreeSet};

/// Why a merge is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum MergeError {
    #[error("a statement cannot be merged into itself")]
    SameStatement,
    #[error("the statement is not part of this session")]
    OtherSession,
    #[error("the statement was merged already")]
    AlreadyMerged,
    #[error("the statement to keep was merged into another one")]
    TargetMerged,
    #[error("the statement to keep is not accepted")]
    TargetNotAccepted,
    #[error("other statements were merged into this duplicate")]
    Chain,
}

impl MergeError {
    /// The message key shown to the facilitator.
    pub fn message_key(self) -> &'static str {
        match self {
            Self::SameStatement => "error-merge-same",
            Self::OtherSession => "error-merge-other-session",
            Self::AlreadyMerged => "error-merge-already-merged",
            Self::TargetMerged => "error-merge-target-merged",
            Self::TargetNotAccepted => "error-merge-target-not-accepted",
            Self::Chain => "error-merge-chain",
        }
    }
}

/// What a merge needs to know of each statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MergeSide {
    pub id: StatementId,
    /// Found among this session's statements.
    pub in_session: bool,
    pub accepted: bool,
    /// Merged into another statement already.
    pub merged: bool,
    /// Other statements were merged into this one.
    pub has_duplicates: bool,
}

/// Checks that `duplicate` may be merged into `survivor`. Refused: the same
/// statement, a statement of another session, a duplicate that was merged
/// already, a survivor that was merged or is not accepted, and a duplicate that
/// others were merged into (a chain: their votes would be counted twice over).
pub fn check_merge(duplicate: MergeSide, survivor: MergeSide) -> Result<(), MergeError> {
    if duplicate.id == survivor.id {
        return Err(MergeError::SameStatement);
    }
    if !duplicate.in_session || !survivor.in_session {
        return Err(MergeError::OtherSession);
    }
    if duplicate.merged {
        return Err(MergeError::AlreadyMerged);
    }
    if survivor.merged {
        return Err(MergeError::TargetMerged);
    }
    if duplicate.has_duplicates {
        return Err(MergeError::Chain);
    }
    if !survivor.accepted {
        return Err(MergeError::TargetNotAccepted);
    }
    Ok(())
}

/// What moves onto the survivor in a merge: each participant's entry on the
/// duplicate (a vote, or dots) for which the participant has none on the
/// survivor. Who has one on both keeps the survivor's.
pub fn carried_over<P: Ord + Copy, V: Copy>(
    survivor: &BTreeMap<P, V>,
    duplicate: &BTreeMap<P, V>,
) -> Vec<(P, V)> {
    duplicate
        .iter()
        .filter(|(p, _)| !survivor.contains_key(p))
        .map(|(p, v)| (*p, *v))
        .collect()
}

/// The facilitator's change to one statement's place on the dot-voting ballot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BallotEdit {
    /// On the ballot, whatever the analysis says.
    Added,
    /// Off the ballot, whatever the analysis says.
    Removed,
}

impl BallotEdit {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Added => "added",
            Self::Removed => "removed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s.trim() {
            "added" => Some(Self::Added),
            "removed" => Some(Self::Removed),
            _ => None,
        }
    }
}

/// The ballot with the facilitator's edits: the computed shortlist in its order
/// without what was removed, then what was added (in the order given) that is
/// accepted and not on it yet. The facilitator may go past the shortlist's
/// usual length: the room decided it wants that statement on it.
pub fn ballot(
    computed: &[StatementId],
    edits: &BTreeMap<StatementId, BallotEdit>,
    accepted: &BTreeSet<StatementId>,
) -> Vec<StatementId> {
    let mut out: Vec<StatementId> = computed
        .iter()
        .copied()
        .filter(|id| accepted.contains(id) && edits.get(id) != Some(&BallotEdit::Removed))
        .collect();
    for (id, edit) in edits {
        if *edit == BallotEdit::Added && accepted.contains(id) && !out.contains(id) {
            out.push(*id);
        }
    }
    out
}

/// What a session's log entry records. Stored by [`SessionLogAction::as_str`];
/// pages show it in the reader's language, never by this name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SessionLogAction {
    Created,
    /// Detail: "phase:action", e.g. "stemmen:open".
    Phase,
    JoinClosed,
    JoinOpened,
    /// A statement the facilitator wrote before the session started.
    SeedAdded,
    /// A statement the facilitator wrote once a phase had started.
    StatementAdded,
    Accepted,
    Rejected,
    /// Text is the new text, previous text the author's.
    Edited,
    /// The statement was merged into the other statement.
    Merged,
    BallotAdded,
    BallotRemoved,
    /// The ballot was fixed as prioriteren opened.
    BallotFrozen,
}

impl SessionLogAction {
    pub const ALL: [Self; 13] = [
        Self::Created,
        Self::Phase,
        Self::JoinClosed,
        Self::JoinOpened,
        Self::SeedAdded,
        Self::StatementAdded,
        Self::Accepted,
        Self::Rejected,
        Self::Edited,
        Self::Merged,
        Self::BallotAdded,
        Self::BallotRemoved,
        Self::BallotFrozen,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Created => "created",
            Self::Phase => "phase",
            Self::JoinClosed => "join_closed",
            Self::JoinOpened => "join_opened",
            Self::SeedAdded => "seed_added",
            Self::StatementAdded => "statement_added",
            Self::Accepted => "accepted",
            Self::Rejected => "rejected",
            Self::Edited => "edited",
            Self::Merged => "merged",
            Self::BallotAdded => "ballot_added",
            Self::BallotRemoved => "ballot_removed",
            Self::BallotFrozen => "ballot_frozen",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == s)
    }

    /// The suffix of its message key (`session-log-<suffix>`).
    pub fn message_key(self) -> String {
        format!("session-log-{}", self.as_str().replace('_', "-"))
    }
}

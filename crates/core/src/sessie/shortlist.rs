//! The prioritisation shortlist: which statements go onto the dot-voting ballot, in
//! which order. What connects the room comes first, so that dots go to statements
//! with a chance of shared action rather than to one group's favourites.

use super::tally::Tallies;
use crate::StatementId;
use std::collections::BTreeSet;

/// What the opinion-group analysis suggests, reduced to statement ids, each list
/// best first. Empty (the default) before the engine has found groups.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ShortlistCandidates {
    /// Statements that groups agree on across their differences.
    pub bridging: Vec<StatementId>,
    /// Per opinion group, its representative statements *on which the group
    /// agrees* (representative disagreements are left out by the caller).
    pub group_agreements: Vec<Vec<StatementId>>,
    /// Broad-consensus statements *the room agrees on*.
    pub consensus_agreements: Vec<StatementId>,
}

/// The ballot holds at most this many statements.
pub const SHORTLIST_MAX: usize = 10;
/// Representative agreements taken per opinion group.
pub const SHORTLIST_PER_GROUP: usize = 2;
/// With fewer than this many statements from the analysis (early in a session, or
/// before groups exist), the ballot is filled up by agreement.
pub const SHORTLIST_MIN_FROM_ANALYSIS: usize = 3;

/// The ballot: bridging statements, then up to [`SHORTLIST_PER_GROUP`]
/// representative agreements per group, then broad consensus, each once and only if
/// accepted; if that gives fewer than [`SHORTLIST_MIN_FROM_ANALYSIS`], the other
/// accepted statements follow by most agree votes (ties by id). At most
/// [`SHORTLIST_MAX`]. The order of `accepted` does not matter.
pub fn shortlist<K: Ord>(
    candidates: &ShortlistCandidates,
    accepted: impl IntoIterator<Item = StatementId>,
    tallies: &Tallies<K>,
) -> Vec<StatementId> {
    let accepted: BTreeSet<StatementId> = accepted.into_iter().collect();
    let mut out: Vec<StatementId> = vec![];
    let mut seen: BTreeSet<StatementId> = BTreeSet::new();
    let mut push = |id: StatementId, out: &mut Vec<StatementId>| {
        if out.len() < SHORTLIST_MAX && accepted.contains(&id) && seen.insert(id) {
            out.push(id);
        }
    };
    // The per-group limit counts a group's agreements before they are checked for
    // being accepted, as the ballot always has: a rejected favourite is not
    // replaced by the group's third.
    let from_analysis = candidates
        .bridging
        .iter()
        .chain(
            candidates
                .group_agreements
                .iter()
                .flat_map(|g| g.iter().take(SHORTLIST_PER_GROUP)),
        )
        .chain(candidates.consensus_agreements.iter());
    for id in from_analysis {
        push(*id, &mut out);
    }
    if out.len() < SHORTLIST_MIN_FROM_ANALYSIS {
        let mut by_agree: Vec<(StatementId, u32)> = accepted
            .iter()
            .map(|id| (*id, tallies.statement(*id).agree))
            .collect();
        by_agree.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        for (id, _) in by_agree {
            push(id, &mut out);
        }
    }
    out
}

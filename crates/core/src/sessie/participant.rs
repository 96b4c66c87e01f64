//! Rules of a participant's own screen: the few seconds a statement is still
//! accepted after *inbreng* closed, the +/− steps of dot-voting, which card comes
//! next, and which opinion group a participant may be told they are in.

use super::{Phase, PhaseState, Phases, SessieError};
use crate::anonymity::AnonymityRule;
use crate::StatementId;
use std::collections::BTreeMap;

/// Seconds after *inbreng* closed during which a statement that was being typed
/// is still accepted. Long enough to finish a sentence and press "send" after the
/// facilitator moved on; short enough that the room's next phase is not flooded.
pub const STATEMENT_GRACE_SECS: i64 = 30;

/// Whether a statement may be stored now: while *inbreng* is open, or within
/// [`STATEMENT_GRACE_SECS`] after it closed or paused (`closed_at`, when the
/// caller knows it). A read-only session never accepts one.
pub fn accepts_statement(
    phases: &Phases,
    read_only: bool,
    closed_at: Option<i64>,
    now: i64,
) -> Result<(), SessieError> {
    match phases.accepts_input(Phase::Inbreng, read_only) {
        Ok(()) => Ok(()),
        Err(SessieError::PhaseNotOpen)
            if phases.state(Phase::Inbreng) != PhaseState::NotStarted
                && closed_at.is_some_and(|t| (0..=STATEMENT_GRACE_SECS).contains(&(now - t))) =>
        {
            Ok(())
        }
        Err(e) => Err(e),
    }
}

/// Dots still to give under `budget`.
pub fn dots_left(allocation: &BTreeMap<i64, u32>, budget: u32) -> u32 {
    let used: u64 = allocation.values().map(|&n| u64::from(n)).sum();
    u32::try_from(u64::from(budget).saturating_sub(used)).unwrap_or(0)
}

/// One tap on "+" (`up`) or "−" for `statement`: the allocation after it. A "+"
/// with no dots left and a "−" on a statement without dots are refused, so the
/// page can say why nothing changed.
pub fn step_dots(
    allocation: &BTreeMap<i64, u32>,
    statement: i64,
    up: bool,
    budget: u32,
) -> Result<BTreeMap<i64, u32>, SessieError> {
    let mut next = allocation.clone();
    let have = next.get(&statement).copied().unwrap_or(0);
    if up {
        if dots_left(allocation, budget) == 0 {
            return Err(SessieError::OverBudget);
        }
        next.insert(statement, have + 1);
    } else {
        if have == 0 {
            return Err(SessieError::NoDotToTake);
        }
        if have == 1 {
            next.remove(&statement);
        } else {
            next.insert(statement, have - 1);
        }
    }
    Ok(next)
}

/// A statement a participant could be shown next.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CardCandidate {
    pub id: StatementId,
    /// The engine's routing weight; `None` for a statement it has not seen yet.
    pub priority: Option<f64>,
    /// The participant wrote it.
    pub own: bool,
}

/// The card to show next, from the statements the participant has not voted on.
/// The card shown last time (`kept`) stays until it is answered, so that a reload
/// or a visit to "mijn stemmen" does not swap it while routing weights move.
/// Otherwise the highest weight wins (new statements first, ties by the lower
/// id), except that the participant's own statements come after all others:
/// nobody is asked first whether they agree with themself.
pub fn next_card(candidates: &[CardCandidate], kept: Option<StatementId>) -> Option<StatementId> {
    if let Some(k) = kept.filter(|k| candidates.iter().any(|c| c.id == *k)) {
        return Some(k);
    }
    candidates
        .iter()
        .max_by(|a, b| {
            let pa = a.priority.unwrap_or(f64::INFINITY);
            let pb = b.priority.unwrap_or(f64::INFINITY);
            b.own
                .cmp(&a.own)
                .then(pa.total_cmp(&pb))
                .then(b.id.cmp(&a.id))
        })
        .map(|c| c.id)
}

/// The position (0 = the first group shown) of the opinion group `member` is in,
/// counted among the groups the anonymity rule lets a page show, with that
/// group's size; `None` if they are in no group or their group is too small to
/// be shown. `groups` is every group's members, in the engine's order.
pub fn my_group<M: PartialEq>(
    rule: &AnonymityRule,
    groups: &[&[M]],
    member: &M,
) -> Option<(usize, usize)> {
    rule.visible_groups(groups.iter().map(|g| (*g, g.len(), g.len())))
        .into_iter()
        .enumerate()
        .find(|(_, (members, _))| members.contains(member))
        .map(|(i, (_, size))| (i, size))
}

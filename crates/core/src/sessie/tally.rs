//! Vote tallies: the one place where a session's agree / disagree / pass votes are
//! counted, overall and per part of the room (a perspective, an opinion group), for
//! the console, the results page, the exports, the projector and the shortlist.
//!
//! **One vote per participant and statement.** A tally counts what it is given. It
//! must be given each participant's *current* vote on each statement, once: that is
//! what every source holds today: the `session_votes` table has the key
//! (participant, statement) and every write is an upsert (`ON CONFLICT … DO UPDATE`),
//! the live room keeps `participant → statement → vote` maps, and the engine side a
//! `(voter, statement) → vote` map. A source holding a log of changes of mind (an
//! import) must keep the latest vote per pair first, as the store's import does.
//!
//! Shares follow Pol.is: *agree out of all votes, passes included*.

use super::VoteChoice;
use crate::anonymity::{AnonymityRule, Suppressed};
use crate::StatementId;
use serde::{Deserialize, Serialize};
use std::borrow::Borrow;
use std::collections::BTreeMap;

/// The votes on one statement, within whatever part of the room was counted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Tally {
    pub agree: u32,
    pub disagree: u32,
    pub pass: u32,
}

impl Tally {
    pub fn add(&mut self, choice: VoteChoice) {
        // Saturating: no input can make counting panic.
        let n = match choice {
            VoteChoice::Agree => &mut self.agree,
            VoteChoice::Disagree => &mut self.disagree,
            VoteChoice::Pass => &mut self.pass,
        };
        *n = n.saturating_add(1);
    }

    /// Takes back one vote counted before (a changed vote); never below zero.
    pub fn remove(&mut self, choice: VoteChoice) {
        let n = match choice {
            VoteChoice::Agree => &mut self.agree,
            VoteChoice::Disagree => &mut self.disagree,
            VoteChoice::Pass => &mut self.pass,
        };
        *n = n.saturating_sub(1);
    }

    /// All votes, passes included.
    pub fn total(&self) -> u32 {
        self.agree
            .saturating_add(self.disagree)
            .saturating_add(self.pass)
    }

    /// The agree votes as a fraction (0–1) of all votes, passes included; `None`
    /// without votes.
    pub fn agree_share(&self) -> Option<f64> {
        let total = self.total();
        (total > 0).then(|| f64::from(self.agree) / f64::from(total))
    }

    /// Percent agree of all votes, passes included (as Pol.is reports it), to one
    /// decimal: what the exports write. `None` without votes.
    pub fn percent_agree(&self) -> Option<f64> {
        percent_one_decimal(self.agree, self.total())
    }

    /// Percent agree as a whole number, 0 without votes: what the results page
    /// shows and sorts by.
    pub fn percent_agree_whole(&self) -> u32 {
        let total = self.total();
        if total == 0 {
            return 0;
        }
        // Multiplied before dividing, as the results page always has: (a / n) * 100
        // can land just beside a .5 and round the other way. In 0..=100, so the
        // cast cannot truncate.
        (f64::from(self.agree) * 100.0 / f64::from(total)).round() as u32
    }
}

impl Extend<VoteChoice> for Tally {
    fn extend<I: IntoIterator<Item = VoteChoice>>(&mut self, iter: I) {
        for c in iter {
            self.add(c);
        }
    }
}

impl FromIterator<VoteChoice> for Tally {
    fn from_iter<I: IntoIterator<Item = VoteChoice>>(iter: I) -> Self {
        let mut t = Tally::default();
        t.extend(iter);
        t
    }
}

/// `part` out of `whole` in percent, rounded to one decimal; `None` when `whole` is 0.
pub fn percent_one_decimal(part: u32, whole: u32) -> Option<f64> {
    (whole > 0).then(|| (f64::from(part) * 1000.0 / f64::from(whole)).round() / 10.0)
}

/// How a part of the room voted on one statement, for lists ranked by agreement.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GroupAgreement {
    pub statement: StatementId,
    /// Agree out of all votes (0–1), passes included.
    pub share: f64,
    /// The votes behind the share.
    pub votes: u32,
}

/// Tallies per statement, overall and per group key `K` (a perspective, an opinion
/// group id, or `()` when only the overall count matters).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tallies<K = ()> {
    overall: BTreeMap<StatementId, Tally>,
    by_group: BTreeMap<StatementId, BTreeMap<K, Tally>>,
}

impl<K> Default for Tallies<K> {
    fn default() -> Self {
        Self {
            overall: BTreeMap::new(),
            by_group: BTreeMap::new(),
        }
    }
}

impl Tallies<()> {
    /// Overall counts only.
    pub fn from_choices(votes: impl IntoIterator<Item = (StatementId, VoteChoice)>) -> Self {
        Self::from_votes(votes.into_iter().map(|(s, c)| (s, None, c)))
    }

    /// Keeps overall counts up to date as votes come in: a participant's vote on
    /// `statement` went from `before` (none for a first vote) to `now`. The same
    /// as counting every current vote again, at the cost of one.
    pub fn change(&mut self, statement: StatementId, before: Option<VoteChoice>, now: VoteChoice) {
        let tally = self.overall.entry(statement).or_default();
        if let Some(old) = before {
            tally.remove(old);
        }
        tally.add(now);
    }

    /// Drops a statement's counts: its votes no longer count (it was merged
    /// into another statement as a duplicate).
    pub fn forget(&mut self, statement: StatementId) {
        self.overall.remove(&statement);
        self.by_group.remove(&statement);
    }
}

/// Opinion groups with fewer votes on a statement do not count towards its spread.
pub const DIVISIVE_MIN_GROUP_VOTES: u32 = 2;
/// The least spread of the agree share between groups for a statement to divide.
pub const DIVISIVE_MIN_SPREAD: f64 = 0.3;
/// How many divisive statements the projector lists.
pub const DIVISIVE_LIMIT: usize = 5;

impl<K: Ord> Tallies<K> {
    /// Counts every vote overall and, when it has one, under its voter's group. See
    /// the module documentation: one current vote per participant and statement.
    pub fn from_votes(
        votes: impl IntoIterator<Item = (StatementId, Option<K>, VoteChoice)>,
    ) -> Self {
        let mut t = Self::default();
        for (statement, group, choice) in votes {
            t.add(statement, group, choice);
        }
        t
    }

    pub fn add(&mut self, statement: StatementId, group: Option<K>, choice: VoteChoice) {
        self.overall.entry(statement).or_default().add(choice);
        if let Some(g) = group {
            self.by_group
                .entry(statement)
                .or_default()
                .entry(g)
                .or_default()
                .add(choice);
        }
    }

    /// A statement's overall tally; zero when nobody voted on it.
    pub fn statement(&self, id: StatementId) -> Tally {
        self.overall.get(&id).copied().unwrap_or_default()
    }

    /// Statements with at least one vote, by id.
    pub fn statements(&self) -> impl Iterator<Item = (StatementId, Tally)> + '_ {
        self.overall.iter().map(|(id, t)| (*id, *t))
    }

    /// Every vote counted, passes included.
    pub fn total_votes(&self) -> u64 {
        self.overall.values().map(|t| u64::from(t.total())).sum()
    }

    /// One group's tally on a statement, whatever its size. For a figure that is
    /// shown or exported use [`Tallies::group_figure`], which applies the
    /// anonymity rule.
    pub fn group<Q>(&self, id: StatementId, group: &Q) -> Tally
    where
        K: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        self.by_group
            .get(&id)
            .and_then(|g| g.get(group))
            .copied()
            .unwrap_or_default()
    }

    /// The groups that voted on a statement, by key.
    pub fn groups(&self, id: StatementId) -> impl Iterator<Item = (&K, Tally)> + '_ {
        self.by_group
            .get(&id)
            .into_iter()
            .flat_map(|g| g.iter().map(|(k, t)| (k, *t)))
    }

    /// A group's tally on a statement if the votes behind it are enough under the
    /// anonymity rule. The group size is the number of votes in that cell: the
    /// figure is computed from those people only, however large the group is.
    pub fn group_figure<Q>(
        &self,
        id: StatementId,
        group: &Q,
        rule: &AnonymityRule,
    ) -> Suppressed<Tally>
    where
        K: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        let t = self.group(id, group);
        rule.figure(usize::try_from(t.total()).unwrap_or(usize::MAX), || t)
    }

    /// Statements on which the groups differ most: the spread between the most and
    /// the least agreeing group (agree share, passes included), counting groups with
    /// at least [`DIVISIVE_MIN_GROUP_VOTES`] votes on it and statements where at
    /// least two such groups exist; a spread of [`DIVISIVE_MIN_SPREAD`] or more,
    /// largest first (ties by id), at most [`DIVISIVE_LIMIT`].
    pub fn divisive(&self) -> Vec<(StatementId, f64)> {
        let mut out: Vec<(StatementId, f64)> = self
            .by_group
            .iter()
            .filter_map(|(id, groups)| {
                let shares: Vec<f64> = groups
                    .values()
                    .filter(|t| t.total() >= DIVISIVE_MIN_GROUP_VOTES)
                    .filter_map(Tally::agree_share)
                    .collect();
                if shares.len() < 2 {
                    return None;
                }
                let max = shares.iter().copied().fold(f64::MIN, f64::max);
                let min = shares.iter().copied().fold(f64::MAX, f64::min);
                Some((*id, max - min))
            })
            .filter(|(_, spread)| *spread >= DIVISIVE_MIN_SPREAD)
            .collect();
        out.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        out.truncate(DIVISIVE_LIMIT);
        out
    }

    /// Per group, the statements it voted on ranked by agreement: highest share
    /// first, then more votes, then id. Cells with fewer votes than the anonymity
    /// rule asks for are left out; a group left with none is left out too.
    pub fn agreement_by_group(&self, rule: &AnonymityRule) -> BTreeMap<K, Vec<GroupAgreement>>
    where
        K: Clone,
    {
        let mut out: BTreeMap<K, Vec<GroupAgreement>> = BTreeMap::new();
        for (id, groups) in &self.by_group {
            for (k, t) in groups {
                let votes = t.total();
                let (true, Some(share)) = (
                    rule.shows(usize::try_from(votes).unwrap_or(usize::MAX)),
                    t.agree_share(),
                ) else {
                    continue;
                };
                out.entry(k.clone()).or_default().push(GroupAgreement {
                    statement: *id,
                    share,
                    votes,
                });
            }
        }
        for list in out.values_mut() {
            list.sort_by(|a, b| {
                b.share
                    .total_cmp(&a.share)
                    .then(b.votes.cmp(&a.votes))
                    .then(a.statement.cmp(&b.statement))
            });
        }
        out
    }
}

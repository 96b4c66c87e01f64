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

/// The least votes a statement needs before a list may rank it by its figures:
/// with fewer, one vote moves a share by more than 20 points. A statement below
/// it is still listed, after every statement that has enough (see
/// [`Tally::enough_to_rank`]); it is never ranked first on the strength of two votes.
pub const MIN_VOTES_TO_RANK: u32 = 5;
/// The least share of one group agreeing, and of another disagreeing, for a
/// statement to divide the room: half of each.
pub const DIVISIVE_MIN_SHARE: f64 = 0.5;
/// How many divisive statements the projector lists.
pub const DIVISIVE_LIMIT: usize = 5;

/// A statement on which the room's groups take opposite sides.
#[derive(Debug, Clone, PartialEq)]
pub struct Divide<K> {
    pub statement: StatementId,
    /// The smaller of the two shares that make the divide: at least this share of
    /// one group agrees while at least this share of another disagrees.
    pub strength: f64,
    /// The group where the largest share agrees, and the group where the largest
    /// share disagrees, with their plain counts.
    pub agreeing: (K, Tally),
    pub disagreeing: (K, Tally),
    /// Every group that counted (enough votes on the statement), by key.
    pub groups: Vec<(K, Tally)>,
}

/// `part` out of `whole` as a fraction, 0 when `whole` is 0.
fn share(part: u32, whole: u32) -> f64 {
    if whole == 0 {
        0.0
    } else {
        f64::from(part) / f64::from(whole)
    }
}

impl Tally {
    /// Enough votes for a list to rank this statement by its figures
    /// ([`MIN_VOTES_TO_RANK`]).
    pub fn enough_to_rank(&self) -> bool {
        self.total() >= MIN_VOTES_TO_RANK
    }

    /// The disagree votes as a fraction (0–1) of all votes, passes included.
    pub fn disagree_share(&self) -> Option<f64> {
        let total = self.total();
        (total > 0).then(|| f64::from(self.disagree) / f64::from(total))
    }

    /// Percent disagree as a whole number, 0 without votes.
    pub fn percent_disagree_whole(&self) -> u32 {
        let total = self.total();
        if total == 0 {
            return 0;
        }
        (f64::from(self.disagree) * 100.0 / f64::from(total)).round() as u32
    }
}

/// Orders a list so that statements with enough votes to rank come first, each
/// part keeping its own order (a stable partition): the rule every ranked list
/// follows, whatever it ranks by.
pub fn rank_enough_first<T>(list: &mut [T], tally_of: impl Fn(&T) -> Tally) {
    list.sort_by_key(|item| !tally_of(item).enough_to_rank());
}

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

    /// Statements on which the groups take opposite sides: one group mostly
    /// agrees while another mostly disagrees. A pass is not a disagreement: it
    /// counts in a group's votes (the shares are plain shares of all votes) but
    /// never on either side. For each statement the strength is the best, over
    /// two different groups, of the smaller of "share of the one that agrees" and
    /// "share of the other that disagrees"; a statement divides with a strength of
    /// [`DIVISIVE_MIN_SHARE`] or more. Only groups whose votes on the statement
    /// the anonymity rule shows take part. Strongest first (ties: more votes,
    /// then id), statements with fewer than [`MIN_VOTES_TO_RANK`] votes after
    /// the others, at most [`DIVISIVE_LIMIT`].
    pub fn divisive(&self, rule: &AnonymityRule) -> Vec<Divide<K>>
    where
        K: Clone,
    {
        let mut out: Vec<Divide<K>> = self
            .by_group
            .iter()
            .filter_map(|(id, groups)| {
                let counted: Vec<(&K, Tally)> = groups
                    .iter()
                    .filter(|(_, t)| rule.shows(usize::try_from(t.total()).unwrap_or(usize::MAX)))
                    .map(|(k, t)| (k, *t))
                    .collect();
                let mut best: Option<(f64, usize, usize)> = None;
                for (i, (_, a)) in counted.iter().enumerate() {
                    for (j, (_, d)) in counted.iter().enumerate() {
                        if i == j {
                            continue;
                        }
                        let strength = share(a.agree, a.total()).min(share(d.disagree, d.total()));
                        if best.is_none_or(|(s, _, _)| strength > s) {
                            best = Some((strength, i, j));
                        }
                    }
                }
                let (strength, i, j) = best?;
                (strength >= DIVISIVE_MIN_SHARE).then(|| Divide {
                    statement: *id,
                    strength,
                    agreeing: (counted[i].0.clone(), counted[i].1),
                    disagreeing: (counted[j].0.clone(), counted[j].1),
                    groups: counted.iter().map(|(k, t)| ((*k).clone(), *t)).collect(),
                })
            })
            .collect();
        out.sort_by(|a, b| {
            b.strength
                .total_cmp(&a.strength)
                .then(
                    self.statement(b.statement)
                        .total()
                        .cmp(&self.statement(a.statement).total()),
                )
                .then(a.statement.cmp(&b.statement))
        });
        rank_enough_first(&mut out, |d| self.statement(d.statement));
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
            list.sort_by_key(|g| g.votes < MIN_VOTES_TO_RANK);
        }
        out
    }
}

//! The engine: holds the vote matrix and the warm-start state, and turns them
//! into opinion groups and their statistics.
//!
//! One update runs the Pol.is pipeline: PCA (warm-started from the previous
//! components), projection, the sticky in-conversation set, 100 base clusters
//! (warm-started from the previous ones), group k-means for each candidate k
//! (each warm-started from its own previous result), the silhouette choice of
//! k passed through the smoother, and stable group labels. Statistics are
//! computed from the clustering only when a report is asked for, so replaying
//! thousands of ticks stays cheap.

use std::collections::BTreeMap;

use crate::analysis::{
    Analysis, BridgingStatement, Coordinates, OpinionGroup, ParticipantPoint, PerspectiveReport,
    StatementPoint,
};
use crate::cluster::{self, Cluster};
use crate::error::AnalysisError;
use crate::matrix::VoteMatrix;
use crate::model::{Statement, StatementId, VoteEvent, VoterId};
use crate::pca::{self, Pca};
use crate::stats::{self, Tally};

/// How many opinion groups to form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupCount {
    /// Pol.is's rule: k = 2..5 chosen by silhouette, through the smoother.
    Auto,
    /// Exactly this many (2..=8), fewer only when there are fewer base clusters.
    Fixed(usize),
}

/// Tunables. The defaults are Pol.is's.
#[derive(Debug, Clone, PartialEq)]
pub struct EngineConfig {
    pub groups: GroupCount,
    /// Seed of the cold-start vectors of the power iteration.
    pub seed: u64,
    pub base_clusters: usize,
    pub max_auto_groups: usize,
    /// A new best k takes effect after winning this many updates in a row.
    pub k_smoother_updates: usize,
    /// Votes needed to be in conversation (capped at the number of statements).
    pub min_votes: usize,
    /// Top the in-conversation set up to this many participants.
    pub min_in_conversation: usize,
}

impl Default for EngineConfig {
    fn default() -> Self {
        EngineConfig {
            groups: GroupCount::Auto,
            seed: 0x004b_6f65_7273,
            base_clusters: 100,
            max_auto_groups: 5,
            k_smoother_updates: 4,
            min_votes: 7,
            min_in_conversation: 15,
        }
    }
}

pub const MAX_FIXED_GROUPS: usize = 8;
const BASE_ITERATIONS: usize = 100;
const GROUP_ITERATIONS: usize = 20;
const MOVE_THRESHOLD: f64 = 0.01;

/// The k smoother's memory.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct KSmoother {
    last_k: Option<usize>,
    last_k_count: usize,
    smoothed_k: Option<usize>,
}

impl KSmoother {
    fn update(&mut self, best: usize, needed: usize) -> usize {
        self.last_k_count = if self.last_k == Some(best) {
            self.last_k_count + 1
        } else {
            1
        };
        self.last_k = Some(best);
        let k = match self.smoothed_k {
            Some(_) if self.last_k_count >= needed => best,
            Some(k) => k,
            None => best,
        };
        self.smoothed_k = Some(k);
        k
    }
}

/// The result of the clustering half of an update.
#[derive(Debug, Clone, Default)]
struct Clustering {
    active: Vec<bool>,
    pca: Pca,
    points: Vec<[f64; 2]>,
    /// Group label per row (None: not in conversation).
    label_of_row: Vec<Option<u32>>,
    /// Labels in use, ascending.
    labels: Vec<u32>,
    best_k: usize,
    silhouettes: BTreeMap<usize, f64>,
}

/// A summary of one update, cheap to return on every tick.
#[derive(Debug, Clone, PartialEq)]
pub struct UpdateSummary {
    pub k: usize,
    pub best_k: usize,
    pub in_conversation: usize,
    pub base_clusters: usize,
    pub pca_iterations: usize,
}

/// The opinion-group engine for one conversation.
#[derive(Debug, Clone)]
pub struct Engine {
    config: EngineConfig,
    matrix: VoteMatrix,
    statements: BTreeMap<StatementId, Statement>,
    perspectives: BTreeMap<VoterId, String>,
    in_conversation: Vec<bool>,
    /// The previous PCA block (components and guard vectors).
    comps: Option<Vec<Vec<f64>>>,
    base: Vec<(u32, [f64; 2])>,
    group_starts: BTreeMap<usize, Vec<(u32, [f64; 2])>>,
    smoother: KSmoother,
    clustering: Option<Clustering>,
}

impl Engine {
    /// Statements whose votes were left out because the conversation has more than
    /// [`crate::matrix::MAX_STATEMENTS`] of them (the first ones it saw are kept).
    pub fn statements_left_out(&self) -> usize {
        self.matrix.left_out.len()
    }

    pub fn new(config: EngineConfig) -> Result<Engine, AnalysisError> {
        if let GroupCount::Fixed(k) = config.groups {
            if !(2..=MAX_FIXED_GROUPS).contains(&k) {
                return Err(AnalysisError::BadGroupCount(k));
            }
        }
        Ok(Engine {
            config,
            matrix: VoteMatrix::default(),
            statements: BTreeMap::new(),
            perspectives: BTreeMap::new(),
            in_conversation: Vec::new(),
            comps: None,
            base: Vec::new(),
            group_starts: BTreeMap::new(),
            smoother: KSmoother::default(),
            clustering: None,
        })
    }

    /// Sets or replaces statement texts and moderation (takes effect at the
    /// next update).
    pub fn set_statements<'a>(&mut self, statements: impl IntoIterator<Item = &'a Statement>) {
        for s in statements {
            self.statements.insert(s.id, s.clone());
        }
    }

    /// Declares participants' perspectives for the perspective lens.
    pub fn set_perspectives(&mut self, perspectives: BTreeMap<VoterId, String>) {
        self.perspectives = perspectives;
    }

    pub fn statement(&self, id: StatementId) -> Option<&Statement> {
        self.statements.get(&id)
    }

    /// Adds one tick of votes (a cold start is one tick with every vote). The
    /// batch is applied in Pol.is's order, (statement, participant, time,
    /// vote): new participants are numbered in the order first seen in that
    /// order, which is the order k-means takes its start centres in, and the
    /// order of rows within a batch never matters. Within one cell the latest
    /// vote wins.
    pub fn add_votes(&mut self, batch: &[VoteEvent]) {
        self.matrix.apply_batch(batch);
    }

    /// Participants in row order: the order k-means takes its start centres
    /// in and in-conversation top-up ties are broken by.
    pub fn participant_order(&self) -> &[VoterId] {
        &self.matrix.voters
    }

    /// Statements in column order.
    pub fn statement_order(&self) -> &[StatementId] {
        &self.matrix.statements
    }

    /// Forgets the warm-start state (components, clusters, smoother, the
    /// in-conversation set), so the next update is a cold start.
    pub fn reset_warm_state(&mut self) {
        self.in_conversation.clear();
        self.comps = None;
        self.base.clear();
        self.group_starts.clear();
        self.smoother = KSmoother::default();
        self.clustering = None;
    }

    fn check(&self, active: &[bool]) -> Result<(), AnalysisError> {
        let m = &self.matrix;
        if m.n_votes == 0 {
            return Err(AnalysisError::Empty);
        }
        if m.n_rows() < 2 {
            return Err(AnalysisError::OneParticipant);
        }
        if m.n_opinions == 0 {
            return Err(AnalysisError::AllPass);
        }
        if !(0..m.n_cols()).any(|c| active[c] && m.col_count[c] > 0) {
            return Err(AnalysisError::AllModerated);
        }
        Ok(())
    }

    fn active_columns(&self) -> Vec<bool> {
        self.matrix
            .statements
            .iter()
            .map(|id| self.statements.get(id).is_none_or(|s| !s.excluded()))
            .collect()
    }

    /// Recomputes the groups from a warm start (a cold start the first time).
    pub fn update_groups(&mut self) -> Result<UpdateSummary, AnalysisError> {
        let active = self.active_columns();
        self.check(&active)?;
        let m = &self.matrix;
        let pca = pca::pca(m, &active, self.comps.as_deref(), self.config.seed);
        let points = pca::project_participants(m, &active, &pca);

        // In conversation: enough votes (passes count), and once in, in for good.
        self.in_conversation.resize(m.n_rows(), false);
        let needed = self.config.min_votes.min(m.n_cols());
        for (r, cells) in m.rows.iter().enumerate() {
            if cells.len() >= needed {
                self.in_conversation[r] = true;
            }
        }
        let mut count = self.in_conversation.iter().filter(|x| **x).count();
        if count < self.config.min_in_conversation {
            let mut rest: Vec<usize> = (0..m.n_rows())
                .filter(|&r| !self.in_conversation[r])
                .collect();
            rest.sort_by_key(|&r| (std::cmp::Reverse(m.rows[r].len()), r));
            for r in rest {
                if count >= self.config.min_in_conversation {
                    break;
                }
                self.in_conversation[r] = true;
                count += 1;
            }
        }
        let in_rows: Vec<usize> = (0..m.n_rows())
            .filter(|&r| self.in_conversation[r])
            .collect();
        let in_points: Vec<[f64; 2]> = in_rows.iter().map(|&r| points[r]).collect();

        // Stage 1: base clusters over participants.
        let start = cluster::start_centres(&in_points, &self.base, self.config.base_clusters);
        let base: Vec<Cluster> =
            cluster::kmeans(&in_points, None, start, BASE_ITERATIONS, MOVE_THRESHOLD);
        let centres: Vec<[f64; 2]> = base.iter().map(|c| c.center).collect();
        let weights: Vec<f64> = base.iter().map(|c| c.members.len() as f64).collect();

        // Stage 2: groups over base-cluster centres, for each candidate k.
        let candidates: Vec<usize> = match self.config.groups {
            GroupCount::Auto => {
                let max = self
                    .config
                    .max_auto_groups
                    .min(2 + base.len() / 12)
                    .min(base.len());
                (2..=max).collect()
            }
            GroupCount::Fixed(k) => vec![k.min(base.len())],
        };
        let mut clusterings: BTreeMap<usize, Vec<Cluster>> = BTreeMap::new();
        let mut silhouettes = BTreeMap::new();
        for &k in &candidates {
            if k < 2 {
                continue;
            }
            let previous = self.group_starts.get(&k).map_or(&[][..], |v| v.as_slice());
            let start = cluster::start_centres(&centres, previous, k);
            let mut groups = cluster::kmeans(
                &centres,
                Some(&weights),
                start,
                GROUP_ITERATIONS,
                MOVE_THRESHOLD,
            );
            // Pol.is starts from the first distinct points (or the previous
            // groups). When those lie close together, k-means can end in a
            // split that is worse than no split (silhouette <= 0). Only then
            // a spread-out start is tried, and kept if it separates better;
            // otherwise Pol.is's path is kept (see docs/consensus.md).
            if cluster::silhouette(
                &centres,
                &group_labels(&groups, centres.len()),
                groups.len(),
            ) <= 0.0
            {
                let spread = cluster::kmeans(
                    &centres,
                    Some(&weights),
                    cluster::spread_centres(&centres, &weights, k),
                    GROUP_ITERATIONS,
                    MOVE_THRESHOLD,
                );
                let s_old = cluster::silhouette(
                    &centres,
                    &group_labels(&groups, centres.len()),
                    groups.len(),
                );
                let s_new = cluster::silhouette(
                    &centres,
                    &group_labels(&spread, centres.len()),
                    spread.len(),
                );
                if s_new > s_old {
                    groups = spread;
                }
            }
            let labels = group_labels(&groups, centres.len());
            silhouettes.insert(k, cluster::silhouette(&centres, &labels, groups.len()));
            clusterings.insert(k, groups);
        }
        let mut best_k = 1;
        let mut best_s = f64::NEG_INFINITY;
        for (&k, &s) in &silhouettes {
            if s > best_s {
                best_s = s;
                best_k = k;
            }
        }
        let k = match self.config.groups {
            GroupCount::Auto if best_k >= 2 => {
                let smoothed = self.smoother.update(best_k, self.config.k_smoother_updates);
                if clusterings.contains_key(&smoothed) {
                    smoothed
                } else {
                    best_k
                }
            }
            _ => best_k,
        };

        // Group of each in-conversation row through its base cluster.
        let chosen: Vec<Vec<usize>> = match clusterings.get(&k) {
            Some(groups) => groups
                .iter()
                .map(|g| {
                    let mut rows: Vec<usize> = g
                        .members
                        .iter()
                        .flat_map(|&b| {
                            base[b as usize]
                                .members
                                .iter()
                                .map(|&i| in_rows[i as usize])
                        })
                        .collect();
                    rows.sort_unstable();
                    rows
                })
                .collect(),
            // Fewer than two distinct opinions: everyone in one group.
            None => vec![in_rows.clone()],
        };
        let previous = self.clustering.as_ref().map(|c| c.label_of_row.as_slice());
        let group_labels = stable_labels(&chosen, previous);
        let mut label_of_row = vec![None; m.n_rows()];
        for (g, rows) in chosen.iter().enumerate() {
            for &r in rows {
                label_of_row[r] = Some(group_labels[g]);
            }
        }
        let mut labels = group_labels.clone();
        labels.sort_unstable();

        let summary = UpdateSummary {
            k: chosen.len(),
            best_k,
            in_conversation: in_rows.len(),
            base_clusters: base.len(),
            pca_iterations: pca.iterations,
        };
        self.base = base.iter().map(|c| (c.id, c.center)).collect();
        for (k, groups) in &clusterings {
            self.group_starts
                .insert(*k, groups.iter().map(|c| (c.id, c.center)).collect());
        }
        self.comps = Some(pca.basis.clone());
        self.clustering = Some(Clustering {
            active,
            pca,
            points,
            label_of_row,
            labels,
            best_k,
            silhouettes,
        });
        Ok(summary)
    }

    /// Updates the groups and reports everything.
    pub fn update(&mut self) -> Result<Analysis, AnalysisError> {
        self.update_groups()?;
        self.report()
    }

    /// Reports on the latest clustering (runs an update if there is none).
    pub fn report(&mut self) -> Result<Analysis, AnalysisError> {
        if self.clustering.is_none() {
            self.update_groups()?;
        }
        let Some(cl) = self.clustering.as_ref() else {
            return Err(AnalysisError::Empty);
        };
        Ok(self.build_report(cl))
    }

    fn build_report(&self, cl: &Clustering) -> Analysis {
        let m = &self.matrix;
        let ids = &m.statements;
        let n_cols = m.n_cols();
        // Statements moderated after the last update are excluded from the
        // selections at once.
        let active: Vec<bool> = self
            .active_columns()
            .iter()
            .zip(cl.active.iter().chain(std::iter::repeat(&true)))
            .map(|(a, b)| *a && *b)
            .collect();

        let set_of_row: Vec<Option<usize>> = cl
            .label_of_row
            .iter()
            .map(|l| l.and_then(|l| cl.labels.binary_search(&l).ok()))
            .collect();
        let group_tallies = stats::tally_sets(m, &set_of_row, cl.labels.len());
        let representative = if cl.labels.len() >= 2 {
            stats::representative(&group_tallies, &active, ids)
        } else {
            vec![Vec::new(); cl.labels.len()]
        };
        let mut members: Vec<Vec<VoterId>> = vec![Vec::new(); cl.labels.len()];
        for (r, s) in set_of_row.iter().enumerate() {
            if let Some(s) = s {
                members[*s].push(m.voters[r]);
            }
        }
        let groups: Vec<OpinionGroup> = cl
            .labels
            .iter()
            .zip(members)
            .zip(representative)
            .map(|((&id, mut members), representative)| {
                members.sort_unstable();
                OpinionGroup {
                    id,
                    members,
                    representative,
                }
            })
            .collect();

        let all = stats::tally_all(m);
        let consensus = stats::consensus(&all, &active, ids);
        let group_informed_consensus: BTreeMap<StatementId, f64> = (0..n_cols)
            .map(|c| (ids[c], stats::informed_consensus(&group_tallies, c)))
            .collect();

        // Perspective lens: the same statistics per declared perspective.
        let names: Vec<&String> = {
            let mut v: Vec<&String> = self.perspectives.values().collect();
            v.sort_unstable();
            v.dedup();
            v
        };
        let persp_of_row: Vec<Option<usize>> = if names.is_empty() {
            Vec::new()
        } else {
            m.voters
                .iter()
                .map(|v| {
                    self.perspectives
                        .get(v)
                        .and_then(|p| names.binary_search(&p).ok())
                })
                .collect()
        };
        let persp_tallies = if names.is_empty() {
            Vec::new()
        } else {
            stats::tally_sets(m, &persp_of_row, names.len())
        };
        let persp_repr = if names.len() >= 2 {
            stats::representative(&persp_tallies, &active, ids)
        } else {
            vec![Vec::new(); names.len()]
        };
        let mut persp_members: Vec<Vec<VoterId>> = vec![Vec::new(); names.len()];
        for (r, p) in persp_of_row.iter().enumerate() {
            if let Some(p) = p {
                persp_members[*p].push(m.voters[r]);
            }
        }
        let perspectives: Vec<PerspectiveReport> = names
            .iter()
            .enumerate()
            .zip(persp_repr)
            .map(|((i, name), representative)| {
                let mut members = std::mem::take(&mut persp_members[i]);
                members.sort_unstable();
                PerspectiveReport {
                    perspective: (*name).clone(),
                    members,
                    representative,
                    consensus: stats::consensus(&persp_tallies[i], &active, ids),
                }
            })
            .collect();
        let perspective_informed_consensus: BTreeMap<StatementId, f64> = if names.is_empty() {
            BTreeMap::new()
        } else {
            (0..n_cols)
                .map(|c| (ids[c], stats::informed_consensus(&persp_tallies, c)))
                .collect()
        };

        let bridging = bridging(&group_tallies, &persp_tallies, &active, ids);

        let statement_points = pca::project_statements(&cl.active, &cl.pca);
        let mut coordinates = Coordinates::default();
        let mut order: Vec<usize> = (0..m.n_rows()).collect();
        order.sort_unstable_by_key(|&r| m.voters[r]);
        for r in order {
            let p = cl.points.get(r).copied().unwrap_or([0.0, 0.0]);
            coordinates.participants.push(ParticipantPoint {
                participant: m.voters[r],
                x: p[0],
                y: p[1],
                group: cl.label_of_row.get(r).copied().flatten(),
            });
        }
        let mut cols: Vec<usize> = (0..n_cols).collect();
        cols.sort_unstable_by_key(|&c| ids[c]);
        let mut priorities = BTreeMap::new();
        for c in cols {
            let p = statement_points.get(c).copied().unwrap_or([0.0, 0.0]);
            coordinates.statements.push(StatementPoint {
                statement: ids[c],
                x: p[0],
                y: p[1],
            });
            let meta = self.statements.get(&ids[c]).is_some_and(|s| s.is_meta);
            if meta {
                priorities.insert(ids[c], stats::META_PRIORITY);
            } else if active[c] {
                let extremity = (p[0] * p[0] + p[1] * p[1]).sqrt();
                priorities.insert(ids[c], stats::priority(all[c], extremity));
            }
        }

        let mut statements: Vec<StatementId> = self.statements.keys().copied().collect();
        statements.extend(ids.iter().copied());
        statements.sort_unstable();
        statements.dedup();

        Analysis {
            participants: m.n_rows(),
            statements: statements.len(),
            votes: m.n_votes,
            in_conversation: cl.label_of_row.iter().filter(|l| l.is_some()).count(),
            k: groups.len(),
            best_k: cl.best_k,
            silhouettes: cl.silhouettes.clone(),
            groups,
            consensus,
            group_informed_consensus,
            bridging,
            coordinates,
            priorities,
            perspectives,
            perspective_informed_consensus,
        }
    }

    /// The opinion group of each participant in conversation (for evaluation).
    pub fn group_of_participants(&self) -> BTreeMap<VoterId, u32> {
        let mut out = BTreeMap::new();
        if let Some(cl) = &self.clustering {
            for (r, l) in cl.label_of_row.iter().enumerate() {
                if let Some(l) = l {
                    out.insert(self.matrix.voters[r], *l);
                }
            }
        }
        out
    }

    pub fn n_votes(&self) -> usize {
        self.matrix.n_votes
    }
}

/// The group index of each point, from clusters over those points.
fn group_labels(groups: &[Cluster], n: usize) -> Vec<usize> {
    let mut labels = vec![0usize; n];
    for (g, c) in groups.iter().enumerate() {
        for &b in &c.members {
            labels[b as usize] = g;
        }
    }
    labels
}

/// Labels for the new groups that keep the old labels where members stay:
/// pairs with the largest overlap are matched first; new groups without a
/// partner take the smallest free labels.
fn stable_labels(groups: &[Vec<usize>], previous: Option<&[Option<u32>]>) -> Vec<u32> {
    let Some(previous) = previous else {
        return (0..groups.len() as u32).collect();
    };
    let mut overlap: BTreeMap<(usize, u32), usize> = BTreeMap::new();
    for (g, rows) in groups.iter().enumerate() {
        for &r in rows {
            if let Some(Some(l)) = previous.get(r) {
                *overlap.entry((g, *l)).or_default() += 1;
            }
        }
    }
    let mut pairs: Vec<((usize, u32), usize)> = overlap.into_iter().collect();
    pairs.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut label: Vec<Option<u32>> = vec![None; groups.len()];
    let mut used: Vec<u32> = Vec::new();
    for ((g, l), _) in pairs {
        if label[g].is_none() && !used.contains(&l) {
            label[g] = Some(l);
            used.push(l);
        }
    }
    let mut next = 0u32;
    label
        .into_iter()
        .map(|l| {
            l.unwrap_or_else(|| {
                while used.contains(&next) {
                    next += 1;
                }
                used.push(next);
                next
            })
        })
        .collect()
}

/// Statements a majority agrees with in every group and every perspective,
/// ranked by the smallest Wilson lower bound of the agree share.
fn bridging(
    groups: &[Vec<Tally>],
    perspectives: &[Vec<Tally>],
    active: &[bool],
    ids: &[StatementId],
) -> Vec<BridgingStatement> {
    if groups.is_empty() {
        return Vec::new();
    }
    let mut out: Vec<BridgingStatement> = (0..active.len())
        .filter(|&c| active[c])
        .filter_map(|c| {
            let mut score = f64::INFINITY;
            let mut min_share = f64::INFINITY;
            for set in groups.iter().chain(perspectives) {
                let t = set[c];
                if t.votes == 0 || 2 * t.agree <= t.votes {
                    return None;
                }
                score = score.min(stats::wilson_lower(t.agree, t.votes, stats::Z_95));
                min_share = min_share.min(f64::from(t.agree) / f64::from(t.votes));
            }
            Some(BridgingStatement {
                statement: ids[c],
                score,
                min_agree_share: min_share,
            })
        })
        .collect();
    out.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(a.statement.cmp(&b.statement))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_k_smoother_switches_only_after_four_wins_in_a_row() {
        let mut s = KSmoother::default();
        assert_eq!(s.update(3, 4), 3, "a cold start takes the best k at once");
        assert_eq!(s.update(2, 4), 3);
        assert_eq!(s.update(2, 4), 3);
        assert_eq!(s.update(2, 4), 3);
        assert_eq!(s.update(5, 4), 3, "an interruption restarts the count");
        for _ in 0..3 {
            assert_eq!(s.update(2, 4), 3);
        }
        assert_eq!(s.update(2, 4), 2, "the fourth win in a row takes effect");
        assert_eq!(s.update(2, 4), 2);
    }

    #[test]
    fn stable_labels_follow_the_members() {
        // Previously rows 0..3 were group 7 and rows 3..6 group 2.
        let previous = vec![Some(7), Some(7), Some(7), Some(2), Some(2), Some(2), None];
        let groups = vec![vec![3, 4, 6], vec![0, 1, 2, 5]];
        assert_eq!(stable_labels(&groups, Some(&previous)), vec![2, 7]);
        // A third group without a partner takes the smallest free id.
        let groups = vec![vec![3, 4], vec![0, 1], vec![2, 5, 6]];
        assert_eq!(stable_labels(&groups, Some(&previous)), vec![2, 7, 0]);
        assert_eq!(stable_labels(&groups, None), vec![0, 1, 2]);
    }
}

//! Vote tallies and the statistics built on them: representativeness,
//! consensus, group-informed consensus, bridging and routing priority.
//!
//! The formulas follow Pol.is (see docs/consensus.md): counts get Laplace
//! smoothing (+1 / +2), tests are one-sided at 90 % (z > 1.2816).

use crate::analysis::{ConsensusStatement, Direction, RepresentativeStatement};
use crate::matrix::{Cell, VoteMatrix};
use crate::pca::chunked;

/// One-sided 90 % critical value used by Pol.is for every test.
pub const Z_90: f64 = 1.2816;
/// Two-sided 95 % critical value for the Wilson interval of bridging.
pub const Z_95: f64 = 1.959_963_984_540_054;
/// At most this many representative statements per group.
pub const MAX_REPRESENTATIVE: usize = 5;
/// At most this many consensus statements per direction.
pub const MAX_CONSENSUS: usize = 5;

/// Agrees, disagrees and all votes (passes too) on one statement.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub agree: u32,
    pub disagree: u32,
    pub votes: u32,
}

impl Tally {
    /// Branch-free on purpose: votes arrive in no predictable order, and a
    /// mispredicted branch per vote costs more than the arithmetic.
    fn add(&mut self, value: i8) {
        self.votes += 1;
        self.agree += u32::from(value > 0);
        self.disagree += u32::from(value < 0);
    }

    fn plus(self, o: Tally) -> Tally {
        Tally {
            agree: self.agree + o.agree,
            disagree: self.disagree + o.disagree,
            votes: self.votes + o.votes,
        }
    }
}

/// Tallies per (set, statement) for sets of rows; `set_of_row[r]` is the set
/// of row r or `None`. Returns `tallies[set][col]`. Counts are integers, so
/// splitting the rows over threads cannot change them.
pub fn tally_sets(m: &VoteMatrix, set_of_row: &[Option<usize>], n_sets: usize) -> Vec<Vec<Tally>> {
    let n_cols = m.n_cols();
    let avg = m.n_votes / m.n_rows().max(1);
    let parts = chunked(m.n_rows(), avg, |range| {
        let mut out = vec![vec![Tally::default(); n_cols]; n_sets];
        for r in range {
            if let Some(Some(s)) = set_of_row.get(r) {
                let t = &mut out[*s];
                for &Cell { col, value } in &m.rows[r] {
                    t[col as usize].add(value);
                }
            }
        }
        out
    });
    let mut out = vec![vec![Tally::default(); n_cols]; n_sets];
    for part in parts {
        for (o, p) in out.iter_mut().zip(part) {
            for (a, b) in o.iter_mut().zip(p) {
                *a = a.plus(b);
            }
        }
    }
    out
}

/// Tallies over all rows, from the matrix's running column counts.
pub fn tally_all(m: &VoteMatrix) -> Vec<Tally> {
    (0..m.n_cols())
        .map(|c| Tally {
            agree: m.col_agree[c],
            disagree: m.col_disagree[c],
            votes: m.col_count[c],
        })
        .collect()
}

/// Pol.is's one-sample proportion test with +1 smoothing.
pub fn prop_test(success: u32, n: u32) -> f64 {
    let s = f64::from(success) + 1.0;
    let n = f64::from(n) + 1.0;
    2.0 * n.sqrt() * (s / n - 0.5)
}

/// Pol.is's two-proportion test with +1 added to all four counts; 0 when the
/// pooled proportion is 1.
pub fn two_prop_test(succ_in: u32, succ_out: u32, pop_in: u32, pop_out: u32) -> f64 {
    let (s1, s2) = (f64::from(succ_in) + 1.0, f64::from(succ_out) + 1.0);
    let (n1, n2) = (f64::from(pop_in) + 1.0, f64::from(pop_out) + 1.0);
    let pi1 = s1 / n1;
    let pi2 = s2 / n2;
    let pooled = (s1 + s2) / (n1 + n2);
    if pooled >= 1.0 {
        return 0.0;
    }
    let denom = (pooled * (1.0 - pooled) * (1.0 / n1 + 1.0 / n2)).sqrt();
    if denom > 0.0 {
        (pi1 - pi2) / denom
    } else {
        0.0
    }
}

/// Representativeness of one statement for one set against the rest.
#[derive(Debug, Clone, Copy)]
struct Repness {
    col: usize,
    t: Tally,
    pa: f64,
    pd: f64,
    pat: f64,
    pdt: f64,
    ra: f64,
    rd: f64,
    rat: f64,
    rdt: f64,
}

impl Repness {
    fn new(col: usize, t: Tally, rest: Tally) -> Repness {
        let ns = f64::from(t.votes);
        let pa = (f64::from(t.agree) + 1.0) / (ns + 2.0);
        let pd = (f64::from(t.disagree) + 1.0) / (ns + 2.0);
        let rest_pa = (1.0 + f64::from(rest.agree)) / (2.0 + f64::from(rest.votes));
        let rest_pd = (1.0 + f64::from(rest.disagree)) / (2.0 + f64::from(rest.votes));
        Repness {
            col,
            t,
            pa,
            pd,
            pat: prop_test(t.agree, t.votes),
            pdt: prop_test(t.disagree, t.votes),
            ra: pa / rest_pa,
            rd: pd / rest_pd,
            rat: two_prop_test(t.agree, rest.agree, t.votes, rest.votes),
            rdt: two_prop_test(t.disagree, rest.disagree, t.votes, rest.votes),
        }
    }

    fn direction(&self) -> Direction {
        if self.rat > self.rdt {
            Direction::Agree
        } else {
            Direction::Disagree
        }
    }

    fn qualifies(&self) -> bool {
        (self.rat > Z_90 && self.pat > Z_90) || (self.rdt > Z_90 && self.pdt > Z_90)
    }

    fn agree_metric(&self) -> f64 {
        self.ra * self.rat * self.pa * self.pat
    }

    fn metric(&self) -> f64 {
        match self.direction() {
            Direction::Agree => self.agree_metric(),
            Direction::Disagree => self.rd * self.rdt * self.pd * self.pdt,
        }
    }

    fn output(&self, statement: u64, direction: Direction) -> RepresentativeStatement {
        let (z, repness, p_test) = match direction {
            Direction::Agree => (self.rat, self.ra, self.pat),
            Direction::Disagree => (self.rdt, self.rd, self.pdt),
        };
        RepresentativeStatement {
            statement,
            direction,
            pa: self.pa,
            pd: self.pd,
            z,
            repness,
            p_test,
            n_agree: self.t.agree,
            n_disagree: self.t.disagree,
            n_votes: self.t.votes,
        }
    }
}

fn by_metric_desc(a: &Repness, b: &Repness) -> std::cmp::Ordering {
    b.metric().total_cmp(&a.metric()).then(a.col.cmp(&b.col))
}

/// Representative statements of each set (`tallies[set][col]`) against the
/// union of the others. `active[col]` false means never selectable.
pub fn representative(
    tallies: &[Vec<Tally>],
    active: &[bool],
    statement_ids: &[u64],
) -> Vec<Vec<RepresentativeStatement>> {
    let n_cols = active.len();
    let mut total = vec![Tally::default(); n_cols];
    for set in tallies {
        for (t, s) in total.iter_mut().zip(set) {
            *t = t.plus(*s);
        }
    }
    tallies
        .iter()
        .map(|set| {
            let all: Vec<Repness> = (0..n_cols)
                .filter(|&c| active[c] && set[c].votes > 0)
                .map(|c| {
                    let t = set[c];
                    let rest = Tally {
                        agree: total[c].agree - t.agree,
                        disagree: total[c].disagree - t.disagree,
                        votes: total[c].votes - t.votes,
                    };
                    Repness::new(c, t, rest)
                })
                .collect();
            select(&all)
                .into_iter()
                .map(|(r, d)| r.output(statement_ids[r.col], d))
                .collect()
        })
        .collect()
}

/// Pol.is's selection: the best qualifying agree statement first, then the
/// other qualifying statements by metric with agrees before disagrees, at most
/// five. Without any qualifying statement, the best agree statement, or else
/// the one with the highest z.
fn select(all: &[Repness]) -> Vec<(Repness, Direction)> {
    let mut qualifying: Vec<Repness> = all.iter().copied().filter(|r| r.qualifies()).collect();
    qualifying.sort_by(by_metric_desc);
    if qualifying.is_empty() {
        let best_agree = all
            .iter()
            .filter(|r| r.direction() == Direction::Agree && r.pa > r.pd)
            .max_by(|a, b| {
                a.agree_metric()
                    .total_cmp(&b.agree_metric())
                    .then(b.col.cmp(&a.col))
            });
        if let Some(r) = best_agree {
            return vec![(*r, Direction::Agree)];
        }
        let best_z = all.iter().max_by(|a, b| {
            a.rat
                .max(a.rdt)
                .total_cmp(&b.rat.max(b.rdt))
                .then(b.col.cmp(&a.col))
        });
        return best_z
            .map(|r| vec![(*r, r.direction())])
            .unwrap_or_default();
    }
    let agrees: Vec<Repness> = qualifying
        .iter()
        .copied()
        .filter(|r| r.direction() == Direction::Agree)
        .collect();
    let disagrees: Vec<Repness> = qualifying
        .iter()
        .copied()
        .filter(|r| r.direction() == Direction::Disagree)
        .collect();
    agrees
        .iter()
        .chain(disagrees.iter())
        .take(MAX_REPRESENTATIVE)
        .map(|r| (*r, r.direction()))
        .collect()
}

/// Consensus statements over a set of tallies: up to five agree statements
/// with pa > ½ and a significant one-sample test, ranked by pa × z, and
/// likewise for disagree.
pub fn consensus(
    tally: &[Tally],
    active: &[bool],
    statement_ids: &[u64],
) -> Vec<ConsensusStatement> {
    let mut out = Vec::new();
    for direction in [Direction::Agree, Direction::Disagree] {
        let mut candidates: Vec<ConsensusStatement> = (0..tally.len())
            .filter(|&c| active[c] && tally[c].votes > 0)
            .filter_map(|c| {
                let t = tally[c];
                let success = match direction {
                    Direction::Agree => t.agree,
                    Direction::Disagree => t.disagree,
                };
                let p = (f64::from(success) + 1.0) / (f64::from(t.votes) + 2.0);
                let z = prop_test(success, t.votes);
                (p > 0.5 && z > Z_90).then_some(ConsensusStatement {
                    statement: statement_ids[c],
                    direction,
                    score: p * z,
                    p,
                    z,
                })
            })
            .collect();
        candidates.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then(a.statement.cmp(&b.statement))
        });
        out.extend(candidates.into_iter().take(MAX_CONSENSUS));
    }
    out
}

/// Group-informed consensus of each statement: the product over sets of
/// (agrees + 1) / (votes + 2), multiplied in set order.
pub fn informed_consensus(tallies: &[Vec<Tally>], col: usize) -> f64 {
    tallies.iter().fold(1.0, |acc, set| {
        let t = set[col];
        acc * ((f64::from(t.agree) + 1.0) / (f64::from(t.votes) + 2.0))
    })
}

/// Lower end of the Wilson score interval for `success` out of `n`.
pub fn wilson_lower(success: u32, n: u32, z: f64) -> f64 {
    if n == 0 {
        return 0.0;
    }
    let n = f64::from(n);
    let p = f64::from(success) / n;
    let z2 = z * z;
    let centre = p + z2 / (2.0 * n);
    let margin = z * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    ((centre - margin) / (1.0 + z2 / n)).max(0.0)
}

/// Routing priority of a statement from all participants' votes and its
/// extremity: statements that split opinion, are rarely passed, and are new
/// get shown first.
pub fn priority(t: Tally, extremity: f64) -> f64 {
    let s = f64::from(t.votes);
    let passes = f64::from(t.votes - t.agree - t.disagree);
    let p = (passes + 1.0) / (s + 2.0);
    let a = (f64::from(t.agree) + 1.0) / (s + 2.0);
    let importance = (1.0 - p) * (extremity + 1.0) * a;
    let boosted = importance * (1.0 + 8.0 * 2f64.powf(-s / 5.0));
    boosted * boosted
}

/// Routing priority Pol.is gives meta statements.
pub const META_PRIORITY: f64 = 49.0;

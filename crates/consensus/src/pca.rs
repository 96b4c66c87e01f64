//! Two principal components by power iteration, sparsely, and the
//! sparsity-aware projection.
//!
//! Pol.is fills a missing cell with its column mean and then centres every
//! column on that same mean, so an imputed cell is exactly zero after centring.
//! The centred matrix therefore has non-zeros only where votes exist and
//! `Xᵀ(X v)` costs O(votes): we never build the dense matrix, not even the
//! centred sparse one (a cell is centred as it is read). Moderated-out
//! columns are zero for everyone, so they drop out of every product too.
//!
//! Pol.is iterates the first component to convergence and then the second on
//! the deflated matrix. We iterate both at once with two guard vectors
//! (subspace iteration with Rayleigh–Ritz): at convergence the result is the
//! same two eigenvectors, but one pass over the votes serves all four vectors,
//! and close eigenvalues no longer slow convergence to a crawl.
//!
//! Work is split into a fixed number of row chunks (independent of the number
//! of threads), and partial sums are added in chunk order, so the result is
//! bit-for-bit the same on any machine.

use crate::matrix::{Cell, VoteMatrix};
use crate::rng::SplitMix64;

/// Column centres and two unit-length components (indexed by column).
#[derive(Debug, Clone, Default)]
pub struct Pca {
    pub center: Vec<f64>,
    pub comps: [Vec<f64>; 2],
    /// The whole iterated block (components first), the next warm start.
    pub basis: Vec<Vec<f64>>,
    /// Each row's (unscaled) projection on the components and its number of
    /// votes on active statements, from the last pass.
    pub projected: Vec<([f64; 2], u32)>,
    /// Passes over the votes taken (for diagnostics).
    pub iterations: usize,
}

/// Rows per chunk of parallel work; fixed so sums never depend on threads.
const CHUNK_ROWS: usize = 4096;
const MAX_ITERATIONS: usize = 100;
/// Below this much work (cells × vectors) a section stays on one thread:
/// spawning and joining costs little on an idle machine but a time slice on
/// a busy one, which hurt small conversations more than threads helped.
pub(crate) const PARALLEL_WORK: usize = 2_000_000;
/// Relative residual at which the two components count as converged.
const TOLERANCE: f64 = 1e-5;

/// Worker threads to use. Asked once: on Linux `available_parallelism` reads
/// cgroup files, which costs more than a small update.
pub(crate) fn threads() -> usize {
    static THREADS: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *THREADS.get_or_init(|| {
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
            .clamp(1, 8)
    })
}

/// Runs `work` on each chunk of rows and returns the per-chunk results in
/// chunk order. Small inputs stay on the calling thread.
pub(crate) fn chunked<T: Send>(
    n_rows: usize,
    work_per_row: usize,
    work: impl Fn(std::ops::Range<usize>) -> T + Sync,
) -> Vec<T> {
    let ranges: Vec<std::ops::Range<usize>> = (0..n_rows.div_ceil(CHUNK_ROWS))
        .map(|i| i * CHUNK_ROWS..((i + 1) * CHUNK_ROWS).min(n_rows))
        .collect();
    let n_threads = threads().min(ranges.len());
    if n_threads <= 1 || n_rows * work_per_row.max(1) < PARALLEL_WORK {
        return ranges.into_iter().map(work).collect();
    }
    let work = &work;
    let ranges = &ranges;
    let mut out: Vec<(usize, T)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..n_threads)
            .map(|t| {
                s.spawn(move || {
                    (t..ranges.len())
                        .step_by(n_threads)
                        .map(|i| (i, work(ranges[i].clone())))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    });
    out.sort_by_key(|(i, _)| *i);
    out.into_iter().map(|(_, t)| t).collect()
}

/// Vectors iterated together: the two components plus two guard vectors.
/// The guards make the two wanted vectors converge at the rate λ₅/λ₂ instead
/// of λ₃/λ₂, which matters when the second and third eigenvalues are close.
pub const BLOCK: usize = 4;

/// `Xᵀ(X V)` for the centred matrix and a block of `BLOCK` vectors stored per
/// column, in one pass over the votes. `v[c]` is zero for inactive columns, so
/// their cells drop out of the dot products; their results are cleared.
///
/// Also returns each row's scores `X V` and its number of active votes: the
/// scores of the last pass, rotated like the block, are the participants'
/// projections, which saves a separate pass over the votes.
#[allow(clippy::type_complexity)]
fn gram_times(
    m: &VoteMatrix,
    center: &[f64],
    active: &[bool],
    v: &[[f64; BLOCK]],
) -> (Vec<[f64; BLOCK]>, Vec<([f64; BLOCK], u32)>) {
    let n_cols = m.n_cols();
    let avg = m.n_votes / m.n_rows().max(1);
    let parts = chunked(m.n_rows(), avg * BLOCK, |range| {
        let mut acc = vec![[0.0f64; BLOCK]; n_cols];
        let mut rows = Vec::with_capacity(range.len());
        for cells in &m.rows[range] {
            let mut u = [0.0f64; BLOCK];
            let mut n_active = 0u32;
            for &Cell { col, value } in cells {
                let c = col as usize;
                n_active += u32::from(active[c]);
                let x = f64::from(value) - center[c];
                let vc = &v[c];
                for b in 0..BLOCK {
                    u[b] += x * vc[b];
                }
            }
            for &Cell { col, value } in cells {
                let c = col as usize;
                let x = f64::from(value) - center[c];
                let ac = &mut acc[c];
                for b in 0..BLOCK {
                    ac[b] += x * u[b];
                }
            }
            rows.push((u, n_active));
        }
        (acc, rows)
    });
    let mut out = vec![[0.0f64; BLOCK]; n_cols];
    let mut scores = Vec::with_capacity(m.n_rows());
    for (part, rows) in parts {
        scores.extend(rows);
        for (o, p) in out.iter_mut().zip(part) {
            for b in 0..BLOCK {
                o[b] += p[b];
            }
        }
    }
    for (o, a) in out.iter_mut().zip(active) {
        if !a {
            *o = [0.0; BLOCK];
        }
    }
    (out, scores)
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

fn norm(a: &[f64]) -> f64 {
    dot(a, a).sqrt()
}

/// Modified Gram–Schmidt (twice, for stability) on the vectors in order. A
/// vector that collapses is replaced by a fresh random one in the active
/// columns; when even that collapses (fewer active columns than vectors) it
/// is left as zero. Returns false when the first vector was zero.
fn orthonormalise(vs: &mut [Vec<f64>], active: &[bool], rng: &mut SplitMix64) -> bool {
    let mut first_ok = true;
    for i in 0..vs.len() {
        let mut attempts = 0;
        loop {
            let scale = norm(&vs[i]);
            for _ in 0..2 {
                for j in 0..i {
                    let d = dot(&vs[i], &vs[j]);
                    let (head, tail) = vs.split_at_mut(i);
                    tail[0]
                        .iter_mut()
                        .zip(&head[j])
                        .for_each(|(x, y)| *x -= d * y);
                }
            }
            let n = norm(&vs[i]);
            if n > 1e-10 * scale.max(1e-300) && n > 1e-300 {
                vs[i].iter_mut().for_each(|x| *x /= n);
                break;
            }
            if i == 0 {
                first_ok = false;
            }
            attempts += 1;
            if attempts > 3 {
                vs[i].iter_mut().for_each(|x| *x = 0.0);
                break;
            }
            for (c, x) in vs[i].iter_mut().enumerate() {
                *x = if active[c] { rng.next_f64() - 0.5 } else { 0.0 };
            }
        }
    }
    first_ok
}

/// Whether flipping makes the sign canonical: the largest entry (first on
/// ties) positive.
fn canonical_sign(v: &[f64]) -> bool {
    let mut best = 0.0f64;
    for &x in v.iter() {
        if x.abs() > best.abs() {
            best = x;
        }
    }
    best < 0.0
}

/// Eigen-decomposition of a small symmetric matrix by cyclic Jacobi
/// rotations. Returns the eigenvalues in descending order and the
/// eigenvectors as the columns of `q` (q[row][col]), in the same order.
fn jacobi(mut a: [[f64; BLOCK]; BLOCK]) -> ([f64; BLOCK], [[f64; BLOCK]; BLOCK]) {
    let mut q = [[0.0; BLOCK]; BLOCK];
    for (i, row) in q.iter_mut().enumerate() {
        row[i] = 1.0;
    }
    for _ in 0..60 {
        let off: f64 = (0..BLOCK)
            .flat_map(|i| (0..BLOCK).filter(move |&j| j != i).map(move |j| (i, j)))
            .map(|(i, j)| a[i][j] * a[i][j])
            .sum();
        let total: f64 = a.iter().flatten().map(|x| x * x).sum();
        if off <= 1e-30 * total.max(1e-300) {
            break;
        }
        for p in 0..BLOCK {
            for r in p + 1..BLOCK {
                if a[p][r].abs() <= 1e-300 {
                    continue;
                }
                let theta = (a[r][r] - a[p][p]) / (2.0 * a[p][r]);
                let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
                let t = if theta == 0.0 { 1.0 } else { t };
                let c = 1.0 / (t * t + 1.0).sqrt();
                let s = t * c;
                for row in a.iter_mut() {
                    let akp = row[p];
                    let akr = row[r];
                    row[p] = c * akp - s * akr;
                    row[r] = s * akp + c * akr;
                }
                let (row_p, row_r) = (a[p], a[r]);
                for (k, (apk, ark)) in row_p.iter().zip(row_r.iter()).enumerate() {
                    a[p][k] = c * apk - s * ark;
                    a[r][k] = s * apk + c * ark;
                }
                for row in q.iter_mut() {
                    let qp = row[p];
                    let qr = row[r];
                    row[p] = c * qp - s * qr;
                    row[r] = s * qp + c * qr;
                }
            }
        }
    }
    let mut order: [usize; BLOCK] = [0; BLOCK];
    for (i, o) in order.iter_mut().enumerate() {
        *o = i;
    }
    order.sort_by(|&i, &j| a[j][j].total_cmp(&a[i][i]).then(i.cmp(&j)));
    let mut values = [0.0; BLOCK];
    let mut vectors = [[0.0; BLOCK]; BLOCK];
    for (new, &old) in order.iter().enumerate() {
        values[new] = a[old][old];
        for k in 0..BLOCK {
            vectors[k][new] = q[k][old];
        }
    }
    (values, vectors)
}

/// `Σ_j vs[j] · q[j][col]` for each column of `q`: rotates a block.
fn rotate(vs: &[Vec<f64>], q: &[[f64; BLOCK]; BLOCK]) -> Vec<Vec<f64>> {
    let n = vs.first().map_or(0, |v| v.len());
    (0..BLOCK)
        .map(|col| {
            let mut out = vec![0.0; n];
            for (j, v) in vs.iter().enumerate() {
                let w = q[j][col];
                if w != 0.0 {
                    out.iter_mut().zip(v).for_each(|(o, x)| *o += w * x);
                }
            }
            out
        })
        .collect()
}

/// Computes the centres and the two leading components by subspace
/// iteration: a block of four vectors is multiplied by XᵀX in one pass,
/// a Rayleigh–Ritz step turns the block into the best eigenvector estimates
/// it holds, and iteration stops when the two leading estimates have a
/// relative residual ‖XᵀX v − θ v‖ / θ₁ below `TOLERANCE` (or after 100
/// passes). `warm` holds the previous block (padded with zeros for new
/// columns).
pub fn pca(m: &VoteMatrix, active: &[bool], warm: Option<&[Vec<f64>]>, seed: u64) -> Pca {
    let n_cols = m.n_cols();
    let center: Vec<f64> = (0..n_cols)
        .map(|c| if active[c] { m.col_mean(c) } else { 0.0 })
        .collect();
    let mut rng = SplitMix64::new(seed);
    let mut v: Vec<Vec<f64>> = vec![vec![0.0; n_cols]; BLOCK];
    let warm_used = match warm {
        Some(w) if w.len() == BLOCK => {
            for (vk, wk) in v.iter_mut().zip(w) {
                for (c, x) in wk.iter().enumerate().take(n_cols) {
                    if active[c] {
                        vk[c] = *x;
                    }
                }
            }
            orthonormalise(&mut v, active, &mut rng)
        }
        _ => false,
    };
    if !warm_used {
        for vk in v.iter_mut() {
            for (c, x) in vk.iter_mut().enumerate() {
                *x = if active[c] { rng.next_f64() - 0.5 } else { 0.0 };
            }
        }
        if !orthonormalise(&mut v, active, &mut rng) {
            return Pca {
                center,
                comps: [vec![0.0; n_cols], vec![0.0; n_cols]],
                basis: Vec::new(),
                projected: Vec::new(),
                iterations: 0,
            };
        }
    }
    let mut iterations = 0;
    let mut scores: Vec<([f64; BLOCK], u32)>;
    let (ritz, q) = loop {
        let packed: Vec<[f64; BLOCK]> = (0..n_cols)
            .map(|c| {
                let mut p = [0.0; BLOCK];
                for (b, x) in p.iter_mut().enumerate() {
                    *x = v[b][c];
                }
                p
            })
            .collect();
        let (w_packed, row_scores) = gram_times(m, &center, active, &packed);
        scores = row_scores;
        iterations += 1;
        let w: Vec<Vec<f64>> = (0..BLOCK)
            .map(|b| w_packed.iter().map(|p| p[b]).collect())
            .collect();
        let mut h = [[0.0; BLOCK]; BLOCK];
        for i in 0..BLOCK {
            for j in i..BLOCK {
                // Symmetrise: VᵀXᵀXV is symmetric up to rounding.
                let x = 0.5 * (dot(&v[i], &w[j]) + dot(&v[j], &w[i]));
                h[i][j] = x;
                h[j][i] = x;
            }
        }
        let (theta, q) = jacobi(h);
        let rv = rotate(&v, &q);
        let rw = rotate(&w, &q);
        let scale = theta[0].abs().max(1e-300);
        let residual = (0..2)
            .map(|i| {
                rw[i]
                    .iter()
                    .zip(&rv[i])
                    .map(|(a, b)| {
                        let r = a - theta[i] * b;
                        r * r
                    })
                    .sum::<f64>()
                    .sqrt()
            })
            .fold(0.0f64, f64::max);
        if theta[0] <= 1e-12 || residual <= TOLERANCE * scale || iterations >= MAX_ITERATIONS {
            break (rv, q);
        }
        v = rw;
        orthonormalise(&mut v, active, &mut rng);
    };
    let mut comps: [Vec<f64>; 2] = [ritz[0].clone(), ritz[1].clone()];
    let mut signs = [1.0f64; 2];
    for (k, comp) in comps.iter_mut().enumerate() {
        let flip = match warm {
            Some(w) if warm_used => {
                let n = w[k].len().min(n_cols);
                dot(&comp[..n], &w[k][..n]) < 0.0
            }
            _ => canonical_sign(comp),
        };
        if flip {
            comp.iter_mut().for_each(|x| *x = -*x);
            signs[k] = -1.0;
        }
    }
    // A row's scores on the final block, rotated like the block: its
    // projection on the components, without another pass over the votes.
    let projected: Vec<([f64; 2], u32)> = scores
        .iter()
        .map(|(u, n)| {
            let mut p = [0.0; 2];
            for (k, pk) in p.iter_mut().enumerate() {
                let mut x = 0.0;
                for (j, uj) in u.iter().enumerate() {
                    x += uj * q[j][k];
                }
                *pk = signs[k] * x;
            }
            (p, *n)
        })
        .collect();
    let mut basis = ritz;
    basis[0] = comps[0].clone();
    basis[1] = comps[1].clone();
    Pca {
        center,
        comps,
        basis,
        projected,
        iterations,
    }
}

/// Projects every participant. A participant's point is the sum over their
/// votes of the centred vote times the components, scaled by
/// √(n_statements / n_voted) so that someone who voted on few statements is not
/// pulled to the centre. Moderated-out cells are zero for everyone in Pol.is,
/// so they count as voted for everyone.
pub fn project_participants(m: &VoteMatrix, active: &[bool], pca: &Pca) -> Vec<[f64; 2]> {
    let n_cols = m.n_cols() as f64;
    let n_inactive = active.iter().filter(|a| !**a).count() as f64;
    (0..m.n_rows())
        .map(|r| match pca.projected.get(r) {
            Some(([x, y], n)) => {
                let scale = (n_cols / (n_inactive + f64::from(*n)).max(1.0)).sqrt();
                [x * scale, y * scale]
            }
            None => [0.0, 0.0],
        })
        .collect()
}

/// Projects each statement as a participant who agreed with it and voted on
/// nothing else. Its length is the statement's extremity.
pub fn project_statements(active: &[bool], pca: &Pca) -> Vec<[f64; 2]> {
    let scale = (active.len() as f64).sqrt();
    (0..active.len())
        .map(|c| {
            if !active[c] {
                return [0.0, 0.0];
            }
            let x = 1.0 - pca.center[c];
            [x * pca.comps[0][c] * scale, x * pca.comps[1][c] * scale]
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::model::{Vote, VoteEvent};

    #[test]
    fn jacobi_finds_eigenpairs_in_descending_order() {
        let mut a = [[0.0; BLOCK]; BLOCK];
        a[0][0] = 2.0;
        a[1][1] = 2.0;
        a[0][1] = 1.0;
        a[1][0] = 1.0;
        a[2][2] = 5.0;
        let (values, q) = jacobi(a);
        assert!((values[0] - 5.0).abs() < 1e-12);
        assert!((values[1] - 3.0).abs() < 1e-12);
        assert!((values[2] - 1.0).abs() < 1e-12);
        assert!((q[0][1].abs() - 0.5f64.sqrt()).abs() < 1e-12);
    }

    #[test]
    fn components_are_orthonormal_eigenvectors_of_the_centred_gram_matrix() {
        let mut rng = SplitMix64::new(3);
        let mut m = VoteMatrix::default();
        for voter in 0..60u64 {
            for statement in 0..12u64 {
                if rng.next_f64() < 0.7 {
                    let x = rng.next_f64() + if voter % 2 == 0 { 0.3 } else { -0.3 };
                    let vote = if x > 0.6 {
                        Vote::Agree
                    } else if x < 0.3 {
                        Vote::Disagree
                    } else {
                        Vote::Pass
                    };
                    m.apply(&VoteEvent {
                        time: 0,
                        voter,
                        statement,
                        vote,
                    });
                }
            }
        }
        let active = vec![true; m.n_cols()];
        let p = pca(&m, &active, None, 1);
        let n = m.n_cols();
        // Dense XᵀX for checking.
        let mut g = vec![vec![0.0; n]; n];
        for cells in &m.rows {
            for a in cells {
                for b in cells {
                    let (i, j) = (a.col as usize, b.col as usize);
                    g[i][j] +=
                        (f64::from(a.value) - p.center[i]) * (f64::from(b.value) - p.center[j]);
                }
            }
        }
        let gv0: Vec<f64> = g.iter().map(|row| dot(row, &p.comps[0])).collect();
        let theta_max = dot(&gv0, &p.comps[0]);
        for v in &p.comps {
            assert!((norm(v) - 1.0).abs() < 1e-9);
            let gv: Vec<f64> = g.iter().map(|row| dot(row, v)).collect();
            let theta = dot(&gv, v);
            assert!(theta <= theta_max * (1.0 + 1e-9));
            let resid: f64 = gv
                .iter()
                .zip(v)
                .map(|(a, b)| (a - theta * b).powi(2))
                .sum::<f64>()
                .sqrt();
            assert!(
                resid <= 1.01 * TOLERANCE * theta_max,
                "residual {resid} for eigenvalue {theta}"
            );
        }
        assert!(dot(&p.comps[0], &p.comps[1]).abs() < 1e-9);
    }
}

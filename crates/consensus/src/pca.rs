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
//! the deflated matrix. We iterate both at once (block power iteration) and
//! finish with a Rayleigh–Ritz step: at convergence the result is the same
//! two eigenvectors, but one pass over the votes serves both, and when the two
//! leading eigenvalues are close the plane converges long before the
//! individual vectors would.
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
    /// Block power-iteration steps taken (for diagnostics).
    pub iterations: usize,
}

/// Rows per chunk of parallel work; fixed so sums never depend on threads.
const CHUNK_ROWS: usize = 4096;
const MAX_ITERATIONS: usize = 100;
/// Stop once the plane of the two components moves less than this in a step.
const TOLERANCE: f64 = 1e-8;

pub(crate) fn threads() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, 8)
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
    if n_threads <= 1 || n_rows * work_per_row.max(1) < 200_000 {
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

/// `Xᵀ(X [v₁ v₂])` for the centred matrix, both vectors in one pass over the
/// votes. `v[c]` is zero for inactive columns, which makes their cells drop
/// out of the dot products; their accumulators are cleared afterwards.
fn gram_times(m: &VoteMatrix, center: &[f64], active: &[bool], v: &[[f64; 2]]) -> Vec<[f64; 2]> {
    let n_cols = m.n_cols();
    let avg = m.n_votes / m.n_rows().max(1);
    let parts = chunked(m.n_rows(), avg, |range| {
        let mut acc = vec![[0.0f64; 2]; n_cols];
        for cells in &m.rows[range] {
            let (mut u0, mut u1) = (0.0, 0.0);
            for &Cell { col, value } in cells {
                let c = col as usize;
                let x = f64::from(value) - center[c];
                u0 += x * v[c][0];
                u1 += x * v[c][1];
            }
            for &Cell { col, value } in cells {
                let c = col as usize;
                let x = f64::from(value) - center[c];
                acc[c][0] += x * u0;
                acc[c][1] += x * u1;
            }
        }
        acc
    });
    let mut out = vec![[0.0f64; 2]; n_cols];
    for part in parts {
        for (o, p) in out.iter_mut().zip(part) {
            o[0] += p[0];
            o[1] += p[1];
        }
    }
    for (o, a) in out.iter_mut().zip(active) {
        if !a {
            *o = [0.0, 0.0];
        }
    }
    out
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

fn norm(a: &[f64]) -> f64 {
    dot(a, a).sqrt()
}

/// Gram–Schmidt on two vectors; false when the first vanishes. A second that
/// vanishes (rank one) is left as zero.
fn orthonormalise(a: &mut [f64], b: &mut [f64]) -> bool {
    let na = norm(a);
    if na <= 1e-300 {
        return false;
    }
    a.iter_mut().for_each(|x| *x /= na);
    for _ in 0..2 {
        let d = dot(a, b);
        b.iter_mut().zip(a.iter()).for_each(|(y, x)| *y -= d * x);
    }
    let nb = norm(b);
    if nb <= 1e-12 * na {
        b.iter_mut().for_each(|x| *x = 0.0);
    } else {
        b.iter_mut().for_each(|x| *x /= nb);
    }
    true
}

/// Makes the sign canonical: the largest entry (first on ties) is positive.
fn canonical_sign(v: &mut [f64]) {
    let mut best = 0.0f64;
    for &x in v.iter() {
        if x.abs() > best.abs() {
            best = x;
        }
    }
    if best < 0.0 {
        v.iter_mut().for_each(|x| *x = -*x);
    }
}

/// Eigenvectors of the symmetric 2×2 matrix [[a, b], [b, d]], largest
/// eigenvalue first, as columns (q[0], q[1]).
fn eig2(a: f64, b: f64, d: f64) -> [[f64; 2]; 2] {
    if b.abs() <= 1e-300 {
        return if a >= d {
            [[1.0, 0.0], [0.0, 1.0]]
        } else {
            [[0.0, 1.0], [1.0, 0.0]]
        };
    }
    let half = 0.5 * (a - d);
    let root = (half * half + b * b).sqrt();
    let l1 = 0.5 * (a + d) + root;
    // (b, l1 - a) is an eigenvector for l1; the other is orthogonal to it.
    let (x, y) = (b, l1 - a);
    let n = (x * x + y * y).sqrt();
    let q0 = [x / n, y / n];
    [q0, [-q0[1], q0[0]]]
}

/// Computes the centres and two components by block power iteration:
/// both vectors are multiplied by XᵀX in one pass, re-orthonormalised, and a
/// final Rayleigh–Ritz step turns the converged plane into the two leading
/// eigenvectors. `warm` holds the previous components (padded with zeros for
/// new columns).
pub fn pca(m: &VoteMatrix, active: &[bool], warm: Option<&[Vec<f64>; 2]>, seed: u64) -> Pca {
    let n_cols = m.n_cols();
    let center: Vec<f64> = (0..n_cols)
        .map(|c| if active[c] { m.col_mean(c) } else { 0.0 })
        .collect();
    let mut rng = SplitMix64::new(seed);
    let mut v: [Vec<f64>; 2] = [vec![0.0; n_cols], vec![0.0; n_cols]];
    let mut warm_used = false;
    if let Some(w) = warm {
        for k in 0..2 {
            for (c, x) in w[k].iter().enumerate().take(n_cols) {
                if active[c] {
                    v[k][c] = *x;
                }
            }
        }
        let [a, b] = &mut v;
        warm_used = orthonormalise(a, b) && norm(b) > 0.0;
    }
    if !warm_used {
        for vk in v.iter_mut() {
            for (c, x) in vk.iter_mut().enumerate() {
                *x = if active[c] { rng.next_f64() - 0.5 } else { 0.0 };
            }
        }
        let [a, b] = &mut v;
        if !orthonormalise(a, b) {
            return Pca {
                center,
                comps: [vec![0.0; n_cols], vec![0.0; n_cols]],
                iterations: 0,
            };
        }
    }
    let mut iterations = 0;
    let mut w: Vec<[f64; 2]>;
    loop {
        let pairs: Vec<[f64; 2]> = (0..n_cols).map(|c| [v[0][c], v[1][c]]).collect();
        w = gram_times(m, &center, active, &pairs);
        iterations += 1;
        let mut next: [Vec<f64>; 2] = [
            w.iter().map(|p| p[0]).collect(),
            w.iter().map(|p| p[1]).collect(),
        ];
        {
            let [a, b] = &mut next;
            if !orthonormalise(a, b) {
                break;
            }
        }
        // How far the plane moved: the part of the new basis outside the old.
        let mut change = 0.0;
        for n in &next {
            let p0 = dot(n, &v[0]);
            let p1 = dot(n, &v[1]);
            let resid: f64 = (0..n_cols)
                .map(|c| {
                    let r = n[c] - p0 * v[0][c] - p1 * v[1][c];
                    r * r
                })
                .sum();
            change += resid;
        }
        let converged = change.sqrt() < TOLERANCE;
        if converged || iterations >= MAX_ITERATIONS {
            break;
        }
        v = next;
    }
    // Rayleigh–Ritz in the plane spanned by v: H = vᵀ XᵀX v (w = XᵀX v).
    let h00: f64 = (0..n_cols).map(|c| v[0][c] * w[c][0]).sum();
    let h01: f64 = (0..n_cols).map(|c| v[0][c] * w[c][1]).sum();
    let h11: f64 = (0..n_cols).map(|c| v[1][c] * w[c][1]).sum();
    let q = eig2(h00, h01, h11);
    let mut comps: [Vec<f64>; 2] = [
        (0..n_cols)
            .map(|c| q[0][0] * v[0][c] + q[0][1] * v[1][c])
            .collect(),
        (0..n_cols)
            .map(|c| q[1][0] * v[0][c] + q[1][1] * v[1][c])
            .collect(),
    ];
    for (k, comp) in comps.iter_mut().enumerate() {
        match warm {
            Some(w) if warm_used => {
                let n = w[k].len().min(n_cols);
                if dot(&comp[..n], &w[k][..n]) < 0.0 {
                    comp.iter_mut().for_each(|x| *x = -*x);
                }
            }
            _ => canonical_sign(comp),
        }
    }
    Pca {
        center,
        comps,
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
    let avg = m.n_votes / m.n_rows().max(1);
    let parts = chunked(m.n_rows(), avg, |range| {
        m.rows[range]
            .iter()
            .map(|cells| {
                let mut p = [0.0, 0.0];
                let mut n = n_inactive;
                for &Cell { col, value } in cells {
                    let c = col as usize;
                    if active[c] {
                        let x = f64::from(value) - pca.center[c];
                        p[0] += x * pca.comps[0][c];
                        p[1] += x * pca.comps[1][c];
                        n += 1.0;
                    }
                }
                let scale = (n_cols / n.max(1.0)).sqrt();
                [p[0] * scale, p[1] * scale]
            })
            .collect::<Vec<_>>()
    });
    parts.into_iter().flatten().collect()
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

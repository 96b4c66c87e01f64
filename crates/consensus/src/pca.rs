//! Two principal components by power iteration, sparsely, and the
//! sparsity-aware projection.
//!
//! Pol.is fills a missing cell with its column mean and then centres every
//! column on that same mean, so an imputed cell is exactly zero after centring.
//! The centred matrix therefore has non-zeros only where votes exist and
//! `Xᵀ(X v)` costs O(votes): we never build the dense matrix. Moderated-out
//! columns are zero for everyone, so they drop out of every product too.
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
    /// Power-iteration steps taken per component (for diagnostics).
    pub iterations: [usize; 2],
}

/// Rows per chunk of parallel work; fixed so sums never depend on threads.
const CHUNK_ROWS: usize = 4096;
const MAX_ITERATIONS: usize = 100;
/// Stop once the component moves less than this (Euclidean) in one step.
const TOLERANCE: f64 = 1e-9;

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

/// `Xᵀ(X v)` for the centred matrix, restricted to active columns.
fn gram_times(m: &VoteMatrix, center: &[f64], active: &[bool], v: &[f64]) -> Vec<f64> {
    let n_cols = m.n_cols();
    let avg = m.n_votes / m.n_rows().max(1);
    let parts = chunked(m.n_rows(), avg, |range| {
        let mut acc = vec![0.0; n_cols];
        for cells in &m.rows[range] {
            let mut u = 0.0;
            for &Cell { col, value } in cells {
                let c = col as usize;
                if active[c] {
                    u += (f64::from(value) - center[c]) * v[c];
                }
            }
            if u != 0.0 {
                for &Cell { col, value } in cells {
                    let c = col as usize;
                    if active[c] {
                        acc[c] += (f64::from(value) - center[c]) * u;
                    }
                }
            }
        }
        acc
    });
    let mut out = vec![0.0; n_cols];
    for part in parts {
        for (o, p) in out.iter_mut().zip(part) {
            *o += p;
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

fn orthogonalise(v: &mut [f64], against: &[&[f64]]) {
    for q in against {
        let d = dot(v, q);
        for (x, y) in v.iter_mut().zip(q.iter()) {
            *x -= d * y;
        }
    }
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

/// Computes the centres and two components. `warm` holds the previous
/// components (shorter vectors are padded with zeros for new columns).
pub fn pca(m: &VoteMatrix, active: &[bool], warm: Option<&[Vec<f64>; 2]>, seed: u64) -> Pca {
    let n_cols = m.n_cols();
    let center: Vec<f64> = (0..n_cols)
        .map(|c| {
            if active[c] && m.col_count[c] > 0 {
                m.col_sum[c] as f64 / f64::from(m.col_count[c])
            } else {
                0.0
            }
        })
        .collect();
    let mut rng = SplitMix64::new(seed);
    let mut comps: [Vec<f64>; 2] = [Vec::new(), Vec::new()];
    let mut iterations = [0usize; 2];
    for k in 0..2 {
        let previous: Vec<&[f64]> = comps[..k].iter().map(|c| c.as_slice()).collect();
        let mut v: Vec<f64> = vec![0.0; n_cols];
        let mut warm_used = false;
        if let Some(w) = warm {
            for (c, x) in w[k].iter().enumerate().take(n_cols) {
                if active[c] {
                    v[c] = *x;
                }
            }
            orthogonalise(&mut v, &previous);
            warm_used = norm(&v) > 1e-6;
        }
        if !warm_used {
            for (c, x) in v.iter_mut().enumerate() {
                *x = if active[c] { rng.next_f64() - 0.5 } else { 0.0 };
            }
            orthogonalise(&mut v, &previous);
        }
        let n0 = norm(&v);
        if n0 == 0.0 {
            comps[k] = vec![0.0; n_cols];
            continue;
        }
        v.iter_mut().for_each(|x| *x /= n0);
        for it in 0..MAX_ITERATIONS {
            let mut w = gram_times(m, &center, active, &v);
            orthogonalise(&mut w, &previous);
            let nw = norm(&w);
            iterations[k] = it + 1;
            if nw <= 1e-12 {
                // No variance left in this direction: keep the current vector.
                break;
            }
            w.iter_mut().for_each(|x| *x /= nw);
            let change: f64 = w
                .iter()
                .zip(&v)
                .map(|(a, b)| (a - b) * (a - b))
                .sum::<f64>()
                .sqrt();
            v = w;
            if change < TOLERANCE {
                break;
            }
        }
        match warm {
            Some(w) if warm_used => {
                if dot(&v, &w[k][..w[k].len().min(n_cols)]) < 0.0 {
                    v.iter_mut().for_each(|x| *x = -*x);
                }
            }
            _ => canonical_sign(&mut v),
        }
        comps[k] = v;
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

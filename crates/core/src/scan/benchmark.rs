//! The organisation against its peers: median, P25–P75 and its own percentile —
//! never a rank (NHS England and VNG both warn against league tables).
//!
//! Quantiles use linear interpolation between order statistics (Hyndman & Fan type
//! 7, the default of R and NumPy): for p in 0–1 over n sorted values, h = (n − 1)·p,
//! q = x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋]).
//! The percentile is the share of peers below the organisation plus half the share
//! that ties with it, 0–100 (the "mid-rank" percentile: an organisation equal to every
//! peer is at 50).
//!
//! The anonymity rule for organisations: fewer than [`MIN_PEERS`] peers show no
//! figure at all.

use crate::anonymity::Suppressed;
use serde::Serialize;

/// The least number of peer organisations before any peer figure is shown.
pub const MIN_PEERS: usize = 5;

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct BenchmarkFigure {
    pub median: f64,
    pub p25: f64,
    pub p75: f64,
    /// 0–100: share of peers below plus half of those tied.
    pub percentile: f64,
}

/// Type-7 quantile of sorted, non-empty values.
fn quantile(sorted: &[f64], p: f64) -> f64 {
    let n = sorted.len();
    if n == 0 {
        return f64::NAN;
    }
    let h = (n - 1) as f64 * p.clamp(0.0, 1.0);
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(n - 1);
    let (a, b) = (sorted[lo.min(n - 1)], sorted[hi]);
    a + (h - h.floor()) * (b - a)
}

/// The benchmark of `own` against `peers` (the peers' scores, the organisation itself
/// not among them). Non-finite peer scores are ignored; fewer than [`MIN_PEERS`]
/// usable peers, or a non-finite own score, give [`Suppressed::TooFew`].
pub fn benchmark(own: f64, peers: &[f64]) -> Suppressed<BenchmarkFigure> {
    let mut sorted: Vec<f64> = peers.iter().copied().filter(|v| v.is_finite()).collect();
    if sorted.len() < MIN_PEERS || !own.is_finite() {
        return Suppressed::TooFew;
    }
    sorted.sort_by(f64::total_cmp);
    let below = sorted.partition_point(|v| *v < own);
    let not_above = sorted.partition_point(|v| *v <= own);
    let ties = not_above - below;
    let n = sorted.len() as f64;
    Suppressed::Shown(BenchmarkFigure {
        median: quantile(&sorted, 0.5),
        p25: quantile(&sorted, 0.25),
        p75: quantile(&sorted, 0.75),
        percentile: 100.0 * (below as f64 + 0.5 * ties as f64) / n,
    })
}

//! Weighted k-means in the plane and the silhouette, as Pol.is uses them for
//! both stages: 100 base clusters over participants, then k groups over the
//! base-cluster centres.

/// A cluster: a stable id, its centre, and the indices of its member points.
#[derive(Debug, Clone, PartialEq)]
pub struct Cluster {
    pub id: u32,
    pub center: [f64; 2],
    pub members: Vec<u32>,
}

fn dist2(a: [f64; 2], b: [f64; 2]) -> f64 {
    let dx = a[0] - b[0];
    let dy = a[1] - b[1];
    dx * dx + dy * dy
}

pub fn dist(a: [f64; 2], b: [f64; 2]) -> f64 {
    dist2(a, b).sqrt()
}

/// Initial centres: the previous clusters (warm start) while they last, then
/// the first distinct points that are not already a centre, up to `k`.
pub fn start_centres(
    points: &[[f64; 2]],
    previous: &[(u32, [f64; 2])],
    k: usize,
) -> Vec<(u32, [f64; 2])> {
    let mut centres: Vec<(u32, [f64; 2])> = previous.iter().take(k).copied().collect();
    let mut next_id = previous.iter().map(|(id, _)| id + 1).max().unwrap_or(0);
    if centres.len() < k {
        for p in points {
            if centres.len() >= k {
                break;
            }
            // Exact comparison on purpose: "distinct" means distinct rows.
            if centres.iter().any(|(_, c)| c == p) {
                continue;
            }
            centres.push((next_id, *p));
            next_id += 1;
        }
    }
    centres
}

/// Lloyd's k-means from the given centres. Each point goes to its nearest
/// centre (the last one on ties, as Pol.is does); centres move to the weighted
/// mean of their members; empty clusters are dropped; it stops after
/// `max_iterations` or once no centre moved `threshold` or more.
pub fn kmeans(
    points: &[[f64; 2]],
    weights: Option<&[f64]>,
    start: Vec<(u32, [f64; 2])>,
    max_iterations: usize,
    threshold: f64,
) -> Vec<Cluster> {
    let mut clusters: Vec<Cluster> = start
        .into_iter()
        .map(|(id, center)| Cluster {
            id,
            center,
            members: Vec::new(),
        })
        .collect();
    if clusters.is_empty() {
        return clusters;
    }
    // Hamerly's bounds: an upper bound on the distance to the own centre and
    // a lower bound on the distance to any other centre. When the first is
    // strictly below the second the assignment cannot change, so most points
    // skip the scan over all centres. Only exact ties need the full scan,
    // which applies Pol.is's rule (the last minimum wins), so the result is
    // the same as plain Lloyd's.
    let mut state: Vec<Bound> = vec![Bound::default(); points.len()];
    let mut first = true;
    let mut delta: Vec<f64> = vec![0.0; clusters.len()];
    for _ in 0..max_iterations.max(1) {
        let centres: Vec<[f64; 2]> = clusters.iter().map(|c| c.center).collect();
        let half_sep = half_separation(&centres);
        let (max1, arg1, max2) = two_largest(&delta);
        assign_all(
            points,
            &mut state,
            &centres,
            &delta,
            &half_sep,
            first,
            (max1, arg1, max2),
        );
        first = false;
        let mut sums = vec![[0.0f64; 3]; clusters.len()];
        let mut counts = vec![0u32; clusters.len()];
        for (i, b) in state.iter().enumerate() {
            let a = b.a as usize;
            let w = weights.map_or(1.0, |w| w[i]);
            let s = &mut sums[a];
            s[0] += w * points[i][0];
            s[1] += w * points[i][1];
            s[2] += w;
            counts[a] += 1;
        }
        let mut moved = false;
        delta = vec![0.0; clusters.len()];
        for (j, (c, s)) in clusters.iter_mut().zip(&sums).enumerate() {
            if counts[j] == 0 {
                continue;
            }
            let new = if s[2] > 0.0 {
                [s[0] / s[2], s[1] / s[2]]
            } else {
                c.center
            };
            delta[j] = dist(new, c.center);
            if delta[j] >= threshold {
                moved = true;
            }
            c.center = new;
        }
        let before = clusters.len();
        if counts.contains(&0) {
            // Dropping empty clusters renumbers the rest; bounds stay valid
            // because removing a centre can only raise the distance to the
            // nearest other one.
            let mut remap = vec![0u32; clusters.len()];
            let mut next = 0u32;
            for (j, &n) in counts.iter().enumerate() {
                remap[j] = next;
                if n > 0 {
                    next += 1;
                }
            }
            for b in state.iter_mut() {
                b.a = remap[b.a as usize];
            }
            let mut keep = counts.iter().map(|&n| n > 0);
            delta.retain(|_| keep.next().unwrap_or(false));
            let mut keep = counts.iter().map(|&n| n > 0);
            clusters.retain(|_| keep.next().unwrap_or(false));
        }
        if !moved && clusters.len() == before {
            break;
        }
    }
    // Members are those of the last assignment, whose mean the centres are
    // (Pol.is returns the recentred clusters with the members that made them).
    for c in clusters.iter_mut() {
        c.members.clear();
    }
    for (i, b) in state.iter().enumerate() {
        if let Some(c) = clusters.get_mut(b.a as usize) {
            c.members.push(i as u32);
        }
    }
    clusters
}

#[derive(Debug, Clone, Copy, Default)]
struct Bound {
    a: u32,
    upper: f64,
    lower: f64,
}

/// Half the distance from each centre to its nearest other centre.
fn half_separation(centres: &[[f64; 2]]) -> Vec<f64> {
    centres
        .iter()
        .enumerate()
        .map(|(i, &c)| {
            let mut m = f64::INFINITY;
            for (j, &o) in centres.iter().enumerate() {
                if i != j {
                    m = m.min(dist2(c, o));
                }
            }
            m.sqrt() / 2.0
        })
        .collect()
}

fn two_largest(v: &[f64]) -> (f64, usize, f64) {
    let (mut m1, mut a1, mut m2) = (0.0, usize::MAX, 0.0);
    for (i, &x) in v.iter().enumerate() {
        if x > m1 {
            m2 = m1;
            m1 = x;
            a1 = i;
        } else if x > m2 {
            m2 = x;
        }
    }
    (m1, a1, m2)
}

fn assign_all(
    points: &[[f64; 2]],
    state: &mut [Bound],
    centres: &[[f64; 2]],
    delta: &[f64],
    half_sep: &[f64],
    first: bool,
    moves: (f64, usize, f64),
) {
    let sorted = SortedCentres::new(centres);
    let sorted = &sorted;
    let work = |pts: &[[f64; 2]], st: &mut [Bound]| {
        for (p, b) in pts.iter().zip(st.iter_mut()) {
            assign_one(*p, b, centres, sorted, delta, half_sep, first, moves);
        }
    };
    // Threads only for the first pass, where every point scans the centres;
    // later passes skip most points, and a thread barrier per pass would
    // cost more than it saves on a busy machine.
    let n_threads = crate::pca::threads();
    if n_threads <= 1 || !first || points.len() * centres.len() < crate::pca::PARALLEL_WORK {
        work(points, state);
        return;
    }
    // Each point is independent, so how the work is split never changes the
    // result.
    let size = points.len().div_ceil(n_threads);
    std::thread::scope(|s| {
        for (pts, st) in points.chunks(size).zip(state.chunks_mut(size)) {
            s.spawn(move || work(pts, st));
        }
    });
}

/// Centres sorted by x, so a scan can start at the point's x and stop once
/// the horizontal gap alone exceeds the second-best distance.
struct SortedCentres {
    xs: Vec<f64>,
    idx: Vec<usize>,
}

impl SortedCentres {
    fn new(centres: &[[f64; 2]]) -> SortedCentres {
        let mut idx: Vec<usize> = (0..centres.len()).collect();
        idx.sort_by(|&a, &b| centres[a][0].total_cmp(&centres[b][0]).then(a.cmp(&b)));
        SortedCentres {
            xs: idx.iter().map(|&i| centres[i][0]).collect(),
            idx,
        }
    }

    /// The nearest centre (the highest index among exact ties, as a forward
    /// scan keeping the last minimum would give), its squared distance, and
    /// the squared distance to the nearest other centre.
    fn nearest_two(&self, p: [f64; 2], centres: &[[f64; 2]]) -> (usize, f64, f64) {
        let n = self.xs.len();
        let start = self.xs.partition_point(|&x| x < p[0]);
        let (mut lo, mut hi) = (start, start);
        let (mut best, mut best_d, mut second) = (0usize, f64::INFINITY, f64::INFINITY);
        loop {
            let dl = if lo > 0 {
                p[0] - self.xs[lo - 1]
            } else {
                f64::INFINITY
            };
            let dh = if hi < n {
                self.xs[hi] - p[0]
            } else {
                f64::INFINITY
            };
            let j = if dl <= dh {
                if !dl.is_finite() || dl * dl > second {
                    break;
                }
                lo -= 1;
                self.idx[lo]
            } else {
                if !dh.is_finite() || dh * dh > second {
                    break;
                }
                hi += 1;
                self.idx[hi - 1]
            };
            let d = dist2(p, centres[j]);
            if d < best_d {
                second = best_d;
                best_d = d;
                best = j;
            } else if d == best_d {
                second = d;
                best = best.max(j);
            } else if d < second {
                second = d;
            }
        }
        (best, best_d, second)
    }
}

#[allow(clippy::too_many_arguments)]
fn assign_one(
    p: [f64; 2],
    b: &mut Bound,
    centres: &[[f64; 2]],
    sorted: &SortedCentres,
    delta: &[f64],
    half_sep: &[f64],
    first: bool,
    (max1, arg1, max2): (f64, usize, f64),
) {
    if !first {
        let a = b.a as usize;
        b.upper += delta.get(a).copied().unwrap_or(0.0);
        b.lower -= if a == arg1 { max2 } else { max1 };
        let bound = b.lower.max(half_sep[a]);
        if b.upper < bound {
            return;
        }
        b.upper = dist(p, centres[a]);
        if b.upper < bound {
            return;
        }
    }
    let (best, best_d, second) = sorted.nearest_two(p, centres);
    b.a = best as u32;
    b.upper = best_d.sqrt();
    b.lower = second.sqrt();
}

/// A deterministic spread-out start: the heaviest point first, then each next
/// centre where weight × squared distance to the nearest chosen centre is
/// largest (k-means++ without the dice).
pub fn spread_centres(points: &[[f64; 2]], weights: &[f64], k: usize) -> Vec<(u32, [f64; 2])> {
    let mut chosen: Vec<usize> = Vec::new();
    let mut nearest = vec![f64::INFINITY; points.len()];
    while chosen.len() < k.min(points.len()) {
        let mut best: Option<(usize, f64)> = None;
        for (i, d) in nearest.iter().enumerate() {
            if chosen.contains(&i) {
                continue;
            }
            let w = weights.get(i).copied().unwrap_or(1.0);
            let score = if chosen.is_empty() { w } else { w * d };
            if best.is_none_or(|(_, s)| score > s) {
                best = Some((i, score));
            }
        }
        let Some((i, score)) = best else { break };
        if !chosen.is_empty() && score <= 0.0 {
            break;
        }
        chosen.push(i);
        for (j, q) in points.iter().enumerate() {
            nearest[j] = nearest[j].min(dist2(*q, points[i]));
        }
    }
    chosen
        .into_iter()
        .enumerate()
        .map(|(id, i)| (id as u32, points[i]))
        .collect()
}

/// Mean silhouette of a labelling of `points` (plain mean over points; a point
/// alone in its cluster scores 0).
pub fn silhouette(points: &[[f64; 2]], labels: &[usize], k: usize) -> f64 {
    let n = points.len();
    if n == 0 || k < 2 {
        return 0.0;
    }
    let mut sizes = vec![0usize; k];
    for &l in labels {
        sizes[l] += 1;
    }
    let mut total = 0.0;
    for i in 0..n {
        let own = labels[i];
        if sizes[own] <= 1 {
            continue;
        }
        let mut sum = vec![0.0; k];
        for j in 0..n {
            if i != j {
                sum[labels[j]] += dist(points[i], points[j]);
            }
        }
        let a = sum[own] / (sizes[own] - 1) as f64;
        let mut b = f64::INFINITY;
        for g in 0..k {
            if g != own && sizes[g] > 0 {
                b = b.min(sum[g] / sizes[g] as f64);
            }
        }
        if !b.is_finite() {
            continue;
        }
        let m = a.max(b);
        if m > 0.0 {
            total += (b - a) / m;
        }
    }
    total / n as f64
}

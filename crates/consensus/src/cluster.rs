//! Weighted k-means in the plane and the silhouette, as Pol.is uses them for
//! both stages: 100 base clusters over participants, then k groups over the
//! base-cluster centres.

use crate::pca::chunked;

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
    for _ in 0..max_iterations.max(1) {
        let centres: Vec<[f64; 2]> = clusters.iter().map(|c| c.center).collect();
        let assignment: Vec<u32> = chunked(points.len(), centres.len(), |range| {
            points[range]
                .iter()
                .map(|&p| nearest(&centres, p) as u32)
                .collect::<Vec<_>>()
        })
        .into_iter()
        .flatten()
        .collect();
        let mut sums = vec![[0.0f64; 3]; clusters.len()];
        for c in clusters.iter_mut() {
            c.members.clear();
        }
        for (i, &a) in assignment.iter().enumerate() {
            let w = weights.map_or(1.0, |w| w[i]);
            let s = &mut sums[a as usize];
            s[0] += w * points[i][0];
            s[1] += w * points[i][1];
            s[2] += w;
            clusters[a as usize].members.push(i as u32);
        }
        let mut moved = false;
        for (c, s) in clusters.iter_mut().zip(&sums) {
            if c.members.is_empty() {
                continue;
            }
            let new = if s[2] > 0.0 {
                [s[0] / s[2], s[1] / s[2]]
            } else {
                c.center
            };
            if dist(new, c.center) >= threshold {
                moved = true;
            }
            c.center = new;
        }
        let before = clusters.len();
        clusters.retain(|c| !c.members.is_empty());
        if !moved && clusters.len() == before {
            break;
        }
    }
    // A final assignment so members match the final centres.
    let centres: Vec<[f64; 2]> = clusters.iter().map(|c| c.center).collect();
    for c in clusters.iter_mut() {
        c.members.clear();
    }
    for (i, &p) in points.iter().enumerate() {
        let a = nearest(&centres, p);
        clusters[a].members.push(i as u32);
    }
    clusters.retain(|c| !c.members.is_empty());
    clusters
}

fn nearest(centres: &[[f64; 2]], p: [f64; 2]) -> usize {
    let mut best = 0;
    let mut best_d = f64::INFINITY;
    for (j, &c) in centres.iter().enumerate() {
        let d = dist2(p, c);
        if d <= best_d {
            best_d = d;
            best = j;
        }
    }
    best
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

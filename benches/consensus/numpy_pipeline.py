"""A vectorised NumPy version of the same pipeline as the Rust engine's cold
update, written for the benchmark: dense matrix, column-mean imputation,
moderated-out columns zeroed, in-conversation rule, two components by power
iteration, sparsity-aware projection, 100 base clusters, weighted group
k-means for k = 2..5 chosen by silhouette, repness, consensus and
group-informed consensus.

It is what a careful Python port would do with NumPy alone (dense arrays, no
sparse tricks), so the benchmark shows what the sparse Rust engine buys over
plain vectorisation.
"""

import numpy as np

Z_90 = 1.2816


def build_matrix(rows, cols, vals, n_rows, n_cols):
    m = np.full((n_rows, n_cols), np.nan)
    m[rows, cols] = vals
    return m


def power_iteration_pca(x, n_comps=2, iters=100, seed=0):
    rng = np.random.default_rng(seed)
    comps = []
    data = x
    for _ in range(n_comps):
        v = rng.random(x.shape[1]) - 0.5
        for q in comps:
            v -= (v @ q) * q
        v /= np.linalg.norm(v)
        last = None
        for _ in range(iters):
            w = data.T @ (data @ v)
            for q in comps:
                w -= (w @ q) * q
            n = np.linalg.norm(w)
            if n == 0:
                break
            w /= n
            eig = n
            v = w
            if last is not None and abs(eig - last) <= 1e-12 * eig:
                break
            last = eig
        comps.append(v)
        # Deflate as Pol.is does: remove the found direction from the data.
        data = data - np.outer(data @ v, v)
    return np.array(comps)


def kmeans(points, centres, weights=None, iters=100, threshold=0.01):
    if weights is None:
        weights = np.ones(len(points))
    labels = np.zeros(len(points), dtype=int)
    for _ in range(iters):
        d = ((points[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2)
        # The last minimum wins on ties, as in Pol.is.
        labels = d.shape[1] - 1 - np.argmin(d[:, ::-1], axis=1)
        w = np.bincount(labels, weights=weights, minlength=len(centres))
        keep = w > 0
        sx = np.bincount(labels, weights=weights * points[:, 0], minlength=len(centres))
        sy = np.bincount(labels, weights=weights * points[:, 1], minlength=len(centres))
        new = centres.copy()
        new[keep, 0] = sx[keep] / w[keep]
        new[keep, 1] = sy[keep] / w[keep]
        moved = np.sqrt(((new - centres) ** 2).sum(axis=1))
        remap = np.cumsum(keep) - 1
        centres = new[keep]
        labels = remap[labels]
        if not keep.all():
            continue
        if (moved < threshold).all():
            break
    return centres, labels


def first_distinct(points, k):
    _, idx = np.unique(points, axis=0, return_index=True)
    idx = np.sort(idx)[:k]
    return points[idx].copy()


def silhouette(points, labels):
    k = labels.max() + 1
    if k < 2:
        return 0.0
    d = np.sqrt(((points[:, None, :] - points[None, :, :]) ** 2).sum(axis=2))
    sizes = np.bincount(labels, minlength=k)
    onehot = np.eye(k)[labels]
    sums = d @ onehot
    own = sums[np.arange(len(points)), labels]
    a = np.where(sizes[labels] > 1, own / np.maximum(sizes[labels] - 1, 1), 0.0)
    mean_other = sums / np.maximum(sizes, 1)
    mean_other[np.arange(len(points)), labels] = np.inf
    mean_other[:, sizes == 0] = np.inf
    b = mean_other.min(axis=1)
    s = np.where(sizes[labels] > 1, (b - a) / np.maximum(np.maximum(a, b), 1e-300), 0.0)
    return float(s.mean())


def prop_test(succ, n):
    succ = succ + 1.0
    n = n + 1.0
    return 2 * np.sqrt(n) * (succ / n - 0.5)


def two_prop_test(s1, s2, n1, n2):
    s1, s2, n1, n2 = s1 + 1.0, s2 + 1.0, n1 + 1.0, n2 + 1.0
    p1, p2 = s1 / n1, s2 / n2
    pooled = (s1 + s2) / (n1 + n2)
    denom = np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where((pooled < 1) & (denom > 0), (p1 - p2) / denom, 0.0)
    return z


def run(rows, cols, vals, n_rows, n_cols, mod_out, seed=0):
    raw = build_matrix(rows, cols, vals, n_rows, n_cols)
    m = raw.copy()
    m[:, mod_out] = 0.0
    voted = ~np.isnan(m)
    n_votes_raw = (~np.isnan(raw)).sum(axis=1)
    means = np.nanmean(np.where(voted.any(axis=0), m, 0.0), axis=0)
    means = np.nan_to_num(means)
    x = np.where(voted, m, means) - means
    comps = power_iteration_pca(x, seed=seed)
    proj = x @ comps.T
    proj *= np.sqrt(n_cols / np.maximum(voted.sum(axis=1), 1))[:, None]

    need = min(7, n_cols)
    in_conv = n_votes_raw >= need
    if in_conv.sum() < 15:
        order = np.lexsort((np.arange(n_rows), -n_votes_raw))
        for r in order:
            if in_conv.sum() >= 15:
                break
            in_conv[r] = True
    pts = proj[in_conv]
    base_c, base_l = kmeans(pts, first_distinct(pts, 100), iters=100)
    weights = np.bincount(base_l, minlength=len(base_c)).astype(float)
    max_k = min(5, 2 + len(base_c) // 12, len(base_c))
    best = None
    for k in range(2, max_k + 1):
        gc, gl = kmeans(base_c, first_distinct(base_c, k), weights=weights, iters=20)
        s = silhouette(base_c, gl)
        if best is None or s > best[0]:
            best = (s, k, gl)
    group_of_base = best[2] if best else np.zeros(len(base_c), dtype=int)
    groups = group_of_base[base_l]
    k = groups.max() + 1

    members = raw[in_conv]
    agree = np.stack([(members[groups == g] > 0).sum(axis=0) for g in range(k)]).astype(float)
    disagree = np.stack([(members[groups == g] < 0).sum(axis=0) for g in range(k)]).astype(float)
    total = np.stack([(~np.isnan(members[groups == g])).sum(axis=0) for g in range(k)]).astype(float)

    gic = np.prod((agree + 1) / (total + 2), axis=0)
    repness = []
    active = np.ones(n_cols, dtype=bool)
    active[mod_out] = False
    for g in range(k):
        na, nd, ns = agree[g], disagree[g], total[g]
        ra_rest, rd_rest, rs_rest = agree.sum(0) - na, disagree.sum(0) - nd, total.sum(0) - ns
        pa, pd = (na + 1) / (ns + 2), (nd + 1) / (ns + 2)
        pat, pdt = prop_test(na, ns), prop_test(nd, ns)
        ra = pa / ((1 + ra_rest) / (2 + rs_rest))
        rd = pd / ((1 + rd_rest) / (2 + rs_rest))
        rat = two_prop_test(na, ra_rest, ns, rs_rest)
        rdt = two_prop_test(nd, rd_rest, ns, rs_rest)
        ok = active & (ns > 0) & (((rat > Z_90) & (pat > Z_90)) | ((rdt > Z_90) & (pdt > Z_90)))
        agree_dir = rat > rdt
        metric = np.where(agree_dir, ra * rat * pa * pat, rd * rdt * pd * pdt)
        idx = np.where(ok)[0]
        idx = idx[np.argsort(-metric[idx], kind="stable")]
        chosen = list(idx[agree_dir[idx]]) + list(idx[~agree_dir[idx]])
        repness.append(chosen[:5])

    all_a = np.nansum(raw > 0, axis=0).astype(float)
    all_n = (~np.isnan(raw)).sum(axis=0).astype(float)
    p = (all_a + 1) / (all_n + 2)
    z = prop_test(all_a, all_n)
    ok = active & (p > 0.5) & (z > Z_90)
    consensus = np.where(ok)[0][np.argsort(-(p * z)[ok], kind="stable")][:5]
    return {"k": int(k), "groups": groups, "in_conv": in_conv, "gic": gic,
            "repness": repness, "consensus": consensus}

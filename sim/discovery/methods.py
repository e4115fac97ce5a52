"""The two methods on a matrix of parameter values and a vector of outcomes: PRIM and a shallow tree.

A box is a pair of arrays (low, high), one bound per parameter column, ``-inf``/``inf`` where open.
"""

from __future__ import annotations

import math

import numpy as np


def _inside(X: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    return ((lo < X) & (hi > X)).all(axis=1)


def _cut(values: np.ndarray, alpha: float, upper: bool) -> float | None:
    """The bound that peels about ``alpha`` of ``values`` off one end (half way between kept and cut)."""
    v = -values if upper else values
    q = np.quantile(v, alpha)
    removed = v < q
    if not removed.any():
        removed = v <= q  # ties at the end: peel them all
    if removed.all():
        return None
    cut = (v[removed].max() + v[~removed].min()) / 2
    return float(-cut if upper else cut)


def _prim(X: np.ndarray, y: np.ndarray, *, alpha: float, min_count: int, threshold: float,
          paste: bool) -> tuple[np.ndarray, np.ndarray]:
    """PRIM's peeling trajectory, the chosen box on it, then pasting; returns (low, high) bounds."""
    n, d = X.shape
    total = y.sum()
    lo, hi = np.full(d, -np.inf), np.full(d, np.inf)
    inside = np.ones(n, dtype=bool)
    trajectory = [(lo.copy(), hi.copy(), inside, y.mean(), 1.0)]
    while True:
        best = None
        for j in range(d):
            for upper in (False, True):
                cut = _cut(X[inside, j], alpha, upper)
                if cut is None:
                    continue
                keep = inside & ((X[:, j] < cut) if upper else (X[:, j] > cut))
                count = keep.sum()
                if count < min_count:
                    continue
                key = (y[keep].mean(), count)  # highest density; on a tie, the larger box
                if best is None or key > best[0]:
                    best = (key, j, upper, cut, keep)
        if best is None:
            break
        _, j, upper, cut, inside = best
        if upper:
            hi[j] = cut
        else:
            lo[j] = cut
        trajectory.append((lo.copy(), hi.copy(), inside, y[inside].mean(), y[inside].sum() / total))
    eligible = [t for t in trajectory if t[4] >= threshold] or trajectory[:1]
    best = max(eligible, key=lambda t: (t[3], t[4]))
    # The largest box whose density is within two standard errors of the best (the best of many noisy
    # densities overstates its box), so that coverage is not traded for a gain noise could explain.
    se = _standard_error(y, best[2])
    lo, hi, *_ = max((t for t in eligible if t[3] >= best[3] - 2 * se), key=lambda t: (t[4], t[3]))
    return _paste(X, y, lo.copy(), hi.copy(), alpha) if paste else (lo, hi)


def _standard_error(y: np.ndarray, inside: np.ndarray) -> float:
    """Standard error of a box's density (binomial, over its runs)."""
    density = y[inside].mean()
    return math.sqrt(density * (1 - density) / max(inside.sum(), 1))


def _paste(X: np.ndarray, y: np.ndarray, lo: np.ndarray, hi: np.ndarray,
           alpha: float) -> tuple[np.ndarray, np.ndarray]:
    """Widen one bound at a time by about ``alpha`` of the box's runs while the density does not fall."""
    while True:
        inside = _inside(X, lo, hi)
        density, step = y[inside].mean(), max(1, math.ceil(alpha * inside.sum()))
        best = None
        for j in range(X.shape[1]):
            others = np.delete(lo, j), np.delete(hi, j)
            along = _inside(np.delete(X, j, axis=1), *others)  # in the box but for parameter j
            for upper in (False, True):
                bound = hi[j] if upper else lo[j]
                if not np.isfinite(bound):
                    continue
                beyond = X[along, j][X[along, j] > bound] if upper else X[along, j][X[along, j] < bound]
                if not len(beyond):
                    continue
                ordered = np.sort(beyond) if upper else -np.sort(-beyond)
                k = min(step, len(ordered))
                while k < len(ordered) and ordered[k] == ordered[k - 1]:
                    k += 1  # keep ties together
                new = np.inf if upper else -np.inf
                if k < len(ordered):
                    new = (ordered[k - 1] + ordered[k]) / 2
                trial_lo, trial_hi = lo.copy(), hi.copy()
                (trial_hi if upper else trial_lo)[j] = new
                trial = y[_inside(X, trial_lo, trial_hi)].mean()
                if trial >= density and (best is None or trial > best[0]):
                    best = (trial, trial_lo, trial_hi)
        if best is None:
            return lo, hi
        _, lo, hi = best


def _simplify(X: np.ndarray, y: np.ndarray, lo: np.ndarray, hi: np.ndarray,
              tolerance: float) -> tuple[np.ndarray, np.ndarray]:
    """Drop restrictions, least useful first, while each drop changes the density by less than ``tolerance``
    (or than the density's standard error, if that is larger)."""
    lo, hi = lo.copy(), hi.copy()
    tolerance = max(tolerance, _standard_error(y, _inside(X, lo, hi)))
    while True:
        density = y[_inside(X, lo, hi)].mean()
        options = []
        for j in np.flatnonzero(np.isfinite(lo) | np.isfinite(hi)):
            trial_lo, trial_hi = lo.copy(), hi.copy()
            trial_lo[j], trial_hi[j] = -np.inf, np.inf
            options.append((abs(density - y[_inside(X, trial_lo, trial_hi)].mean()), j))
        if not options:
            return lo, hi
        loss, j = min(options)
        if loss >= tolerance:
            return lo, hi
        lo[j], hi[j] = -np.inf, np.inf


Leaf = tuple[np.ndarray, np.ndarray, np.ndarray]  # (low, high, runs in the leaf)


def _tree_leaves(X: np.ndarray, y: np.ndarray, *, depth: int, min_count: int, prune: bool = True) -> list[Leaf]:
    """Leaves of a depth-limited CART tree with Gini splits: scikit-learn's ``DecisionTreeClassifier``.

    The fitted ``tree_`` is walked from the root: a leaf's bounds are those of the splits on its path,
    each half way between the largest value of the runs sent left and the smallest sent right (in
    float64; scikit-learn finds its splits and stores its thresholds on a float32 copy of ``X``, so its
    own threshold can sit a rounding error away; this bound puts every run on the side scikit-learn's
    ``apply`` does). The runs of a leaf are those ``decision_path`` sends through it.

    With ``prune``, two sibling leaves on the same side of the overall rate are merged back, so that no
    split is kept that does not separate runs more likely than average from runs less likely.
    """
    from sklearn.tree import DecisionTreeClassifier  # here: ``import sim`` and loading scenarios stay light

    model = DecisionTreeClassifier(criterion="gini", max_depth=depth, min_samples_leaf=min_count, random_state=0)
    model.fit(X, y)
    tree = model.tree_
    paths = model.decision_path(X).tocsc()  # runs x nodes: which nodes each run passes through
    n, d = X.shape
    baseline = y.mean()

    def runs(node: int) -> np.ndarray:
        mask = np.zeros(n, dtype=bool)
        mask[paths.indices[paths.indptr[node]:paths.indptr[node + 1]]] = True
        return mask

    def walk(node: int, lo: np.ndarray, hi: np.ndarray) -> list[Leaf]:
        mask = runs(node)
        left, right = tree.children_left[node], tree.children_right[node]
        if left == right:  # a leaf (both are -1)
            return [(lo, hi, mask)]
        j = tree.feature[node]
        cut = float((X[runs(left), j].max() + X[runs(right), j].min()) / 2)
        left_hi, right_lo = hi.copy(), lo.copy()
        left_hi[j], right_lo[j] = min(hi[j], cut), max(lo[j], cut)
        below, above = walk(left, lo, left_hi), walk(right, right_lo, hi)
        if (prune and len(below) == len(above) == 1
                and (y[below[0][2]].mean() > baseline) == (y[above[0][2]].mean() > baseline)):
            return [(lo, hi, mask)]  # prune: the split does not change which side of the baseline the runs are on
        return below + above

    return walk(0, np.full(d, -np.inf), np.full(d, np.inf))

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


def _tree_leaves(X: np.ndarray, y: np.ndarray, *, depth: int, min_count: int) -> list[Leaf]:
    """Leaves of a depth-limited CART tree with Gini splits.

    Two sibling leaves on the same side of the overall rate are merged back (pruned), so that no
    split is kept that does not separate runs more likely than average from runs less likely.
    """
    n, d = X.shape

    baseline = y.mean()

    def grow(rows: np.ndarray, lo: np.ndarray, hi: np.ndarray, level: int) -> list[Leaf]:
        mask = np.zeros(n, dtype=bool)
        mask[rows] = True
        split = None
        if level < depth and 0 < y[rows].sum() < len(rows) and len(rows) >= 2 * min_count:
            split = _best_split(X[rows], y[rows], min_count)
        if split is None:
            return [(lo, hi, mask)]
        j, cut = split
        left_hi, right_lo = hi.copy(), lo.copy()
        left_hi[j], right_lo[j] = min(hi[j], cut), max(lo[j], cut)
        left = grow(rows[X[rows, j] < cut], lo, left_hi, level + 1)
        right = grow(rows[X[rows, j] > cut], right_lo, hi, level + 1)
        if len(left) == len(right) == 1 and (y[left[0][2]].mean() > baseline) == (y[right[0][2]].mean() > baseline):
            return [(lo, hi, mask)]  # prune: the split does not change which side of the baseline the runs are on
        return left + right

    return grow(np.arange(n), np.full(d, -np.inf), np.full(d, np.inf), 0)


def _best_split(X: np.ndarray, y: np.ndarray, min_count: int) -> tuple[int, float] | None:
    """The (column, threshold) whose split most lowers the weighted Gini impurity, if any does."""
    n = len(y)
    p = y.mean()
    best, best_impurity = None, 2 * p * (1 - p) - 1e-12
    sizes = np.arange(1, n)
    for j in range(X.shape[1]):
        order = np.argsort(X[:, j], kind="stable")
        x, hits = X[order, j], np.cumsum(y[order])[:-1]
        p_left = hits / sizes
        p_right = (y.sum() - hits) / (n - sizes)
        impurity = (sizes * 2 * p_left * (1 - p_left) + (n - sizes) * 2 * p_right * (1 - p_right)) / n
        valid = (x[:-1] < x[1:]) & (sizes >= min_count) & (n - sizes >= min_count)
        if not valid.any():
            continue
        i = np.flatnonzero(valid)[np.argmin(impurity[valid])]
        if impurity[i] < best_impurity:
            best, best_impurity = (j, float((x[i] + x[i + 1]) / 2)), impurity[i]
    return best


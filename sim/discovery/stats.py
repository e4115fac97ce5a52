"""How sure a box is: Wilson intervals of its shares, and a permutation test of each restriction.

A run table often repeats each design point (a sweep or Latin hypercube of 40 points x 100 runs):
the runs of one point share every parameter value, so they are not independent evidence about a
parameter. Both the intervals and the test therefore count *design points* (rows with the same
values of every parameter column), not runs; a table in which every run drew its own values has as
many design points as runs.

- Intervals: the Wilson score interval of a share ``k / n`` (95%), with ``k`` and ``n`` scaled by
  design points per run, i.e. as if each design point were one observation (conservative when the
  runs of a point disagree); where one parameter alone varies (a grid), the runs of a point differ
  only by chance and each run counts. :func:`wilson` is a vectorised formula, checked in the tests against
  ``scipy.stats.binomtest(k, n).proportion_ci(method="wilson")``.
- Test: a restriction on parameter ``j`` is real if the box's density is higher than the outcome's
  rate could make it by chance among the runs the other restrictions keep. The outcome is shuffled
  over those design points (each point keeps its runs' outcomes together) -- or, where design points
  differ only in ``j`` (a grid), over the runs alike in every other parameter -- and for each shuffle the
  best density any range of *any* parameter column holding as many design points as the box does
  is found, since the search could have cut there. The p-value is the share of shuffles (plus one)
  whose best density reaches the box's. While a box's largest p-value is above ``level`` (0.05)
  divided by its number of restrictions (Bonferroni), that restriction is dropped and the rest are
  tested again.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

Z95 = 1.959963984540054  # two-sided 95% normal quantile


def wilson(k, n, z: float = Z95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval (low, high) of ``k`` successes in ``n`` trials, vectorised; ``n`` may be 0
    (the interval is then 0 to 1) and ``k``, ``n`` need not be whole (effective counts)."""
    k, n = np.asarray(k, dtype=float), np.asarray(n, dtype=float)
    safe = np.where(n > 0, n, 1.0)
    p = k / safe
    denominator = 1 + z**2 / safe
    centre = (p + z**2 / (2 * safe)) / denominator
    half = z * np.sqrt(p * (1 - p) / safe + z**2 / (4 * safe**2)) / denominator
    low = np.where(n > 0, np.clip(centre - half, 0.0, 1.0), 0.0)
    high = np.where(n > 0, np.clip(centre + half, 0.0, 1.0), 1.0)
    return low, high


def design_points(X: np.ndarray) -> np.ndarray:
    """Each row's design point (an index shared by rows with the same values in every column)."""
    return np.unique(X, axis=0, return_inverse=True)[1].reshape(-1)


@dataclass(frozen=True)
class Sureness:
    """Intervals of a box's shares and p-values of its restrictions (column index -> p)."""

    density: tuple[float, float]
    mass: tuple[float, float]
    coverage: tuple[float, float]
    points: int
    p_values: dict[int, float]


def intervals(y: np.ndarray, inside: np.ndarray, units: np.ndarray):
    """95% Wilson intervals of (density, mass, coverage) over design points, and their number; mass and
    coverage are shares of all runs and of all runs with the outcome."""
    points = len(np.unique(units))
    scale = points / len(y)
    hits, rows = y[inside].sum(), inside.sum()
    k = np.array([hits, rows, hits]) * scale
    n = np.array([rows, len(y), y.sum()]) * scale
    low, high = wilson(k, n)
    return tuple((float(a), float(b)) for a, b in zip(low, high, strict=True)), points


def _best_window(hits: np.ndarray, counts: np.ndarray, size: int) -> np.ndarray:
    """Per row (a shuffle), the highest density of ``size`` consecutive design points."""
    zero = np.zeros((hits.shape[0], 1))
    ch = np.hstack([zero, np.cumsum(hits, axis=1)])
    cc = np.hstack([zero, np.cumsum(counts, axis=1)])
    window_hits = ch[:, size:] - ch[:, :-size]
    window_runs = cc[:, size:] - cc[:, :-size]
    return (window_hits / np.maximum(window_runs, 1)).max(axis=1)


def restriction_p(X: np.ndarray, y: np.ndarray, units: np.ndarray, along: np.ndarray, inside: np.ndarray, j: int,
                  *, shuffles: int, rng: np.random.Generator) -> float:
    """p-value of the restriction on column ``j``: the box is ``inside``, the runs kept by the other
    restrictions ``along``."""
    rows = np.flatnonzero(along)
    strata = design_points(np.delete(X[rows], j, axis=1))  # runs alike in every other column
    if len(np.unique(units[rows])) > len(np.unique(strata)):
        # Design points that differ only in column j: under the null their runs are exchangeable.
        local, ids = np.arange(len(rows)), rows
        shuffled = _shuffle_within(strata, shuffles, rng)
    else:
        ids_, local = np.unique(units[rows], return_inverse=True)
        ids = np.zeros(len(ids_), dtype=int)
        ids[local] = rows  # a run of each design point, for its parameter values
        shuffled = rng.permuted(np.tile(np.arange(len(ids)), (shuffles, 1)), axis=1)
    hits = np.bincount(local, weights=y[rows].astype(float), minlength=len(ids))
    counts = np.bincount(local, minlength=len(ids)).astype(float)
    size = len(np.unique(local[inside[rows]]))
    if size == 0 or size >= len(ids):
        return 1.0
    observed = y[inside].mean()
    best = np.full(shuffles, -np.inf)
    for c in range(X.shape[1]):
        picked = shuffled[:, np.argsort(X[ids, c], kind="stable")]  # the shuffled outcomes laid out along c
        best = np.maximum(best, _best_window(hits[picked], counts[picked], size))
    return float((1 + np.sum(best >= observed - 1e-12)) / (1 + shuffles))


def _shuffle_within(strata: np.ndarray, shuffles: int, rng: np.random.Generator) -> np.ndarray:
    """``shuffles`` permutations (rows) of ``range(len(strata))``, each moving items only within a stratum."""
    base = np.argsort(strata, kind="stable")
    order = np.argsort(strata[base][None, :] + rng.random((shuffles, len(strata))), axis=1)
    shuffled = np.empty_like(order)
    shuffled[:, base] = base[order]
    return shuffled


def prune(X: np.ndarray, y: np.ndarray, units: np.ndarray, considered: np.ndarray, lo: np.ndarray, hi: np.ndarray,
          *, level: float, shuffles: int, seed: int = 0):
    """Drop restrictions that are not real (p > ``level`` / restrictions), least certain first; returns the bounds left,
    the p-value of each restriction kept and that of each one dropped (when it was dropped)."""
    from .methods import _inside

    lo, hi = lo.copy(), hi.copy()
    dropped: dict[int, float] = {}
    while True:
        rng = np.random.default_rng(seed)
        inside = considered & _inside(X, lo, hi)
        p_values = {}
        for j in np.flatnonzero(np.isfinite(lo) | np.isfinite(hi)):
            others_lo, others_hi = lo.copy(), hi.copy()
            others_lo[j], others_hi[j] = -np.inf, np.inf
            along = considered & _inside(X, others_lo, others_hi)
            p_values[int(j)] = restriction_p(X, y, units, along, inside, int(j), shuffles=shuffles, rng=rng)
        if not p_values or max(p_values.values()) <= level / len(p_values):  # Bonferroni over the box
            return lo, hi, p_values, dropped
        worst = max(p_values, key=p_values.get)
        dropped[worst] = p_values[worst]
        lo[worst], hi[worst] = -np.inf, np.inf

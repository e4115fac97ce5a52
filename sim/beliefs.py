"""Beliefs as pure functions of arrays: Bayes' rule on the drift grid, the type cutoff of an offer, and
the mediators' belief about a party's resolve (the prior cut to an interval by answers, tilted by news).

Part of the decision math (:mod:`sim.mechanisms` re-exports every name); kept apart because it is the
bargaining core's own arithmetic. Equations: ``docs/model.md`` sections 3, 5 and 6.
"""

from __future__ import annotations

from functools import cache

import numpy as np

__all__ = ["MAX_TILT", "RESOLVE_FLOOR", "grid_update", "interval_quantile", "interval_share", "tilt_by_news", "tilt_grid", "type_cutoff",
           "unwidened", "widened"]


def grid_update(weights: np.ndarray, observed: np.ndarray, expected: np.ndarray, sd: float | np.ndarray,
                informative: np.ndarray) -> np.ndarray:
    """Bayes' rule on a grid with a normal likelihood: the posterior over the grid's points.

    ``weights`` and ``expected`` are ``(runs, grid)``: the prior and what each grid point predicts;
    ``observed`` and ``informative`` are ``(runs,)``. Runs where the observation is not informative
    (no fighting, the front at its limit) keep their prior, as do runs whose likelihood vanishes
    everywhere (an observation far outside every grid point's reach says nothing about which one).
    """
    sd = np.maximum(np.asarray(sd, dtype=float), 1e-12)
    z = (observed[:, None] - expected) / (sd[:, None] if np.ndim(sd) else sd)
    # Shifting the log-likelihood by its largest value keeps the products from underflowing.
    log_like = -0.5 * z * z
    log_like -= log_like.max(axis=1, keepdims=True)
    posterior = weights * np.exp(log_like)
    total = posterior.sum(axis=1, keepdims=True)
    return np.where(~informative[:, None], weights, posterior / np.where(total > 0, total, 1.0))


def tilt_grid(weights: np.ndarray, news: np.ndarray, likelihood_ratio: np.ndarray) -> np.ndarray:
    """Bayes' rule on a grid for news whose likelihood is log-linear in the grid's rank.

    Each piece of news (``news`` per run, positive toward the grid's last point) is ``likelihood_ratio``
    times as likely at the grid's last point as at its first, with the log of the ratio linear in the
    point's rank between them (``k / (size - 1)``); pieces the other way (negative) divide. ``weights``
    is ``(runs, grid)``; runs without news keep their belief.
    """
    rank = np.linspace(0.0, 1.0, weights.shape[-1])
    log_like = (news * np.log(likelihood_ratio))[:, None] * rank
    log_like -= log_like.max(axis=1, keepdims=True)
    posterior = weights * np.exp(log_like)
    return posterior / posterior.sum(axis=1, keepdims=True)


def type_cutoff(fight_utility: np.ndarray, fight_costs: np.ndarray, threshold: np.ndarray) -> np.ndarray:
    """The most resolute type that accepts terms: the largest resolve r with ``fight_utility - fight_costs / r
    <= threshold`` (ties accept: the stated rule at a party's indifference point).

    A party values fighting on at its projected end state less its war costs divided by its resolve,
    so more resolute types ask more, and the types that accept any terms are those up to a cutoff.
    ``fight_utility`` and ``fight_costs`` are ``(runs,)``, ``threshold`` ``(runs, candidates)``: the
    highest value of fighting on at which each candidate is accepted. Returns ``(runs, candidates)``:
    ``inf`` when every type accepts, 0 when none does (a war that costs nothing is never worth ending
    for less than its end state).
    """
    gap = fight_utility[:, None] - threshold
    costs = np.broadcast_to(fight_costs[:, None], gap.shape)
    # A gap of next to nothing gives a cutoff beyond any float: inf, which is the right answer.
    with np.errstate(over="ignore"):
        cutoff = np.where(costs > 0, costs / np.where(gap > 0, gap, 1.0), 0.0)
    return np.where(gap <= 0, np.inf, cutoff)


#: Largest tilt of a belief (its log likelihood ratio between the most and the least resolute types)
#: kept: beyond it the belief sits, to float precision, at an end of its interval.
MAX_TILT = 30.0


def _tilted_share(u: np.ndarray, lo: np.ndarray, hi: np.ndarray, tilt: np.ndarray) -> np.ndarray:
    """Share of a belief on ranks ``[lo, u]`` whose density over prior ranks (the prior's distribution
    function, 0-1) is proportional to ``exp(tilt * rank)`` on ``[lo, hi]``; tilt 0 is the prior cut to it."""
    width = hi - lo
    flat = np.abs(tilt * width) < 1e-9
    t = np.where(flat, 1.0, tilt)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        # expm1 keeps small tilts exact; a positive tilt is measured from the interval's top (the mass
        # above u), so that no exponent is large.
        above = np.expm1(-t * (hi - u)) / np.expm1(-t * width)
        below = np.expm1(t * (u - lo)) / np.expm1(t * width)
        share = np.where(t > 0, 1.0 - above, below)
    return np.where(flat, (u - lo) / np.where(width > 0, width, 1.0), share)


def _tilted_rank(q: np.ndarray, lo: np.ndarray, hi: np.ndarray, tilt: np.ndarray) -> np.ndarray:
    """The rank below which the share ``q`` of that belief lies (the inverse of :func:`_tilted_share`)."""
    width = hi - lo
    flat = np.abs(tilt * width) < 1e-9
    t = np.where(flat, 1.0, tilt)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        rank = np.where(t > 0, hi + np.log1p((1 - q) * np.expm1(-t * width)) / t,
                        lo + np.log1p(q * np.expm1(t * width)) / t)
    return np.clip(np.where(flat, lo + q * width, rank), lo, hi)


#: The lowest resolve the format allows (``party.resolve``): a widened prior's lower end stops there.
RESOLVE_FLOOR = 0.05


def widened(x: np.ndarray, centre: float, width: np.ndarray) -> np.ndarray:
    """Resolve ``x`` in units of a prior widened ``width`` times about its median ``centre``: the point of
    the common prior's grid with the same rank (``centre + (x - centre) / width``). A width of 1 gives
    ``x`` exactly. ``width`` is per run, ``x`` ``(runs, ...)``."""
    if np.all(width == 1.0):  # the common prior (the default): nothing to compute
        return x
    w = _per_run(width, x)
    return np.where(w == 1.0, x, centre + (x - centre) / w)


def unwidened(u: np.ndarray, centre: float, width: np.ndarray) -> np.ndarray:
    """The inverse of :func:`widened`: a point of the common prior's grid as a resolve of the widened prior."""
    if np.all(width == 1.0):
        return u
    w = _per_run(width, u)
    return np.where(w == 1.0, u, centre + (u - centre) * w)


def _per_run(width: np.ndarray, values: np.ndarray) -> np.ndarray:
    """A per-run width shaped to broadcast against ``values`` ``(runs, ...)``."""
    return np.reshape(width, np.shape(width) + (1,) * (np.ndim(values) - np.ndim(width)))


@cache
def _levels(size: int) -> np.ndarray:
    """The prior ranks ``k / (size - 1)`` of a grid of ``size`` quantiles (read-only: shared by every call)."""
    levels = np.linspace(0.0, 1.0, size)
    levels.flags.writeable = False
    return levels


def interval_share(prior_grid: np.ndarray, low: np.ndarray, high: np.ndarray, cutoff: np.ndarray,
                   tilt: np.ndarray | None = None) -> np.ndarray:
    """Belief mass of the types up to ``cutoff`` when the belief is the prior restricted to ``[low, high]``,
    tilted by what the mediators read into news (``tilt``, per run; None or 0: no news).

    Deterministic answers to threshold offers are Bayes' rule with likelihood 0 or 1: every answer
    cuts the interval of types still possible, and the belief is the prior on what is left. The
    prior is held as its quantiles at ``k / (n - 1)`` (``prior_grid``, increasing, the same in every
    run), its distribution function linear between them: the grid's size is the only numerical
    setting. News whose likelihood is log-linear in a type's prior rank (:func:`tilt_by_news`)
    multiplies the density by ``exp(tilt * rank)``, which keeps the belief exact in closed form.
    ``low`` and ``high`` are ``(runs,)``, ``cutoff`` ``(runs, candidates)``. An interval of one point
    (a known type) gives 1 or 0.
    """
    levels = _levels(len(prior_grid))

    def cdf(x: np.ndarray) -> np.ndarray:
        return np.interp(x, prior_grid, levels) if prior_grid[-1] > prior_grid[0] else (x >= prior_grid[0]) * 1.0

    lo, hi = cdf(low)[:, None], cdf(high)[:, None]
    mass = hi - lo
    u = cdf(np.clip(cutoff, low[:, None], high[:, None]))
    if tilt is None or not np.any(tilt):
        inside = (u - lo) / np.where(mass > 1e-12, mass, 1.0)
    else:
        inside = _tilted_share(u, lo, hi, tilt[:, None])
    point = (cutoff >= low[:, None] - 1e-12).astype(float)
    return np.where(mass > 1e-12, inside, point)


def interval_quantile(prior_grid: np.ndarray, low: np.ndarray, high: np.ndarray, q: float | np.ndarray,
                      tilt: np.ndarray | None = None) -> np.ndarray:
    """The ``q`` quantile of the prior restricted to ``[low, high]`` and tilted by ``tilt`` (the belief
    :func:`interval_share` reads), per run: the inverse of the same distribution function."""
    levels = _levels(len(prior_grid))
    if prior_grid[-1] <= prior_grid[0]:
        return np.broadcast_to(np.asarray(low, dtype=float), np.broadcast(low, q).shape).copy()
    lo, hi = np.interp(low, prior_grid, levels), np.interp(high, prior_grid, levels)
    if tilt is None or not np.any(tilt):
        rank = lo + np.asarray(q) * (hi - lo)
    else:
        t = np.reshape(tilt, np.shape(tilt) + (1,) * (np.ndim(lo) - np.ndim(tilt)))
        rank = _tilted_rank(np.asarray(q, dtype=float), lo, hi, t)
    return np.clip(np.interp(rank, levels, prior_grid), low, high)


def tilt_by_news(tilt: np.ndarray, news: np.ndarray, likelihood_ratio: np.ndarray) -> np.ndarray:
    """The belief's tilt after ``news`` pieces of evidence (per run; positive: for a more resolute type).

    Each piece is ``likelihood_ratio`` times as likely from the most resolute type the prior allows
    as from the least, log-linear in the prior rank between them; evidence the other way divides.
    So ``n`` pieces add ``n * log(likelihood_ratio)``; the sum is kept within :data:`MAX_TILT`.
    """
    return np.clip(tilt + news * np.log(likelihood_ratio), -MAX_TILT, MAX_TILT)

"""Survival analysis of a results table: how long the first deal lasts, and how long talks take to reach one.

Two clocks, both counted in rounds:

* **Deal survival.** From the first deal to its relapse, over the aftermath window. A deal that held
  through the window is censored at the window's length. Columns: ``deal_held`` (1 held, 0 relapsed,
  NaN without a deal) and ``deal_duration_rounds``.
* **Time to deal.** From the start of the talks to the first deal (``deal_round``). Talks that ended
  without a deal (no_deal, collapse, military_end) are censored at ``talks_end_round``.

The Kaplan–Meier estimates come from :func:`scipy.stats.ecdf` on :class:`scipy.stats.CensoredData`,
with 95% pointwise intervals by the log-log ("exponential Greenwood") method; group comparisons use
:func:`scipy.stats.logrank`. Everything here is a pure function of the table: no simulation, no files.

Examples:
    >>> curves = deal_survival(table, by=guarantee_strength(table))  # doctest: +SKIP
    >>> curves["strong (≥ 0.62, median of deals)"].at(26)  # doctest: +SKIP
    >>> ttd = time_to_deal(table)  # doctest: +SKIP
    >>> ttd.tests  # doctest: +SKIP
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from scipy import stats

__all__ = ["FORCE_GROUPS", "SURVIVAL_COLUMNS", "TIME_TO_DEAL_COLUMNS", "Z95", "HazardRatio", "KaplanMeier",
           "TimeToDeal", "deal_runs", "deal_survival", "force_group", "groups_of", "guarantee_strength",
           "hazard_ratio", "kaplan_meier", "time_to_deal"]

#: Columns deal survival needs (tables written before the aftermath window lack the duration).
SURVIVAL_COLUMNS = ("deal_held", "deal_duration_rounds")
#: Columns the censored time to deal needs.
TIME_TO_DEAL_COLUMNS = ("deal_round", "talks_end_round")

#: The normal quantile of a two-sided 95% interval (1.959964; scipy's bands use the exact value too).
Z95 = NormalDist().inv_cdf(0.975)

#: Group labels of :func:`force_group`, in the order they are compared (the first is the baseline).
FORCE_GROUPS = ("no force", "force, consented", "force beyond consent")


@dataclass(frozen=True)
class KaplanMeier:
    """A Kaplan–Meier survival curve with its 95% pointwise interval.

    The arrays share one index: the distinct observed times (events or censorings), ascending.
    ``survival[i]`` is S(t) just after ``times[i]`` (the curve is right-continuous: S = 1 before the
    first time). Where S is 1 (no event yet) or 0 (no one left), the Greenwood variance is zero and the
    interval collapses onto the estimate.
    """

    times: np.ndarray
    survival: np.ndarray
    low: np.ndarray
    high: np.ndarray
    at_risk: np.ndarray
    """Units still at risk just before each time (not yet failed or censored)."""
    events_at: np.ndarray
    """Events at each time."""
    n: int
    """Units in the sample."""
    events: int
    """Events in the sample (the rest are censored)."""

    def at(self, t: ArrayLike) -> np.ndarray | float:
        """S(t): the estimate at time(s) ``t`` (1 before the first observed time)."""
        # A leading 1 for the times before the first one: index 0 of the padded curve.
        padded = np.concatenate([[1.0], self.survival])
        value = padded[np.searchsorted(self.times, np.asarray(t, dtype=float), side="right")]
        return float(value) if value.ndim == 0 else value

    def steps(self, end: float | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """``(x, survival, low, high)`` for a post-step plot: from (0, 1) through every time, held to ``end``."""
        last = self.times[-1] if len(self.times) else 0.0
        end = float(last if end is None else max(end, last))
        x = np.concatenate([[0.0], self.times, [end]])
        s = np.concatenate([[1.0], self.survival, self.survival[-1:] if len(self.times) else [1.0]])
        lo = np.concatenate([[1.0], self.low, self.low[-1:] if len(self.times) else [1.0]])
        hi = np.concatenate([[1.0], self.high, self.high[-1:] if len(self.times) else [1.0]])
        return x, s, lo, hi


def kaplan_meier(durations: ArrayLike, observed: ArrayLike) -> KaplanMeier:
    """Kaplan–Meier estimate of S(t) from durations and event flags, with a 95% log-log interval.

    Args:
        durations: Time of each unit's event or censoring (NaN units are dropped).
        observed: True where the unit's event happened at its duration, False where it was censored.

    Returns:
        The curve; with no units, empty arrays and ``n = 0``.

    Examples:
        >>> km = kaplan_meier([1, 2, 2, 3, 4], [True, True, False, True, False])
        >>> [round(float(s), 4) for s in km.survival]
        [0.8, 0.6, 0.3, 0.3]
    """
    t = np.asarray(durations, dtype=float)
    e = np.asarray(observed, dtype=bool)
    keep = ~np.isnan(t)
    t, e = t[keep], e[keep]
    if len(t) == 0:
        empty = np.array([], dtype=float)
        return KaplanMeier(empty, empty, empty, empty, empty.astype(int), empty.astype(int), 0, 0)
    fit = stats.ecdf(stats.CensoredData(uncensored=t[e], right=t[~e])).sf
    with warnings.catch_warnings():
        # Undefined where S is 0 or 1 (the log-log transform's log(0)); filled just below, on purpose.
        warnings.simplefilter("ignore", RuntimeWarning)
        band = fit.confidence_interval(confidence_level=0.95, method="log-log")
    times, s = np.asarray(fit.quantiles, dtype=float), np.asarray(fit.probabilities, dtype=float)
    low, high = np.asarray(band.low.probabilities, dtype=float), np.asarray(band.high.probabilities, dtype=float)
    certain = (s >= 1.0) | (s <= 0.0)
    low, high = np.where(certain, s, low), np.where(certain, s, high)
    # Counted from the data rather than read from scipy's private attributes.
    at_risk = np.array([(t >= x).sum() for x in times], dtype=int)
    events_at = np.array([(e & (t == x)).sum() for x in times], dtype=int)
    return KaplanMeier(times, s, low, high, at_risk, events_at, len(t), int(e.sum()))


def groups_of(results: pd.DataFrame, by: str | pd.Series | None) -> list[tuple[str, pd.DataFrame]]:
    """The table split by ``by``: a column name, labels aligned with the table's index, or None (one group).

    Groups come in the order of a categorical's categories (empty ones left out), else in order of
    first appearance; rows with a missing label are left out.
    """
    if by is None or (isinstance(by, str) and by not in results):
        return [("all", results)]
    labels = results[by] if isinstance(by, str) else by.reindex(results.index)
    if isinstance(labels.dtype, pd.CategoricalDtype):
        order = [c for c in labels.cat.categories if (labels == c).any()]
    else:
        order = list(pd.unique(labels.dropna()))
    return [(str(name), results[labels == name]) for name in order]


def deal_runs(results: pd.DataFrame) -> pd.DataFrame:
    """The runs with a first deal whose fate over the aftermath window is known (``deal_held`` not NaN)."""
    return results[results["deal_held"].notna() & results["deal_duration_rounds"].notna()]


def deal_survival(results: pd.DataFrame, *, by: str | pd.Series | None = "scenario") -> dict[str, KaplanMeier]:
    """Survival of the first deal over its aftermath window, per group.

    The event is the deal's relapse (``deal_held == 0``) after ``deal_duration_rounds`` rounds; a deal
    that held is censored at its duration (the window's length). Runs without a deal are left out.

    Args:
        results: The results table (with :data:`SURVIVAL_COLUMNS`).
        by: Column name, labels aligned with the table (e.g. :func:`guarantee_strength`), or None.

    Returns:
        Group label -> curve, in group order (see :func:`groups_of`).
    """
    deals = deal_runs(results)
    return {name: kaplan_meier(g["deal_duration_rounds"], g["deal_held"] == 0) for name, g in groups_of(deals, by)}


def guarantee_strength(results: pd.DataFrame, cut: float | None = None) -> pd.Series:
    """Label each deal run "strong" or "weak" by its ``guarantees_effective``.

    Args:
        results: The results table.
        cut: Strong is ``guarantees_effective >= cut``. Default: the median over the deal runs.

    Returns:
        Categorical labels aligned with the table, e.g. ``strong (≥ 0.62, median of deals)`` and
        ``weak (< 0.62, median of deals)`` ("given" instead of "median of deals" for a given cut), weak
        first; NaN for runs without a deal or without a value.
    """
    has_deal = results["deal_round"].notna() if "deal_round" in results else results["deal_held"].notna()
    values = results["guarantees_effective"].where(has_deal).astype(float)
    how = "given" if cut is not None else "median of deals"
    cut = float(cut) if cut is not None else float(values.median())
    strong, weak = f"strong (≥ {cut:.2f}, {how})", f"weak (< {cut:.2f}, {how})"
    labels = pd.Series(np.where(values >= cut, strong, weak), index=results.index).where(values.notna())
    return labels.astype(pd.CategoricalDtype([weak, strong]))


def force_group(results: pd.DataFrame) -> pd.Series:
    """Label each run by its force: ``no force``, ``force, consented`` or ``force beyond consent``.

    Deployed and ``force_consented == 1`` is consented; deployed and 0 is beyond consent (some contingent
    outside the consented force type). A deployed run without a consent value (which the record does not
    write) gets NaN rather than a guess.

    Returns:
        Categorical labels aligned with the table, in :data:`FORCE_GROUPS` order (no force first).
    """
    deployed = results["force_deployed"].astype(bool)
    consented = results["force_consented"].astype(float)
    labels = np.select([~deployed, deployed & (consented == 1), deployed & (consented == 0)],
                       list(FORCE_GROUPS), default="")
    return pd.Series(labels, index=results.index).replace("", np.nan).astype(pd.CategoricalDtype(FORCE_GROUPS))


@dataclass(frozen=True)
class TimeToDeal:
    """Kaplan–Meier curves of the time to the first deal, and log-rank tests against the first group."""

    curves: dict[str, KaplanMeier]
    """Group -> S(t), the chance of no deal by round t; 1 − S is the cumulative probability of a deal."""
    tests: pd.DataFrame
    """One row per group after the first: ``group``, ``baseline``, ``statistic``, ``p_value`` (NaN
    without any deal in either group)."""


def _talks_clock(g: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Durations and event flags of time to deal: the deal round, or censored at ``talks_end_round``."""
    deal = g["deal_round"].to_numpy(dtype=float)
    observed = ~np.isnan(deal)
    return np.where(observed, deal, g["talks_end_round"].to_numpy(dtype=float)), observed


def _logrank(a: tuple[np.ndarray, np.ndarray], b: tuple[np.ndarray, np.ndarray]) -> tuple[float, float]:
    """Log-rank statistic and two-sided p of two (durations, observed) samples; NaN without any event."""
    (ta, ea), (tb, eb) = a, b
    if not (ea.any() or eb.any()) or len(ta) == 0 or len(tb) == 0:
        return math.nan, math.nan
    result = stats.logrank(stats.CensoredData(uncensored=ta[ea], right=ta[~ea]),
                           stats.CensoredData(uncensored=tb[eb], right=tb[~eb]))
    return float(result.statistic), float(result.pvalue)


def time_to_deal(results: pd.DataFrame, *, by: str | pd.Series | None = "scenario") -> TimeToDeal:
    """Kaplan–Meier estimate of the time to the first deal, per group, with log-rank tests.

    Runs without a deal are censored at ``talks_end_round`` (the round their talks collapsed or the war
    ended militarily, or the horizon for no_deal). Treating collapse and a military end as censoring
    answers "how soon would these talks reach a deal if they kept going": 1 − S is then above the plain
    share of all runs with a deal by that round (:func:`sim.plots.time_to_deal`) whenever talks end
    early, since those runs can never deal. Read it as the deal rate of talks still under way.

    Args:
        results: The results table (with :data:`TIME_TO_DEAL_COLUMNS`).
        by: Column name, labels aligned with the table, or None. The first group is the baseline:
            with two groups one test, with more each group against the first.

    Returns:
        The curves and the tests.
    """
    groups = groups_of(results, by)
    clocks = {name: _talks_clock(g) for name, g in groups}
    curves = {name: kaplan_meier(*clock) for name, clock in clocks.items()}
    names = list(clocks)
    rows = [{"group": name, "baseline": names[0], **dict(zip(("statistic", "p_value"),
                                                             _logrank(clocks[names[0]], clocks[name]), strict=True))}
            for name in names[1:]]
    return TimeToDeal(curves, pd.DataFrame(rows, columns=["group", "baseline", "statistic", "p_value"]))


@dataclass(frozen=True)
class HazardRatio:
    """Relapse hazard ratio of group a to group b, with its 95% interval (NaN where undefined)."""

    ratio: float
    low: float
    high: float
    events_a: int
    events_b: int
    exposure_a: float
    """Rounds at risk summed over group a's deals."""
    exposure_b: float


def hazard_ratio(results: pd.DataFrame, group_a_mask: ArrayLike, group_b_mask: ArrayLike) -> HazardRatio:
    """Relapse hazard ratio of two groups of deals over the aftermath window, a over b.

    Each group's rate is its relapses per round at risk (events / the sum of ``deal_duration_rounds``),
    the maximum-likelihood rate of a constant hazard with censoring at the window's end. The ratio's 95%
    interval is taken on the log scale: ``log(ratio) ± 1.96·sqrt(1/e_a + 1/e_b)`` (:data:`Z95`).

    This assumes a constant hazard within each group, which is how the model draws relapse (a constant
    yearly hazard per deal, turned into a per-round chance). A group mixing deals of very different
    hazards strains that assumption (its rate is then an exposure-weighted average), as do aftermath
    shocks that raise a deal's hazard or break it outright part-way through its window. With per-round chances
    ``p = 1 − exp(−h·Δ)`` the ratio estimates ``p_a / p_b``, which is ``h_a / h_b`` to within the size of p.
    The ratio does not depend on the length of a round.

    Args:
        results: The results table (with :data:`SURVIVAL_COLUMNS`).
        group_a_mask, group_b_mask: Boolean masks aligned with the table; runs without a deal are
            left out of either group.

    Returns:
        The ratio and its interval. With no relapse in a group, the ratio is 0 or inf (NaN if neither
        group has any) and the interval is NaN: zero events give no usable log-scale interval.
    """
    deals = results["deal_held"].notna() & results["deal_duration_rounds"].notna()

    def tally(mask: ArrayLike) -> tuple[int, float]:
        g = results[np.asarray(mask, dtype=bool) & deals.to_numpy()]
        return int((g["deal_held"] == 0).sum()), float(g["deal_duration_rounds"].sum())

    (e_a, x_a), (e_b, x_b) = tally(group_a_mask), tally(group_b_mask)
    if x_a <= 0 or x_b <= 0 or (e_a == 0 and e_b == 0):
        return HazardRatio(math.nan, math.nan, math.nan, e_a, e_b, x_a, x_b)
    if e_b == 0:
        return HazardRatio(math.inf, math.nan, math.nan, e_a, e_b, x_a, x_b)
    ratio = (e_a / x_a) / (e_b / x_b)
    if e_a == 0:
        return HazardRatio(0.0, math.nan, math.nan, e_a, e_b, x_a, x_b)
    half = Z95 * math.sqrt(1 / e_a + 1 / e_b)
    return HazardRatio(ratio, ratio * math.exp(-half), ratio * math.exp(half), e_a, e_b, x_a, x_b)

"""Survival figures: how long the first deal holds, and the censored time to a deal (Kaplan–Meier).

Both take the results table and draw the curves of :mod:`sim.survival`: step lines with shaded 95%
pointwise bands, one per group, in the groups' fixed colours. Tables written before the aftermath
window lack the columns these need; the figures then raise a ValueError naming them, and
:func:`sim.plots.save_all` leaves the figures out (:func:`has_deal_survival`, :func:`has_time_to_deal`).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..survival import (
    SURVIVAL_COLUMNS,
    TIME_TO_DEAL_COLUMNS,
    KaplanMeier,
    deal_runs,
    deal_survival,
    groups_of,
    time_to_deal,
)
from .style import _legend_outside, _new_axes, _percent_axis, scenario_colors

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["deal_survival_figure", "has_deal_survival", "has_time_to_deal", "time_to_deal_km"]

_WEEKS_PER_YEAR = 52.0


def has_deal_survival(results: pd.DataFrame) -> bool:
    """Whether the table can show deal survival: its columns are there and some run has a deal."""
    return all(c in results for c in SURVIVAL_COLUMNS) and len(deal_runs(results)) > 0


def has_time_to_deal(results: pd.DataFrame) -> bool:
    """Whether the table records when the first talks ended (so that runs without a deal can be censored)."""
    return all(c in results for c in TIME_TO_DEAL_COLUMNS)


def _require(results: pd.DataFrame, columns: tuple[str, ...], what: str) -> None:
    if missing := [c for c in columns if c not in results]:
        raise ValueError(f"{what} needs the columns {', '.join(missing)}, which this table lacks "
                         "(written before the aftermath window?)")


def _clock(round_weeks: float | None, since: str) -> tuple[float, str]:
    """Scale from rounds to the x axis, and its label: years with ``round_weeks``, else rounds."""
    if round_weeks:
        return float(round_weeks) / _WEEKS_PER_YEAR, f"years {since}"
    return 1.0, f"rounds {since}"


def _p_text(p: float) -> str:
    if math.isnan(p):
        return "log-rank p n/a"
    return "log-rank p<0.001" if p < 0.001 else f"log-rank p={p:.3f}"


def _draw(ax: Axes, km: KaplanMeier, *, end: float, scale: float, color: str, label: str, linewidth: float,
          cumulative: bool) -> None:
    """One group: its step line and band, as S(t) or as 1 − S(t)."""
    x, s, lo, hi = km.steps(end=end)
    if cumulative:
        s, lo, hi = 1 - s, 1 - hi, 1 - lo
    ax.step(x * scale, s, where="post", color=color, linewidth=linewidth, label=label, clip_on=False, zorder=3)
    ax.fill_between(x * scale, lo, hi, step="post", color=color, alpha=0.15, linewidth=0)


def _linewidth(i: int, k: int) -> float:
    # Earlier curves are drawn wider, so that a later curve lying on top of one leaves it visible.
    return 1.6 + 1.0 * (k - 1 - i) / max(1, k - 1)


def deal_survival_figure(results: pd.DataFrame, *, by: str | pd.Series | None = "scenario",
                         round_weeks: float | None = None, ax: Axes | None = None) -> Axes:
    """Share of first deals still holding, by time since the deal, over the aftermath window.

    Kaplan–Meier step curves, one per group, with shaded 95% log-log bands; deals that held through
    the window are censored at its end. Runs without a deal are left out.

    Args:
        results: The results table (with ``deal_held`` and ``deal_duration_rounds``).
        by: Column naming the groups, labels aligned with the table (e.g.
            :func:`sim.survival.guarantee_strength`, :func:`sim.survival.force_group`), or None.
        round_weeks: Weeks per round: given, the x axis is in years; else in rounds.
        ax: Axes to draw on; a new figure if omitted.

    Returns:
        The Axes: one line and one band per group with a deal, each line labelled
        ``name: n=…, relapses=…``, in the colour the group has in every figure.

    Raises:
        ValueError: The table lacks the columns (a table written before the aftermath window).
    """
    _require(results, SURVIVAL_COLUMNS, "deal survival")
    curves = deal_survival(results, by=by)
    # Coloured by the whole table's groups, so that a scenario keeps its colour when one before it has no deal.
    colors = scenario_colors(name for name, _ in groups_of(results, by))
    if ax is None:
        ax = _new_axes((8, 4.2))
    scale, xlabel = _clock(round_weeks, "since the deal")
    deals = deal_runs(results)
    groups = dict(groups_of(deals, by))
    for i, (name, km) in enumerate(curves.items()):
        window = groups[name]["window_rounds"].max() if "window_rounds" in deals else math.nan
        end = float(window) if not math.isnan(window) else None
        _draw(ax, km, end=end, scale=scale, color=colors[name], linewidth=_linewidth(i, len(curves)),
              label=f"{name}: n={km.n:,}, relapses={km.events:,}", cumulative=False)
    if not curves or not len(deals):
        ax.text(0.5, 0.5, "no deal in any run", transform=ax.transAxes, ha="center", va="center", color="#555555")
    ax.set_xlim(left=0)
    ax.set_ylim(-0.015, 1.02)
    _percent_axis(ax)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("share of deals still holding\n(Kaplan–Meier, 95% band)")
    ax.set_title(f"Survival of the first deal over its aftermath window ({len(deals):,} deals of "
                 f"{len(results):,} runs)", fontsize=10)
    ax.grid(alpha=0.3)
    _legend_outside(ax, **_legend_size(len(curves)))
    return ax


def _legend_size(groups: int) -> dict[str, Any]:
    """A smaller legend font for many groups, so that the legend stays within the figure's height."""
    return {"fontsize": "x-small"} if groups > 5 else {}


def time_to_deal_km(results: pd.DataFrame, *, by: str | pd.Series | None = "scenario",
                    round_weeks: float | None = None, ax: Axes | None = None) -> Axes:
    """Cumulative probability of a first deal by round of talks, runs without one censored (Kaplan–Meier).

    1 − S(t) per group, with shaded 95% log-log bands. Talks that collapsed or ended in a military
    end are censored at the round they ended, so a curve is the deal rate of talks still under way
    (above the plain share of all runs with a deal by that round, :func:`time_to_deal`, when talks end
    early). The legend gives each group's log-rank p against the first group.

    Args:
        results: The results table (with ``deal_round`` and ``talks_end_round``).
        by: Column naming the groups, labels aligned with the table, or None.
        round_weeks: Weeks per round: given, the x axis is in years; else in rounds.
        ax: Axes to draw on; a new figure if omitted.

    Returns:
        The Axes: one line and one band per group.

    Raises:
        ValueError: The table lacks the columns (a table written before the aftermath window).
    """
    _require(results, TIME_TO_DEAL_COLUMNS, "the censored time to deal")
    fit = time_to_deal(results, by=by)
    colors = scenario_colors(fit.curves)
    if ax is None:
        ax = _new_axes((8, 4.2))
    scale, xlabel = _clock(round_weeks, "of talks")
    end = float(np.nanmax(results["talks_end_round"].to_numpy(dtype=float))) if len(results) else 0.0
    p_values = dict(zip(fit.tests["group"], fit.tests["p_value"], strict=True))
    names = list(fit.curves)
    for i, (name, km) in enumerate(fit.curves.items()):
        test = "reference" if i == 0 else _p_text(p_values[name])
        _draw(ax, km, end=end, scale=scale, color=colors[name], linewidth=_linewidth(i, len(names)),
              label=f"{name}: n={km.n:,}, deals={km.events:,}; {test}", cumulative=True)
    ax.set_xlim(left=0)
    top = max(0.05, ax.get_ylim()[1])
    # A little room below zero, so that a curve that stays at 0 is not hidden by the axis line.
    ax.set_ylim(-0.015 * top, min(1.02, top))
    _percent_axis(ax)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("cumulative probability of a deal,\nno-deal runs censored (95% band)")
    if len(names) > 1:
        ax.text(1.01, -0.12, f"log-rank p: against {names[0]}", transform=ax.transAxes, fontsize=8, color="#555555",
                va="top")
    ax.set_title(f"Time to the first deal, Kaplan–Meier ({len(results):,} runs; collapse, military end and "
                 "the horizon censored)", fontsize=10)
    ax.grid(alpha=0.3)
    _legend_outside(ax, **_legend_size(len(names)))
    return ax

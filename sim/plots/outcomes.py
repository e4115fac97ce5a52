"""Outcome figures: the share of each outcome, and the cumulative probability of a deal by round."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..summary import shown_outcomes, summarize, wilson_interval
from .style import (
    _PERCENT_SIGN,
    OUTCOME_COLORS,
    _legend_outside,
    _names,
    _new_axes,
    _percent_axis,
    _title,
    scenario_colors,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes


def outcome_shares(results: pd.DataFrame, *, by: str = "scenario", ax: Axes | None = None,
                   annotate: bool | None = None) -> Axes:
    """Share of runs ending in a deal, no deal or collapse, per scenario, with 95% Wilson intervals
    (and ``military_end`` once some run ends in it: :func:`sim.summary.shown_outcomes`).

    Grouped bars: one group per outcome, one bar per scenario (in its scenario colour).

    Args:
        results: The results table.
        by: Column naming the groups compared (``scenario``; or e.g. a swept parameter).
        ax: Axes to draw on; a new figure if omitted.
        annotate: Write each share above its bar (default: when at most four groups).

    Returns:
        The Axes; ``ax.containers`` holds one bar container per group, labelled with its name, with
        bars in the order deal, no_deal, collapse.
    """
    summary = summarize(results, by=by)
    order = shown_outcomes(summary)
    names = [str(n) for n in summary[by]] if by in summary else ["all"]
    colors = scenario_colors(names)
    if ax is None:
        ax = _new_axes((max(6.5, 1.2 + 1.1 * len(names) * 0.9 + 4), 4.2))
    k = len(names)
    width = 0.8 / k
    x = np.arange(len(order))
    annotate = k <= 4 if annotate is None else annotate
    for i, (name, (_, row)) in enumerate(zip(names, summary.iterrows(), strict=True)):
        p = np.array([row[f"p_{o}"] for o in order], dtype=float)
        lo = np.array([row[f"p_{o}_lo"] for o in order], dtype=float)
        hi = np.array([row[f"p_{o}_hi"] for o in order], dtype=float)
        pos = x - 0.4 + width * (i + 0.5)
        ax.bar(pos, p, width=width * 0.92, color=colors[name], label=name,
               yerr=np.vstack([p - lo, hi - p]), capsize=3, error_kw={"elinewidth": 1, "ecolor": "#333333"})
        if annotate:
            for xp, pv, hv in zip(pos, p, hi, strict=True):
                ax.annotate(f"{100 * pv:.0f}{_PERCENT_SIGN}", (xp, hv), xytext=(0, 2), textcoords="offset points",
                            ha="center", va="bottom", fontsize=8)
    ax.set_xticks(x)
    ax.set_xticklabels(order)
    for tick, outcome in zip(ax.get_xticklabels(), order, strict=True):
        tick.set_color(OUTCOME_COLORS[outcome])
        tick.set_fontweight("bold")
    ax.set_ylim(0, min(1.08, max(0.1, float(summary[[f"p_{o}_hi" for o in order]].to_numpy().max()) * 1.12)))
    _percent_axis(ax)
    ax.set_ylabel("share of runs (95% interval)")
    ax.set_title(_title("Outcome shares", results, by=by), fontsize=10)
    ax.grid(axis="y", alpha=0.3)
    ax.set_axisbelow(True)
    _legend_outside(ax)
    return ax


def _horizon(results: pd.DataFrame, horizon: int | None) -> int:
    rounds = results["deal_round"].dropna()
    last = int(rounds.max()) + 1 if len(rounds) else 1
    return max(int(horizon) if horizon else last, last)


def time_to_deal(results: pd.DataFrame, *, horizon: int | None = None, by: str = "scenario",
                      ax: Axes | None = None, band: bool | None = None) -> Axes:
    """Cumulative probability of a deal by round: one step line per scenario.

    The y value at round *r* is the share of **all** runs with a deal in round *r* or earlier,
    so the last value is the scenario's deal share.

    Args:
        results: The results table.
        horizon: Rounds in the scenario (x runs 0..horizon-1); inferred from the latest deal if omitted.
        by: Column naming the groups compared.
        ax: Axes to draw on; a new figure if omitted.
        band: Shade the 95% Wilson interval around each curve (default: with at most three groups).

    Returns:
        The Axes; its lines are the curves, labelled with the group names.
    """
    h = _horizon(results, horizon)
    rounds = np.arange(h)
    names = _names(results, by)
    colors = scenario_colors(names)
    if ax is None:
        ax = _new_axes((8, 4.2))
    band = len(names) <= 3 if band is None else band
    groups = results.groupby(by, sort=False) if by in results else [("all", results)]
    for i, (name, g) in enumerate(groups):
        name = str(name)
        n = len(g)
        # Earlier curves are drawn wider, so that a later curve lying on top of one leaves it visible.
        linewidth = 1.6 + 1.0 * (len(names) - 1 - i) / max(1, len(names) - 1)
        cf = g["deal_round"].to_numpy(dtype=float)
        cf = cf[~np.isnan(cf)]
        counts = np.array([(cf <= r).sum() for r in rounds], dtype=float)
        y = counts / n if n else np.full(h, np.nan)
        ax.step(rounds, y, where="post", color=colors[name], linewidth=linewidth, clip_on=False, zorder=3,
                label=f"{name}: {100 * y[-1]:.1f}{_PERCENT_SIGN}")
        if band and n:
            lo, hi = wilson_interval(counts, n)
            ax.fill_between(rounds, lo, hi, step="post", color=colors[name], alpha=0.15, linewidth=0)
    ax.set_xlim(0, h - 1)
    # A little room below zero, so that a curve that stays at 0 is not hidden by the axis line.
    top = max(0.05, ax.get_ylim()[1])
    ax.set_ylim(-0.015 * top, top)
    _percent_axis(ax)
    ax.set_xlabel("round")
    ax.set_ylabel("share of all runs with a deal\nby this round" + (" (95% band)" if band else ""))
    ax.set_title(_title("Cumulative probability of a deal", results, by=by), fontsize=10)
    ax.grid(alpha=0.3)
    _legend_outside(ax, title=f"deal by round {h - 1}")
    return ax


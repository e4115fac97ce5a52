"""Figures of the backtest scorecard: calibration of P(deal), and the observed time against the simulated."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .style import _new_axes, _percent_axis

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["calibration_figure", "timing_figure"]


def calibration_figure(cases: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Each case's simulated P(deal) (95% interval) against what happened (0: no deal, 1: a deal).

    A calibrated model's cases with a deal sit to the right of 50% and those without to the left;
    with a handful of cases this shows each case, not a calibration curve.
    """
    if ax is None:
        ax = _new_axes((7, 3.8))
    order = cases.sort_values(["observed_deal", "p_deal"]).reset_index(drop=True)
    y = np.arange(len(order))
    colors = np.where(order["observed_deal"], "#0072B2", "#D55E00")
    ax.errorbar(order["p_deal"], y, xerr=[order["p_deal"] - order["p_deal_low"], order["p_deal_high"] - order["p_deal"]],
                fmt="none", ecolor="#888888", elinewidth=1, capsize=3, zorder=2)
    ax.scatter(order["p_deal"], y, c=colors, s=40, zorder=3)
    ax.axvline(0.5, color="#555555", linewidth=0.8, linestyle="--")
    labels = [f"{c} ({'deal' if d else 'no deal'})" for c, d in zip(order["case"], order["observed_deal"], strict=True)]
    return _case_axes(ax, labels, 1.02, "simulated P(deal within the horizon), 95% interval",
                      "Backtests: what the model gave each case, and what happened\n"
                      "(blue: a deal came; orange: none; the dashed line is the deal pattern's 50%)")


def _case_axes(ax: Axes, labels: list[str], right: float, xlabel: str, title: str) -> Axes:
    """One row per case, a 0-100 % axis, its words."""
    ax.set_yticks(np.arange(len(labels)), labels)
    ax.set_xlim(-0.02, right)
    _percent_axis(ax, axis="x")
    ax.set_xlabel(xlabel)
    ax.set_title(title, fontsize=10)
    ax.grid(alpha=0.3, axis="x")
    return ax


def timing_figure(cases: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Each case's simulated 5th-95th percentile of the round of the deal, and the observed round.

    A range that reaches past the horizon (runs without a deal) is drawn to the horizon with an
    arrow; an observed no deal is marked at the horizon (censored there).
    """
    if ax is None:
        ax = _new_axes((7, 3.8))
    for i, r in enumerate(cases.itertuples()):
        share_h = r.horizon
        lo = min(r.time_p05, share_h) / share_h
        hi = min(r.time_p95, share_h) / share_h
        ax.plot([lo, hi], [i, i], color="#0072B2", linewidth=5, alpha=0.5, solid_capstyle="butt")
        if np.isfinite(r.time_median):
            ax.plot([r.time_median / share_h] * 2, [i - 0.18, i + 0.18], color="#0072B2", linewidth=2)
        if not np.isfinite(r.time_p95):
            ax.annotate("", xy=(1.04, i), xytext=(1.0, i), arrowprops={"arrowstyle": "->", "color": "#0072B2"})
        marker = "o" if r.observed_deal else ">"
        color = "#009E73" if r.time_pass else "#D55E00"
        ax.scatter([min(r.observed_round / share_h, 1.0)], [i], marker=marker, s=60, color=color, zorder=3)
    return _case_axes(ax, list(cases["case"]), 1.08, "share of the three-year horizon",
                      "Backtests: the observed time (dot; > no deal, at the horizon) against the simulated\n"
                      "5th-95th percentile of the time to a deal (bar, median tick; arrow: past the horizon). "
                      "Green: inside")

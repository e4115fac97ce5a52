"""Sweep figure: the probability of an outcome against a varied parameter."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..summary import OUTCOME_ORDER, summarize
from .style import OUTCOME_COLORS, PALETTE, _legend_outside, _new_axes, _percent_axis, _title, _wrap, _wrap_path

if TYPE_CHECKING:
    from matplotlib.axes import Axes


def sweep_response(results: pd.DataFrame, x: str, *, by: str | None = None,
                   outcome: str | Sequence[str] = "deal", ax: Axes | None = None, connect: bool = True) -> Axes:
    """Probability of an outcome against one varied parameter, with 95% Wilson intervals.

    Args:
        results: A sweep's results table (the varied parameters are columns named by key path).
        x: The varied parameter on the x axis.
        by: A second varied parameter: one line per value of it.
        outcome: Outcome(s) plotted (``deal``, ``no_deal``, ``collapse``, ``military_end``, or
            ``force_deployed``).
            Several outcomes need ``by=None``; each is drawn in its outcome colour.
        ax: Axes to draw on; a new figure if omitted.
        connect: Join the points with lines. Pass False when the points also differ in parameters
            other than ``x`` and ``by`` (a Latin hypercube), where a line would suggest a trend in ``x``.

    Returns:
        The Axes; one line per outcome (or per value of ``by``), its points at the sorted x values
        (with ``by``, each line is shifted sideways by up to 1% of the x range so that intervals at
        the same x do not hide each other).
    """
    outcomes = _sweep_outcomes(results, x, by, outcome)
    keys = [x] + ([by] if by else [])
    summary = summarize(results, by=keys)
    numeric = pd.api.types.is_numeric_dtype(results[x]) and not pd.api.types.is_bool_dtype(results[x])
    if ax is None:
        ax = _new_axes((8, 4.4))
    categories = list(pd.unique(results[x])) if not numeric else []
    series = _sweep_series(summary, by, outcomes)
    _draw_series(ax, results, x, series, numeric=numeric, categories=categories, split=bool(by), connect=connect)
    if not numeric:
        ax.set_xticks(range(len(categories)))
        ax.set_xticklabels([_wrap(str(c), 12) for c in categories])
    top = max(0.05, ax.get_ylim()[1])
    ax.set_ylim(-0.015 * top, top)  # room below zero, so that points at 0 are not hidden by the axis
    _percent_axis(ax)
    ax.set_xlabel(x)
    what = " / ".join(f"P({o})" for o in outcomes)
    ax.set_ylabel(f"{what} (95% interval)" if len(outcomes) == 1 else "share of runs (95% interval)")
    points = len(summary)
    extra = f"{points} point{'s' if points != 1 else ''}" + ("" if connect else ", which differ in other parameters too")
    ax.set_title(_title(f"{what} against {x.rsplit('.', 1)[-1]}", results, extra=extra), fontsize=10)
    ax.grid(alpha=0.3)
    if by or len(outcomes) > 1:
        _legend_outside(ax, title=_wrap_path(by) if by else None)
    return ax


def _sweep_outcomes(results: pd.DataFrame, x: str, by: str | None, outcome: str | Sequence[str]) -> list[str]:
    """The outcomes to plot, once the arguments of :func:`sweep_response` are checked."""
    outcomes = [outcome] if isinstance(outcome, str) else list(outcome)
    for o in outcomes:
        if o not in (*OUTCOME_ORDER, "force_deployed"):
            raise ValueError(f"unknown outcome {o!r} (expected one of {', '.join(OUTCOME_ORDER)}, force_deployed)")
    for col in (x, by):
        if col is not None and col not in results:
            raise ValueError(f"no column {col!r} in the results table")
    if by is not None and len(outcomes) > 1:
        raise ValueError("sweep_response draws one outcome when lines are split by a second parameter")
    return outcomes


Series = tuple[object, pd.DataFrame, str, object, str]  # (key, summary rows, outcome, colour, label)


def _sweep_series(summary: pd.DataFrame, by: str | None, outcomes: list[str]) -> list[Series]:
    """One line per value of ``by`` (viridis colours), or else one per outcome (its outcome colour)."""
    if by:
        levels = sorted(pd.unique(summary[by]), key=lambda v: (not isinstance(v, int | float), v))
        import matplotlib as mpl

        cmap = mpl.colormaps["viridis"]
        line_colors = {lv: cmap(0.1 + 0.75 * i / max(1, len(levels) - 1)) for i, lv in enumerate(levels)}
        return [(lv, summary[summary[by] == lv], outcomes[0], line_colors[lv], f"{lv:g}" if isinstance(lv, float)
                 else str(lv)) for lv in levels]
    return [(o, summary, o, OUTCOME_COLORS.get(o, PALETTE[0]), o) for o in outcomes]


def _draw_series(ax: Axes, results: pd.DataFrame, x: str, series: list[Series], *, numeric: bool,
                 categories: list[object], split: bool, connect: bool) -> None:
    """The points and intervals of each line; lines split by a parameter are shifted apart a little."""
    span = float(np.ptp(results[x].to_numpy(dtype=float))) if numeric and len(results) else 0.0
    span = span if span > 0 else 1.0
    for i, (_, part, o, color, label) in enumerate(series):
        part = part.sort_values(x) if numeric else part.set_index(x).reindex(categories).dropna(subset=["runs"]) \
            .reset_index()
        xs = part[x].to_numpy(dtype=float) if numeric else np.array([categories.index(c) for c in part[x]], dtype=float)
        if split and len(series) > 1:
            xs = xs + (i - (len(series) - 1) / 2) * 0.02 * (span if numeric else 1.0) / max(1, len(series) - 1)
        p = part[f"p_{o}"].to_numpy(dtype=float)
        lo, hi = part[f"p_{o}_lo"].to_numpy(dtype=float), part[f"p_{o}_hi"].to_numpy(dtype=float)
        ax.errorbar(xs, p, yerr=np.vstack([p - lo, hi - p]), color=color, marker="o", markersize=4, capsize=3,
                    linewidth=1.5 if connect else 0, elinewidth=1, label=label)


def sweep_panels(results: pd.DataFrame, params: Sequence[str], *, outcome: str = "deal",
                 names: dict[str, str] | None = None, max_cols: int = 3):
    """Small multiples of a sweep: one panel per outcome (a grid of one or two parameters) or per parameter.

    In a full grid of one or two varied parameters, each panel shows one outcome (every outcome shown in the summary,
    then ``force_deployed``) against the first parameter, one line per value of the second. With more
    (a Latin hypercube, a Sobol or Morris sample, or a larger grid), each panel shows ``outcome`` against one
    parameter, one point per value; the points are joined only in a grid, where each x pools the others.

    Args:
        results: A sweep's results table (the varied parameters are columns named by key path).
        params: The varied parameters (key paths), as the folder's manifest lists them.
        outcome: The outcome of the panels when there is one panel per parameter.
        names: Short names of the parameters for the axis labels (default: the last part of each path).
        max_cols: Panels per row (more when the panels outnumber ``max_cols`` squared).

    Returns:
        The Figure; its Axes in reading order (``fig.axes``; unused cells are removed).
    """
    import matplotlib.pyplot as plt

    from ..summary import shown_outcomes

    params = [p for p in params if p in results]
    if not params:
        raise ValueError("no varied parameter of the sweep is a column of the results table")
    names = {p: (names or {}).get(p, p.rsplit(".", 1)[-1].replace("_", " ")) for p in params}
    by_outcome = len(params) <= 2 and is_grid(results, params)
    by = params[1] if by_outcome and len(params) == 2 else None
    if by_outcome:
        panels = [(params[0], o) for o in (*shown_outcomes(summarize(results, by=params)), "force_deployed")]
    else:
        panels = [(p, outcome) for p in params]
    # Many panels (every declared distribution of a big scenario) go into a squarer grid, so the figure
    # stays readable on a screen instead of growing one row per three parameters.
    cols = min(len(panels), max(max_cols, math.ceil(math.sqrt(len(panels)))))
    rows = -(-len(panels) // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(3.9 * cols + (1.6 if by else 0), 3.0 * rows),
                             layout="constrained", squeeze=False, sharey=not by_outcome)
    flat = list(axes.ravel())
    joined = is_grid(results, params)
    for i, (ax, (x, o)) in enumerate(zip(flat, panels, strict=False)):
        sweep_response(results, x, by=by, outcome=o, ax=ax, connect=joined)
        ax.set_title(o.replace("_", " ") if by_outcome else "", fontsize=10)
        ax.set_xlabel(names[x], fontsize=9)
        ax.set_ylabel(f"P({o.replace('_', ' ')})" if by_outcome or i % cols == 0 else "", fontsize=9)
        if ax.get_legend() is not None:
            ax.get_legend().remove()
    for ax in flat[len(panels):]:
        ax.remove()
    _panel_legend(fig, flat[0], names[by] if by else None)
    points = len(results[params].drop_duplicates())
    what = "share of runs by outcome" if by_outcome else f"P({outcome.replace('_', ' ')})"
    kind = "" if joined else ", not a grid: they differ in other parameters too"
    fig.suptitle(_title(f"{what} across the sweep, with 95% intervals", results,
                        extra=f"{points} point{'s' if points != 1 else ''}{kind}", width=100), fontsize=11)
    return fig


def _panel_legend(fig, ax: Axes, title: str | None) -> None:
    """One legend for all panels (the lines of the second parameter), to the right of the figure."""
    if title is None:
        return
    handles, labels = ax.get_legend_handles_labels()
    if handles:
        fig.legend(handles, labels, title=_wrap(title, 20), loc="outside right upper", frameon=False)


def is_grid(results: pd.DataFrame, params: Sequence[str]) -> bool:
    """Whether the design points are a full grid: every combination of the parameters' values occurs."""
    combos = len(results[list(params)].drop_duplicates())
    return combos == int(np.prod([results[p].nunique() for p in params]))

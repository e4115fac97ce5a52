"""Terms figure: the distribution of each issue's agreed term among runs that reach a deal."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..record import terms_columns
from .style import _box, _issue_label, _lighten, _names, _scenario_ticks, _strip, _title, scenario_colors

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


def agreed_terms(results: pd.DataFrame, *, by: str = "scenario", axes: Sequence[Axes] | np.ndarray | None = None,
                 ncols: int | None = None) -> np.ndarray:
    """Distribution of each issue's agreed term among runs with a deal: one panel per issue.

    Args:
        results: The results table.
        by: Column naming the groups compared.
        axes: One Axes per ``terms_<issue>`` column; a new figure if omitted.
        ncols: Panels per row of a new figure (default: 3, 2 or 1 as the scenarios grow in number).

    Returns:
        The panels as an array of Axes, in the order of the ``terms_`` columns.
    """
    issues = terms_columns(results)
    names = _names(results, by)
    colors = scenario_colors(names)
    created = axes is None
    if axes is None:
        fig, panels, ncols = _terms_figure(len(issues), len(names), ncols)
    else:
        panels = np.asarray(axes, dtype=object).ravel()
        if len(panels) < len(issues):
            raise ValueError(f"agreed_terms needs {len(issues)} axes (one per issue), got {len(panels)}")
        fig = panels[0].figure
    groups = dict(iter(results.groupby(by, sort=False))) if by in results else {"all": results}
    groups = {str(k): v for k, v in groups.items()}
    deals = {name: g[g["outcome"] == "deal"] for name, g in groups.items()}
    for ax, column in zip(panels, issues, strict=False):
        _terms_panel(ax, column, names, colors, deals)
    for ax in panels[:: (ncols or 1) if created else max(1, len(panels))]:
        ax.set_ylabel("agreed term (0-1)")
    if created and len(names) > 3:
        # Many scenarios: a legend once, instead of rotated names under every panel.
        from matplotlib.patches import Patch

        for ax in panels:
            ax.tick_params(axis="x", labelbottom=False)
        handles = [Patch(facecolor=_lighten(colors[n], 0.6), edgecolor=colors[n],
                         label=f"{n} ({len(deals[n]):,} deals)") for n in names]
        fig.legend(handles=handles, loc="outside lower center", ncols=min(3, len(names)), frameon=False)
    title = _title("Agreed terms among deals", results, by=by)
    if created:
        fig.suptitle(title, fontsize=11)
    elif len(panels):
        panels[0].set_title(f"{title}\n{_issue_label(issues[0])}", fontsize=9)
    return panels


def _terms_figure(n_issues: int, n_names: int, ncols: int | None) -> tuple[Figure, np.ndarray, int]:
    """A new figure with one panel per issue (spare grid cells hidden): ``(figure, panels, ncols)``."""
    import matplotlib.pyplot as plt

    if ncols is None:
        ncols = 3 if n_names <= 3 else 2 if n_names <= 6 else 1
    ncols = max(1, min(ncols, n_issues))
    nrows = max(1, math.ceil(n_issues / ncols))
    width = min(12.0, max(3.4, 0.9 + 0.9 * n_names))
    fig, grid = plt.subplots(nrows, ncols, figsize=(width * ncols, 3.3 * nrows + 0.6), layout="constrained",
                             sharey=True, squeeze=False)
    for extra in grid.ravel()[n_issues:]:
        extra.set_visible(False)
    return fig, grid.ravel()[:n_issues], ncols


def _terms_panel(ax: Axes, column: str, names: Sequence[str], colors: dict[str, str],
                 deals: dict[str, pd.DataFrame]) -> None:
    """One issue's panel: box and points of its agreed term per group."""
    for i, name in enumerate(names):
        values = deals[name][column].to_numpy(dtype=float)
        values = values[~np.isnan(values)]
        if len(values):
            _box(ax, i, values, colors[name])
            _strip(ax, i, values, colors[name], limit=300)
        else:
            ax.text(i, 0.5, "no\ndeal", ha="center", va="center", fontsize=8, color=colors[name])
    _scenario_ticks(ax, names, notes=[f"n={len(deals[n]):,}" for n in names], width=12, rotate_above=3,
                    fontsize=8)
    ax.set_xlim(-0.6, len(names) - 0.4)
    ax.set_ylim(-0.03, 1.03)
    ax.set_title(_issue_label(column), fontsize=10)
    ax.grid(axis="y", alpha=0.3)
    ax.set_axisbelow(True)

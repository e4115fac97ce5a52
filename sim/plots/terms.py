"""Terms figure: the distribution of each issue's agreed term among runs that reach a deal."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..record import terms_columns
from .style import _box, _issue_label, _lighten, _names, _scenario_ticks, _strip, _title, _wrap, scenario_colors

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

#: Rows of panels in a new figure, at most: 5 x 3.3 in with the title and legend is under 2,000 px.
_MAX_ROWS = 5


def agreed_terms(results: pd.DataFrame, *, by: str = "scenario", axes: Sequence[Axes] | np.ndarray | None = None,
                 ncols: int | None = None, issues: Mapping[str, Any] | None = None) -> np.ndarray:
    """Distribution of each issue's agreed term among runs with a deal: one panel per issue.

    Args:
        results: The results table.
        by: Column naming the groups compared.
        axes: One Axes per ``terms_<issue>`` column; a new figure if omitted.
        ncols: Panels per row of a new figure (default: 3, 2 or 1 as the scenarios grow in number, more
            if the panels would otherwise stack over 2,000 px).
        issues: Issue id -> its spec (``scenario.spec.issues``: ``label``, ``low``, ``high``, ``anchors``;
            attributes or mapping keys). Each panel is then titled with the issue's label and its y axis
            ticked at 0, the anchors and 1 with their words. Without it, panels are titled by id and the
            y axis says what 0 and 1 mean.

    Returns:
        The panels as an array of Axes, in the order of the ``terms_`` columns.
    """
    columns = terms_columns(results)
    names = _names(results, by)
    colors = scenario_colors(names)
    created = axes is None
    if axes is None:
        fig, panels, ncols = _terms_figure(len(columns), len(names), ncols)
    else:
        panels = np.asarray(axes, dtype=object).ravel()
        if len(panels) < len(columns):
            raise ValueError(f"agreed_terms needs {len(columns)} axes (one per issue), got {len(panels)}")
        fig = panels[0].figure
    groups = dict(iter(results.groupby(by, sort=False))) if by in results else {"all": results}
    groups = {str(k): v for k, v in groups.items()}
    deals = {name: g[g["outcome"] == "deal"] for name, g in groups.items()}
    specs = issues or {}
    for ax, column in zip(panels, columns, strict=False):
        _terms_panel(ax, column, names, colors, deals)
        _issue_axis(ax, column, specs.get(column.removeprefix("terms_")))
    for ax in panels[:: (ncols or 1) if created else max(1, len(panels))]:
        ax.set_ylabel("agreed term (0-1)" if issues else "agreed term (0 = low end, 1 = high end)")
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
        panels[0].set_title(f"{title}\n{panels[0].get_title()}", fontsize=9)
    return panels


def _terms_figure(n_issues: int, n_names: int, ncols: int | None) -> tuple[Figure, np.ndarray, int]:
    """A new figure with one panel per issue (spare grid cells hidden): ``(figure, panels, ncols)``."""
    import matplotlib.pyplot as plt

    if ncols is None:
        ncols = 3 if n_names <= 3 else 2 if n_names <= 6 else 1
    # At most _MAX_ROWS rows, so that the figure stays under 2,000 px tall (at 100 dpi, with its legend).
    ncols = max(1, min(max(ncols, math.ceil(n_issues / _MAX_ROWS)), n_issues))
    nrows = max(1, math.ceil(n_issues / ncols))
    width = min(12.0, max(3.4, 0.9 + 0.9 * n_names)) + 1.6  # room for the words on the y axis
    # Not sharey: each issue's y axis carries its own words.
    fig, grid = plt.subplots(nrows, ncols, figsize=(width * ncols, 3.3 * nrows + 0.6), layout="constrained",
                             squeeze=False)
    for extra in grid.ravel()[n_issues:]:
        extra.set_visible(False)
    return fig, grid.ravel()[:n_issues], ncols


def _field(issue: Any, key: str) -> Any:
    return issue.get(key) if isinstance(issue, Mapping) else getattr(issue, key, None)


def _issue_axis(ax: Axes, column: str, issue: Any | None) -> None:
    """Title and y ticks of one issue's panel: its label, and 0, the anchors and 1 with their words."""
    if issue is None:
        ax.set_yticks([0, 0.25, 0.5, 0.75, 1])
        ax.set_yticklabels(["0 low", "0.25", "0.5", "0.75", "1 high"])
        return
    ax.set_title(_wrap(_field(issue, "label") or _issue_label(column), 40), fontsize=10)
    words = {0.0: _field(issue, "low"), **{float(t): w for t, w in (_field(issue, "anchors") or {}).items()},
             1.0: _field(issue, "high")}
    ticks = sorted(t for t, w in words.items() if w)
    ax.set_yticks(ticks)
    ax.set_yticklabels([_wrap(f"{words[t]} ({t:g})", 26) for t in ticks], fontsize=7)


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

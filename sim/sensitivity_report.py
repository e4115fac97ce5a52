"""How the indices of a sensitivity analysis are shown: a text table per outcome and a figure.

Split from :mod:`sim.sensitivity` (which computes them); it only reads an indices table.
"""

from __future__ import annotations

import math
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd

from .discovery import short_names
from .sensitivity import DPI, MAX_HEIGHT_PX, MEASURES, TOTAL

__all__ = ["FIGURE_TOP", "format_indices", "plot_indices", "save_figure"]

#: Parameters shown per panel of the saved figure: the largest total indices. A screen of every
#: parameter has about 250; as bars they cannot be read (and matplotlib spends half a minute laying
#: out their labels), while every index stays in indices.csv and in the printed table.
FIGURE_TOP = 30


def _method_of(indices: pd.DataFrame) -> str:
    return "sobol" if "ST" in indices.columns else "morris"


def format_indices(indices: pd.DataFrame, *, top: int | None = None) -> str:
    """The indices as a plain-text table per outcome, sorted by total index (ST, or Morris mu_star)."""
    method = _method_of(indices)
    total = TOTAL[method]
    # As wide as the names shown: with --top, one long path further down should not widen every line.
    shown = indices.sort_values(total, ascending=False, na_position="last").groupby("outcome", sort=False)
    width = max([len(str(p)) for p in (shown.head(top) if top else indices)["parameter"]] + [9])
    if method == "sobol":
        header = f"  {'parameter':<{width}}  {'first-order S1':>16}  {'total ST':>16}"
    else:
        header = f"  {'parameter':<{width}}  {'mu_star':>20}  {'sigma':>9}"
    lines = []
    for outcome, g in indices.groupby("outcome", sort=False):
        lines.append(f"{outcome}: {MEASURES.get(str(outcome), '')}")
        if g[total].isna().all():
            lines.append("  does not vary across the sample: no indices")
            continue
        lines.append(header)
        g = g.sort_values(total, ascending=False, na_position="last")
        for _, r in (g.head(top) if top else g).iterrows():
            if method == "sobol":
                lines.append(f"  {r['parameter']:<{width}}  {r['S1']:7.3f} ± {r['S1_conf']:6.3f}  "
                             f"{r['ST']:7.3f} ± {r['ST_conf']:6.3f}")
            else:
                lines.append(f"  {r['parameter']:<{width}}  {r['mu_star']:9.4g} ± {r['mu_star_conf']:8.3g}  "
                             f"{r['sigma']:9.4g}")
        if top and len(g) > top:
            lines.append(f"  ... {len(g) - top} more in indices.csv")
    return "\n".join(lines)


def plot_indices(indices: pd.DataFrame, *, outcome: str = "p_deal", ax=None, top: int | None = None):
    """Horizontal bars of one outcome's indices with their 95% intervals; returns the Axes.

    Sobol: total (ST) and first-order (S1) index per parameter; Morris: mu_star, with sigma as dots.
    Parameters are labelled with readable names, largest total index at the top; with ``top``, only
    the ``top`` largest are drawn and the title says how many there are. Draws on ``ax`` if given,
    else on a new figure (not registered with pyplot, and no global style is changed).
    """
    if ax is None:
        from matplotlib.figure import Figure

        ax = Figure(figsize=(7, 4), layout="constrained").add_subplot()
    method = _method_of(indices)
    total = TOTAL[method]
    g = indices[indices["outcome"] == outcome].sort_values(total, ascending=True, na_position="first")
    every = len(g)
    if top is not None and every > top:
        # Ties at zero would be an arbitrary choice among the parameters that do not matter: left out.
        g = (g[g[total] > 0] if (g[total] > 0).any() else g).tail(top)
    labels = (dict(zip(g["parameter"].astype(str), g["label"], strict=True)) if "label" in g
              else short_names([str(p) for p in g["parameter"]]))
    y = np.arange(len(g))
    ax.set_yticks(y, [labels[str(p)] for p in g["parameter"]])
    if method == "sobol":
        ax.barh(y + 0.2, g["ST"], height=0.4, xerr=g["ST_conf"], capsize=2, color="tab:blue", label="total (ST)")
        ax.barh(y - 0.2, g["S1"], height=0.4, xerr=g["S1_conf"], capsize=2, color="tab:orange",
                label="first-order (S1)")
        ax.set_xlabel("Sobol index (share of variance)\nwith 95% interval")
        ax.axvline(0, color="black", linewidth=0.8)
    else:
        ax.barh(y, g["mu_star"], height=0.6, xerr=g["mu_star_conf"], capsize=2, color="tab:blue", label="mu*")
        ax.plot(g["sigma"], y, "o", color="tab:red", label="sigma")
        ax.set_xlabel("Morris mean absolute elementary effect (mu*)\nwith 95% interval")
    shown = f" (the {len(g)} of {every} parameters with the largest; all in indices.csv)" if len(g) < every else ""
    ax.set_title(textwrap.fill(f"{outcome}: {MEASURES.get(outcome, '')}{shown}", 45), fontsize="medium")
    ax.legend(loc="lower right", fontsize="small")
    return ax


def save_figure(indices: pd.DataFrame, path: str | Path) -> list[Path]:
    """One panel per outcome with indices (its :data:`FIGURE_TOP` largest), written as PNG and SVG beside
    each other; returns the files."""
    from matplotlib.figure import Figure

    total = TOTAL[_method_of(indices)]
    outcomes = [o for o, g in indices.groupby("outcome", sort=False) if g[total].notna().any()]
    panels = max(len(outcomes), 1)
    per_panel = 1.2 + 0.35 * min(indices["parameter"].nunique(), FIGURE_TOP)
    # Panels go side by side rather than grow past MAX_HEIGHT_PX (a figure 3,000 px tall is scrolled, not read).
    ncols = min(panels, max(1, math.ceil(panels * per_panel / (MAX_HEIGHT_PX / DPI))))
    nrows = math.ceil(panels / ncols)
    fig = Figure(figsize=(7.5 * ncols, min(MAX_HEIGHT_PX / DPI, nrows * per_panel)), layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=False).ravel()
    for ax in axes[panels:]:  # the empty cells of the last row
        ax.set_axis_off()
    for ax, outcome in zip(axes, outcomes):
        plot_indices(indices, outcome=str(outcome), ax=ax, top=FIGURE_TOP)
    if not outcomes:
        axes[0].text(0.5, 0.5, "no outcome varies across the sample", ha="center", va="center")
        axes[0].set_axis_off()
    path = Path(path)
    files = [path.with_suffix(".png"), path.with_suffix(".svg")]
    for file in files:
        fig.savefig(file, dpi=DPI)
    return files


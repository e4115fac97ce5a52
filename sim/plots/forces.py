"""Force figures: how often a force deploys and how large it is, and which guarantors pledge troops."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..summary import wilson_interval
from .style import (
    _PERCENT_SIGN,
    _box,
    _display_name,
    _lighten,
    _names,
    _new_axes,
    _percent_axis,
    _scenario_ticks,
    _strip,
    _title,
    scenario_colors,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes


def deployment(results: pd.DataFrame, *, by: str = "scenario",
               axes: tuple[Axes, Axes] | None = None) -> tuple[Axes, Axes]:
    """Probability of a deployment (consented or not) and the troops deployed, per scenario.

    Left: stacked bars of the share of all runs with a consented and with an unconsented deployment,
    with the 95% Wilson interval of the total. Right: troops deployed given a deployment (box and
    points per scenario).

    Args:
        results: The results table.
        by: Column naming the groups compared.
        axes: Two Axes to draw on; a new figure if omitted.

    Returns:
        ``(ax_share, ax_troops)``. ``ax_share.containers`` holds the bar containers labelled
        ``consented``, ``without consent`` (and ``consent unknown`` if any).
    """
    names = _names(results, by)
    colors = scenario_colors(names)
    created = axes is None
    if axes is None:
        import matplotlib.pyplot as plt

        fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(min(14.0, max(9.0, 1.4 * len(names) + 5)), 4.6), layout="constrained")
    else:
        ax1, ax2 = axes
        fig = ax1.figure
    groups = dict(iter(results.groupby(by, sort=False))) if by in results else {"all": results}
    groups = {str(k): v for k, v in groups.items()}
    segments, totals, los, his = _deployment_shares(groups, names)
    _draw_deployment_shares(ax1, names, colors, segments, totals, los, his)
    # Legend swatches in neutral grey: the bars carry the scenario colours.
    from matplotlib.patches import Patch

    # Only the kinds of deployment drawn are named: a swatch for nothing on the axes misleads.
    swatches = {"consented": Patch(facecolor="#555555", label="consented"),
                "without consent": Patch(facecolor=_lighten("#555555", 0.5), hatch="///", edgecolor="#555555",
                                         label="without consent"),
                "consent unknown": Patch(facecolor=_lighten("#555555", 0.8), hatch="..", edgecolor="#555555",
                                         label="consent unknown")}
    handles = [patch for kind, patch in swatches.items() if any(segments[kind])]
    if handles and created:
        fig.legend(handles=handles, loc="outside lower center", ncols=len(handles), frameon=False)
    elif handles:
        ax1.legend(handles=handles, loc="best", frameon=False)
    _draw_troops(ax2, names, colors, groups)
    title = _title("Deployment", results, by=by)
    if created:
        fig.suptitle(title, fontsize=11)
    else:
        ax1.set_title(title, fontsize=10)
    return ax1, ax2


def _deployment_shares(groups: dict[str, pd.DataFrame], names: Sequence[str]) -> tuple[
        dict[str, list[float]], list[float], list[float], list[float]]:
    """Per group: shares of all runs with a consented, unconsented and unknown-consent deployment,
    and the share with any deployment with its 95% Wilson interval (``totals, los, his``)."""
    segments: dict[str, list[float]] = {"consented": [], "without consent": [], "consent unknown": []}
    totals, los, his = [], [], []
    for name in names:
        g = groups[name]
        n = len(g)
        dep = g["force_deployed"].astype(bool).to_numpy()
        consent = g["force_consented"].to_numpy(dtype=float)
        segments["consented"].append(float((dep & (consent == 1)).sum()) / n)
        segments["without consent"].append(float((dep & (consent == 0)).sum()) / n)
        segments["consent unknown"].append(float((dep & np.isnan(consent)).sum()) / n)
        k = int(dep.sum())
        lo, hi = wilson_interval(k, n)
        totals.append(k / n)
        los.append(lo)
        his.append(hi)
    return segments, totals, los, his


def _draw_deployment_shares(ax1: Axes, names: Sequence[str], colors: dict[str, str],
                            segments: dict[str, list[float]], totals: list[float], los: list[float],
                            his: list[float]) -> None:
    """The left panel: stacked bars by consent, the interval of the total and its value above it."""
    x = np.arange(len(names))
    bottom = np.zeros(len(names))
    face = [colors[n] for n in names]
    styles = {"consented": {"color": face},
              "without consent": {"color": [_lighten(c, 0.5) for c in face], "hatch": "///", "edgecolor": face},
              "consent unknown": {"color": [_lighten(c, 0.8) for c in face], "hatch": "..", "edgecolor": face}}
    for label, values in segments.items():
        if label == "consent unknown" and not any(values):
            continue
        ax1.bar(x, values, bottom=bottom, width=0.6, label=label, linewidth=0.8, **styles[label])
        bottom += np.asarray(values)
    totals_a = np.asarray(totals)
    ax1.errorbar(x, totals_a, yerr=np.vstack([totals_a - los, np.asarray(his) - totals_a]), fmt="none",
                 ecolor="#333333", capsize=4, elinewidth=1)
    for xi, t, hi in zip(x, totals, his, strict=True):
        ax1.annotate(f"{100 * t:.1f}{_PERCENT_SIGN}", (xi, hi), xytext=(0, 3), textcoords="offset points",
                     ha="center", va="bottom", fontsize=8)
    _scenario_ticks(ax1, names)
    ax1.set_xlim(-0.6, len(names) - 0.4)
    ax1.set_ylim(0, min(1.08, max(0.1, max(his) * 1.18)))
    _percent_axis(ax1)
    ax1.set_ylabel("share of all runs\n(95% interval on the total)")  # one line was taller than the axes
    ax1.set_title("Probability of a deployment", fontsize=10)
    ax1.grid(axis="y", alpha=0.3)
    ax1.set_axisbelow(True)


def _draw_troops(ax2: Axes, names: Sequence[str], colors: dict[str, str], groups: dict[str, pd.DataFrame]) -> None:
    """The right panel: troops deployed, given a deployment (box and points per group)."""
    tick_labels = []
    for i, name in enumerate(names):
        g = groups[name]
        troops = g.loc[g["force_deployed"].astype(bool), "force_troops"].to_numpy(dtype=float)
        troops = troops[~np.isnan(troops)]
        tick_labels.append(f"n={len(troops):,}")
        if len(troops):
            _box(ax2, i, troops, colors[name])
            _strip(ax2, i, troops, colors[name])
        else:
            ax2.text(i, 0.5, "no\ndeployment", transform=ax2.get_xaxis_transform(), ha="center", va="center",
                     fontsize=9, color=colors[name])
    _scenario_ticks(ax2, names, notes=tick_labels)
    ax2.set_xlim(-0.6, len(names) - 0.4)
    ax2.set_ylim(bottom=0)
    ax2.yaxis.set_major_formatter(lambda v, _: f"{v:,.0f}")
    ax2.set_ylabel("troops deployed")
    ax2.set_title("Troops, given a deployment", fontsize=10)
    ax2.grid(axis="y", alpha=0.3)
    ax2.set_axisbelow(True)


def contributor_shares(results: pd.DataFrame, *, by: str = "scenario",
                       guarantors: Sequence[str] | None = None) -> pd.DataFrame:
    """Share of all runs in which each guarantor contributes to the deployed force.

    Args:
        results: The results table (``force_contributors`` holds '+'-joined guarantor ids).
        by: Column naming the groups compared.
        guarantors: Rows to include even if they never contribute (and their order); by default the
            guarantors found in ``force_contributors``, the most frequent first.

    Returns:
        Guarantors (rows) x groups (columns, in order of first appearance), values 0-1.
    """
    names = _names(results, by)
    groups = results.groupby(by, sort=False) if by in results else [("all", results)]
    shares: dict[str, pd.Series] = {}
    for name, g in groups:
        lists = g["force_contributors"].fillna("").astype(str).str.split("+")
        exploded = lists.explode()
        exploded = exploded[exploded.str.len() > 0]
        # A guarantor counts once per run, whatever the force_contributors string repeats.
        per_run = exploded.groupby(level=0).unique().explode()
        shares[str(name)] = per_run.value_counts() / len(g)
    table = pd.DataFrame(shares).reindex(columns=names).fillna(0.0)
    if guarantors is not None:
        order = list(guarantors) + [g for g in table.index if g not in set(guarantors)]
    else:
        order = list(table.mean(axis=1).sort_values(ascending=False, kind="stable").index)
    return table.reindex(order).fillna(0.0).astype(float)


def who_pledges(results: pd.DataFrame, *, by: str = "scenario", guarantors: Sequence[str] | None = None,
                names: Mapping[str, str] | None = None, ax: Axes | None = None) -> Axes:
    """Heat map: share of all runs in which each guarantor (row) contributes, per scenario (column).

    Args:
        results: The results table.
        by: Column naming the groups compared.
        guarantors: Guarantors to show even if they never contribute (see :func:`contributor_shares`).
        names: Actor id -> display name for the rows (e.g. ``{a: s.spec.actors[a].name for a in
            s.spec.actors}`` of a :class:`~sim.Scenario` ``s``); an actor without one is shown by its id.
        ax: Axes to draw on; a new figure if omitted.

    Returns:
        The Axes; ``ax.images[0].get_array()`` holds the shares (rows as in the y tick labels).
    """
    shares = contributor_shares(results, by=by, guarantors=guarantors)
    groups = list(shares.columns)
    if ax is None:
        ax = _new_axes((max(5.5, 2.6 + 1.5 * len(groups)), max(3.0, 1.4 + 0.38 * len(shares))))
    values = shares.to_numpy(dtype=float) if len(shares) else np.zeros((0, len(groups)))
    image = ax.imshow(values if len(values) else np.zeros((1, len(groups))), cmap="Blues", vmin=0, vmax=1,
                      aspect="auto", interpolation="nearest")
    if not len(values):
        ax.text(0.5, 0.5, "no guarantor contributed in any run", transform=ax.transAxes, ha="center", va="center")
    for (r, c), v in np.ndenumerate(values):
        ax.text(c, r, f"{100 * v:.0f}{_PERCENT_SIGN}", ha="center", va="center", fontsize=8,
                color="white" if v > 0.55 else "black")
    ax.set_yticks(range(len(shares)))
    ax.set_yticklabels([_display_name(str(g), names) for g in shares.index], fontsize=9)
    _scenario_ticks(ax, groups, bold=True)
    ax.tick_params(length=0)
    cbar = ax.figure.colorbar(image, ax=ax, fraction=0.06, pad=0.03)
    cbar.set_label("share of all runs in which\nthe guarantor contributes troops")
    _percent_axis(cbar.ax)
    ax.set_title(_title("Who pledges troops", results, by=by, width=60), fontsize=10)
    return ax


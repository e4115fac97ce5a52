"""Figures of a results table: outcome shares, time to a ceasefire, deployment, terms, pledges, sweeps.

Every plot function takes the tidy results table (one row per run, as made by
:func:`sim.experiment.run_many` or read by :func:`sim.results.read_results`) and keyword options,
draws on the Axes it is given (or on a new figure) and returns the Axes. Nothing here runs the model,
shows a window or changes matplotlib's global settings.

Colours are fixed: each scenario keeps the colour :func:`scenario_colors` gives it (in order of first
appearance in the table) in every figure, and each outcome keeps its colour in :data:`OUTCOME_COLORS`.

Examples:
    >>> ax = outcome_shares(table)  # doctest: +SKIP
    >>> save_all(table, "figures")  # doctest: +SKIP
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .record import terms_columns
from .summary import OUTCOME_ORDER, summarize, wilson_interval

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "OUTCOME_COLORS",
    "PALETTE",
    "agreed_terms",
    "contributor_shares",
    "deployment",
    "outcome_shares",
    "save_all",
    "scenario_colors",
    "sweep_response",
    "time_to_ceasefire",
    "who_pledges",
]

#: Qualitative palette for scenarios, in order of use: Okabe-Ito (colour-blind safe, without its
#: yellow, which is unreadable on white), then the remaining tab10 colours.
PALETTE: tuple[str, ...] = (
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000",
    "#8c564b", "#7f7f7f", "#bcbd22", "#17becf", "#9467bd",
)

#: Fixed colour of each outcome.
OUTCOME_COLORS: dict[str, str] = {"ceasefire": "#1a9850", "deadlock": "#8c8c8c", "collapse": "#d73027"}

_PERCENT_SIGN = "%"


# ---------------------------------------------------------------------------------- helpers


def scenario_colors(names: Iterable[object]) -> dict[str, str]:
    """A fixed colour for each scenario name, in order of first appearance.

    Args:
        names: Scenario names (repeats allowed, e.g. a table's ``scenario`` column).

    Returns:
        Name -> hex colour; the palette repeats after its twelfth colour.
    """
    colors: dict[str, str] = {}
    for name in names:
        key = str(name)
        if key not in colors:
            colors[key] = PALETTE[len(colors) % len(PALETTE)]
    return colors


def _names(results: pd.DataFrame, by: str = "scenario") -> list[str]:
    return [str(n) for n in pd.unique(results[by])] if by in results else ["all"]


def _counts_text(results: pd.DataFrame, by: str = "scenario") -> str:
    if by not in results:
        return f"n={len(results):,}"
    sizes = results.groupby(by, sort=False).size()
    return "; ".join(f"{name} n={count:,}" for name, count in sizes.items())


def _title(what: str, results: pd.DataFrame, *, by: str = "scenario", extra: str = "", width: int = 80) -> str:
    """``what (a n=1,000; b n=1,000)``, wrapped so that a long list of scenarios is not clipped."""
    text = f"{what} ({_counts_text(results, by)}{'; ' + extra if extra else ''})"
    return textwrap.fill(text, width=width, break_on_hyphens=False)


def _wrap(label: str, width: int = 14) -> str:
    return textwrap.fill(str(label), width=width, break_long_words=True)


def _wrap_path(path: str, width: int = 24) -> str:
    """A dotted key path wrapped after its dots (never inside a name)."""
    lines: list[str] = []
    for part in str(path).split("."):
        if lines and len(lines[-1]) + 1 + len(part) <= width:
            lines[-1] += "." + part
        else:
            if lines:
                lines[-1] += "."
            lines.append(part)
    return "\n".join(lines)


def _scenario_ticks(ax: Axes, names: Sequence[str], *, notes: Sequence[str] | None = None, width: int = 14,
                    rotate_above: int = 4, fontsize: float | None = None, bold: bool = False) -> None:
    """Scenario names as x tick labels in their colours: wrapped when few, rotated (unwrapped) when many.

    ``notes`` (e.g. ``n=99``) are added in brackets after each name.
    """
    colors = scenario_colors(names)
    many = len(names) > rotate_above
    notes = list(notes) if notes is not None else [""] * len(names)
    if many:
        labels = [f"{n} ({note})" if note else n for n, note in zip(names, notes, strict=True)]
    else:
        labels = [f"{_wrap(n, width)}\n({note})" if note else _wrap(n, width) for n, note in zip(names, notes, strict=True)]
    ax.set_xticks(range(len(names)))
    ax.set_xticklabels(labels, rotation=30 if many else 0, ha="right" if many else "center",
                       rotation_mode="anchor" if many else "default", fontsize=fontsize)
    for tick, name in zip(ax.get_xticklabels(), names, strict=True):
        tick.set_color(colors[name])
        if bold:
            tick.set_fontweight("bold")


def _percent_axis(ax: Axes, axis: str = "y") -> None:
    from matplotlib.ticker import PercentFormatter

    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(PercentFormatter(xmax=1, decimals=0))


def _legend_outside(ax: Axes, **kwargs) -> None:
    """A legend to the right of the axes, where it cannot hide data."""
    handles, labels = ax.get_legend_handles_labels()
    if handles:
        ax.legend(handles, [_wrap(lab, 30) for lab in labels], loc="upper left", bbox_to_anchor=(1.01, 1.0),
                  borderaxespad=0.0, frameon=False, **kwargs)


def _new_axes(figsize: tuple[float, float]) -> Axes:
    import matplotlib.pyplot as plt

    _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def _lighten(color: str, amount: float = 0.55) -> tuple[float, float, float]:
    from matplotlib.colors import to_rgb

    r, g, b = to_rgb(color)
    return (r + (1 - r) * amount, g + (1 - g) * amount, b + (1 - b) * amount)


def _strip(ax: Axes, x: float, values: np.ndarray, color: str, *, limit: int = 400, spread: float = 0.12) -> None:
    """Jittered points (a deterministic sample of at most ``limit``) around position ``x``."""
    rng = np.random.default_rng(0)
    if len(values) > limit:
        values = rng.choice(values, size=limit, replace=False)
    jitter = rng.uniform(-spread, spread, size=len(values))
    ax.scatter(x + jitter, values, s=7, color=color, alpha=0.45, linewidths=0, zorder=3)


def _box(ax: Axes, x: float, values: np.ndarray, color: str) -> None:
    parts = ax.boxplot([values], positions=[x], widths=0.5, patch_artist=True, showfliers=False,
                       medianprops={"color": "black", "linewidth": 1.5}, manage_ticks=False)
    for patch in parts["boxes"]:
        patch.set_facecolor(_lighten(color, 0.6))
        patch.set_edgecolor(color)
    for key in ("whiskers", "caps"):
        for line in parts[key]:
            line.set_color(color)


def _issue_label(column: str) -> str:
    return column.removeprefix("terms_").replace("_", " ")


# ------------------------------------------------------------------------------------ figures


def outcome_shares(results: pd.DataFrame, *, by: str = "scenario", ax: Axes | None = None,
                   annotate: bool | None = None) -> Axes:
    """Share of runs ending in a ceasefire, deadlock or collapse, per scenario, with 95% Wilson intervals.

    Grouped bars: one group per outcome, one bar per scenario (in its scenario colour).

    Args:
        results: The results table.
        by: Column naming the groups compared (``scenario``; or e.g. a swept parameter).
        ax: Axes to draw on; a new figure if omitted.
        annotate: Write each share above its bar (default: when at most four groups).

    Returns:
        The Axes; ``ax.containers`` holds one bar container per group, labelled with its name, with
        bars in the order ceasefire, deadlock, collapse.
    """
    summary = summarize(results, by=by)
    names = [str(n) for n in summary[by]] if by in summary else ["all"]
    colors = scenario_colors(names)
    if ax is None:
        ax = _new_axes((max(6.5, 1.2 + 1.1 * len(names) * 0.9 + 4), 4.2))
    k = len(names)
    width = 0.8 / k
    x = np.arange(len(OUTCOME_ORDER))
    annotate = k <= 4 if annotate is None else annotate
    for i, (name, (_, row)) in enumerate(zip(names, summary.iterrows(), strict=True)):
        p = np.array([row[f"p_{o}"] for o in OUTCOME_ORDER], dtype=float)
        lo = np.array([row[f"p_{o}_lo"] for o in OUTCOME_ORDER], dtype=float)
        hi = np.array([row[f"p_{o}_hi"] for o in OUTCOME_ORDER], dtype=float)
        pos = x - 0.4 + width * (i + 0.5)
        ax.bar(pos, p, width=width * 0.92, color=colors[name], label=name,
               yerr=np.vstack([p - lo, hi - p]), capsize=3, error_kw={"elinewidth": 1, "ecolor": "#333333"})
        if annotate:
            for xp, pv, hv in zip(pos, p, hi, strict=True):
                ax.annotate(f"{100 * pv:.0f}{_PERCENT_SIGN}", (xp, hv), xytext=(0, 2), textcoords="offset points",
                            ha="center", va="bottom", fontsize=8)
    ax.set_xticks(x)
    ax.set_xticklabels(list(OUTCOME_ORDER))
    for tick, outcome in zip(ax.get_xticklabels(), OUTCOME_ORDER, strict=True):
        tick.set_color(OUTCOME_COLORS[outcome])
        tick.set_fontweight("bold")
    ax.set_ylim(0, min(1.08, max(0.1, float(summary[[f"p_{o}_hi" for o in OUTCOME_ORDER]].to_numpy().max()) * 1.12)))
    _percent_axis(ax)
    ax.set_ylabel("share of runs (95% interval)")
    ax.set_title(_title("Outcome shares", results, by=by), fontsize=10)
    ax.grid(axis="y", alpha=0.3)
    ax.set_axisbelow(True)
    _legend_outside(ax)
    return ax


def _horizon(results: pd.DataFrame, horizon: int | None) -> int:
    rounds = results["ceasefire_round"].dropna()
    last = int(rounds.max()) + 1 if len(rounds) else 1
    return max(int(horizon) if horizon else last, last)


def time_to_ceasefire(results: pd.DataFrame, *, horizon: int | None = None, by: str = "scenario",
                      ax: Axes | None = None, band: bool | None = None) -> Axes:
    """Cumulative probability of a ceasefire by round: one step line per scenario.

    The y value at round *r* is the share of **all** runs with a ceasefire in round *r* or earlier,
    so the last value is the scenario's ceasefire share.

    Args:
        results: The results table.
        horizon: Rounds in the scenario (x runs 0..horizon-1); inferred from the latest ceasefire if omitted.
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
        cf = g["ceasefire_round"].to_numpy(dtype=float)
        cf = cf[~np.isnan(cf)]
        counts = np.array([(cf <= r).sum() for r in rounds], dtype=float)
        y = counts / n if n else np.full(h, np.nan)
        ax.step(rounds, y, where="post", color=colors[name], linewidth=linewidth, clip_on=False, zorder=3,
                label=f"{name}: {100 * y[-1]:.1f}{_PERCENT_SIGN}")
        if band and n:
            lo, hi = np.array([wilson_interval(c, n) for c in counts]).T
            ax.fill_between(rounds, lo, hi, step="post", color=colors[name], alpha=0.15, linewidth=0)
    ax.set_xlim(0, h - 1)
    # A little room below zero, so that a curve that stays at 0 is not hidden by the axis line.
    top = max(0.05, ax.get_ylim()[1])
    ax.set_ylim(-0.015 * top, top)
    _percent_axis(ax)
    ax.set_xlabel("round")
    ax.set_ylabel("share of all runs with a ceasefire\nby this round" + (" (95% band)" if band else ""))
    ax.set_title(_title("Cumulative probability of a ceasefire", results, by=by), fontsize=10)
    ax.grid(alpha=0.3)
    _legend_outside(ax, title=f"ceasefire by round {h - 1}")
    return ax


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
    x = np.arange(len(names))
    segments = {"consented": [], "without consent": [], "consent unknown": []}
    totals, los, his = [], [], []
    for name in names:
        g = groups[name]
        n = len(g)
        dep = g["deployment"].astype(bool).to_numpy()
        consent = g["deployment_consented"].to_numpy(dtype=float)
        segments["consented"].append(float((dep & (consent == 1)).sum()) / n)
        segments["without consent"].append(float((dep & (consent == 0)).sum()) / n)
        segments["consent unknown"].append(float((dep & np.isnan(consent)).sum()) / n)
        k = int(dep.sum())
        lo, hi = wilson_interval(k, n)
        totals.append(k / n)
        los.append(lo)
        his.append(hi)
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
    ax1.set_ylabel("share of all runs (95% interval on the total)")
    ax1.set_title("Probability of a deployment", fontsize=10)
    ax1.grid(axis="y", alpha=0.3)
    ax1.set_axisbelow(True)
    # Legend swatches in neutral grey: the bars carry the scenario colours.
    from matplotlib.patches import Patch

    handles = [Patch(facecolor="#555555", label="consented"),
               Patch(facecolor=_lighten("#555555", 0.5), hatch="///", edgecolor="#555555", label="without consent")]
    if any(segments["consent unknown"]):
        handles.append(Patch(facecolor=_lighten("#555555", 0.8), hatch="..", edgecolor="#555555",
                             label="consent unknown"))
    if created:
        fig.legend(handles=handles, loc="outside lower center", ncols=len(handles), frameon=False)
    else:
        ax1.legend(handles=handles, loc="best", frameon=False)

    tick_labels = []
    for i, name in enumerate(names):
        g = groups[name]
        troops = g.loc[g["deployment"].astype(bool), "deployment_troops"].to_numpy(dtype=float)
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
    title = _title("Deployment", results, by=by)
    if created:
        fig.suptitle(title, fontsize=11)
    else:
        ax1.set_title(title, fontsize=10)
    return ax1, ax2


def agreed_terms(results: pd.DataFrame, *, by: str = "scenario", axes: Sequence[Axes] | np.ndarray | None = None,
                 ncols: int | None = None) -> np.ndarray:
    """Distribution of each issue's agreed term among runs with a ceasefire: one panel per issue.

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
        import matplotlib.pyplot as plt

        if ncols is None:
            ncols = 3 if len(names) <= 3 else 2 if len(names) <= 6 else 1
        ncols = max(1, min(ncols, len(issues)))
        nrows = max(1, math.ceil(len(issues) / ncols))
        width = min(12.0, max(3.4, 0.9 + 0.9 * len(names)))
        fig, grid = plt.subplots(nrows, ncols, figsize=(width * ncols, 3.3 * nrows + 0.6), layout="constrained",
                                 sharey=True, squeeze=False)
        for extra in grid.ravel()[len(issues):]:
            extra.set_visible(False)
        panels = grid.ravel()[: len(issues)]
    else:
        panels = np.asarray(axes, dtype=object).ravel()
        if len(panels) < len(issues):
            raise ValueError(f"agreed_terms needs {len(issues)} axes (one per issue), got {len(panels)}")
        fig = panels[0].figure
    groups = dict(iter(results.groupby(by, sort=False))) if by in results else {"all": results}
    groups = {str(k): v for k, v in groups.items()}
    ceasefires = {name: g[g["outcome"] == "ceasefire"] for name, g in groups.items()}
    for ax, column in zip(panels, issues, strict=False):
        for i, name in enumerate(names):
            values = ceasefires[name][column].to_numpy(dtype=float)
            values = values[~np.isnan(values)]
            if len(values):
                _box(ax, i, values, colors[name])
                _strip(ax, i, values, colors[name], limit=300)
            else:
                ax.text(i, 0.5, "no\nceasefire", ha="center", va="center", fontsize=8, color=colors[name])
        _scenario_ticks(ax, names, notes=[f"n={len(ceasefires[n]):,}" for n in names], width=12, rotate_above=3,
                        fontsize=8)
        ax.set_xlim(-0.6, len(names) - 0.4)
        ax.set_ylim(-0.03, 1.03)
        ax.set_title(_issue_label(column), fontsize=10)
        ax.grid(axis="y", alpha=0.3)
        ax.set_axisbelow(True)
    for ax in panels[:: (ncols or 1) if created else max(1, len(panels))]:
        ax.set_ylabel("agreed term (0-1)")
    if created and len(names) > 3:
        # Many scenarios: a legend once, instead of rotated names under every panel.
        from matplotlib.patches import Patch

        for ax in panels:
            ax.tick_params(axis="x", labelbottom=False)
        handles = [Patch(facecolor=_lighten(colors[n], 0.6), edgecolor=colors[n],
                         label=f"{n} ({len(ceasefires[n]):,} ceasefires)") for n in names]
        fig.legend(handles=handles, loc="outside lower center", ncols=min(3, len(names)), frameon=False)
    title = _title("Agreed terms among ceasefires", results, by=by)
    if created:
        fig.suptitle(title, fontsize=11)
    elif len(panels):
        panels[0].set_title(f"{title}\n{_issue_label(issues[0])}", fontsize=9)
    return panels


def contributor_shares(results: pd.DataFrame, *, by: str = "scenario",
                       guarantors: Sequence[str] | None = None) -> pd.DataFrame:
    """Share of all runs in which each guarantor contributes to the deployed force.

    Args:
        results: The results table (``contributors`` holds '+'-joined guarantor ids).
        by: Column naming the groups compared.
        guarantors: Rows to include even if they never contribute (and their order); by default the
            guarantors found in ``contributors``, the most frequent first.

    Returns:
        Guarantors (rows) x groups (columns, in order of first appearance), values 0-1.
    """
    names = _names(results, by)
    groups = results.groupby(by, sort=False) if by in results else [("all", results)]
    shares: dict[str, pd.Series] = {}
    for name, g in groups:
        lists = g["contributors"].fillna("").astype(str).str.split("+")
        exploded = lists.explode()
        exploded = exploded[exploded.str.len() > 0]
        # A guarantor counts once per run, whatever the contributors string repeats.
        per_run = exploded.groupby(level=0).unique().explode()
        shares[str(name)] = per_run.value_counts() / len(g)
    table = pd.DataFrame(shares).reindex(columns=names).fillna(0.0)
    if guarantors is not None:
        order = list(guarantors) + [g for g in table.index if g not in set(guarantors)]
    else:
        order = list(table.mean(axis=1).sort_values(ascending=False, kind="stable").index)
    return table.reindex(order).fillna(0.0).astype(float)


def who_pledges(results: pd.DataFrame, *, by: str = "scenario", guarantors: Sequence[str] | None = None,
                ax: Axes | None = None) -> Axes:
    """Heat map: share of all runs in which each guarantor (row) contributes, per scenario (column).

    Args:
        results: The results table.
        by: Column naming the groups compared.
        guarantors: Guarantors to show even if they never contribute (see :func:`contributor_shares`).
        ax: Axes to draw on; a new figure if omitted.

    Returns:
        The Axes; ``ax.images[0].get_array()`` holds the shares (rows as in the y tick labels).
    """
    shares = contributor_shares(results, by=by, guarantors=guarantors)
    names = list(shares.columns)
    if ax is None:
        ax = _new_axes((max(5.5, 2.6 + 1.5 * len(names)), max(3.0, 1.4 + 0.38 * len(shares))))
    values = shares.to_numpy(dtype=float) if len(shares) else np.zeros((0, len(names)))
    image = ax.imshow(values if len(values) else np.zeros((1, len(names))), cmap="Blues", vmin=0, vmax=1,
                      aspect="auto", interpolation="nearest")
    if not len(values):
        ax.text(0.5, 0.5, "no guarantor contributed in any run", transform=ax.transAxes, ha="center", va="center")
    for (r, c), v in np.ndenumerate(values):
        ax.text(c, r, f"{100 * v:.0f}{_PERCENT_SIGN}", ha="center", va="center", fontsize=8,
                color="white" if v > 0.55 else "black")
    ax.set_yticks(range(len(shares)))
    ax.set_yticklabels([str(g).replace("_", " ") for g in shares.index], fontsize=9)
    _scenario_ticks(ax, names, bold=True)
    ax.tick_params(length=0)
    cbar = ax.figure.colorbar(image, ax=ax, fraction=0.06, pad=0.03)
    cbar.set_label("share of all runs in which\nthe guarantor contributes troops")
    _percent_axis(cbar.ax)
    ax.set_title(_title("Who pledges troops", results, by=by, width=60), fontsize=10)
    return ax


def sweep_response(results: pd.DataFrame, x: str, *, by: str | None = None,
                   outcome: str | Sequence[str] = "ceasefire", ax: Axes | None = None, connect: bool = True) -> Axes:
    """Probability of an outcome against one varied parameter, with 95% Wilson intervals.

    Args:
        results: A sweep's results table (the varied parameters are columns named by key path).
        x: The varied parameter on the x axis.
        by: A second varied parameter: one line per value of it.
        outcome: Outcome(s) plotted (``ceasefire``, ``deadlock``, ``collapse``, or ``deployment``).
            Several outcomes need ``by=None``; each is drawn in its outcome colour.
        ax: Axes to draw on; a new figure if omitted.
        connect: Join the points with lines. Pass False when the points also differ in parameters
            other than ``x`` and ``by`` (a Latin hypercube), where a line would suggest a trend in ``x``.

    Returns:
        The Axes; one line per outcome (or per value of ``by``), its points at the sorted x values
        (with ``by``, each line is shifted sideways by up to 1% of the x range so that intervals at
        the same x do not hide each other).
    """
    outcomes = [outcome] if isinstance(outcome, str) else list(outcome)
    for o in outcomes:
        if o not in (*OUTCOME_ORDER, "deployment"):
            raise ValueError(f"unknown outcome {o!r} (expected one of {', '.join(OUTCOME_ORDER)}, deployment)")
    for col in (x, by):
        if col is not None and col not in results:
            raise ValueError(f"no column {col!r} in the results table")
    if by is not None and len(outcomes) > 1:
        raise ValueError("sweep_response draws one outcome when lines are split by a second parameter")
    keys = [x] + ([by] if by else [])
    summary = summarize(results, by=keys)
    numeric = pd.api.types.is_numeric_dtype(results[x]) and not pd.api.types.is_bool_dtype(results[x])
    if ax is None:
        ax = _new_axes((8, 4.4))
    categories = list(pd.unique(results[x])) if not numeric else []
    if by:
        levels = sorted(pd.unique(summary[by]), key=lambda v: (not isinstance(v, int | float), v))
        import matplotlib as mpl

        cmap = mpl.colormaps["viridis"]
        line_colors = {lv: cmap(0.1 + 0.75 * i / max(1, len(levels) - 1)) for i, lv in enumerate(levels)}
        series = [(lv, summary[summary[by] == lv], outcomes[0], line_colors[lv], f"{lv:g}" if isinstance(lv, float)
                   else str(lv)) for lv in levels]
    else:
        series = [(o, summary, o, OUTCOME_COLORS.get(o, PALETTE[0]), o) for o in outcomes]
    span = float(np.ptp(results[x].to_numpy(dtype=float))) if numeric and len(results) else 0.0
    span = span if span > 0 else 1.0
    for i, (_, part, o, color, label) in enumerate(series):
        part = part.sort_values(x) if numeric else part.set_index(x).reindex(categories).dropna(subset=["runs"]) \
            .reset_index()
        xs = part[x].to_numpy(dtype=float) if numeric else np.array([categories.index(c) for c in part[x]], dtype=float)
        if by and len(series) > 1:
            xs = xs + (i - (len(series) - 1) / 2) * 0.02 * (span if numeric else 1.0) / max(1, len(series) - 1)
        p = part[f"p_{o}"].to_numpy(dtype=float)
        lo, hi = part[f"p_{o}_lo"].to_numpy(dtype=float), part[f"p_{o}_hi"].to_numpy(dtype=float)
        ax.errorbar(xs, p, yerr=np.vstack([p - lo, hi - p]), color=color, marker="o", markersize=4, capsize=3,
                    linewidth=1.5 if connect else 0, elinewidth=1, label=label)
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


# ------------------------------------------------------------------------------------- saving


def _save(fig: Figure, folder: Path, stem: str) -> list[Path]:
    paths = []
    for ext in ("png", "svg"):
        path = folder / f"{stem}.{ext}"
        fig.savefig(path, bbox_inches="tight", pad_inches=0.1)
        paths.append(path)
    return paths


def save_all(results: pd.DataFrame, folder: str | Path, *, sweep_params: Sequence[str] | None = None,
             horizon: int | None = None, guarantors: Sequence[str] | None = None,
             by: str = "scenario") -> list[Path]:
    """Write every figure that applies to a results table, as PNG and SVG, into ``folder``.

    Uses the non-interactive Agg backend, and closes every figure it makes.

    Args:
        results: The results table.
        folder: Where to write (created if missing).
        sweep_params: Varied parameters of a sweep: adds ``sweep_response`` figures (the first
            parameter on the x axis and the second, if any, as lines; with more than two, one figure
            per parameter).
        horizon: Rounds of the scenario, for the time-to-ceasefire axis.
        guarantors: Guarantor ids to show in the heat map even if they never contribute.
        by: Column naming the groups compared.

    Returns:
        The files written.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []

    def keep(stem: str, fig: Figure) -> None:
        try:
            written.extend(_save(fig, folder, stem))
        finally:
            plt.close(fig)

    keep("outcome_shares", outcome_shares(results, by=by).figure)
    keep("time_to_ceasefire", time_to_ceasefire(results, horizon=horizon, by=by).figure)
    keep("deployment", deployment(results, by=by)[0].figure)
    if terms_columns(results):
        keep("agreed_terms", agreed_terms(results, by=by)[0].figure)
    keep("who_pledges", who_pledges(results, by=by, guarantors=guarantors).figure)
    params = [p for p in (sweep_params or []) if p in results]
    if len(params) in (1, 2):
        keep("sweep_response", sweep_response(results, params[0], by=params[1] if len(params) == 2 else None).figure)
    elif len(params) > 2:
        combos = len(results[params].drop_duplicates())
        for p in params:
            # In a Latin hypercube every point has its own x: the points differ in the other
            # parameters too, so they are not joined. In a grid, each x pools the other parameters.
            joined = results[p].nunique() < combos
            keep(f"sweep_response_{_safe_name(p)}", sweep_response(results, p, connect=joined).figure)
    return written


def _safe_name(path: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in path).strip("_")

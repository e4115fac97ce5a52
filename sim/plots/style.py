"""What every figure shares: fixed colours, titles with run counts, wrapped labels, boxes and strips."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from matplotlib.axes import Axes

#: Qualitative palette for scenarios, in order of use: Okabe-Ito (colour-blind safe, without its
#: yellow, which is unreadable on white), then the remaining tab10 colours.
PALETTE: tuple[str, ...] = (
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000",
    "#8c564b", "#7f7f7f", "#bcbd22", "#17becf", "#9467bd",
)

#: Fixed colour of each outcome.
OUTCOME_COLORS: dict[str, str] = {"deal": "#1a9850", "no_deal": "#8c8c8c", "collapse": "#d73027",
                                  "military_end": "#7b3294"}

_PERCENT_SIGN = "%"


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


#: Groups named one by one in a title; with more, the title counts them (their names are on the axes).
_TITLE_NAMES = 3


def _counts_text(results: pd.DataFrame, by: str = "scenario") -> str:
    """``a n=1,000; b n=1,000`` for a few groups; ``10 scenarios, n=1,000 each`` for many."""
    if by not in results:
        return f"n={len(results):,}"
    sizes = results.groupby(by, sort=False).size()
    if len(sizes) <= _TITLE_NAMES:
        return "; ".join(f"{name} n={count:,}" for name, count in sizes.items())
    what = "scenarios" if by == "scenario" else f"values of {by}"
    low, high = int(sizes.min()), int(sizes.max())
    runs = f"n={low:,}" if low == high else f"n={low:,} to {high:,}"
    return f"{len(sizes)} {what}, {runs} each"


def _title(what: str, results: pd.DataFrame, *, by: str = "scenario", extra: str = "", width: int = 80) -> str:
    """``what (a n=1,000; b n=1,000)``, wrapped at ``width`` characters a line; with more than three
    groups the title counts them instead of naming each, so that ten scenarios do not take over the figure."""
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


def percent_label(share: float) -> str:
    """A share as a percent tick label with exactly the digits it has: 0.025 -> ``2.5%``, 0.1 -> ``10%``.

    Rounding to whole percents labelled ticks at 2.5 % steps 2 %, 5 %, 8 %: wrong numbers on the axis.
    """
    return f"{round(100 * share, 6):g}{_PERCENT_SIGN}"


def _percent_axis(ax: Axes, axis: str = "y") -> None:
    from matplotlib.ticker import FuncFormatter

    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(FuncFormatter(lambda x, _pos: percent_label(x)))


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


def _display_name(actor: str, names: Mapping[str, str] | None) -> str:
    """An actor's display name from ``names`` (id -> name); without one, its id with spaces."""
    return str(names[actor]) if names and actor in names else str(actor).replace("_", " ")


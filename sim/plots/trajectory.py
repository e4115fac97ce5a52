"""Trajectory figures: the state of the talks round by round, for one run or as bands over many runs.

They take the trajectory table of :func:`sim.trajectory.run_trajectory` (one row per run, round,
quantity and actor) and draw small multiples against the round, one panel per group of quantities
(:data:`PANELS`). With one run, each line is that run's value (the mediators' belief about resolve is
its mean, with its own 10-90 % range shaded); with several, each line is the median over the runs
still talking at the start of the round (a run's last row is the round it ended in), shaded from its
10th to its 90th percentile over those runs (:func:`trajectory_bands`). True values are dashed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .style import PALETTE, _display_name, _percent_axis

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["PANELS", "trajectory_bands", "trajectory_figure"]

NO_ACTOR = "-"
LOW, HIGH = 0.1, 0.9
_RUN_COLORS = {"zone_estimated": PALETTE[2], "zone_true": PALETTE[5], "front": "#333333", "true_drift": "#000000"}
_RUN_LABELS = {"zone_estimated": "estimated by the mediators", "zone_true": "given the true types",
               "front": "area taken", "true_drift": "true drift"}


@dataclass(frozen=True)
class Panel:
    """One panel: its title, the y axis, the quantities drawn per party and per run, and true values."""

    title: str
    ylabel: str
    party: str | None = None
    """The quantity drawn once per party (a line in the party's colour)."""
    true_party: str | None = None
    """Its true value per party (dashed, in the party's colour)."""
    run: tuple[str, ...] = ()
    """Quantities of the run (actor ``-``), one line each; ``true_`` and ``zone_true`` are dashed."""
    percent: bool = False
    """Shares, on a percent axis starting at 0 (a share that stays 0 is not centred between -4 % and 4 %)."""


#: The panels, in order; a panel none of whose quantities is in the table is left out.
PANELS: tuple[Panel, ...] = (
    Panel("Belief about the front's drift", "area a round", party="drift_belief", run=("true_drift",), percent=True),
    Panel("Mediators' belief about resolve", "resolve", party="resolve_belief_mean", true_party="true_resolve"),
    Panel("Outside option", "value of fighting on", party="outside_option"),
    Panel("Stock used", "share of its stock", party="stock_used", percent=True),
    Panel("Mediators' estimated chance of acceptance", "chance", party="acceptance_chance", percent=True),
    Panel("Zone of agreement", "share of candidates", run=("zone_estimated", "zone_true"), percent=True),
    Panel("Front", "share of the\ncontested area", run=("front",), percent=True),
)
_DASHED = {"true_drift", "zone_true"}


def trajectory_bands(table: pd.DataFrame, *, low: float = LOW, high: float = HIGH) -> pd.DataFrame:
    """Median and percentiles of each quantity per round, over the runs with a row in that round.

    A run has a row in every round it began talking (its last row is the round it ended in), so the
    runs of a round are those still talking at its start, and they thin out as runs end.

    Args:
        table: A trajectory table.
        low: The lower share of the band (default 0.1).
        high: The upper share of the band (default 0.9).

    Returns:
        One row per round, quantity and actor: ``median``, ``low``, ``high`` and ``runs`` (how many).
    """
    groups = table.groupby(["round", "quantity", "actor"], sort=False)["value"]
    bands = groups.agg(median="median", runs="size")
    bands["low"] = groups.quantile(low)
    bands["high"] = groups.quantile(high)
    return bands.reset_index()[["round", "quantity", "actor", "median", "low", "high", "runs"]]


def trajectory_figure(table: pd.DataFrame, *, names: Mapping[str, str] | None = None,
                      start: dt.date | None = None, round_weeks: float | None = None, title: str = "") -> Figure:
    """Small multiples of a trajectory against the round: one run's values, or bands over many runs.

    Args:
        table: A trajectory table (:func:`sim.trajectory.run_trajectory`) of one run or of several.
        names: Display name of each actor id (e.g. ``scenario.spec.actors[aid].name``).
        start: Date of round 0; with ``round_weeks``, each round's tick label carries the date it begins.
        round_weeks: Weeks per round.
        title: What the figure shows (e.g. the scenario's name), before the run or run count.

    Returns:
        The Figure: one Axes per panel of :data:`PANELS` whose quantities are in the table (in that
        order), then, with several runs, a panel of the runs still talking. Each panel with more than
        one thing drawn has a legend naming exactly its lines (a shaded band goes with its line).
    """
    import matplotlib.pyplot as plt

    runs = table["run"].nunique()
    one = runs == 1
    data = _one_run(table) if one else trajectory_bands(table)
    panels = [p for p in PANELS if set(_quantities(p)) & set(data["quantity"])]
    rows = len(panels) + (0 if one else 1)
    height = min(2.0, 17.0 / rows)  # at 100 dpi, the figure stays under 2,000 px tall
    fig, axes = plt.subplots(rows, 1, figsize=(9.0, 0.9 + height * rows), sharex=True, layout="constrained",
                             squeeze=False)
    axes = list(axes[:, 0])
    actors = [a for a in pd.unique(table["actor"]) if a != NO_ACTOR]
    colors = {a: PALETTE[i % len(PALETTE)] for i, a in enumerate(actors)}
    for ax, panel in zip(axes, panels, strict=False):
        _draw_panel(ax, panel, data, actors, colors, names, one)
    if not one:
        _draw_runs(axes[-1], data)
    _round_axis(axes[-1], start, round_weeks, one)
    fig.suptitle(_suptitle(table, title, one), fontsize=10)
    return fig


def _quantities(panel: Panel) -> list[str]:
    return [q for q in (panel.party, panel.true_party, *panel.run) if q]


def _one_run(table: pd.DataFrame) -> pd.DataFrame:
    """One run's rows in the shape of the bands: the value is the line; only the resolve belief has a band."""
    data = table[["round", "quantity", "actor", "value"]].rename(columns={"value": "median"})
    data["low"] = np.nan
    data["high"] = np.nan
    data["runs"] = 1
    keys = ["round", "actor"]
    mean = data["quantity"] == "resolve_belief_mean"
    where = pd.MultiIndex.from_frame(data.loc[mean, keys])
    for side in ("low", "high"):
        part = table[table["quantity"] == f"resolve_belief_{side}"].set_index(keys)["value"]
        data.loc[mean, side] = part.reindex(where).to_numpy()
    return data


def _series(data: pd.DataFrame, quantity: str, actor: str) -> pd.DataFrame:
    return data[(data["quantity"] == quantity) & (data["actor"] == actor)].sort_values("round")


def _line(ax: Axes, part: pd.DataFrame, color: str, *, dashed: bool = False, band: bool = True) -> Any:
    """A line, and its band if it has one; returns the legend handle (the line, or line and band)."""
    (line,) = ax.plot(part["round"], part["median"], color=color, linewidth=1.6, linestyle="--" if dashed else "-")
    if band and part["low"].notna().any():
        fill = ax.fill_between(part["round"], part["low"], part["high"], color=color, alpha=0.13 if dashed else 0.2,
                               linewidth=0)
        return (fill, line)
    return line


def _draw_panel(ax: Axes, panel: Panel, data: pd.DataFrame, actors: list[str], colors: dict[str, str],
                names: Mapping[str, str] | None, one: bool) -> None:
    """One panel's lines, axis and legend."""
    handles: list[Any] = []
    labels: list[str] = []
    if panel.party and panel.party in set(data["quantity"]):
        for actor in actors:
            handles.append(_line(ax, _series(data, panel.party, actor), colors[actor]))
            labels.append(_display_name(actor, names))
    if panel.true_party and panel.true_party in set(data["quantity"]):
        # On one run a true value is constant: its band would be nothing; over runs, it is drawn as the others.
        dashed = [_line(ax, _series(data, panel.true_party, a), colors[a], dashed=True, band=not one) for a in actors]
        # One entry for the dashed lines of every party (each in its colour); their bands go with the parties'.
        handles.append(tuple(d[-1] if isinstance(d, tuple) else d for d in dashed))
        labels.append(f"true {panel.true_party.removeprefix('true_')} (dashed)")
    for quantity in panel.run:
        part = _series(data, quantity, NO_ACTOR)
        if len(part):
            handles.append(_line(ax, part, _RUN_COLORS[quantity], dashed=quantity in _DASHED))
            labels.append(_RUN_LABELS[quantity] + (" (dashed)" if quantity in _DASHED else ""))
    ax.set_title(_panel_title(panel, one), fontsize=9, loc="left")
    ax.set_ylabel(panel.ylabel, fontsize=8)
    if panel.percent:
        _percent_axis(ax)
        top = max(ax.get_ylim()[1], 0.05)
        ax.set_ylim(-0.02 * top, top)
    ax.grid(alpha=0.3)
    if len(handles) > 1:
        from matplotlib.legend_handler import HandlerTuple

        ax.legend(handles, labels, loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0, frameon=False,
                  fontsize=8, handler_map={tuple: HandlerTuple(ndivide=None)})


def _panel_title(panel: Panel, one: bool) -> str:
    if panel.true_party == "true_resolve":
        return (f"{panel.title}: mean, 10–90 % of the belief shaded" if one else
                f"{panel.title}: median of its mean, 10–90 % of runs shaded")
    return panel.title


def _draw_runs(ax: Axes, bands: pd.DataFrame) -> None:
    """How many runs each round's band is over: those still talking at the start of the round."""
    per_round = bands.groupby("round")["runs"].max()
    ax.step(per_round.index, per_round.to_numpy(), where="mid", color="#555555", linewidth=1.6)
    ax.set_ylim(0, per_round.max() * 1.08)
    ax.set_title("Runs still talking at the start of the round (the bands above are over these)", fontsize=9,
                 loc="left")
    ax.set_ylabel("runs", fontsize=8)
    ax.grid(alpha=0.3)


def _round_axis(ax: Axes, start: dt.date | None, round_weeks: float | None, one: bool) -> None:
    """Whole rounds on the x axis; with a start date, each tick also names the date its round begins."""
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    # Few ticks: each carries a date, and dates wider than a tick's room would run into one another.
    ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=6 if start is not None else "auto"))
    dated = start is not None and isinstance(round_weeks, int | float)
    if dated:
        def label(x: float, _pos: int) -> str:
            day = start + dt.timedelta(weeks=float(round_weeks) * round(x))
            return f"{round(x)}\n{day.isoformat()}"

        ax.xaxis.set_major_formatter(FuncFormatter(label))
        ax.tick_params(axis="x", labelsize=8)
    what = "round" + (" (and the date it begins)" if dated else "")
    values = "state after the round" + ("" if one else "; median and 10–90 % band over the runs still talking")
    ax.set_xlabel(f"{what}; {values}", fontsize=8)


def _suptitle(table: pd.DataFrame, title: str, one: bool) -> str:
    lead = f"{title}: " if title else ""
    if one:
        from ..model.events import OUTCOMES

        status = table[table["quantity"] == "status"].sort_values("round")
        last = status.iloc[-1] if len(status) else None
        ended = (f"; ended in round {int(last['round'])}: {OUTCOMES[int(last['value'])].replace('_', ' ')}"
                 if last is not None and int(last["value"]) else "; still talking after the last round")
        return f"{lead}trajectory of one run (seed {int(table['seed'].iloc[0])}){ended}"
    return f"{lead}trajectories of {table['run'].nunique():,} runs: median and 10–90 % band over the runs still talking"

"""Saving: every figure that applies to a results table, as PNG and SVG files."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..record import terms_columns
from .forces import deployment, who_pledges
from .outcomes import outcome_shares, time_to_deal
from .survival import deal_survival_figure, has_deal_survival, has_time_to_deal, time_to_deal_km
from .sweeps import is_grid, sweep_panels, sweep_response
from .terms import agreed_terms

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def _save(fig: Figure, folder: Path, stem: str) -> list[Path]:
    paths = []
    for ext in ("png", "svg"):
        path = folder / f"{stem}.{ext}"
        fig.savefig(path, bbox_inches="tight", pad_inches=0.1)
        paths.append(path)
    return paths


def save_all(results: pd.DataFrame, folder: str | Path, *, sweep_params: Sequence[str] | None = None,
             horizon: int | None = None, guarantors: Sequence[str] | None = None,
             names: Mapping[str, str] | None = None, issues: Mapping[str, Any] | None = None,
             by: str = "scenario", sweep_names: dict[str, str] | None = None,
             round_weeks: float | None = None) -> list[Path]:
    """Write every figure that applies to a results table, as PNG and SVG, into ``folder``.

    Uses the non-interactive Agg backend, and closes every figure it makes.

    Args:
        results: The results table.
        folder: Where to write (created if missing).
        sweep_params: Varied parameters of a sweep. Given (and columns of the table), only sweep
            figures are drawn, never the pooled standard ones: with one or two parameters
            ``sweep_response`` (P(deal) against the first, one line per value of the second) and
            ``sweep_outcomes`` (small multiples, one panel per outcome and force deployment); with more,
            or points that are not a full grid (a Latin hypercube, a Sobol or Morris sample),
            ``sweep_response`` (P(deal), one panel per parameter) and ``sweep_force`` (P(force deployed)).
        horizon: Rounds of the scenario, for the time-to-deal axis.
        guarantors: Guarantor ids to show in the heat map even if they never contribute.
        names: Display name of each actor id (the heat map's rows).
        issues: The scenario's issues (id -> label, low, high, anchors), for the agreed terms' axes.
        by: Column naming the groups compared.
        sweep_names: Short names of the varied parameters for axis labels (default: last part of each path).
        round_weeks: Weeks per round, for the survival figures' x axis in years (default: in rounds);
            give it only when every group shares it. The survival figures need columns older result
            folders lack, and are left out without them (:func:`_save_survival`).

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

    params = [p for p in (sweep_params or []) if p in results]
    if params:
        # A sweep's runs differ in the varied parameters: pooling them into the standard figures would
        # show a mixture under the scenario's name. Its figures are against the parameters instead.
        written.extend(_save_sweep(results, folder, params, names=sweep_names))
        return written
    keep("outcome_shares", outcome_shares(results, by=by).figure)
    keep("time_to_deal", time_to_deal(results, horizon=horizon, by=by).figure)
    keep("deployment", deployment(results, by=by)[0].figure)
    if terms_columns(results):
        keep("agreed_terms", agreed_terms(results, by=by, issues=issues)[0].figure)
    keep("who_pledges", who_pledges(results, by=by, guarantors=guarantors, names=names).figure)
    written.extend(_save_survival(results, folder, by=by, round_weeks=round_weeks))
    return written


def _save_survival(results: pd.DataFrame, folder: Path, *, by: str, round_weeks: float | None) -> list[Path]:
    """The survival figures that the table's columns allow, each closed once written.

    ``deal_survival`` (Kaplan–Meier of the first deal over its aftermath window) when some run has a
    deal and the table has ``deal_duration_rounds``; ``time_to_deal_censored`` (time to the first deal,
    runs without one censored where their talks ended) when it has ``talks_end_round``; for a single
    scenario also ``deal_survival_by_guarantees`` (strong against weak, cut at the deals' median
    guarantees_effective) and ``deal_survival_by_force``. Tables written before the aftermath window
    lack the columns and get none of them.
    """

    figures = {}
    if has_deal_survival(results):
        figures["deal_survival"] = lambda: deal_survival_figure(results, by=by, round_weeks=round_weeks).figure
    if has_time_to_deal(results):
        figures["time_to_deal_censored"] = lambda: time_to_deal_km(results, by=by, round_weeks=round_weeks).figure
    one_group = by not in results or results[by].nunique() == 1
    if has_deal_survival(results) and one_group:
        # One scenario: its deals by guarantee strength and by force (across scenarios the groups would mix).
        from ..survival import force_group, guarantee_strength
        strength = guarantee_strength(results)
        if strength.nunique() > 1:  # deals whose guarantees all tie at the median have no weak group
            figures["deal_survival_by_guarantees"] = lambda: deal_survival_figure(
                results, by=strength, round_weeks=round_weeks).figure
        figures["deal_survival_by_force"] = lambda: deal_survival_figure(
            results, by=force_group(results), round_weeks=round_weeks).figure
    return _save_drawn(figures, folder)


def _save_sweep(results: pd.DataFrame, folder: Path, params: list[str], *,
                names: dict[str, str] | None = None) -> list[Path]:
    """The figures of a sweep (see :func:`save_all`), each closed once written."""
    if len(params) <= 2 and is_grid(results, params):
        figures = {"sweep_response": lambda: sweep_response(
                       results, params[0], by=params[1] if len(params) == 2 else None).figure,
                   "sweep_outcomes": lambda: sweep_panels(results, params, names=names)}
    else:
        figures = {"sweep_response": lambda: sweep_panels(results, params, names=names),
                   "sweep_force": lambda: sweep_panels(results, params, outcome="force_deployed", names=names)}
    return _save_drawn(figures, folder)


def _save_drawn(figures: dict[str, Any], folder: Path) -> list[Path]:
    """Draw each figure (stem -> function), save it and close it, one at a time (memory stays flat)."""
    import matplotlib.pyplot as plt

    written: list[Path] = []
    for stem, draw in figures.items():
        fig = draw()
        try:
            written.extend(_save(fig, folder, stem))
        finally:
            plt.close(fig)
    return written

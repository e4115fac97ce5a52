"""Saving: every figure that applies to a results table, as PNG and SVG files."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from ..record import terms_columns
from .forces import deployment, who_pledges
from .outcomes import outcome_shares, time_to_deal
from .sweeps import sweep_response
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
             by: str = "scenario") -> list[Path]:
    """Write every figure that applies to a results table, as PNG and SVG, into ``folder``.

    Uses the non-interactive Agg backend, and closes every figure it makes.

    Args:
        results: The results table.
        folder: Where to write (created if missing).
        sweep_params: Varied parameters of a sweep: adds ``sweep_response`` figures (the first
            parameter on the x axis and the second, if any, as lines; with more than two, one figure
            per parameter).
        horizon: Rounds of the scenario, for the time-to-deal axis.
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
    keep("time_to_deal", time_to_deal(results, horizon=horizon, by=by).figure)
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

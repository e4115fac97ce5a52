"""Figures of a results table: outcome shares, time to a deal, deployment, terms, pledges, survival, sweeps.

Every plot function takes the tidy results table (one row per run, as made by
:func:`sim.experiment.run_many` or read by :func:`sim.results.read_results`) and keyword options,
draws on the Axes it is given (or on a new figure) and returns the Axes. Nothing here runs the model,
shows a window or changes matplotlib's global settings.

Colours are fixed: each scenario keeps the colour :func:`scenario_colors` gives it (in order of first
appearance in the table) in every figure, and each outcome keeps its colour in :data:`OUTCOME_COLORS`.

One module per family of figures: :mod:`.outcomes`, :mod:`.forces` (deployment and pledges),
:mod:`.terms`, :mod:`.survival` (Kaplan–Meier of the deal's survival and of the time to a deal), :mod:`.sweeps` and :mod:`.trajectory` (which takes the per-round trajectory table, not the results table); :mod:`.style` holds what they share, :mod:`.saving` writes them all.

Examples:
    >>> ax = outcome_shares(table)  # doctest: +SKIP
    >>> save_all(table, "figures")  # doctest: +SKIP
"""

from __future__ import annotations

from .forces import contributor_shares, deployment, who_pledges
from .outcomes import outcome_shares, time_to_deal
from .saving import save_all
from .style import OUTCOME_COLORS, PALETTE, scenario_colors
from .survival import deal_survival_figure, time_to_deal_km
from .sweeps import sweep_panels, sweep_response
from .terms import agreed_terms
from .trajectory import trajectory_bands, trajectory_figure

__all__ = [
    "OUTCOME_COLORS",
    "PALETTE",
    "agreed_terms",
    "contributor_shares",
    "deal_survival_figure",
    "deployment",
    "outcome_shares",
    "save_all",
    "scenario_colors",
    "sweep_panels",
    "sweep_response",
    "time_to_deal",
    "time_to_deal_km",
    "trajectory_bands",
    "trajectory_figure",
    "who_pledges",
]

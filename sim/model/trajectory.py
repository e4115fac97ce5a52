"""What a round leaves behind, as numbers: the one place that reads the model's state for trajectories.

:func:`round_values` turns the state of a :class:`~sim.model.model.NegotiationModel` after a round
into one array (one entry per run) per quantity and actor. It is the only code that knows where each
quantity lives in the model (beliefs on the parties, the mediators' beliefs in the talks, the front's
line): when the model's names change, this function alone changes. :func:`sim.trajectory.run_trajectory`
drives the model and turns these arrays into the tidy trajectory table.
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["NO_ACTOR", "PARTY_QUANTITIES", "QUANTITIES", "RUN_QUANTITIES", "belief_quantile", "round_values"]

#: The actor of a quantity that belongs to the whole run (the front, the zones, the status).
NO_ACTOR = "-"

#: Quantities recorded once per party (and veto player), in the order of the table.
PARTY_QUANTITIES: tuple[str, ...] = (
    "drift_belief", "resolve_belief_mean", "resolve_belief_low", "resolve_belief_high", "true_resolve",
    "outside_option", "stock_used", "acceptance_chance",
)
#: Quantities recorded once per run (actor ``-``); ``true_drift`` only in scenarios with a front.
RUN_QUANTITIES: tuple[str, ...] = ("zone_estimated", "zone_true", "front", "true_drift", "status")
#: Every quantity of the trajectory table.
QUANTITIES: tuple[str, ...] = PARTY_QUANTITIES + RUN_QUANTITIES

#: The mediators' belief band: its 10th and 90th percentiles.
LOW, HIGH = 0.1, 0.9


def belief_quantile(grid: np.ndarray, weights: np.ndarray, q: float) -> np.ndarray:
    """The ``q`` quantile of a belief on a grid, per run: the least grid value whose cumulative weight reaches q.

    The belief is discrete, so its quantile is a grid point (the inverse of its distribution function),
    not an interpolation between points that carry no weight of their own.

    Args:
        grid: Values, ``(runs, points)``, in any order.
        weights: Their weights, ``(runs, points)``, summing to 1 per run.
        q: The share, in [0, 1].

    Returns:
        One value per run.
    """
    order = np.argsort(grid, axis=1)
    values = np.take_along_axis(grid, order, axis=1)
    cumulative = np.cumsum(np.take_along_axis(weights, order, axis=1), axis=1)
    # A little slack: weights that sum to 1 only up to rounding must still reach q = 0.9 at the right point.
    first = np.argmax(cumulative >= q * cumulative[:, -1:] - 1e-12, axis=1)
    return values[np.arange(len(values)), first]


def round_values(model: Any) -> dict[tuple[str, str], np.ndarray]:
    """The trajectory's quantities after the round just played: ``(quantity, actor) -> array (runs,)``.

    Args:
        model: A :class:`~sim.model.model.NegotiationModel` between two rounds.

    Returns:
        Every quantity of :data:`QUANTITIES` (``true_drift`` only if the scenario has a front), party
        quantities keyed by the party's actor id, the others by :data:`NO_ACTOR`; ``status`` is the
        outcome code of :data:`sim.model.events.OUTCOMES` (0 while talking).
    """
    talks = model.talks
    values: dict[tuple[str, str], np.ndarray] = {}
    for k, party in enumerate(model.parties):
        grid, weights = talks.resolve_grid[k], talks.resolve_weights[k]
        aid = party.actor_id
        values[("drift_belief", aid)] = party.belief
        values[("resolve_belief_mean", aid)] = np.sum(grid * weights, axis=1)
        values[("resolve_belief_low", aid)] = belief_quantile(grid, weights, LOW)
        values[("resolve_belief_high", aid)] = belief_quantile(grid, weights, HIGH)
        values[("true_resolve", aid)] = party.resolve
        values[("outside_option", aid)] = party.outside_option
        values[("stock_used", aid)] = party.used_share
        values[("acceptance_chance", aid)] = talks.chances[:, k]
    values[("zone_estimated", NO_ACTOR)] = talks.estimated_zone
    values[("zone_true", NO_ACTOR)] = talks.true_zone
    values[("front", NO_ACTOR)] = model.front.taken
    if model.scenario.spec.front is not None:
        values[("true_drift", NO_ACTOR)] = model.params.tree.front.drift
    values[("status", NO_ACTOR)] = model.state.status
    runs = model.runs
    return {key: np.broadcast_to(np.asarray(v, dtype=float), (runs,)).copy() for key, v in values.items()}

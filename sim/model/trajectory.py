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

from .. import mechanisms as mech

__all__ = ["NO_ACTOR", "PARTY_QUANTITIES", "QUANTITIES", "RUN_QUANTITIES", "round_values"]

#: The actor of a quantity that belongs to the whole run (the front, the zones, the status).
NO_ACTOR = "-"

#: Quantities recorded once per party (and veto player), in the order of the table.
PARTY_QUANTITIES: tuple[str, ...] = (
    "drift_belief", "resolve_belief_mean", "resolve_belief_low", "resolve_belief_high", "true_resolve",
    "outside_option", "stock_used", "acceptance_chance",
)
#: Quantities recorded once per run (actor ``-``); ``true_drift`` only in scenarios with a front,
#: ``agenda_items_closed`` only in scenarios with an agenda.
RUN_QUANTITIES: tuple[str, ...] = ("zone_estimated", "zone_true", "front", "true_drift", "agenda_items_closed", "status")
#: Every quantity of the trajectory table.
QUANTITIES: tuple[str, ...] = PARTY_QUANTITIES + RUN_QUANTITIES

#: The mediators' belief band: its 10th and 90th percentiles.
LOW, HIGH = 0.1, 0.9

#: Quantiles averaged for the mean of the mediators' belief.
MEAN_POINTS = 32


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
        prior, tilt = talks.resolve_prior[k], talks.resolve_tilt[k]
        low, high = talks.in_prior_units(k, talks.resolve_low[k]), talks.in_prior_units(k, talks.resolve_high[k])
        centre, width = talks.prior_centre[k], party.resolve_prior_width
        # The mean of the restricted prior, from its quantiles at the midpoints of equal slices.
        mids = (np.arange(MEAN_POINTS) + 0.5) / MEAN_POINTS
        aid = party.actor_id
        values[("drift_belief", aid)] = party.belief
        quantiles = mech.interval_quantile(prior, low[:, None], high[:, None], mids[None, :], tilt[:, None])
        values[("resolve_belief_mean", aid)] = mech.unwidened(quantiles, centre, width).mean(axis=1)
        values[("resolve_belief_low", aid)] = mech.unwidened(mech.interval_quantile(prior, low, high, LOW, tilt), centre, width)
        values[("resolve_belief_high", aid)] = mech.unwidened(mech.interval_quantile(prior, low, high, HIGH, tilt), centre, width)
        values[("true_resolve", aid)] = party.resolve
        values[("outside_option", aid)] = party.outside_option
        values[("stock_used", aid)] = party.used_share
        values[("acceptance_chance", aid)] = talks.chances[:, k]
    values[("zone_estimated", NO_ACTOR)] = talks.estimated_zone
    values[("zone_true", NO_ACTOR)] = talks.true_zone
    values[("front", NO_ACTOR)] = model.front.taken
    if model.scenario.spec.front is not None:
        values[("true_drift", NO_ACTOR)] = model.params.tree.front.drift
    if talks.agenda.active:
        values[("agenda_items_closed", NO_ACTOR)] = talks.agenda.item
    values[("status", NO_ACTOR)] = model.state.status
    runs = model.runs
    return {key: np.broadcast_to(np.asarray(v, dtype=float), (runs,)).copy() for key, v in values.items()}

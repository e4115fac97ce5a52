"""The model's record columns, gathered from the arenas in the order :mod:`sim.record` names them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from .events import DEAL, MILITARY_END, OUTCOMES

#: How a run stands at its end: a deal standing, the war going on (or stopped at the horizon), or a
#: military end.
FINAL_STATES = ("war", "peace", "military_end")


def final_state(status: np.ndarray) -> np.ndarray:
    """Index into :data:`FINAL_STATES` of each run's status at its end."""
    return np.where(status == DEAL, 1, np.where(status == MILITARY_END, 2, 0))

__all__ = ["institution_columns", "ratification_columns", "record_columns"]


def record_columns(model: Any) -> dict[str, np.ndarray]:
    """One column per field of the run record, one entry per run, for a finished model."""
    talks, coalition = model.talks, model.coalition
    cols: dict[str, np.ndarray] = {
        "outcome": np.array(OUTCOMES, dtype=object)[model.state.first_status],
        "deal_round": talks.ceasefire_round,
        "deal_kind": talks.armistice.kind,
        "settlement_round": talks.armistice.settlement_round,
        "talks_end_round": model.state.talks_end_round,
    }
    for d, issue in enumerate(model.issues):
        cols[f"terms_{issue}"] = talks.terms[:, d]
    cols.update({
        "territory_effective": talks.territory_effective,
        "withdrawal": talks.withdrawal,
        "guarantees_effective": coalition.guarantees_effective,
        "deterrence_effective": coalition.deterrence_effective,
        "force_consented": coalition.deployment_consented,
        "force_deployed": coalition.deployed,
        "force_troops": coalition.deployment_troops,
        "force_contributors": coalition.contributors,
        "force_type": coalition.force_type,
        "deal_held": model.durability.held,
        "relapse_round": model.durability.relapse_round,
        "deal_duration_rounds": model.durability.duration,
        "relapse_hazard": model.durability.first_hazard,
        "window_rounds": model.window.astype(float),
        "relapses": model.durability.relapses,
        "second_deal_round": talks.second_round,
        "final_state": np.array(FINAL_STATES, dtype=object)[final_state(model.state.status)],
        "shocks": model.shocks.fired.sum(axis=1),
        "breakdown_cause": model.state.first_cause,
        "zopa_rounds": talks.zopa_rounds,
        "suspensions": talks.suspensions,
        "leverage": talks.leverage,
        "front_final": model.front.taken,
    })
    for target, index in model.economy.sanctions.items():
        cols[f"sanctions_final_{target}"] = index
    cols.update(institution_columns(model.councils))
    cols.update(ratification_columns(model))
    for path, values in model.params.drawn.items():
        cols[path] = values
    return cols


def institution_columns(councils: Mapping[str, Any]) -> dict[str, np.ndarray]:
    """Per measure M of each council: ``measure_<M>_passed`` and ``measure_<M>_round``; then per council C,
    ``council_<C>_votes_against``."""
    cols: dict[str, np.ndarray] = {}
    for cid, council in councils.items():
        for m, mid in enumerate(council.measures):
            cols[f"measure_{mid}_passed"] = council.adopted[:, m]
            cols[f"measure_{mid}_round"] = council.adopted_round[:, m].copy()
        for m, mid in enumerate(council.measures):  # a measure that may lapse: whether it is in force at the end
            if council.p.measures[mid].spec.renew_every is not None:
                cols[f"measure_{mid}_in_force"] = council.in_force[:, m].copy()
        cols[f"council_{cid}_votes_against"] = council.votes_against
    return cols


def ratification_columns(model: Any) -> dict[str, np.ndarray]:
    """Per voting body of each party, the deals put to it and those it voted down (none without such bodies)."""
    return model.talks.ratification.columns()

"""The model's record columns, gathered from the arenas in the order :mod:`sim.record` names them."""

from __future__ import annotations

from typing import Any

import numpy as np

from .events import OUTCOMES

__all__ = ["record_columns"]


def record_columns(model: Any) -> dict[str, np.ndarray]:
    """One column per field of the run record, one entry per run, for a finished model."""
    talks, council, coalition, runs = model.talks, model.council, model.coalition, model.runs
    sanctions, loans = council.of_kind("sanctions"), council.of_kind("loan")
    cols: dict[str, np.ndarray] = {
        "outcome": np.array(OUTCOMES, dtype=object)[model.state.status],
        "ceasefire_round": talks.ceasefire_round,
    }
    for d, issue in enumerate(model.issues):
        cols[f"terms_{issue}"] = talks.terms[:, d]
    cols.update({
        "territory_effective": talks.territory_effective,
        "withdrawal": talks.withdrawal,
        "guarantees_effective": coalition.guarantees_effective,
        "deterrence_effective": coalition.deterrence_effective,
        "deployment_consented": coalition.deployment_consented,
        "deployment": coalition.deployed,
        "deployment_troops": coalition.deployment_troops,
        "contributors": coalition.contributors,
        "ceasefire_held": model.durability.held,
        "relapse_round": model.durability.relapse_round,
        "sanctions_packages_passed": council.adopted[:, sanctions].sum(axis=1) if sanctions else np.zeros(runs, int),
        "sanctions_round": council.first_round("sanctions"),
        "loan_approved": council.adopted[:, loans].any(axis=1) if loans else np.zeros(runs, bool),
        "loan_round": council.first_round("loan"),
        "vetoes": council.vetoes,
        "shocks": model.shocks.fired.sum(axis=1),
        "breakdown_cause": model.state.cause,
        "zopa_rounds": talks.zopa_rounds,
        "suspensions": talks.suspensions,
        "leverage": talks.leverage,
        "front_final": model.front.taken,
        "sanctions_final": model.economy.sanctions,
    })
    for path, values in model.params.drawn.items():
        cols[path] = values
    return cols

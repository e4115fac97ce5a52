"""The model's record columns, gathered from the arenas in the order :mod:`sim.record` names them."""

from __future__ import annotations

from typing import Any

import numpy as np

from .events import OUTCOMES

__all__ = ["record_columns"]


def record_columns(model: Any) -> dict[str, np.ndarray]:
    """One column per field of the run record, one entry per run, for a finished model."""
    talks, coalition, runs = model.talks, model.coalition, model.runs
    councils = list(model.councils.values())

    def adopted(kind: str) -> np.ndarray:
        cols = [c.adopted[:, m] for c in councils for m, mid in enumerate(c.measures)
                if getattr(c.p.measures[mid].effects, kind)]
        return np.stack(cols, axis=-1) if cols else np.zeros((runs, 0), bool)

    def first(kind: str) -> np.ndarray:
        rounds = [c.adopted_round[:, m] for c in councils for m, mid in enumerate(c.measures)
                  if getattr(c.p.measures[mid].effects, kind)]
        if not rounds:
            return np.full(runs, np.nan)
        best = np.min(np.where(np.isnan(np.stack(rounds, -1)), np.inf, np.stack(rounds, -1)), axis=1)
        return np.where(np.isinf(best), np.nan, best)
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
        "sanctions_packages_passed": adopted("sanctions").sum(axis=1),
        "sanctions_round": first("sanctions"),
        "loan_approved": adopted("funding").any(axis=1),
        "loan_round": first("funding"),
        "vetoes": sum((c.votes_against for c in councils), np.zeros(runs, np.int64)),
        "shocks": model.shocks.fired.sum(axis=1),
        "breakdown_cause": model.state.cause,
        "zopa_rounds": talks.zopa_rounds,
        "suspensions": talks.suspensions,
        "leverage": talks.leverage,
        "front_final": model.front.taken,
        "sanctions_final": next(iter(model.economy.sanctions.values()), np.zeros(runs)),
    })
    for c in councils:  # a measure that may lapse: whether it is in force at the end
        for m, mid in enumerate(c.measures):
            if c.p.measures[mid].spec.renew_every is not None:
                cols[f"measure_{mid}_in_force"] = c.in_force[:, m].copy()
    for path, values in model.params.drawn.items():
        cols[path] = values
    return cols

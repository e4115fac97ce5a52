"""Small hand-made scenarios with known answers, built in code for the model's tests."""

from __future__ import annotations

import copy
from typing import Any

from sim import Scenario
from sim.scenario import deep_merge


def tiny_data(**overlay: Any) -> dict[str, Any]:
    """Two parties and a mediator bargaining over one issue, deterministic acceptance; no aftermath
    window (a run ends at the horizon) unless the overlay gives one."""
    data: dict[str, Any] = {
        "name": "tiny",
        "horizon": {"rounds": 6},
        "issues": {"split": {"low": "all to a", "high": "all to b"}},
        "actors": {
            "a": {"name": "A", "roles": ["party"], "position": {"split": 0.4}, "salience": {"split": 1.0}},
            "b": {"name": "B", "roles": ["party"], "position": {"split": 0.6}, "salience": {"split": 1.0}},
            "m": {"name": "M", "roles": ["mediator"], "position": {"split": 0.5}, "salience": {"split": 1.0}},
        },
        "institutions": {"talks": {"mediators": ["m"], "parties": ["a", "b"]}},
        "durability": {"window_years": 0},
    }
    return deep_merge(data, copy.deepcopy(overlay))


def tiny(**overlay: Any) -> Scenario:
    """The tiny scenario, validated, with an overlay merged in."""
    return Scenario.from_dict(tiny_data(**overlay))

"""Toy scenarios whose sensitivity is known by construction, for the sensitivity and discovery tests.

``decisive()``: the tiny two-party scenario (tests/tiny.py) with deterministic acceptance and a
mediator that knows the parties' outside options exactly. Party a's best deal is its own position
(deal value 1.0) against an outside option of 0.4, so it accepts some terms only if its hold-out is
below ``CUT`` = 1.0 - 0.4 = 0.6 (measured: 0.5985 +- 0.001, as the mediator's best proposal for a lands a
hair off its ideal point): ``actors.a.party.hold_out`` ~ uniform(0.2, 0.8) alone decides whether there is
a ceasefire (in round 0). ``durability.base_hazard_per_year`` ~ uniform(0.1, 0.3) only
acts on a ceasefire once agreed, so it cannot change whether one is agreed.
"""

from __future__ import annotations

from tiny import tiny

from sim import Scenario

DECIDING = "actors.a.party.hold_out"
IRRELEVANT = "durability.base_hazard_per_year"
CUT = 0.6


def decisive() -> Scenario:
    """The toy scenario: one deciding parameter (a's hold-out), one irrelevant one."""
    return tiny(actors={"a": {"party": {"hold_out": {"uniform": [0.2, 0.8]}}}},
                durability={"base_hazard_per_year": {"uniform": [0.1, 0.3]}})


def fixed() -> Scenario:
    """The tiny scenario with no distributions at all."""
    return tiny()

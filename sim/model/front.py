"""The front: fighting moves it, and the two sides learn how the war goes from what they see."""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import mechanisms as mech
from ..streams import RunStreams
from .events import EventSink

__all__ = ["Front"]

#: Rounds a party projects the war ahead when the scenario has no front.
DEFAULT_PROJECTION = 26.0


class Front:
    """Share of the contested area taken (per run), with the attacker's and defender's beliefs.

    Args:
        params: The run's typed parameters (the scenario's ``front`` block, or None without a front).
        issues: Issue ids, in the model's order.
        attacker, defender: The two party agents (None without a front).
        streams: The runs' random streams (it draws ``front:noise``).
        sink: Where the story goes.
    """

    def __init__(self, params: Any, issues: list[str], attacker: Any, defender: Any, streams: RunStreams,
                 sink: EventSink):
        self.p = params
        self.sink = sink
        runs = len(streams.seeds)
        self.attacker, self.defender = attacker, defender
        self.issue = issues.index(params.spec.issue) if params is not None else None
        """Index of the issue whose effective term the front changes (None without a front)."""
        self.taken = np.zeros(runs)
        if params is None:
            self.projection = np.full(runs, DEFAULT_PROJECTION)
            return
        k = params.decisiveness
        a0, d0 = params.attacker_strength, params.defender_strength
        self.baseline_share = a0 ** k / (a0 ** k + d0 ** k)
        for party in (attacker, defender):
            party.belief = params.drift * (1 + party.optimism)
        self.projection = np.round(params.projection_rounds)
        self.draws = {"noise": streams.normal("front:noise")}

    def step(self, t: int, fighting: np.ndarray, sanctions_felt: np.ndarray) -> None:
        """A round of fighting in the runs of the mask ``fighting``; both sides update their beliefs."""
        if self.p is None:
            return
        p, att, dfd = self.p, self.attacker, self.defender
        attacker = p.attacker_strength * att.strength_factor * (1 - p.sanctions_erosion * sanctions_felt)
        defender = p.defender_strength * dfd.strength_factor * dfd.funding * (1 + dfd.aid)
        expected = mech.front_advance(p.drift, attacker, defender, p.decisiveness, self.baseline_share, self.taken,
                                      p.fortified_at, p.fortification)
        advance = expected + p.noise * self.draws["noise"][:, t]
        before = self.taken
        self.taken = np.where(fighting, np.clip(self.taken + advance, 0, 1), self.taken)
        observed = self.taken - before
        for party in (att, dfd):
            party.belief = np.where(fighting, party.belief + p.belief_learning * (observed - party.belief), party.belief)

    def jump(self, runs: np.ndarray, jump: np.ndarray) -> None:
        """A shock moves the front at once by ``jump`` (share of the contested area) in the runs of the mask."""
        self.taken = np.where(runs, np.clip(self.taken + jump, 0, 1), self.taken)
        self.sink.log(runs, "-", "front jumps", lambda i: f"{jump[i]:+.3f} of the contested area")

    def expected_line(self, belief: np.ndarray) -> np.ndarray:
        """Where a party with this belief about the drift expects the front after its projection."""
        return np.minimum(1.0, self.taken + self.projection * np.maximum(belief, 0))

"""Sanctions and funding: what the war costs each party, round by round."""

from __future__ import annotations

from typing import Any

import numpy as np

from .events import EventSink

__all__ = ["Economy"]


class Economy:
    """The sanctions index (and the part of it felt so far) and each party's funding and war cost.

    Args:
        params: The scenario's ``sanctions`` block of the run's typed parameters.
        parties: The party agents (their funding and cost state lives on them).
        sink: Where the story goes.
    """

    def __init__(self, params: Any, parties: list[Any], sink: EventSink):
        self.p = params
        self.parties = parties
        self.sink = sink
        self.sanctions = params.start.copy()
        self.sanctions_felt = self.sanctions.copy()
        self._update_costs()

    def _update_costs(self) -> None:
        for party in self.parties:
            party.update_costs(self.sanctions)

    def step(self, t: int, fighting: np.ndarray, live: np.ndarray) -> None:
        """A round: funding runs down, sanctions decay and are felt with a lag, costs follow."""
        for party in self.parties:
            if party.spec.party and party.spec.party.funding:
                party.pay_for_war(live, fighting, self.sink)
        decayed = np.clip((1 - self.p.decay) * self.sanctions, 0, 1)
        self.sanctions = np.where(live, decayed, self.sanctions)
        felt = self.sanctions_felt + (self.sanctions - self.sanctions_felt) / self.p.lag_rounds
        self.sanctions_felt = np.where(live, felt, self.sanctions_felt)
        self._update_costs()

    def add_sanctions(self, runs: np.ndarray | None, by: np.ndarray) -> None:
        """Raise (or lower) the sanctions index by ``by``, in the runs of the mask (all runs if None)."""
        raised = np.clip(self.sanctions + by, 0, 1)
        self.sanctions = raised if runs is None else np.where(runs, raised, self.sanctions)

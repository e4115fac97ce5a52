"""Sanctions and money: the sanctions index on each target, funding runways, and what the war costs each party."""

from __future__ import annotations

from typing import Any

import numpy as np

from .events import EventSink
from .front import WarEffort

__all__ = ["Economy"]


class Economy:
    """The sanctions index on each target (and the part of it felt so far), funding, and the parties' war costs.

    Args:
        params: The scenario's ``sanctions`` block of the run's typed parameters (target id -> index block).
        judges: The agents whose war cost changes with sanctions and funding (parties and veto players).
        efforts: The war efforts on the front, by actor id (their funding runs down here).
        sink: Where the story goes.
    """

    def __init__(self, params: dict[str, Any], judges: list[Any], efforts: dict[str, WarEffort], sink: EventSink):
        self.p = params
        self.judges = judges
        self.efforts = efforts
        self.sink = sink
        self.sanctions = {target: block.start.copy() for target, block in params.items()}
        """The sanctions index on each target, per run."""
        self.felt = {target: index.copy() for target, index in self.sanctions.items()}
        """The part of each index felt so far (it follows the index with a lag)."""
        self._update_costs()

    def _update_costs(self) -> None:
        for judge in self.judges:
            index = self.sanctions.get(judge.actor_id)
            judge.update_costs(index if index is not None else 0.0)

    def step(self, t: int, fighting: np.ndarray, live: np.ndarray) -> None:
        """A round: funding runs down, sanctions decay and are felt with a lag, costs follow."""
        for effort in self.efforts.values():
            effort.pay_for_war(live, fighting, self.sink)
        for target, block in self.p.items():
            decayed = np.clip((1 - block.decay) * self.sanctions[target], 0, 1)
            self.sanctions[target] = np.where(live, decayed, self.sanctions[target])
            felt = self.felt[target] + (self.sanctions[target] - self.felt[target]) / block.lag_rounds
            self.felt[target] = np.where(live, felt, self.felt[target])
        self._update_costs()

    def add_sanctions(self, target: str, runs: np.ndarray | None, by: np.ndarray) -> np.ndarray:
        """Raise (or, negative, lift) the index on ``target`` by ``by``, in the runs of the mask (all if None).

        Returns the change per run after clipping to 0-1, which is what undoing it must take away.
        """
        before = self.sanctions[target]
        raised = np.clip(before + by, 0, 1)
        self.sanctions[target] = raised if runs is None else np.where(runs, raised, before)
        return self.sanctions[target] - before

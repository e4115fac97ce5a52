"""The parties' values of fighting on, computed once a round in the runs that need them.

A party's value of fighting on projects its war to the end state its stocks and the front allow
(:meth:`sim.model.party.Party.value_of_fighting`); the talks, the settlement talks under an armistice
and the trajectory read it. It is computed at the first need of a round, for the runs in need only:
the talking ones (suspended talks included, which the trajectory records) and those settling an
armistice. A run's value never depends on the other runs of its batch, so computing it for some
runs gives the numbers computing it for all would; the other runs keep their last value, which
nothing reads. Once most runs of a batch have a deal, this was a tenth of a round's time for
the few still talking.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .subset import take

__all__ = ["OutsideOptions", "compute"]

#: What :func:`compute` sets on each party, per run.
SET_ON_PARTIES = ("fight_utility", "fight_costs", "outside_option", "no_deal_terms")


class OutsideOptions:
    """When the values of fighting on were last computed, and in which runs of that round."""

    def __init__(self, runs: int):
        self.round = -1
        self.known = np.zeros(runs, bool)

    def now(self, talks: Any, t: int, runs: np.ndarray, copy: Any = None, every_run: bool = False) -> None:
        """The values as of round ``t`` in the runs of the mask, each run once a round (nothing changes them
        within it). ``copy``, the round's copy of the talks on exactly those runs (:func:`take`), computes
        them there and hands them back; ``every_run`` computes the whole batch in one go (the reference)."""
        if self.round != t:
            self.round, self.known = t, np.zeros(len(runs), bool)
        todo = runs & ~self.known
        if not todo.any():
            return
        first = not self.known.any()
        self.known = self.known | todo
        if every_run or todo.all():
            compute(talks)
            return
        rows = np.flatnonzero(todo)
        on = copy if copy is not None and first else take(talks, rows, talks.runs)
        compute(on)
        for party, taken in zip(talks.parties, on.parties, strict=True):
            for name in SET_ON_PARTIES:
                old = getattr(party, name, None)
                new = np.zeros((talks.runs, *getattr(taken, name).shape[1:])) if old is None else old.copy()
                new[rows] = getattr(taken, name)
                setattr(party, name, new)  # a new array: what was read before stays as it was


def compute(talks: Any) -> None:
    """Each party's value of fighting on to the end states it projects (set on the party), and the
    mediators' view of it for every resolve they think possible, in every run of ``talks``."""
    runs, issues = talks.runs, len(talks.issues)
    no_deal = np.broadcast_to(talks.status_quo, (runs, issues))
    front = talks.views.front
    sides = front.p.spec if front.issue is not None else None
    left = {side: np.minimum.reduce([np.full(runs, np.inf), *(party.rounds_left() for party in talks.parties
                                                              if sides and party.actor_id in getattr(sides, side))])
            for side in ("attacker", "defender")}
    for party in talks.parties:
        nd = no_deal.copy()
        if front.issue is None:
            ends = np.broadcast_to(no_deal[:, None, :], (runs, 1, issues))
            party.drift_weights = np.ones((runs, 1))
            party.value_of_fighting(ends, front.projection[:, None])
        else:
            line, rounds = front.end_states(party, left["attacker"], left["defender"])
            ends = np.repeat(no_deal[:, None, :], line.shape[1], axis=1)
            ends[..., front.issue] = line
            party.value_of_fighting(ends, rounds)
            nd[:, front.issue] = np.sum(party.drift_weights * line, axis=1)
        party.no_deal_terms = nd

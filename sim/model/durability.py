"""Durability: the yearly relapse hazard of a deal, and the aftermath window in which it may break down.

A deal stands from its round for ``durability.window_years``; each later round of the window it breaks
down with the per-round chance of its yearly hazard (a constant hazard per deal: the hazard is set
by the terms, the force that deployed and the pressure used, at the deal), raised for a while by
shocks of the aftermath, or at once by a violation (a shock that breaks it). A breakdown restarts
the war and the talks (the model does that); a second deal gets a window of its own, cut off by the
end of the run. The first deal's record says whether it held through its window, when it broke
down and how long it stood.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import mechanisms as mech
from ..streams import RunStreams
from .events import EventSink

__all__ = ["Durability"]


class Durability:
    """The relapse hazard (as the parties judge it, and as it plays out after a deal).

    Args:
        params: The scenario's ``durability`` block of the typed parameters.
        window: Rounds of each run's aftermath window; round_weeks: weeks per round (per run).
        streams: The runs' random streams (it draws ``durability:relapse``).
        sink: Where the story goes.
    """

    def __init__(self, params: Any, window: np.ndarray, round_weeks: np.ndarray, streams: RunStreams,
                 sink: EventSink):
        self.p = params
        self.window = window
        self.round_weeks = round_weeks
        self.sink = sink
        runs = len(streams.seeds)
        self.held = np.full(runs, np.nan)
        """1 if the first deal held through its window, 0 if it broke down, NaN without a deal."""
        self.relapse_round = np.full(runs, np.nan)
        """Round the first deal broke down."""
        self.duration = np.full(runs, np.nan)
        """Rounds the first deal stood: to its breakdown, or its window's length if it held."""
        self.relapses = np.zeros(runs, dtype=np.int64)
        self.first_hazard = np.full(runs, np.nan)
        """Yearly relapse hazard of the first deal as set at the deal (before any shock of the aftermath)."""
        self.hazard_now = np.zeros(runs)
        """Yearly hazard of the deal standing in each run, as set at the deal."""
        self.crisis = np.ones(runs)
        """Factor on that hazard from shocks of the aftermath while they last."""
        self.since = np.full(runs, -1, dtype=np.int64)
        """Round of the deal standing in each run (-1: none)."""
        self.first = np.full(runs, -1, dtype=np.int64)
        """Round of the first deal (-1: none yet)."""
        self.draws = {"relapse": streams.uniform("durability:relapse")}

    def hazard(self, guarantees: np.ndarray, deterrent: np.ndarray, withdrawal: np.ndarray, unconsented: np.ndarray,
               leverage: np.ndarray) -> np.ndarray:
        """Yearly relapse hazard for terms per run, or per run and candidate (the last axes broadcast)."""
        p = self.p

        def per_run(a: np.ndarray) -> np.ndarray:
            return a if guarantees.ndim == 1 else a[:, None]
        return mech.relapse_hazard(
            per_run(p.base_hazard_per_year), guarantees, deterrent, withdrawal, unconsented, per_run(leverage),
            guarantees_effect=per_run(p.guarantees_effect), deterrence_effect=per_run(p.deterrence_effect),
            withdrawal_effect=per_run(p.withdrawal_effect), unconsented_effect=per_run(p.unconsented_effect),
            leverage_effect=per_run(p.leverage_effect))

    def judged_risk(self, hazard: np.ndarray) -> np.ndarray:
        """Chance, as a guarantee-judging party weighs it, that the war resumes within its judging window."""
        return 1 - np.exp(-self.p.judged_over_years[:, None] * hazard)

    def begin(self, t: int, agreed: np.ndarray, hazard: np.ndarray) -> None:
        """A deal agreed in round ``t`` in the runs of the mask starts its aftermath window."""
        self.since = np.where(agreed, t, self.since)
        self.hazard_now = np.where(agreed, hazard, self.hazard_now)
        first = agreed & (self.first < 0)
        self.first = np.where(first, t, self.first)
        self.first_hazard[first] = hazard[first]
        # A window of no rounds: nothing can break the deal (durability is not simulated).
        none = first & (self.window <= 0)
        self.held[none], self.duration[none] = 1.0, 0.0
        if self.sink.enabled:
            for i in np.flatnonzero(agreed):
                self.sink.add(i, t, "-", "aftermath", f"the {self.sink.words['deal']} must hold for "
                              f"{int(self.window[i])} rounds (yearly relapse hazard {hazard[i]:.3f})",
                              {"hazard_per_year": float(hazard[i])})

    def in_window(self, t: int, standing: np.ndarray) -> np.ndarray:
        """Runs of the mask ``standing`` (a deal stands) whose deal is still in its aftermath window at ``t``."""
        return standing & (self.since >= 0) & (t <= self.since + self.window)

    def step(self, t: int, standing: np.ndarray, violated: np.ndarray) -> np.ndarray:
        """A round of the aftermath: returns the runs whose deal breaks down now (drawn, or ``violated``).

        ``standing`` is where a deal stands; a deal agreed in round s is at risk in rounds s+1 .. s+window.
        """
        window = self.in_window(t, standing)
        at_risk = window & (t > self.since)
        per_round = 1 - np.exp(-self.hazard_now * self.crisis * self.round_weeks / 52.0)
        breaks = at_risk & ((self.draws["relapse"][:, t] < per_round) | violated)
        first = self.since == self.first
        if breaks.any():
            newly = breaks & first & np.isnan(self.relapse_round)
            self.relapse_round[newly] = t
            self.held[newly] = 0.0
            self.duration[newly] = (t - self.since)[newly]
            self.relapses += breaks
            self.since = np.where(breaks, -1, self.since)
            self.sink.log(breaks, "-", "relapse", f"the {self.sink.words['deal']} breaks down: the war and the talks resume")
        # The first deal's window ends this round without a breakdown: it held.
        through = at_risk & ~breaks & first & (t == self.since + self.window)
        if through.any():
            self.held[through] = 1.0
            self.duration[through] = self.window[through]
            self.sink.log(through, "-", f"{self.sink.words['deal']} holds",
                          lambda i: f"through its aftermath window (yearly relapse hazard {self.hazard_now[i]:.3f})")
        return breaks

    def raise_hazard(self, runs: np.ndarray, factor: np.ndarray) -> None:
        """A shock of the aftermath multiplies the standing deal's hazard (divide by it to undo)."""
        self.crisis = np.where(runs, self.crisis * factor, self.crisis)

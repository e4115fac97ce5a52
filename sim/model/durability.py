"""Durability: the yearly relapse hazard of a ceasefire and whether it holds to the horizon."""

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
        horizon: Rounds of each run; round_weeks: weeks per round (per run).
        streams: The runs' random streams (it draws ``durability:relapse``).
        sink: Where the story goes.
    """

    def __init__(self, params: Any, horizon: np.ndarray, round_weeks: np.ndarray, streams: RunStreams,
                 sink: EventSink):
        self.p = params
        self.horizon = horizon
        self.round_weeks = round_weeks
        self.max_rounds = streams.rounds
        self.sink = sink
        runs = len(streams.seeds)
        self.held = np.full(runs, np.nan)
        self.relapse_round = np.full(runs, np.nan)
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

    def endure(self, t: int, agreed: np.ndarray, hazard: np.ndarray) -> None:
        """Draw, for the runs agreed in round ``t``, the round of relapse before the horizon (if any)."""
        per_round = 1 - np.exp(-hazard * self.round_weeks / 52.0)
        later = np.arange(self.max_rounds)[None, :]
        at_risk = (later > t) & (later < self.horizon[:, None])
        breaks = at_risk & (self.draws["relapse"] < per_round[:, None])
        first = np.where(breaks.any(axis=1), np.argmax(breaks, axis=1), -1)
        self.relapse_round[agreed] = np.where(first >= 0, first, np.nan)[agreed]
        self.held[agreed] = (first < 0)[agreed]
        if self.sink.enabled:
            for i in np.flatnonzero(agreed):
                if first[i] >= 0:
                    self.sink.add(i, first[i], "-", "relapse", f"the {self.sink.words['deal']} breaks down",
                                  {"hazard_per_year": float(hazard[i])})
                else:
                    self.sink.add(i, int(self.horizon[i]) - 1, "-", f"{self.sink.words['deal']} holds",
                                  f"to the horizon (yearly relapse hazard {hazard[i]:.3f})",
                                  {"hazard_per_year": float(hazard[i])})

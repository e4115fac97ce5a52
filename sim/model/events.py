"""The run state every arena shares (status per run, its cause), the outcome codes and the event sink.

These sit below the arenas: an arena receives them in its constructor and never imports the model.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

__all__ = ["COLLAPSE", "DEAL", "MILITARY_END", "NO_DEAL", "OUTCOMES", "TALKING", "Event", "EventSink", "RunState"]

#: Outcome codes, the same for every scenario (a scenario's own words for them are display labels):
#: ``talking`` (internal: the talks go on), ``deal`` (the parties agreed), ``collapse`` (the talks broke
#: off), ``no_deal`` (the horizon was reached in talks) and ``military_end`` (a side's war effort is
#: exhausted, or the attacker holds the whole contested area).
OUTCOMES = ("talking", "deal", "collapse", "no_deal", "military_end")
TALKING, DEAL, COLLAPSE, NO_DEAL, MILITARY_END = range(5)


@dataclass(frozen=True)
class Event:
    """One line of a run's story: who did what, in words, and the numbers of the decision behind it."""

    run: int
    round: int
    actor: str
    event: str
    detail: str
    data: Mapping[str, Any] = field(default_factory=dict, compare=False)
    """The decision's numbers (a party's deal value and outside option, a guarantor's failed
    condition, ...), as the decision computed them; ``detail`` words them."""


class EventSink:
    """Collects the story of each run, if it is kept; otherwise every call returns at once."""

    def __init__(self, enabled: bool):
        self.enabled = enabled
        self.events: list[Event] = []
        self.round = 0
        self.told_proposal: dict[int, np.ndarray] = {}
        """The last proposal told in each run (the story says "proposes again" for a repeat)."""
        self.words = {"deal": "deal", "force": "force"}
        """The scenario's words for a deal and for the coalition's force (its ``labels``), used by the story."""

    def log(self, runs: np.ndarray, actor: str, event: str, detail: str | Callable[[int], str]) -> None:
        """Add an event for every run in the boolean mask ``runs``.

        ``detail`` is text, or a function of the run index (only called when the story is kept).
        """
        if not self.enabled:
            return
        for i in np.flatnonzero(runs):
            text = detail if isinstance(detail, str) else detail(int(i))
            self.events.append(Event(int(i), self.round, actor, event, text))

    def add(self, run: int, round_: int, actor: str, event: str, detail: str,
            data: Mapping[str, Any] | None = None) -> None:
        """Add one event of one run at a given round, with the numbers of its decision."""
        self.events.append(Event(int(run), int(round_), actor, event, detail, dict(data or {})))


class RunState:
    """Where each run of the batch stands: talking or ended, and why it ended."""

    def __init__(self, runs: int, sink: EventSink):
        self.runs = runs
        self.sink = sink
        self.status = np.full(runs, TALKING, dtype=np.int8)
        self.cause = np.full(runs, "none", dtype=object)
        # Why the last round of talks failed: the cause recorded if the horizon ends the talks.
        self.last_failure = np.full(runs, "horizon", dtype=object)
        # The first talks' outcome stays the run's outcome when a deal later breaks down.
        self.first_status = np.full(runs, TALKING, dtype=np.int8)
        self.first_cause = np.full(runs, "none", dtype=object)
        self.talks_end_round = np.full(runs, np.nan)
        """Round the first talks ended: the deal, collapse or military end's round; the horizon for no deal."""

    def note_first_end(self, t: int) -> None:
        """Keep the outcome, cause and round of the first talks in the runs where they ended by now
        (``t`` is the round a deal, collapse or military end came in, or the horizon)."""
        ended = (self.first_status == TALKING) & (self.status != TALKING)
        if ended.any():
            self.first_status[ended] = self.status[ended]
            self.first_cause[ended] = self.cause[ended]
            self.talks_end_round[ended] = np.where(self.status[ended] == NO_DEAL, t + 1, t)

    def talking(self) -> np.ndarray:
        """Runs whose talks go on."""
        return self.status == TALKING

    def end(self, mask: np.ndarray, status: int, cause: str, detail: str) -> None:
        """End the talks of the runs in ``mask`` with an outcome and its cause."""
        if not mask.any():
            return
        self.status[mask] = status
        self.cause[mask] = cause
        self.sink.log(mask, "-", OUTCOMES[status], detail)

"""Shocks: events that fire by chance, on a round, or on a condition, and change the other arenas.

A shock acts only through the public changes each arena offers (a suspension of the talks, a jump of
the front, a shifted position, ...), handed in by the model as :class:`ShockTargets`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..streams import RunStreams
from .events import COLLAPSE, EventSink, RunState

__all__ = ["ShockTargets", "Shocks"]


@dataclass(frozen=True)
class ShockTargets:
    """What a shock can change: the arenas' public changes and the agents they act on."""

    talks: Any
    front: Any
    changes: Any
    """Sanctions, funding, aid, war cost and strength (:class:`sim.model.changes.Changes`)."""
    coalition: Any
    parties: dict[str, Any]
    """Parties and veto players, by actor id."""
    mediators: dict[str, Any]
    backer: Any
    guarantors: list[Any]
    council_members: list[Any]
    issues: list[str]


class Shocks:
    """Every shock of the scenario: whether it fires in each run and round, and its effects.

    Args:
        params: The scenario's ``shocks`` block of the typed parameters (id -> block).
        targets: What the shocks change.
        state: The shared run state (a shock may end the talks).
        streams: The runs' random streams (``shock:<id>:fire``, ``shock:<id>:length``, ...).
        sink: Where the story goes.
    """

    def __init__(self, params: dict[str, Any], targets: ShockTargets, state: RunState, streams: RunStreams,
                 sink: EventSink):
        self.p = params
        self.targets = targets
        self.state = state
        self.sink = sink
        self.ids = list(params)
        self.fired = np.zeros((len(streams.seeds), len(self.ids)), dtype=np.int64)
        self.draws = {sid: {purpose: streams.uniform(f"shock:{sid}:{purpose}")
                            for purpose in ("fire", "suspend", "length", "front")} for sid in self.ids}

    def step(self, t: int, live: np.ndarray) -> None:
        """Fire each shock whose conditions hold and whose draw comes up, and apply its effects."""
        talks = self.targets.talks
        for k, sid in enumerate(self.ids):
            shock = self.p[sid]
            spec = shock.spec
            fires = self.draws[sid]["fire"][:, t] < shock.probability
            if spec.at_round is not None:
                fires |= np.round(shock.at_round) == t
            # A shock earlier in this round may have ended the talks of some runs.
            fires &= live & self.state.talking() & (talks.failed_rounds >= shock.after_failed_rounds)
            if spec.when_rejected_by:
                fires &= talks.rejected_by[:, self.targets.parties[spec.when_rejected_by].index]
            if spec.once:
                fires &= self.fired[:, k] == 0
            if not fires.any():
                continue
            self.fired[:, k] += fires
            self.sink.log(fires, "-", "shock", f"{sid}" + (f" ({spec.label})" if spec.label else ""))
            self._apply(t, sid, shock.effects, fires)

    def _apply(self, t: int, sid: str, eff: Any, m: np.ndarray) -> None:
        spec, d, to = eff.spec, self.draws[sid], self.targets
        if spec.suspend_talks:
            hit = m & (d["suspend"][:, t] < eff.suspend_talks.probability)
            lo, hi = spec.suspend_talks.rounds
            length = lo + np.floor(d["length"][:, t] * (hi - lo + 1)).astype(np.int64)
            to.talks.suspend(hit, t, length, sid)
        self._move_actors(eff, m)
        if spec.consent_thresholds or spec.backstop:
            to.coalition.invalidate_outlook()
        if spec.consent_thresholds:
            for g in to.guarantors:
                g.hesitate(m, eff.consent_thresholds)
            self.sink.log(m, "-", "coalition hesitates", "consent-conditional members raise their thresholds")
        if spec.front is not None:
            lo, hi = spec.front
            to.front.jump(m, lo + (hi - lo) * d["front"][:, t])
        to.changes.apply(m, eff)
        if spec.backstop:
            to.backer.change_backstop(m, eff.backstop)
        for aid in spec.grievance_ends:
            for member in to.council_members:
                if member.actor_id == aid:
                    member.settle_grievance(m)
        if spec.leverage:
            to.talks.add_leverage(m, eff.leverage)
        if spec.walkaway:
            self.state.end(m & self.state.talking(), COLLAPSE, "walkaway", f"the mediator walks away ({sid})")

    def _move_actors(self, eff: Any, m: np.ndarray) -> None:
        to = self.targets
        holders = {**to.parties, **to.mediators}
        for shift in eff.positions:
            holder = holders.get(shift.spec.actor)
            if holder is not None:
                holder.shift_position(m, to.issues.index(shift.spec.issue), shift.by)
                self.sink.log(m, shift.spec.actor, "position shifts",
                              f"{shift.spec.issue} ideal moves by {float(shift.by.mean()):+.2f}")
        for change in eff.red_lines:
            c = change.spec
            party = to.parties.get(c.actor)
            if party is not None:
                penalty = change.penalty if c.penalty is not None else None
                party.set_red_line(m, to.issues.index(c.issue), c.op, change.bound, c.hard, penalty, tighten=True)
                self.sink.log(m, c.actor, "red line hardens", f"now {c.issue} {c.op} {c.bound}")


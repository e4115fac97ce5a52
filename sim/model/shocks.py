"""Shocks: events that fire by chance, on a round, or on a condition, and change the other arenas.

A shock acts only through the public changes each arena offers (a suspension of the talks, a jump of
the front, a shifted position, ...), handed in by the model as :class:`ShockTargets`.

A shock with ``lasts_rounds: k`` is temporary: k rounds after it fires, what it changed is undone
(sanctions, funding, aid, war cost and strength through :class:`~sim.model.changes.Changes`; the
backstop, the consent thresholds and positions moved back by what they moved; red lines restored to
what they were), and it cannot fire again meanwhile. A front jump, a suspension, leverage, a walkaway
and a settled grievance are events, not states, and are not undone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..streams import RunStreams
from .changes import Applied
from .events import COLLAPSE, EventSink, RunState

__all__ = ["Held", "ShockTargets", "Shocks"]

#: How the story words a red-line change, by the way it may move.
RED_LINE_WORDS = {"tighten": "red line hardens", "loosen": "red line loosens", "either": "red line moves"}


@dataclass(frozen=True)
class ShockTargets:
    """What a shock can change: the arenas' public changes and the agents they act on."""

    talks: Any
    front: Any
    changes: Any
    """Sanctions, funding, aid, war cost and strength (:class:`sim.model.changes.Changes`)."""
    parties: dict[str, Any]
    """Parties and veto players, by actor id."""
    mediators: dict[str, Any]
    backer: Any
    """The agent whose backstop a shock moves (None without a coalition)."""
    guarantors: list[Any]
    council_members: list[Any]
    issues: list[str]
    durability: Any
    """The aftermath: a shock there may raise the standing deal's hazard for a while."""


class Held:
    """What a temporary shock changed, per run, while its effects last (so that they can be undone)."""

    def __init__(self, runs: int, effects: Any):
        self.changes = Applied(runs, effects)
        self.backstop = np.zeros(runs)
        self.relapse_factor = np.ones(runs)
        self.positions = [np.zeros(runs) for _ in effects.positions]
        self.red_lines: list[tuple[np.ndarray, ...] | None] = [None for _ in effects.red_lines]

    def keep_red_line(self, k: int, runs: np.ndarray, state: tuple[np.ndarray, ...]) -> None:
        """Hold, in the runs of the mask, the red line as it was before the shock changed it."""
        old = self.red_lines[k]
        self.red_lines[k] = tuple(state if old is None else
                                  (np.where(runs, new, was) for new, was in zip(state, old, strict=True)))


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
        self.holders = {**targets.parties, **targets.mediators}
        """Every actor whose position a shock may shift, by actor id."""
        self.state = state
        self.sink = sink
        self.ids = list(params)
        runs = len(streams.seeds)
        self.fired = np.zeros((runs, len(self.ids)), dtype=np.int64)
        self.until = np.full((runs, len(self.ids)), -1, dtype=np.int64)
        """Round at which each temporary shock's effects end (-1: none in force)."""
        self.held = {sid: Held(runs, params[sid].effects) for sid in self.ids if params[sid].spec.lasts_rounds is not None}
        self.draws = {sid: {purpose: streams.uniform(f"shock:{sid}:{purpose}")
                            for purpose in ("fire", "suspend", "length", "front")} for sid in self.ids}
        for sid in self.ids:
            if params[sid].spec.effects.breaks_deal:
                self.draws[sid]["break"] = streams.uniform(f"shock:{sid}:break")
        self.violated = np.zeros(runs, bool)
        """Runs where a shock of this round breaks the standing deal (the aftermath reads and clears it)."""

    def step(self, t: int, live: np.ndarray, aftermath: np.ndarray | None = None) -> None:
        """Fire each shock whose conditions hold and whose draw comes up, and apply its effects.

        ``live`` are the runs whose talks go on, ``aftermath`` those where a deal stands in its window;
        a shock fires in one or both, as its ``during`` says.
        """
        talks = self.targets.talks
        after = np.zeros_like(live) if aftermath is None else aftermath
        for k, sid in enumerate(self.ids):
            shock = self.p[sid]
            spec = shock.spec
            fires = self.draws[sid]["fire"][:, t] < shock.probability
            if spec.at_round is not None:
                fires |= np.round(shock.at_round) == t
            # A shock earlier in this round may have ended the talks of some runs.
            in_talks = live & self.state.talking() & (talks.failed_rounds >= shock.after_failed_rounds)
            fires &= {"talks": in_talks, "aftermath": after, "both": in_talks | after}[spec.during]
            if spec.when_rejected_by:
                fires &= talks.rejected_by[:, self.targets.parties[spec.when_rejected_by].index]
            if spec.once:
                fires &= self.fired[:, k] == 0
            if sid in self.held:
                fires &= self.until[:, k] <= t
                self.until[:, k] = np.where(fires, t + np.round(shock.lasts_rounds).astype(np.int64), self.until[:, k])
            if not fires.any():
                continue
            self.fired[:, k] += fires
            self.sink.log(fires, "-", "shock", f"{sid}" + (f" ({spec.label})" if spec.label else ""))
            self._apply(t, sid, shock.effects, fires)

    def _apply(self, t: int, sid: str, eff: Any, m: np.ndarray) -> None:
        spec, d, to = eff.spec, self.draws[sid], self.targets
        held = self.held.get(sid)
        if spec.suspend_talks:
            hit = m & (d["suspend"][:, t] < eff.suspend_talks.probability)
            lo, hi = eff.suspend_talks.rounds
            length = (lo + np.floor(d["length"][:, t] * (hi - lo + 1))).astype(np.int64)
            to.talks.suspend(hit, t, length, sid)
        self._move_actors(eff, m, held)
        # Whether an effect acts is read from the run's numbers, not the scenario's: design points that
        # differ in it may share a batch (sim.model.design_batch); an effect of 0 changes nothing.
        if np.any(eff.consent_thresholds):
            for g in to.guarantors:
                g.hesitate(m, eff.consent_thresholds)
            self.sink.log(m & (eff.consent_thresholds != 0), "-", "coalition hesitates",
                          "consent-conditional members raise their thresholds")
        if spec.front is not None:
            lo, hi = eff.front
            to.front.jump(m, lo + (hi - lo) * d["front"][:, t])
        applied = to.changes.apply(m, eff)
        if held is not None:
            held.changes.take(m, applied)
        if np.any(eff.backstop) and to.backer is not None:  # without a coalition (--no-strict) nothing moves
            before = to.backer.backstop
            to.backer.change_backstop(m, eff.backstop)
            if held is not None:
                held.backstop = np.where(m, to.backer.backstop - before, held.backstop)
        for aid in spec.grievance_ends:
            for member in to.council_members:
                if member.actor_id == aid:
                    member.settle_grievance(m)
        if np.any(eff.leverage):
            to.talks.add_leverage(m, eff.leverage)
        if spec.walkaway:
            self.state.end(m & self.state.talking(), COLLAPSE, "walkaway", f"the mediator walks away ({sid})")
        if np.any(eff.relapse_hazard != 1.0) and to.durability is not None:
            to.durability.raise_hazard(m, eff.relapse_hazard)
            if held is not None:
                held.relapse_factor = np.where(m, eff.relapse_hazard, held.relapse_factor)
        if spec.breaks_deal:
            self.violated |= m & (d["break"][:, t] < eff.breaks_deal)

    def _move_actors(self, eff: Any, m: np.ndarray, held: Held | None) -> None:
        to = self.targets
        for k, shift in enumerate(eff.positions):
            holder = self.holders.get(shift.spec.actor)
            if holder is not None:
                issue = to.issues.index(shift.spec.issue)
                before = holder.position[:, issue].copy()
                holder.shift_position(m, issue, shift.by)
                if held is not None:
                    held.positions[k] = np.where(m, holder.position[:, issue] - before, held.positions[k])
                self.sink.log(m, shift.spec.actor, "position shifts",
                              f"{shift.spec.issue} ideal moves by {float(shift.by.mean()):+.2f}")
        for k, change in enumerate(eff.red_lines):
            c = change.spec
            party = to.parties.get(c.actor)
            if party is not None:
                issue = to.issues.index(c.issue)
                if held is not None:
                    held.keep_red_line(k, m, party.red_line_state(issue, c.op))
                penalty = change.penalty if c.penalty is not None else None
                party.set_red_line(m, issue, c.op, change.bound, c.hard, penalty, moves=c.moves)
                self.sink.log(m, c.actor, RED_LINE_WORDS[c.moves], lambda i, c=c, bound=change.bound:
                              f"now {c.issue} {c.op} {bound[i]:g}")

    def expire(self, t: int, live: np.ndarray) -> None:
        """End, in the runs of the mask ``live``, the temporary shocks whose time is up: undo what they changed."""
        for k, sid in enumerate(self.ids):
            held = self.held.get(sid)
            if held is None:
                continue
            ends = live & (self.until[:, k] == t)
            if ends.any():
                self._undo(sid, self.p[sid].effects, held, ends)
                self.sink.log(ends, "-", "shock ends", f"{sid} (its effects are undone)")

    def _undo(self, sid: str, eff: Any, held: Held, ends: np.ndarray) -> None:
        to = self.targets
        to.changes.undo(ends, eff, held.changes)
        if np.any(eff.backstop) and to.backer is not None:
            to.backer.change_backstop(ends, -held.backstop)
        if np.any(eff.relapse_hazard != 1.0) and to.durability is not None:
            to.durability.raise_hazard(ends, 1.0 / held.relapse_factor)
        if np.any(eff.consent_thresholds):
            for g in to.guarantors:
                g.hesitate(ends, -eff.consent_thresholds)
        for k, shift in enumerate(eff.positions):
            holder = self.holders.get(shift.spec.actor)
            if holder is not None:
                holder.shift_position(ends, to.issues.index(shift.spec.issue), -held.positions[k])
        for k, change in enumerate(eff.red_lines):
            party, state = to.parties.get(change.spec.actor), held.red_lines[k]
            if party is not None and state is not None:
                party.restore_red_line(ends, to.issues.index(change.spec.issue), change.spec.op, state)

"""A council: its members vote on pending measures under its rule; a workaround may pass a blocked one."""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import mechanisms as mech
from ..streams import RunStreams
from .changes import Changes
from .events import EventSink

__all__ = ["Council", "MemberPolitics"]


class Council:
    """One council's pending measures, their adoption and the votes against them.

    The members' grievances and elections belong to the members (an actor may sit on several
    councils): :class:`MemberPolitics` moves them once a round, before any council votes.

    Args:
        council_id: The council's id.
        params: Its block of the typed parameters (``institutions.councils.<id>``).
        members: Its member agents, in its order.
        changes: Brings a measure's effects once it passes.
        streams: The runs' random streams (``council:veto:<member>``, ``council:workaround:<measure>``, ...).
        sink: Where the story goes.
    """

    def __init__(self, council_id: str, params: Any, members: list[Any], changes: Changes, streams: RunStreams,
                 sink: EventSink):
        self.council_id = council_id
        self.p = params
        self.members = members
        self.changes = changes
        self.sink = sink
        self.measures = list(params.measures)
        runs, n_m = len(streams.seeds), len(self.measures)
        self.runs = runs
        self.adopted = np.zeros((runs, n_m), bool)
        self.adopted_round = np.full((runs, n_m), np.nan)
        self.via_workaround = np.zeros((runs, n_m), bool)
        self.blocked_rounds = np.zeros((runs, n_m), dtype=np.int64)
        self.votes_against = np.zeros(runs, dtype=np.int64)
        self.against_last = np.zeros((runs, n_m, len(members)), bool)
        # A member's vote draw of a round is its own stream, shared by the measures it votes on.
        self.draws = {
            "vote": streams.uniform_by("council:veto", [m.actor_id for m in members]),
            "workaround": streams.uniform_by("council:workaround", self.measures),
        }

    def step(self, t: int, live: np.ndarray) -> None:
        """A vote on every pending measure."""
        for m, mid in enumerate(self.measures):
            self._vote(t, live, m, mid)

    def _vote(self, t: int, live: np.ndarray, m: int, mid: str) -> None:
        measure, d, log = self.p.measures[mid], self.draws, self.sink.log
        pending = live & ~self.adopted[:, m]
        if not pending.any():
            return
        against = np.stack([member.votes_no(mid, d["vote"][:, t, e]) for e, member in enumerate(self.members)],
                           axis=-1) & pending[:, None]
        passes = pending & mech.unanimity(against)
        blocked = pending & ~passes
        self.votes_against += against.sum(axis=-1)
        self.blocked_rounds[:, m] += blocked
        for e, member in enumerate(self.members):
            # The story notes when a member starts voting against, not every round it goes on.
            started = against[:, e] & ~self.against_last[:, m, e]
            log(started, member.actor_id, "veto", f"blocks {mid}")
            log(~against[:, e] & self.against_last[:, m, e] & ~passes, member.actor_id, "no veto", f"stops blocking {mid}")
        self.against_last[:, m, :] = against
        value = np.where(passes, 1.0, 0.0)
        if measure.workaround is not None:
            w = measure.workaround
            around = (blocked & (self.blocked_rounds[:, m] >= w.after_blocked_rounds)
                      & (d["workaround"][:, t, m] < w.probability))
            value = np.where(around, w.value, value)
            self.via_workaround[:, m] |= around
            log(around, "-", "workaround", f"{mid} passes without the vetoers at reduced value")
            passes = passes | around
        log(passes & ~self.via_workaround[:, m], "-", "adopted",
            lambda i: f"{mid} passes unanimously" + (
                f" after {self.blocked_rounds[i, m]} blocked round(s)" if self.blocked_rounds[i, m] else ""))
        self.adopted[:, m] |= passes
        self.adopted_round[:, m] = np.where(passes, t, self.adopted_round[:, m])
        self.changes.apply(passes, measure.effects, value)


class MemberPolitics:
    """Grievances that settle and elections that change governments, for every council member once a round.

    Args:
        members: Every actor that sits on a council (each once).
        streams: The runs' random streams (``council:grievance:<member>``, ``council:election:<member>``).
        sink: Where the story goes.
    """

    def __init__(self, members: list[Any], streams: RunStreams, sink: EventSink):
        self.members = members
        self.sink = sink
        ids = [m.actor_id for m in members]
        self.draws = {"grievance": streams.uniform_by("council:grievance", ids),
                      "election": streams.uniform_by("council:election", ids, per_round=False)}

    def step(self, t: int, live: np.ndarray) -> None:
        d, log = self.draws, self.sink.log
        for e, member in enumerate(self.members):
            ends = live & member.aggrieved & (d["grievance"][:, t, e] < member.grievance_end)
            member.settle_grievance(ends)
            log(ends, member.actor_id, "grievance settled", "stops linking its vote to the dispute")
            held = live & (member.election_round == t)
            change = held & (d["election"][:, e] < member.change_probability)
            member.government_changed |= change
            log(change, member.actor_id, "government changes", "the election brings a government that stops blocking")
            log(held & ~change, member.actor_id, "election", "the government stays")

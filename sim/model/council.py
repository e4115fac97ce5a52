"""The council: members vote on pending measures under unanimity; a workaround may pass a blocked one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .. import mechanisms as mech
from ..streams import RunStreams
from .events import EventSink

__all__ = ["Council"]


class Council:
    """Pending measures, their adoption, vetoes and the members' grievances and elections.

    Args:
        params: The scenario's ``institutions.eu_council`` block of the typed parameters (or None).
        members: The member agents, in the council's order.
        parties: The party agents (a loan extends the runway of those it funds).
        add_sanctions: Adds the sanctions a measure brings (``add_sanctions(runs_or_None, by)``),
            handed in by the model.
        streams: The runs' random streams (``council:veto:<member>``, ``council:workaround:<measure>``, ...).
        sink: Where the story goes.
    """

    def __init__(self, params: Any, members: list[Any], parties: list[Any],
                 add_sanctions: Callable[[np.ndarray | None, np.ndarray], None], streams: RunStreams, sink: EventSink):
        self.p = params
        self.members = members
        self.parties = parties
        self.add_sanctions = add_sanctions
        self.sink = sink
        self.measures = list(params.measures) if params is not None else []
        runs, n_m = len(streams.seeds), len(self.measures)
        self.runs = runs
        self.adopted = np.zeros((runs, n_m), bool)
        self.adopted_round = np.full((runs, n_m), np.nan)
        self.via_workaround = np.zeros((runs, n_m), bool)
        self.blocked_rounds = np.zeros((runs, n_m), dtype=np.int64)
        self.vetoes = np.zeros(runs, dtype=np.int64)
        self.vetoed_last = np.zeros((runs, n_m, len(members)), bool)
        ids = [member.actor_id for member in members]
        self.draws = {
            "veto": streams.uniform_by("council:veto", ids),
            "grievance": streams.uniform_by("council:grievance", ids),
            "election": streams.uniform_by("council:election", ids, per_round=False),
            "workaround": streams.uniform_by("council:workaround", self.measures),
        }

    def step(self, t: int, live: np.ndarray) -> None:
        """Grievances and elections, then a vote on every pending measure."""
        if not self.measures:
            return
        self._politics(t, live)
        for m, mid in enumerate(self.measures):
            self._vote(t, live, m, mid)

    def _politics(self, t: int, live: np.ndarray) -> None:
        d, log = self.draws, self.sink.log
        for e, member in enumerate(self.members):
            ends = live & member.aggrieved & (d["grievance"][:, t, e] < member.grievance_end)
            member.settle_grievance(ends)
            log(ends, member.actor_id, "grievance settled", "stops linking its vote to the dispute")
            election = live & (member.election_round == t)
            change = election & (d["election"][:, e] < member.change_probability)
            member.government_changed |= change
            log(change, member.actor_id, "government changes", "the election brings a government that stops blocking")
            log(election & ~change, member.actor_id, "election", "the government stays")

    def _vote(self, t: int, live: np.ndarray, m: int, mid: str) -> None:
        measure, d, log = self.p.measures[mid], self.draws, self.sink.log
        pending = live & ~self.adopted[:, m]
        if not pending.any():
            return
        if self.members:
            veto = np.stack([member.vetoes(mid, d["veto"][:, t, e]) for e, member in enumerate(self.members)],
                            axis=-1) & pending[:, None]
        else:
            veto = np.zeros((self.runs, 1), bool)
        passes = pending & mech.unanimity(veto)
        blocked = pending & ~passes
        self.vetoes += veto.sum(axis=-1)
        self.blocked_rounds[:, m] += blocked
        for e, member in enumerate(self.members):
            # The story notes when a member starts blocking, not every round it goes on.
            started = veto[:, e] & ~self.vetoed_last[:, m, e]
            log(started, member.actor_id, "veto", f"blocks {mid}")
            log(~veto[:, e] & self.vetoed_last[:, m, e] & ~passes, member.actor_id, "no veto", f"stops blocking {mid}")
        self.vetoed_last[:, m, :] = veto[:, : len(self.members)] if self.members else False
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
        self._take_effect(mid, measure, passes, value)

    def _take_effect(self, mid: str, measure: Any, passes: np.ndarray, value: np.ndarray) -> None:
        if measure.spec.kind == "sanctions":
            self.add_sanctions(None, value * measure.sanctions_effect)
            return
        for party in self.parties:
            funding = party.spec.party.funding if party.spec.party else None
            if funding and mid in funding.extended_by:
                party.extend_runway(passes, value * measure.runway_rounds)

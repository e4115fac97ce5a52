"""A council: its members vote on pending measures under its rule; a workaround may pass a blocked one."""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import mechanisms as mech
from ..streams import RunStreams
from .changes import Applied, Changes
from .events import EventSink

__all__ = ["WORDS", "Council", "MemberPolitics"]


#: How the story words a council's votes under each rule: only unanimity gives a member a veto.
WORDS = {
    "unanimity": {"against": ("veto", "blocks"), "for": ("no veto", "stops blocking"), "passes": "passes unanimously",
                  "failed": "blocked", "around": "passes without the vetoers at reduced value"},
    "majority": {"against": ("votes against", ""), "for": ("votes in favour", "no longer against"),
                 "passes": "passes by majority", "failed": "failed",
                 "around": "passes without a majority at reduced value"},
    "qualified": {"against": ("votes against", ""), "for": ("votes in favour", "no longer against"),
                  "passes": "passes by qualified majority", "failed": "failed",
                  "around": "passes without a qualified majority at reduced value"},
}


class Council:
    """One council's measures: their adoption under the council's rule, renewal, lapse and the votes against.

    The members' grievances and elections belong to the members (an actor may sit on several
    councils): :class:`MemberPolitics` moves them once a round, before any council votes. A measure with
    ``renew_every: k`` comes up for a renewal vote k rounds after adoption (and every k rounds after);
    if the renewal fails it lapses (its effects are undone) and is pending again, voted on as new. A
    workaround is tried only for a pending measure, never for a renewal.

    Args:
        council_id: The council's id.
        params: Its block of the typed parameters (``institutions.councils.<id>``).
        members: Its member agents, in its order.
        changes: Brings a measure's effects once it passes, and undoes them if it lapses.
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
        self.rule = params.spec.rule
        self.words = WORDS[self.rule]
        self.measures = list(params.measures)
        runs, n_m = len(streams.seeds), len(self.measures)
        self.runs = runs
        self.news = np.zeros(runs)
        """This round's news, per run: adoptions by vote less vetoes (a measure's first failed vote) and lapses."""
        self.signals = [(signal.spec.about, signal.likelihood_ratio, signal.spec.heard_by) for signal in params.signals]
        """Whose resolve the votes speak of, the likelihood ratio of one piece of news (per run), and who hears it."""
        self.adopted_round = np.full((runs, n_m), np.nan)
        """Round each measure was first adopted (NaN: never; it may have lapsed since)."""
        self.in_force = np.zeros((runs, n_m), bool)
        """Whether each measure is in force now: adopted and not lapsed."""
        self.since = np.zeros((runs, n_m), dtype=np.int64)
        """Round of each measure's adoption or last renewal (while in force)."""
        self.applied = [Applied(runs, params.measures[mid].effects) for mid in self.measures]
        self.renew_every = [np.round(params.measures[mid].renew_every).astype(np.int64)
                            if params.measures[mid].spec.renew_every is not None else None for mid in self.measures]
        """Rounds between renewal votes on each measure, per run (None: it does not lapse)."""
        self.blocked_rounds = np.zeros((runs, n_m), dtype=np.int64)
        self.votes_against = np.zeros(runs, dtype=np.int64)
        self.against_last = np.zeros((runs, n_m, len(members)), bool)
        """Who voted against each measure at its last vote (kept for the story only)."""
        self._rule_inputs(params, runs)
        # A member's vote draw of a round is its own stream, shared by the measures it votes on.
        self.draws = {
            "vote": streams.uniform_by("council:veto", [m.actor_id for m in members]),
            "workaround": streams.uniform_by("council:workaround", self.measures),
        }

    def _rule_inputs(self, params: Any, runs: int) -> None:
        """The arrays the rule reads: the unmodelled members in favour, and each quota's weights and share."""
        others = params.others_in_favour
        self.others_count = others.get("count", np.zeros(runs))
        if self.rule != "qualified":
            return
        quotas = params.quotas
        self.quota_weights = np.stack([np.stack([np.ones(runs) if q.spec.weight == "count" else m.weights[q.spec.weight]
                                                 for m in self.members], axis=-1) for q in quotas], axis=1)
        self.quota_others = np.stack([others.get(q.spec.weight, np.zeros(runs)) for q in quotas], axis=-1)
        self.quota_shares = np.stack([q.share for q in quotas], axis=-1)

    @property
    def adopted(self) -> np.ndarray:
        """Whether each measure was ever adopted, (runs, measures) (it may have lapsed since)."""
        return ~np.isnan(self.adopted_round)

    def passes(self, against: np.ndarray) -> np.ndarray:
        """Whether a vote passes under the council's rule, per run, given the members voting against."""
        if self.rule == "unanimity":
            return mech.unanimity(against)
        if self.rule == "majority":
            return mech.majority(~against, self.others_count)
        return mech.qualified_majority(~against, self.quota_weights, self.quota_others, self.quota_shares)

    def step(self, t: int, live: np.ndarray) -> None:
        """A renewal vote on every measure that is due, and a vote on every pending one."""
        self.news = np.zeros(self.runs)
        for m, mid in enumerate(self.measures):
            self._vote(t, live, m, mid)

    def _vote(self, t: int, live: np.ndarray, m: int, mid: str) -> None:
        measure, d, log, words = self.p.measures[mid], self.draws, self.sink.log, self.words
        pending = live & ~self.in_force[:, m]
        due = self._due(t, live, m)
        voting = pending | due
        if not voting.any():
            return
        against = np.stack([member.votes_no(mid, d["vote"][:, t, e]) for e, member in enumerate(self.members)],
                           axis=-1) & voting[:, None]
        vote = self.passes(against)
        passes, blocked = pending & vote, pending & ~vote
        self.votes_against += against.sum(axis=-1)
        self.blocked_rounds[:, m] += blocked
        # News is what changed: an adoption by vote, a measure's first failed vote; a failed renewal below.
        self.news += passes.astype(float) - (blocked & (self.blocked_rounds[:, m] == 1))
        if self.sink.enabled:  # the masks and words of the story cost a batch without one every round
            self._tell_votes(voting, against, passes, m, mid)
        if self.rule != "unanimity":
            log(blocked & (self.blocked_rounds[:, m] == 1), "-", "vote fails", f"{mid} fails under the {self.rule} rule")
        if due.any():
            self._renew(t, due, due & vote, m, mid)
        value = np.where(passes, 1.0, 0.0)
        around = np.zeros_like(passes)
        if measure.workaround is not None:
            w = measure.workaround
            around = (blocked & (self.blocked_rounds[:, m] >= w.after_blocked_rounds)
                      & (d["workaround"][:, t, m] < w.probability))
            value = np.where(around, w.value, value)
            log(around, "-", "workaround", f"{mid} {words['around']}")
            passes = passes | around
        log(passes & ~around, "-", "adopted", lambda i: f"{mid} {words['passes']}" + (
            f" after {self.blocked_rounds[i, m]} {words['failed']} round(s)" if self.blocked_rounds[i, m] else ""))
        if passes.any():  # most rounds of a blocked measure pass it nowhere: nothing to apply
            self._adopt(t, passes, m, self.changes.apply(passes, measure.effects, value))

    def _tell_votes(self, voting: np.ndarray, against: np.ndarray, passes: np.ndarray, m: int, mid: str) -> None:
        """The story notes when a member starts voting against, not every round it goes on."""
        log, words = self.sink.log, self.words
        for e, member in enumerate(self.members):
            log(against[:, e] & ~self.against_last[:, m, e], member.actor_id, words["against"][0],
                f"{words['against'][1]} {mid}".strip())
            log(voting & ~against[:, e] & self.against_last[:, m, e] & ~passes, member.actor_id, words["for"][0],
                f"{words['for'][1]} {mid}")
        self.against_last[:, m, :] = against

    def _due(self, t: int, live: np.ndarray, m: int) -> np.ndarray:
        """The runs in which the measure is in force and its renewal vote is held this round."""
        every = self.renew_every[m]
        if every is None:
            return np.zeros_like(live)
        return live & self.in_force[:, m] & (t - self.since[:, m] >= every)

    def _adopt(self, t: int, passes: np.ndarray, m: int, applied: Applied) -> None:
        self.adopted_round[:, m] = np.where(passes & np.isnan(self.adopted_round[:, m]), t, self.adopted_round[:, m])
        self.in_force[:, m] |= passes
        self.since[:, m] = np.where(passes, t, self.since[:, m])
        self.applied[m].take(passes, applied)

    def _renew(self, t: int, due: np.ndarray, renewed: np.ndarray, m: int, mid: str) -> None:
        """The renewal vote's result: renewed for another term, or lapsed (effects undone, pending again)."""
        lapsed = due & ~renewed
        self.news -= lapsed
        self.since[:, m] = np.where(renewed, t, self.since[:, m])
        self.sink.log(renewed, "-", "renewed", f"{mid} is renewed ({self.words['passes'].replace('passes ', '')})")
        self.sink.log(lapsed, "-", "lapses", f"{mid}: the renewal vote fails and its effects end")
        self.changes.undo(lapsed, self.p.measures[mid].effects, self.applied[m])
        self.in_force[:, m] &= ~lapsed
        self.blocked_rounds[:, m] = np.where(lapsed, 0, self.blocked_rounds[:, m])


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
            # Golden stories pin the words of a government that opposes less; one that opposes more is new.
            log(change, member.actor_id, "government changes", lambda i, member=member: (
                "the election brings a government that stops blocking"
                if member.against_after_change[i] <= member.against_probability[i]
                else "the election brings a government that votes against more often"))
            log(held & ~change, member.actor_id, "election", "the government stays")

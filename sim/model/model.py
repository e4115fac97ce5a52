"""``NegotiationModel``: the arenas of a negotiation composed in the design's order.

One model object simulates a batch of runs at once: every piece of state is an array with one
entry per run, and each run draws only from its own seeded streams (:mod:`sim.streams`), so a run
gives the same record alone (``seed=``) or in a batch (``seeds=``). One round (``step``):

1. shocks (:mod:`sim.model.shocks`)
2. the front and the war's costs (:mod:`sim.model.front`, :mod:`sim.model.economy`)
3. the councils (:mod:`sim.model.council`) and influencers' aid
4-7. the talks: outside options, a proposal, guarantee credibility, acceptance and ratification
   (:mod:`sim.model.talks`, with the coalition's outlook handed in)
8. ending; after a deal, the cascade (:mod:`sim.model.coalition`) and the aftermath window
   (:mod:`sim.model.durability`): a deal that breaks down in it restarts the war and the talks.

A run lasts the talks' horizon; a deal adds its aftermath window (``durability.window_years``), and
the war and talks after a breakdown may go on to the horizon plus the window.
"""

from __future__ import annotations

from collections.abc import Sequence

import mesa
import numpy as np
from mesa.agent import AgentSet

from ..scenario import Scenario
from ..streams import RunStreams
from .actors import Backer, Guarantor, Influencer, Mediator, Member
from .assessment import Views
from .changes import Changes
from .coalition import Coalition
from .council import Council, MemberPolitics
from .durability import Durability
from .economy import Economy
from .events import DEAL, MILITARY_END, NO_DEAL, TALKING, Event, EventSink, RunState
from .front import Front, WarEffort
from .params import RunParams, build_params, window_rounds
from .party import Party
from .records import record_columns
from .shocks import Shocks, ShockTargets
from .talks import Talks

__all__ = ["NegotiationModel"]


class NegotiationModel(mesa.Model):
    """Multi-party ceasefire talks with a coalition cascade, simulated for one or many runs.

    Args:
        scenario: A validated scenario.
        seed: Seed of a single run (as recorded in a results table).
        seeds: Seeds of a batch of runs (give ``seed`` or ``seeds``).
        log_events: Keep the story of each run in ``events`` (default: only for a single run).
        params: The runs' parameters when they are built elsewhere: design points sharing one batch
            (:mod:`sim.model.design_batch`); by default built from the scenario and the seeds.

    Examples:
        >>> from sim import load_scenario
        >>> model = NegotiationModel(load_scenario("scenarios/baseline.yaml"), seed=1)  # doctest: +SKIP
        >>> model.run()  # doctest: +SKIP
        >>> model.records()["outcome"]  # doctest: +SKIP
    """

    def __init__(self, scenario: Scenario, *, seed: int | None = None, seeds: Sequence[int] | None = None,
                 log_events: bool | None = None, params: RunParams | None = None):
        if (seed is None) == (seeds is None):
            raise ValueError("give either seed (one run) or seeds (a batch)")
        run_seeds = [int(seed)] if seeds is None else [int(s) for s in seeds]
        if not run_seeds:
            raise ValueError("seeds is empty")
        # Mesa's own generator is seeded too, though every decision draws from the per-run streams.
        super().__init__(rng=run_seeds[0])
        try:
            self._build(scenario, run_seeds, log_events, params)
        except BaseException:
            self._finish()  # a model that fails to build must not stay registered with Mesa
            raise

    def _build(self, scenario: Scenario, run_seeds: list[int], log_events: bool | None,
               params: RunParams | None) -> None:
        self.scenario = scenario
        self.seeds = np.asarray(run_seeds, dtype=np.int64)
        self.runs = len(run_seeds)
        self.issues = list(scenario.spec.issues)
        self.params = build_params(scenario, run_seeds) if params is None else params
        if self.params.runs != self.runs:
            raise ValueError(f"params hold {self.params.runs} runs, seeds {self.runs}")
        self.round = 0
        self.max_rounds = self.params.max_rounds
        p = self.params.tree
        self.horizon = np.round(p.horizon.rounds).astype(int)
        self.round_weeks = p.horizon.round_weeks
        self.window = window_rounds(p.durability.window_years, self.round_weeks)
        """Rounds of each run's aftermath window after a deal."""
        self.until = self.horizon.copy()
        """Round at which each run's talks and war stop: the horizon, or after a breakdown the horizon
        plus the aftermath window (the run's end)."""
        self.sink = EventSink(self.runs == 1 if log_events is None else log_events)
        self.sink.words = {"deal": scenario.spec.labels.deal, "force": scenario.spec.labels.force}
        self.state = RunState(self.runs, self.sink)
        self._build_agents()
        self.streams = RunStreams(run_seeds, self.max_rounds)
        self._build_arenas(self.streams)

    @property
    def events(self) -> list[Event]:
        """The story of each run (kept only with ``log_events``), in the order it happened."""
        return self.sink.events

    def _build_agents(self) -> None:
        spec, p = self.scenario.spec, self.params.tree
        talks = spec.institutions.talks
        judges = [*talks.parties, *talks.veto_players]
        self.parties = [Party(self, aid, spec.actors[aid], p.actors[aid], self.issues, i,
                              at_table=aid in talks.parties) for i, aid in enumerate(judges)]
        """Every actor whose acceptance a deal needs: the parties at the table, then the veto players."""
        self.party_by_id = {party.actor_id: party for party in self.parties}
        self.mediators = [Mediator(self, aid, spec.actors[aid], p.actors[aid], self.issues) for aid in talks.mediators]
        coalition = spec.institutions.coalition
        self.backer = (Backer(self, coalition.backstop_from, spec.actors[coalition.backstop_from],
                              p.actors[coalition.backstop_from]) if coalition else None)
        guarantors = [aid for aid, a in spec.actors.items() if "guarantor" in a.roles]
        self.guarantors = [Guarantor(self, aid, spec.actors[aid], p.actors[aid], i) for i, aid in enumerate(guarantors)]
        members = list(dict.fromkeys(m for c in spec.institutions.councils.values() for m in c.members))
        self.members = {aid: Member(self, aid, spec.actors[aid], p.actors[aid], i) for i, aid in enumerate(members)}
        front = spec.front
        sides = {**front.attacker, **front.defender} if front else {}
        self.efforts = {aid: WarEffort(aid, p.front.attacker[aid] if aid in front.attacker else p.front.defender[aid],
                                       p.actors[aid].funding, self.runs) for aid in sides}
        for party in self.parties:
            party.effort = self.efforts.get(party.actor_id)
        for aid, a in spec.actors.items():
            if "influencer" in a.roles:
                Influencer(self, aid, a, p.actors[aid], self.efforts[a.influencer.supports])
        self.influencers = self.agents_by_type.get(Influencer, AgentSet([], random=self.random))

    def _build_arenas(self, streams: RunStreams) -> None:
        spec, p, sink = self.scenario.spec, self.params.tree, self.sink
        self.front = Front(p.front, self.issues, self.efforts, self.parties, streams, sink,
                           grid_size=int(spec.institutions.talks.belief_grid))
        self.economy = Economy(p.sanctions, self.parties, self.efforts, sink)
        changes = Changes(self.economy.add_sanctions, self.efforts, self.party_by_id)
        self.politics = MemberPolitics(list(self.members.values()), streams, sink)
        self.councils = {cid: Council(cid, p.institutions.councils[cid], [self.members[m] for m in c.members],
                                      changes, streams, sink)
                         for cid, c in spec.institutions.councils.items()}
        self.coalition = Coalition(p.institutions.coalition, self.guarantors, self.backer, self.issues, streams,
                                   sink)
        self.durability = Durability(p.durability, self.window, self.round_weeks, streams, sink)
        c = self.coalition
        views = Views(front=self.front, relapse_advance=p.front.relapse_advance if spec.front else None,
                      outlook=c.outlook, effective_guarantees=c.effective_guarantees,
                      deployment_issue=c.deployment_issue, guarantees_issue=c.guarantees_issue,
                      consenting=c.consent_from if c.active else frozenset(),
                      consent_sees_force=c.active and c.seen_as_force,
                      hazard=self.durability.hazard, judged_risk=self.durability.judged_risk)
        self.talks = Talks(p, self.parties, self.mediators, self.issues, views, self.state, streams, sink)
        targets = ShockTargets(talks=self.talks, front=self.front, changes=changes,
                               parties=self.party_by_id, mediators={m.actor_id: m for m in self.mediators},
                               backer=self.backer, guarantors=self.guarantors,
                               council_members=list(self.members.values()), issues=self.issues,
                               durability=self.durability)
        self.shocks = Shocks(p.shocks, targets, self.state, streams, sink)

    # ------------------------------------------------------------------------------ one round

    def step(self) -> None:
        """Play one round for every run still going; after the last round, close the records."""
        t = self.round
        if t >= self.max_rounds:
            self._finish()
            return
        self.sink.round = t
        state = self.state
        in_time = t < self.until
        aftermath = self.durability.in_window(t, state.status == DEAL)
        self.shocks.expire(t, in_time | aftermath)
        self.shocks.step(t, state.talking() & in_time, aftermath)
        self._aftermath(t, aftermath)
        in_time = t < self.until  # a breakdown this round restarts the war and the talks at once
        # The war goes on without a deal, also after the talks collapse, but not once it has ended.
        fighting = (state.status != DEAL) & (state.status != MILITARY_END) & in_time
        self.front.step(t, fighting, self.economy.felt)
        self.economy.step(t, fighting, in_time)
        self._exhaustion(fighting)
        self.politics.step(t, in_time)
        for cid, council in self.councils.items():
            council.step(t, in_time)
            for about, likelihood_ratio, heard_by in council.signals:
                label = council.p.spec.label or cid
                if "mediators" in heard_by:
                    self.talks.hear(about, council.news, likelihood_ratio, label)
                if len(heard_by) > ("mediators" in heard_by):  # parties listen too
                    listeners = [p for p in self.talks.parties if p.actor_id in heard_by]
                    self.front.hear(listeners, about, council.news, likelihood_ratio, label)
        self.influencers.do("give_aid")
        talking = state.talking() & in_time
        suspended = talking & (self.talks.suspended_until > t)
        state.last_failure[suspended] = "shock_suspension"
        agreed = self.talks.step(t, talking & ~suspended, talking)
        if agreed.any():
            self._after_ceasefire(t, agreed)
        settling = self._settling(t) & ~agreed
        if settling.any():
            settled = self.talks.armistice.settle(self.talks, t, settling)
            if settled.any():
                self._after_ceasefire(t, settled, settlement=True)
        self.round += 1
        self.sink.round = self.round
        ended = state.talking() & (self.round >= self.until)
        if ended.any():
            state.status[ended] = NO_DEAL
            state.cause[ended] = state.last_failure[ended]
            self.sink.log(ended, "-", "deadlock", "the horizon is reached without a deal")
        state.note_first_end(t)
        # A batch is done once no run has rounds left before its horizon (or its end after a breakdown)
        # nor a deal in its window: a run's record must not depend on the batch it is in.
        going = ((self.round < self.until) | self.durability.in_window(self.round, state.status == DEAL)
                 | self._settling(self.round))
        if self.round >= self.max_rounds or not going.any():
            self._finish()

    def _aftermath(self, t: int, window: np.ndarray) -> None:
        """A round of the deals standing in their window: a breakdown restarts the war (from the deal's
        line) and the talks, which may then go on to the horizon plus the window."""
        broken = self.durability.step(t, self.state.status == DEAL, self.shocks.violated & window)
        self.shocks.violated[:] = False
        if not broken.any():
            return
        talks = self.talks
        self.front.restart(broken, talks.standing_territory, talks.standing_withdrawal)
        talks.reopen(broken)
        self.until = np.where(broken, self.horizon + self.window, self.until)

    def _exhaustion(self, fighting: np.ndarray) -> None:
        """A round of fighting drains the parties' stocks; a side whose stock is used up can fight no more.

        The war then ends without a deal (outcome ``military_end``): a defender used up loses what is
        left of the contested area, an attacker used up stops where it got to.
        """
        sides = self.scenario.spec.front
        for party in self.parties:
            spent = party.fight(fighting) & (self.state.status == TALKING)
            if not spent.any():
                continue
            if sides is not None and party.actor_id in sides.defender:
                self.front.taken = np.where(spent, 1.0, self.front.taken)
            self.state.end(spent, MILITARY_END, f"exhausted_{party.actor_id}",
                           f"{party.actor_id} can fight no more: its stock is used up")
        if sides is not None:
            taken = fighting & (self.state.status == TALKING) & (self.front.taken >= 1.0)
            self.state.end(taken, MILITARY_END, "front_at_limit",
                           "the attacker holds the whole contested area: the war ends without a deal")

    def _settling(self, t: int) -> np.ndarray:
        """Runs where an armistice stands and settlement talks go on (to the horizon plus the window)."""
        return self.talks.armistice.standing & (self.state.status == DEAL) & (t < self.horizon + self.window)

    def _after_ceasefire(self, t: int, agreed: np.ndarray, settlement: bool = False) -> None:
        """The pledge cascade for the agreed terms, the deployment, and the deal's aftermath window (the
        record keeps the first deal's deployment; a second deal deploys again for its own hazard). A
        settlement under an armistice deploys for its terms and sets the hazard from then on; the
        window stays the armistice's."""
        terms = self.talks.standing_terms
        first = agreed & np.isnan(self.talks.second_round) & (not settlement)
        deterrent, unconsented = self.coalition.settle(agreed, terms, record=first)
        c = self.coalition
        guarantees = terms[:, c.guarantees_issue] if c.guarantees_issue is not None else np.zeros(self.runs)
        hazard = self.durability.hazard(guarantees, deterrent, np.nan_to_num(self.talks.standing_withdrawal),
                                        unconsented, self.talks.leverage)
        if settlement:
            self.durability.hazard_now = np.where(agreed, hazard, self.durability.hazard_now)
            return
        armistice = agreed & self.talks.armistice.standing
        self.durability.begin(t, agreed, np.where(armistice, hazard * self.talks.armistice.hazard_factor, hazard))

    def _finish(self) -> None:
        self.running = False
        self.release()

    def release(self) -> None:
        """Let go of Mesa's registration of this model (done when its runs finish; a caller that stops
        stepping early, as a trajectory does, calls it)."""
        # Mesa 3.3 keeps a class-level counter of agent ids per model (Agent._ids), which holds every
        # model it ever saw alive: a million runs would keep thousands of batches in memory. A
        # finished model creates no more agents, so its entry can go.
        ids = getattr(mesa.Agent, "_ids", None)
        if isinstance(ids, dict):
            ids.pop(self, None)

    def run(self) -> None:
        """Play every round to the horizon."""
        try:
            while self.running:
                self.step()
        except BaseException:
            self._finish()  # nor one whose run fails (a batch of design points that cannot share it)
            raise

    def records(self) -> dict[str, np.ndarray]:
        """One column per field of the run record (see :mod:`sim.record`), one entry per run."""
        if self.running:
            raise RuntimeError("the runs are not finished: call run() first")
        return record_columns(self)

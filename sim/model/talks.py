"""The talks: each round the mediators (or a recognised party) propose terms and every party answers.

Every actor whose acceptance a deal needs answers: the parties at the table and the veto players outside it
(together the "parties" of this module, those at the table first).

A round: every party's value of fighting on (to the end state it projects); candidates (a fixed
spread, the compromise point, every party's ideal terms, the last proposal and variations of it, the
mediators' plans); the mediators' pick, solved over their beliefs and refined locally; answers
(deterministic given each party's type); domestic ratification; what the answers taught the
mediators; why the round failed. The talks see the other arenas only through :class:`Views`.

The mediators do not know each party's ``resolve`` (drawn per run): their belief is the scenario's distribution
of it (widened by ``resolve_prior_width``). A candidate's chance with a party is the belief mass of the types
that would sign it; the pick maximises the log of the product of those chances (a Nash product over the
estimated zone) plus the mediators' tilt. Each answer rules out the types that would have answered otherwise.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import mechanisms as mech
from ..distributions import Distribution
from ..streams import RunStreams
from .agenda import Agenda
from .armistice import Armistice
from .assessment import Assessment, Assessor, Views, halton
from .events import COLLAPSE, DEAL, TALKING, EventSink, RunState
from .outside_options import OutsideOptions
from .proposals import contract_curve, joint_mean, quantile_grid
from .ratification import Ratification
from .search import REFINE_STARTS, REFINE_STEPS, Proposal, refine
from .story import format_terms, tell_beliefs, tell_news, tell_round
from .subset import put, take

__all__ = ["ACTIVE_RUNS_ONLY", "REFINE_STARTS", "REFINE_STEPS", "Talks"]

#: Evaluate a round's candidates only in the runs that talk (:mod:`sim.model.subset`); off, every
#: run of the batch is evaluated and the others' answers discarded (the reference the tests compare to).
ACTIVE_RUNS_ONLY = True

#: Weights over the parties of the contract curve's terms.
FRONTIER_WEIGHTS = 9


class Talks:
    """The negotiation table: proposals, answers, suspensions and the agreed terms, per run.

    Args:
        params: The run's typed parameters (the whole tree: talks, plans and issues are read).
        parties: Every agent whose acceptance a deal needs (the parties at the table first, then veto players).
        mediators: The mediator agents (several propose jointly).
        issues: Issue ids, in the model's order.
        views: What the talks see of the front, the coalition and durability.
        state: The shared run state; streams: the runs' random streams (``talks:accept:<party>``, ...).
        sink: Where the story goes.
    """

    def __init__(self, params: Any, parties: list[Any], mediators: list[Any], issues: list[str], views: Views,
                 state: RunState, streams: RunStreams, sink: EventSink):
        talks = params.institutions.talks
        self.parties, self.mediators, self.issues = parties, mediators, issues
        self.views, self.state, self.sink = views, state, sink
        self.runs, n_issues = len(streams.seeds), len(issues)
        runs = self.runs
        self.max_suspensions = np.round(talks.max_suspensions)
        self.suspended_until = np.zeros(runs, dtype=np.int64)
        self.suspensions = np.zeros(runs, dtype=np.int64)
        self.failed_rounds = np.zeros(runs, dtype=np.int64)
        self.leverage = np.zeros(runs)
        self.zopa_rounds = np.zeros(runs, dtype=np.int64)
        self.rejected_by = np.zeros((runs, len(parties)), bool)
        self.cause_code = np.full(runs, -1)  # why the last round failed (mechanisms.binding_constraint's code)
        self._init_beliefs(talks.spec, parties, runs)
        capability = np.stack([p.capability for p in parties])
        self.power = capability / np.maximum(capability.mean(axis=0), 1e-12)
        """Each party's bargaining power in the mediators' Nash product: its capability over the mean."""
        self.chances = np.ones((runs, len(parties)))
        """The mediators' estimated chance that each party accepts their last proposal."""
        self.estimated_zone = np.zeros(runs)
        """Share of the wide candidate set that the mediators believe some type of every party would sign."""
        self.true_zone = np.zeros(runs)
        """Share of the wide candidate set that every party would sign, given the true types."""
        for m in mediators:  # a mediator holds its plan's terms: its closeness to them is cached (sim.model.caches)
            m.plan_terms = np.stack([params.plans[m.plan_id][i] for i in issues], axis=-1) if m.plan_id else None
        self.plans = [m.plan_terms for m in mediators]
        first_plan = next((plan for plan in self.plans if plan is not None), None)
        self.last_proposal = first_plan.copy() if first_plan is not None else self.compromise()
        self.fixed_candidates = halton(int(talks.spec.candidates), n_issues)
        # Weights over the parties for the contract curve: each party alone, then an even spread.
        spread = halton(FRONTIER_WEIGHTS, len(parties)) + 1e-3
        self.frontier_weights = np.concatenate([np.eye(len(parties)), spread / spread.sum(axis=1, keepdims=True)])
        self.ideals = [*parties, *mediators]
        self.n_perturb = int(talks.spec.perturbations)
        self.recognition = np.stack([talks.recognition[p.actor_id] if p.actor_id in talks.recognition
                                     else np.zeros(runs) for p in parties if p.at_table], axis=-1)
        self.acceptance_floor = talks.proposal_acceptance_floor
        self.status_quo = np.stack([params.issues[i].status_quo for i in issues], axis=-1)
        self.assessor = Assessor(parties, mediators, views, keep_views=sink.enabled)
        self.options = OutsideOptions(runs)
        self.armistice = Armistice(talks.armistice, issues, self.status_quo, self.assessor)
        self.agenda = Agenda(talks.spec.agenda, issues, runs)
        self._no_deal_yet(runs, n_issues)
        self.draws = {"proposer": streams.uniform("talks:proposer")}
        self.ratification = Ratification(parties, runs, streams, state, sink)
        self.streams = streams
        for issue in issues if self.n_perturb else ():
            streams.declare(f"talks:perturb:{issue}", "normal", self.n_perturb)

    def _no_deal_yet(self, runs: int, n_issues: int) -> None:
        # The first deal (the record's), the deal standing now (the first, or one after a breakdown).
        self.ceasefire_round, self.second_round = np.full(runs, np.nan), np.full(runs, np.nan)
        self.terms, self.standing_terms = np.full((runs, n_issues), np.nan), np.full((runs, n_issues), np.nan)
        self.territory_effective, self.withdrawal = np.full(runs, np.nan), np.full(runs, np.nan)
        self.standing_territory, self.standing_withdrawal = np.full(runs, np.nan), np.full(runs, np.nan)

    # Changes from other arenas ------------------------------------------------------------

    def suspend(self, hit: np.ndarray, t: int, length: np.ndarray, cause: str) -> None:
        """A shock suspends the talks for ``length`` rounds; too many suspensions end them."""
        self.suspended_until = np.where(hit, np.maximum(self.suspended_until, t + length), self.suspended_until)
        self.suspensions += hit
        self.sink.log(hit, "-", "talks suspended", lambda i: f"for {length[i]} round(s) after {cause}")
        broke = hit & (self.suspensions >= self.max_suspensions) & self.state.talking()
        self.state.end(broke, COLLAPSE, "shock_suspension", "talks collapse after repeated suspensions")

    def reopen(self, runs: np.ndarray) -> None:
        """The deal broke down in the runs of the mask: the talks resume at once, with a fresh budget
        of suspensions and failed rounds; the mediators keep what they learned of the parties' types
        (their types have not changed) and the pressure already used (it weighs on a second deal too)."""
        self.state.status[runs], self.state.cause[runs], self.state.last_failure[runs] = TALKING, "none", "horizon"
        self.suspensions, self.failed_rounds = np.where(runs, 0, self.suspensions), np.where(runs, 0, self.failed_rounds)
        self.rejected_by[runs] = False
        self.standing_terms[runs] = np.nan
        self.armistice.standing[runs] = False
        self.agenda.reopen(runs)

    def add_leverage(self, runs: np.ndarray, episodes: np.ndarray) -> None:
        """The mediator uses pressure (it weighs on the deal's durability)."""
        self.leverage += runs * episodes

    # The round -----------------------------------------------------------------------------

    def compromise(self) -> np.ndarray:
        """Capability-and-salience weighted mean of the positions of the parties, veto players and mediators."""
        holders = [*self.parties, *self.mediators]
        positions = np.stack([h.position for h in holders], axis=1)
        salience = np.stack([h.salience for h in holders], axis=1)
        capability = np.stack([h.capability for h in holders], axis=1)
        return mech.compromise_point(positions, capability, salience)

    def outside_options_now(self, t: int, runs: np.ndarray, copy: Any = None) -> None:
        """The parties' values of fighting on as of round ``t`` in the runs of the mask (sim.model.outside_options)."""
        self.options.now(self, t, runs, copy, every_run=not ACTIVE_RUNS_ONLY)

    def mediator_scores(self, t: int, a: Assessment, n_fixed: int = 0) -> tuple[np.ndarray, np.ndarray]:
        """The mediators' score of each candidate, and their estimated chance that each party accepts it.

        A party's chance is the belief mass of its types that would sign the terms (none if the terms
        cross its hard red line or would not pass at home: both are public). The score is the log of
        the product of the chances (a Nash product over the estimated zone of agreement) plus the tilt
        toward the mediators' own utilities and plans (biased mediators; joint mediators' tilts
        averaged). Terms that no type they think possible would sign score by how far they fall short
        of the most willing type, in units of the belief's spread per grid point, and terms that cross
        a public constraint by how far they cross it, so that the search heads for the zone rather
        than wandering where every candidate fails alike.
        """
        estimated = []
        joint = np.zeros(a.threshold.shape[1:])
        for k, party in enumerate(self.parties):
            low, high = self.resolve_low[k], self.resolve_high[k]
            cutoff = mech.type_cutoff(party.fight_utility, party.fight_costs, a.threshold[k])
            share = mech.interval_share(self.resolve_prior[k], self.in_prior_units(k, low), self.in_prior_units(k, high),
                                        self.in_prior_units(k, cutoff), self.resolve_tilt[k])
            public_no = a.hard[k] | a.blocked_at_home[k]
            estimated.append(np.where(public_no, 0.0, share))
            willing = party.fight_utility - party.fight_costs / low
            spread = np.maximum(party.fight_costs / low - party.fight_costs / high, 1e-3)
            shortfall = np.maximum(willing[:, None] - a.threshold[k], 0.0) / spread[:, None]
            # Terms a public constraint rules out come last, ranked by how far they cross it; the
            # mediators weigh each party's chance by its capability (an asymmetric Nash product).
            joint += self.power[k][:, None] * np.where(public_no, -1e6 * (1 + a.breach[k]),
                                                       np.log(np.maximum(share, 1e-3)) - 0.5 * shortfall * shortfall)
        tilts = [m.tilt(a.candidates, a.mediator_utility[k], n_fixed) for k, m in enumerate(self.mediators)]
        return joint + joint_mean(tilts), np.stack(estimated)

    def _wide_set(self, t: int) -> Assessment:
        parts = [self.compromise()[:, None, :], self.last_proposal[:, None, :]]
        parts.extend(holder.position[:, None, :] for holder in self.ideals)
        parts.extend(plan[:, None, :] for plan in self.plans if plan is not None)
        parts.append(self.frontier())
        if self.n_perturb:
            # One stream per issue, drawn round by round (it is the largest); perturbation k of round t
            # sits at its own place, so more perturbations leave the first ones as they were.
            perturb = np.stack([self.streams.normal_in_round(f"talks:perturb:{issue}", t, self.n_perturb)
                                for issue in self.issues], axis=-1)
            parts.append(np.clip(self.last_proposal[:, None, :] + 0.05 * perturb, 0, 1))
        dynamic, armistice = self.armistice.with_armistices(np.concatenate(parts, axis=1))
        fixed, dynamic = self.agenda.hold(self.fixed_candidates, dynamic)
        return self.assessor.assess(fixed, dynamic, self.leverage, armistice)

    def frontier(self) -> np.ndarray:
        """Terms on the parties' contract curve, one per weight over the parties (see :func:`contract_curve`)."""
        return contract_curve(self.parties, self.views.front, self.frontier_weights)

    def _proposers(self, t: int, wide: Assessment, estimated: np.ndarray, choice: np.ndarray
                   ) -> tuple[np.ndarray, np.ndarray]:
        """Who proposes (-1: the mediator) and which candidate; a recognised party picks for itself."""
        proposer = np.full(self.runs, -1)
        if not self.recognition.any():
            return proposer, choice
        cumulative = np.cumsum(self.recognition, axis=-1)
        draw = self.draws["proposer"][:, t]
        proposer = np.where(draw < cumulative[:, -1], np.argmax(draw[:, None] < cumulative, axis=-1), -1)
        for j in range(self.recognition.shape[-1]):
            # A proposing party offers only terms it would sign itself, and among them the best for
            # it that the others (as the mediator's estimate has it) would likely accept; failing
            # that, it postures with the best terms for itself.
            acceptable = ~wide.hard[j] & ~wide.blocked_at_home[j] & (wide.margin[j] >= 0)
            others = np.prod(np.delete(estimated, j, axis=0), axis=0)
            feasible = acceptable & (others >= self.acceptance_floor[:, None])
            best_feasible = np.argmax(np.where(feasible, wide.deal_values[j], -np.inf), axis=-1)
            posture = np.argmax(np.where(~wide.hard[j], wide.deal_values[j], -np.inf), axis=-1)
            pick = np.where(feasible.any(axis=-1), best_feasible, posture)
            choice = np.where(proposer == j, pick, choice)
        return proposer, choice

    def step(self, t: int, active: np.ndarray, talking: np.ndarray | None = None) -> np.ndarray:
        """One round of talks in the runs of the mask ``active`` (``talking`` adds those whose talks are
        suspended: their values of fighting on are computed too); returns the runs that agreed."""
        if not active.any():
            return np.zeros(self.runs, bool)
        rows = np.flatnonzero(active)
        subset = ACTIVE_RUNS_ONLY and rows.size < self.runs
        # The others' answers would be thrown away: evaluate the talking runs alone (sim.model.subset).
        copy = take(self, rows, self.runs) if subset and (talking is None or (talking == active).all()) else None
        self.outside_options_now(t, active if talking is None else talking, copy)
        if subset:
            found = put((copy if copy is not None else take(self, rows, self.runs))._propose(t), rows, self.runs)
        else:
            found = self._propose(t)
        final, zopa = found.final, found.zopa
        self.chances = np.where(active[:, None], found.chances, self.chances)
        self.zopa_rounds += active & zopa
        self.estimated_zone = np.where(active, found.estimated_zone, self.estimated_zone)
        self.true_zone = np.where(active, found.true_zone, self.true_zone)
        self.cause_code = np.where(active, found.cause_code, self.cause_code)
        accepts = final.acceptance > 0.5
        if self.sink.enabled:
            tell_round(self, active, found.proposer, final, accepts, zopa)
        signed = active & accepts.all(axis=-1)
        # A yes short of the agenda's last item closes the item on the table; only the last is the deal.
        provisional = signed & ~self.agenda.at_last_item()
        agreed, voted_down = self.ratification.vote(t, signed & ~provisional, final.candidates, final.withdrawal,
                                                    self.by_force(final))
        self._learn(active, agreed | provisional, accepts, voted_down, zopa, final)
        if self.sink.enabled:
            tell_beliefs(self, active, final, accepts)
        self.agenda.close(provisional, final.candidates, self.sink)
        # Nothing is agreed until everything is: no completion of the closed items in sight reopens them.
        self.agenda.reopen(active & ~signed & (found.estimated_zone <= 0), self.sink)
        if agreed.any():
            self._agree(t, agreed, final)
        return agreed

    def _init_beliefs(self, spec: Any, parties: list[Any], runs: int) -> None:
        """The mediators' belief about each party's resolve (joint mediators share one): the prior is the
        scenario's distribution of it, held as quantiles on a grid; answers cut the interval of types
        still possible (a known resolve is an interval of one point); council news tilts it."""
        size = int(spec.belief_grid)
        known = spec.mediators_know_resolve
        self.resolve_prior = [quantile_grid(p.spec.party.resolve, size, p.resolve) for p in parties]
        # The grid holds the common prior; a wider prior of the mediators is that grid stretched about
        # its median, per run (mechanisms.widened), so the grid stays the same in every run.
        self.prior_centre = [float(np.interp(0.5, np.linspace(0, 1, size), grid)) for grid in self.resolve_prior]
        self.resolve_low, self.resolve_high = [], []
        for p, grid, centre in zip(parties, self.resolve_prior, self.prior_centre, strict=True):
            # A resolve the scenario fixes is known: every run's own value (design points may differ in it).
            told = known or not isinstance(p.spec.party.resolve, Distribution)
            ends = [mech.unwidened(np.full(runs, end), centre, p.resolve_prior_width) for end in (grid[0], grid[-1])]
            self.resolve_low.append(p.resolve.copy() if told else np.maximum(ends[0], mech.RESOLVE_FLOOR))
            self.resolve_high.append(p.resolve.copy() if told else ends[1])
        self.resolve_tilt = [np.zeros(runs) for _ in parties]
        """What the mediators read into council news about each party: the log likelihood ratio their belief
        is tilted by, toward the more resolute types (positive) or the less (negative)."""

    def in_prior_units(self, k: int, resolve: np.ndarray) -> np.ndarray:
        """Party ``k``'s resolve ``(runs, ...)`` as the common prior's point of the same rank in the mediators' prior."""
        return mech.widened(resolve, self.prior_centre[k], self.parties[k].resolve_prior_width)

    def hear(self, about: str, news: np.ndarray, likelihood_ratio: np.ndarray, council: str) -> None:
        """A council's news as evidence about a party's resolve: the mediators' belief about it tilts
        (:func:`sim.mechanisms.tilt_by_news`); a known resolve stays known."""
        k = next(k for k, p in enumerate(self.parties) if p.actor_id == about)
        heard = (news != 0) & (likelihood_ratio > 1) & (self.resolve_high[k] > self.resolve_low[k])
        if not heard.any():
            return
        self.resolve_tilt[k] = np.where(heard, mech.tilt_by_news(self.resolve_tilt[k], news, likelihood_ratio),
                                        self.resolve_tilt[k])
        if self.sink.enabled:
            tell_news(self.sink, heard, self.parties[k].name, council, news, self.resolve_tilt[k])

    def by_force(self, final: Assessment) -> dict[int, np.ndarray]:
        """The chosen terms read as the force behind them (issue -> per run), for bodies that judge so."""
        return {d: values for d, values in ((self.views.guarantees_issue, final.effective_guarantees),
                                            (self.views.deployment_issue, final.presence))
                if d is not None and values is not None}

    def _propose(self, t: int) -> Proposal:
        """The round's proposal in every run of the batch, and what the mediators computed on the way."""
        wide = self._wide_set(t)
        zopa = wide.zopa()
        n_fixed = 0 if self.agenda.any_closed() else len(self.fixed_candidates)
        scores, estimated = self.mediator_scores(t, wide, n_fixed=n_fixed)
        proposer, choice = self._proposers(t, wide, estimated, np.argmax(scores, axis=1))
        # The round's pick first, then the next best of the wide set as further starting points.
        ranked = np.argsort(-np.where(np.arange(scores.shape[1])[None, :] == choice[:, None], np.inf, scores),
                            axis=1, kind="stable")[:, :REFINE_STARTS]
        final, zopa, chances = refine(self, t, np.take_along_axis(wide.candidates, ranked[:, :, None], axis=1),
                                            proposer, zopa, np.take_along_axis(wide.armistice, ranked, axis=1))
        cause = mech.binding_constraint(wide.acceptable(), wide.hard, wide.blocked_at_home, wide.margin >= -1e-12)
        return Proposal(final=final, zopa=zopa, proposer=proposer, chances=chances,
                        estimated_zone=np.mean(np.all(estimated > 0, axis=0), axis=-1),
                        true_zone=np.mean(np.all(wide.acceptable(), axis=0), axis=-1),
                        cause_code=np.where(zopa, -1, cause))

    def _learn(self, active: np.ndarray, agreed: np.ndarray, accepts: np.ndarray, voted_down: np.ndarray,
               zopa: np.ndarray, final: Assessment) -> None:
        """Failure reasons, who rejected, and the mediator's sharper estimate."""
        failed = active & ~agreed
        self.failed_rounds += failed
        # Who rejected the last proposal; runs without talks this round keep their last answer.
        self.rejected_by = np.where(active[:, None], failed[:, None] & ~accepts, self.rejected_by)
        # Why this round failed: the constraint that binds in the zone of agreement computed from the
        # true types (a red line, approval at home, a party's value of fighting on), or, when a zone
        # existed, the mediators' not knowing the types ("horizon": the process missed it); a deal
        # voted down after signature is ratification.
        reason = np.full(self.runs, "no_zopa", dtype=object)
        reason[self.cause_code == -1] = "horizon"
        for i, party in enumerate(self.parties):
            for kind, name in enumerate((f"red_line_{party.actor_id}", "ratification",
                                         f"outside_option_{party.actor_id}")):
                reason[self.cause_code == 3 * i + kind] = name
        reason = np.where(voted_down, "ratification", reason)
        self.state.last_failure = np.where(failed, reason, self.state.last_failure)
        self.last_proposal = np.where(active[:, None], final.candidates, self.last_proposal)
        # Each answer cuts the interval of types still possible: a rejection rules out the types up to
        # the cutoff, an acceptance those above it (answers forced by a public constraint teach nothing).
        for k, party in enumerate(self.parties):
            informative = active & ~final.hard[:, k] & ~final.blocked_at_home[:, k]
            cutoff = mech.type_cutoff(party.fight_utility, party.fight_costs, final.threshold[:, k, None])[:, 0]
            low, high = self.resolve_low[k], self.resolve_high[k]
            self.resolve_low[k] = np.where(informative & ~accepts[:, k], np.minimum(np.maximum(low, cutoff), high), low)
            self.resolve_high[k] = np.where(informative & accepts[:, k], np.maximum(np.minimum(high, cutoff), low), high)

    def _agree(self, t: int, agreed: np.ndarray, final: Assessment) -> None:
        proposal = final.candidates
        self.state.status[agreed] = DEAL
        self.state.cause[agreed] = "none"
        self.standing_terms[agreed] = proposal[agreed]
        if final.territory is not None:
            self.standing_territory[agreed] = final.territory[agreed]
            self.standing_withdrawal[agreed] = final.withdrawal[agreed]
        armistice = agreed & final.armistice
        # The record keeps the first deal; a deal after a breakdown is a second one.
        first = agreed & np.isnan(self.ceasefire_round)
        self.armistice.agreed(agreed, first, armistice)
        self.second_round[agreed & ~first & np.isnan(self.second_round)] = t
        self.ceasefire_round[first] = t
        self.terms[first] = proposal[first]
        if final.territory is not None:
            self.territory_effective[first] = final.territory[first]
            self.withdrawal[first] = final.withdrawal[first]
        self.sink.log(agreed, "-", self.sink.words["deal"], lambda i: (
            f"agreed on {format_terms(self.issues, proposal[i])}" + self.armistice.words(bool(armistice[i]))))

"""The talks: each round the mediators (or a recognised party) propose terms and every party answers.

Every actor whose acceptance a deal needs answers: the parties at the table and the veto players
outside it (together the "parties" of this module, those at the table first).

A round: outside options; candidates (a fixed spread, the compromise point, the last proposal and
variations of it, the mediator's plan); the proposer's pick, refined locally; acceptance, domestic
ratification; why the round failed. The talks see the other arenas only through :class:`Views`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import mechanisms as mech
from ..streams import RunStreams
from .assessment import Assessment, Assessor, Views, halton
from .events import COLLAPSE, DEAL, EventSink, RunState
from .ratification import Ratification
from .story import format_terms, tell_round

__all__ = ["REFINE_STEPS", "Talks"]


def _mean(arrays: list[np.ndarray]) -> np.ndarray:
    """The mean of arrays (one array is returned as it is: one mediator's numbers stay exact; callers
    replace what it returns, never change it in place)."""
    return arrays[0] if len(arrays) == 1 else np.mean(arrays, axis=0)


#: Step sizes of the mediator's local refinement of its proposal.
REFINE_STEPS = (0.05, 0.02)


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
        runs, n_issues = len(streams.seeds), len(issues)
        self.runs = runs
        self.noise = talks.acceptance_noise
        self.max_suspensions = np.round(talks.max_suspensions)
        self.suspended_until = np.zeros(runs, dtype=np.int64)
        self.suspensions = np.zeros(runs, dtype=np.int64)
        self.failed_rounds = np.zeros(runs, dtype=np.int64)
        self.leverage = np.zeros(runs)
        self.zopa_rounds = np.zeros(runs, dtype=np.int64)
        self.rejected_by = np.zeros((runs, len(parties)), bool)
        # Joint mediators estimate the parties' outside options as one: their errors and learning averaged.
        self.estimate_sd = _mean([m.estimate_noise for m in mediators])
        self.learning = _mean([m.learning for m in mediators])
        self.plans = [np.stack([params.plans[m.plan_id][i] for i in issues], axis=-1) if m.plan_id else None
                      for m in mediators]
        first_plan = next((plan for plan in self.plans if plan is not None), None)
        self.last_proposal = first_plan.copy() if first_plan is not None else self.compromise()
        self.fixed_candidates = halton(int(talks.spec.candidates), n_issues)
        self.n_perturb = int(talks.spec.perturbations)
        self.recognition = np.stack([talks.recognition[p.actor_id] if p.actor_id in talks.recognition
                                     else np.zeros(runs) for p in parties if p.at_table], axis=-1)
        self.acceptance_floor = talks.proposal_acceptance_floor
        self.status_quo = np.stack([params.issues[i].status_quo for i in issues], axis=-1)
        self.assessor = Assessor(parties, mediators, views, self.noise, keep_views=sink.enabled)
        # The deal, once there is one.
        self.ceasefire_round = np.full(runs, np.nan)
        self.terms = np.full((runs, n_issues), np.nan)
        self.territory_effective = np.full(runs, np.nan)
        self.withdrawal = np.full(runs, np.nan)
        ids = [p.actor_id for p in parties]
        self.draws = {
            "accept": streams.uniform_by("talks:accept", ids),
            "proposer": streams.uniform("talks:proposer"),
            "estimate": np.stack([streams.normal(f"talks:estimate:{i}") for i in ids], axis=-1),
        }
        self.ratification = Ratification(parties, runs, streams, state, sink)
        self.streams = streams
        for issue in issues if self.n_perturb else ():
            streams.declare(f"talks:perturb:{issue}", "normal", self.n_perturb)

    # Changes from other arenas ------------------------------------------------------------

    def suspend(self, hit: np.ndarray, t: int, length: np.ndarray, cause: str) -> None:
        """A shock suspends the talks for ``length`` rounds; too many suspensions end them."""
        self.suspended_until = np.where(hit, np.maximum(self.suspended_until, t + length), self.suspended_until)
        self.suspensions += hit
        self.sink.log(hit, "-", "talks suspended", lambda i: f"for {length[i]} round(s) after {cause}")
        broke = hit & (self.suspensions >= self.max_suspensions) & self.state.talking()
        self.state.end(broke, COLLAPSE, "shock_suspension", "talks collapse after repeated suspensions")

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

    def outside_options(self) -> None:
        """Each party's value of no deal, from where it expects the front to be (set on the party)."""
        no_deal = np.broadcast_to(self.status_quo, (self.runs, len(self.issues)))
        front = self.views.front
        for party in self.parties:
            nd = no_deal.copy()
            if front.issue is not None:
                nd[:, front.issue] = front.expected_line(party.belief)
            party.no_deal_terms = nd
            party.outside_option = party.value_no_deal(nd, front.projection)

    def mediator_scores(self, t: int, a: Assessment, n_fixed: int = 0) -> tuple[np.ndarray, np.ndarray]:
        """The mediator's score of each candidate, from its estimate of the parties' outside options.

        Its estimate is off by an error that shrinks round by round as rejections reveal information.
        """
        error = (self.estimate_sd[:, None] * self.draws["estimate"][:, t]).T
        estimated = np.where(a.hard | a.blocked_at_home, 0.0,
                             mech.acceptance_probability(a.margin - error[:, :, None], self.noise[None, :, None]))
        # The log of the product of the parties' estimated acceptance chances (a Nash product), tilted
        # toward the mediators' own utilities and plans (biased mediators; joint mediators' tilts averaged).
        joint = np.sum(np.log(np.maximum(estimated, 1e-12)), axis=0)
        tilts = [m.tilt(a.candidates, a.mediator_utility[k], plan, n_fixed)
                 for k, (m, plan) in enumerate(zip(self.mediators, self.plans, strict=True))]
        return joint + _mean(tilts), estimated

    def _wide_set(self, t: int) -> Assessment:
        parts = [self.compromise()[:, None, :], self.last_proposal[:, None, :]]
        parts.extend(plan[:, None, :] for plan in self.plans if plan is not None)
        if self.n_perturb:
            # One stream per issue, drawn round by round (it is the largest); perturbation k of round t
            # sits at its own place, so more perturbations leave the first ones as they were.
            perturb = np.stack([self.streams.normal_in_round(f"talks:perturb:{issue}", t, self.n_perturb)
                                for issue in self.issues], axis=-1)
            parts.append(np.clip(self.last_proposal[:, None, :] + 0.05 * perturb, 0, 1))
        return self.assessor.assess(self.fixed_candidates, np.concatenate(parts, axis=1), self.leverage)

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

    def _refine(self, t: int, best: np.ndarray, proposer: np.ndarray, zopa: np.ndarray
                ) -> tuple[Assessment, np.ndarray]:
        """The mediator tries small steps along each issue around its pick and keeps the best, so its
        proposal does not hinge on how fine the candidate grid is."""
        n = len(self.issues)
        no_fixed = np.empty((0, n))
        rows = np.arange(self.runs)
        for step in REFINE_STEPS:
            moves = np.concatenate([np.eye(n), -np.eye(n)]) * step
            around = np.clip(np.concatenate([best[:, None, :], best[:, None, :] + moves], axis=1), 0, 1)
            local = self.assessor.assess(no_fixed, around, self.leverage, with_acceptance=True)
            zopa |= local.zopa()
            local_scores, _ = self.mediator_scores(t, local)
            pick = np.where(proposer < 0, np.argmax(local_scores, axis=1), 0)
            best = local.candidates[rows, pick]
        return local.at(pick), zopa

    def step(self, t: int, active: np.ndarray) -> np.ndarray:
        """One round of talks in the runs of the mask ``active``; returns the runs that agreed."""
        if not active.any():
            return np.zeros(self.runs, bool)
        self.outside_options()
        wide = self._wide_set(t)
        zopa = wide.zopa()
        scores, estimated = self.mediator_scores(t, wide, n_fixed=len(self.fixed_candidates))
        proposer, choice = self._proposers(t, wide, estimated, np.argmax(scores, axis=1))
        final, zopa = self._refine(t, wide.candidates[np.arange(self.runs), choice], proposer, zopa)
        self.zopa_rounds += active & zopa
        accepts = self.draws["accept"][:, t] < final.acceptance
        if self.sink.enabled:
            tell_round(self, active, proposer, final, accepts, zopa)
        agreed, voted_down = self.ratification.vote(t, active & accepts.all(axis=-1), final.candidates,
                                                    final.withdrawal)
        self._learn(active, agreed, accepts, voted_down, zopa, final)
        if agreed.any():
            self._agree(t, agreed, final)
        return agreed

    def _learn(self, active: np.ndarray, agreed: np.ndarray, accepts: np.ndarray, voted_down: np.ndarray,
               zopa: np.ndarray, final: Assessment) -> None:
        """Failure reasons, who rejected, and the mediator's sharper estimate."""
        failed = active & ~agreed
        self.failed_rounds += failed
        # Who rejected the last proposal; runs without talks this round keep their last answer.
        self.rejected_by = np.where(active[:, None], failed[:, None] & ~accepts, self.rejected_by)
        # Why this round failed, most specific first: a hard red line, domestic approval, no
        # bargaining range at all, or a range that the process missed ("horizon").
        reason = np.where(zopa, "horizon", "no_zopa").astype(object)
        for i in range(len(self.parties)):
            said_no = failed & ~accepts[:, i]
            reason = np.where((said_no & final.blocked_at_home[:, i]) | voted_down, "ratification", reason)
        for i, party in reversed(list(enumerate(self.parties))):
            said_no = failed & ~accepts[:, i]
            reason = np.where(said_no & final.hard[:, i], f"red_line_{party.actor_id}", reason)
        self.state.last_failure = np.where(failed, reason, self.state.last_failure)
        self.last_proposal = np.where(active[:, None], final.candidates, self.last_proposal)
        self.estimate_sd = np.where(active, self.estimate_sd * self.learning, self.estimate_sd)

    def _agree(self, t: int, agreed: np.ndarray, final: Assessment) -> None:
        proposal = final.candidates
        self.state.status[agreed] = DEAL
        self.state.cause[agreed] = "none"
        self.ceasefire_round[agreed] = t
        self.terms[agreed] = proposal[agreed]
        if final.territory is not None:
            self.territory_effective[agreed] = final.territory[agreed]
            self.withdrawal[agreed] = final.withdrawal[agreed]
        self.sink.log(agreed, "-", self.sink.words["deal"], lambda i: f"agreed on {format_terms(self.issues, proposal[i])}")

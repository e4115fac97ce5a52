"""The Mesa agents: what each role decides.

Every agent holds its own state as arrays over the runs of a batch (one entry per run), so one
call decides for every run at once; :mod:`sim.mechanisms` holds the math. An actor with several
roles is one agent per role, all carrying the same ``actor_id``.

- :class:`~sim.model.party.Party` (its own module) values terms and its outside option.
- :class:`Mediator` proposes terms (several mediators propose jointly).
- :class:`Backer` gives the coalition's force its backstop.
- :class:`Guarantor` may pledge troops after a deal (the cascade is run by the coalition).
- :class:`Member` votes on council measures.
- :class:`Influencer` raises aid for an actor on the front.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import mesa
import numpy as np

from .. import mechanisms as mech
from ..schema import ActorSpec
from .caches import BatchCache

__all__ = ["Actor", "Backer", "CoalitionOutlook", "Guarantor", "Influencer", "Mediator", "Member", "Preferences"]


@dataclass(frozen=True)
class CoalitionOutlook:
    """What the coalition would field for each candidate's deployment term (per run, per candidate)."""

    deterrent: np.ndarray
    """Deterrent value of the force that would deploy, 0-1."""
    beyond_consent: np.ndarray
    """Troops deploying beyond what the consenting party agreed to, as a share of F_needed."""
    presence: np.ndarray
    """The foreign presence that would stand, on the deployment issue's scale (what the consenting side sees
    when it judges the force rather than the clause)."""


class Actor(mesa.Agent):
    """An actor of the scenario in one role; state is held per run of the batch."""

    role = "actor"

    def __init__(self, model: mesa.Model, actor_id: str, spec: ActorSpec, params: Any):
        super().__init__(model)
        self.actor_id = actor_id
        self.spec = spec
        self.params = params
        """This actor's block of the run's typed parameters (:mod:`sim.model.params`)."""
        self.name = spec.name
        self.runs = len(params.capability)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.actor_id!r})"


class Preferences:
    """Ideal terms, saliences and risk attitude, per run (shared by parties and the mediator)."""

    def _init_preferences(self: Actor, issues: list[str]) -> None:
        p = self.params
        self.position = np.stack([p.position[i] for i in issues], axis=-1)
        salience = np.stack([p.salience[i] for i in issues], axis=-1)
        # Drawn saliences need not sum to 1 exactly; normalising keeps utilities in [0, 1].
        self.salience = salience / np.maximum(salience.sum(axis=-1, keepdims=True), 1e-12)
        self.risk = p.risk
        self.capability = p.capability
        # One number when the risk attitude is fixed (fast powers), per-run values when it is drawn.
        self.exponent = self.risk if p.is_drawn("risk") else float(self.risk[0])
        self.fixed_utility = BatchCache(self._utility_of_fixed)
        """Its utility of the fixed candidates on the issues not replaced, by those issues (sim.model.caches)."""

    def utility(self, terms: np.ndarray) -> np.ndarray:
        """Utility of terms ``(runs, ..., issues)`` whose front issue is already effective control."""
        extra = terms.ndim - 2
        shape = (self.position.shape[0],) + (1,) * extra
        exponent = self.exponent if np.ndim(self.exponent) == 0 else self.exponent.reshape(shape)
        return mech.utility(terms, self.position.reshape(*shape, -1), self.salience.reshape(*shape, -1), exponent)

    def issue_utility(self, issue: int, values: np.ndarray) -> np.ndarray:
        """Salience-weighted utility on one issue of values ``(runs, candidates)``."""
        distance = np.abs(values - self.position[:, issue, None])
        exponent = self.exponent if np.ndim(self.exponent) == 0 else self.exponent[:, None]
        return self.salience[:, issue, None] * (1.0 - mech.power(distance, exponent))

    def preferences_changed(self) -> None:
        """Call after changing its ideal terms: drops its cached utilities."""
        self.fixed_utility.clear()

    def _utility_of_fixed(self, cols: tuple[int, ...], fixed: np.ndarray) -> np.ndarray:
        """Utility of the fixed candidates ``(n_fixed, issues)`` on issues ``cols`` only, per run ``(runs, n_fixed)``."""
        cols_list = list(cols)
        distance = np.abs(fixed[None, :, cols_list] - self.position[:, None, cols_list])
        exponent = self.exponent if np.ndim(self.exponent) == 0 else self.exponent[:, None, None]
        return np.sum(self.salience[:, None, cols_list] * (1.0 - mech.power(distance, exponent)), axis=-1)

    def shift_position(self, runs: np.ndarray, issue: int, by: np.ndarray) -> None:
        """Move its ideal term on one issue (clipped to 0-1) in the runs of the mask."""
        self.position[:, issue] = np.where(runs, np.clip(self.position[:, issue] + by, 0, 1), self.position[:, issue])
        self.preferences_changed()

    def candidate_utility(self, fixed: np.ndarray, dynamic: np.ndarray, replaced: dict[int, np.ndarray]) -> np.ndarray:
        """Utility of the round's candidates: a fixed set shared by all runs, then per-run ones.

        Args:
            fixed: ``(n_fixed, issues)`` terms, the same in every run and round.
            dynamic: ``(runs, n_dynamic, issues)`` terms of this round.
            replaced: issue -> ``(runs, n_fixed + n_dynamic)`` values that replace those terms (the
                front issue as effective control, guarantees as effective guarantees).

        The fixed candidates' utility on the other issues changes only when its ideal terms do, so it
        is computed once for the batch (:attr:`fixed_utility`): this is most of the model's arithmetic.
        """
        n_fixed = fixed.shape[0]
        if n_fixed == 0:
            terms = dynamic.copy()
            for d, values in replaced.items():
                terms[..., d] = values
            return self.utility(terms)
        terms = dynamic.copy()
        for d, values in replaced.items():
            terms[..., d] = values[:, n_fixed:]
        fixed_part = self.fixed_utility.get(tuple(d for d in range(fixed.shape[1]) if d not in replaced), fixed).copy()
        for d, values in replaced.items():
            fixed_part += self.issue_utility(d, values[:, :n_fixed])
        return np.concatenate([fixed_part, self.utility(terms)], axis=1)


class Mediator(Actor, Preferences):
    """Proposes terms each round, alone or jointly with other mediators."""

    role = "mediator"

    def __init__(self, model: mesa.Model, actor_id: str, spec: ActorSpec, params: Any, issues: list[str]):
        super().__init__(model, actor_id, spec, params)
        self._init_preferences(issues)
        m = params.mediator
        self.plan_id = spec.mediator.plan if spec.mediator else None
        self.bias = m.bias
        self.plan_pull = m.plan_pull
        self.plan_terms: np.ndarray | None = None
        """Its plan's terms per run ``(runs, issues)``, set by the talks (None: no plan)."""
        self.closeness_to_plan = BatchCache(self._closeness_of_fixed)
        """The fixed candidates' closeness to its plan (sim.model.caches; plans never change)."""

    def tilt(self, candidates: np.ndarray, own_utility: np.ndarray, n_fixed: int = 0) -> np.ndarray:
        """How far it leans toward each candidate, per run: its own utility and its plan, weighed by its bias.

        The first ``n_fixed`` candidates are the fixed set, the same in every round, whose closeness
        to the (fixed) plan is computed once.
        """
        tilt, plan = own_utility, self.plan_terms
        if plan is not None:
            rest = 1 - np.mean(np.abs(candidates[:, n_fixed:] - plan[:, None, :]), axis=-1)
            if n_fixed:
                rest = np.concatenate([self.closeness_to_plan.get(n_fixed, candidates[0, :n_fixed]), rest], axis=1)
            tilt = tilt + self.plan_pull[:, None] * rest
        return self.bias[:, None] * tilt

    def _closeness_of_fixed(self, n_fixed: int, fixed: np.ndarray) -> np.ndarray:
        """Closeness of the fixed candidates ``(n_fixed, issues)`` to its plan, per run ``(runs, n_fixed)``."""
        assert self.plan_terms is not None
        return 1 - np.mean(np.abs(fixed[None] - self.plan_terms[:, None, :]), axis=-1)


class Backer(Actor):
    """Gives the coalition's force the support (intelligence, logistics, air cover) it needs."""

    role = "backer"

    def __init__(self, model: mesa.Model, actor_id: str, spec: ActorSpec, params: Any):
        super().__init__(model, actor_id, spec, params)
        self.backstop = params.backer.backstop.copy()

    def change_backstop(self, runs: np.ndarray, by: np.ndarray) -> None:
        """A shock moves the backstop it offers, in the runs of the mask ``runs``."""
        self.backstop = np.where(runs, np.clip(self.backstop + by, 0, 1), self.backstop)


class Guarantor(Actor):
    """A potential troop contributor; its conditions are arrays the coalition cascade reads."""

    role = "guarantor"

    def __init__(self, model: mesa.Model, actor_id: str, spec: ActorSpec, params: Any, index: int):
        super().__init__(model, actor_id, spec, params)
        g = spec.guarantor
        assert g is not None
        p = params.guarantor
        self.index = index
        self.troops = p.troops
        self.force_type = g.force_type
        self.also_fields = g.also_fields
        self.requires_consent = g.requires_consent
        self.min_backstop = p.min_backstop
        self.threshold = p.threshold.copy()
        self.mandate_probability = p.mandate_probability
        self.risk_tolerance = p.risk_tolerance

    def hesitate(self, runs: np.ndarray, by: np.ndarray) -> None:
        """A shock raises its joining threshold, if it deploys only with consent."""
        if self.requires_consent:
            self.threshold = np.where(runs, self.threshold + by, self.threshold)


class Member(Actor):
    """Votes on council measures: against those it opposes while its grievance lasts, for the rest."""

    role = "member"

    def __init__(self, model: mesa.Model, actor_id: str, spec: ActorSpec, params: Any, index: int):
        super().__init__(model, actor_id, spec, params)
        e = spec.member
        p = params.member
        assert e is not None
        self.index = index
        self.votes_against = set(e.votes_against)
        runs = self.runs
        self.against_probability = p.against_probability
        self.grievance_end = p.grievance_end_probability
        self.election_round = p.election_round if e.election_round is not None else np.full(runs, -1.0)
        self.change_probability = p.government_change_probability
        self.against_after_change = p.against_probability_after_change
        self.weights = dict(p.weights)
        self.aggrieved = np.ones(runs, bool)
        self.government_changed = np.zeros(runs, bool)

    def against_chance(self) -> np.ndarray:
        """Chance this round that it votes against a measure it opposes, per run."""
        return np.where(self.government_changed, self.against_after_change,
                        np.where(self.aggrieved, self.against_probability, 0.0))

    def votes_no(self, measure: str, draw: np.ndarray) -> np.ndarray:
        """Whether it votes against ``measure`` this round, per run."""
        if measure not in self.votes_against:
            return np.zeros(draw.shape, bool)
        return draw < self.against_chance()

    def settle_grievance(self, runs: np.ndarray) -> None:
        """Its grievance ends in the runs of the mask: it stops linking its vote to the dispute."""
        self.aggrieved &= ~runs


class Influencer(Actor):
    """Raises aid for an actor on the front, round by round, up to a cap."""

    role = "influencer"

    def __init__(self, model: mesa.Model, actor_id: str, spec: ActorSpec, params: Any, supported: Any):
        super().__init__(model, actor_id, spec, params)
        self.supports = spec.influencer.supports if spec.influencer else ""
        self.supported = supported
        """The war effort it aids (:class:`sim.model.front.WarEffort`)."""
        self.aid_per_round = params.influencer.aid_per_round
        self.max_aid = params.influencer.max_aid
        self.given = np.zeros(self.runs)

    def give_aid(self) -> None:
        """Add this round's aid to the supported actor's strength."""
        more = np.minimum(self.aid_per_round, np.maximum(self.max_aid - self.given, 0.0))
        self.given += more
        self.supported.aid += more

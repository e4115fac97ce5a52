"""The Mesa agents: what each role decides.

Every agent holds its own state as arrays over the runs of a batch (one entry per run), so one
call decides for every run at once; :mod:`sim.mechanisms` holds the math. An actor with several
roles is one agent per role, all carrying the same ``actor_id``.

- :class:`Party` values terms, its outside option, and accepts or rejects a proposal.
- :class:`Mediator` proposes terms and provides the backstop.
- :class:`Guarantor` may pledge troops after a ceasefire (the cascade is run by the model).
- :class:`EUMember` votes on measures that need unanimity.
- :class:`Influencer` raises aid for a party.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import mesa
import numpy as np

from . import mechanisms as mech
from .schema import ActorSpec

if TYPE_CHECKING:
    from .model import NegotiationModel

__all__ = ["Actor", "CoalitionOutlook", "EUMember", "Guarantor", "Influencer", "Mediator", "Party"]


@dataclass(frozen=True)
class CoalitionOutlook:
    """What the coalition would field for each candidate's deployment term (per run, per candidate)."""

    deterrent: np.ndarray
    """Deterrent value of the force that would deploy, 0-1."""
    beyond_consent: np.ndarray
    """Troops deploying beyond what the consenting party agreed to, as a share of F_needed."""


class Actor(mesa.Agent):
    """An actor of the scenario in one role; state is held per run of the batch."""

    role = "actor"

    def __init__(self, model: NegotiationModel, actor_id: str, spec: ActorSpec):
        super().__init__(model)
        self.actor_id = actor_id
        self.spec = spec
        self.name = spec.name

    def param(self, *path: str | int) -> np.ndarray:
        """This actor's parameter at a key path below it, one value per run."""
        return self.model.param("actors", self.actor_id, *path)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.actor_id!r})"


class Preferences:
    """Ideal terms, saliences and risk attitude, per run (shared by parties and the mediator)."""

    def _init_preferences(self: Actor) -> None:
        issues = self.model.issues
        self.position = np.stack([self.param("position", i) for i in issues], axis=-1)
        salience = np.stack([self.param("salience", i) for i in issues], axis=-1)
        # Drawn saliences need not sum to 1 exactly; normalising keeps utilities in [0, 1].
        self.salience = salience / np.maximum(salience.sum(axis=-1, keepdims=True), 1e-12)
        self.risk = self.param("risk")
        # One number when the risk attitude is fixed (fast powers), per-run values when it is drawn.
        self.exponent = self.risk if f"actors.{self.actor_id}.risk" in self.model.drawn else float(self.risk[0])

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
        """Call after changing positions or saliences: drops cached utilities."""
        self._cache_key = None

    def candidate_utility(self, fixed: np.ndarray, dynamic: np.ndarray, replaced: dict[int, np.ndarray]) -> np.ndarray:
        """Utility of the round's candidates: a fixed set shared by all runs, then per-run ones.

        Args:
            fixed: ``(n_fixed, issues)`` terms, the same in every run and round.
            dynamic: ``(runs, n_dynamic, issues)`` terms of this round.
            replaced: issue -> ``(runs, n_fixed + n_dynamic)`` values that replace those terms (the
                front issue as effective control, guarantees as effective guarantees).

        The fixed candidates' utility on the other issues changes only when positions do, so it is
        computed once and cached: this is most of the model's arithmetic.
        """
        n_fixed = fixed.shape[0]
        key = tuple(sorted(replaced))
        if n_fixed == 0:
            terms = dynamic.copy()
            for d, values in replaced.items():
                terms[..., d] = values
            return self.utility(terms)
        if getattr(self, "_cache_key", None) != key:
            cols = [d for d in range(fixed.shape[1]) if d not in replaced]
            distance = np.abs(fixed[None, :, cols] - self.position[:, None, cols])
            exponent = self.exponent if np.ndim(self.exponent) == 0 else self.exponent[:, None, None]
            self._cached = np.sum(self.salience[:, None, cols] * (1.0 - mech.power(distance, exponent)), axis=-1)
            self._cache_key = key
        terms = dynamic.copy()
        for d, values in replaced.items():
            terms[..., d] = values[:, n_fixed:]
        fixed_part = self._cached.copy()
        for d, values in replaced.items():
            fixed_part += self.issue_utility(d, values[:, :n_fixed])
        return np.concatenate([fixed_part, self.utility(terms)], axis=1)


class Party(Actor, Preferences):
    """A party to the talks: a deal needs its acceptance."""

    role = "party"

    def __init__(self, model: NegotiationModel, actor_id: str, spec: ActorSpec, index: int):
        super().__init__(model, actor_id, spec)
        self.index = index
        self._init_preferences()
        p = spec.party
        assert p is not None
        self.resolve = self.param("party", "resolve")
        self.discount = self.param("party", "discount")
        self.hold_out = self.param("party", "hold_out")
        self.war_cost = self.param("party", "war_cost")
        self.sanctions_cost = self.param("party", "sanctions_cost")
        self.funding_cost = self.param("party", "funding_cost")
        self.optimism = self.param("party", "optimism")
        self.unconsented_penalty = self.param("party", "unconsented_force_penalty")
        self.judges_guarantees = p.judges_guarantees
        runs, n_issues = self.position.shape
        self.at_least = np.full((runs, n_issues), -np.inf)
        self.at_most = np.full((runs, n_issues), np.inf)
        self.penalty_low = np.zeros((runs, n_issues))
        self.penalty_high = np.zeros((runs, n_issues))
        self.hard_low = np.zeros((runs, n_issues), bool)
        self.hard_high = np.zeros((runs, n_issues), bool)
        everyone = np.ones(runs, bool)
        for k, line in enumerate(spec.red_lines):
            self.set_red_line(everyone, model.issues.index(line.issue), line.op,
                              self.param("red_lines", k, "bound"), line.hard, self.param("red_lines", k, "penalty"))
        # Changing state, per run.
        self.cost_factor = np.ones(runs)
        self.strength_factor = np.ones(runs)
        self.aid = np.zeros(runs)
        self.funding = np.ones(runs)
        self.runway = self.param("party", "funding", "runway_rounds") if p.funding else np.full(runs, np.inf)
        self.belief = np.zeros(runs)
        self.cost_now = self.war_cost.copy()
        self.outside_option = np.zeros(runs)
        r = p.ratification
        self.ratification = r
        if r is not None:
            self.rat_intercept = self.param("party", "ratification", "intercept")
            self.rat_weights = np.stack(
                [self.param("party", "ratification", "weights", i) if i in r.weights else np.zeros(runs)
                 for i in model.issues], axis=-1)
            self.rat_withdrawal = (self.param("party", "ratification", "weights", "withdrawal")
                                   if "withdrawal" in r.weights else np.zeros(runs))
            self.rat_threshold = self.param("party", "ratification", "threshold")

    def set_red_line(self, runs: np.ndarray, issue: int, op: str, bound: np.ndarray | float, hard: bool | None,
                     penalty: np.ndarray | float | None, *, tighten: bool = False) -> None:
        """Add or move, in the runs of the mask ``runs``, the red line on one issue.

        ``hard`` and ``penalty`` of None keep what the line had (a line that did not exist
        becomes soft with penalty 1). With ``tighten`` the bound only moves the strict way: a
        hardening shock never loosens a stricter line.
        """
        lower = op == ">="
        bounds = self.at_least if lower else self.at_most
        hards = self.hard_low if lower else self.hard_high
        penalties = self.penalty_low if lower else self.penalty_high
        existed = np.isfinite(bounds[:, issue])
        new_bound = np.broadcast_to(bound, runs.shape)
        if tighten:
            new_bound = np.maximum(new_bound, bounds[:, issue]) if lower else np.minimum(new_bound, bounds[:, issue])
        bounds[runs, issue] = new_bound[runs]
        if hard is not None:
            hards[runs, issue] = hard
        if penalty is not None:
            penalties[runs, issue] = np.broadcast_to(penalty, runs.shape)[runs]
        else:
            penalties[runs & ~existed, issue] = 1.0

    def red_lines(self, terms: np.ndarray, seen: dict[int, np.ndarray] | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Soft-line penalty and hard-line breach for terms ``(runs, candidates, issues)``.

        ``seen`` replaces some issues' terms by what the party sees (effective control, effective
        guarantees), as in :meth:`candidate_utility`. Only the sides of issues that carry a line are
        evaluated, one line at a time: lines are few, candidates many (the arithmetic of
        :func:`sim.mechanisms.red_line_penalty`).
        """
        seen = seen or {}
        penalty = np.zeros(terms.shape[:-1])
        broken = np.zeros(terms.shape[:-1], bool)
        for bounds, hard, weight, lower in ((self.at_least, self.hard_low, self.penalty_low, True),
                                            (self.at_most, self.hard_high, self.penalty_high, False)):
            for d in np.flatnonzero(np.isfinite(bounds).any(axis=0)):
                values = seen[d] if d in seen else terms[..., d]
                violation = mech.red_line_violation(values, bounds[:, d, None], at_least=lower)
                soft = np.where(hard[:, d], 0.0, weight[:, d])
                if soft.any():
                    penalty += soft[:, None] * violation
                if hard[:, d].any():
                    broken |= hard[:, d, None] & (violation > mech.BREACH)
        return penalty, broken

    def ratification_chance(self, terms: np.ndarray, withdrawal: np.ndarray) -> np.ndarray:
        """Chance the deal clears domestic approval (two-level game), per run and candidate."""
        if self.ratification is None:
            return np.ones(terms.shape[:-1])
        logit = self.rat_intercept[:, None] + self.rat_withdrawal[:, None] * withdrawal
        for d in np.flatnonzero(np.any(self.rat_weights != 0, axis=0)):
            logit = logit + self.rat_weights[:, d, None] * terms[..., d]
        return mech.logistic(logit)

    def update_costs(self, sanctions: np.ndarray) -> None:
        """This round's war cost: base, raised by sanctions and by a funding shortfall."""
        self.cost_now = (self.war_cost * self.cost_factor * (1 + self.sanctions_cost * sanctions)
                         * (1 + self.funding_cost * (1 - self.funding)))

    def value_no_deal(self, no_deal_terms: np.ndarray, projection_rounds: np.ndarray) -> np.ndarray:
        """Outside option: utility of the projected no-deal state minus discounted war costs."""
        return self.utility(no_deal_terms) - mech.future_cost(self.cost_now, self.discount, projection_rounds,
                                                               self.resolve)

    def deal_value(self, utility: np.ndarray, penalty: np.ndarray, relapse_risk: np.ndarray | None,
                   relapse_value: np.ndarray | None, outlook: CoalitionOutlook | None,
                   is_consenting: bool) -> np.ndarray:
        """What a deal is worth to this party, per run and candidate, given the terms' utility and
        soft red-line penalty.

        A party that judges guarantees weighs the deal by the risk the war resumes within its
        horizon (then it gets ``relapse_value``); the consenting party loses utility for troops
        deployed beyond its consent.
        """
        value = utility - penalty
        if self.judges_guarantees and relapse_risk is not None and relapse_value is not None:
            value = (1 - relapse_risk) * value + relapse_risk * relapse_value
        if is_consenting and outlook is not None:
            value = value - self.unconsented_penalty[:, None] * outlook.beyond_consent
        return value


class Mediator(Actor, Preferences):
    """Proposes terms each round and backs the coalition's force."""

    role = "mediator"

    def __init__(self, model: NegotiationModel, actor_id: str, spec: ActorSpec):
        super().__init__(model, actor_id, spec)
        self._init_preferences()
        m = spec.mediator
        self.plan_id = m.plan if m else None
        self.bias = self.param("mediator", "bias")
        self.plan_pull = self.param("mediator", "plan_pull")
        self.estimate_noise = self.param("mediator", "estimate_noise")
        self.learning = self.param("mediator", "learning")
        self.backstop = self.param("mediator", "backstop").copy()

    def score(self, candidates: np.ndarray, own_utility: np.ndarray, estimated_acceptance: np.ndarray,
              plan: np.ndarray | None, n_fixed: int = 0) -> np.ndarray:
        """How much it wants to propose each candidate, per run; it proposes the best.

        The log of the product of the parties' (estimated) acceptance chances (a Nash product;
        ``estimated_acceptance`` is (parties, runs, candidates)), tilted toward its own utility and
        its plan: a biased mediator. The first ``n_fixed`` candidates are the fixed set, the same in
        every round, whose closeness to the (fixed) plan is computed once.
        """
        joint = np.sum(np.log(np.maximum(estimated_acceptance, 1e-12)), axis=0)
        tilt = own_utility
        if plan is not None:
            rest = 1 - np.mean(np.abs(candidates[:, n_fixed:] - plan[:, None, :]), axis=-1)
            if n_fixed:
                if getattr(self, "_fixed_closeness", None) is None:
                    self._fixed_closeness = 1 - np.mean(np.abs(candidates[:, :n_fixed] - plan[:, None, :]), axis=-1)
                rest = np.concatenate([self._fixed_closeness, rest], axis=1)
            tilt = tilt + self.plan_pull[:, None] * rest
        return joint + self.bias[:, None] * tilt


class Guarantor(Actor):
    """A potential troop contributor; its conditions are arrays the coalition cascade reads."""

    role = "guarantor"

    def __init__(self, model: NegotiationModel, actor_id: str, spec: ActorSpec, index: int):
        super().__init__(model, actor_id, spec)
        g = spec.guarantor
        assert g is not None
        self.index = index
        self.troops = self.param("guarantor", "troops")
        self.force_type = g.force_type
        self.requires_consent = g.requires_consent
        self.min_backstop = self.param("guarantor", "min_backstop")
        self.threshold = self.param("guarantor", "threshold").copy()
        self.mandate_probability = self.param("guarantor", "mandate_probability")
        self.risk_tolerance = self.param("guarantor", "risk_tolerance")


class EUMember(Actor):
    """Votes on EU measures under unanimity: vetoes what it blocks while its grievance lasts."""

    role = "eu_member"

    def __init__(self, model: NegotiationModel, actor_id: str, spec: ActorSpec, index: int):
        super().__init__(model, actor_id, spec)
        e = spec.eu_member
        self.index = index
        self.blocks = set(e.blocks) if e else set()
        runs = model.runs
        self.veto_probability = self.param("eu_member", "veto_probability") if e else np.zeros(runs)
        self.grievance_end = self.param("eu_member", "grievance_end_probability") if e else np.zeros(runs)
        self.election_round = (self.param("eu_member", "election_round") if e and e.election_round is not None
                               else np.full(runs, -1.0))
        self.change_probability = self.param("eu_member", "government_change_probability") if e else np.zeros(runs)
        self.veto_after_change = self.param("eu_member", "veto_probability_after_change") if e else np.zeros(runs)
        self.aggrieved = np.ones(runs, bool)
        self.government_changed = np.zeros(runs, bool)

    def veto_chance(self) -> np.ndarray:
        """Chance this round that it vetoes a measure it blocks, per run."""
        return np.where(self.government_changed, self.veto_after_change,
                        np.where(self.aggrieved, self.veto_probability, 0.0))

    def vetoes(self, measure: str, draw: np.ndarray) -> np.ndarray:
        """Whether it vetoes ``measure`` this round, per run."""
        if measure not in self.blocks:
            return np.zeros(draw.shape, bool)
        return draw < self.veto_chance()


class Influencer(Actor):
    """Raises aid for the party it supports, round by round, up to a cap."""

    role = "influencer"

    def __init__(self, model: NegotiationModel, actor_id: str, spec: ActorSpec):
        super().__init__(model, actor_id, spec)
        self.supports = spec.influencer.supports if spec.influencer else ""
        self.aid_per_round = self.param("influencer", "aid_per_round")
        self.max_aid = self.param("influencer", "max_aid")
        self.given = np.zeros(model.runs)

    def step(self) -> None:
        """Add this round's aid to the supported party's strength."""
        party = self.model.party_by_id.get(self.supports)
        if party is None:
            return
        more = np.minimum(self.aid_per_round, np.maximum(self.max_aid - self.given, 0.0))
        self.given += more
        party.aid += more

"""The party agent: a deal needs its acceptance.

It values terms (its preferences less its red lines' penalties, weighed by the risk that the war
resumes), its outside option (where it expects the front to be, less the war's costs), and whether
the deal would pass at home. Its state is held per run of the batch; :mod:`sim.mechanisms` holds the math.
"""

from __future__ import annotations

from typing import Any

import mesa
import numpy as np

from .. import mechanisms as mech
from ..schema import ActorSpec
from .actors import Actor, CoalitionOutlook, Preferences

__all__ = ["Party"]


class Party(Actor, Preferences):
    """An actor whose acceptance a deal needs: a party at the table, or a veto player outside it.

    ``index`` is its place among all of them (the parties at the table first).
    """

    role = "party"

    def __init__(self, model: mesa.Model, actor_id: str, spec: ActorSpec, params: Any, issues: list[str], index: int,
                 *, at_table: bool = True):
        super().__init__(model, actor_id, spec, params)
        self.index = index
        self.at_table = at_table
        if not at_table:
            self.role = "veto_player"
        self._init_preferences(issues)
        p = spec.party
        assert p is not None
        q = params.party
        self.resolve = q.resolve
        self.resolve_prior_width = q.resolve_prior_width
        self.discount = q.discount
        self.hold_out = q.hold_out
        self.war_cost = q.war_cost
        self.sanctions_cost = q.sanctions_cost
        self.funding_cost = q.funding_cost
        self.optimism = q.optimism
        self.unconsented_penalty = q.unconsented_force_penalty
        self.judges_guarantees = p.judges_guarantees
        runs, n_issues = self.position.shape
        self.at_least = np.full((runs, n_issues), -np.inf)
        self.at_most = np.full((runs, n_issues), np.inf)
        self.penalty_low = np.zeros((runs, n_issues))
        self.penalty_high = np.zeros((runs, n_issues))
        self.hard_low = np.zeros((runs, n_issues), bool)
        self.hard_high = np.zeros((runs, n_issues), bool)
        everyone = np.ones(runs, bool)
        self.before_ceasefire = np.array([any(line.before_ceasefire and line.issue == i for line in spec.red_lines)
                                          for i in issues])
        """Issues on which it has a line that holds for an armistice too (a condition of any ceasefire)."""
        for k, line in enumerate(spec.red_lines):
            lines = params.red_lines[k]
            self.set_red_line(everyone, issues.index(line.issue), line.op, lines.bound, line.hard, lines.penalty)
        # Changing state, per run.
        self.cost_factor = np.ones(runs)
        self.effort: Any = None
        """Its war effort on the front (:class:`sim.model.front.WarEffort`), if it is on a side; its
        funding shortfall raises its war cost."""
        # What it believes of how the war goes: a distribution over the front's drift on a grid (set
        # and taught by the front), and its mean.
        self.drift_grid = np.zeros((runs, 1))
        self.drift_weights = np.ones((runs, 1))
        self.belief = np.zeros(runs)
        self._init_stock(q, runs)
        self.cost_now = self.war_cost.copy()
        self.outside_option = np.zeros(runs)
        """Its value of fighting on (with its true resolve): ``fight_utility - fight_costs / resolve``."""
        self.fight_utility = np.zeros(runs)
        """Expected utility of the end state it projects (over its belief about the drift)."""
        self.fight_costs = np.zeros(runs)
        """Discounted war costs until that end state, before dividing by resolve."""
        self._init_bodies(p, q, issues)

    def _init_bodies(self, p: Any, q: Any, issues: list[str]) -> None:
        """The bodies whose approval the leader needs before signing, and those that vote after signing."""
        self.bodies = [(body, q.ratification[k]) for k, body in enumerate(p.ratification)]
        self.leader_bodies = [(b, bq) for b, bq in self.bodies if b.rule == "leader"]
        self.voting_bodies = [(b, bq) for b, bq in self.bodies if b.rule != "leader"]
        # The issues each body weighs, in the model's order (found once: approval is in every round's assessment).
        self._weighed = {body.body: [(d, issue) for d, issue in enumerate(issues) if issue in body.weights]
                         for body, _ in self.bodies}
        # A body that judges guarantees as the public would see them: by the force behind them.
        self._sees_force = {body.body: self.judges_guarantees if body.judges_guarantees is None
                            else body.judges_guarantees for body, _ in self.bodies}

    def _init_stock(self, q: Any, runs: int) -> None:
        """Its stock (manpower, money, materiel) in rounds of fighting, and what it drives."""
        self.endurance = q.endurance_rounds if q.endurance_rounds is not None else np.full(runs, np.inf)
        self.strain = q.strain
        self.concession = q.concession_with_depletion
        self.used = np.zeros(runs)

    def set_red_line(self, runs: np.ndarray, issue: int, op: str, bound: np.ndarray | float, hard: bool | None,
                     penalty: np.ndarray | float | None, *, moves: str = "either") -> None:
        """Add or move, in the runs of the mask ``runs``, the red line on one issue.

        ``hard`` and ``penalty`` of None keep what the line had (a line that did not exist
        becomes soft with penalty 1). ``moves`` says which way the bound may go: ``tighten`` only the
        strict way (a hardening shock never loosens a stricter line), ``loosen`` only the lenient way
        (a softening shock never hardens a looser one, nor adds a line), ``either`` it is set.
        """
        lower = op == ">="
        bounds, hards, penalties = self._line_arrays(op)
        existed = np.isfinite(bounds[:, issue])
        new_bound = np.broadcast_to(bound, runs.shape)
        if moves != "either":
            stricter = np.maximum if lower else np.minimum
            looser = np.minimum if lower else np.maximum
            new_bound = (stricter if moves == "tighten" else looser)(new_bound, bounds[:, issue])
            if moves == "loosen":
                runs = runs & existed
        bounds[runs, issue] = new_bound[runs]
        if hard is not None:
            hards[runs, issue] = hard
        if penalty is not None:
            penalties[runs, issue] = np.broadcast_to(penalty, runs.shape)[runs]
        else:
            penalties[runs & ~existed, issue] = 1.0

    def _line_arrays(self, op: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The bounds, hardness and penalties of the red lines on one side (``>=`` or ``<=``), (runs, issues)."""
        if op == ">=":
            return self.at_least, self.hard_low, self.penalty_low
        return self.at_most, self.hard_high, self.penalty_high

    def red_line_state(self, issue: int, op: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """A copy of the red line on one issue and side (bound, hardness, penalty per run), to restore later."""
        return tuple(side[:, issue].copy() for side in self._line_arrays(op))  # type: ignore[return-value]

    def restore_red_line(self, runs: np.ndarray, issue: int, op: str,
                         state: tuple[np.ndarray, np.ndarray, np.ndarray]) -> None:
        """Put back, in the runs of the mask, a red line saved by :meth:`red_line_state` (a temporary change ends)."""
        for side, saved in zip(self._line_arrays(op), state, strict=True):
            side[runs, issue] = saved[runs]

    def red_lines(self, terms: np.ndarray, seen: dict[int, np.ndarray] | None = None,
                  left_open: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Soft-line penalty and hard-line breach (how far the terms cross its hard lines, summed; a
        line is broken beyond :data:`sim.mechanisms.BREACH`) for terms ``(runs, candidates, issues)``.

        ``seen`` replaces some issues' terms by what the party sees (effective control, effective
        guarantees), as in :meth:`candidate_utility`. Only the sides of issues that carry a line are
        evaluated, one line at a time: lines are few, candidates many (the arithmetic of
        :func:`sim.mechanisms.red_line_penalty`). ``left_open`` (the shape of ``terms``) marks terms an
        armistice leaves open: nothing is conceded there, so no line on them counts, but for a line that is a
        condition of any ceasefire (``before_ceasefire``).
        """
        seen = seen or {}
        penalty = np.zeros(terms.shape[:-1])
        breach = np.zeros(terms.shape[:-1])
        for bounds, hard, weight, lower in ((self.at_least, self.hard_low, self.penalty_low, True),
                                            (self.at_most, self.hard_high, self.penalty_high, False)):
            for d in np.flatnonzero(np.isfinite(bounds).any(axis=0)):
                values = seen[d] if d in seen else terms[..., d]
                violation = mech.red_line_violation(values, bounds[:, d, None], at_least=lower)
                if left_open is not None and not self.before_ceasefire[d]:
                    violation = np.where(left_open[..., d], 0.0, violation)
                soft = np.where(hard[:, d], 0.0, weight[:, d])
                if soft.any():
                    penalty += (soft * self.audience)[:, None] * violation
                if hard[:, d].any():
                    breach += np.where(hard[:, d, None], violation, 0.0)
        return penalty, breach

    def line_cost(self, issue: int, values: np.ndarray) -> np.ndarray:
        """Penalty of its soft red lines on one issue for values ``(runs, n)`` of it (its audience cost now)."""
        cost = np.zeros(values.shape)
        for bounds, hard, weight, lower in ((self.at_least, self.hard_low, self.penalty_low, True),
                                            (self.at_most, self.hard_high, self.penalty_high, False)):
            if np.isfinite(bounds[:, issue]).any():
                soft = np.where(hard[:, issue], 0.0, weight[:, issue] * self.audience)
                cost += soft[:, None] * mech.red_line_violation(values, bounds[:, issue, None], at_least=lower)
        return cost

    def within_hard_lines(self, issue: int, values: np.ndarray) -> np.ndarray:
        """Whether values ``(runs, n)`` of one issue keep its hard red lines on it."""
        ok = np.ones(values.shape, bool)
        for bounds, hard, lower in ((self.at_least, self.hard_low, True), (self.at_most, self.hard_high, False)):
            if (hard[:, issue] & np.isfinite(bounds[:, issue])).any():
                breach = mech.red_line_violation(values, bounds[:, issue, None], at_least=lower) > mech.BREACH
                ok &= ~(hard[:, issue, None] & breach)
        return ok

    def approval(self, body: Any, params: Any, terms: np.ndarray, withdrawal: np.ndarray,
                 by_force: dict[int, np.ndarray] | None = None) -> np.ndarray:
        """Chance a body approves the terms (two-level game), per run and candidate.

        ``by_force`` maps issues to the terms read as the force behind them (the effective guarantees,
        the presence that would deploy); a body that judges guarantees weighs those instead.
        """
        logit = params.intercept[:, None] + (params.weights["withdrawal"][:, None] * withdrawal
                                             if "withdrawal" in body.weights else 0.0)
        seen_by_force = by_force if by_force and self._sees_force[body.body] else {}
        for d, issue in self._weighed[body.body]:
            seen = seen_by_force[d] if d in seen_by_force else terms[..., d]
            logit = logit + params.weights[issue][:, None] * seen
        return mech.logistic(logit)

    def update_costs(self, sanctions: np.ndarray) -> None:
        """This round's war cost: base, raised by sanctions and by a funding shortfall, and by the strain
        of a draining stock (a round of fighting uses one round of stock whatever it costs: sanctions
        and funding reach the stock only through the strain they add to each round's pain)."""
        funding = self.effort.funding if self.effort is not None else 1.0
        multiplier = self.cost_factor * (1 + self.sanctions_cost * sanctions) * (1 + self.funding_cost * (1 - funding))
        self.cost_now = self.war_cost * multiplier * (1 + self.strain * self.used_share)

    @property
    def used_share(self) -> np.ndarray:
        """Share of its stock used so far (0 for a party whose stock never runs out)."""
        return np.where(np.isfinite(self.endurance), np.minimum(self.used / self.endurance, 1.0), 0.0)

    @property
    def audience(self) -> np.ndarray:
        """Share of the audience cost of its stated positions still felt: it falls as its stock drains."""
        return 1.0 - self.concession * self.used_share

    def rounds_left(self) -> np.ndarray:
        """Rounds of fighting its stock still sustains (inf if it never runs out)."""
        return np.where(np.isfinite(self.endurance), np.maximum(self.endurance - self.used, 0.0), np.inf)

    def fight(self, fighting: np.ndarray) -> np.ndarray:
        """A round of fighting drains its stock in the runs of the mask; returns the runs where it is now used up."""
        before = self.used < self.endurance
        self.used = np.where(fighting, self.used + 1.0, self.used)
        return fighting & before & (self.used >= self.endurance)

    def value_of_fighting(self, end_terms: np.ndarray, end_rounds: np.ndarray) -> None:
        """Its value of fighting on to the end states it projects, one per point of its belief about the drift.

        ``end_terms`` ``(runs, grid, issues)`` are the no-deal terms at each end state (the front issue
        at the line reached), ``end_rounds`` ``(runs, grid)`` the rounds until it. The end state's
        utility is not discounted (as a deal's is not: both are lasting states); the war's costs
        until then are, at this round's cost. That is the stated myopia of the hurting stalemate: a
        party feels the strain of its draining stock as it comes, it does not foresee it, and it
        does not count on better offers later.
        """
        costs = mech.future_cost(self.cost_now[:, None], self.discount[:, None], end_rounds, 1.0)
        self.fight_utility = np.sum(self.drift_weights * self.utility(end_terms), axis=1)
        self.fight_costs = np.sum(self.drift_weights * costs, axis=1)
        self.outside_option = self.fight_utility - self.fight_costs / self.resolve

    def deal_value(self, utility: np.ndarray, penalty: np.ndarray, relapse_risk: np.ndarray | None,
                   relapse_change: np.ndarray | None, outlook: CoalitionOutlook | None,
                   is_consenting: bool) -> tuple[np.ndarray, np.ndarray]:
        """What a deal is worth to this party, per run and candidate: ``fixed + relapse * outside_option``.

        A party that judges guarantees weighs the deal by the risk ``relapse`` that the war resumes
        within its horizon; then it gets its value of fighting on, changed by ``relapse_change`` (the
        front restarts from the deal's line). So the deal's worth depends on its type only through
        its outside option, and the answer of every type follows from one threshold. The consenting
        party loses utility for troops deployed beyond its consent.

        Returns:
            (fixed, relapse): the part of the value that does not depend on its type, and the weight
            of its outside option in the value (0 for a party that does not judge guarantees).
        """
        fixed = utility - penalty
        relapse = np.zeros_like(fixed)
        if self.judges_guarantees and relapse_risk is not None and relapse_change is not None:
            fixed = (1 - relapse_risk) * fixed + relapse_risk * relapse_change
            relapse = np.broadcast_to(relapse_risk, fixed.shape)
        if is_consenting and outlook is not None:
            fixed = fixed - self.unconsented_penalty[:, None] * outlook.beyond_consent
        return fixed, relapse

    # What the story reports of an answer: decisions of the party, computed here and only here.

    def broken_lines(self, run: int, seen: np.ndarray) -> list[int]:
        """Issues on which terms ``seen`` (as the party sees them, one run) cross a hard red line."""
        return [d for d in range(seen.shape[-1])
                if (self.hard_low[run, d] and seen[d] < self.at_least[run, d] - 1e-12)
                or (self.hard_high[run, d] and seen[d] > self.at_most[run, d] + 1e-12)]

    def objection(self, run: int, seen: np.ndarray) -> int:
        """The issue on which terms ``seen`` (one run) cost the party most: distance and soft lines."""
        losses = self.salience[run] * np.abs(seen - self.position[run]) ** self.risk[run]
        losses = losses + np.where(self.hard_low[run], 0, self.penalty_low[run]) * np.maximum(
            np.where(np.isfinite(self.at_least[run]), self.at_least[run], 0) - seen, 0)
        losses = losses + np.where(self.hard_high[run], 0, self.penalty_high[run]) * np.maximum(
            seen - np.where(np.isfinite(self.at_most[run]), self.at_most[run], 1), 0)
        return int(np.argmax(losses))

    # Changes from the other arenas.

    def scale_war_cost(self, runs: np.ndarray, factor: np.ndarray) -> None:
        """Multiply its war cost in the runs of the mask."""
        self.cost_factor = np.where(runs, self.cost_factor * factor, self.cost_factor)

"""How every party sees candidate terms: deal values, margins, red lines, approval, acceptance.

Used by the talks for the wide set of candidates each round and for the mediator's refinement. It
reads the other arenas only through the views the model hands the talks (:class:`Views`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from .. import mechanisms as mech
from .actors import CoalitionOutlook

__all__ = ["Assessment", "Assessor", "Views", "halton"]


@dataclass(frozen=True)
class Views:
    """What the talks see of the other arenas, handed in by the model (read-only)."""

    front: Any
    """The front: ``issue``, ``taken``, ``projection``, ``expected_line(belief)``."""
    relapse_advance: np.ndarray | None
    """Extra attacker speed after a relapse per unit of territory withdrawn (None without a front)."""
    outlook: Callable[..., CoalitionOutlook]
    """The coalition's outlook for deployment terms (``outlook(dynamic, fixed)``)."""
    effective_guarantees: Callable[[np.ndarray, np.ndarray], np.ndarray]
    deployment_issue: int | None
    guarantees_issue: int | None
    consenting: frozenset[str]
    """Ids of the parties and veto players whose acceptance of the deployment term is the consent."""
    consent_sees_force: bool
    """The deployment issue stands for the foreign troops on the ground: the consenting parties, and the
    parties and bodies that judge guarantees by the force, see it as the presence that would deploy."""
    hazard: Callable[..., np.ndarray]
    judged_risk: Callable[[np.ndarray], np.ndarray]


@dataclass(frozen=True)
class Assessment:
    """How every party sees each candidate: arrays over runs, candidates (and parties)."""

    candidates: np.ndarray
    """Terms, (runs, candidates, issues)."""
    territory: np.ndarray | None
    """Effective control of the front issue under the terms, (runs, candidates)."""
    withdrawal: np.ndarray
    """Share of the contested area given up at the table, (runs, candidates)."""
    deal_values: np.ndarray
    """Each party's value of the deal, (parties, runs, candidates)."""
    margin: np.ndarray
    """Deal value minus outside option minus hold-out, (parties, runs, candidates)."""
    threshold: np.ndarray
    """The highest value of fighting on at which the party still accepts, (parties, runs, candidates): every
    type of the party whose outside option is at most this accepts (ties accept)."""
    hard: np.ndarray
    """The terms cross the party's hard red line, (parties, runs, candidates)."""
    breach: np.ndarray
    """How far the terms cross the party's public constraints: its hard red lines and the approval its
    leader needs at home (0 when kept), (parties, runs, candidates)."""
    approval: np.ndarray
    """Chance of approval by the least willing body the leader answers to before signing (1 without one),
    (parties, runs, candidates)."""
    blocked_at_home: np.ndarray
    """Approval below the party's threshold, (parties, runs, candidates)."""
    acceptance: np.ndarray
    """Whether the party accepts (1) or not (0), given its true type, (parties, runs, candidates)."""
    penalty: np.ndarray
    """Utility lost to soft red lines, (parties, runs, candidates)."""
    seen: np.ndarray
    """The terms as each party sees them (effective control and guarantees), (parties, runs, candidates, issues);
    kept only when the story is."""
    mediator_utility: np.ndarray
    """Each mediator's own utility, (mediators, runs, candidates)."""
    armistice: np.ndarray
    """The candidate is an armistice (it leaves issues open), (runs, candidates)."""
    effective_guarantees: np.ndarray | None
    """The guarantee term scaled by the force that would stand behind it, (runs, candidates); None without
    a coalition."""
    presence: np.ndarray | None
    """The foreign presence that would stand under the deployment term, (runs, candidates); None without a
    coalition."""

    # Per-party arrays put parties first: with only two or three parties, a last axis that short
    # would make every operation crawl.
    PER_PARTY = ("deal_values", "margin", "threshold", "hard", "breach", "approval", "blocked_at_home", "acceptance", "penalty", "seen",
                 "mediator_utility")

    def acceptable(self) -> np.ndarray:
        """Terms each party would sign, given its true type, (parties, runs, candidates)."""
        return self.acceptance > 0.5

    def zopa(self) -> np.ndarray:
        """Per run: some candidate every party would sign (the true zone of agreement is not empty)."""
        return np.any(np.all(self.acceptable(), axis=0), axis=-1)

    def at(self, choice: np.ndarray) -> Assessment:
        """The assessment of one candidate per run: arrays over (runs,) or (runs, parties[, issues])."""
        rows = np.arange(len(choice))
        out = {}
        for key, value in vars(self).items():
            if value is None or (key == "seen" and value.size == 0):
                out[key] = value
            elif key in self.PER_PARTY:
                out[key] = np.moveaxis(value[:, rows, choice], 0, 1)
            else:
                out[key] = value[rows, choice]
        return Assessment(**out)


def halton(n: int, dims: int) -> np.ndarray:
    """The first ``n`` points (skipping the origin) of the Halton sequence in ``[0, 1]^dims``.

    A fixed, evenly spread set of candidate terms: part of the model, not of its randomness.
    """
    primes = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71]
    if dims > len(primes):
        raise ValueError(f"at most {len(primes)} issues are supported")
    out = np.empty((n, dims))
    for d in range(dims):
        base = primes[d]
        for i in range(n):
            f, r, k = 1.0, 0.0, i + 1
            while k > 0:
                f /= base
                r += f * (k % base)
                k //= base
            out[i, d] = r
    return out


class Assessor:
    """Evaluates candidate terms for every party (and veto player) at once, per run."""

    def __init__(self, parties: list[Any], mediators: list[Any], views: Views, keep_views: bool):
        self.parties = parties
        self.mediators = mediators
        self.views = views
        self.keep_views = keep_views
        self.open_issues = np.zeros(0, bool)
        """Issues an armistice leaves open (set by the talks when the scenario has an armistice)."""
        self.armistice_hazard = np.ones(0)
        """Relapse hazard of an armistice against a settlement of the same terms, per run."""

    def _on_the_ground(self, candidates: np.ndarray, runs: int) -> tuple[dict[int, np.ndarray], np.ndarray]:
        """What the terms mean on the ground: the front issue is evaluated as effective control."""
        front = self.views.front
        replaced: dict[int, np.ndarray] = {}
        withdrawal = np.zeros(candidates.shape[:2])
        if front.issue is not None:
            f = front.issue
            replaced[f] = mech.effective_territory(candidates[..., f], front.taken[:, None])
            withdrawal = candidates[..., f] * (1 - front.taken[:, None])
        return replaced, withdrawal

    def _relapse_change(self, party: Any, replaced: dict[int, np.ndarray], withdrawal: np.ndarray) -> np.ndarray:
        """After a relapse the attacker fights on from the deal's line, faster for the ground given up:
        the value of fighting on changes by the utility of that line against the line it expected."""
        front = self.views.front
        f = front.issue
        speed = np.maximum(party.belief, 0)[:, None] * (1 + self.views.relapse_advance[:, None] * withdrawal)
        front_after = np.minimum(1.0, replaced[f] + front.projection[:, None] * speed)
        return party.issue_utility(f, front_after) - party.issue_utility(f, party.no_deal_terms[:, f, None])

    def _by_force(self, candidates: np.ndarray, outlook: CoalitionOutlook | None, withdrawal: np.ndarray,
                  leverage: np.ndarray, is_armistice: np.ndarray, left_open: np.ndarray | None
                  ) -> tuple[dict[int, np.ndarray], np.ndarray | None]:
        """The terms read as the force behind them (issue -> values), and the judged risk of relapse.

        A guarantee is only as good as the force behind it: parties that judge guarantees see the
        guarantee term scaled by the deterrent the coalition would field for these terms, and weigh the
        deal by the risk that the war resumes. Where the deployment issue stands for troops on the
        ground, it reads as the presence that would stand.
        """
        v = self.views
        dep, gi = v.deployment_issue, v.guarantees_issue
        by_force: dict[int, np.ndarray] = {}
        if outlook is None:
            return by_force, None
        if v.consent_sees_force:
            by_force[dep] = outlook.presence
        if gi is None:
            return by_force, None
        by_force[gi] = v.effective_guarantees(candidates[..., gi], outlook.deterrent)
        hazard = v.hazard(candidates[..., gi], outlook.deterrent, withdrawal,
                          (outlook.beyond_consent > 0).astype(float), leverage)
        if left_open is not None:
            hazard = np.where(is_armistice, hazard * self.armistice_hazard[:, None], hazard)
        return by_force, v.judged_risk(hazard)

    def _kinds(self, candidates: np.ndarray, n_fixed: int, armistice: np.ndarray | None
               ) -> tuple[np.ndarray, np.ndarray | None]:
        """Which candidates are armistices, and the terms they leave open (None if none is)."""
        is_armistice = np.zeros(candidates.shape[:2], bool)
        if armistice is not None:
            is_armistice[:, n_fixed:] = armistice
        return is_armistice, (is_armistice[..., None] & self.open_issues) if is_armistice.any() else None

    def assess(self, fixed: np.ndarray, dynamic: np.ndarray, leverage: np.ndarray,
               armistice: np.ndarray | None = None) -> Assessment:
        """How every party would answer each candidate, per run.

        Candidates are ``fixed`` (the same in every run; its utilities are cached) followed by
        ``dynamic`` (this round's, per run). ``armistice`` marks dynamic candidates that are
        armistices, ``(runs, dynamic)``: their open issues hold the no-deal terms, and no party's red
        line on an open issue counts (nothing is conceded on it); their relapse hazard is scaled by
        :attr:`armistice_hazard`.
        """
        v = self.views
        runs = dynamic.shape[0]
        dep, gi = v.deployment_issue, v.guarantees_issue
        candidates = np.concatenate([np.broadcast_to(fixed, (runs, *fixed.shape)), dynamic], axis=1)
        is_armistice, left_open = self._kinds(candidates, len(fixed), armistice)
        replaced, withdrawal = self._on_the_ground(candidates, runs)
        outlook = v.outlook(dynamic[..., dep], fixed[:, dep]) if dep is not None else None
        by_force, relapse_risk = self._by_force(candidates, outlook, withdrawal, leverage, is_armistice, left_open)
        judged = {**replaced, **by_force} if gi is not None else dict(replaced)
        columns: dict[str, list[np.ndarray]] = {k: [] for k in ("value", "relapse", "hard", "approval", "home",
                                                                "breach", "penalty", "seen")}
        for party in self.parties:
            relapse_change = (self._relapse_change(party, replaced, withdrawal)
                              if party.judges_guarantees and v.front.issue is not None else None)
            seen = judged if party.judges_guarantees else replaced
            if dep in by_force and party.actor_id in v.consenting:
                # It answers to the troops that would stand (their number, kinds and consent), not the clause.
                seen = {**seen, dep: by_force[dep]}
            utility = party.candidate_utility(fixed, dynamic, seen)
            penalty, breach = party.red_lines(candidates, seen, left_open)
            hard = breach > mech.BREACH
            columns["penalty"].append(penalty)
            if self.keep_views:
                view = candidates.copy()
                for d, values in seen.items():
                    view[..., d] = values
                columns["seen"].append(view)
            fixed_value, relapse = party.deal_value(utility, penalty, relapse_risk, relapse_change, outlook,
                                                    party.actor_id in v.consenting)
            columns["value"].append(fixed_value)
            columns["relapse"].append(relapse)
            columns["hard"].append(hard)
            chance, home = np.ones(hard.shape), np.zeros_like(hard)
            for body, params in party.leader_bodies:
                approval = party.approval(body, params, candidates, withdrawal, by_force)
                chance = np.minimum(chance, approval)
                home |= approval < params.threshold[:, None]
                breach = breach + np.maximum(params.threshold[:, None] - approval, 0.0)
            columns["approval"].append(chance)
            columns["home"].append(home)
            columns["breach"].append(breach)
        return self._assemble(candidates, replaced, withdrawal, columns, fixed, dynamic, is_armistice, by_force)

    def _assemble(self, candidates: np.ndarray, replaced: dict[int, np.ndarray], withdrawal: np.ndarray,
                  columns: dict[str, list[np.ndarray]], fixed: np.ndarray, dynamic: np.ndarray,
                  is_armistice: np.ndarray, by_force: dict[int, np.ndarray]) -> Assessment:
        f = self.views.front.issue
        fixed_value = np.stack(columns["value"])
        keep = 1.0 - np.stack(columns["relapse"])
        outside = np.stack([party.outside_option for party in self.parties])[:, :, None]
        hold_out = np.stack([party.hold_out for party in self.parties])[:, :, None]
        deal_values = fixed_value + (1.0 - keep) * outside
        margin = fixed_value - keep * outside - hold_out
        threshold = (fixed_value - hold_out) / np.maximum(keep, 1e-9)
        hard = np.stack(columns["hard"])
        home = np.stack(columns["home"])
        # Acceptance is deterministic given the party's type; a tie accepts (whatever the rounding).
        acceptance = (~hard & ~home & (margin >= -1e-12)).astype(float)
        return Assessment(candidates=candidates, territory=replaced.get(f) if f is not None else None,
                          withdrawal=withdrawal, deal_values=deal_values, margin=margin, threshold=threshold,
                          hard=hard, breach=np.stack(columns["breach"]),
                          approval=np.stack(columns["approval"]), blocked_at_home=home, acceptance=acceptance,
                          penalty=np.stack(columns["penalty"]),
                          seen=np.stack(columns["seen"]) if columns["seen"] else np.empty((0,)),
                          mediator_utility=np.stack([m.candidate_utility(fixed, dynamic, replaced)
                                                     for m in self.mediators]),
                          armistice=is_armistice,
                          effective_guarantees=by_force.get(self.views.guarantees_issue) if by_force else None,
                          presence=by_force.get(self.views.deployment_issue) if by_force else None)

"""The coalition: the pledge cascade of the guarantors, as the parties expect it and as it happens.

Consent changes only where a force type's level is crossed, so the expected cascade is run once per
consent level (with expected troops: capacity times the mandate chance) and looked up. The table is
the one cache of this arena; its rule: it holds for the backstop and the joining thresholds it was
computed with, and is recomputed when either differs (a shock moves them), whoever moved them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .. import mechanisms as mech
from ..streams import RunStreams
from .actors import CoalitionOutlook
from .events import EventSink
from .story import tell_pledges

__all__ = ["Coalition", "Deployment"]


@dataclass(frozen=True)
class Fielded:
    """The force type each member would field under consent levels (runs, k, members), or (runs, members)."""

    kind: np.ndarray
    """Index into the member's force types (its own first, then ``also_fields``)."""
    level: np.ndarray
    quality: np.ndarray
    consented: np.ndarray
    """Some force type the member can field is covered by the consent."""


@dataclass(frozen=True)
class Deployment:
    """The realised cascade for the agreed terms, per run (and per guarantor)."""

    consent: np.ndarray
    mandates: np.ndarray
    pledged: np.ndarray
    force: np.ndarray
    beyond: np.ndarray
    deterrent: np.ndarray
    fielded: Fielded


class Coalition:
    """The guarantors' cascade; inert (``active`` False) without a coalition or without guarantors.

    Args:
        params: The scenario's ``institutions.coalition`` block of the typed parameters (or None).
        guarantors: The guarantor agents.
        backer: The agent whose backstop the guarantors need (None without a coalition).
        issues: Issue ids, in the model's order.
        streams: The runs' random streams (``coalition:mandate:<guarantor>``, one draw each).
        sink: Where the story goes.
    """

    def __init__(self, params: Any, guarantors: list[Any], backer: Any, issues: list[str], streams: RunStreams,
                 sink: EventSink):
        self.p = params
        self.guarantors = guarantors
        self.backer = backer
        self.sink = sink
        self.runs = len(streams.seeds)
        self.active = params is not None and bool(guarantors)
        self.deployment_issue = self.guarantees_issue = None
        self._table_for: tuple[np.ndarray, np.ndarray] | None = None
        """The backstop and thresholds the expected cascade (``_table``) was computed with."""
        self._fixed_outlook: tuple[bytes, list[np.ndarray]] | None = None
        """The table read at the fixed candidates' deployment terms, and those terms (as bytes): the
        same until the table changes (it is dropped with it)."""
        runs = self.runs
        # The record of what followed a ceasefire.
        self.deployed = np.zeros(runs, bool)
        self.deployment_troops = np.zeros(runs)
        self.contributors = np.full(runs, "", dtype=object)
        self.force_type = np.full(runs, "", dtype=object)
        """The force type most of the deployed troops belong to (empty without a deployment)."""
        self.deployment_consented = np.full(runs, np.nan)
        self.deterrence_effective = np.full(runs, np.nan)
        self.guarantees_effective = np.full(runs, np.nan)
        self.draws = {"mandate": streams.uniform_by("coalition:mandate", [g.actor_id for g in guarantors],
                                                    per_round=False)}
        if not self.active:
            return
        spec = params.spec
        self.deployment_issue = issues.index(spec.deployment_issue)
        self.guarantees_issue = issues.index(spec.guarantees_issue)
        # A force type's level and deterrence are numbers of the run (design points may differ in them).
        types = params.force_types
        self.kinds = [(g.force_type, *g.also_fields) for g in guarantors]
        """Each member's force types: its own first, then the kinds it can send instead."""
        width = max(len(k) for k in self.kinds)
        self.option_levels = np.full((runs, len(guarantors), width), np.inf)
        """Deployment term at or above which each of a member's force types is consented to, (runs, members,
        options); padding is never consented to."""
        self.option_quality = np.zeros((runs, len(guarantors), width))
        for j, kinds in enumerate(self.kinds):
            for o, kind in enumerate(kinds):
                self.option_levels[:, j, o] = types[kind].level
                self.option_quality[:, j, o] = types[kind].deterrence
        self.needs_consent = np.array([g.requires_consent for g in guarantors])
        self.is_lead = np.array([g.actor_id in spec.lead_nations for g in guarantors])
        fielded = sorted({kind for kinds in self.kinds for kind in kinds})
        self.consent_levels = np.sort(np.stack([types[t].level for t in fielded], axis=-1), axis=-1)
        """The levels of the force types the members can field, in increasing order per run, (runs, types)."""
        self.consent_from = frozenset(spec.consent_from)
        self.seen_as_force = spec.consenting_side_judges == "force"
        """The consenting side values the force that would deploy (troops, kind, consent), not the clause."""

    def outlook(self, deployment_terms: np.ndarray, fixed_terms: np.ndarray | None = None) -> CoalitionOutlook:
        """Force the coalition would field for each deployment term, as the parties expect it."""
        if not self.active:
            zeros = np.zeros(deployment_terms.shape)
            return CoalitionOutlook(zeros, zeros, zeros)
        inputs = (self.backer.backstop, np.stack([g.threshold for g in self.guarantors], axis=-1))
        if self._table_for is None or not all(np.array_equal(a, b) for a, b in zip(inputs, self._table_for,
                                                                                     strict=True)):
            covered = np.concatenate([np.full((self.runs, 1), -np.inf), self.consent_levels], axis=1)  # per bucket
            troops = np.stack([g.troops * g.mandate_probability for g in self.guarantors], axis=-1) * self._backed()
            fielded = self._fielded(covered)
            pledged, force, beyond = self._cascade(troops, fielded, mandates=None)
            deterrent = self._deterrent(pledged, troops[:, None, :], force, fielded.quality)
            self._table = (deterrent, beyond / self.p.F_needed[:, None],
                           self._presence(pledged, troops[:, None, :], force, fielded.level))
            self._table_for = (inputs[0].copy(), inputs[1])
            self._fixed_outlook = None
        # Bucket k: the term covers the k lowest force-type levels (few levels: comparisons beat a search).
        bucket = np.zeros(deployment_terms.shape, dtype=np.intp)
        shape = (self.runs, *([1] * (deployment_terms.ndim - 1)))
        for level in self.consent_levels.T:
            bucket += deployment_terms >= level.reshape(shape)
        flat = bucket.reshape(self.runs, -1)
        per_run = [np.take_along_axis(table, flat, axis=1).reshape(bucket.shape) for table in self._table]
        if fixed_terms is not None:
            key = fixed_terms.tobytes()
            if self._fixed_outlook is None or self._fixed_outlook[0] != key:
                # Terms shared by every run need one bucket each, not one per run.
                shared = np.sum(fixed_terms[None, :, None] >= self.consent_levels[:, None, :], axis=-1)
                self._fixed_outlook = (key, [np.take_along_axis(table, shared, axis=1) for table in self._table])
            per_run = [np.concatenate([fixed, part], axis=1)
                       for fixed, part in zip(self._fixed_outlook[1], per_run, strict=True)]
        return CoalitionOutlook(*per_run)

    def effective_guarantees(self, guarantees: np.ndarray, deterrent: np.ndarray) -> np.ndarray:
        """Worth of a guarantee term given the deterrent behind it: ``G * (w + (1 - w) * D_eff)``."""
        weight = self.p.paper_guarantee_weight
        w = weight.reshape(weight.shape + (1,) * (guarantees.ndim - 1))
        return guarantees * (w + (1 - w) * deterrent)

    def _backed(self) -> np.ndarray:
        """Each member's chance of deploying given the backstop (1 well above its minimum), (runs, members)."""
        min_backstop = np.stack([g.min_backstop for g in self.guarantors], axis=-1)
        return mech.backed_share(self.backer.backstop[:, None], min_backstop, self.p.backstop_softness[:, None])

    def _deterrent(self, pledged: np.ndarray, troops: np.ndarray, force: np.ndarray, quality: np.ndarray
                   ) -> np.ndarray:
        """Deterrent value of the pledged force; ``force`` is (runs,) or (runs, k), ``quality`` the quality of
        the kind each member fields, the shape of ``pledged``."""
        quality = np.sum(pledged * troops * quality, axis=-1) / np.maximum(force, 1e-9)

        def per_run(a: np.ndarray) -> np.ndarray:
            return a.reshape(a.shape + (1,) * (force.ndim - 1))
        return mech.deterrence(force, per_run(self.backer.backstop), quality, per_run(self.p.deterrence_midpoint),
                               per_run(self.p.deterrence_scale))

    def _presence(self, pledged: np.ndarray, troops: np.ndarray, force: np.ndarray, level: np.ndarray) -> np.ndarray:
        """The foreign presence that would stand, on the deployment issue's scale: the troop-weighted level of
        the kinds that would deploy, 0 where no force would (the issue's anchors name kinds of force, so a
        force of a kind reads as that kind whatever its size; its size counts through whether it deploys)."""
        return np.sum(pledged * troops * level, axis=-1) / np.maximum(force, 1e-9)

    def _fielded(self, consent: np.ndarray) -> Fielded:
        """The kind each member would send under consent levels ``consent`` (runs, k): the highest of its
        force types the consent covers (its own first among equals), or its own type where none is covered."""
        levels = self.option_levels[:, None]
        covered = levels <= consent[..., None, None]
        consented = covered.any(axis=-1)
        kind = np.where(consented, np.argmax(np.where(covered, levels, -np.inf), axis=-1), 0)
        pick = kind[..., None]
        level = np.take_along_axis(np.broadcast_to(levels, covered.shape), pick, axis=-1)[..., 0]
        quality = np.take_along_axis(np.broadcast_to(self.option_quality[:, None], covered.shape), pick, axis=-1)
        return Fielded(kind, level, quality[..., 0], consented)

    def _cascade(self, troops: np.ndarray, fielded: Fielded, mandates: np.ndarray | None
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Run the cascade for the kinds fielded under k consent levels (runs, k, members); returns pledged,
        force, beyond-consent troops."""
        p, backstop = self.p, self.backer.backstop
        threshold = np.stack([g.threshold for g in self.guarantors], axis=-1)
        consented = fielded.consented
        # Beyond consent a member's troops are targets: only members without a consent condition
        # whose risk tolerance covers the target risk go there.
        tolerance = np.stack([g.risk_tolerance for g in self.guarantors], axis=-1)
        braves_targets = ~self.needs_consent & (tolerance >= p.target_risk[:, None])
        # The backstop a member needs acts through its chance of deploying (expected troops, or the draw
        # of its mandate), so it is not a condition here.
        eligible = (troops > 0)[:, None, :] & (consented | braves_targets[:, None, :])
        if mandates is not None:
            eligible &= mandates[:, None, :]
        k = consented.shape[1]
        pledged = mech.cascade(np.broadcast_to(troops[:, None, :], eligible.shape), eligible,
                               np.broadcast_to(threshold[:, None, :], eligible.shape), self.is_lead,
                               p.F_needed[:, None], np.broadcast_to(p.F_min[:, None], (self.runs, k)),
                               np.broadcast_to((backstop >= p.leads_min_backstop)[:, None], (self.runs, k)))
        force = np.sum(pledged * troops[:, None, :], axis=-1)
        beyond = np.sum(pledged * troops[:, None, :] * ~consented, axis=-1)
        return pledged, force, beyond

    def deploy(self, consent_terms: np.ndarray) -> Deployment:
        """The realised cascade for the agreed deployment terms (NaN where there is no deal)."""
        consent = np.nan_to_num(consent_terms, nan=-1.0)
        troops = np.stack([g.troops for g in self.guarantors], axis=-1)
        mandate_p = np.stack([g.mandate_probability for g in self.guarantors], axis=-1)
        mandates = self.draws["mandate"][:, : len(self.guarantors)] < mandate_p * self._backed()
        fielded = self._fielded(consent[:, None])
        pledged, force, beyond = self._cascade(troops, fielded, mandates)
        pledged, force, beyond = pledged[:, 0], force[:, 0], beyond[:, 0]
        fielded = Fielded(*(a[:, 0] for a in (fielded.kind, fielded.level, fielded.quality, fielded.consented)))
        return Deployment(consent, mandates, pledged, force, beyond,
                          self._deterrent(pledged, troops, force, fielded.quality), fielded)

    def fielded_kind(self, run: int, j: int, deployment: Deployment) -> str:
        """The force type guarantor ``j`` sends (or would send) in run ``run``."""
        return self.kinds[j][int(deployment.fielded.kind[run, j])]

    def settle(self, agreed: np.ndarray, terms: np.ndarray, record: np.ndarray | None = None
               ) -> tuple[np.ndarray, np.ndarray]:
        """Deploy for the runs agreed this round and record it in the runs of ``record`` (default: all
        agreed; the record is of the first deal); returns the deterrent and whether troops stand beyond
        consent (0/1), per run, for the relapse hazard."""
        runs = self.runs
        guarantees = terms[:, self.guarantees_issue] if self.guarantees_issue is not None else np.zeros(runs)
        told = agreed
        agreed = agreed if record is None else agreed & record
        if not self.active:
            self.guarantees_effective[agreed] = guarantees[agreed]
            self.deterrence_effective[agreed] = 0.0
            return np.zeros(runs), np.zeros(runs)
        deployment = self.deploy(terms[:, self.deployment_issue])
        force, beyond, deterrent = deployment.force, deployment.beyond, deployment.deterrent
        self.deployed[agreed] = (force > 0)[agreed]
        self.deployment_troops[agreed] = force[agreed]
        self.deployment_consented[agreed] = np.where(force > 0, beyond == 0, np.nan)[agreed]
        names = np.array([g.actor_id for g in self.guarantors])
        troops = np.stack([g.troops for g in self.guarantors], axis=-1)
        for i in np.flatnonzero(agreed):
            self.contributors[i] = "+".join(names[deployment.pledged[i]])
            types = [self.fielded_kind(i, j, deployment) for j in range(len(self.guarantors))]
            self.force_type[i] = _main_type(types, troops[i] * deployment.pledged[i])
        if self.sink.enabled:
            tell_pledges(self.sink, self, deployment, told)
        self.guarantees_effective[agreed] = self.effective_guarantees(guarantees, deterrent)[agreed]
        self.deterrence_effective[agreed] = deterrent[agreed]
        return deterrent, (beyond > 0).astype(float)

    def stays_home_reason(self, run: int, j: int, deployment: Deployment) -> tuple[str, dict[str, float]]:
        """Why guarantor ``j`` did not pledge in run ``run``: the first of its conditions that failed,
        with the numbers that decided it (for the story)."""
        g, backstop = self.guarantors[j], self.backer.backstop
        consent = deployment.consent[run]
        if g.troops[run] <= 0:
            return "no troops", {}
        covered = bool(deployment.fielded.consented[run, j])
        if g.requires_consent and not covered:
            return "needs consent", {"consent": consent}
        if not covered and g.risk_tolerance[run] < self.p.target_risk[run]:
            return "targets", {"risk": self.p.target_risk[run], "tolerance": g.risk_tolerance[run]}
        if not deployment.mandates[run, j]:
            # Its mandate would have passed: the backstop is what kept it home.
            if self.draws["mandate"][run, j] < g.mandate_probability[run]:
                return "backstop", {"backstop": backstop[run], "minimum": g.min_backstop[run]}
            return "no mandate", {}
        if self.is_lead[j]:
            return "leads withdraw", {}
        share = deployment.force[run] / self.p.F_needed[run]
        return "below threshold", {"share": share, "threshold": g.threshold[run]}


def _main_type(types: list[str], troops: np.ndarray) -> str:
    """The force type with the most troops deployed (ties: the first guarantor's), or empty with none."""
    totals: dict[str, float] = {}
    for kind, n in zip(types, troops, strict=True):
        totals[kind] = totals.get(kind, 0.0) + float(n)
    best = max(totals, key=lambda k: totals[k], default="")
    return best if totals.get(best, 0.0) > 0 else ""

"""``NegotiationModel``: the rounds of talks, the EU arena, the coalition cascade and durability.

One model object simulates a batch of runs at once: every piece of state is an array with one
entry per run, and each run draws only from its own seeded streams (:mod:`sim.streams`), so a run
gives the same record alone (``seed=``) or in a batch (``seeds=``). One round (``step``) follows the
design's fixed order:

1. shocks (:meth:`NegotiationModel.apply_shocks`)
2. war and its costs (:meth:`NegotiationModel.fight`)
3. EU arena (:meth:`NegotiationModel.vote_eu_measures`) and influencers' aid
4. outside options, 5. proposal, 6. guarantee credibility, 7. acceptance
   (:meth:`NegotiationModel.negotiate`, using :meth:`NegotiationModel.coalition_outlook`)
8. ending; after a ceasefire, the cascade and durability (:meth:`NegotiationModel.deploy_and_endure`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import mesa
import numpy as np

from . import mechanisms as mech
from .actors import CoalitionOutlook, EUMember, Guarantor, Influencer, Mediator, Party
from .distributions import draw, draw_uniforms
from .errors import format_path
from .scenario import Scenario
from .streams import draw_streams

__all__ = ["OUTCOMES", "Event", "NegotiationModel", "halton"]

OUTCOMES = ("talking", "ceasefire", "collapse", "deadlock")
TALKING, CEASEFIRE, COLLAPSE, DEADLOCK = range(4)


@dataclass(frozen=True)
class Event:
    """One line of a run's story."""

    run: int
    round: int
    actor: str
    event: str
    detail: str


#: Step sizes of the mediator's local refinement of its proposal.
REFINE_STEPS = (0.05, 0.02)


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
    hard: np.ndarray
    """The terms cross the party's hard red line, (parties, runs, candidates)."""
    approval: np.ndarray
    """Chance of domestic approval, (parties, runs, candidates)."""
    blocked_at_home: np.ndarray
    """Approval below the party's threshold, (parties, runs, candidates)."""
    acceptance: np.ndarray
    """Chance the party accepts, (parties, runs, candidates)."""
    penalty: np.ndarray
    """Utility lost to soft red lines, (parties, runs, candidates)."""
    seen: np.ndarray
    """The terms as each party sees them (effective control and guarantees), (parties, runs, candidates, issues);
    kept only when the story is."""
    mediator_utility: np.ndarray
    """The mediator's own utility, (runs, candidates)."""

    # Per-party arrays put parties first: with only two or three parties, a last axis that short
    # would make every operation crawl.
    PER_PARTY = ("deal_values", "margin", "hard", "approval", "blocked_at_home", "acceptance", "penalty", "seen")

    def zopa(self) -> np.ndarray:
        """Per run: some candidate clears every party's bar (acceptance chance at least one half)."""
        clears = ~self.hard & ~self.blocked_at_home & (self.margin >= 0)
        return np.any(np.all(clears, axis=0), axis=-1)

    def at(self, choice: np.ndarray) -> Assessment:
        """The assessment of one candidate per run: arrays over (runs,) or (runs, parties[, issues])."""
        rows = np.arange(len(choice))
        out = {}
        for key, value in vars(self).items():
            if value is None or (key in ("seen", "acceptance") and value.size == 0):
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


class NegotiationModel(mesa.Model):
    """Multi-party ceasefire talks with a coalition cascade, simulated for one or many runs.

    Args:
        scenario: A validated scenario.
        seed: Seed of a single run (as recorded in a results table).
        seeds: Seeds of a batch of runs (give ``seed`` or ``seeds``).
        log_events: Keep the story of each run in ``events`` (default: only for a single run).

    Examples:
        >>> from sim import load_scenario
        >>> model = NegotiationModel(load_scenario("scenarios/baseline.yaml"), seed=1)  # doctest: +SKIP
        >>> model.run()  # doctest: +SKIP
        >>> model.records()["outcome"]  # doctest: +SKIP
    """

    def __init__(self, scenario: Scenario, *, seed: int | None = None, seeds: Sequence[int] | None = None,
                 log_events: bool | None = None):
        if (seed is None) == (seeds is None):
            raise ValueError("give either seed (one run) or seeds (a batch)")
        run_seeds = [int(seed)] if seeds is None else [int(s) for s in seeds]
        if not run_seeds:
            raise ValueError("seeds is empty")
        # Mesa's own generator is seeded too, though every decision draws from the per-run streams.
        super().__init__(rng=run_seeds[0])
        self.scenario = scenario
        spec = scenario.spec
        self.seeds = np.asarray(run_seeds, dtype=np.int64)
        self.runs = len(run_seeds)
        self.issues = list(spec.issues)
        self.log_events = self.runs == 1 if log_events is None else log_events
        self.events: list[Event] = []
        self._logged_proposal: dict[int, np.ndarray] = {}
        self.round = 0
        self._params: dict[tuple[tuple[str | int, ...], bool], np.ndarray] = {}
        self.drawn = {path: draw(dist, draw_uniforms(run_seeds, path))
                      for path, dist in scenario.distributions().items()}
        self.horizon = self.param("horizon", "rounds", integer=True).astype(int)
        # The longest horizon the scenario allows, not the longest in this batch: every run's draws
        # must have the same shapes whatever batch it is in.
        horizon = scenario.distributions().get("horizon.rounds")
        self.max_rounds = (int(draw(horizon, np.array([1.0 - 1e-12]))[0]) if horizon is not None
                           else int(self.horizon[0]))
        self.round_weeks = self.param("horizon", "round_weeks")
        self._build_agents()
        self._init_state()
        self._draw_randomness()

    # ------------------------------------------------------------------------------ set-up

    def param(self, *path: str | int, integer: bool = False) -> np.ndarray:
        """A scenario parameter at a key path, one value per run (drawn if it is a distribution).

        Parameters do not change during a run, so each is looked up once; the array is read-only
        (state that changes is copied from it).
        """
        cached = self._params.get((path, integer))
        if cached is not None:
            return cached
        key = format_path(path)
        if key in self.drawn:
            values = self.drawn[key]
        else:
            value: Any = self.scenario.spec
            for part in path:
                value = value[part] if isinstance(value, dict | tuple | list) else getattr(value, str(part))
            values = np.full(self.runs, float(value))
        values = np.round(values) if integer else values.copy()
        values.setflags(write=False)
        self._params[(path, integer)] = values
        return values

    def _build_agents(self) -> None:
        spec = self.scenario.spec
        talks = spec.institutions.talks
        self.parties = [Party(self, pid, spec.actors[pid], i) for i, pid in enumerate(talks.parties)]
        self.party_by_id = {p.actor_id: p for p in self.parties}
        self.mediator = Mediator(self, talks.mediator, spec.actors[talks.mediator])
        self.guarantors = [Guarantor(self, aid, a, i) for i, (aid, a) in
                           enumerate((aid, a) for aid, a in spec.actors.items() if "guarantor" in a.roles)]
        council = spec.institutions.eu_council
        members = council.members if council else ()
        self.eu_members = [EUMember(self, aid, spec.actors[aid], i) for i, aid in enumerate(members)]
        self.influencers = [Influencer(self, aid, a) for aid, a in spec.actors.items() if "influencer" in a.roles]

    def _init_state(self) -> None:
        spec = self.scenario.spec
        runs, n_issues = self.runs, len(self.issues)
        self.status = np.full(runs, TALKING, dtype=np.int8)
        self.cause = np.full(runs, "none", dtype=object)
        self.last_failure = np.full(runs, "horizon", dtype=object)
        self.ceasefire_round = np.full(runs, np.nan)
        self.terms = np.full((runs, n_issues), np.nan)
        self.territory_effective = np.full(runs, np.nan)
        self.withdrawal = np.full(runs, np.nan)
        # The front
        front = spec.front
        self.front_issue = self.issues.index(front.issue) if front else None
        self.taken = np.zeros(runs)
        if front:
            self.attacker = self.party_by_id[front.attacker]
            self.defender = self.party_by_id[front.defender]
            k = self.param("front", "decisiveness")
            a0, d0 = self.param("front", "attacker_strength"), self.param("front", "defender_strength")
            self.baseline_share = a0 ** k / (a0 ** k + d0 ** k)
            drift = self.param("front", "drift")
            for party in (self.attacker, self.defender):
                party.belief = drift * (1 + party.optimism)
            self.projection = self.param("front", "projection_rounds", integer=True)
        else:
            self.projection = np.full(runs, 26.0)
        self.sanctions = self.param("sanctions", "start").copy()
        self.sanctions_felt = self.sanctions.copy()
        for party in self.parties:
            party.update_costs(self.sanctions)
        # Talks
        talks = spec.institutions.talks
        self.noise = self.param("institutions", "talks", "acceptance_noise")
        self.max_suspensions = self.param("institutions", "talks", "max_suspensions", integer=True)
        self.suspended_until = np.zeros(runs, dtype=np.int64)
        self.suspensions = np.zeros(runs, dtype=np.int64)
        self.failed_rounds = np.zeros(runs, dtype=np.int64)
        self.leverage = np.zeros(runs)
        self.zopa_rounds = np.zeros(runs, dtype=np.int64)
        self.rejected_by = np.zeros((runs, len(self.parties)), bool)
        self.estimate_sd = self.mediator.estimate_noise.copy()
        self.plan = (np.stack([self.param("plans", self.mediator.plan_id, i) for i in self.issues], axis=-1)
                     if self.mediator.plan_id else None)
        self.last_proposal = self.plan.copy() if self.plan is not None else self.compromise()
        for name in ("candidates", "perturbations"):
            if f"institutions.talks.{name}" in self.drawn:
                raise ValueError(f"institutions.talks.{name} must be a fixed number, not a distribution")
        self.fixed_candidates = halton(int(talks.candidates), n_issues)
        self.n_perturb = int(talks.perturbations)
        self.recognition = np.stack([self.param("institutions", "talks", "recognition", p.actor_id)
                                     if p.actor_id in talks.recognition else np.zeros(runs)
                                     for p in self.parties], axis=-1)
        self.acceptance_floor = self.param("institutions", "talks", "proposal_acceptance_floor")
        self.status_quo = np.stack([self.param("issues", i, "status_quo") for i in self.issues], axis=-1)
        # EU arena
        council = spec.institutions.eu_council
        self.measures = list(council.measures) if council else []
        n_m = len(self.measures)
        self.adopted = np.zeros((runs, n_m), bool)
        self.adopted_round = np.full((runs, n_m), np.nan)
        self.via_workaround = np.zeros((runs, n_m), bool)
        self.blocked_rounds = np.zeros((runs, n_m), dtype=np.int64)
        self.vetoes = np.zeros(runs, dtype=np.int64)
        self.vetoed_last = np.zeros((runs, n_m, len(self.eu_members)), bool)
        # Shocks
        self.shock_ids = list(spec.shocks)
        self.shock_fired = np.zeros((runs, len(self.shock_ids)), dtype=np.int64)
        # Coalition
        coalition = spec.institutions.coalition
        self.coalition = coalition
        if coalition and self.guarantors:
            self.deployment_issue = self.issues.index(coalition.deployment_issue)
            self.guarantees_issue = self.issues.index(coalition.guarantees_issue)
            types = coalition.force_types
            self.levels = np.array([types[g.force_type].level for g in self.guarantors])
            self.quality = np.array([types[g.force_type].deterrence for g in self.guarantors])
            self.needs_consent = np.array([g.requires_consent for g in self.guarantors])
            self.is_lead = np.array([g.actor_id in coalition.lead_nations for g in self.guarantors])
            self.consent_levels = np.unique(self.levels)
            self.F_min = self.param("institutions", "coalition", "F_min")
            self.F_needed = self.param("institutions", "coalition", "F_needed")
            self.leads_min_backstop = self.param("institutions", "coalition", "leads_min_backstop")
            self.det_mid = self.param("institutions", "coalition", "deterrence_midpoint")
            self.det_scale = self.param("institutions", "coalition", "deterrence_scale")
            self.consenting = self.party_by_id.get(coalition.consent_from)
            self.paper_weight = self.param("institutions", "coalition", "paper_guarantee_weight")
            self.target_risk = self.param("institutions", "coalition", "target_risk")
        else:
            self.deployment_issue = self.guarantees_issue = None
            self.consenting = None
        # Post-ceasefire record
        self.deployed = np.zeros(runs, bool)
        self.deployment_troops = np.zeros(runs)
        self.contributors = np.full(runs, "", dtype=object)
        self.deployment_consented = np.full(runs, np.nan)
        self.deterrence_effective = np.full(runs, np.nan)
        self.guarantees_effective = np.full(runs, np.nan)
        self.ceasefire_held = np.full(runs, np.nan)
        self.relapse_round = np.full(runs, np.nan)
        self._outlook_stale = True
        self.durability = {k: self.param("durability", k) for k in (
            "base_hazard_per_year", "guarantees_effect", "deterrence_effect", "withdrawal_effect",
            "unconsented_effect", "leverage_effect", "judged_over_years")}

    def _draw_randomness(self) -> None:
        rounds, n_p, n_i = self.max_rounds, len(self.parties), len(self.issues)
        seeds = self.seeds.tolist()
        self.draws_front = draw_streams(seeds, "front", [("noise", "normal", (rounds,))])
        self.draws_talks = draw_streams(seeds, "talks", [
            ("accept", "uniform", (rounds, n_p)), ("proposer", "uniform", (rounds,)),
            ("estimate", "normal", (rounds, n_p)), ("perturb", "normal", (rounds, self.n_perturb, n_i)),
            ("referendum", "uniform", (rounds,)),
        ])
        self.draws_eu = draw_streams(seeds, "eu", [
            ("veto", "uniform", (rounds, max(len(self.eu_members), 1))),
            ("grievance", "uniform", (rounds, max(len(self.eu_members), 1))),
            ("election", "uniform", (max(len(self.eu_members), 1),)),
            ("workaround", "uniform", (rounds, max(len(self.measures), 1))),
        ])
        self.draws_coalition = draw_streams(seeds, "coalition", [("mandate", "uniform", (max(len(self.guarantors), 1),))])
        self.draws_durability = draw_streams(seeds, "durability", [("relapse", "uniform", (rounds,))])
        self.draws_shocks = {sid: draw_streams(seeds, f"shock:{sid}", [
            ("fire", "uniform", (rounds,)), ("suspend", "uniform", (rounds,)),
            ("length", "uniform", (rounds,)), ("front", "uniform", (rounds,)),
        ]) for sid in self.shock_ids}

    # ------------------------------------------------------------------------------ helpers

    def log(self, runs: np.ndarray, actor: str, event: str, detail: str | Callable[[int], str]) -> None:
        """Add an event for every run in the boolean mask ``runs`` (if the story is kept).

        ``detail`` is text, or a function of the run index (only called when the story is kept).
        """
        if not self.log_events:
            return
        for i in np.flatnonzero(runs):
            text = detail if isinstance(detail, str) else detail(int(i))
            self.events.append(Event(int(i), self.round, actor, event, text))

    def compromise(self) -> np.ndarray:
        """Capability-and-salience weighted mean of the parties' and mediator's positions."""
        holders = [*self.parties, self.mediator]
        positions = np.stack([h.position for h in holders], axis=1)
        salience = np.stack([h.salience for h in holders], axis=1)
        capability = np.stack([h.param("capability") for h in holders], axis=1)
        return mech.compromise_point(positions, capability, salience)

    def _fmt_terms(self, terms: np.ndarray) -> str:
        return ", ".join(f"{issue} {value:.2f}" for issue, value in zip(self.issues, terms, strict=True))

    # ------------------------------------------------------------------------------ one round

    def step(self) -> None:
        """Play one round for every run still going; after the last round, close the records."""
        t = self.round
        if t >= self.max_rounds:
            self._finish()
            return
        in_time = t < self.horizon
        self.apply_shocks(t, (self.status == TALKING) & in_time)
        self.fight(t, (self.status != CEASEFIRE) & in_time, in_time)
        self.vote_eu_measures(t, in_time)
        for influencer in self.influencers:
            influencer.step()
        talking = (self.status == TALKING) & in_time
        suspended = talking & (self.suspended_until > t)
        self.last_failure[suspended] = "shock_suspension"
        self.negotiate(t, talking & ~suspended)
        self.round += 1
        ended = (self.status == TALKING) & (self.round >= self.horizon)
        if ended.any():
            self.status[ended] = DEADLOCK
            self.cause[ended] = self.last_failure[ended]
            self.log(ended, "-", "deadlock", "the horizon is reached without a deal")
        if self.round >= self.max_rounds:
            self._finish()

    def _finish(self) -> None:
        self.running = False
        # Mesa 3.3 keeps a class-level counter of agent ids per model (Agent._ids), which holds every
        # model it ever saw alive: a million runs would keep thousands of batches in memory. A
        # finished model creates no more agents, so its entry can go.
        ids = getattr(mesa.Agent, "_ids", None)
        if isinstance(ids, dict):
            ids.pop(self, None)

    def run(self) -> None:
        """Play every round to the horizon."""
        while self.running:
            self.step()

    # 1. shocks --------------------------------------------------------------------------

    def apply_shocks(self, t: int, live: np.ndarray) -> None:
        """Fire each shock whose conditions hold and whose draw comes up, and apply its effects."""
        spec = self.scenario.spec
        for k, sid in enumerate(self.shock_ids):
            shock = spec.shocks[sid]
            d = self.draws_shocks[sid]
            fires = d["fire"][:, t] < self.param("shocks", sid, "probability")
            if shock.at_round is not None:
                fires |= self.param("shocks", sid, "at_round", integer=True) == t
            # A shock earlier in this round may have ended the talks of some runs.
            fires &= live & (self.status == TALKING) & (
                self.failed_rounds >= self.param("shocks", sid, "after_failed_rounds"))
            if shock.when_rejected_by:
                fires &= self.rejected_by[:, self.party_by_id[shock.when_rejected_by].index]
            if shock.once:
                fires &= self.shock_fired[:, k] == 0
            if not fires.any():
                continue
            self.shock_fired[:, k] += fires
            self.log(fires, "-", "shock", f"{sid}" + (f" ({shock.label})" if shock.label else ""))
            self._apply_effects(t, sid, shock.effects, fires, d)

    def _apply_effects(self, t: int, sid: str, eff: Any, m: np.ndarray, d: dict[str, np.ndarray]) -> None:
        base = ("shocks", sid, "effects")
        actors = {**{p.actor_id: p for p in self.parties}, self.mediator.actor_id: self.mediator}
        if eff.suspend_talks:
            hit = m & (d["suspend"][:, t] < self.param(*base, "suspend_talks", "probability"))
            lo, hi = eff.suspend_talks.rounds
            length = lo + np.floor(d["length"][:, t] * (hi - lo + 1)).astype(np.int64)
            self.suspended_until = np.where(hit, np.maximum(self.suspended_until, t + length), self.suspended_until)
            self.suspensions += hit
            self.log(hit, "-", "talks suspended", lambda i: f"for {length[i]} round(s) after {sid}")
            broke = hit & (self.suspensions >= self.max_suspensions) & (self.status == TALKING)
            self._end_talks(broke, COLLAPSE, "shock_suspension", "talks collapse after repeated suspensions")
        for j, shift in enumerate(eff.positions):
            holder = actors.get(shift.actor)
            if holder is not None:
                col = self.issues.index(shift.issue)
                by = self.param(*base, "positions", j, "by")
                holder.position[:, col] = np.where(m, np.clip(holder.position[:, col] + by, 0, 1), holder.position[:, col])
                holder.preferences_changed()
                self.log(m, shift.actor, "position shifts", f"{shift.issue} ideal moves by {float(by.mean()):+.2f}")
        for j, change in enumerate(eff.red_lines):
            party = self.party_by_id.get(change.actor)
            if party is not None:
                penalty = self.param(*base, "red_lines", j, "penalty") if change.penalty is not None else None
                party.set_red_line(m, self.issues.index(change.issue), change.op,
                                   self.param(*base, "red_lines", j, "bound"), change.hard, penalty, tighten=True)
                self.log(m, change.actor, "red line hardens", f"now {change.issue} {change.op} {change.bound}")
        if eff.consent_thresholds or eff.backstop:
            self._outlook_stale = True
        if eff.consent_thresholds:
            by = self.param(*base, "consent_thresholds")
            for g in self.guarantors:
                if g.requires_consent:
                    g.threshold = np.where(m, g.threshold + by, g.threshold)
            self.log(m, "-", "coalition hesitates", "consent-conditional members raise their thresholds")
        if eff.front is not None:
            lo, hi = eff.front
            jump = lo + (hi - lo) * d["front"][:, t]
            self.taken = np.where(m, np.clip(self.taken + jump, 0, 1), self.taken)
            self.log(m, "-", "front jumps", lambda i: f"{jump[i]:+.3f} of the contested area")
        if eff.sanctions:
            self.sanctions = np.where(m, np.clip(self.sanctions + self.param(*base, "sanctions"), 0, 1), self.sanctions)
        if eff.backstop:
            b = self.mediator.backstop
            self.mediator.backstop = np.where(m, np.clip(b + self.param(*base, "backstop"), 0, 1), b)
        for aid in eff.grievance_ends:
            for member in self.eu_members:
                if member.actor_id == aid:
                    member.aggrieved &= ~m
        if eff.leverage:
            self.leverage += m * self.param(*base, "leverage")
        if eff.walkaway:
            self._end_talks(m & (self.status == TALKING), COLLAPSE, "walkaway", f"the mediator walks away ({sid})")
        for key in ("war_cost", "strength"):
            for j, change in enumerate(getattr(eff, key)):
                party = self.party_by_id[change.actor]
                attr = "cost_factor" if key == "war_cost" else "strength_factor"
                factor = self.param(*base, key, j, "factor")
                setattr(party, attr, np.where(m, getattr(party, attr) * factor, getattr(party, attr)))

    def _end_talks(self, mask: np.ndarray, status: int, cause: str, detail: str) -> None:
        if not mask.any():
            return
        self.status[mask] = status
        self.cause[mask] = cause
        self.log(mask, "-", OUTCOMES[status], detail)

    # 2. war and costs ---------------------------------------------------------------------

    def fight(self, t: int, fighting: np.ndarray, live: np.ndarray) -> None:
        """Move the front, update beliefs, funding, sanctions and this round's war costs.

        ``fighting``: runs at war this round; ``live``: runs within their horizon.
        """
        spec = self.scenario.spec
        if spec.front:
            att, dfd = self.attacker, self.defender
            attacker = (self.param("front", "attacker_strength") * att.strength_factor
                        * (1 - self.param("front", "sanctions_erosion") * self.sanctions_felt))
            defender = self.param("front", "defender_strength") * dfd.strength_factor * dfd.funding * (1 + dfd.aid)
            expected = mech.front_advance(self.param("front", "drift"), attacker, defender,
                                          self.param("front", "decisiveness"), self.baseline_share, self.taken,
                                          self.param("front", "fortified_at"), self.param("front", "fortification"))
            advance = expected + self.param("front", "noise") * self.draws_front["noise"][:, t]
            before = self.taken
            self.taken = np.where(fighting, np.clip(self.taken + advance, 0, 1), self.taken)
            observed = self.taken - before
            rate = self.param("front", "belief_learning")
            for party in (att, dfd):
                party.belief = np.where(fighting, party.belief + rate * (observed - party.belief), party.belief)
        for party in self.parties:
            if party.spec.party and party.spec.party.funding:
                shortfall = party.param("party", "funding", "shortfall_per_round")
                floor = party.param("party", "funding", "floor")
                dry = party.runway <= 0
                funding = np.where(dry, np.maximum(floor, party.funding - shortfall),
                                   np.minimum(1.0, party.funding + shortfall))
                party.funding = np.where(live, funding, party.funding)
                newly_dry = fighting & dry & (party.runway > -1)
                self.log(newly_dry, party.actor_id, "funding runs out", "war effort shrinks until money arrives")
                party.runway = np.where(live, party.runway - 1, party.runway)
        decayed = np.clip((1 - self.param("sanctions", "decay")) * self.sanctions, 0, 1)
        self.sanctions = np.where(live, decayed, self.sanctions)
        felt = self.sanctions_felt + (self.sanctions - self.sanctions_felt) / self.param("sanctions", "lag_rounds")
        self.sanctions_felt = np.where(live, felt, self.sanctions_felt)
        for party in self.parties:
            party.update_costs(self.sanctions)

    # 3. EU arena ----------------------------------------------------------------------------

    def vote_eu_measures(self, t: int, live: np.ndarray) -> None:
        """Vote every pending measure under unanimity; a workaround may pass a blocked one."""
        if not self.measures:
            return
        council = self.scenario.spec.institutions.eu_council
        assert council is not None
        d = self.draws_eu
        for e, member in enumerate(self.eu_members):
            ends = live & member.aggrieved & (d["grievance"][:, t, e] < member.grievance_end)
            member.aggrieved &= ~ends
            self.log(ends, member.actor_id, "grievance settled", "stops linking its vote to the dispute")
            election = live & (member.election_round == t)
            change = election & (d["election"][:, e] < member.change_probability)
            member.government_changed |= change
            self.log(change, member.actor_id, "government changes", "the election brings a government that stops blocking")
            self.log(election & ~change, member.actor_id, "election", "the government stays")
        for m, mid in enumerate(self.measures):
            measure = council.measures[mid]
            pending = live & ~self.adopted[:, m]
            if not pending.any():
                continue
            if self.eu_members:
                veto = np.stack([member.vetoes(mid, d["veto"][:, t, e]) for e, member in enumerate(self.eu_members)],
                                axis=-1) & pending[:, None]
            else:
                veto = np.zeros((self.runs, 1), bool)
            passes = pending & mech.unanimity(veto)
            blocked = pending & ~passes
            self.vetoes += veto.sum(axis=-1)
            self.blocked_rounds[:, m] += blocked
            for e, member in enumerate(self.eu_members):
                # The story notes when a member starts blocking, not every round it goes on.
                started = veto[:, e] & ~self.vetoed_last[:, m, e]
                self.log(started, member.actor_id, "veto", f"blocks {mid}")
                self.log(~veto[:, e] & self.vetoed_last[:, m, e] & ~passes, member.actor_id, "no veto",
                         f"stops blocking {mid}")
            self.vetoed_last[:, m, :] = veto[:, : len(self.eu_members)] if self.eu_members else False
            value = np.where(passes, 1.0, 0.0)
            if measure.workaround is not None:
                base = ("institutions", "eu_council", "measures", mid, "workaround")
                around = (blocked & (self.blocked_rounds[:, m] >= self.param(*base, "after_blocked_rounds"))
                          & (d["workaround"][:, t, m] < self.param(*base, "probability")))
                value = np.where(around, self.param(*base, "value"), value)
                self.via_workaround[:, m] |= around
                self.log(around, "-", "workaround", f"{mid} passes without the vetoers at reduced value")
                passes = passes | around
            self.log(passes & ~self.via_workaround[:, m], "-", "adopted",
                     lambda i, mid=mid, m=m: f"{mid} passes unanimously" + (
                         f" after {self.blocked_rounds[i, m]} blocked round(s)" if self.blocked_rounds[i, m] else ""))
            self.adopted[:, m] |= passes
            self.adopted_round[:, m] = np.where(passes, t, self.adopted_round[:, m])
            base = ("institutions", "eu_council", "measures", mid)
            if measure.kind == "sanctions":
                self.sanctions = np.clip(self.sanctions + value * self.param(*base, "sanctions_effect"), 0, 1)
            else:
                for party in self.parties:
                    funding = party.spec.party.funding if party.spec.party else None
                    if funding and mid in funding.extended_by:
                        party.runway = np.where(passes, np.maximum(party.runway, 0)
                                                + value * self.param(*base, "runway_rounds"), party.runway)

    # 4-7. negotiation ------------------------------------------------------------------------

    def coalition_outlook(self, deployment_terms: np.ndarray, fixed_terms: np.ndarray | None = None) -> CoalitionOutlook:
        """Force the coalition would field for each deployment term, as the parties expect it.

        Consent changes only where a force type's level is crossed, so the cascade is run once per
        consent level (with expected troops: capacity times mandate chance) and looked up.
        """
        runs = self.runs
        if self.deployment_issue is None:
            zeros = np.zeros(deployment_terms.shape)
            return CoalitionOutlook(zeros, zeros)
        if self._outlook_stale:
            # The table changes only when a shock moves the backstop or the thresholds.
            covered = np.concatenate([[-np.inf], self.consent_levels])  # consent level of each bucket
            troops = np.stack([g.troops * g.mandate_probability for g in self.guarantors], axis=-1)
            pledged, force, beyond = self._cascade(troops, covered[None, :], mandates=None)
            deterrent = self._deterrent(pledged, troops[:, None, :], force)
            self._outlook_table = (deterrent, beyond / self.F_needed[:, None])
            self._outlook_stale = False
        deterrent, beyond = self._outlook_table
        # Bucket k: the term covers the k lowest force-type levels (few levels: comparisons beat a search).
        bucket = np.zeros(deployment_terms.shape, dtype=np.intp)
        for level in self.consent_levels:
            bucket += deployment_terms >= level
        flat = bucket.reshape(runs, -1)
        per_run = [np.take_along_axis(table, flat, axis=1).reshape(bucket.shape) for table in (deterrent, beyond)]
        if fixed_terms is not None:
            # Terms shared by every run need one bucket each, not one per run.
            shared = np.searchsorted(self.consent_levels, fixed_terms, side="right")
            per_run = [np.concatenate([table[:, shared], part], axis=1) for table, part in zip((deterrent, beyond), per_run,
                                                                                               strict=True)]
        return CoalitionOutlook(*per_run)

    def _deterrent(self, pledged: np.ndarray, troops: np.ndarray, force: np.ndarray) -> np.ndarray:
        """Deterrent value of the pledged force; ``force`` is (runs,) or (runs, k)."""
        quality = np.sum(pledged * troops * self.quality, axis=-1) / np.maximum(force, 1e-9)

        def per_run(a: np.ndarray) -> np.ndarray:
            return a.reshape(a.shape + (1,) * (force.ndim - 1))
        return mech.deterrence(force, per_run(self.mediator.backstop), quality, per_run(self.det_mid),
                               per_run(self.det_scale))

    def effective_guarantees(self, guarantees: np.ndarray, deterrent: np.ndarray) -> np.ndarray:
        """Worth of a guarantee term given the deterrent behind it: ``G * (w + (1 - w) * D_eff)``."""
        w = self.paper_weight.reshape(self.paper_weight.shape + (1,) * (guarantees.ndim - 1))
        return guarantees * (w + (1 - w) * deterrent)

    def _cascade(self, troops: np.ndarray, consent: np.ndarray, mandates: np.ndarray | None
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Run the cascade for consent levels ``consent`` (runs, k); returns pledged, force, beyond-consent troops."""
        backstop = self.mediator.backstop
        min_backstop = np.stack([g.min_backstop for g in self.guarantors], axis=-1)
        threshold = np.stack([g.threshold for g in self.guarantors], axis=-1)
        consented = self.levels[None, None, :] <= consent[..., None]
        # Beyond consent a member's troops are targets: only members without a consent condition
        # whose risk tolerance covers the target risk go there.
        tolerance = np.stack([g.risk_tolerance for g in self.guarantors], axis=-1)
        braves_targets = ~self.needs_consent & (tolerance >= self.target_risk[:, None])
        eligible = ((troops > 0)[:, None, :] & (consented | braves_targets[:, None, :])
                    & (backstop[:, None] >= min_backstop)[:, None, :])
        if mandates is not None:
            eligible &= mandates[:, None, :]
        k = consent.shape[-1]
        pledged = mech.cascade(np.broadcast_to(troops[:, None, :], eligible.shape), eligible,
                               np.broadcast_to(threshold[:, None, :], eligible.shape), self.is_lead,
                               self.F_needed[:, None], np.broadcast_to(self.F_min[:, None], (self.runs, k)),
                               np.broadcast_to((backstop >= self.leads_min_backstop)[:, None], (self.runs, k)))
        force = np.sum(pledged * troops[:, None, :], axis=-1)
        beyond = np.sum(pledged * troops[:, None, :] * ~consented, axis=-1)
        return pledged, force, beyond

    def outside_options(self) -> None:
        """4. Each party's value of no deal, from where it expects the front to be (set on the party)."""
        no_deal = np.broadcast_to(self.status_quo, (self.runs, len(self.issues)))
        f = self.front_issue
        for party in self.parties:
            nd = no_deal.copy()
            if f is not None:
                nd[:, f] = np.minimum(1.0, self.taken + self.projection * np.maximum(party.belief, 0))
            party.no_deal_terms = nd
            party.outside_option = party.value_no_deal(nd, self.projection)

    def assess(self, fixed: np.ndarray, dynamic: np.ndarray, *, with_acceptance: bool = False) -> Assessment:
        """5-7. How every party would answer each candidate, per run.

        Candidates are ``fixed`` (the same in every run; its utilities are cached) followed by
        ``dynamic`` (this round's, per run).
        """
        runs = self.runs
        f, dep, gi = self.front_issue, self.deployment_issue, self.guarantees_issue
        candidates = np.concatenate([np.broadcast_to(fixed, (runs, *fixed.shape)), dynamic], axis=1)
        # What the terms mean on the ground: the front issue is evaluated as effective control.
        replaced: dict[int, np.ndarray] = {}
        withdrawal = np.zeros(candidates.shape[:2])
        if f is not None:
            replaced[f] = mech.effective_territory(candidates[..., f], self.taken[:, None])
            withdrawal = candidates[..., f] * (1 - self.taken[:, None])
        outlook = self.coalition_outlook(dynamic[..., dep], fixed[:, dep]) if dep is not None else None
        # 6. A guarantee is only as good as the force behind it: parties that judge guarantees see
        # the guarantee term scaled by the deterrent the coalition would field for these terms, and
        # weigh the deal by the risk that the war resumes.
        judged = dict(replaced)
        relapse_risk = None
        if outlook is not None and gi is not None:
            judged[gi] = self.effective_guarantees(candidates[..., gi], outlook.deterrent)
            dur = self.durability
            hazard = mech.relapse_hazard(
                dur["base_hazard_per_year"][:, None], candidates[..., gi], outlook.deterrent,
                withdrawal, (outlook.beyond_consent > 0).astype(float), self.leverage[:, None],
                guarantees_effect=dur["guarantees_effect"][:, None], deterrence_effect=dur["deterrence_effect"][:, None],
                withdrawal_effect=dur["withdrawal_effect"][:, None], unconsented_effect=dur["unconsented_effect"][:, None],
                leverage_effect=dur["leverage_effect"][:, None])
            relapse_risk = 1 - np.exp(-dur["judged_over_years"][:, None] * hazard)
        deal_values, hard_lines, approval, home, penalties, views = [], [], [], [], [], []
        for party in self.parties:
            relapse_value = None
            if party.judges_guarantees and f is not None:
                # After a relapse the attacker fights on from the deal's line, faster for the ground
                # given up: the no-deal value with the front moved.
                speed = np.maximum(party.belief, 0)[:, None] * (
                    1 + self.param("front", "relapse_advance")[:, None] * withdrawal)
                front_after = np.minimum(1.0, replaced[f] + self.projection[:, None] * speed)
                relapse_value = (party.outside_option[:, None] - party.issue_utility(f, party.no_deal_terms[:, f, None])
                                 + party.issue_utility(f, front_after))
            seen = judged if party.judges_guarantees else replaced
            utility = party.candidate_utility(fixed, dynamic, seen)
            penalty, hard = party.red_lines(candidates, seen)
            penalties.append(penalty)
            if self.log_events:
                view = candidates.copy()
                for d, values in seen.items():
                    view[..., d] = values
                views.append(view)
            deal_values.append(party.deal_value(utility, penalty, relapse_risk, relapse_value, outlook,
                                                party is self.consenting))
            hard_lines.append(hard)
            chance = party.ratification_chance(candidates, withdrawal)
            approval.append(chance)
            signs_only_if_approved = party.ratification is not None and party.ratification.rule == "threshold"
            home.append(chance < party.rat_threshold[:, None] if signs_only_if_approved else np.zeros_like(hard))
        deal_values_arr = np.stack(deal_values)
        bar = np.stack([party.outside_option + party.hold_out for party in self.parties])
        margin = deal_values_arr - bar[:, :, None]
        hard_arr = np.stack(hard_lines)
        home_arr = np.stack(home)
        # The acceptance chances are needed only for the candidate finally proposed; for the wide
        # set, whether a candidate clears every bar (zopa) follows from the margins alone.
        acceptance = (np.where(hard_arr | home_arr, 0.0, mech.acceptance_probability(margin, self.noise[None, :, None]))
                      if with_acceptance else np.empty((0,)))
        return Assessment(candidates=candidates, territory=replaced.get(f) if f is not None else None,
                          withdrawal=withdrawal, deal_values=deal_values_arr, margin=margin, hard=hard_arr,
                          approval=np.stack(approval), blocked_at_home=home_arr, acceptance=acceptance,
                          penalty=np.stack(penalties), seen=np.stack(views) if views else np.empty((0,)),
                          mediator_utility=self.mediator.candidate_utility(fixed, dynamic, replaced))

    def mediator_scores(self, t: int, a: Assessment, n_fixed: int = 0) -> tuple[np.ndarray, np.ndarray]:
        """The mediator's score of each candidate, from its estimate of the parties' outside options.

        Its estimate is off by an error that shrinks round by round as rejections reveal information.
        """
        error = (self.estimate_sd[:, None] * self.draws_talks["estimate"][:, t]).T
        estimated = np.where(a.hard | a.blocked_at_home, 0.0,
                             mech.acceptance_probability(a.margin - error[:, :, None], self.noise[None, :, None]))
        return self.mediator.score(a.candidates, a.mediator_utility, estimated, self.plan, n_fixed), estimated

    def negotiate(self, t: int, active: np.ndarray) -> None:
        """One round of talks: outside options, a proposal, and each party's answer."""
        if not active.any():
            return
        runs, n_p = self.runs, len(self.parties)
        rows = np.arange(runs)
        self.outside_options()
        # 5. Candidates: a fixed spread, then this round's own: the compromise point, the last
        # proposal and variations of it, the mediator's plan.
        parts = [self.compromise()[:, None, :], self.last_proposal[:, None, :]]
        if self.plan is not None:
            parts.append(self.plan[:, None, :])
        if self.n_perturb:
            parts.append(np.clip(self.last_proposal[:, None, :] + 0.05 * self.draws_talks["perturb"][:, t], 0, 1))
        wide = self.assess(self.fixed_candidates, np.concatenate(parts, axis=1))
        zopa = wide.zopa()
        scores, estimated = self.mediator_scores(t, wide, n_fixed=len(self.fixed_candidates))
        choice = np.argmax(scores, axis=1)
        proposer = np.full(runs, -1)
        if self.recognition.any():
            cumulative = np.cumsum(self.recognition, axis=-1)
            draw = self.draws_talks["proposer"][:, t]
            proposer = np.where(draw < cumulative[:, -1], np.argmax(draw[:, None] < cumulative, axis=-1), -1)
            for j in range(n_p):
                # A proposing party offers only terms it would sign itself, and among them the best
                # for it that the others (as the mediator's estimate has it) would likely accept;
                # failing that, it postures with the best terms for itself.
                acceptable = ~wide.hard[j] & ~wide.blocked_at_home[j] & (wide.margin[j] >= 0)
                others = np.prod(np.delete(estimated, j, axis=0), axis=0)
                feasible = acceptable & (others >= self.acceptance_floor[:, None])
                best_feasible = np.argmax(np.where(feasible, wide.deal_values[j], -np.inf), axis=-1)
                posture = np.argmax(np.where(~wide.hard[j], wide.deal_values[j], -np.inf), axis=-1)
                pick = np.where(feasible.any(axis=-1), best_feasible, posture)
                choice = np.where(proposer == j, pick, choice)
        # The mediator then refines its pick: it tries small steps along each issue around it and
        # keeps the best, so its proposal does not hinge on how fine the candidate grid is.
        best = wide.candidates[rows, choice]
        no_fixed = np.empty((0, len(self.issues)))
        for step in REFINE_STEPS:
            moves = np.concatenate([np.eye(len(self.issues)), -np.eye(len(self.issues))]) * step
            local = self.assess(no_fixed, np.clip(np.concatenate([best[:, None, :], best[:, None, :] + moves], axis=1), 0, 1),
                                with_acceptance=True)
            zopa |= local.zopa()
            local_scores, _ = self.mediator_scores(t, local)
            pick = np.where(proposer < 0, np.argmax(local_scores, axis=1), 0)
            best = local.candidates[rows, pick]
        final = local.at(pick)
        self.zopa_rounds += active & zopa
        # 7. acceptance
        proposal = final.candidates
        accepts = self.draws_talks["accept"][:, t] < final.acceptance
        agreed = active & accepts.all(axis=-1)
        voted_down = np.zeros(runs, bool)
        for i, party in enumerate(self.parties):
            r = party.ratification
            if r is not None and r.rule == "referendum":
                passed = self.draws_talks["referendum"][:, t] < final.approval[:, i]
                self.log(agreed & ~passed, party.actor_id, "ratification fails", "the deal is voted down at home")
                voted_down |= agreed & ~passed
        agreed &= ~voted_down
        if self.log_events:
            self._log_round(active, proposer, final, accepts, zopa)
        # 8. failure reasons and learning
        failed = active & ~agreed
        self.failed_rounds += failed
        # Who rejected the last proposal; runs without talks this round keep their last answer.
        self.rejected_by = np.where(active[:, None], failed[:, None] & ~accepts, self.rejected_by)
        # Why this round failed, most specific first: a hard red line, domestic approval, no
        # bargaining range at all, or a range that the process missed ("horizon").
        reason = np.where(zopa, "horizon", "no_zopa").astype(object)
        for i in range(n_p):
            said_no = failed & ~accepts[:, i]
            reason = np.where((said_no & final.blocked_at_home[:, i]) | voted_down, "ratification", reason)
        for i, party in reversed(list(enumerate(self.parties))):
            said_no = failed & ~accepts[:, i]
            reason = np.where(said_no & final.hard[:, i], f"red_line_{party.actor_id}", reason)
        self.last_failure = np.where(failed, reason, self.last_failure)
        self.last_proposal = np.where(active[:, None], proposal, self.last_proposal)
        self.estimate_sd = np.where(active, self.estimate_sd * self.mediator.learning, self.estimate_sd)
        if agreed.any():
            self.status[agreed] = CEASEFIRE
            self.cause[agreed] = "none"
            self.ceasefire_round[agreed] = t
            self.terms[agreed] = proposal[agreed]
            if final.territory is not None:
                self.territory_effective[agreed] = final.territory[agreed]
                self.withdrawal[agreed] = final.withdrawal[agreed]
            self.log(agreed, "-", "ceasefire", lambda i: f"agreed on {self._fmt_terms(proposal[i])}")
            self.deploy_and_endure(t, agreed)

    def _log_round(self, active: np.ndarray, proposer: np.ndarray, final: Assessment, accepts: np.ndarray,
                   zopa: np.ndarray) -> None:
        for i in np.flatnonzero(active):
            who = self.mediator.actor_id if proposer[i] < 0 else self.parties[proposer[i]].actor_id
            proposal = final.candidates[i]
            previous = self._logged_proposal.get(int(i))
            verb = "proposes again" if previous is not None and np.allclose(previous, proposal, atol=0.005) else "proposes"
            self._logged_proposal[int(i)] = proposal.copy()
            self.events.append(Event(int(i), self.round, who, verb, self._fmt_terms(proposal)
                                     + ("" if zopa[i] else "; no terms clear every party's bar this round")))
            for j, party in enumerate(self.parties):
                value = final.deal_values[i, j]
                outside, hold = party.outside_option[i], party.hold_out[i]
                seen = final.seen[i, j]
                if final.hard[i, j]:
                    broken = [self.issues[d] for d in range(len(self.issues))
                              if (party.hard_low[i, d] and seen[d] < party.at_least[i, d] - 1e-12)
                              or (party.hard_high[i, d] and seen[d] > party.at_most[i, d] + 1e-12)] or ["a red line"]
                    why = f"crosses its red line on {', '.join(broken)}"
                    if self.guarantees_issue is not None and party.judges_guarantees \
                            and self.issues[self.guarantees_issue] in broken:
                        why += (f" (guarantee {proposal[self.guarantees_issue]:.2f} is worth "
                                f"{seen[self.guarantees_issue]:.2f} with the force that would deploy)")
                elif final.blocked_at_home[i, j]:
                    why = f"would not pass at home (approval {final.approval[i, j]:.2f})"
                else:
                    why = f"deal value {value:.3f} vs outside option {outside:.3f} + hold-out {hold:.3f}"
                    if final.penalty[i, j] > 0.005:
                        why += f"; its soft red lines cost {final.penalty[i, j]:.3f}"
                    if not accepts[i, j]:
                        losses = party.salience[i] * np.abs(seen - party.position[i]) ** party.risk[i]
                        losses = losses + np.where(party.hard_low[i], 0, party.penalty_low[i]) * np.maximum(
                            np.where(np.isfinite(party.at_least[i]), party.at_least[i], 0) - seen, 0)
                        losses = losses + np.where(party.hard_high[i], 0, party.penalty_high[i]) * np.maximum(
                            seen - np.where(np.isfinite(party.at_most[i]), party.at_most[i], 1), 0)
                        why += f"; it objects most to {self.issues[int(np.argmax(losses))]}"
                self.events.append(Event(int(i), self.round, party.actor_id,
                                         "accepts" if accepts[i, j] else "rejects", why))

    # after a ceasefire ---------------------------------------------------------------------

    def deploy_and_endure(self, t: int, agreed: np.ndarray) -> None:
        """Run the pledge cascade for the agreed terms, deploy, and draw the relapse to the horizon."""
        dur = self.durability
        guarantees = self.terms[:, self.guarantees_issue] if self.guarantees_issue is not None else np.zeros(self.runs)
        deterrent = np.zeros(self.runs)
        unconsented = np.zeros(self.runs)
        if self.deployment_issue is not None:
            consent = np.nan_to_num(self.terms[:, self.deployment_issue], nan=-1.0)
            troops = np.stack([g.troops for g in self.guarantors], axis=-1)
            mandate_p = np.stack([g.mandate_probability for g in self.guarantors], axis=-1)
            mandates = self.draws_coalition["mandate"][:, : len(self.guarantors)] < mandate_p
            pledged, force, beyond = self._cascade(troops, consent[:, None], mandates)
            pledged, force, beyond = pledged[:, 0], force[:, 0], beyond[:, 0]
            deterrent = self._deterrent(pledged, troops, force)
            unconsented = (beyond > 0).astype(float)
            self.deployed[agreed] = (force > 0)[agreed]
            self.deployment_troops[agreed] = force[agreed]
            self.deployment_consented[agreed] = np.where(force > 0, beyond == 0, np.nan)[agreed]
            names = np.array([g.actor_id for g in self.guarantors])
            for i in np.flatnonzero(agreed):
                self.contributors[i] = "+".join(names[pledged[i]])
            if self.log_events:
                self._log_pledges(agreed, consent, mandates, pledged, force)
        self.deterrence_effective[agreed] = deterrent[agreed]
        if self.deployment_issue is not None:
            self.guarantees_effective[agreed] = self.effective_guarantees(guarantees, deterrent)[agreed]
        else:
            self.guarantees_effective[agreed] = guarantees[agreed]
        withdrawal = np.nan_to_num(self.withdrawal)
        hazard = mech.relapse_hazard(
            dur["base_hazard_per_year"], guarantees, deterrent, withdrawal, unconsented, self.leverage,
            guarantees_effect=dur["guarantees_effect"], deterrence_effect=dur["deterrence_effect"],
            withdrawal_effect=dur["withdrawal_effect"], unconsented_effect=dur["unconsented_effect"],
            leverage_effect=dur["leverage_effect"])
        per_round = 1 - np.exp(-hazard * self.round_weeks / 52.0)
        later = np.arange(self.max_rounds)[None, :]
        at_risk = (later > t) & (later < self.horizon[:, None])
        breaks = at_risk & (self.draws_durability["relapse"] < per_round[:, None])
        first = np.where(breaks.any(axis=1), np.argmax(breaks, axis=1), -1)
        self.relapse_round[agreed] = np.where(first >= 0, first, np.nan)[agreed]
        self.ceasefire_held[agreed] = (first < 0)[agreed]
        if self.log_events:
            for i in np.flatnonzero(agreed):
                if first[i] >= 0:
                    self.events.append(Event(int(i), int(first[i]), "-", "relapse", "the ceasefire breaks down"))
                else:
                    self.events.append(Event(int(i), int(self.horizon[i]) - 1, "-", "ceasefire holds",
                                             f"to the horizon (yearly relapse hazard {hazard[i]:.3f})"))

    def _log_pledges(self, agreed: np.ndarray, consent: np.ndarray, mandates: np.ndarray, pledged: np.ndarray,
                     force: np.ndarray) -> None:
        backstop = self.mediator.backstop
        for i in np.flatnonzero(agreed):
            share = force[i] / self.F_needed[i]
            for j, g in enumerate(self.guarantors):
                if pledged[i, j]:
                    self.events.append(Event(int(i), self.round, g.actor_id, "pledges",
                                             f"{g.troops[i]:,.0f} troops ({g.force_type})"))
                    continue
                if g.troops[i] <= 0:
                    why = "has no troops to send"
                elif g.requires_consent and self.levels[j] > consent[i]:
                    why = f"needs consent to a {g.force_type} force; the deal allows {consent[i]:.2f}"
                elif self.levels[j] > consent[i] and g.risk_tolerance[i] < self.target_risk[i]:
                    why = (f"will not send a {g.force_type} force beyond consent: its troops would be targets "
                           f"(risk {self.target_risk[i]:.2f} > tolerance {g.risk_tolerance[i]:.2f})")
                elif backstop[i] < g.min_backstop[i]:
                    why = f"backstop {backstop[i]:.2f} is below its minimum {g.min_backstop[i]:.2f}"
                elif not mandates[i, j]:
                    why = "its parliament or government gives no mandate"
                elif self.is_lead[j]:
                    why = "lead nations withdraw: the force would be too small or the backstop too weak"
                else:
                    why = f"the pledged force ({share:.0%} of the target) is below its threshold {g.threshold[i]:.2f}"
                self.events.append(Event(int(i), self.round, g.actor_id, "stays home", why))
            self.events.append(Event(int(i), self.round, "-", "deployment",
                                     f"{force[i]:,.0f} troops deploy" if force[i] > 0 else "no force deploys"))

    # ------------------------------------------------------------------------------ records

    def _first_round(self, measures: list[int]) -> np.ndarray:
        """Round the first of these measures was adopted (NaN if none was)."""
        if not measures:
            return np.full(self.runs, np.nan)
        first = np.min(np.where(np.isnan(self.adopted_round[:, measures]), np.inf, self.adopted_round[:, measures]), axis=1)
        return np.where(np.isinf(first), np.nan, first)

    def records(self) -> dict[str, np.ndarray]:
        """One column per field of the run record (see :mod:`sim.record`), one entry per run."""
        if self.running:
            raise RuntimeError("the runs are not finished: call run() first")
        loans = [m for m, mid in enumerate(self.measures)
                 if self.scenario.spec.institutions.eu_council.measures[mid].kind == "loan"]  # type: ignore[union-attr]
        sanctions = [m for m in range(len(self.measures)) if m not in loans]
        cols: dict[str, np.ndarray] = {
            "outcome": np.array(OUTCOMES, dtype=object)[self.status],
            "ceasefire_round": self.ceasefire_round,
        }
        for d, issue in enumerate(self.issues):
            cols[f"terms_{issue}"] = self.terms[:, d]
        cols.update({
            "territory_effective": self.territory_effective,
            "withdrawal": self.withdrawal,
            "guarantees_effective": self.guarantees_effective,
            "deterrence_effective": self.deterrence_effective,
            "deployment_consented": self.deployment_consented,
            "deployment": self.deployed,
            "deployment_troops": self.deployment_troops,
            "contributors": self.contributors,
            "ceasefire_held": self.ceasefire_held,
            "relapse_round": self.relapse_round,
            "sanctions_packages_passed": self.adopted[:, sanctions].sum(axis=1) if sanctions else np.zeros(self.runs, int),
            "sanctions_round": self._first_round(sanctions),
            "loan_approved": self.adopted[:, loans].any(axis=1) if loans else np.zeros(self.runs, bool),
            "loan_round": self._first_round(loans),
            "vetoes": self.vetoes,
            "shocks": self.shock_fired.sum(axis=1),
            "breakdown_cause": self.cause,
            "zopa_rounds": self.zopa_rounds,
            "suspensions": self.suspensions,
            "leverage": self.leverage,
            "front_final": self.taken,
            "sanctions_final": self.sanctions,
        })
        for path, values in self.drawn.items():
            cols[path] = values
        return cols

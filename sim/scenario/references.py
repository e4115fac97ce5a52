"""Cross-reference checks: every id a scenario uses is defined, with the right role, and values agree.

These run on a scenario whose format is valid (a typed :class:`sim.schema.ScenarioSpec`); each kind
of check is one function, and :func:`_cross_problems` runs them in a fixed order, which is the order
problems on the same line are reported in.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Iterator
from typing import Any

from ..distributions import Choice, Distribution, Normal, Triangular, Uniform
from ..errors import PathPart, Problem
from ..schema import ActorSpec, ScenarioSpec


def _mean(value: Any) -> float:
    if isinstance(value, Normal):
        return value.mean
    if isinstance(value, Uniform | Triangular | Choice):
        return value.mean
    return float(value)


def problem(path: tuple[PathPart, ...], message: str, expected: str = "") -> Problem:
    """A problem at a key path; its file and line are filled in once the scenario's lines are known."""
    return Problem("", None, path, message, expected)


class _Refs:
    """The ids a scenario defines; each check yields a problem for a reference to an id it lacks."""

    def __init__(self, spec: ScenarioSpec) -> None:
        self.spec = spec
        self.issues = list(spec.issues)
        self.actors = spec.actors
        self.measures = spec.institutions.eu_council.measures if spec.institutions.eu_council else {}

    def actor(self, ref: str | None, path: tuple[PathPart, ...], role: str | None = None) -> Iterator[Problem]:
        if ref is None:
            return
        actors = self.actors
        if ref not in actors:
            close = difflib.get_close_matches(ref, list(actors), n=1, cutoff=0.6)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            yield problem(path, f"actor {ref!r} is not defined{hint}", "an id under actors: " + ", ".join(actors))
        elif role and role not in actors[ref].roles:
            yield problem(path, f"actor {ref!r} does not have the role {role}",
                          f"an actor with roles including {role}")

    def issue(self, ref: str, path: tuple[PathPart, ...], extra: tuple[str, ...] = ()) -> Iterator[Problem]:
        issues = self.issues
        if ref not in issues and ref not in extra:
            close = difflib.get_close_matches(ref, issues, n=1, cutoff=0.6)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            yield problem(path, f"issue {ref!r} is not defined{hint}", "one of: " + ", ".join((*issues, *extra)))

    def measure(self, ref: str, path: tuple[PathPart, ...], kind: str | None = None) -> Iterator[Problem]:
        measures = self.measures
        if ref not in measures:
            yield problem(path, f"measure {ref!r} is not defined",
                          "an id under institutions.eu_council.measures" + (": " + ", ".join(measures) if measures else ""))
        elif kind and measures[ref].kind != kind:
            yield problem(path, f"measure {ref!r} is of kind {measures[ref].kind}", f"a measure of kind {kind}")


def _cross_problems(spec: ScenarioSpec) -> Iterator[Problem]:
    """Every broken reference and inconsistent value, with its key path (file and line added later)."""
    refs = _Refs(spec)
    yield from _fixed_sizes(spec)
    for aid, actor in spec.actors.items():
        yield from _actor_preferences(refs, aid, actor)
        yield from _actor_roles(refs, aid, actor)
    yield from _talks_problems(refs)
    yield from _council_and_coalition_problems(refs)
    yield from _front_problems(refs)
    yield from _plan_problems(refs)
    yield from _shock_problems(refs)


def _fixed_sizes(spec: ScenarioSpec) -> Iterator[Problem]:
    talks = spec.institutions.talks
    # These set the size of arrays shared by a batch of runs, so they cannot vary by run.
    for key in ("candidates", "perturbations"):
        if isinstance(getattr(talks, key), Uniform | Normal | Triangular | Choice):
            yield problem(("institutions", "talks", key), f"{key} cannot be a distribution", "a fixed whole number")


def _actor_preferences(refs: _Refs, aid: str, actor: ActorSpec) -> Iterator[Problem]:
    """An actor's roles, positions, saliences and red lines."""
    issues = refs.issues
    base: tuple[PathPart, ...] = ("actors", aid)
    if len(set(actor.roles)) != len(actor.roles):
        yield problem((*base, "roles"), "a role is listed twice", "each role once")
    for key in ("position", "salience"):
        for issue in getattr(actor, key):
            yield from refs.issue(issue, (*base, key, issue))
    needs_prefs = "party" in actor.roles or "mediator" in actor.roles
    if needs_prefs:
        for key in ("position", "salience"):
            missing = [i for i in issues if i not in getattr(actor, key)]
            if missing:
                yield problem((*base, key), f"no {key} for issue(s) {', '.join(missing)}",
                              f"a {key} for every issue of a {'party' if 'party' in actor.roles else 'mediator'}")
    if actor.salience:
        total = sum(_mean(v) for v in actor.salience.values())
        if not math.isclose(total, 1.0, abs_tol=0.01):
            yield problem((*base, "salience"), f"saliences sum to {total:.3g}", "weights that sum to 1")
    for i, line in enumerate(actor.red_lines):
        yield from refs.issue(line.issue, (*base, "red_lines", i, "issue"))


def _actor_roles(refs: _Refs, aid: str, actor: ActorSpec) -> Iterator[Problem]:
    """An actor's role blocks, and the ids they refer to."""
    spec = refs.spec
    base: tuple[PathPart, ...] = ("actors", aid)
    for role in ("party", "mediator", "guarantor", "eu_member", "influencer"):
        block = getattr(actor, role)
        if block is not None and role not in actor.roles:
            yield problem((*base, role), f"attributes for role {role} but the actor does not have that role",
                          f"{role} listed under roles, or no {role}: block")
    for role in ("guarantor", "influencer"):
        if role in actor.roles and getattr(actor, role) is None:
            yield problem(base, f"role {role} needs a {role}: block", f"{role}: with its attributes")
    if actor.party and actor.party.funding:
        for j, m in enumerate(actor.party.funding.extended_by):
            yield from refs.measure(m, (*base, "party", "funding", "extended_by", j), "loan")
    if actor.party and actor.party.ratification:
        for key in actor.party.ratification.weights:
            yield from refs.issue(key, (*base, "party", "ratification", "weights", key), ("withdrawal",))
    if actor.mediator and actor.mediator.plan and actor.mediator.plan not in spec.plans:
        yield problem((*base, "mediator", "plan"), f"plan {actor.mediator.plan!r} is not defined",
                      "an id under plans: " + ", ".join(spec.plans) if spec.plans else "a plans: section")
    if actor.eu_member:
        for j, m in enumerate(actor.eu_member.blocks):
            yield from refs.measure(m, (*base, "eu_member", "blocks", j))
        if spec.institutions.eu_council is None or aid not in spec.institutions.eu_council.members:
            yield problem((*base, "roles"), "has the role eu_member but is not in institutions.eu_council.members",
                          "the actor listed as a council member")
    if actor.influencer:
        yield from refs.actor(actor.influencer.supports, (*base, "influencer", "supports"), "party")
    if actor.guarantor:
        coalition = spec.institutions.coalition
        if coalition is None:
            yield problem((*base, "roles"), "a guarantor needs institutions.coalition", "a coalition: section")
        elif actor.guarantor.force_type not in coalition.force_types:
            yield problem((*base, "guarantor", "force_type"),
                          f"force type {actor.guarantor.force_type!r} is not defined",
                          "one of: " + ", ".join(coalition.force_types))


def _talks_problems(refs: _Refs) -> Iterator[Problem]:
    talks = refs.spec.institutions.talks
    tpath: tuple[PathPart, ...] = ("institutions", "talks")
    yield from refs.actor(talks.mediator, (*tpath, "mediator"), "mediator")
    if len(set(talks.parties)) != len(talks.parties):
        yield problem((*tpath, "parties"), "a party is listed twice", "each party once")
    for i, p in enumerate(talks.parties):
        yield from refs.actor(p, (*tpath, "parties", i), "party")
    for aid, actor in refs.actors.items():
        if "party" in actor.roles and aid not in talks.parties:
            yield problem(("actors", aid, "roles"), "has the role party but is not in institutions.talks.parties",
                          "every party listed in the talks")
    for p in talks.recognition:
        if p not in talks.parties:
            yield problem((*tpath, "recognition", p), f"{p!r} is not a party to the talks",
                          "party ids: " + ", ".join(talks.parties))
    if sum(_mean(v) for v in talks.recognition.values()) > 1 + 1e-9:
        yield problem((*tpath, "recognition"), "recognition chances sum to more than 1", "a total of at most 1")


def _council_and_coalition_problems(refs: _Refs) -> Iterator[Problem]:
    council = refs.spec.institutions.eu_council
    if council:
        for i, m in enumerate(council.members):
            yield from refs.actor(m, ("institutions", "eu_council", "members", i), "eu_member")

    coalition = refs.spec.institutions.coalition
    if coalition:
        cpath: tuple[PathPart, ...] = ("institutions", "coalition")
        for i, lead in enumerate(coalition.lead_nations):
            yield from refs.actor(lead, (*cpath, "lead_nations", i), "guarantor")
        yield from refs.actor(coalition.consent_from, (*cpath, "consent_from"), "party")
        yield from refs.actor(coalition.backstop_from, (*cpath, "backstop_from"), "mediator")
        yield from refs.issue(coalition.deployment_issue, (*cpath, "deployment_issue"))
        yield from refs.issue(coalition.guarantees_issue, (*cpath, "guarantees_issue"))
        if _mean(coalition.F_min) > _mean(coalition.F_needed):
            yield problem((*cpath, "F_min"), "F_min is above F_needed", "F_min <= F_needed")


def _front_problems(refs: _Refs) -> Iterator[Problem]:
    front = refs.spec.front
    if front:
        fpath: tuple[PathPart, ...] = ("front",)
        yield from refs.issue(front.issue, (*fpath, "issue"))
        yield from refs.actor(front.attacker, (*fpath, "attacker"), "party")
        yield from refs.actor(front.defender, (*fpath, "defender"), "party")
        if front.attacker == front.defender:
            yield problem((*fpath, "defender"), "attacker and defender are the same actor", "two different parties")


def _plan_problems(refs: _Refs) -> Iterator[Problem]:
    for pid, plan in refs.spec.plans.items():
        for issue in plan:
            yield from refs.issue(issue, ("plans", pid, issue))
        missing = [i for i in refs.issues if i not in plan]
        if missing:
            yield problem(("plans", pid), f"no terms for issue(s) {', '.join(missing)}", "a term for every issue")


def _shock_problems(refs: _Refs) -> Iterator[Problem]:
    for sid, shock in refs.spec.shocks.items():
        spath: tuple[PathPart, ...] = ("shocks", sid)
        yield from refs.actor(shock.when_rejected_by, (*spath, "when_rejected_by"), "party")
        eff = shock.effects
        epath = (*spath, "effects")
        for i, shift in enumerate(eff.positions):
            yield from refs.actor(shift.actor, (*epath, "positions", i, "actor"))
            yield from refs.issue(shift.issue, (*epath, "positions", i, "issue"))
        for i, change in enumerate(eff.red_lines):
            yield from refs.actor(change.actor, (*epath, "red_lines", i, "actor"))
            yield from refs.issue(change.issue, (*epath, "red_lines", i, "issue"))
        for i, aid in enumerate(eff.grievance_ends):
            yield from refs.actor(aid, (*epath, "grievance_ends", i), "eu_member")
        for key in ("war_cost", "strength"):
            for i, change in enumerate(getattr(eff, key)):
                yield from refs.actor(change.actor, (*epath, key, i, "actor"), "party")
        # Each number of these pairs is checked by its type (finite, in range); here only their order.
        if eff.front and eff.front[0] > eff.front[1]:
            yield problem((*epath, "front"), f"low {eff.front[0]:g} is above high {eff.front[1]:g}",
                          "[low, high] with low <= high")
        if eff.suspend_talks and eff.suspend_talks.rounds[0] > eff.suspend_talks.rounds[1]:
            lo, hi = eff.suspend_talks.rounds
            yield problem((*epath, "suspend_talks", "rounds"), f"min {lo} is above max {hi}",
                          "[min, max] rounds with min <= max")
        if shock.at_round is None and _mean(shock.probability) == 0 and not isinstance(shock.probability, Distribution):
            yield problem(spath, "never fires: probability 0 and no at_round", "a probability > 0 or an at_round")

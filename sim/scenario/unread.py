"""Settings no mechanism reads: keys a file sets whose mechanism the scenario does not have.

A default is not a setting: only keys the file (or an overlay) writes count, so each check looks the
key up in the merged data before it looks at the typed value. Every problem here is ``unread``: an
error when loading strictly, a warning with ``strict=False``. The checks that need no written key
(an influencer supporting an actor on no side of the front, a shock that can never fire, ...) are in
:mod:`.references` beside the references they follow.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ..distributions import Distribution
from ..errors import PathPart, Problem
from ..schema import ActorSpec, ScenarioSpec
from .refs import front_actors, unread

_MISSING = object()


def _written(data: Any, path: tuple[PathPart, ...]) -> Any:
    """The value the merged data holds at ``path``, or ``_MISSING`` if no file wrote it."""
    cur = data
    for part in path:
        found = (part in cur if isinstance(cur, Mapping) else
                 isinstance(cur, list) and isinstance(part, int) and 0 <= part < len(cur))
        if not found:
            return _MISSING
        cur = cur[part]
    return cur


def _nonzero(value: Any) -> bool:
    """A number or distribution that can be other than 0."""
    if isinstance(value, Distribution):
        return tuple(value.bounds) != (0, 0)
    return bool(value)


def _unread_problems(spec: ScenarioSpec, data: Mapping[str, Any]) -> Iterator[Problem]:
    """Every key the file sets that no mechanism of this scenario reads."""
    def wrote(*path: PathPart) -> bool:
        return _written(data, path) is not _MISSING

    for aid, actor in spec.actors.items():
        yield from _party_settings(spec, aid, actor, wrote)
        yield from _role_settings(spec, aid, actor, wrote)
    yield from _world_settings(spec, wrote)


def _party_settings(spec: ScenarioSpec, aid: str, actor: ActorSpec, wrote) -> Iterator[Problem]:
    party = actor.party
    if party is None:
        return
    base: tuple[PathPart, ...] = ("actors", aid, "party")
    coalition = spec.institutions.coalition
    if wrote(*base, "judges_guarantees") and party.judges_guarantees and coalition is None:
        yield unread((*base, "judges_guarantees"), "judges guarantees by the force behind them, but the scenario "
                     "has no coalition to field one", "institutions.coalition, or judges_guarantees: false")
    if wrote(*base, "unconsented_force_penalty") and _nonzero(party.unconsented_force_penalty):
        if coalition is None:
            yield unread((*base, "unconsented_force_penalty"), "the scenario has no coalition whose force "
                         "could deploy beyond consent", "institutions.coalition, or no unconsented_force_penalty")
        elif aid not in coalition.consent_from:
            yield unread((*base, "unconsented_force_penalty"), f"{aid!r} is not in the coalition's consent_from, "
                         "so no force deploys beyond its consent",
                         "an actor listed in institutions.coalition.consent_from")
    if wrote(*base, "optimism") and _nonzero(party.optimism) and spec.front is None:
        yield unread((*base, "optimism"), "a belief about the front's drift, but the scenario has no front",
                     "a front: section, or no optimism")
    if wrote(*base, "funding_cost") and _nonzero(party.funding_cost) and actor.funding is None:
        yield unread((*base, "funding_cost"), f"{aid!r} has no funding: block whose shortfall could cost it",
                     f"actors.{aid}.funding, or no funding_cost")
    for key, what in (("strain", "the strain of a draining stock"),
                      ("concession_with_depletion", "audience costs that fall as its stock drains")):
        if wrote(*base, key) and _nonzero(getattr(party, key)) and party.endurance_rounds is None:
            yield unread((*base, key), f"{what}, but {aid!r} has no stock (endurance_rounds)",
                         f"actors.{aid}.party.endurance_rounds, or no {key}")
    if (wrote(*base, "concession_with_depletion") and _nonzero(party.concession_with_depletion)
            and not any(line.hard is False for line in actor.red_lines)):
        yield unread((*base, "concession_with_depletion"), f"{aid!r} has no soft red line whose audience cost "
                     "could fall", "a red line with hard: false, or no concession_with_depletion")
    for k, body in enumerate(party.ratification):
        if body.rule != "leader" and wrote(*base, "ratification", k, "threshold"):
            yield unread((*base, "ratification", k, "threshold"), f"a {body.rule} passes by chance: its threshold "
                         "is read only by the rule leader", "rule: leader, or no threshold")


def _role_settings(spec: ScenarioSpec, aid: str, actor: ActorSpec, wrote) -> Iterator[Problem]:
    base: tuple[PathPart, ...] = ("actors", aid)
    mediator = actor.mediator
    if mediator is not None and mediator.plan is None and wrote(*base, "mediator", "plan_pull") and _nonzero(
            mediator.plan_pull):  # a pull of 0 says there is none
        yield unread((*base, "mediator", "plan_pull"), "a pull toward its plan, but the mediator has no plan",
                     "a mediator.plan, or no plan_pull")
    g = actor.guarantor
    if g is not None and g.requires_consent and wrote(*base, "guarantor", "risk_tolerance"):
        yield unread((*base, "guarantor", "risk_tolerance"), "a guarantor that requires consent never deploys "
                     "beyond it, so its risk tolerance is not read", "requires_consent: false, or no risk_tolerance")
    m = actor.member
    if m is None:
        return
    mpath = (*base, "member")
    # A weight no quota reads is found with the councils' rules (sim/scenario/rule_checks.py).
    if not m.votes_against:
        for key in ("against_probability", "grievance_end_probability", "against_probability_after_change"):
            if wrote(*mpath, key):
                yield unread((*mpath, key), "the member votes against no measure", "votes_against: [measure ids]")
    elif m.election_round is None:
        for key in ("government_change_probability", "against_probability_after_change"):
            if wrote(*mpath, key):
                yield unread((*mpath, key), "there is no election that could change the government",
                             "an election_round, or no " + key)


def _world_settings(spec: ScenarioSpec, wrote) -> Iterator[Problem]:
    coalition = spec.institutions.coalition
    talks = spec.institutions.talks
    if wrote("institutions", "talks", "proposal_acceptance_floor") and not any(
            _nonzero(v) for v in talks.recognition.values()):
        yield unread(("institutions", "talks", "proposal_acceptance_floor"), "no party ever proposes "
                     "(talks.recognition gives none a chance)", "a recognition chance for a party, or no floor")
    if coalition is None:
        for key in ("deterrence_effect", "unconsented_effect"):
            if wrote("durability", key):
                yield unread(("durability", key), "the scenario has no coalition to deploy a force",
                             "institutions.coalition, or no " + key)
    # durability.judged_over_years is not checked: a variant that stops a party judging guarantees
    # would have to delete it from the base's durability block, which reads as noise.
    front = spec.front
    felt = front_actors(spec) & set(spec.sanctions)
    if front is not None and wrote("front", "sanctions_erosion") and not felt:
        yield unread(("front", "sanctions_erosion"), "no actor on the front has a sanctions index",
                     "a sanctions: index on an actor of the front, or no sanctions_erosion")
    consent_bound = any(a.guarantor is not None and a.guarantor.requires_consent for a in spec.actors.values())
    for sid, shock in spec.shocks.items():
        path = ("shocks", sid, "effects", "consent_thresholds")
        if wrote(*path) and _nonzero(shock.effects.consent_thresholds) and not consent_bound:
            yield unread(path, "no guarantor requires consent, so no consent threshold moves",
                         "a guarantor with requires_consent: true, or no consent_thresholds")

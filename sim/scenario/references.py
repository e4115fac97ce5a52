"""Cross-reference checks: every id a scenario uses is defined, with the right role, and values agree.

These run on a scenario whose format is valid (a typed :class:`sim.schema.ScenarioSpec`); each kind
of check is one function, and :func:`_cross_problems` runs them in a fixed order, which is the order
problems on the same line are reported in.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

from ..distributions import Distribution
from ..errors import PathPart, Problem
from ..schema import ActorSpec, ScenarioSpec
from .refs import Refs, change_problems, has_changes, mean, problem, unread
from .rule_checks import council_rule_problems, member_weight_problems, renewal_problems
from .world_checks import world_problems


def _cross_problems(spec: ScenarioSpec) -> Iterator[Problem]:
    """Every broken reference and inconsistent value, with its key path (file and line added later)."""
    refs = Refs(spec)
    yield from _fixed_sizes(spec)
    for aid, actor in spec.actors.items():
        yield from _actor_preferences(refs, aid, actor)
        yield from _actor_roles(refs, aid, actor)
    yield from _talks_problems(refs)
    yield from _agenda_problems(refs)
    yield from _council_problems(refs)
    yield from _coalition_problems(refs)
    yield from world_problems(refs)


def _fixed_sizes(spec: ScenarioSpec) -> Iterator[Problem]:
    talks = spec.institutions.talks
    # These set the size of arrays shared by a batch of runs, so they cannot vary by run.
    for key in ("candidates", "perturbations"):
        if isinstance(getattr(talks, key), Distribution):
            yield problem(("institutions", "talks", key), f"{key} cannot be a distribution", "a fixed whole number")


def _actor_preferences(refs: Refs, aid: str, actor: ActorSpec) -> Iterator[Problem]:
    """An actor's roles, positions, saliences and red lines."""
    issues = refs.issues
    base: tuple[PathPart, ...] = ("actors", aid)
    if len(set(actor.roles)) != len(actor.roles):
        yield problem((*base, "roles"), "a role is listed twice", "each role once")
    for key in ("position", "salience"):
        for issue in getattr(actor, key):
            yield from refs.issue(issue, (*base, key, issue))
    judging = [r for r in ("party", "veto_player", "mediator") if r in actor.roles]
    if judging:
        for key in ("position", "salience"):
            missing = [i for i in issues if i not in getattr(actor, key)]
            if missing:
                yield problem((*base, key), f"no {key} for issue(s) {', '.join(missing)}",
                              f"a {key} for every issue of a {judging[0].replace('_', ' ')}")
    if actor.salience:
        total = sum(mean(v) for v in actor.salience.values())
        if not math.isclose(total, 1.0, abs_tol=0.01):
            yield problem((*base, "salience"), f"saliences sum to {total:.3g}", "weights that sum to 1")
    sides: dict[tuple[str, str], int] = {}
    for i, line in enumerate(actor.red_lines):
        yield from refs.issue(line.issue, (*base, "red_lines", i, "issue"))
        # The model holds one line per issue and side: a second one would replace the first unseen.
        first = sides.setdefault((line.issue, line.op), i)
        if first != i:
            yield problem((*base, "red_lines", i), f"a second red line {line.issue} {line.op} (red_lines[{first}] is "
                          "one already): only one line per issue and side is kept",
                          "one line per issue and side: keep the one that binds (a hard line, or the soft line with its penalty)")
        if line.before_ceasefire and refs.spec.institutions.talks.armistice is None:
            yield unread((*base, "red_lines", i, "before_ceasefire"), "the talks have no armistice for it to hold in",
                         "institutions.talks.armistice, or no before_ceasefire")


#: Role blocks, and the roles that use each (``party`` serves parties and veto players alike).
_BLOCK_ROLES = {"party": ("party", "veto_player"), "mediator": ("mediator",), "backer": ("backer",),
                "guarantor": ("guarantor",), "member": ("member",), "influencer": ("influencer",)}


def _actor_roles(refs: Refs, aid: str, actor: ActorSpec) -> Iterator[Problem]:
    """An actor's role blocks, and the ids they refer to."""
    spec = refs.spec
    base: tuple[PathPart, ...] = ("actors", aid)
    for block_name, roles in _BLOCK_ROLES.items():
        if getattr(actor, block_name) is not None and not set(roles) & set(actor.roles):
            words = " or ".join(roles)
            yield problem((*base, block_name), f"attributes for role {words} but the actor does not have that role",
                          f"{roles[0]} listed under roles, or no {block_name}: block")
    for role in ("guarantor", "influencer"):
        if role in actor.roles and getattr(actor, role) is None:
            yield problem(base, f"role {role} needs a {role}: block", f"{role}: with its attributes")
    if {"party", "veto_player"} <= set(actor.roles):
        yield problem((*base, "roles"), "an actor is at the table (party) or outside it (veto_player), not both",
                      "one of party, veto_player")
    if actor.party:
        yield from _ratification_problems(refs, base, actor)
    if actor.mediator and actor.mediator.plan and actor.mediator.plan not in spec.plans:
        yield problem((*base, "mediator", "plan"), f"plan {actor.mediator.plan!r} is not defined",
                      "an id under plans: " + ", ".join(spec.plans) if spec.plans else "a plans: section")
    if actor.member:
        for j, m in enumerate(actor.member.votes_against):
            yield from refs.measure(m, (*base, "member", "votes_against", j))
        if not any(aid in c.members for c in spec.institutions.councils.values()):
            yield unread((*base, "roles"), "has the role member but sits on no council",
                          "the actor listed in a council's members")
    if actor.influencer:
        yield from refs.fighter(actor.influencer.supports, (*base, "influencer", "supports"), "its aid")
    if actor.funding is not None and aid not in refs.on_front:
        yield unread((*base, "funding"), f"{aid!r} is on no side of the front, so its funding changes nothing",
                      "an actor under front.attacker or front.defender, or no funding: block")
    if actor.guarantor:
        coalition = spec.institutions.coalition
        if coalition is None:
            yield problem((*base, "roles"), "a guarantor needs institutions.coalition", "a coalition: section")
        else:
            if actor.guarantor.force_type not in coalition.force_types:
                yield problem((*base, "guarantor", "force_type"),
                              f"force type {actor.guarantor.force_type!r} is not defined",
                              "one of: " + ", ".join(coalition.force_types))
            for k, kind in enumerate(actor.guarantor.also_fields):
                if kind not in coalition.force_types:
                    yield problem((*base, "guarantor", "also_fields", k), f"force type {kind!r} is not defined",
                                  "one of: " + ", ".join(coalition.force_types))


def _ratification_problems(refs: Refs, base: tuple[PathPart, ...], actor: ActorSpec) -> Iterator[Problem]:
    bodies = actor.party.ratification if actor.party else ()
    ids = [b.body for b in bodies]
    rpath = (*base, "party", "ratification")
    for k, body in enumerate(bodies):
        if ids.count(body.body) > 1 and ids.index(body.body) != k:
            yield problem((*rpath, k, "body"), f"body {body.body!r} is listed twice", "each body once")
        for key in body.weights:
            yield from refs.issue(key, (*rpath, k, "weights", key), ("withdrawal",))
        yield from _route_problems(bodies, k, (*rpath, k))
    named = {b.fallback for b in bodies}
    for k, body in enumerate(bodies):
        if body.fallback_only and body.body not in named:
            yield problem((*rpath, k, "fallback_only"), f"body {body.body!r} is only a fallback, but no body names it",
                          "another body of the party with fallback: " + body.body)
    if bodies and all(b.fallback_only for b in bodies):
        yield problem(rpath, "every body is fallback_only, so no deal is ever put to a vote",
                      "at least one body without fallback_only")


def _route_problems(bodies: tuple[Any, ...], k: int, path: tuple[PathPart, ...]) -> Iterator[Problem]:
    """A voting body's route fields: its fallback is another voting body of the party; a leader has no route."""
    body = bodies[k]
    voting = [b.body for b in bodies if b.rule != "leader"]
    if body.rule == "leader":
        # A leader approves before signing and never votes a deal down, so nothing reads these there.
        for key, unset in (("fallback", None), ("once", None), ("fallback_only", False)):
            if getattr(body, key) != unset:
                yield problem((*path, key), f"{key} means nothing for a leader body (it approves before signing)",
                              f"no {key} on a leader, or rule legislature or referendum")
        return
    if body.fallback is None:
        return
    if body.fallback == body.body:
        yield problem((*path, "fallback"), f"body {body.body!r} names itself as its fallback", "another body of the party")
    elif body.fallback not in voting:
        what = "a leader body" if body.fallback in [b.body for b in bodies] else "not a body of the party"
        yield problem((*path, "fallback"), f"fallback {body.fallback!r} is {what}",
                      "a legislature or referendum body of the same party: " + ", ".join(voting))


def _talks_problems(refs: Refs) -> Iterator[Problem]:
    talks = refs.spec.institutions.talks
    tpath: tuple[PathPart, ...] = ("institutions", "talks")
    for key, role in (("mediators", "mediator"), ("parties", "party"), ("veto_players", "veto_player")):
        ids = getattr(talks, key)
        if len(set(ids)) != len(ids):
            yield problem((*tpath, key), f"a {role.replace('_', ' ')} is listed twice", f"each {role.replace('_', ' ')} once")
        for i, aid in enumerate(ids):
            yield from refs.actor(aid, (*tpath, key, i), role)
        for aid, actor in refs.actors.items():
            if role in actor.roles and aid not in ids:
                yield problem(("actors", aid, "roles"), f"has the role {role} but is not in institutions.talks.{key}",
                              f"every {role.replace('_', ' ')} listed in the talks")
    for p in talks.recognition:
        if p not in talks.parties:
            yield problem((*tpath, "recognition", p), f"{p!r} is not a party to the talks",
                          "party ids: " + ", ".join(talks.parties))
    if sum(mean(v) for v in talks.recognition.values()) > 1 + 1e-9:
        yield problem((*tpath, "recognition"), "recognition chances sum to more than 1", "a total of at most 1")
    if talks.armistice is not None:
        apath = (*tpath, "armistice", "issues")
        for i, issue in enumerate(talks.armistice.issues):
            yield from refs.issue(issue, (*apath, i))
        if len(set(talks.armistice.issues)) != len(talks.armistice.issues):
            yield problem(apath, "an issue is listed twice", "each issue once")
        elif set(refs.issues) <= set(talks.armistice.issues):
            yield problem(apath, "an armistice that settles every issue leaves nothing open: it is a settlement",
                          "some issues, not all: " + ", ".join(refs.issues))


def _agenda_problems(refs: Refs) -> Iterator[Problem]:
    talks = refs.spec.institutions.talks
    path: tuple[PathPart, ...] = ("institutions", "talks", "agenda")
    if talks.agenda and talks.armistice is not None:
        yield problem(path, "an agenda and an armistice cannot both be declared (the format cannot yet take an "
                      "armistice item by item)", "one of institutions.talks.agenda and institutions.talks.armistice")
    seen: dict[str, int] = {}
    for k, item in enumerate(talks.agenda):
        for i, issue in enumerate(item.issues):
            yield from refs.issue(issue, (*path, k, "issues", i))
            if issue in seen:
                yield problem((*path, k, "issues", i), f"issue {issue!r} is already in item {seen[issue]} of the agenda",
                              "each issue in one item at most")
            seen.setdefault(issue, k)
    if len(talks.agenda) == 1:
        yield problem(path, "an agenda of one item is no agenda", "two items or more, or no agenda")


def _council_problems(refs: Refs) -> Iterator[Problem]:
    seen: dict[str, str] = {}
    for cid, council in refs.spec.institutions.councils.items():
        cpath: tuple[PathPart, ...] = ("institutions", "councils", cid)
        for i, m in enumerate(council.members):
            yield from refs.actor(m, (*cpath, "members", i), "member")
        yield from council_rule_problems(refs.spec, cid, council)
        for mid, measure in council.measures.items():
            mpath = (*cpath, "measures", mid)
            if mid in seen:
                yield problem(mpath, f"measure {mid!r} is also a measure of council {seen[mid]!r}", "measure ids unique across councils")
            seen[mid] = cid
            yield from change_problems(refs, measure.effects, (*mpath, "effects"))
            if not has_changes(measure.effects):
                yield problem((*mpath, "effects"), "the measure changes nothing", "at least one effect")
            yield from renewal_problems(refs.spec, mpath, measure)
        # A party or veto player is at the talks (checked with the talks), so the mediators hold a belief about it.
        for k, signal in enumerate(council.signals):
            spath = (*cpath, "signals", k)
            yield from refs.judge(signal.about, (*spath, "about"))
            for h, listener in enumerate(signal.heard_by):
                if listener != "mediators":
                    yield from refs.judge(listener, (*spath, "heard_by", h))
            if any(listener != "mediators" for listener in signal.heard_by) and signal.about not in refs.on_front:
                # A party reads the votes as news about the war: the side of `about` says which way.
                yield problem((*spath, "about"), f"{signal.about!r} is on no side of the front, so a party cannot "
                              "read the votes as news about how the war goes for it",
                              "an actor under front.attacker or front.defender" + (
                                  ": " + ", ".join(sorted(refs.on_front)) if refs.on_front
                                  else " (the scenario has no front)"))

    yield from member_weight_problems(refs.spec)


def _coalition_problems(refs: Refs) -> Iterator[Problem]:
    coalition = refs.spec.institutions.coalition
    if coalition:
        cpath: tuple[PathPart, ...] = ("institutions", "coalition")
        for i, lead in enumerate(coalition.lead_nations):
            yield from refs.actor(lead, (*cpath, "lead_nations", i), "guarantor")
        for i, aid in enumerate(coalition.consent_from):
            yield from refs.judge(aid, (*cpath, "consent_from", i))
        yield from refs.actor(coalition.backstop_from, (*cpath, "backstop_from"), "backer")
        yield from refs.issue(coalition.deployment_issue, (*cpath, "deployment_issue"))
        yield from refs.issue(coalition.guarantees_issue, (*cpath, "guarantees_issue"))
        if mean(coalition.F_min) > mean(coalition.F_needed):
            yield problem((*cpath, "F_min"), "F_min is above F_needed", "F_min <= F_needed")
    backers = [aid for aid, a in refs.actors.items() if "backer" in a.roles]
    for aid in backers:
        if coalition is None or coalition.backstop_from != aid:
            yield unread(("actors", aid, "roles"), "has the role backer but is not the coalition's backstop_from",
                          "institutions.coalition.backstop_from naming it")

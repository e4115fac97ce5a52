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
from .rule_checks import council_rule_problems, member_weight_problems, red_line_move_problems, renewal_problems


def _mean(value: Any) -> float:
    if isinstance(value, Normal):
        return value.mean
    if isinstance(value, Uniform | Triangular | Choice):
        return value.mean
    return float(value)


def problem(path: tuple[PathPart, ...], message: str, expected: str = "", *, unread: bool = False) -> Problem:
    """A problem at a key path; its file and line are filled in once the scenario's lines are known.

    ``unread``: the setting is valid but no mechanism reads it (an error only when loading strictly).
    """
    return Problem("", None, path, message, expected, unread)


def unread(path: tuple[PathPart, ...], message: str, expected: str = "") -> Problem:
    """A setting that no mechanism reads, at a key path."""
    return problem(path, message, expected, unread=True)


class _Refs:
    """The ids a scenario defines; each check yields a problem for a reference to an id it lacks."""

    def __init__(self, spec: ScenarioSpec) -> None:
        self.spec = spec
        self.issues = list(spec.issues)
        self.actors = spec.actors
        self.measures = {mid: (cid, m) for cid, council in spec.institutions.councils.items()
                         for mid, m in council.measures.items()}
        front = spec.front
        self.on_front = set(front.attacker) | set(front.defender) if front else set()

    def actor(self, ref: str | None, path: tuple[PathPart, ...], *roles: str) -> Iterator[Problem]:
        """The actor exists, and has one of ``roles`` (if any are given)."""
        if ref is None:
            return
        actors = self.actors
        if ref not in actors:
            close = difflib.get_close_matches(ref, list(actors), n=1, cutoff=0.6)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            yield problem(path, f"actor {ref!r} is not defined{hint}", "an id under actors: " + ", ".join(actors))
        elif roles and not set(roles) & set(actors[ref].roles):
            words = " or ".join(roles)
            yield problem(path, f"actor {ref!r} does not have the role {words}", f"an actor with the role {words}")

    def judge(self, ref: str | None, path: tuple[PathPart, ...]) -> Iterator[Problem]:
        """The actor is one whose acceptance a deal needs: a party or a veto player."""
        yield from self.actor(ref, path, "party", "veto_player")

    def fighter(self, ref: str, path: tuple[PathPart, ...], what: str) -> Iterator[Problem]:
        """The actor contributes strength to a side of the front (else a change of its strength does nothing)."""
        yield from self.actor(ref, path)
        if ref in self.actors and ref not in self.on_front:
            # Not merely unread: the model has no war effort for it to change (it would fail), so an error always.
            yield problem(path, f"{ref!r} is on no side of the front, so {what} changes nothing",
                          "an actor under front.attacker or front.defender" + (
                              ": " + ", ".join(sorted(self.on_front)) if self.on_front else " (the scenario has no front)"))

    def issue(self, ref: str, path: tuple[PathPart, ...], extra: tuple[str, ...] = ()) -> Iterator[Problem]:
        issues = self.issues
        if ref not in issues and ref not in extra:
            close = difflib.get_close_matches(ref, issues, n=1, cutoff=0.6)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            yield problem(path, f"issue {ref!r} is not defined{hint}", "one of: " + ", ".join((*issues, *extra)))

    def measure(self, ref: str, path: tuple[PathPart, ...]) -> Iterator[Problem]:
        if ref not in self.measures:
            yield problem(path, f"measure {ref!r} is not defined",
                          "an id under a council's measures" + (": " + ", ".join(self.measures) if self.measures else ""))


def _cross_problems(spec: ScenarioSpec) -> Iterator[Problem]:
    """Every broken reference and inconsistent value, with its key path (file and line added later)."""
    refs = _Refs(spec)
    yield from _fixed_sizes(spec)
    for aid, actor in spec.actors.items():
        yield from _actor_preferences(refs, aid, actor)
        yield from _actor_roles(refs, aid, actor)
    yield from _talks_problems(refs)
    yield from _council_problems(refs)
    yield from _coalition_problems(refs)
    yield from _front_problems(refs)
    yield from _sanctions_problems(refs)
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
    judging = [r for r in ("party", "veto_player", "mediator") if r in actor.roles]
    if judging:
        for key in ("position", "salience"):
            missing = [i for i in issues if i not in getattr(actor, key)]
            if missing:
                yield problem((*base, key), f"no {key} for issue(s) {', '.join(missing)}",
                              f"a {key} for every issue of a {judging[0].replace('_', ' ')}")
    if actor.salience:
        total = sum(_mean(v) for v in actor.salience.values())
        if not math.isclose(total, 1.0, abs_tol=0.01):
            yield problem((*base, "salience"), f"saliences sum to {total:.3g}", "weights that sum to 1")
    for i, line in enumerate(actor.red_lines):
        yield from refs.issue(line.issue, (*base, "red_lines", i, "issue"))


#: Role blocks, and the roles that use each (``party`` serves parties and veto players alike).
_BLOCK_ROLES = {"party": ("party", "veto_player"), "mediator": ("mediator",), "backer": ("backer",),
                "guarantor": ("guarantor",), "member": ("member",), "influencer": ("influencer",)}


def _actor_roles(refs: _Refs, aid: str, actor: ActorSpec) -> Iterator[Problem]:
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
        elif actor.guarantor.force_type not in coalition.force_types:
            yield problem((*base, "guarantor", "force_type"),
                          f"force type {actor.guarantor.force_type!r} is not defined",
                          "one of: " + ", ".join(coalition.force_types))


def _ratification_problems(refs: _Refs, base: tuple[PathPart, ...], actor: ActorSpec) -> Iterator[Problem]:
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


def _talks_problems(refs: _Refs) -> Iterator[Problem]:
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
    if sum(_mean(v) for v in talks.recognition.values()) > 1 + 1e-9:
        yield problem((*tpath, "recognition"), "recognition chances sum to more than 1", "a total of at most 1")


def _council_problems(refs: _Refs) -> Iterator[Problem]:
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
            yield from _change_problems(refs, measure.effects, (*mpath, "effects"))
            if not _has_changes(measure.effects):
                yield problem((*mpath, "effects"), "the measure changes nothing", "at least one effect")
            yield from renewal_problems(refs.spec, mpath, measure)
    yield from member_weight_problems(refs.spec)


def _has_changes(effects: Any) -> bool:
    return any(getattr(effects, key) for key in ("sanctions", "funding", "aid", "war_cost", "strength"))


def _change_problems(refs: _Refs, eff: Any, epath: tuple[PathPart, ...]) -> Iterator[Problem]:
    """What a measure or a shock changes names actors the change can reach."""
    for i, change in enumerate(eff.sanctions):
        yield from refs.actor(change.target, (*epath, "sanctions", i, "target"))
        if change.target in refs.actors and change.target not in refs.spec.sanctions:
            yield problem((*epath, "sanctions", i, "target"), f"{change.target!r} has no sanctions index",
                          "an actor under sanctions: " + (", ".join(refs.spec.sanctions) or "(none defined)"))
    for i, change in enumerate(eff.funding):
        yield from refs.actor(change.actor, (*epath, "funding", i, "actor"))
        actor = refs.actors.get(change.actor)
        if actor is not None and actor.funding is None:
            yield problem((*epath, "funding", i, "actor"), f"{change.actor!r} has no funding: block to extend",
                          "an actor with a funding: block")
        elif actor is not None and change.actor not in refs.on_front:
            # An error always, as for aid: the model has no war effort off the front to fund.
            yield problem((*epath, "funding", i, "actor"), f"{change.actor!r} is on no side of the front, so "
                          "funding it changes nothing", "an actor under front.attacker or front.defender")
    for i, change in enumerate(eff.aid):
        yield from refs.fighter(change.actor, (*epath, "aid", i, "actor"), "aid")
    for i, change in enumerate(eff.war_cost):
        yield from refs.judge(change.actor, (*epath, "war_cost", i, "actor"))
    for i, change in enumerate(eff.strength):
        yield from refs.fighter(change.actor, (*epath, "strength", i, "actor"), "its strength")


def _coalition_problems(refs: _Refs) -> Iterator[Problem]:
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
        if _mean(coalition.F_min) > _mean(coalition.F_needed):
            yield problem((*cpath, "F_min"), "F_min is above F_needed", "F_min <= F_needed")
    backers = [aid for aid, a in refs.actors.items() if "backer" in a.roles]
    for aid in backers:
        if coalition is None or coalition.backstop_from != aid:
            yield unread(("actors", aid, "roles"), "has the role backer but is not the coalition's backstop_from",
                          "institutions.coalition.backstop_from naming it")


def _front_problems(refs: _Refs) -> Iterator[Problem]:
    front = refs.spec.front
    if front:
        fpath: tuple[PathPart, ...] = ("front",)
        yield from refs.issue(front.issue, (*fpath, "issue"))
        for side in ("attacker", "defender"):
            for aid in getattr(front, side):
                yield from refs.actor(aid, (*fpath, side, aid))
        for side in ("attacker", "defender"):
            for aid in getattr(front, side):
                roles = set(refs.actors[aid].roles) if aid in refs.actors else {"party"}
                if not roles & {"party", "veto_player", "belligerent"}:
                    yield problem((*fpath, side, aid), f"{aid!r} fights on the front but has none of the roles party, "
                                  "veto_player, belligerent", "an actor with one of those roles")
        both = set(front.attacker) & set(front.defender)
        for aid in sorted(both):
            yield problem((*fpath, "defender", aid), f"{aid!r} is on both sides of the front", "each actor on one side")
    for aid, actor in refs.actors.items():
        if "belligerent" in actor.roles and aid not in refs.on_front:
            yield problem(("actors", aid, "roles"), "has the role belligerent but is on no side of the front",
                          "the actor under front.attacker or front.defender")


def _sanctions_problems(refs: _Refs) -> Iterator[Problem]:
    spec = refs.spec
    for target in spec.sanctions:
        yield from refs.actor(target, ("sanctions", target))
        actor = spec.actors.get(target)
        if actor is None:
            continue
        felt = target in refs.on_front or (actor.party is not None and _mean(actor.party.sanctions_cost) > 0)
        if not felt:
            yield unread(("sanctions", target), f"nothing reads the sanctions index on {target!r}: it is on no side of "
                          "the front and its party.sanctions_cost is 0", "a target on the front or with a sanctions_cost")
    for aid, actor in spec.actors.items():
        if actor.party is not None and _mean(actor.party.sanctions_cost) > 0 and aid not in spec.sanctions:
            yield unread(("actors", aid, "party", "sanctions_cost"), f"no sanctions index targets {aid!r}",
                          f"sanctions.{aid}: an index, or sanctions_cost 0")


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
        yield from refs.actor(shock.when_rejected_by, (*spath, "when_rejected_by"), "party", "veto_player")
        eff = shock.effects
        epath = (*spath, "effects")
        yield from _change_problems(refs, eff, epath)
        for i, shift in enumerate(eff.positions):
            yield from refs.actor(shift.actor, (*epath, "positions", i, "actor"), "party", "veto_player", "mediator")
            yield from refs.issue(shift.issue, (*epath, "positions", i, "issue"))
        for i, change in enumerate(eff.red_lines):
            yield from refs.judge(change.actor, (*epath, "red_lines", i, "actor"))
            yield from refs.issue(change.issue, (*epath, "red_lines", i, "issue"))
        yield from red_line_move_problems(refs.spec, sid, shock)
        for i, aid in enumerate(eff.grievance_ends):
            yield from refs.actor(aid, (*epath, "grievance_ends", i), "member")
        # Each number of these pairs is checked by its type (finite, in range); here only their order.
        if eff.front and eff.front[0] > eff.front[1]:
            yield problem((*epath, "front"), f"low {eff.front[0]:g} is above high {eff.front[1]:g}",
                          "[low, high] with low <= high")
        if eff.front and refs.spec.front is None:
            yield unread((*epath, "front"), "the scenario has no front to move", "a front: section, or no front effect")
        if eff.backstop and refs.spec.institutions.coalition is None:
            yield unread((*epath, "backstop"), "the scenario has no coalition whose backstop could change",
                          "institutions.coalition, or no backstop effect")
        if eff.suspend_talks and eff.suspend_talks.rounds[0] > eff.suspend_talks.rounds[1]:
            lo, hi = eff.suspend_talks.rounds
            yield problem((*epath, "suspend_talks", "rounds"), f"min {lo} is above max {hi}",
                          "[min, max] rounds with min <= max")
        yield from _shock_timing(refs, sid, shock)


def _shock_timing(refs: _Refs, sid: str, shock: Any) -> Iterator[Problem]:
    """A shock that can never fire within the horizon is a setting nothing reads."""
    spath: tuple[PathPart, ...] = ("shocks", sid)
    horizon = refs.spec.horizon.rounds
    longest = horizon.bounds[1] if isinstance(horizon, Distribution) else float(horizon)
    if shock.at_round is None and _mean(shock.probability) == 0 and not isinstance(shock.probability, Distribution):
        yield unread(spath, "never fires: probability 0 and no at_round", "a probability > 0 or an at_round")
    if shock.at_round is not None and not isinstance(shock.at_round, Distribution) and shock.at_round >= longest:
        yield unread((*spath, "at_round"), f"round {shock.at_round:g} is beyond the horizon ({longest:g} rounds)",
                      f"a round below {longest:g}")
    after = shock.after_failed_rounds
    if not isinstance(after, Distribution) and after >= longest:
        yield unread((*spath, "after_failed_rounds"), f"{after:g} failed rounds cannot happen within {longest:g} rounds",
                      f"fewer than {longest:g}")

"""Checks of how councils vote and how shocks move red lines: every setting is one the model reads.

A quota outside a qualified council, a weight no quota reads, unmodelled members under unanimity, a
renewal that cannot come within the horizon or a red line loosened that the actor never has would
all be silently ignored by the model; here each is a problem at its key path (the file and line are
added by validation). Called from :mod:`sim.scenario.references`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..distributions import Distribution
from ..errors import PathPart, Problem
from ..schema import ScenarioSpec
from .refs import longest_horizon, problem

__all__ = ["council_rule_problems", "member_weight_problems", "red_line_move_problems", "renewal_problems"]


def _read_weights(council: Any) -> set[str]:
    """The weights a council's rule reads: its quotas' (qualified) or the count of members (majority)."""
    if council.rule == "qualified":
        return {q.weight for q in council.quotas}
    return {"count"} if council.rule == "majority" else set()


def council_rule_problems(spec: ScenarioSpec, cid: str, council: Any) -> Iterator[Problem]:
    """A council's rule, its quotas and the weight of its unmodelled members agree."""
    cpath: tuple[PathPart, ...] = ("institutions", "councils", cid)
    if council.quotas and council.rule != "qualified":
        yield problem((*cpath, "quotas"), f"quotas are read only under rule qualified, not {council.rule}",
                      "rule: qualified, or no quotas", unread=True)
    if council.rule == "qualified" and not council.quotas:
        yield problem((*cpath, "rule"), "rule qualified needs at least one quota",
                      "quotas: [{weight: count or a weight name, share: 0-1}]")
    if council.rule == "qualified":
        for k, quota in enumerate(council.quotas):
            if quota.weight == "count":
                continue
            for mid in council.members:
                actor = spec.actors.get(mid)
                if actor is not None and actor.member is not None and quota.weight not in actor.member.weights:
                    # Placed at the member's block: a weight given there with a mistake is then one problem.
                    yield problem(("actors", mid, "member"), f"no weight {quota.weight!r}, which quota {k} of "
                                  f"council {cid!r} reads", f"actors.{mid}.member.weights.{quota.weight}")
    read = _read_weights(council)
    for key in council.others_in_favour:
        if key not in read:
            if council.rule == "unanimity":
                why, expected = "members not modelled cannot block under rule unanimity", "no others_in_favour"
            else:
                why = f"rule {council.rule} reads no weight {key!r}"
                expected = "one of: " + ", ".join(sorted(read))
            yield problem((*cpath, "others_in_favour", key), why, expected, unread=True)


def member_weight_problems(spec: ScenarioSpec) -> Iterator[Problem]:
    """A member's weight is read by a quota of a council it sits on."""
    councils = spec.institutions.councils.values()
    for aid, actor in spec.actors.items():
        if actor.member is None:
            continue
        read = set().union(*(_read_weights(c) for c in councils if aid in c.members and c.rule == "qualified"))
        for name in actor.member.weights:
            if name not in read:
                yield problem(("actors", aid, "member", "weights", name),
                              f"no quota of a council {aid!r} sits on reads the weight {name!r}",
                              f"a quota with weight {name} in a qualified council it sits on, or no such weight",
                              unread=True)


def renewal_problems(spec: ScenarioSpec, mpath: tuple[PathPart, ...], measure: Any) -> Iterator[Problem]:
    """A renewal vote that cannot come within the horizon is a setting nothing reads."""
    every, longest = measure.renew_every, longest_horizon(spec)
    if every is not None and not isinstance(every, Distribution) and every >= longest:
        yield problem((*mpath, "renew_every"), f"a renewal {every:g} rounds after adoption cannot come within "
                      f"the horizon ({longest:g} rounds)", f"fewer than {longest:g} rounds", unread=True)


def _lines(spec: ScenarioSpec, aid: str, issue: str, op: str, skip: tuple[str, int]) -> tuple[list[Any], bool]:
    """The actor's own lines on this issue and side, and whether another shock may add or tighten one."""
    actor = spec.actors.get(aid)
    own = [line for line in (actor.red_lines if actor else ()) if line.issue == issue and line.op == op]
    added = any(c.actor == aid and c.issue == issue and c.op == op and c.moves != "loosen"
                for sid, shock in spec.shocks.items() for i, c in enumerate(shock.effects.red_lines)
                if (sid, i) != skip)
    return own, added


def red_line_move_problems(spec: ScenarioSpec, sid: str, shock: Any) -> Iterator[Problem]:
    """A red-line change that loosens (or may move either way) needs a line to move."""
    epath: tuple[PathPart, ...] = ("shocks", sid, "effects", "red_lines")
    for i, c in enumerate(shock.effects.red_lines):
        if c.moves == "tighten":
            continue
        own, added = _lines(spec, c.actor, c.issue, c.op, (sid, i))
        if not own and not added:
            what = "to loosen" if c.moves == "loosen" else "to move: either only adds it, as tighten does"
            yield problem((*epath, i, "moves"), f"{c.actor!r} has no red line {c.issue} {c.op} {what}",
                          "a red line of the actor on that issue and side, or moves: tighten")
            continue
        fixed = [line.bound for line in own if not isinstance(line.bound, Distribution)]
        if (c.moves == "loosen" and not added and fixed and len(fixed) == len(own)
                and not isinstance(c.bound, Distribution)):
            old = fixed[0]
            looser = c.bound < old if c.op == ">=" else c.bound > old
            if not looser:
                yield problem((*epath, i, "bound"), f"bound {c.bound:g} is not looser than the line's {old:g}, "
                              "so it never loosens", f"a bound {'below' if c.op == '>=' else 'above'} {old:g}")

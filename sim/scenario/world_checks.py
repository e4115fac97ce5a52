"""Cross-reference checks of the world the talks sit in: the front, sanctions indices, plans, shocks."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..distributions import Distribution
from ..errors import PathPart, Problem
from .refs import Refs, change_problems, longest_horizon, max_window_rounds, mean, problem, unread
from .rule_checks import red_line_move_problems

__all__ = ["world_problems"]


def world_problems(refs: Refs) -> Iterator[Problem]:
    """The front, the sanctions indices, the plans and the shocks refer to what exists and is read."""
    yield from _front_problems(refs)
    yield from _sanctions_problems(refs)
    yield from _plan_problems(refs)
    yield from _shock_problems(refs)


def _front_problems(refs: Refs) -> Iterator[Problem]:
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


def _sanctions_problems(refs: Refs) -> Iterator[Problem]:
    spec = refs.spec
    for target in spec.sanctions:
        yield from refs.actor(target, ("sanctions", target))
        actor = spec.actors.get(target)
        if actor is None:
            continue
        felt = target in refs.on_front or (actor.party is not None and mean(actor.party.sanctions_cost) > 0)
        if not felt:
            yield unread(("sanctions", target), f"nothing reads the sanctions index on {target!r}: it is on no side of "
                          "the front and its party.sanctions_cost is 0", "a target on the front or with a sanctions_cost")
    for aid, actor in spec.actors.items():
        if actor.party is not None and mean(actor.party.sanctions_cost) > 0 and aid not in spec.sanctions:
            yield unread(("actors", aid, "party", "sanctions_cost"), f"no sanctions index targets {aid!r}",
                          f"sanctions.{aid}: an index, or sanctions_cost 0")


def _plan_problems(refs: Refs) -> Iterator[Problem]:
    for pid, plan in refs.spec.plans.items():
        for issue in plan:
            yield from refs.issue(issue, ("plans", pid, issue))
        missing = [i for i in refs.issues if i not in plan]
        if missing:
            yield problem(("plans", pid), f"no terms for issue(s) {', '.join(missing)}", "a term for every issue")


def _shock_problems(refs: Refs) -> Iterator[Problem]:
    for sid, shock in refs.spec.shocks.items():
        spath: tuple[PathPart, ...] = ("shocks", sid)
        yield from refs.actor(shock.when_rejected_by, (*spath, "when_rejected_by"), "party", "veto_player")
        eff = shock.effects
        epath = (*spath, "effects")
        yield from change_problems(refs, eff, epath)
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
        yield from _aftermath_problems(refs, sid, shock)


def _aftermath_problems(refs: Refs, sid: str, shock: Any) -> Iterator[Problem]:
    """Effects and conditions of the talks do nothing to a shock that fires only after a deal, and the
    aftermath's effects nothing to one that fires only in the talks."""
    spath: tuple[PathPart, ...] = ("shocks", sid)
    eff = shock.effects
    if shock.during == "aftermath":
        talk_only = {"suspend_talks": eff.suspend_talks is not None, "walkaway": eff.walkaway,
                     "when_rejected_by": shock.when_rejected_by is not None,
                     "after_failed_rounds": isinstance(shock.after_failed_rounds, Distribution)
                     or shock.after_failed_rounds > 0}
        for key, given in talk_only.items():
            if given:
                where = (*spath, key) if key in ("when_rejected_by", "after_failed_rounds") else (*spath, "effects", key)
                yield unread(where, "acts on the talks, but the shock fires only in the aftermath of a deal",
                             "during: talks or both, or no such setting")
        if refs.spec.durability.window_years == 0:
            yield unread((*spath, "during"), "durability.window_years is 0: no deal has an aftermath",
                         "a window_years above 0, or during: talks")
    elif shock.during == "talks":
        after_only = {"breaks_deal": isinstance(eff.breaks_deal, Distribution) or eff.breaks_deal > 0,
                      "relapse_hazard": isinstance(eff.relapse_hazard, Distribution) or eff.relapse_hazard != 1}
        for key, given in after_only.items():
            if given:
                yield unread((*spath, "effects", key), "acts on a standing deal, but the shock fires only in the talks",
                             "during: aftermath or both")


def _shock_timing(refs: Refs, sid: str, shock: Any) -> Iterator[Problem]:
    """A shock that can never fire within the horizon is a setting nothing reads."""
    spath: tuple[PathPart, ...] = ("shocks", sid)
    longest = longest_horizon(refs.spec)
    if shock.at_round is None and mean(shock.probability) == 0 and not isinstance(shock.probability, Distribution):
        yield unread(spath, "never fires: probability 0 and no at_round", "a probability > 0 or an at_round")
    if shock.during != "talks":
        longest += max_window_rounds(refs.spec)
    if shock.at_round is not None and not isinstance(shock.at_round, Distribution) and shock.at_round >= longest:
        yield unread((*spath, "at_round"), f"round {shock.at_round:g} is beyond the horizon ({longest:g} rounds)",
                      f"a round below {longest:g}")
    after = shock.after_failed_rounds
    if not isinstance(after, Distribution) and after >= longest:
        yield unread((*spath, "after_failed_rounds"), f"{after:g} failed rounds cannot happen within {longest:g} rounds",
                      f"fewer than {longest:g}")

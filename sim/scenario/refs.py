"""What every cross-reference check shares: the ids a scenario defines, and problems at key paths."""

from __future__ import annotations

import difflib
import math
from collections.abc import Iterator
from typing import Any

from ..distributions import Distribution
from ..errors import PathPart, Problem
from ..schema import ScenarioSpec

__all__ = ["Refs", "change_problems", "front_actors", "has_changes", "longest_horizon", "max_window_rounds", "mean", "problem", "unread"]


def mean(value: Any) -> float:
    """The expected value of a number or a distribution."""
    return value.mean if isinstance(value, Distribution) else float(value)


def longest_horizon(spec: ScenarioSpec) -> float:
    """The most rounds a run of the scenario can last (the top of a drawn horizon)."""
    horizon = spec.horizon.rounds
    return horizon.bounds[1] if isinstance(horizon, Distribution) else float(horizon)


def max_window_rounds(spec: ScenarioSpec) -> int:
    """The most rounds a deal's aftermath window can last (its years in the shortest rounds)."""
    weeks = spec.horizon.round_weeks
    shortest = (weeks.bounds[0] if hasattr(weeks, "bounds") else weeks.mean) if isinstance(weeks, Distribution) else float(weeks)
    return math.ceil(spec.durability.window_years * 52.0 / shortest - 1e-9)


def front_actors(spec: ScenarioSpec) -> set[str]:
    """The actors on either side of the front (none without a front)."""
    front = spec.front
    return set(front.attacker) | set(front.defender) if front else set()


def problem(path: tuple[PathPart, ...], message: str, expected: str = "", *, unread: bool = False) -> Problem:
    """A problem at a key path; its file and line are filled in once the scenario's lines are known.

    ``unread``: the setting is valid but no mechanism reads it (an error only when loading strictly).
    """
    return Problem("", None, path, message, expected, unread)


def unread(path: tuple[PathPart, ...], message: str, expected: str = "") -> Problem:
    """A setting that no mechanism reads, at a key path."""
    return problem(path, message, expected, unread=True)


class Refs:
    """The ids a scenario defines; each check yields a problem for a reference to an id it lacks."""

    def __init__(self, spec: ScenarioSpec) -> None:
        self.spec = spec
        self.issues = list(spec.issues)
        self.actors = spec.actors
        self.measures = {mid: (cid, m) for cid, council in spec.institutions.councils.items()
                         for mid, m in council.measures.items()}
        self.on_front = front_actors(spec)

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


def has_changes(effects: Any) -> bool:
    return any(getattr(effects, key) for key in ("sanctions", "funding", "aid", "war_cost", "strength"))


def change_problems(refs: Refs, eff: Any, epath: tuple[PathPart, ...]) -> Iterator[Problem]:
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

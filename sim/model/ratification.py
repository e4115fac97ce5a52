"""Ratification after signing: each party's voting bodies, the route its deals take, and their votes.

A party's leader bodies gate signing (:mod:`sim.model.assessment`); its legislature and referendum
bodies vote on a signed deal, in order, and all must pass. Each body passes a deal with its approval
chance, drawn from ``talks:vote:<party>:<body>``. The route is where the party's later deals go: a
body that votes a deal down hands the route to its fallback, and a body that votes once (a referendum)
cannot vote again, so once it has voted without a fallback no later deal can be ratified and the talks
collapse (:func:`sim.mechanisms.route_after_vote`).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import mechanisms as mech
from ..streams import RunStreams
from .events import COLLAPSE, EventSink, RunState

__all__ = ["Ratification", "Route"]


class Route:
    """One party's voting bodies and, per run, which body holds each place of its route."""

    def __init__(self, party: Any, runs: int, streams: RunStreams):
        self.party = party
        self.bodies = party.voting_bodies
        index = {body.body: k for k, (body, _) in enumerate(self.bodies)}
        self.fallback = np.array([index.get(body.fallback, -1) if body.fallback else -1 for body, _ in self.bodies])
        self.once = np.array([body.held_once for body, _ in self.bodies])
        first = [k for k, (body, _) in enumerate(self.bodies) if not body.fallback_only]
        self.current = np.tile(np.array(first), (runs, 1))
        """Index of the body holding each place of the route, (runs, places); -1: closed."""
        self.spent = np.zeros((runs, len(self.bodies)), bool)
        self.votes = np.zeros((runs, len(self.bodies)), np.int64)
        self.rejections = np.zeros((runs, len(self.bodies)), np.int64)
        self.draws = [streams.uniform(f"talks:vote:{party.actor_id}:{body.body}") for body, _ in self.bodies]

    def name(self, k: int) -> str:
        """How the story names body ``k``."""
        return self.bodies[k][0].label or self.bodies[k][0].body


class Ratification:
    """The votes on signed deals, party by party and body by body, and where later deals go."""

    def __init__(self, parties: list[Any], runs: int, streams: RunStreams, state: RunState, sink: EventSink):
        self.routes = [Route(party, runs, streams) for party in parties if party.voting_bodies]
        self.runs, self.state, self.sink = runs, state, sink

    def vote(self, t: int, signed: np.ndarray, terms: np.ndarray, withdrawal: np.ndarray,
             by_force: dict[int, np.ndarray] | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Put the deals signed in the runs of ``signed`` to the vote; returns (ratified, voted down).

        ``by_force`` (issue -> per-run values: the effective guarantees, the presence that would deploy) is
        what bodies that judge guarantees by the force behind them weigh.
        """
        by_force = by_force or {}
        voted_down = np.zeros(self.runs, bool)
        if not self.routes or not signed.any():
            return signed & ~voted_down, voted_down
        results = []
        seen = {d: values[:, None] for d, values in by_force.items()}
        for route in self.routes:
            held, passes = self._votes(route, t, signed, voted_down, terms, withdrawal, seen)
            results.append((route, held, passes))
        ratified = signed & ~voted_down
        for route, held, passes in results:
            self._move(route, held, passes, ratified)
        return ratified, voted_down

    def _votes(self, route: Route, t: int, signed: np.ndarray, voted_down: np.ndarray, terms: np.ndarray,
               withdrawal: np.ndarray, by_force: dict[int, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
        """The votes of one party's bodies on the route, in order, until one votes the deal down."""
        party = route.party
        chances = np.stack([party.approval(body, q, terms[:, None, :], withdrawal[:, None], by_force)[:, 0]
                            for body, q in route.bodies], axis=-1)
        passes = np.stack([draws[:, t] for draws in route.draws], axis=-1) < chances
        held = np.zeros_like(passes)
        for place in range(route.current.shape[1]):
            for k in range(len(route.bodies)):
                # A body that holds two places of the route (as a fallback) votes once on a deal.
                now = signed & ~voted_down & (route.current[:, place] == k) & ~held[:, k]
                held[:, k] |= now
                voted_down |= now & ~passes[:, k]
                self._tell_vote(route, k, now, passes[:, k], chances[:, k])
        route.votes += held
        route.rejections += held & ~passes
        return held, passes

    def _move(self, route: Route, held: np.ndarray, passes: np.ndarray, ratified: np.ndarray) -> None:
        """Where the party's later deals go after this round's votes; a closed route ends the talks."""
        route.spent |= held & route.once[None, :]
        rows = np.arange(self.runs)
        for place in range(route.current.shape[1]):
            before = route.current[:, place].copy()
            body = np.maximum(before, 0)
            after = mech.route_after_vote(before, held[rows, body] & (before >= 0), passes[rows, body],
                                          route.fallback, route.once, route.spent)
            route.current[:, place] = after
            if self.sink.enabled:
                switched = ~ratified & (after >= 0) & (after != before)
                self.sink.log(switched, route.party.actor_id, "ratification route",
                              lambda i, a=after: f"the revised deal goes to {route.name(a[i])} "
                                                 f"({route.bodies[a[i]][0].rule})")
        closed = ~ratified & held.any(axis=1) & (route.current < 0).any(axis=1) & self.state.talking()
        self.state.end(closed, COLLAPSE, "ratification",
                       f"talks collapse: no later deal of {route.party.actor_id} can be ratified "
                       "(a body that votes once has voted, and no fallback takes the deal)")

    def _tell_vote(self, route: Route, k: int, voted: np.ndarray, passed: np.ndarray, chance: np.ndarray) -> None:
        if not self.sink.enabled:
            return
        body = route.bodies[k][0]
        for i in np.flatnonzero(voted):
            verb = "approves the deal" if passed[i] else "votes the deal down"
            self.sink.add(i, self.sink.round, route.party.actor_id,
                          "ratification passes" if passed[i] else "ratification fails",
                          f"{route.name(k)} ({body.rule}) {verb} (approval {chance[i]:.2f})",
                          {"body": body.body, "rule": body.rule, "approval": float(chance[i]),
                           "passed": bool(passed[i])})

    def columns(self) -> dict[str, np.ndarray]:
        """Record columns per voting body: the deals put to it and those it voted down."""
        cols: dict[str, np.ndarray] = {}
        for route in self.routes:
            for k, (body, _) in enumerate(route.bodies):
                stem = f"ratification_{route.party.actor_id}_{body.body}"
                cols[f"{stem}_votes"] = route.votes[:, k]
                cols[f"{stem}_rejections"] = route.rejections[:, k]
        return cols

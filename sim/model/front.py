"""The front: the two sides' war efforts move it, and every party learns how the war goes from what it sees."""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import mechanisms as mech
from ..distributions import Distribution
from ..streams import RunStreams
from .events import EventSink
from .story import tell_war_news

__all__ = ["Front", "WarEffort"]

#: Rounds a party projects the war ahead when the scenario has no front.
DEFAULT_PROJECTION = 26.0


class WarEffort:
    """What one actor contributes to its side of the front: strength, aid, and money that can run out.

    Args:
        actor_id: The actor.
        strength: Its strength at round 0 (per run).
        funding: The actor's ``funding`` block of the typed parameters (None: its effort is self-funded).
        runs: Runs in the batch.
    """

    def __init__(self, actor_id: str, strength: np.ndarray, funding: Any, runs: int):
        self.actor_id = actor_id
        self.base = strength
        self.funding_params = funding
        self.strength_factor = np.ones(runs)
        self.aid = np.zeros(runs)
        self.funding = np.ones(runs)
        """Funding level: 1 fully funded, down to the funding floor once the runway is dry."""
        self.runway = funding.runway_rounds if funding is not None else np.full(runs, np.inf)

    def strength(self, erosion: np.ndarray, felt: np.ndarray) -> np.ndarray:
        """Strength it brings this round, given the sanctions felt on it and the erosion they cause."""
        return self.base * self.strength_factor * self.funding * (1 + self.aid) * (1 - erosion * felt)

    def pay_for_war(self, live: np.ndarray, fighting: np.ndarray, sink: EventSink) -> None:
        """A round of outside funding: the runway shortens; once dry, funding falls to its floor."""
        funding = self.funding_params
        if funding is None:
            return
        dry = self.runway <= 0
        level = np.where(dry, np.maximum(funding.floor, self.funding - funding.shortfall_per_round),
                         np.minimum(1.0, self.funding + funding.shortfall_per_round))
        self.funding = np.where(live, level, self.funding)
        newly_dry = fighting & dry & (self.runway > -1)
        sink.log(newly_dry, self.actor_id, "funding runs out", "war effort shrinks until money arrives")
        self.runway = np.where(live, self.runway - 1, self.runway)

    def extend_runway(self, runs: np.ndarray, rounds: np.ndarray) -> None:
        """Money arrives: the runway grows by ``rounds`` in the runs of the mask."""
        self.runway = np.where(runs, np.maximum(self.runway, 0) + rounds, self.runway)

    def scale_strength(self, runs: np.ndarray, factor: np.ndarray) -> None:
        """Multiply its strength in the runs of the mask."""
        self.strength_factor = np.where(runs, self.strength_factor * factor, self.strength_factor)

    def add_aid(self, runs: np.ndarray | None, more: np.ndarray) -> None:
        """Aid raises its strength by the share ``more`` (in the runs of the mask; all runs if None)."""
        self.aid = self.aid + (more if runs is None else np.where(runs, more, 0.0))


class Front:
    """Share of the contested area taken (per run), the sides' war efforts, and the parties' beliefs.

    Args:
        params: The run's typed parameters (the scenario's ``front`` block, or None without a front).
        issues: Issue ids, in the model's order.
        efforts: The war effort of each actor on a side, by actor id (empty without a front).
        believers: The agents whose belief about the drift the front teaches (the parties and veto players).
        streams: The runs' random streams (it draws ``front:noise``).
        sink: Where the story goes.
    """

    def __init__(self, params: Any, issues: list[str], efforts: dict[str, WarEffort], believers: list[Any],
                 streams: RunStreams, sink: EventSink, grid_size: int = 24):
        self.p = params
        self.sink = sink
        runs = len(streams.seeds)
        self.efforts = efforts
        self.believers = believers
        self.issue = issues.index(params.spec.issue) if params is not None else None
        """Index of the issue whose effective term the front changes (None without a front)."""
        self.taken = np.zeros(runs)
        self._unsanctioned = np.zeros(runs)
        """The sanctions felt by a contributor with no sanctions index (made once, read every round)."""
        if params is None:
            self.projection = np.full(runs, DEFAULT_PROJECTION)
            self.attackers: list[WarEffort] = []
            self.defenders: list[WarEffort] = []
            return
        self.attackers = [efforts[aid] for aid in params.spec.attacker]
        self.defenders = [efforts[aid] for aid in params.spec.defender]
        k = params.decisiveness
        a0 = sum(e.base for e in self.attackers)
        d0 = sum(e.base for e in self.defenders)
        self.baseline_share = a0 ** k / (a0 ** k + d0 ** k)
        self.relapse_speed = np.ones(runs)
        """The attacker's speed after a breakdown, for the ground given up at the table (Powell 2006)."""
        self.pace = np.ones(runs)
        """What the balance of strength and the fortifications make of a unit of drift this round (the
        parties project the war at this pace)."""
        self._prior_beliefs(grid_size)
        self.projection = np.round(params.projection_rounds)
        self.draws = {"noise": streams.normal("front:noise")}

    def side_strength(self, side: list[WarEffort], felt: dict[str, np.ndarray]) -> np.ndarray:
        """A side's strength this round: the sum of its contributors' (each eroded by the sanctions it feels)."""
        erosion = self.p.sanctions_erosion
        return sum(e.strength(erosion, felt.get(e.actor_id, self._unsanctioned)) for e in side)

    def step(self, t: int, fighting: np.ndarray, felt: dict[str, np.ndarray]) -> None:
        """A round of fighting in the runs of the mask ``fighting``; every party updates its belief.

        ``felt`` is the sanctions index felt so far by each sanctioned actor.
        """
        if self.p is None:
            return
        p = self.p
        attacker = self.side_strength(self.attackers, felt)
        defender = self.side_strength(self.defenders, felt)
        expected = mech.front_advance(p.drift, attacker, defender, p.decisiveness, self.baseline_share, self.taken,
                                      p.fortified_at, p.fortification) * self.relapse_speed
        advance = expected + p.noise * self.draws["noise"][:, t]
        before = self.taken
        self.taken = np.where(fighting, np.clip(self.taken + advance, 0, 1), self.taken)
        observed = self.taken - before
        # What each grid point of drift would have made of this round: the advance is proportional
        # to the drift. A front pushed against either limit shows nothing about the drift.
        per_drift = np.where(p.drift > 0, expected / np.maximum(p.drift, 1e-12), 0.0)
        self.pace = np.where(fighting, per_drift, self.pace)
        informative = fighting & (self.taken < 1.0) & (self.taken > 0.0)
        for party in self.believers:
            party.drift_weights = mech.grid_update(party.drift_weights, observed, party.drift_grid * per_drift[:, None],
                                                   p.noise, informative)
            party.belief = np.sum(party.drift_weights * party.drift_grid, axis=1)

    def hear(self, listeners: list[Any], about: str, news: np.ndarray, likelihood_ratio: np.ndarray,
             council: str) -> None:
        """A council's news as evidence about how the war goes: each listener's belief about the drift tilts
        toward the drifts that favour the side of ``about`` after an adoption, toward the others after a veto
        or a lapse (:func:`sim.mechanisms.tilt_grid`; a higher drift favours the attacker)."""
        heard = (news != 0) & (likelihood_ratio > 1)
        if self.p is None or not heard.any():
            return
        toward_attacker = news if about in self.p.spec.attacker else -news
        for party in listeners:
            before = party.belief.copy() if self.sink.enabled else party.belief
            party.drift_weights = np.where(heard[:, None],
                                           mech.tilt_grid(party.drift_weights, toward_attacker, likelihood_ratio),
                                           party.drift_weights)
            party.belief = np.sum(party.drift_weights * party.drift_grid, axis=1)
            if self.sink.enabled:
                tell_war_news(self.sink, heard, party.actor_id, about, council, news, before, party.belief)

    def _prior_beliefs(self, size: int) -> None:
        """Every party's prior about the drift, on one grid of drifts per run.

        No party knows the run's drift: each believes it lognormal around the drift's expected value
        (the scenario's distribution) times 1 + its optimism, with sd ``capability_uncertainty`` on
        the log scale. The grid spans every party's prior and every drift the scenario can draw, so
        no prior rules out the truth.
        """
        p = self.p
        sd = np.maximum(p.capability_uncertainty, 1e-3)
        dist = p.spec.drift
        if isinstance(dist, Distribution):
            nominal, (low, high) = float(dist.mean), dist.bounds
        else:  # a fixed drift (read per run: design points with different drifts may share a batch)
            nominal = low = high = p.drift
        low, high = np.broadcast_to(low, sd.shape), np.broadcast_to(high, sd.shape)
        centres = [np.log(np.maximum(nominal * (1 + party.optimism), 1e-6)) for party in self.believers]
        lo = np.minimum.reduce([*centres, np.log(np.maximum(low, 1e-6))]) - 3 * sd
        hi = np.maximum.reduce([*centres, np.log(np.maximum(high, 1e-6))]) + 3 * sd
        grid = np.exp(lo[:, None] + (hi - lo)[:, None] * np.linspace(0.0, 1.0, size)[None, :])
        for party, centre in zip(self.believers, centres, strict=True):
            z = (np.log(grid) - centre[:, None]) / sd[:, None]
            weights = np.exp(-0.5 * z * z)
            party.drift_grid = grid
            party.drift_weights = weights / weights.sum(axis=1, keepdims=True)
            party.belief = np.sum(party.drift_weights * grid, axis=1)

    def restart(self, runs: np.ndarray, line: np.ndarray, withdrawal: np.ndarray) -> None:
        """The deal broke down in the runs of the mask: the war resumes from the deal's line, the
        attacker faster for the ground the defender gave up (``front.relapse_advance`` per unit)."""
        if self.p is None:
            return
        back = runs & ~np.isnan(line)
        self.taken = np.where(back, line, self.taken)
        faster = 1 + self.p.relapse_advance * np.nan_to_num(withdrawal)
        self.relapse_speed = np.where(back, faster, self.relapse_speed)

    def jump(self, runs: np.ndarray, jump: np.ndarray) -> None:
        """A shock moves the front at once by ``jump`` (share of the contested area) in the runs of the mask."""
        self.taken = np.where(runs, np.clip(self.taken + jump, 0, 1), self.taken)
        self.sink.log(runs, "-", "front jumps", lambda i: f"{jump[i]:+.3f} of the contested area")

    def expected_line(self, belief: np.ndarray) -> np.ndarray:
        """Where a party with this belief about the drift expects the front after its projection."""
        return np.minimum(1.0, self.taken + self.projection * np.maximum(belief, 0))

    def end_states(self, party: Any, attackers_left: np.ndarray, defenders_left: np.ndarray
                   ) -> tuple[np.ndarray, np.ndarray]:
        """The end states a party projects, one per point of its belief about the drift: (line, rounds).

        The front moves at each believed drift times this round's pace (the balance of strength and
        the fortifications as they are now). Fighting on ends at the first of: the attacking side's stock used up (the line freezes where
        the attacker got to), the defending side's (the attacker takes what is left: line 1), the
        front at its limit, or the party's projection. ``attackers_left`` and ``defenders_left`` are
        the rounds each side's stocks still sustain (the shortest among its parties), per run.
        """
        drift = np.maximum(party.drift_grid, 0.0) * self.pace[:, None]
        to_limit = np.where(drift > 0, (1.0 - self.taken[:, None]) / np.maximum(drift, 1e-12), np.inf)
        others = np.minimum.reduce([np.broadcast_to(attackers_left[:, None], drift.shape), to_limit,
                                    np.broadcast_to(self.projection[:, None], drift.shape)])
        collapse = defenders_left[:, None] < others
        rounds = np.where(collapse, defenders_left[:, None], others)
        line = np.where(collapse, 1.0, np.minimum(1.0, self.taken[:, None] + drift * rounds))
        return line, rounds

"""The changes a council measure or a shock brings (sanctions, funding, aid, war cost, strength), applied
through the public changes of the arenas and agents they reach, and undone when a measure lapses or a
temporary shock ends."""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["Applied", "Changes"]


class Applied:
    """What one ``ChangeEffects`` block actually changed, per run, so that it can be undone exactly.

    One entry per change of the block, in its order: the sanctions index raised (after clipping), the
    funding rounds added, the aid added (0 where nothing changed) and the war-cost and strength factors
    (1 where nothing changed). A factor of 0 cannot be divided back, so the factor before it is kept too.
    A holder that applies the same block in different runs at different rounds merges them with
    :meth:`take`.
    """

    def __init__(self, runs: int, effects: Any):
        self.sanctions = [np.zeros(runs) for _ in effects.sanctions]
        self.funding = [np.zeros(runs) for _ in effects.funding]
        self.aid = [np.zeros(runs) for _ in effects.aid]
        self.war_cost = [np.ones(runs) for _ in effects.war_cost]
        self.strength = [np.ones(runs) for _ in effects.strength]
        self.factor_before: dict[tuple[str, int], np.ndarray] = {}

    def _lists(self) -> dict[str, list[np.ndarray]]:
        return {"sanctions": self.sanctions, "funding": self.funding, "aid": self.aid,
                "war_cost": self.war_cost, "strength": self.strength}

    def take(self, runs: np.ndarray, other: Applied) -> None:
        """In the runs of the mask, hold what ``other`` (an application of the same block) changed."""
        for kind, mine in self._lists().items():
            for k, theirs in enumerate(other._lists()[kind]):
                mine[k] = np.where(runs, theirs, mine[k])
        for key, before in other.factor_before.items():
            self.factor_before[key] = np.where(runs, before, self.factor_before.get(key, before))

    def clear(self, runs: np.ndarray) -> None:
        """Forget, in the runs of the mask, what was changed (it has been undone)."""
        for kind, mine in self._lists().items():
            neutral = 1.0 if kind in ("war_cost", "strength") else 0.0
            for k in range(len(mine)):
                mine[k] = np.where(runs, neutral, mine[k])


class Changes:
    """Applies (and undoes) a ``ChangeEffects`` block (see :mod:`sim.schema.effects`) of the typed parameters.

    Args:
        add_sanctions: The economy's ``add_sanctions(target, runs, by)``, returning the change it made.
        efforts: War efforts on the front, by actor id (funding, aid, strength).
        judges: Parties and veto players, by actor id (war cost).
    """

    def __init__(self, add_sanctions: Any, efforts: dict[str, Any], judges: dict[str, Any]):
        self.add_sanctions = add_sanctions
        self.efforts = efforts
        self.judges = judges

    def apply(self, runs: np.ndarray, effects: Any, scale: np.ndarray | float = 1.0) -> Applied:
        """Bring the changes in the runs of the mask ``runs``; ``scale`` (per run) scales the additive ones
        (a measure passed by a workaround delivers part of its effects). Returns what changed, per run."""
        applied = Applied(len(runs), effects)
        for k, change in enumerate(effects.sanctions):
            applied.sanctions[k] = self.add_sanctions(change.spec.target, runs, scale * change.by)
        for k, change in enumerate(effects.funding):
            rounds = scale * change.runway_rounds
            self.efforts[change.spec.actor].extend_runway(runs, rounds)
            applied.funding[k] = np.where(runs, rounds, 0.0)
        for k, change in enumerate(effects.aid):
            more = scale * change.by
            self.efforts[change.spec.actor].add_aid(runs, more)
            applied.aid[k] = np.where(runs, more, 0.0)
        for kind, holders, attr, scaler in (("war_cost", self.judges, "cost_factor", "scale_war_cost"),
                                           ("strength", self.efforts, "strength_factor", "scale_strength")):
            for k, change in enumerate(getattr(effects, kind)):
                holder = holders[change.spec.actor]
                applied.factor_before[(kind, k)] = getattr(holder, attr).copy()
                getattr(holder, scaler)(runs, change.factor)
                getattr(applied, kind)[k] = np.where(runs, change.factor, 1.0)
        return applied

    def undo(self, runs: np.ndarray, effects: Any, applied: Applied) -> None:
        """Reverse, in the runs of the mask, what ``applied`` says the block changed.

        Sanctions fall by what they rose (clipped to 0-1 again), aid is withdrawn, a factor is divided
        back (one of 0 restores the factor before it), and of the funding rounds added only those not
        yet used are removed: the runway is spent in order, the rounds it had before first.
        """
        for k, change in enumerate(effects.sanctions):
            self.add_sanctions(change.spec.target, runs, -applied.sanctions[k])
        for k, change in enumerate(effects.funding):
            effort = self.efforts[change.spec.actor]
            unused = np.minimum(applied.funding[k], np.maximum(effort.runway, 0))
            effort.runway = np.where(runs, effort.runway - unused, effort.runway)
        for k, change in enumerate(effects.aid):
            self.efforts[change.spec.actor].add_aid(runs, -applied.aid[k])
        for kind, holders, attr in (("war_cost", self.judges, "cost_factor"),
                                    ("strength", self.efforts, "strength_factor")):
            for k, change in enumerate(getattr(effects, kind)):
                holder, factor = holders[change.spec.actor], getattr(applied, kind)[k]
                now = getattr(holder, attr)
                back = np.where(factor > 0, now / np.where(factor > 0, factor, 1.0),
                                applied.factor_before.get((kind, k), now))
                setattr(holder, attr, np.where(runs, back, now))
        applied.clear(runs)

"""The changes a council measure or a shock brings (sanctions, funding, aid, war cost, strength), applied
through the public changes of the arenas and agents they reach."""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["Changes"]


class Changes:
    """Applies a ``ChangeEffects`` block (see :mod:`sim.schema.effects`) of the typed parameters.

    Args:
        add_sanctions: The economy's ``add_sanctions(target, runs, by)``.
        efforts: War efforts on the front, by actor id (funding, aid, strength).
        judges: Parties and veto players, by actor id (war cost).
    """

    def __init__(self, add_sanctions: Any, efforts: dict[str, Any], judges: dict[str, Any]):
        self.add_sanctions = add_sanctions
        self.efforts = efforts
        self.judges = judges

    def apply(self, runs: np.ndarray, effects: Any, scale: np.ndarray | float = 1.0) -> None:
        """Bring the changes in the runs of the mask ``runs``; ``scale`` (per run) scales the additive ones
        (a measure passed by a workaround delivers part of its effects)."""
        for change in effects.sanctions:
            self.add_sanctions(change.spec.target, runs, scale * change.by)
        for change in effects.funding:
            self.efforts[change.spec.actor].extend_runway(runs, scale * change.runway_rounds)
        for change in effects.aid:
            self.efforts[change.spec.actor].add_aid(runs, scale * change.by)
        for change in effects.war_cost:
            self.judges[change.spec.actor].scale_war_cost(runs, change.factor)
        for change in effects.strength:
            self.efforts[change.spec.actor].scale_strength(runs, change.factor)

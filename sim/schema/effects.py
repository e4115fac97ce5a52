"""Changes to the world that a council measure or a shock brings, declared the same way for both."""

from __future__ import annotations

from pydantic import Field

from ..params import Num
from .base import Strict

__all__ = ["AidChange", "ChangeEffects", "FactorChange", "FundingChange", "SanctionsChange"]


class SanctionsChange(Strict):
    """Raises (or, negative, lifts) the sanctions index on a target actor."""

    target: str = Field(description="Actor id with an index under `sanctions`.")
    by: Num(-1, 1) = Field(description="Change of the index (clipped to 0-1).")


class FundingChange(Strict):
    """Money for an actor's war effort: its funding runway grows."""

    actor: str = Field(description="Id of an actor with a `funding:` block.")
    runway_rounds: Num(0, 1000, integer=True) = Field(description="Rounds of funding added.")


class AidChange(Strict):
    """Aid that raises the strength an actor contributes to its side of the front."""

    actor: str = Field(description="Id of an actor on a side of the front.")
    by: Num(-1, 5) = Field(description="Rise of its strength (share; negative: aid withdrawn).")


class FactorChange(Strict):
    """Multiplies an actor's war cost or strength from now on."""

    actor: str = Field(description="Actor id (a party or veto player for war cost; an actor on the front for strength).")
    factor: Num(0, 100) = Field(description="Multiplier, applied from the round the change happens.")


class ChangeEffects(Strict):
    """What a measure (or a shock) changes. Every effect is optional."""

    sanctions: tuple[SanctionsChange, ...] = Field((), description="Sanctions indices raised or lifted.")
    funding: tuple[FundingChange, ...] = Field((), description="Funding runways extended.")
    aid: tuple[AidChange, ...] = Field((), description="Aid to actors on the front.")
    war_cost: tuple[FactorChange, ...] = Field((), description="Actors whose war cost is multiplied.")
    strength: tuple[FactorChange, ...] = Field((), description="Actors whose military strength is multiplied.")

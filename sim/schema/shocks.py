"""Shocks: events that fire by chance, on a round or on a condition, and what they change."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from ..params import Fixed, Num
from .base import Evidence, Strict, Unit, label_field
from .effects import ChangeEffects

__all__ = ["Effects", "PositionShift", "RedLineChange", "ShockSpec", "SuspendEffect"]


class SuspendEffect(Strict):
    """Talks may be suspended by a shock."""

    probability: Unit = Field(1.0, description="Chance the shock suspends talks.")
    rounds: tuple[Fixed(1, 1000, integer=True), Fixed(1, 1000, integer=True)] = Field(
        (1, 3), description="Suspension length, drawn uniformly from [min, max] rounds; plain whole numbers, min <= max.")


class PositionShift(Strict):
    """Moves an actor's ideal term on one issue."""

    actor: str = Field(description="Id of a party, veto player or mediator.")
    issue: str = Field(description="Issue id.")
    by: Num(-1, 1) = Field(description="Change of the ideal term (clipped to 0-1).")


class RedLineChange(Strict):
    """Adds or moves a red line of a party or veto player on one issue (hardness and penalty kept unless given)."""

    actor: str = Field(description="Id of a party or veto player.")
    issue: str = Field(description="Issue id.")
    op: Literal[">=", "<="] = Field(description="The term must be >= or <= the bound.")
    bound: Unit = Field(description="New bound, 0-1.")
    moves: Literal["tighten", "loosen", "either"] = Field(
        "tighten", description="tighten: the bound moves only the strict way; loosen: only the lenient way; either: it is set.")
    hard: bool | None = Field(None, description="New hardness; default: keep (a new line is soft).")
    penalty: Num(0, 10) | None = Field(None, description="New penalty; default: keep (a new line gets 1).")


class Effects(ChangeEffects):
    """What a shock does when it fires: the changes a measure can bring, and more. Every effect is optional."""

    suspend_talks: SuspendEffect | None = Field(None, description="Talks may be suspended for some rounds.")
    positions: tuple[PositionShift, ...] = Field((), description="Ideal points that move.")
    red_lines: tuple[RedLineChange, ...] = Field((), description="Red lines added, tightened or loosened.")
    consent_thresholds: Num(-2, 2) = Field(0.0, description="Added to thresholds of guarantors that require consent.")
    front: tuple[Fixed(-1, 1), Fixed(-1, 1)] | None = Field(
        None, description="Jump of the front (share of the contested area) drawn uniformly from [low, high]; plain numbers, low <= high (negative: defender gains).")
    backstop: Num(-1, 1) = Field(0.0, description="Change of the coalition backer's backstop.")
    grievance_ends: tuple[str, ...] = Field((), description="Council members whose grievance is settled.")
    leverage: Num(0, 10, integer=True) = Field(0, description="Pressure episodes added (weigh on durability).")
    walkaway: bool = Field(False, description="The mediators walk away: talks collapse.")
    breaks_deal: Unit = Field(0.0, description="Chance the standing deal breaks down at once (a violation): the war and "
                                               "the talks resume. Only for a shock that fires in the aftermath.")
    relapse_hazard: Num(0, 100) = Field(1.0, description="Factor on the standing deal's relapse hazard (1: none; for "
                                                         "lasts_rounds, then back). Only for a shock that fires in the aftermath.")


class ShockSpec(Strict):
    """A random event with a per-round chance, or a certain one at a given round."""

    label: str = label_field()
    probability: Unit = Field(0.0, description="Chance per round that it fires.")
    at_round: Num(0, 1000, integer=True) | None = Field(None, description="Round at which it fires for sure.")
    after_failed_rounds: Num(0, 1000, integer=True) = Field(0, description="Only after this many rounds without a deal.")
    when_rejected_by: str | None = Field(None, description="Only if this party rejected the last proposal.")
    once: bool = Field(False, description="Fires at most once per run.")
    during: Literal["talks", "aftermath", "both"] = Field(
        "talks", description="When it may fire: while the talks go on; while a deal stands in its aftermath window; or both.")
    lasts_rounds: Num(1, 1000, integer=True) | None = Field(
        None, description="Its effects end after this many rounds (a temporary shock; it cannot fire again meanwhile). "
                          "A front jump, a suspension, leverage and a walkaway are not undone.")
    effects: Effects = Field(default_factory=Effects)
    evidence: tuple[str, ...] = Evidence

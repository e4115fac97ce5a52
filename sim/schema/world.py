"""The world the talks sit in: time, issues, the front, sanctions indices, durability, display words."""

from __future__ import annotations

import datetime as dt

from pydantic import Field, field_validator
from pydantic_core import PydanticCustomError

from ..params import Fixed, Num
from .base import ActorId, Evidence, Strict, Unit, label_field

__all__ = ["DurabilitySpec", "FrontSpec", "HorizonSpec", "IssueSpec", "LabelsSpec", "SanctionsSpec"]


class IssueSpec(Strict):
    """One negotiated dimension, a number in [0, 1] with labelled anchor points."""

    label: str = label_field(description="Readable name of the issue.")
    low: str = Field(description="What a term of 0 means.", json_schema_extra={"label": True})
    high: str = Field(description="What a term of 1 means.", json_schema_extra={"label": True})
    anchors: dict[float, str] = Field(default_factory=dict, json_schema_extra={"label": True},
                                      description="Meaning of intermediate terms, e.g. {0.5: rear-area force}; keys 0-1.")
    status_quo: Unit = Field(0.0, description="Value of the issue while there is no deal (enters outside options); 0-1.")
    evidence: tuple[str, ...] = Evidence

    @field_validator("anchors")
    @classmethod
    def _anchor_terms(cls, anchors: dict[float, str]) -> dict[float, str]:
        for term in anchors:
            if not 0 <= term <= 1:  # NaN too
                raise PydanticCustomError("param", "anchor term {term} is not between 0 and 1",
                                          {"term": f"{term:g}", "expected": "terms from 0 to 1 as keys"})
        return anchors


class LabelsSpec(Strict):
    """The scenario's own words for the record's fixed codes, used in tables, figures and the story."""

    deal: str = label_field("deal", "What a deal is called (ceasefire, agreement, armistice).")
    force: str = label_field("force", "What the coalition's deployment is called (force, monitors, inspectors).")


class FrontSpec(Strict):
    """Fighting while talking: the front moves on one issue, pushed by one side and held by the other."""

    issue: str = Field(description="Issue id whose effective term the front changes (territory).")
    attacker: dict[ActorId, Num(0.01, 100)] = Field(
        min_length=1, description="The side that gains ground: actor id -> military strength it contributes at round 0.")
    defender: dict[ActorId, Num(0.01, 100)] = Field(
        min_length=1, description="The side that holds ground: actor id -> military strength it contributes at round 0.")
    drift: Num(0, 1) = Field(
        0.025, description="Share of the contested area taken per round at baseline strengths: the true capability, "
                           "drawn per run from a distribution given here, which no party knows.")
    noise: Num(0, 1) = Field(0.01, description="Sd of the per-round change.")
    decisiveness: Num(0.1, 10) = Field(1.0, description="Exponent of the contest success function.", json_schema_extra={"behavioural": True})
    fortified_at: Unit = Field(0.4, description="Share taken beyond which fortifications slow the advance.")
    fortification: Unit = Field(0.4, description="Share by which fortifications slow the advance.")
    sanctions_erosion: Unit = Field(
        0.3, description="Share of a contributor's strength lost at sanctions index 1 (the index felt on that actor).")
    capability_uncertainty: Num(0, 3) = Field(
        0.3, description="Sd of the log of the drift in every party's prior (how unsure all are of how the war goes); "
                         "each party's prior is centred on the drift's expected value times 1 + its optimism.", json_schema_extra={"behavioural": True})
    projection_rounds: Num(1, 1000, integer=True) = Field(
        26, description="The longest a party looks ahead when valuing fighting on: it projects to the first end "
                        "state (a party's stock used up, the front at its limit) or this many rounds.", json_schema_extra={"behavioural": True})
    relapse_advance: Num(0, 10) = Field(0.5, description="Extra attacker speed after a relapse per unit of territory withdrawn.", json_schema_extra={"behavioural": True})
    evidence: tuple[str, ...] = Evidence


class SanctionsSpec(Strict):
    """A sanctions-pressure index on one target actor, 0-1."""

    start: Unit = Field(0.5, description="Index at round 0.")
    decay: Unit = Field(0.01, description="Share lost per round to evasion and adaptation.")
    lag_rounds: Num(1, 100) = Field(6, description="Rounds over which the index is felt (smoothing): its strength and costs follow the felt index.")
    evidence: tuple[str, ...] = Evidence


class DurabilitySpec(Strict):
    """The hazard that a deal breaks, and how guarantees and forces lower it."""

    base_hazard_per_year: Num(0, 5) = Field(0.2, description="Yearly relapse hazard of a bare deal.", json_schema_extra={"behavioural": True})
    guarantees_effect: Unit = Field(0.4, description="Share of the hazard removed by guarantees at 1.", json_schema_extra={"behavioural": True})
    deterrence_effect: Unit = Field(0.6, description="Share of the hazard removed by a full deterrent force.", json_schema_extra={"behavioural": True})
    withdrawal_effect: Num(0, 10) = Field(0.3, description="Hazard rises by this share per unit of territory withdrawn.", json_schema_extra={"behavioural": True})
    unconsented_effect: Num(0, 10) = Field(1.0, description="Hazard rises by this share when a force deploys beyond consent.", json_schema_extra={"behavioural": True})
    leverage_effect: Num(0, 10) = Field(0.1, description="Hazard rises by this share per pressure episode used to get the deal.", json_schema_extra={"behavioural": True})
    judged_over_years: Num(0.1, 50) = Field(3.0, description="Years over which a guarantee-judging party weighs the relapse risk.", json_schema_extra={"behavioural": True})
    window_years: Fixed(0, 50) = Field(
        3.0, description="The aftermath window after a deal, in years: the deal holds if it does not break down within "
                         "it; a breakdown in it restarts the war and the talks (to the window's end after the horizon).", json_schema_extra={"behavioural": True})
    evidence: tuple[str, ...] = Evidence


class HorizonSpec(Strict):
    """Time: rounds of talks, their length and the date of round 0."""

    rounds: Num(1, 1000, integer=True) = Field(26, description="Rounds of talks (a deal's aftermath window follows: durability.window_years).")
    round_weeks: Num(0.1, 52) = Field(2.0, description="Weeks per round.")
    start: dt.date | None = Field(None, description="Calendar date of round 0.", json_schema_extra={"label": True})

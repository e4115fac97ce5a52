"""The scenario format: typed, frozen models of every section of a scenario file.

Each field's description gives its meaning, unit and range; ``sim schema`` prints the JSON Schema
built from these models and ``docs/scenario-format.md`` is generated from them, so the three can not
drift apart. Cross-references between sections (an actor named in the talks exists and has the
right role, ...) are checked in :mod:`sim.scenario`, which collects every problem at once.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from .ids import Id
from .params import Fixed, Num

__all__ = [
    "ROLES", "ActorSpec", "CoalitionSpec", "DurabilitySpec", "EUCouncilSpec", "EUMemberSpec", "Effects",
    "ForceType", "FrontSpec", "FundingSpec", "GuarantorSpec", "HorizonSpec", "InfluencerSpec",
    "InstitutionsSpec", "IssueSpec", "MeasureSpec", "MediatorSpec", "PartySpec", "RatificationSpec", "RedLine",
    "SanctionsSpec", "ScenarioSpec", "ShockSpec", "TalksSpec", "WorkaroundSpec",
]

Unit = Num(0, 1)
IssueId, ActorId = Id("issue"), Id("actor")
Evidence = Field(default=(), description="Fact ids from seeds/ that this rests on.")
ROLES = ("party", "mediator", "guarantor", "eu_member", "influencer")


class Strict(BaseModel):
    """Base of every section: unknown keys are errors and the result is immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=False)


class IssueSpec(Strict):
    """One negotiated dimension, a number in [0, 1] with labelled anchor points."""

    label: str = Field("", description="Readable name of the issue.")
    low: str = Field(description="What a term of 0 means.")
    high: str = Field(description="What a term of 1 means.")
    anchors: dict[float, str] = Field(default_factory=dict,
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


class RedLine(Strict):
    """A condition an actor insists on. Hard: any proposal breaking it is rejected. Soft: a penalty."""

    issue: str = Field(description="Issue id. On the front's issue the line applies to effective control.")
    op: Literal[">=", "<="] = Field(description="The term must be >= or <= the bound.")
    bound: Unit = Field(description="Bound on the term, 0-1.")
    hard: bool = Field(True, description="Hard lines reject; soft lines subtract penalty x violation from utility.")
    penalty: Num(0, 10) = Field(1.0, description="Utility lost per unit of violation of a soft line; 0-10.")
    evidence: tuple[str, ...] = Evidence


class FundingSpec(Strict):
    """A party whose war effort depends on outside money that can run out."""

    runway_rounds: Num(0, 1000, integer=True) = Field(4, description="Rounds of funding left at the start.")
    extended_by: tuple[str, ...] = Field((), description="EU measure ids (kind loan) that extend the runway.")
    shortfall_per_round: Num(0, 1) = Field(0.05, description="Fall in the funding level per round without money; 0-1.")
    floor: Num(0, 1) = Field(0.5, description="Lowest funding level (share of full strength); 0-1.")


class RatificationSpec(Strict):
    """Domestic approval of a deal (two-level game): P = logistic(intercept + sum of weight x term)."""

    rule: Literal["threshold", "referendum"] = Field(
        "threshold", description="threshold: the leader signs only if P >= threshold; referendum: a draw after signing.")
    threshold: Unit = Field(0.5, description="Approval needed under the threshold rule; 0-1.")
    intercept: Num(-10, 10) = Field(0.0, description="Logit of approval of a deal with all terms 0.")
    weights: dict[IssueId, Num(-10, 10)] = Field(
        default_factory=dict,
        description="Logit weight per issue id; the key `withdrawal` weighs the share of territory given up at the table.")
    evidence: tuple[str, ...] = Evidence


class PartySpec(Strict):
    """What a party to the talks brings: costs of war, patience, beliefs and conditions."""

    resolve: Num(0.05, 20) = Field(1.0, description="Tolerance of war costs: per-round costs are divided by it.")
    discount: Num(0.5, 1) = Field(0.98, description="Per-round discount factor of future costs; 0.5-1.")
    hold_out: Num(0, 1) = Field(0.02, description="Surplus over the outside option it demands before accepting (utility).")
    war_cost: Num(0, 1) = Field(0.01, description="Utility lost per round of fighting at baseline.")
    sanctions_cost: Num(0, 10) = Field(0.0, description="War cost rises by this factor times the sanctions index.")
    funding_cost: Num(0, 10) = Field(0.0, description="War cost rises by this factor times the funding shortfall.")
    optimism: Num(-1, 5) = Field(0.0, description="Initial bias of its belief about the front's drift (+0.5: expects 50% faster attacker gains).")
    judges_guarantees: bool = Field(
        False, description="Judges guarantees by the force behind them (effective guarantees, also for its red lines) and values a deal net of the risk the war resumes.")
    unconsented_force_penalty: Num(0, 10) = Field(
        0.0, description="Utility lost per unit (share of F_needed) of foreign troops deployed beyond what it consented to.")
    funding: FundingSpec | None = Field(None, description="Outside funding that may run out.")
    ratification: RatificationSpec | None = Field(None, description="Domestic approval the deal must clear.")


class MediatorSpec(Strict):
    """The mediator proposes terms and provides a backstop to the coalition."""

    plan: str | None = Field(None, description="Plan id (from `plans`) it starts from and leans toward.")
    bias: Num(0, 20) = Field(0.5, description="Weight of its own utility against the parties' acceptance (biased mediator).")
    plan_pull: Num(0, 20) = Field(0.5, description="Extra weight on staying close to its plan.")
    estimate_noise: Num(0, 1) = Field(0.05, description="Error (sd, utility) of its estimate of each party's outside option at round 0.")
    learning: Num(0, 1) = Field(0.9, description="That error shrinks by this factor each round.")
    backstop: Unit = Field(0.6, description="Intelligence, logistics and air support it gives a deployed force; 0-1.")
    evidence: tuple[str, ...] = Evidence


class GuarantorSpec(Strict):
    """A potential troop contributor to the post-ceasefire force."""

    troops: Num(0, 1_000_000) = Field(description="Troops it could deploy.")
    force_type: str = Field(description="Id of its force type (institutions.coalition.force_types).")
    requires_consent: bool = Field(False, description="Deploys only if the consenting party agreed to forces of its type.")
    min_backstop: Unit = Field(0.3, description="Deploys only if the mediator's backstop is at least this; 0-1.")
    threshold: Num(0, 2) = Field(0.2, description="Joins once the pledged force reaches this share of F_needed; 0 for leaders, above 1 never.")
    mandate_probability: Unit = Field(0.8, description="Chance its parliament or government approves the mission; 0-1.")
    risk_tolerance: Unit = Field(
        0.0, description="A member that does not require consent still deploys beyond consent only if the coalition's target_risk is at most this; 0-1.")
    evidence: tuple[str, ...] = Evidence


class EUMemberSpec(Strict):
    """How an EU member votes on measures that need unanimity."""

    blocks: tuple[str, ...] = Field((), description="Measure ids it blocks while its grievance lasts.")
    veto_probability: Unit = Field(1.0, description="Chance per round that it vetoes a measure it blocks, while aggrieved.")
    grievance_end_probability: Unit = Field(0.0, description="Chance per round that its grievance is settled.")
    election_round: Num(0, 1000, integer=True) | None = Field(None, description="Round of an election that may change its government.")
    government_change_probability: Unit = Field(0.0, description="Chance the election brings a government that stops blocking.")
    veto_probability_after_change: Unit = Field(0.0, description="Veto chance per round after a change of government.")
    evidence: tuple[str, ...] = Evidence


class InfluencerSpec(Strict):
    """An actor without a vote that raises aid for a party."""

    supports: str = Field(description="Party id whose strength its aid raises.")
    aid_per_round: Num(0, 1) = Field(0.005, description="Rise of the supported party's strength per round (share).")
    max_aid: Num(0, 5) = Field(0.2, description="Cap on the total rise (share).")
    evidence: tuple[str, ...] = Evidence


class ActorSpec(Strict):
    """An actor: its roles, what it wants (ideal terms, weights), and role-specific attributes."""

    name: str = Field(description="Display name.")
    roles: tuple[Literal["party", "mediator", "guarantor", "eu_member", "influencer"], ...] = Field(
        min_length=1, description="One or more of party, mediator, guarantor, eu_member, influencer.")
    capability: Num(0, 100) = Field(50.0, description="Clout, 0-100: weight in the compromise point.")
    position: dict[IssueId, Unit] = Field(default_factory=dict, description="Ideal term per issue id, 0-1.")
    salience: dict[IssueId, Unit] = Field(default_factory=dict, description="Weight per issue id; must sum to 1.")
    risk: Num(0.1, 5) = Field(1.0, description="Curvature of utility 1-|term-ideal|^risk; >1 risk-averse.")
    red_lines: tuple[RedLine, ...] = Field((), description="Conditions it insists on.")
    party: PartySpec | None = Field(None, description="Attributes of a party (defaults if omitted).")
    mediator: MediatorSpec | None = Field(None, description="Attributes of a mediator (defaults if omitted).")
    guarantor: GuarantorSpec | None = Field(None, description="Attributes of a guarantor (required for that role).")
    eu_member: EUMemberSpec | None = Field(None, description="Voting rule of an EU member (defaults if omitted).")
    influencer: InfluencerSpec | None = Field(None, description="Attributes of an influencer (required for that role).")
    note: str = Field("", description="Free text.")
    evidence: tuple[str, ...] = Evidence

    @model_validator(mode="after")
    def _role_defaults(self) -> ActorSpec:
        # A party, mediator or EU member may omit its block: it then gets the documented defaults.
        for role, block in (("party", PartySpec), ("mediator", MediatorSpec), ("eu_member", EUMemberSpec)):
            if role in self.roles and getattr(self, role) is None:
                object.__setattr__(self, role, block())
        return self


class TalksSpec(Strict):
    """The peace talks: who mediates, who must agree, how decisions are made."""

    mediator: str = Field(description="Actor id of the mediator (role mediator).")
    parties: tuple[str, ...] = Field(min_length=2, description="Actor ids whose acceptance a deal needs (role party).")
    acceptance_noise: Num(0, 1) = Field(0.02, description="Logit noise of acceptance (utility); 0 makes it deterministic.")
    max_suspensions: Num(1, 100, integer=True) = Field(3, description="Talks collapse at this many suspensions.")
    recognition: dict[Id("party"), Unit] = Field(
        default_factory=dict,
        description="Chance per round that a party proposes instead of the mediator (party id -> chance).")
    proposal_acceptance_floor: Unit = Field(0.3, description="A proposing party offers only terms it expects the others to accept with at least this joint chance.")
    candidates: Num(8, 4096, integer=True) = Field(
        128, description="Size of the space-filling candidate set (the mediator then refines its pick locally).")
    perturbations: Num(0, 512, integer=True) = Field(32, description="Random variations of the last proposal tried each round.")
    evidence: tuple[str, ...] = Evidence


class WorkaroundSpec(Strict):
    """A way around a blocked unanimity vote (e.g. an intergovernmental loan without the vetoer)."""

    after_blocked_rounds: Num(0, 1000, integer=True) = Field(3, description="Rounds blocked before it may be tried.")
    probability: Unit = Field(0.2, description="Chance per round that it passes once available.")
    value: Unit = Field(0.8, description="Share of the measure's effect it delivers.")


class MeasureSpec(Strict):
    """An EU measure voted every round until adopted."""

    label: str = Field("", description="Readable name.")
    kind: Literal["sanctions", "loan"] = Field(description="sanctions raise the sanctions index; a loan extends a party's funding.")
    sanctions_effect: Unit = Field(0.05, description="Rise of the sanctions index on adoption (kind sanctions).")
    runway_rounds: Num(0, 1000, integer=True) = Field(52, description="Rounds of funding it adds (kind loan).")
    workaround: WorkaroundSpec | None = Field(None, description="Way around a veto; none for sanctions under CFSP rules.")
    evidence: tuple[str, ...] = Evidence


class EUCouncilSpec(Strict):
    """The EU council: measures need every member's yes."""

    rule: Literal["unanimity"] = Field("unanimity", description="Voting rule.")
    members: tuple[str, ...] = Field((), description="Actor ids with role eu_member; others are assumed to vote yes.")
    measures: dict[Id("measure"), MeasureSpec] = Field(default_factory=dict, description="Measures pending at round 0.")


class ForceType(Strict):
    """A kind of force: how far the deployment term must go to cover it, and how much it deters."""

    level: Unit = Field(description="Deployment term at or above which this force type is consented to; 0-1.")
    deterrence: Unit = Field(description="Deterrent value of the force type relative to a full deterrence force; 0-1.")


class CoalitionSpec(Strict):
    """The coalition that may deploy a force after a ceasefire."""

    lead_nations: tuple[str, ...] = Field(description="Guarantor ids that start the cascade and withdraw if the force is too small.")
    consent_from: str = Field(description="Party id whose acceptance of the deployment term is its consent.")
    backstop_from: str = Field(description="Mediator id whose backstop the guarantors need.")
    deployment_issue: str = Field(description="Issue id of the permitted foreign presence.")
    guarantees_issue: str = Field(description="Issue id of the guarantee strength.")
    F_min: Num(0, 1_000_000) = Field(10_000, description="Troops below which the lead nations withdraw.")
    F_needed: Num(1, 1_000_000) = Field(25_000, description="Target force (troops); thresholds are shares of it.")
    leads_min_backstop: Unit = Field(0.3, description="Backstop below which the lead nations withdraw.")
    deterrence_midpoint: Num(0, 1_000_000) = Field(15_000, description="Troops at which deterrence reaches half its maximum.")
    deterrence_scale: Num(1, 1_000_000) = Field(4_000, description="Spread (troops) of the deterrence sigmoid.")
    force_types: dict[Id("force type"), ForceType] = Field(description="Force type id -> level and deterrence.")
    target_risk: Unit = Field(
        0.5, description="Risk to troops deployed beyond consent (the consenting party treats them as legitimate targets); 0-1.")
    paper_guarantee_weight: Unit = Field(
        0.3, description="Share of a guarantee's worth that holds with no force behind it; the rest scales with the deterrent the coalition would field.")
    evidence: tuple[str, ...] = Evidence


class InstitutionsSpec(Strict):
    """The arenas: talks (required), EU council and coalition (optional)."""

    talks: TalksSpec
    eu_council: EUCouncilSpec | None = None
    coalition: CoalitionSpec | None = None


class FrontSpec(Strict):
    """Fighting while talking: the front moves on one issue, and costs accrue."""

    issue: str = Field(description="Issue id whose effective term the front changes (territory).")
    attacker: str = Field(description="Party id that gains ground.")
    defender: str = Field(description="Party id that loses ground.")
    drift: Num(0, 1) = Field(0.025, description="Share of the contested area taken per round at baseline strengths.")
    noise: Num(0, 1) = Field(0.01, description="Sd of the per-round change.")
    attacker_strength: Num(0.01, 100) = Field(1.6, description="Attacker's military strength at round 0.")
    defender_strength: Num(0.01, 100) = Field(1.0, description="Defender's military strength at round 0.")
    decisiveness: Num(0.1, 10) = Field(1.0, description="Exponent of the contest success function.")
    fortified_at: Unit = Field(0.4, description="Share taken beyond which fortifications slow the advance.")
    fortification: Unit = Field(0.4, description="Share by which fortifications slow the advance.")
    sanctions_erosion: Unit = Field(0.3, description="Share of attacker strength lost at sanctions index 1.")
    belief_learning: Unit = Field(0.2, description="Rate at which beliefs about the drift move to what is observed.")
    projection_rounds: Num(1, 1000, integer=True) = Field(26, description="Rounds of fighting a party projects when valuing no deal.")
    relapse_advance: Num(0, 10) = Field(0.5, description="Extra attacker speed after a relapse per unit of territory withdrawn.")
    evidence: tuple[str, ...] = Evidence


class SanctionsSpec(Strict):
    """The sanctions-pressure index on the attacker, 0-1."""

    start: Unit = Field(0.5, description="Index at round 0.")
    decay: Unit = Field(0.01, description="Share lost per round to evasion and adaptation.")
    lag_rounds: Num(1, 100) = Field(6, description="Rounds over which sanctions feed into the attacker's strength (smoothing).")
    evidence: tuple[str, ...] = Evidence


class DurabilitySpec(Strict):
    """The hazard that a ceasefire breaks, and how guarantees and forces lower it."""

    base_hazard_per_year: Num(0, 5) = Field(0.2, description="Yearly relapse hazard of a bare ceasefire.")
    guarantees_effect: Unit = Field(0.4, description="Share of the hazard removed by guarantees at 1.")
    deterrence_effect: Unit = Field(0.6, description="Share of the hazard removed by a full deterrent force.")
    withdrawal_effect: Num(0, 10) = Field(0.3, description="Hazard rises by this share per unit of territory withdrawn.")
    unconsented_effect: Num(0, 10) = Field(1.0, description="Hazard rises by this share when a force deploys beyond consent.")
    leverage_effect: Num(0, 10) = Field(0.1, description="Hazard rises by this share per pressure episode used to get the deal.")
    judged_over_years: Num(0.1, 50) = Field(3.0, description="Years over which a guarantee-judging party weighs the relapse risk.")
    evidence: tuple[str, ...] = Evidence


class SuspendEffect(Strict):
    """Talks may be suspended by a shock."""

    probability: Unit = Field(1.0, description="Chance the shock suspends talks.")
    rounds: tuple[Fixed(1, 1000, integer=True), Fixed(1, 1000, integer=True)] = Field(
        (1, 3), description="Suspension length, drawn uniformly from [min, max] rounds; plain whole numbers, min <= max.")


class PositionShift(Strict):
    """Moves an actor's ideal term on one issue."""

    actor: str = Field(description="Id of a party or the mediator.")
    issue: str = Field(description="Issue id.")
    by: Num(-1, 1) = Field(description="Change of the ideal term (clipped to 0-1).")


class RedLineChange(Strict):
    """Adds or moves a party's red line on one issue (hardness and penalty kept unless given)."""

    actor: str = Field(description="Party id.")
    issue: str = Field(description="Issue id.")
    op: Literal[">=", "<="] = Field(description="The term must be >= or <= the bound.")
    bound: Unit = Field(description="New bound, 0-1.")
    hard: bool | None = Field(None, description="New hardness; default: keep (a new line is soft).")
    penalty: Num(0, 10) | None = Field(None, description="New penalty; default: keep (a new line gets 1).")


class FactorChange(Strict):
    """Multiplies an actor's war cost or strength from now on."""

    actor: str = Field(description="Party id.")
    factor: Num(0, 100) = Field(description="Multiplier, applied from the round the shock fires on.")


class Effects(Strict):
    """What a shock does when it fires. Every effect is optional."""

    suspend_talks: SuspendEffect | None = Field(None, description="Talks may be suspended for some rounds.")
    positions: tuple[PositionShift, ...] = Field((), description="Ideal points that move.")
    red_lines: tuple[RedLineChange, ...] = Field(
        (), description="Red lines added or tightened (a shock never loosens a stricter line).")
    consent_thresholds: Num(-2, 2) = Field(0.0, description="Added to thresholds of guarantors that require consent.")
    front: tuple[Fixed(-1, 1), Fixed(-1, 1)] | None = Field(
        None, description="Jump of the front (share of the contested area) drawn uniformly from [low, high]; plain numbers, low <= high (negative: defender gains).")
    sanctions: Num(-1, 1) = Field(0.0, description="Change of the sanctions index.")
    backstop: Num(-1, 1) = Field(0.0, description="Change of the mediator's backstop.")
    grievance_ends: tuple[str, ...] = Field((), description="EU members whose grievance is settled.")
    leverage: Num(0, 10, integer=True) = Field(0, description="Pressure episodes added (weigh on durability).")
    walkaway: bool = Field(False, description="The mediator walks away: talks collapse.")
    war_cost: tuple[FactorChange, ...] = Field((), description="Parties whose war cost is multiplied.")
    strength: tuple[FactorChange, ...] = Field((), description="Parties whose military strength is multiplied.")


class ShockSpec(Strict):
    """A random event with a per-round chance, or a certain one at a given round."""

    label: str = Field("", description="Readable name.")
    probability: Unit = Field(0.0, description="Chance per round that it fires.")
    at_round: Num(0, 1000, integer=True) | None = Field(None, description="Round at which it fires for sure.")
    after_failed_rounds: Num(0, 1000, integer=True) = Field(0, description="Only after this many rounds without a deal.")
    when_rejected_by: str | None = Field(None, description="Only if this party rejected the last proposal.")
    once: bool = Field(False, description="Fires at most once per run.")
    effects: Effects = Field(default_factory=Effects)
    evidence: tuple[str, ...] = Evidence


class HorizonSpec(Strict):
    """Time: rounds of talks, their length and the date of round 0."""

    rounds: Num(1, 1000, integer=True) = Field(26, description="Rounds simulated (talks and, after a ceasefire, its durability).")
    round_weeks: Num(0.1, 52) = Field(2.0, description="Weeks per round.")
    start: dt.date | None = Field(None, description="Calendar date of round 0.")


class ScenarioSpec(Strict):
    """A whole scenario file, after overlays are merged."""

    name: str = Field(description="Short name, used in tables and plots.")
    description: str = Field("", description="What this scenario assumes.")
    facts: str | None = Field(None, description="Folder with fact files (default: the nearest seeds/ folder).")
    horizon: HorizonSpec = Field(default_factory=HorizonSpec)
    issues: dict[IssueId, IssueSpec] = Field(min_length=1, description="Issue id -> issue.")
    actors: dict[ActorId, ActorSpec] = Field(min_length=2, description="Actor id -> actor.")
    institutions: InstitutionsSpec
    front: FrontSpec | None = None
    sanctions: SanctionsSpec = Field(default_factory=SanctionsSpec)
    durability: DurabilitySpec = Field(default_factory=DurabilitySpec)
    plans: dict[Id("plan"), dict[IssueId, Unit]] = Field(default_factory=dict, description="Plan id -> terms per issue.")
    shocks: dict[Id("shock"), ShockSpec] = Field(default_factory=dict, description="Shock id -> shock.")

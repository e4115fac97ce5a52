"""Actors: what each wants, and the attributes of each role it plays."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from ..ids import Id
from ..params import Num
from .base import Evidence, IssueId, Strict, Unit, label_field

__all__ = [
    "ROLES", "ActorSpec", "BackerSpec", "FundingSpec", "GuarantorSpec", "InfluencerSpec", "MediatorSpec",
    "MemberSpec", "PartySpec", "RatificationBody", "RedLine",
]

ROLES = ("party", "veto_player", "belligerent", "mediator", "backer", "guarantor", "member", "influencer")
Role = Literal["party", "veto_player", "belligerent", "mediator", "backer", "guarantor", "member", "influencer"]


class RedLine(Strict):
    """A condition an actor insists on. Hard: any proposal breaking it is rejected. Soft: a penalty."""

    issue: str = Field(description="Issue id. On the front's issue the line applies to effective control.")
    op: Literal[">=", "<="] = Field(description="The term must be >= or <= the bound.")
    bound: Unit = Field(description="Bound on the term, 0-1.")
    hard: bool = Field(True, description="Hard lines reject; soft lines subtract penalty x violation from utility.")
    penalty: Num(0, 10) = Field(1.0, description="Utility lost per unit of violation of a soft line; 0-10.")
    before_ceasefire: bool = Field(
        False, description="A condition of any ceasefire: it counts for an armistice too, even one that leaves its "
                           "issue open (the term is then the issue's no-deal term).")
    evidence: tuple[str, ...] = Evidence


class FundingSpec(Strict):
    """An actor whose war effort depends on outside money that can run out (measures and shocks add rounds)."""

    runway_rounds: Num(0, 1000, integer=True) = Field(4, description="Rounds of funding left at the start.")
    shortfall_per_round: Num(0, 1) = Field(0.05, description="Fall in the funding level per round without money; 0-1.")
    floor: Num(0, 1) = Field(0.5, description="Lowest funding level (share of full strength); 0-1.")
    evidence: tuple[str, ...] = Evidence


class RatificationBody(Strict):
    """One body that must approve a deal for a party (two-level game).

    Its approval is P = logistic(intercept + sum of weight x term). ``leader``: the party signs only
    terms with P >= threshold. ``legislature`` and ``referendum``: after signing, a vote that passes
    with chance P (a referendum is held at most once in a run unless ``once: false``). A body that
    votes a deal down hands later deals to its ``fallback`` (the revised deal through another body).
    """

    body: Id("body") = Field(description="Id of the body (unique within the party).")
    label: str = label_field()
    rule: Literal["leader", "legislature", "referendum"] = Field(
        description="leader: signs only if P >= threshold; legislature, referendum: a vote after signing, passed with chance P.")
    threshold: Unit = Field(0.5, description="Approval the leader needs before signing (rule leader); 0-1.")
    intercept: Num(-10, 10) = Field(0.0, description="Logit of approval of a deal with all terms 0.")
    weights: dict[IssueId, Num(-10, 10)] = Field(
        default_factory=dict,
        description="Logit weight per issue id; the key `withdrawal` weighs the share of territory given up at the table.")
    once: bool | None = Field(
        None, description="Votes at most once in a run (default: true for a referendum, false for a legislature); "
                          "once it has voted, later deals go to its fallback, and without one none can be ratified.")
    fallback: Id("body") | None = Field(
        None, description="Id of another voting body of the party that takes later deals after this one votes a deal down.")
    fallback_only: bool = Field(False, description="Votes only as another body's fallback, not on the first route.")
    judges_guarantees: bool | None = Field(
        None, description="Weighs the guarantee term by the force that would stand behind it (effective guarantees, "
                          "as the public would see them), not its face value; None: as its party does.")
    evidence: tuple[str, ...] = Evidence

    @property
    def held_once(self) -> bool:
        """Whether the body votes at most once in a run (a referendum unless told otherwise)."""
        return self.rule == "referendum" if self.once is None else self.once


class PartySpec(Strict):
    """How an actor whose acceptance a deal needs (a party or a veto player) judges a deal."""

    resolve: Num(0.05, 20) = Field(
        1.0, description="Tolerance of war costs, its private type: per-round costs are divided by it. Each run draws "
                         "the true value from a distribution given here; the mediators know only that distribution "
                         "(their prior) and learn from the party's answers.")
    discount: Num(0.5, 1) = Field(0.98, description="Per-round discount factor of future costs; 0.5-1.")
    hold_out: Num(0, 1) = Field(0.02, description="Surplus over the outside option it demands before accepting (utility).")
    war_cost: Num(0, 1) = Field(0.01, description="Utility lost per round of fighting at baseline.")
    sanctions_cost: Num(0, 10) = Field(0.0, description="War cost rises by this factor times the sanctions index on it.")
    funding_cost: Num(0, 10) = Field(0.0, description="War cost rises by this factor times its funding shortfall.")
    optimism: Num(-1, 5) = Field(0.0, description="Bias of its prior about the front's drift (+0.5: expects 50% faster attacker gains); the front's movements then teach it.")
    resolve_prior_width: Num(0.25, 10) = Field(
        1.0, description="How much wider than the distribution of resolve the mediators' prior is, stretched about its median "
                         "(1: a common prior, the distribution the truth is drawn from; 2: they think types twice as "
                         "far from the median possible; below 1 they may rule out the true type, and their belief then "
                         "stops at the end of their range). A fact of the case: what the mediators believed at its start.")
    endurance_rounds: Num(1, 100000) | None = Field(
        None, description="Rounds of fighting that its stock (manpower, money, materiel) sustains; each round of "
                          "fighting uses one. When it is used up the war ends (outcome military_end). None: it "
                          "never runs out.")
    strain: Num(0, 100) = Field(
        0.0, description="How much more a round of war costs it as its stock drains: the per-round cost is "
                         "multiplied by 1 + strain x share of the stock used (needs endurance_rounds).")
    concession_with_depletion: Unit = Field(
        0.0, description="Share of the audience cost of its stated positions (the penalties of its soft red lines) "
                         "that is gone once its stock is used up, falling in proportion to the share used "
                         "(needs endurance_rounds).")
    judges_guarantees: bool = Field(
        False, description="Judges guarantees by the force behind them (effective guarantees, also for its red lines) and values a deal net of the risk the war resumes.")
    unconsented_force_penalty: Num(0, 10) = Field(
        0.0, description="Utility lost per unit (share of F_needed) of foreign troops deployed beyond what it consented to (for a party the coalition needs consent from).")
    ratification: tuple[RatificationBody, ...] = Field((), description="Bodies that must approve a deal, in order.")


class MediatorSpec(Strict):
    """A mediator proposes terms; several mediators propose jointly (their tilts are averaged)."""

    plan: str | None = Field(None, description="Plan id (from `plans`) it starts from and leans toward.")
    bias: Num(0, 20) = Field(0.5, description="Weight of its own utility against the parties' acceptance (biased mediator).")
    plan_pull: Num(0, 20) = Field(0.5, description="Extra weight on staying close to its plan.")
    evidence: tuple[str, ...] = Evidence


class BackerSpec(Strict):
    """An actor whose support (intelligence, logistics, air cover) the coalition's force needs."""

    backstop: Unit = Field(0.6, description="Support it gives a deployed force; 0-1.")
    evidence: tuple[str, ...] = Evidence


class GuarantorSpec(Strict):
    """A potential troop contributor to the force after a deal."""

    troops: Num(0, 1_000_000) = Field(description="Troops it could deploy.")
    force_type: str = Field(description="Id of its force type (institutions.coalition.force_types).")
    also_fields: tuple[str, ...] = Field(
        (), description="Other force types (ids) it can send instead of its own when the consenting parties refuse "
                        "its own but accept one of these: a force of another kind. It sends the highest-level kind "
                        "the deployment term covers.")
    requires_consent: bool = Field(False, description="Deploys only if the consenting parties agreed to forces of its type.")
    min_backstop: Unit = Field(0.3, description="Deploys only if the backer's backstop is at least this; 0-1.")
    threshold: Num(0, 2) = Field(0.2, description="Joins once the pledged force reaches this share of F_needed; 0 for leaders, above 1 never.")
    mandate_probability: Unit = Field(0.8, description="Chance its parliament or government approves the mission; 0-1.")
    risk_tolerance: Unit = Field(
        0.0, description="A member that does not require consent still deploys beyond consent only if the coalition's target_risk is at most this; 0-1.")
    evidence: tuple[str, ...] = Evidence


class MemberSpec(Strict):
    """How a council member votes: against the measures it opposes while its grievance lasts, for the rest."""

    votes_against: tuple[str, ...] = Field((), description="Measure ids it votes against while aggrieved.")
    against_probability: Unit = Field(1.0, description="Chance per vote that it votes against a measure it opposes, while aggrieved.")
    grievance_end_probability: Unit = Field(0.0, description="Chance per round that its grievance is settled.")
    election_round: Num(0, 1000, integer=True) | None = Field(None, description="Round of an election that may change its government.")
    government_change_probability: Unit = Field(0.0, description="Chance the election brings a government that stops opposing.")
    against_probability_after_change: Unit = Field(0.0, description="Chance per vote of voting against after a change of government.")
    weights: dict[Id("weight"), Num(0, 1e12)] = Field(
        default_factory=dict, description="Its weight in each weighted quota of a qualified-majority council (weight name -> number).")
    evidence: tuple[str, ...] = Evidence


class InfluencerSpec(Strict):
    """An actor without a vote that raises aid for an actor on one side of the front."""

    supports: str = Field(description="Id of an actor on a side of the front whose strength its aid raises.")
    aid_per_round: Num(0, 1) = Field(0.005, description="Rise of the supported actor's strength per round (share).")
    max_aid: Num(0, 5) = Field(0.2, description="Cap on the total rise (share).")
    evidence: tuple[str, ...] = Evidence


class ActorSpec(Strict):
    """An actor: its roles, what it wants (ideal terms, weights), and role-specific attributes."""

    name: str = Field(description="Display name.", json_schema_extra={"label": True})
    roles: tuple[Role, ...] = Field(min_length=1, description="One or more of " + ", ".join(ROLES) + ".")
    capability: Num(0, 100) = Field(50.0, description="Clout, 0-100: weight in the compromise point.")
    position: dict[IssueId, Unit] = Field(default_factory=dict, description="Ideal term per issue id, 0-1.")
    salience: dict[IssueId, Unit] = Field(default_factory=dict, description="Weight per issue id; must sum to 1.")
    risk: Num(0.1, 5) = Field(1.0, description="Curvature of utility 1-|term-ideal|^risk; >1 risk-averse.")
    red_lines: tuple[RedLine, ...] = Field((), description="Conditions it insists on.")
    party: PartySpec | None = Field(None, description="How it judges a deal (roles party and veto_player; defaults if omitted).")
    funding: FundingSpec | None = Field(None, description="Outside funding of its war effort that may run out.")
    mediator: MediatorSpec | None = Field(None, description="Attributes of a mediator (defaults if omitted).")
    backer: BackerSpec | None = Field(None, description="Support it gives the coalition's force (role backer; defaults if omitted).")
    guarantor: GuarantorSpec | None = Field(None, description="Attributes of a guarantor (required for that role).")
    member: MemberSpec | None = Field(None, description="How it votes in the councils it sits on (defaults if omitted).")
    influencer: InfluencerSpec | None = Field(None, description="Attributes of an influencer (required for that role).")
    note: str = label_field(description="Free text.")
    evidence: tuple[str, ...] = Evidence

    @model_validator(mode="after")
    def _role_defaults(self) -> ActorSpec:
        # A role whose block has defaults for everything may omit it.
        for role, block in (("party", PartySpec), ("veto_player", PartySpec), ("mediator", MediatorSpec),
                            ("backer", BackerSpec), ("member", MemberSpec)):
            name = "party" if role == "veto_player" else role
            if role in self.roles and getattr(self, name) is None:
                object.__setattr__(self, name, block())
        return self

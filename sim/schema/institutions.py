"""The institutions: the talks, councils that vote on measures, and the coalition that may deploy."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from ..ids import Id
from ..params import Num
from .base import Evidence, Strict, Unit, label_field
from .effects import ChangeEffects

__all__ = [
    "AgendaItemSpec", "ArmisticeSpec", "CoalitionSpec", "CouncilSpec", "ForceType", "InstitutionsSpec", "MeasureSpec", "QuotaSpec", "SignalSpec",
    "TalksSpec",
    "WorkaroundSpec",
]


class ArmisticeSpec(Strict):
    """An armistice first: the talks may stop the war on some issues only (a line, monitors), the others
    left open, unconceded, and negotiated later while the armistice stands."""

    issues: tuple[str, ...] = Field(min_length=1, description="Issue ids an armistice settles; every other issue stays "
                                                            "at its no-deal term, and no party's red line on it counts.")
    hazard_factor: Num(0, 10) = Field(
        1.0, description="Relapse hazard of an armistice against a settlement of the same terms (1: the same).")
    evidence: tuple[str, ...] = Evidence


class AgendaItemSpec(Strict):
    """One item of an agreed agenda: the issues the table takes up together, before the next item."""

    label: str = label_field()
    issues: tuple[str, ...] = Field(min_length=1, description="Issue ids of the item (each issue in one item at most).")
    evidence: tuple[str, ...] = Evidence


class TalksSpec(Strict):
    """The talks: who mediates, who sits at the table, whose consent a deal needs, how decisions are made."""

    mediators: tuple[str, ...] = Field(min_length=1, description="Actor ids of the mediators (role mediator); several mediate jointly.")
    parties: tuple[str, ...] = Field(min_length=2, description="Actor ids at the table whose acceptance a deal needs (role party).")
    veto_players: tuple[str, ...] = Field(
        (), description="Actor ids not at the table whose acceptance a deal also needs (role veto_player).")
    max_suspensions: Num(1, 100, integer=True) = Field(3, description="Talks collapse at this many suspensions.")
    recognition: dict[Id("party"), Unit] = Field(
        default_factory=dict,
        description="Chance per round that a party proposes instead of the mediators (party id -> chance).")
    proposal_acceptance_floor: Unit = Field(0.3, description="A proposing party offers only terms it expects the others to accept with at least this joint chance.", json_schema_extra={"behavioural": True})
    candidates: Num(8, 4096, integer=True) = Field(
        128, description="Size of the space-filling candidate set (the mediators then refine their pick locally).", json_schema_extra={"behavioural": True})
    perturbations: Num(0, 512, integer=True) = Field(8, description="Random variations of the last proposal tried each round.", json_schema_extra={"behavioural": True})
    mediators_know_resolve: bool = Field(
        False, description="Counterfactual: the mediators know every party's true resolve, so no answer is needed "
                           "to learn it (shows how much delay screening makes).", json_schema_extra={"behavioural": True})
    belief_grid: Num(2, 1024, integer=True) = Field(
        24, description="Points of the grids on which beliefs are held (the mediators' about each party's resolve, "
                        "each party's about the front's drift): a numerical setting, not an assumption.", json_schema_extra={"behavioural": True})
    armistice: ArmisticeSpec | None = Field(
        None, description="An armistice-first structure (a ceasefire on some issues now, a settlement later); "
                          "default: only full settlements.")
    agenda: tuple[AgendaItemSpec, ...] = Field(
        (), description="Items taken one at a time, in order: a yes of every party to the package closes the item on "
                        "the table at its terms (held from then on), the deal is the yes on the last item, and the "
                        "closed items reopen when no completion of them looks acceptable; issues in no item close "
                        "with the last. Default: no agenda, every package is the deal on the table.")
    evidence: tuple[str, ...] = Evidence


class WorkaroundSpec(Strict):
    """A way around a blocked vote (e.g. an intergovernmental arrangement without the members voting against)."""

    after_blocked_rounds: Num(0, 1000, integer=True) = Field(3, description="Rounds blocked before it may be tried.")
    probability: Unit = Field(0.2, description="Chance per round that it passes once available.")
    value: Unit = Field(0.8, description="Share of the measure's effects it delivers.")


class MeasureSpec(Strict):
    """A measure the council votes on every round until adopted; it may lapse unless renewed."""

    label: str = label_field()
    effects: ChangeEffects = Field(description="What the measure changes once adopted.")
    renew_every: Num(1, 1000, integer=True) | None = Field(
        None, description="Rounds after which an adopted measure needs a renewal vote; if the vote fails it lapses "
                          "(its effects end, reverting to the state without it) and is voted on again as a new measure.")
    workaround: WorkaroundSpec | None = Field(None, description="Way around a failed vote.")
    evidence: tuple[str, ...] = Evidence


class QuotaSpec(Strict):
    """One quota of a qualified majority: the members in favour must hold this share of a weight."""

    weight: str = Field(description="`count` (one per member) or a weight name from the members' `member.weights`.")
    share: Unit = Field(description="Share of the total weight that must be in favour; 0-1.")


class SignalSpec(Strict):
    """What a council's votes are read as: news about one party's resolve (by the mediators) or about how
    the war goes for its side (by the parties that hear it)."""

    about: str = Field(description="Id of the party (or veto player) whose resolve the votes speak of.")
    heard_by: tuple[str, ...] = Field(
        ("mediators",), min_length=1,
        description="Who reads the votes: `mediators` (their belief about the resolve of `about`) and ids of parties "
                    "or veto players (their belief about how the war goes: an adoption makes the drifts that favour "
                    "the side of `about` likelier, a veto or a lapse the others, by the same likelihood ratio between "
                    "the ends of their drift grid; needs a front with `about` on a side).")
    likelihood_ratio: Num(1, 100) = Field(
        1.5, description="How much likelier a measure's adoption is from the most resolute type of that party the "
                         "mediators' prior allows than from the least (log-linear in the type's prior rank between "
                         "them); a veto (a measure's first failed vote) or a lapse is as much likelier from the least "
                         "resolute. 1: the votes teach nothing.", json_schema_extra={"behavioural": True})
    evidence: tuple[str, ...] = Evidence


class CouncilSpec(Strict):
    """A body whose members vote on measures under a rule."""

    label: str = label_field()
    rule: Literal["unanimity", "majority", "qualified"] = Field(
        "unanimity", description="unanimity: any vote against blocks; majority: more than half of the members; "
                                 "qualified: every quota met.")
    members: tuple[str, ...] = Field(min_length=1, description="Actor ids with role member that vote.")
    quotas: tuple[QuotaSpec, ...] = Field((), description="The quotas of a qualified majority (rule qualified).")
    others_in_favour: dict[str, Num(0, 1e12)] = Field(
        default_factory=dict, description="Weight held by members not modelled, who vote in favour (`count` or a weight name -> total).")
    measures: dict[Id("measure"), MeasureSpec] = Field(min_length=1, description="Measures pending at round 0.")
    signals: tuple[SignalSpec, ...] = Field(
        (), description="Whose resolve the council's votes are evidence about, as the mediators read them: each "
                        "adoption by vote tilts their belief about that party toward the more resolute types, each "
                        "veto and lapse toward the less resolute, by the likelihood ratio; parties that hear them "
                        "read them as news about how the war goes for that party's side.")
    evidence: tuple[str, ...] = Evidence


class ForceType(Strict):
    """A kind of force: how far the deployment term must go to cover it, and how much it deters."""

    level: Unit = Field(description="Deployment term at or above which this force type is consented to; 0-1.")
    deterrence: Unit = Field(description="Deterrent value of the force type relative to a full deterrence force; 0-1.")


class CoalitionSpec(Strict):
    """The coalition that may deploy a force after a deal."""

    lead_nations: tuple[str, ...] = Field(description="Guarantor ids that start the cascade and withdraw if the force is too small.")
    consent_from: tuple[str, ...] = Field(
        min_length=1, description="Ids of the parties or veto players whose acceptance of the deployment term is the consent.")
    backstop_from: str = Field(description="Actor id (role backer) whose backstop the guarantors need.")
    deployment_issue: str = Field(description="Issue id of the permitted foreign presence.")
    guarantees_issue: str = Field(description="Issue id of the guarantee strength.")
    F_min: Num(0, 1_000_000) = Field(10_000, description="Troops below which the lead nations withdraw.")
    F_needed: Num(1, 1_000_000) = Field(25_000, description="Target force (troops); thresholds are shares of it.")
    leads_min_backstop: Unit = Field(0.3, description="Backstop below which the lead nations withdraw.")
    backstop_softness: Num(0, 1) = Field(
        0.05, description="How gradually a member's willingness turns on the backstop: it deploys (mandate passed) with "
                          "chance logistic((backstop - min_backstop) / softness), 1/2 at its minimum; 0: a hard gate.",
        json_schema_extra={"behavioural": True})
    deterrence_midpoint: Num(0, 1_000_000) = Field(15_000, description="Troops at which deterrence reaches half its maximum.")
    deterrence_scale: Num(1, 1_000_000) = Field(4_000, description="Spread (troops) of the deterrence sigmoid.")
    force_types: dict[Id("force type"), ForceType] = Field(description="Force type id -> level and deterrence.")
    target_risk: Unit = Field(
        0.5, description="Risk to troops deployed beyond consent (the consenting parties treat them as legitimate targets); 0-1.")
    consenting_side_judges: Literal["force", "clause"] = Field(
        "clause", description="force: the deployment issue stands for the foreign troops on the ground, and the "
                              "consenting parties (and the parties and bodies that judge guarantees by the force) value "
                              "the presence that would deploy: the troop-weighted level of the kinds that would go, "
                              "0 if none would; clause: the term as written (for an issue whose term is substance of "
                              "its own, such as decommissioning).")
    paper_guarantee_weight: Unit = Field(
        0.3, description="Share of a guarantee's worth that holds with no force behind it; the rest scales with the deterrent the coalition would field.")
    evidence: tuple[str, ...] = Evidence


class InstitutionsSpec(Strict):
    """The arenas: talks (required), councils and the coalition (optional)."""

    talks: TalksSpec
    councils: dict[Id("council"), CouncilSpec] = Field(default_factory=dict, description="Council id -> council.")
    coalition: CoalitionSpec | None = None

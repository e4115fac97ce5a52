"""The scenario format: typed, frozen models of every section of a scenario file.

Each field's description gives its meaning, unit and range; ``sim schema`` prints the JSON Schema
built from these models and ``docs/scenario-format.md`` is generated from them, so the three can not
drift apart. A field marked ``label`` in its JSON Schema extra only names things for people (no
mechanism reads it). Cross-references between sections (an actor named in the talks exists and has
the right role, ...) are checked in :mod:`sim.scenario`, which collects every problem at once.

One module per part: :mod:`.world` (time, issues, front, sanctions, durability, labels),
:mod:`.actors`, :mod:`.institutions` (talks, councils, coalition), :mod:`.effects` (what measures
and shocks change), :mod:`.shocks` and :mod:`.scenario` (the whole file).
"""

from __future__ import annotations

from .actors import (
    ROLES,
    ActorSpec,
    BackerSpec,
    FundingSpec,
    GuarantorSpec,
    InfluencerSpec,
    MediatorSpec,
    MemberSpec,
    PartySpec,
    RatificationBody,
    RedLine,
)
from .effects import AidChange, ChangeEffects, FactorChange, FundingChange, SanctionsChange
from .institutions import (
    CoalitionSpec,
    CouncilSpec,
    ForceType,
    InstitutionsSpec,
    MeasureSpec,
    QuotaSpec,
    TalksSpec,
    WorkaroundSpec,
)
from .scenario import ScenarioSpec
from .shocks import Effects, PositionShift, RedLineChange, ShockSpec, SuspendEffect
from .world import DurabilitySpec, FrontSpec, HorizonSpec, IssueSpec, LabelsSpec, SanctionsSpec

__all__ = [
    "ROLES", "ActorSpec", "AidChange", "BackerSpec", "ChangeEffects", "CoalitionSpec", "CouncilSpec", "DurabilitySpec",
    "Effects", "FactorChange", "ForceType", "FrontSpec", "FundingChange", "FundingSpec", "GuarantorSpec",
    "HorizonSpec", "InfluencerSpec", "InstitutionsSpec", "IssueSpec", "LabelsSpec", "MeasureSpec", "MediatorSpec",
    "MemberSpec", "PartySpec", "PositionShift", "QuotaSpec", "RatificationBody", "RedLine", "RedLineChange",
    "SanctionsChange", "SanctionsSpec", "ScenarioSpec", "ShockSpec", "SuspendEffect", "TalksSpec", "WorkaroundSpec",
]

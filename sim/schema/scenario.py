"""A whole scenario file."""

from __future__ import annotations

from pydantic import Field

from ..ids import Id
from .actors import ActorSpec
from .base import ActorId, IssueId, Strict, Unit, label_field
from .institutions import InstitutionsSpec
from .shocks import ShockSpec
from .world import DurabilitySpec, FrontSpec, HorizonSpec, IssueSpec, LabelsSpec, SanctionsSpec

__all__ = ["ScenarioSpec"]


class ScenarioSpec(Strict):
    """A whole scenario file, after overlays are merged."""

    name: str = Field(description="Short name, used in tables and plots.", json_schema_extra={"label": True})
    description: str = label_field(description="What this scenario assumes.")
    facts: str | None = Field(None, description="Folder with fact files (default: the nearest seeds/ folder).",
                              json_schema_extra={"label": True})
    labels: LabelsSpec = Field(default_factory=LabelsSpec, description="The scenario's words for deal and force.")
    horizon: HorizonSpec = Field(default_factory=HorizonSpec)
    issues: dict[IssueId, IssueSpec] = Field(min_length=1, description="Issue id -> issue.")
    actors: dict[ActorId, ActorSpec] = Field(min_length=2, description="Actor id -> actor.")
    institutions: InstitutionsSpec
    front: FrontSpec | None = None
    sanctions: dict[ActorId, SanctionsSpec] = Field(
        default_factory=dict, description="Target actor id -> its sanctions-pressure index.")
    durability: DurabilitySpec = Field(default_factory=DurabilitySpec)
    plans: dict[Id("plan"), dict[IssueId, Unit]] = Field(default_factory=dict, description="Plan id -> terms per issue.")
    shocks: dict[Id("shock"), ShockSpec] = Field(default_factory=dict, description="Shock id -> shock.")

"""What every section of the scenario format shares: strictness, the 0-1 number, evidence lists."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from ..ids import Id
from ..params import Num

__all__ = ["ActorId", "Evidence", "IssueId", "Strict", "Unit", "label_field"]

Unit = Num(0, 1)
IssueId, ActorId = Id("issue"), Id("actor")
Evidence = Field(default=(), description="Fact ids from seeds/ that this rests on.", json_schema_extra={"label": True})


def label_field(default: str = "", description: str = "Readable name.") -> str:
    """A field that only names things for people (tables, figures, the story): no mechanism reads it."""
    return Field(default, description=description, json_schema_extra={"label": True})


class Strict(BaseModel):
    """Base of every section: unknown keys are errors and the result is immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=False)

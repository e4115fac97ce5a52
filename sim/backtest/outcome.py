"""The observed-outcome file of a backtest case: what happened, validated like a scenario (file:line errors)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError, model_validator

from ..errors import Problem, ScenarioError
from ..schema.base import Strict
from ..yamlsource import read_yaml

__all__ = ["Observed", "ObservedForce", "OutcomeFile", "load_outcome"]


class ObservedForce(Strict):
    """The force or mission after the deal, as it was."""

    deployed: bool = Field(description="A force or mission deployed after the deal.")
    type: str | None = Field(None, description="Id of the scenario's force type it corresponds to (null: none fits).")
    consent: bool | None = Field(None, description="It deployed with the consent the scenario's coalition asks for.")


class Observed(Strict):
    """What happened within three years of the start date."""

    deal: bool = Field(description="A deal was signed within three years of the start date (an armistice counts).")
    kind: Literal["settlement", "armistice"] | None = Field(None, description="settlement or armistice (with a deal).")
    date: dt.date | None = Field(None, description="Date the deal was signed (with a deal).")
    force: ObservedForce | None = Field(None, description="The force after the deal (with a deal).")
    held: bool | None = Field(None, description="The deal held three years from its date (null without a deal).")

    @model_validator(mode="after")
    def _deal_fields(self) -> Observed:
        given = [k for k in ("kind", "date", "force", "held") if getattr(self, k) is not None]
        if not self.deal and given:
            raise ValueError(f"without a deal, leave out {', '.join(given)}")
        if self.deal and self.date is None:
            raise ValueError("a deal needs its date")
        return self


class OutcomeFile(Strict):
    """An observed-outcome file (``backtests/<case>.outcome.yaml``)."""

    case: str = Field(description="The scenario's name: field.")
    observed: Observed = Field(description="What happened.")
    sources: tuple[str, ...] = Field(min_length=1, description="Where it is documented.")
    notes: str = Field("", description="What happened, and the judgement calls.")


def load_outcome(path: str | Path) -> OutcomeFile:
    """Read and check an outcome file.

    Raises:
        ScenarioError: the file cannot be read, or a key is missing, unknown or of the wrong kind (each
            problem with its file and line).
    """
    from ..scenario.validation import _locate, _pydantic_problems

    source = str(path)
    data, lines = read_yaml(path)
    if not isinstance(data, dict):
        raise ScenarioError.single(source, f"top level is a {type(data).__name__}, not a mapping",
                                   expected="case:, observed:, sources:")
    try:
        return OutcomeFile.model_validate(data)
    except ValidationError as exc:
        problems = _pydantic_problems(exc, source, lines, root=OutcomeFile)
        for err in exc.errors():
            if err["type"] == "value_error":  # the checks of _deal_fields, at the observed block
                problems = [p for p in problems if p.path != tuple(err["loc"])]
                problems.append(_locate(Problem(source, None, tuple(err["loc"]),
                                                str(err["ctx"]["error"]), "deal: true with its date, or deal: false alone"),
                                        source, lines))
        raise ScenarioError(problems) from None

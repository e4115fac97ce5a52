"""The backtest cases: scenario files in ``backtests/`` with their outcome files, and the one rule on
behavioural settings (a case states facts; the model's behaviour is the same for every case)."""

from __future__ import annotations

import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from ..errors import ExperimentError, PathPart, Problem, format_path
from ..schema import ScenarioSpec
from ..yamlsource import read_yaml

__all__ = ["BACKTESTS", "Case", "behavioural_defaults", "behavioural_fields", "behavioural_settings", "find_cases"]

#: The project's folder of backtest cases.
BACKTESTS = Path(__file__).resolve().parents[2] / "backtests"

OUTCOME_SUFFIX = ".outcome.yaml"


@dataclass(frozen=True)
class Case:
    """One closed negotiation: its scenario file and its observed-outcome file."""

    name: str
    scenario: Path
    outcome: Path


def find_cases(names: typing.Sequence[str] = (), folder: Path = BACKTESTS) -> list[Case]:
    """The cases of the folder (every scenario file with an outcome file beside it), or the named ones.

    A name is a case's file stem (``korea-1951``) or a path to its scenario file.

    Raises:
        ExperimentError: a named case does not exist, or a scenario file has no outcome file.
    """
    folder = Path(folder)
    every = sorted(p for p in folder.glob("*.yaml") if not p.name.endswith(OUTCOME_SUFFIX))
    chosen = every if not names else [_named(n, folder) for n in names]
    cases = []
    for path in chosen:
        outcome = path.with_name(path.stem + OUTCOME_SUFFIX)
        if not outcome.is_file():
            raise ExperimentError(f"{_shown(path)}: no observed-outcome file {outcome.name} beside it "
                                  "(expected backtests/<case>.outcome.yaml, see backtests/README.md)")
        cases.append(Case(path.stem, _shown(path), _shown(outcome)))
    return cases


def _shown(path: Path) -> Path:
    """A path as messages name it: relative to the current folder if it is below it."""
    try:
        return path.resolve().relative_to(Path.cwd())
    except ValueError:
        return path


def _named(name: str, folder: Path) -> Path:
    path = Path(name)
    if path.suffix == ".yaml" and path.is_file():
        return path
    candidate = folder / f"{name}.yaml"
    if candidate.is_file():
        return candidate
    known = ", ".join(p.stem for p in sorted(folder.glob("*.yaml")) if not p.name.endswith(OUTCOME_SUFFIX))
    raise ExperimentError(f"{name}: no such backtest case (expected one of: {known})")


def behavioural_fields(model: type[BaseModel] = ScenarioSpec) -> Iterator[tuple[str, ...]]:
    """Key-path templates (``*`` for any mapping key or list item) of the fields marked behavioural: how
    the model behaves, the same in every case, not a fact of one."""
    for path, _ in _behavioural(model, ()):
        yield path


def behavioural_defaults(model: type[BaseModel] = ScenarioSpec) -> dict[str, Any]:
    """Every behavioural field's default, by its key-path template (``front.decisiveness``): the
    settings every case runs under, as ``backtests/frozen-defaults.json`` records them."""
    return {format_path(path): info.get_default(call_default_factory=True) for path, info in _behavioural(model, ())}


def _behavioural(model: type[BaseModel], path: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], FieldInfo]]:
    for name, info in model.model_fields.items():
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        if extra.get("behavioural"):
            yield (*path, name), info
            continue
        yield from _inner(info.annotation, (*path, name))


def _inner(annotation: Any, path: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], FieldInfo]]:
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Annotated:
        yield from _inner(args[0], path)
    elif origin in (typing.Union, types.UnionType):
        for arg in args:
            yield from _inner(arg, path)
    elif origin is dict and args:
        yield from _inner(args[1], (*path, "*"))
    elif origin in (tuple, list) and args:
        yield from _inner(args[0], (*path, "*"))
    elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield from _behavioural(annotation, path)


def behavioural_settings(path: str | Path) -> list[Problem]:
    """The behavioural fields a case file sets, each a problem at its line (a case states facts only)."""
    data, lines = read_yaml(path)
    found: list[Problem] = []
    for template in behavioural_fields():
        for concrete in _matches(data, template, ()):
            where = lines.get(concrete, (str(path), None))
            found.append(Problem(str(path), where[1], concrete, "a case file sets a behavioural field",
                                 "no setting here: every case runs under the model's defaults "
                                 f"(docs/scenario-format.md, {format_path(template)})"))
    return found


def _matches(data: Any, template: tuple[str, ...], at: tuple[PathPart, ...]) -> Iterator[tuple[PathPart, ...]]:
    if not template:
        yield at
        return
    head, rest = template[0], template[1:]
    if isinstance(data, dict):
        keys = list(data) if head == "*" else [head] if head in data else []
        for key in keys:
            yield from _matches(data[key], rest, (*at, key))
    elif isinstance(data, list) and head == "*":
        for i, item in enumerate(data):
            yield from _matches(item, rest, (*at, i))

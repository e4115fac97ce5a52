"""Every number of a scenario, found by walking the typed scenario together with its schema.

A parameter left at its default is a number too; each field's allowed range comes from its
``Num``/``Fixed`` type (:mod:`sim.params`). Labels, ids, dates, booleans and evidence are not numbers
of the negotiation and are left out. Used by :mod:`sim.factors` (the factors of a sensitivity design).
"""

from __future__ import annotations

import math
import types
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, WithJsonSchema

from .distributions import Distribution
from .errors import PathPart, format_path
from .params import describe_range
from .scenario import Scenario

__all__ = ["NumericField", "numeric_fields"]


@dataclass(frozen=True)
class NumericField:
    """One number of a scenario (or a distribution standing for one) and the range its field allows."""

    path: str
    value: float | Distribution
    low: float
    high: float
    integer: bool
    behavioural: bool = False

    @property
    def allowed(self) -> str:
        """The allowed range in words, as the loader's messages put it."""
        return describe_range(self.low, self.high, self.integer)


def numeric_fields(scenario: Scenario) -> dict[str, NumericField]:
    """Every numeric parameter of the typed scenario (defaults included), by key path, in file order.

    Labels, ids, dates, booleans and evidence are left out: only ``Num`` and ``Fixed`` fields count.
    """
    return {f.path: f for f in _walk_model(scenario.spec, ())}


def _walk_model(model: BaseModel, path: tuple[PathPart, ...]) -> Iterator[NumericField]:
    for name, info in type(model).model_fields.items():
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        if extra.get("label"):
            continue
        value = getattr(model, name)
        # A field typed Num(...) directly keeps the bounds in its metadata; Num(...) | None and the
        # containers keep them inside the annotation.
        annotation = Annotated[(info.annotation, *info.metadata)] if info.metadata else info.annotation
        yield from _walk(value, annotation, (*path, name), bool(extra.get("behavioural")))


def _walk(value: Any, annotation: Any, path: tuple[PathPart, ...], behavioural: bool) -> Iterator[NumericField]:
    if value is None or isinstance(value, bool | str):
        return
    if isinstance(value, BaseModel):
        yield from _walk_model(value, path)
        return
    origin = get_origin(annotation)
    if origin is Annotated:
        bounds = _bounds(annotation.__metadata__)
        if bounds is not None:
            if isinstance(value, int | float | Distribution):
                yield NumericField(format_path(path), value, *bounds, behavioural=behavioural)
            return
        yield from _walk(value, get_args(annotation)[0], path, behavioural)
    elif origin in (Union, types.UnionType):
        for arm in get_args(annotation):
            if arm is not type(None):  # every union of the schema is X | None
                yield from _walk(value, arm, path, behavioural)
                return
    elif isinstance(value, Mapping) and len(get_args(annotation)) == 2:
        item = get_args(annotation)[1]
        for key, v in value.items():
            yield from _walk(v, item, (*path, key), behavioural)
    elif isinstance(value, tuple | list):
        args = get_args(annotation)
        for i, v in enumerate(value):
            arm = args[0] if len(args) == 2 and args[1] is Ellipsis else args[i] if i < len(args) else None
            yield from _walk(v, arm, (*path, i), behavioural)


def _bounds(metadata: Sequence[Any]) -> tuple[float, float, bool] | None:
    """The (low, high, integer) of a Num or Fixed type, read from the JSON schema it declares."""
    for m in metadata:
        if isinstance(m, WithJsonSchema) and isinstance(m.json_schema, dict):
            schema = m.json_schema.get("anyOf", [m.json_schema])[0]
            if schema.get("type") in ("number", "integer"):
                return (float(schema.get("minimum", -math.inf)), float(schema.get("maximum", math.inf)),
                        schema["type"] == "integer")
    return None

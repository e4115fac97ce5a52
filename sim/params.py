"""The number types of scenario files: a constant, or a distribution to draw per run; plain numbers.

``Num(low, high)`` is used as a field type in the scenario models. It accepts
``1.5``, ``{value: 1.5, evidence: [...]}``, ``{uniform: [1.2, 1.8]}``, ``{normal: [1.5, 0.2]}``
(clipped to the field's range), ``{triangular: [1.2, 1.5, 2.0]}`` or ``{choice: [1.2, 1.5]}``
(optionally with ``weights``), each of the mapping forms optionally with ``evidence`` and ``note``.
``Fixed(low, high)`` is a plain number with the same checks, for the elements of pairs such as a
shock's ``front: [low, high]``.
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import math
from typing import Annotated, Any

from pydantic import PlainValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from .distributions import Choice, Distribution, Normal, Triangular, Uniform

__all__ = ["DIST_KEYS", "Fixed", "Num", "describe_range"]

DIST_KEYS = ("uniform", "normal", "triangular", "choice")
_EXTRA_KEYS = ("evidence", "note", "weights")


# Cached: a pure function of its arguments, asked for every number of every scenario validated (a
# sensitivity screen validates hundreds of variants), though its words are read only on an error.
@functools.lru_cache(maxsize=1024)
def describe_range(low: float, high: float, integer: bool = False) -> str:
    """Words for a range, as used in error messages and the docs."""
    kind = "a whole number" if integer else "a number"
    if math.isinf(high):
        return f"{kind} >= {_fmt(low)}"
    return f"{kind} between {_fmt(low)} and {_fmt(high)}"


def _fmt(x: float) -> str:
    return f"{x:g}" if abs(x) < 1e6 or abs(x) >= 1e15 else f"{x:,.0f}"


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _number(value: Any, what: str, expected: str) -> float:
    # Message templates are filled by pydantic with str(), so values are quoted here.
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise PydanticCustomError("param", "{what} must be a number, got {got}",
                                  {"what": what, "got": _short(value), "expected": expected})
    try:
        x = float(value)
    except OverflowError:
        raise PydanticCustomError("param", "{what} {got} is too large",
                                  {"what": what, "got": _short(value), "expected": expected}) from None
    if math.isnan(x):
        raise PydanticCustomError("param", "{what} is NaN", {"what": what, "expected": expected})
    if math.isinf(x):
        raise PydanticCustomError("param", "{what} is infinite", {"what": what, "expected": expected})
    return x


def _in_range(x: float, low: float, high: float, integer: bool, what: str) -> None:
    expected = describe_range(low, high, integer)
    if not (low <= x <= high):
        raise PydanticCustomError("param", "{what} {x} is out of range",
                                  {"what": what, "x": _fmt(x), "expected": expected})
    if integer and x != int(x):
        raise PydanticCustomError("param", "{what} {x} is not a whole number",
                                  {"what": what, "x": x, "expected": expected})


def _parse(value: Any, low: float, high: float, integer: bool) -> float | Distribution:
    expected = describe_range(low, high, integer) + " or a distribution (uniform, normal, triangular, choice)"
    if isinstance(value, dict):
        dist_keys = [k for k in value if k in DIST_KEYS]
        unknown = [k for k in value if k not in (*DIST_KEYS, *_EXTRA_KEYS, "value")]
        if unknown:
            raise PydanticCustomError(
                "param", "unknown key {key} in a parameter{hint}",
                {"key": repr(unknown[0]), "hint": _did_you_mean(unknown[0]), "expected": "one of value, uniform, normal, triangular, choice, "
                 "with optional evidence and note"})
        if "value" in value:
            if dist_keys:
                raise PydanticCustomError("param", "give either value or a distribution, not both",
                                          {"expected": expected})
            x = _number(value["value"], "value", expected)
            _in_range(x, low, high, integer, "value")
            return int(x) if integer else x
        if len(dist_keys) != 1:
            raise PydanticCustomError("param", "a parameter mapping needs exactly one of value, uniform, "
                                      "normal, triangular, choice", {"expected": expected})
        kind = dist_keys[0]
        return _parse_dist(kind, value[kind], value.get("weights"), low, high, integer)
    x = _number(value, "value", expected)
    _in_range(x, low, high, integer, "value")
    return int(x) if integer else x


def _did_you_mean(key: Any) -> str:
    close = difflib.get_close_matches(str(key), [*DIST_KEYS, *_EXTRA_KEYS, "value"], n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def _args(raw: Any, kind: str, n: int, names: tuple[str, ...]) -> list[float]:
    shape = f"[{', '.join(names)}]"
    if isinstance(raw, dict):
        missing = [k for k in names if k not in raw]
        extra = [k for k in raw if k not in names]
        if missing or extra:
            raise PydanticCustomError("param", "{kind} needs keys {shape}",
                                      {"kind": kind, "shape": shape, "expected": f"{kind}: {shape}"})
        raw = [raw[k] for k in names]
    if not isinstance(raw, list) or len(raw) != n:
        raise PydanticCustomError("param", "{kind} takes {n} numbers {shape}",
                                  {"kind": kind, "n": n, "shape": shape, "expected": f"{kind}: {shape}"})
    return [_number(v, f"{kind} {name}", f"{kind}: {shape}") for v, name in zip(raw, names, strict=True)]


def _parse_dist(kind: str, raw: Any, weights: Any, low: float, high: float,
                integer: bool) -> Distribution:
    dist = _parse_dist_values(kind, raw, weights, low, high, integer)
    return dataclasses.replace(dist, integer=True) if integer else dist


def _parse_dist_values(kind: str, raw: Any, weights: Any, low: float, high: float,
                       integer: bool) -> Distribution:
    if kind == "uniform":
        a, b = _args(raw, kind, 2, ("low", "high"))
        if a > b:
            raise PydanticCustomError("param", "uniform low {a} is above high {b}",
                                      {"a": a, "b": b, "expected": "low <= high"})
        for x in (a, b):
            _in_range(x, low, high, integer and False, "uniform bound")
        return Uniform(a, b)
    if kind == "normal":
        mean, sd = _args(raw, kind, 2, ("mean", "sd"))
        _in_range(mean, low, high, False, "normal mean")
        if sd < 0:
            raise PydanticCustomError("param", "normal sd {sd} is negative", {"sd": sd, "expected": "sd >= 0"})
        return Normal(mean, sd, low, high)
    if kind == "triangular":
        a, c, b = _args(raw, kind, 3, ("low", "mode", "high"))
        if not a <= c <= b:
            raise PydanticCustomError("param", "triangular needs low <= mode <= high, got {v}",
                                      {"v": [a, c, b], "expected": "low <= mode <= high"})
        for x in (a, b):
            _in_range(x, low, high, False, "triangular bound")
        return Triangular(a, c, b)
    # choice
    if not isinstance(raw, list) or not raw:
        raise PydanticCustomError("param", "choice takes a non-empty list of values",
                                  {"expected": "choice: [v1, v2, ...]"})
    values = tuple(_number(v, "choice value", describe_range(low, high, integer)) for v in raw)
    for x in values:
        _in_range(x, low, high, integer, "choice value")
    w = None
    if weights is not None:
        if not isinstance(weights, list) or len(weights) != len(values):
            raise PydanticCustomError("param", "choice weights must list one weight per value",
                                      {"expected": f"{len(values)} non-negative weights"})
        w = tuple(_number(x, "weight", "a number >= 0") for x in weights)
        if any(x < 0 for x in w) or not 0 < sum(w) < math.inf:
            raise PydanticCustomError("param", "choice weights must be >= 0, not all zero, with a finite sum",
                                      {"expected": "non-negative weights with a positive, finite sum"})
    return Choice(values, w)


def _json_schema(low: float, high: float, integer: bool) -> dict[str, Any]:
    num: dict[str, Any] = {"type": "integer" if integer else "number", "minimum": low}
    if not math.isinf(high):
        num["maximum"] = high
    extras = {"evidence": {"type": "array", "items": {"type": "string"}}, "note": {"type": "string"}}
    pair = {"type": "array", "items": {"type": "number"}, "minItems": 2, "maxItems": 2}
    return {
        "anyOf": [
            num,
            {"type": "object", "properties": {"value": num, **extras}, "required": ["value"],
             "additionalProperties": False},
            {"type": "object", "properties": {"uniform": pair, **extras}, "required": ["uniform"],
             "additionalProperties": False},
            {"type": "object", "properties": {"normal": pair, **extras}, "required": ["normal"],
             "additionalProperties": False},
            {"type": "object", "properties": {
                "triangular": {"type": "array", "items": {"type": "number"}, "minItems": 3, "maxItems": 3},
                **extras}, "required": ["triangular"], "additionalProperties": False},
            {"type": "object", "properties": {
                "choice": {"type": "array", "items": {"type": "number"}, "minItems": 1},
                "weights": {"type": "array", "items": {"type": "number", "minimum": 0}}, **extras},
             "required": ["choice"], "additionalProperties": False},
        ],
        "description": describe_range(low, high, integer) + ", or a distribution",
    }


def Num(low: float = -math.inf, high: float = math.inf, *, integer: bool = False) -> Any:
    """Field type for a numeric parameter in ``[low, high]`` that may be a distribution."""
    return Annotated[
        float | Distribution,
        PlainValidator(lambda v: _parse(v, low, high, integer)),
        WithJsonSchema(_json_schema(low, high, integer)),
    ]


def _fixed(value: Any, low: float, high: float, integer: bool) -> float | int:
    expected = describe_range(low, high, integer)
    if isinstance(value, dict):
        raise PydanticCustomError("param", "must be a plain number here, got {got}",
                                  {"got": _short(value), "expected": expected + " (not a distribution)"})
    x = _number(value, "value", expected)
    _in_range(x, low, high, integer, "value")
    return int(x) if integer else x


def Fixed(low: float = -math.inf, high: float = math.inf, *, integer: bool = False) -> Any:
    """Field type for a plain number in ``[low, high]`` that can not be a distribution (tuple elements).

    It gets the checks of :func:`Num`: a number, finite, in range, whole if ``integer``.
    """
    schema: dict[str, Any] = {"type": "integer" if integer else "number", "minimum": low,
                              "description": describe_range(low, high, integer)}
    if not math.isinf(high):
        schema["maximum"] = high
    return Annotated[int if integer else float, PlainValidator(lambda v: _fixed(v, low, high, integer)),
                     WithJsonSchema(schema)]

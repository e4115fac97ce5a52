"""Format errors: pydantic's validation errors in the words of a YAML file, each with its file and line."""

from __future__ import annotations

import copy
import dataclasses
import difflib
import re
import types
import typing
from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel, ValidationError

from ..errors import PathPart, Problem
from ..messages import length_message
from ..schema import ScenarioSpec
from ..yamlsource import LineMap
from .paths import _short
from .references import _cross_problems


def _pydantic_problems(exc: ValidationError, source: str, lines: LineMap,
                       silenced: Iterable[tuple[PathPart, ...]] = (), root: Any = None) -> list[Problem]:
    """Pydantic's errors as problems; errors at or below a ``silenced`` path (told otherwise) are left out.
    ``root`` is the model validated (default: the scenario's), for the keys and descriptions expected."""
    problems = []
    seen = set()
    silenced = list(silenced)
    for err in exc.errors():
        loc = tuple(err["loc"])
        if any(loc[:len(s)] == s for s in silenced):
            continue
        kind = err["type"]
        if loc and loc[-1] == "[key]":
            # A mapping key of the wrong type (e.g. anchors need numbers as keys), or not an id.
            loc = loc[:-1]
            if kind != "id":
                err = {**err, "msg": "this key " + err["msg"].replace("Input should be", "should be")}
        ctx = err.get("ctx") or {}
        path = loc
        expected = ""
        if kind == "missing":
            path, key = loc[:-1], loc[-1]
            message = f"missing required key {key!r}"
            expected = _field_description(loc, root) or "this key"
        elif kind == "extra_forbidden":
            path, key = loc[:-1], loc[-1]
            allowed = _allowed_keys(path, root)
            message = f"unknown key {key!r}"
            close = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.6)
            if close:
                message += f"; did you mean {close[0]!r}?"
            expected = "one of: " + ", ".join(allowed) if allowed else "no such key"
        elif kind in ("param", "id"):
            message = err["msg"]
            expected = str(ctx.get("expected", ""))
        elif kind == "literal_error":
            message = f"{err['input']!r} is not allowed"
            expected = str(ctx.get("expected", ""))
        elif kind in ("too_short", "too_long"):
            message, expected = length_message(kind, ctx, err.get("input"))
        else:
            message = f"{_plain(err['msg'])}, got {_short(err.get('input'))}"
            expected = _EXPECTED.get(kind, "")
        key = (path, message)
        if key in seen:
            continue
        seen.add(key)
        # An unknown key is reported on its own line, though its path is the mapping it is in.
        at = loc if kind == "extra_forbidden" else path
        located = _locate(Problem(source, None, tuple(at), message, expected), source, lines)
        problems.append(dataclasses.replace(located, path=tuple(path)))
    return problems


_PLAIN = [
    (re.compile(r"a valid dictionary or instance of \w+"), "a mapping"),
    (re.compile(r"a valid dictionary"), "a mapping"),
    (re.compile(r"a valid (tuple|list)"), "a list"),
    (re.compile(r"a valid string"), "text"),
    (re.compile(r"a valid boolean"), "true or false"),
]


def _plain(msg: str) -> str:
    """Pydantic's message in the words of a YAML file (mapping, list, text)."""
    msg = msg.replace("Input should be", "should be")
    for pattern, words in _PLAIN:
        msg = pattern.sub(words, msg)
    return msg


_EXPECTED = {
    "string_type": "text", "dict_type": "a mapping (key: value)", "model_type": "a mapping (key: value)",
    "bool_type": "true or false", "bool_parsing": "true or false", "list_type": "a list",
    "tuple_type": "a list", "float_type": "a number", "float_parsing": "a number",
    "int_type": "a whole number", "int_parsing": "a whole number", "date_from_datetime_parsing": "a date YYYY-MM-DD",
    "date_parsing": "a date YYYY-MM-DD", "date_type": "a date YYYY-MM-DD",
}


def _in_order(problems: list[Problem], source: str) -> list[Problem]:
    """Problems of the file itself first, then those of the files it extends, each by line."""
    return sorted(problems, key=lambda p: (p.file != source, p.file, p.line or 0))


def _locate(problem: Problem, source: str, lines: LineMap) -> Problem:
    if problem.file and problem.line:
        return problem
    path = problem.path
    for n in range(len(path), -1, -1):
        where = lines.get(tuple(path[:n]))
        if where:
            return dataclasses.replace(problem, file=where[0], line=where[1])
    return dataclasses.replace(problem, file=source)


def _unwrap(annotation: Any) -> Any:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            inner = _unwrap(arg)
            if inner is not type(None):
                return inner
    return annotation


def _model_at(loc: tuple[PathPart, ...], root: Any = None) -> Any:
    cur: Any = root or ScenarioSpec
    for part in loc:
        cur = _unwrap(cur)
        if isinstance(cur, type) and issubclass(cur, BaseModel):
            info = cur.model_fields.get(str(part))
            if info is None:
                return None
            cur = info.annotation
        elif typing.get_origin(cur) in (dict, tuple, list):
            args = typing.get_args(cur)
            cur = args[-1] if typing.get_origin(cur) is dict else args[0]
        else:
            return None
    return _unwrap(cur)


def _allowed_keys(path: tuple[PathPart, ...], root: Any = None) -> list[str]:
    model = _model_at(path, root)
    if isinstance(model, type) and issubclass(model, BaseModel):
        return list(model.model_fields)
    return []


def _field_description(loc: tuple[PathPart, ...], root: Any = None) -> str:
    model = _model_at(loc[:-1], root)
    if isinstance(model, type) and issubclass(model, BaseModel):
        info = model.model_fields.get(str(loc[-1]))
        if info is not None and info.description:
            return info.description.rstrip(".")
    return ""


def _cross_problems_despite(data: dict[str, Any], exc: ValidationError) -> list[Problem]:
    """Broken references in a scenario that also has format errors, so that one run reports both.

    The values with format errors are left out (where a default or the rest of a mapping can stand in)
    and the rest is checked; problems that touch a left-out value are dropped as consequences. If a
    value can not be left out safely, references are checked only once the format is right.
    """
    pruned = copy.deepcopy(data)
    removed: list[tuple[PathPart, ...]] = []
    for err in exc.errors():
        loc = tuple(err["loc"])
        if loc and loc[-1] == "[key]":
            loc = loc[:-1]
        if not loc or not (err["type"] == "extra_forbidden" or _can_leave_out(loc)):
            return []
        cur = pruned
        for part in loc[:-1]:
            cur = cur.get(part) if isinstance(cur, dict) else None
        if not isinstance(cur, dict):
            return []
        cur.pop(loc[-1], None)
        removed.append(loc)
    try:
        spec = ScenarioSpec.model_validate(pruned)
    except ValidationError:
        return []

    def related(path: tuple[PathPart, ...]) -> bool:
        return any(path[:len(r)] == r or r[:len(path)] == path for r in removed)

    return [p for p in _cross_problems(spec) if not related(p.path)]


def _can_leave_out(loc: tuple[PathPart, ...]) -> bool:
    """Whether the value at ``loc`` can be dropped without dropping anything others refer to."""
    parent = _model_at(loc[:-1])
    if isinstance(parent, type) and issubclass(parent, BaseModel):
        info = parent.model_fields.get(str(loc[-1]))
        return info is not None and not info.is_required() and _is_scalar(info.annotation)
    if typing.get_origin(parent) is dict:
        return _is_scalar(typing.get_args(parent)[-1])
    return False


def _is_scalar(annotation: Any) -> bool:
    inner = _unwrap(annotation)
    if isinstance(inner, type) and issubclass(inner, BaseModel):
        return False
    return typing.get_origin(inner) not in (dict, tuple, list)


"""Design points of one scenario simulated in one batched model.

A sweep or a sensitivity design has many points of few runs each; simulated one model per point,
a point of ten runs pays the model's per-round cost (a few milliseconds, a hundred rounds) as much
as a point of five hundred. Points that differ only in numbers can share a batch instead: the
model holds every number as an array over its runs (:mod:`sim.model.params`), so runs of several
points are runs of one batch whose parameter arrays are the points' arrays end to end, and a run's
record is the one it has alone (its seed and its point's parameters decide it).

That holds only for numbers the model reads from the run parameters. A number the model reads
straight from the scenario (a grid size, the prior behind a belief grid) cannot differ within a
batch; in the batch's scenario every number that differs between the points is replaced by a
marker that refuses to be used (:class:`VariesAcrossPoints`), and points whose batch trips on it,
or that differ in anything but numbers (a label, a flag, a list's length), are simulated one
model each. ``tests/test_design_batch.py`` checks that a batch gives each point's own records for
every numeric parameter of the shipped scenarios.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from pydantic import BaseModel

from ..scenario import Scenario
from .params import ParamNode, RunParams, build_params

__all__ = ["VariesAcrossPoints", "batch_params"]


class VariesAcrossPoints(Exception):
    """A number that differs between the design points of a batch was read from the scenario itself:
    the points cannot share the batch (they are simulated apart)."""


class _Differs(Exception):
    """The points differ in something other than numbers."""


class _Varies:
    """Stands for a number that differs between the points of a batch.

    It holds the points' values. An operation on it is done for each point; when every point gets
    the same answer (``bool(x)`` where every value is nonzero, ``x != 1.0`` where none is 1), that
    answer is what each point alone would compute, and it is returned; otherwise the points cannot
    share the batch and :class:`VariesAcrossPoints` is raised.
    """

    __slots__ = ("path", "values")

    def __init__(self, path: str, values: Sequence[Any]):
        self.path, self.values = path, tuple(values)

    def __repr__(self) -> str:
        return f"<varies across design points: {self.path}>"

    def _refuse(self) -> VariesAcrossPoints:
        return VariesAcrossPoints(f"{self.path} differs between the design points of a batch and is read "
                                  "from the scenario, not from the run parameters")

    def __getattr__(self, name: str) -> Any:
        raise self._refuse()

    def __array__(self, *args: Any, **kwargs: Any) -> Any:
        raise self._refuse()

    def __hash__(self) -> int:
        raise self._refuse()


def _agreed(operation: str) -> Any:
    def apply(self: _Varies, *args: Any) -> Any:
        answers = [getattr(v, operation)(*args) for v in self.values]
        if all(type(a) is type(answers[0]) and a == answers[0] for a in answers[1:]):
            return answers[0]
        raise self._refuse()
    apply.__name__ = operation
    return apply


for _operation in ("__bool__", "__float__", "__int__", "__index__", "__eq__", "__ne__", "__lt__", "__le__", "__gt__",
                   "__ge__", "__add__", "__radd__", "__sub__", "__rsub__", "__mul__", "__rmul__", "__truediv__",
                   "__rtruediv__", "__floordiv__", "__rfloordiv__", "__pow__", "__rpow__", "__neg__", "__abs__",
                   "__round__", "__mod__", "__rmod__", "__format__"):
    setattr(_Varies, _operation, _agreed(_operation))


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _same(values: Sequence[Any]) -> bool:
    first = values[0]
    return all(type(v) is type(first) and v == first for v in values[1:])


def _merge_spec(values: Sequence[Any], path: str) -> Any:
    """The points' scenario blocks as one, with a marker where a number differs."""
    if _same(values):
        return values[0]
    first = values[0]
    if any(type(v) is not type(first) for v in values):
        raise _Differs(path)
    if _is_number(first):
        return _Varies(path, values)
    if isinstance(first, BaseModel):
        update = {}
        for name in type(first).model_fields:
            items = [getattr(v, name) for v in values]
            if not _same(items):
                update[name] = _merge_spec(items, f"{path}.{name}" if path else name)
        return first.model_copy(update=update)
    if isinstance(first, Mapping):
        if any(list(v) != list(first) for v in values):
            raise _Differs(path)
        return type(first)({k: _merge_spec([v[k] for v in values], f"{path}.{k}") for k in first})
    if isinstance(first, tuple | list):
        if any(len(v) != len(first) for v in values):
            raise _Differs(path)
        return type(first)(_merge_spec([v[i] for v in values], f"{path}[{i}]") for i in range(len(first)))
    raise _Differs(path)


def _merge_tree(nodes: Sequence[Any], spec: Any) -> Any:
    """The points' parameter trees as one: arrays end to end, the batch's scenario blocks inside."""
    first = nodes[0]
    if isinstance(first, np.ndarray):
        values = np.concatenate(nodes)
        values.setflags(write=False)
        return values
    if isinstance(first, ParamNode):
        names = [name for name in vars(first) if name not in ("spec", "_drawn")]
        fields = {name: _merge_tree([getattr(n, name) for n in nodes], getattr(spec, name, None)) for name in names}
        # A number that differs between the points differs between the batch's runs: it counts as drawn
        # (the model may otherwise read a fixed number from the batch's first run).
        varies = {name for name in names if isinstance(getattr(first, name), np.ndarray)
                  and not all(np.array_equal(getattr(n, name), getattr(first, name)) for n in nodes[1:])}
        return ParamNode(spec, fields, first._drawn | varies)
    if isinstance(first, Mapping):
        return {k: _merge_tree([n[k] for n in nodes], spec[k] if isinstance(spec, Mapping) else None)
                for k in first}
    if isinstance(first, tuple):
        return tuple(_merge_tree([n[i] for n in nodes], spec[i] if isinstance(spec, tuple | list) else None)
                     for i in range(len(first)))
    # Texts, flags and tuples of numbers are read as they are: where the points differ, the batch's
    # scenario holds the marker.
    return first if _same(nodes) else spec


def batch_params(scenarios: Sequence[Scenario], seeds: Sequence[Sequence[int]]) -> tuple[Scenario, RunParams] | None:
    """The scenario and the run parameters of one batch holding the runs ``seeds[k]`` of each point
    ``scenarios[k]``, in that order; None when the points differ in more than numbers (they are
    then simulated apart)."""
    try:
        spec = _merge_spec([s.spec for s in scenarios], "")
    except _Differs:
        return None
    parts = [build_params(s, list(k)) for s, k in zip(scenarios, seeds, strict=True)]
    params = object.__new__(RunParams)
    params.runs = sum(p.runs for p in parts)
    params.drawn = {path: np.concatenate([p.drawn[path] for p in parts]) for path in parts[0].drawn}
    params.tree = _merge_tree([p.tree for p in parts], spec)
    # The longest run of any point: a run's draws are the same whatever the length of its streams.
    params.max_talks_rounds = max(p.max_talks_rounds for p in parts)
    params.max_rounds = max(p.max_rounds for p in parts)
    return dataclasses.replace(scenarios[0], spec=spec), params

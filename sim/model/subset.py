"""A round's talks played on the runs that are talking, not on the whole batch.

Once most runs of a batch have a deal, they sit in its aftermath window (a few arrays a round)
while a few others still talk; the talks' candidate evaluation costs in proportion to the runs it
is given, so evaluating the whole batch for those few spent most of a batch's time on runs whose
answers were thrown away. :func:`take` gives a copy of the talks (and of everything they read: the
parties, the mediators, the views of the other arenas, the streams) holding only the chosen runs;
the talks evaluate the round on it and scatter the answer back with :func:`put`.

This is sound because a run's numbers never depend on the other runs of its batch (every run draws
from its own streams, and every formula works run by run): the copy is a smaller batch. The copy is
thrown away after the round, so nothing it writes reaches the model; what the round decides is
returned and written back by the talks.

The rule that picks the per-run state, in one place: every numpy array whose first axis is the
batch's runs is per run, and so is an ``int`` attribute named ``runs`` (the batch size); arrays that
are the same in every run are named in :data:`SHARED` and those with the runs on their second axis
in :data:`RUNS_SECOND`. Any other array is an error (:class:`SubsetError`) rather than a guess,
so a new piece of state must be declared here before the talks can run on a subset;
``tests/test_subset.py`` plays every shipped scenario both ways and compares the records.
"""

from __future__ import annotations

import copy
import functools
import types
from typing import Any

import mesa
import numpy as np
from pydantic import BaseModel

from .caches import BatchCache
from .events import EventSink
from .params import ParamNode

__all__ = ["RUNS_SECOND", "SHARED", "SubsetError", "put", "take"]

#: Arrays that are the same in every run, as ``Class.attribute`` (a list's or dict's items go by its name).
SHARED = frozenset({
    "Party.before_ceasefire",
    "Coalition.needs_consent", "Coalition.is_lead",
    "Talks.resolve_prior", "Talks.fixed_candidates", "Talks.frontier_weights",
    "Assessor.open_issues", "Armistice.open_issues", "Armistice.spread", "Agenda.items",
    "Route.fallback", "Route.once",
})

#: Arrays indexed by party first and run second, as ``Class.attribute``.
RUNS_SECOND = frozenset({"Talks.power"})

#: Objects shared as they are: the model (agents point back to it), the story (it is told at full
#: size after the round) and the validated scenario's blocks (immutable, and hold no arrays).
_AS_THEY_ARE = (mesa.Model, EventSink, BaseModel)


class SubsetError(TypeError):
    """State the subset rule cannot place: an array neither per run nor declared shared."""


def take(root: Any, rows: np.ndarray, runs: int) -> Any:
    """A copy of ``root`` and of every object it reaches, with the per-run state of runs ``rows`` only.

    ``runs`` is the batch's size. Objects reached twice are copied once, so the copy keeps the
    original's sharing (the talks' parties are the assessor's parties).
    """
    return _Taker(np.asarray(rows), runs).take(root, type(root).__name__)


def put(values: Any, rows: np.ndarray, runs: int) -> Any:
    """The answer of a subset scattered back to the whole batch: an array's row ``i`` goes to run
    ``rows[i]``, other runs get zeros (empty text, False); tuples, lists and dataclass-like objects
    are scattered field by field, anything else is returned as it is."""
    if isinstance(values, np.ndarray):
        if values.ndim == 0 or values.size == 0:  # nothing per run (the story's views, kept only when told)
            return values
        out = np.zeros((runs, *values.shape[1:]), dtype=values.dtype)
        if values.dtype == object:
            out[:] = ""
        out[rows] = values
        return out
    if isinstance(values, tuple):
        return type(values)(*(put(v, rows, runs) for v in values)) if hasattr(values, "_fields") else \
            tuple(put(v, rows, runs) for v in values)
    if isinstance(values, list):
        return [put(v, rows, runs) for v in values]
    if hasattr(values, "__dataclass_fields__"):
        return type(values)(**{k: put(getattr(values, k), rows, runs) for k in values.__dataclass_fields__})
    return values


#: Values taken as they are, by exact type (the common case first, without a chain of isinstance).
_PLAIN = frozenset({str, int, float, bool, frozenset, type(None), np.float64, np.int64, np.bool_})


@functools.cache
def _copies_plainly(kind: type) -> bool:
    """Whether ``copy.copy`` of an instance of ``kind`` is a new instance with the same ``__dict__``
    (no ``__copy__``, ``__reduce_ex__``, ``__getstate__`` or ``__slots__`` of its own): then the copy
    is made directly, which is several times faster, and the same."""
    return (getattr(kind, "__copy__", None) is None and kind.__reduce_ex__ is object.__reduce_ex__
            and kind.__getstate__ is object.__getstate__ and not hasattr(kind, "__slots__"))


@functools.cache
def _state_name(cls: str, attr: str) -> str:
    return f"{cls}.{attr}"


class _TakenOnRead:
    """A scenario block's parameters (:class:`~sim.model.params.ParamNode`) taken one attribute at a time,
    on first read.

    The talks reach the whole parameter tree (every actor's drawn numbers, the coalition members',
    the shocks') but a round reads a few of its arrays; copying all of them cost a fifth of a
    round in which a few runs talk. A value read is taken by the same rule as everything else, once.
    """

    def __init__(self, block: ParamNode, taker: _Taker):
        object.__setattr__(self, "_block", block)
        object.__setattr__(self, "_taker", taker)

    def __getattr__(self, attr: str) -> Any:
        value = getattr(self._block, attr)
        if attr.startswith("__") or type(value) in _PLAIN:
            return value
        taken = self._taker.take(value, _state_name("ParamNode", attr))
        object.__setattr__(self, attr, taken)
        return taken

    def __repr__(self) -> str:
        return f"{self._block!r} (runs taken)"


class _Taker:
    def __init__(self, rows: np.ndarray, runs: int):
        self.rows, self.runs = rows, runs
        self.memo: dict[int, Any] = {}

    def take(self, obj: Any, name: str) -> Any:
        if type(obj) in _PLAIN:
            return obj
        key = id(obj)
        if key in self.memo:
            return self.memo[key]
        out = self._take(obj, name)
        self.memo[key] = out
        return out

    def _take(self, obj: Any, name: str) -> Any:
        kind = type(obj)
        if isinstance(obj, (str, int, float, frozenset)):  # subclasses of the plain types
            return obj
        if isinstance(obj, np.ndarray):
            return self._array(obj, name)
        if isinstance(obj, list):
            return [self.take(v, name) for v in obj]
        if isinstance(obj, tuple):
            if all(type(v) in _PLAIN for v in obj):  # a record of plain values (the streams' requests)
                return obj
            items = [self.take(v, name) for v in obj]
            return type(obj)(*items) if hasattr(obj, "_fields") else tuple(items)
        if isinstance(obj, dict):
            return {k: self.take(v, name) for k, v in obj.items()}
        if isinstance(obj, types.MethodType):
            return types.MethodType(obj.__func__, self.take(obj.__self__, type(obj.__self__).__name__))
        if isinstance(obj, _AS_THEY_ARE) or not kind.__module__.startswith("sim.") or not hasattr(obj, "__dict__"):
            return obj
        if kind is ParamNode:
            return _TakenOnRead(obj, self)
        if kind is BatchCache:  # the batch's store, read at these rows (sim.model.caches)
            return obj.taken(self.rows)
        if _copies_plainly(kind):
            new = object.__new__(kind)
            new.__dict__.update(obj.__dict__)
        else:
            new = copy.copy(obj)
        self.memo[id(obj)] = new  # before its attributes: they may point back to it
        cls = kind.__name__
        for attr, value in vars(obj).items():
            if attr == "model":
                continue
            if attr == "runs" and type(value) is int:
                taken: Any = len(self.rows) if value == self.runs else value
            else:
                taken = self.take(value, _state_name(cls, attr))
            if taken is not value:
                object.__setattr__(new, attr, taken)  # also for frozen dataclasses (the views)
        return new

    def _array(self, a: np.ndarray, name: str) -> np.ndarray:
        if name in SHARED or a.ndim == 0:
            return a
        if name in RUNS_SECOND:
            if a.ndim < 2 or a.shape[1] != self.runs:
                raise SubsetError(f"{name}: shape {a.shape} has not the {self.runs} runs on its second axis")
            return a[:, self.rows]
        if a.shape[0] != self.runs:
            raise SubsetError(f"{name}: an array of shape {a.shape} is neither per run ({self.runs} runs on its "
                              "first axis) nor declared in sim.model.subset.SHARED")
        return a[self.rows]

"""The run's typed parameters: the scenario's tree with every number an array over the runs.

Built once per batch from the validated scenario. The tree has the scenario's own shape and names
(``params.front.decisiveness``, ``params.actors["russia"].party.resolve``,
``params.shocks[sid].effects.positions[0].by``), so an arena reads what it needs by attribute: a
misspelt name fails when the arena is built, not in some later round. A number given as a
distribution holds the run's drawn values; a fixed number holds the same value in every run. Arrays
are read-only: state that changes is copied from them.

Plain tuples of numbers (a shock's ``front`` range, a suspension's ``rounds``) cannot be
distributions; they become tuples of arrays. Texts, flags and ids stay as they are. A drawn parameter comes from
its own stream, ``param:<key path>`` (:mod:`sim.streams`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from pydantic import BaseModel

from ..distributions import Choice, Normal, Triangular, Uniform, draw
from ..errors import PathPart, format_path
from ..scenario import Scenario
from ..streams import draw_once

__all__ = ["ParamNode", "RunParams", "build_params", "window_rounds"]

_DISTRIBUTIONS = (Uniform, Normal, Triangular, Choice)


class ParamNode:
    """One block of the scenario (an actor, the front, a shock, ...) with per-run arrays for numbers."""

    def __init__(self, spec: BaseModel, fields: dict[str, Any], drawn: frozenset[str]):
        self.spec = spec
        self._drawn = drawn
        for name, value in fields.items():
            setattr(self, name, value)

    def is_drawn(self, name: str) -> bool:
        """Whether this block's number ``name`` is drawn per run (rather than fixed)."""
        return name in self._drawn

    def __repr__(self) -> str:
        return f"ParamNode({type(self.spec).__name__})"


class RunParams:
    """The parameters of a batch of runs: the tree, the drawn values by key path, and the batch size."""

    def __init__(self, scenario: Scenario, seeds: Sequence[int]):
        self.runs = len(seeds)
        distributions = scenario.distributions()
        self.drawn: dict[str, np.ndarray] = {
            path: draw(dist, draw_once(seeds, f"param:{path}")) for path, dist in distributions.items()}
        for values in self.drawn.values():
            values.setflags(write=False)
        self.tree: Any = self._convert(scenario.spec, ())
        horizon, weeks = distributions.get("horizon.rounds"), distributions.get("horizon.round_weeks")
        # The longest run the scenario allows (its longest horizon, then the longest aftermath window:
        # the window's years in the shortest rounds), not the longest in this batch: every run's draws
        # must have the same shapes whatever batch it is in.
        self.max_talks_rounds = (int(draw(horizon, np.array([1.0 - 1e-12]))[0]) if horizon is not None
                                 else int(scenario.spec.horizon.rounds))
        shortest = (float(draw(weeks, np.array([1e-12]))[0]) if weeks is not None
                    else float(scenario.spec.horizon.round_weeks))
        self.max_rounds = self.max_talks_rounds + int(window_rounds(scenario.spec.durability.window_years, shortest))

    def _number(self, value: Any, path: tuple[PathPart, ...]) -> np.ndarray:
        key = format_path(path)
        if key in self.drawn:
            return self.drawn[key]
        values = np.full(self.runs, float(value))
        values.setflags(write=False)
        return values

    def _convert(self, value: Any, path: tuple[PathPart, ...]) -> Any:
        if isinstance(value, BaseModel):
            fields, drawn = {}, set()
            for name in type(value).model_fields:
                item = getattr(value, name)
                fields[name] = self._convert_field(item, (*path, name))
                if isinstance(item, _DISTRIBUTIONS):
                    drawn.add(name)
            return ParamNode(value, fields, frozenset(drawn))
        if isinstance(value, Mapping):
            return {key: self._convert_field(item, (*path, key)) for key, item in value.items()}
        if isinstance(value, tuple | list):
            # A tuple of numbers (a shock's front range, a suspension's rounds) is a tuple of arrays.
            return tuple(self._convert(item, (*path, i)) if isinstance(item, BaseModel)
                         else self._number(item, (*path, i)) if isinstance(item, int | float) and not isinstance(item, bool)
                         else item for i, item in enumerate(value))
        return value

    def _convert_field(self, value: Any, path: tuple[PathPart, ...]) -> Any:
        if isinstance(value, _DISTRIBUTIONS) or (isinstance(value, int | float) and not isinstance(value, bool)):
            return self._number(value, path)
        return self._convert(value, path)


def window_rounds(years: float, round_weeks: Any) -> Any:
    """Rounds of an aftermath window of ``years`` at ``round_weeks`` weeks a round (a started round counts)."""
    return np.ceil(np.asarray(years) * 52.0 / np.asarray(round_weeks) - 1e-9).astype(int)


def build_params(scenario: Scenario, seeds: Sequence[int]) -> RunParams:
    """The typed parameters of the runs with these seeds."""
    return RunParams(scenario, seeds)


"""Experimental designs: which scenario variants an experiment runs (grids and Latin hypercubes).

A design is a list of :class:`sim.experiment.Point`: a scenario with some values fixed at key paths,
and those values (which become columns of the results table, named by their key path).
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import yaml

from .distributions import draw
from .experiment import Point
from .messages import param_problem
from .scenario import Scenario

__all__ = ["grid", "latin_hypercube", "parse_assignment"]


def parse_assignment(text: str) -> tuple[str, list[Any]]:
    """Parse ``key.path=v1,v2,...`` (values read as YAML scalars) into the path and its values."""
    if "=" not in text:
        raise ValueError(f"--set {text!r}: expected key.path=value1,value2,...")
    path, _, raw = text.partition("=")
    path = path.strip()
    if not path or not raw.strip():
        raise ValueError(f"--set {text!r}: expected key.path=value1,value2,...")
    try:
        values = [yaml.safe_load(v) for v in _split_values(raw)]
    except yaml.YAMLError:
        raise ValueError(f"--set {text!r}: a value is not valid YAML (expected key.path=value1,value2,...)") from None
    if not values:
        raise ValueError(f"--set {text!r}: no values (expected key.path=value1,value2,...)")
    return path, values


def _split_values(raw: str) -> list[str]:
    """The comma-separated values of --set, where a comma inside [...] or {...} belongs to one value."""
    values, depth, start = [], 0, 0
    for i, char in enumerate(raw):
        depth += (char in "[{") - (char in "]}")
        if char == "," and depth <= 0:
            values.append(raw[start:i].strip())
            start = i + 1
    values.append(raw[start:].strip())  # the last value, or an unclosed bracket for YAML to refuse
    return [v for v in values if v]


def grid(scenario: Scenario, axes: Mapping[str, Sequence[Any]]) -> list[Point]:
    """Every combination of the given values (a full factorial grid), each a validated scenario.

    Examples:
        >>> points = grid(baseline, {"actors.united_states.backer.backstop": [0.2, 0.6, 1.0]})  # doctest: +SKIP
    """
    # A column must have one type in the results table: 0 and 0.5 on one axis are both floats.
    axes = {name: [float(v) if isinstance(v, int) and not isinstance(v, bool)
                   and any(isinstance(w, float) for w in values) else v for v in values]
            for name, values in axes.items()}
    names = list(axes)
    points = []
    for combo in itertools.product(*(axes[n] for n in names)):
        values = dict(zip(names, combo, strict=True))
        points.append(Point(scenario.with_overrides(values), values))
    return points


def latin_hypercube(scenario: Scenario, n: int, *, seed: int = 0, params: Sequence[str] | None = None) -> list[Point]:
    """``n`` points spread over the scenario's declared distributions by Latin hypercube sampling.

    Each chosen parameter (all declared distributions, or those named in ``params``) is fixed at a
    stratified quantile of its own distribution; the others keep their distributions.
    """
    from scipy.stats import qmc

    declared = scenario.distributions()
    chosen = list(params) if params else list(declared)
    if problem := param_problem(list(declared), params, scenario.name):
        raise ValueError(problem)
    if not chosen:
        raise ValueError(f"{scenario.name} declares no distributions to sample")
    unit = qmc.LatinHypercube(d=len(chosen), seed=np.random.default_rng(seed)).random(n)
    points = []
    for row in unit:
        values = {p: float(draw(declared[p], np.array([u]))[0]) for p, u in zip(chosen, row, strict=True)}
        values = {p: int(v) if declared[p].integer else v for p, v in values.items()}
        points.append(Point(scenario.with_overrides(values), values))
    return points

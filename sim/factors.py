"""The factors of a sensitivity analysis: which numbers of a scenario vary, over what, and in which group.

A factor is one numeric parameter (a key path) with what it is sampled from: its declared
distribution, a uniform range given with ``--range``, or (``--all-params``) a uniform range spread
around its fixed value. Every number of the typed scenario is found by walking it together with its
schema, so a parameter left at its default is a parameter too; each field's allowed range comes from
its ``Num``/``Fixed`` type (:mod:`sim.params`).

Not factors: labels, dates, ids, booleans and evidence (not numbers, or not read by the model), the
solver's numerical settings (:data:`SOLVER_SETTINGS`: how finely the model searches and holds beliefs,
not what it assumes), and the horizon (:data:`SHAPE`: it sets the scale of the outcome measures).
"""

from __future__ import annotations

import difflib
import math
import warnings
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .distributions import Distribution, Uniform
from .errors import ScenarioError, UnreadSetting, format_path
from .messages import key_path_problem
from .numeric_fields import NumericField, numeric_fields
from .scenario import Scenario

__all__ = ["DEFAULT_SPREAD", "GROUPINGS", "SHAPE", "SOLVER_SETTINGS", "Factor", "NumericField", "all_factors",
           "choose_factors", "excluded", "factor_table", "group_of", "numeric_fields", "parse_range", "spread_range",
           "top_factors"]

DEFAULT_SPREAD = 0.25
#: Behavioural fields that are numerical settings of the solver, not assumptions about the negotiation.
SOLVER_SETTINGS = frozenset({"institutions.talks.candidates", "institutions.talks.perturbations",
                             "institutions.talks.belief_grid"})
#: Fields that change the design's shape: the measures count rounds against the horizon.
SHAPE = frozenset({"horizon.rounds", "horizon.round_weeks"})
#: Top-level sections whose entries are named (an actor, a shock, a council...): a group is one entry.
_NAMED = frozenset({"actors", "issues", "plans", "sanctions", "shocks", "institutions"})
GROUPINGS = ("section",)


@dataclass(frozen=True)
class Factor:
    """A parameter that varies in the design and the distribution its values are drawn from.

    Attributes:
        path: Its key path.
        dist: What the unit sample is mapped through (its quantile function).
        source: ``"distribution"`` (as the scenario declares it), ``"range"`` (``--range``, replacing a
            declared distribution if there was one) or ``"spread"`` (``--all-params``, around a fixed value).
        value: The scenario's own value: a number, or the declared distribution.
        group: Its Morris group (with ``group_by``), else its own path.
    """

    path: str
    dist: Distribution
    source: str
    value: float | Distribution
    group: str = ""

    def as_row(self) -> dict[str, Any]:
        """One row of ``factors.csv``."""
        low, high = self.dist.bounds
        return {"parameter": self.path, "group": self.group or self.path, "source": self.source,
                "low": float(low), "high": float(high), "integer": bool(self.dist.integer),
                "distribution": repr(self.dist),
                "scenario_value": repr(self.value) if isinstance(self.value, Distribution) else float(self.value)}


def group_of(path: str) -> str:
    """The section a parameter belongs to: an entry of a named collection (``actors.russia``,
    ``institutions.coalition``, ``shocks.talks_stall``), else its top-level section (``front``, ``durability``)."""
    parts = path.replace("[", ".[").split(".")
    if parts[0] in _NAMED and len(parts) > 2:
        return f"{parts[0]}.{parts[1]}"
    return parts[0]


# ---------------------------------------------------------------------------------------------
# ranges


def spread_range(x: float, field: NumericField, spread: float = DEFAULT_SPREAD) -> tuple[float, float]:
    """The range of a fixed number under ``--all-params``: [x(1-s), x(1+s)] clipped to the field's range.

    At x = 0 a relative spread is empty, so the range is [0, s * the field's upper bound] (s * 1 for
    a field without one). An integer field gets whole ends, taken outward so that x stays inside.

    Examples:
        >>> spread_range(0.4, NumericField("p", 0.4, 0, 1, False))
        (0.3, 0.5)
        >>> spread_range(0.9, NumericField("p", 0.9, 0, 1, False))
        (0.675, 1.0)
    """
    if x == 0:
        low, high = 0.0, spread * (field.high if math.isfinite(field.high) else 1.0)
    else:
        low, high = sorted((x * (1 - spread), x * (1 + spread)))
    low, high = max(low, field.low), min(high, field.high)
    if field.integer:
        return (math.floor(low + 1e-9), math.ceil(high - 1e-9))
    # Rounded so that 0.4 * 0.75 reads 0.3 in factors.csv, not 0.30000000000000004.
    return (round(float(low), 12), round(float(high), 12))


def parse_range(text: str) -> tuple[str, float, float]:
    """Parse ``KEY.PATH=LOW:HIGH`` into the path and its two ends.

    Raises:
        ValueError: not of that form (the message names ``--range`` and the text).
    """
    path, eq, raw = text.partition("=")
    low_text, colon, high_text = raw.partition(":")
    try:
        if not (eq and colon and path.strip()):
            raise ValueError
        low, high = float(low_text), float(high_text)
    except ValueError:
        raise ValueError(f"--range {text}: expected KEY.PATH=LOW:HIGH with two numbers, "
                         "e.g. front.noise=0.005:0.02") from None
    if not (math.isfinite(low) and math.isfinite(high)):
        raise ValueError(f"--range {text}: expected two finite numbers LOW:HIGH")
    return path.strip(), low, high


def _range_problem(scenario: Scenario, fields: Mapping[str, NumericField], path: str, low: float,
                   high: float) -> str | None:
    """What is wrong with ``--range PATH=LOW:HIGH`` on this scenario, or None."""
    if problem := key_path_problem(scenario.spec, path):
        return problem
    if path in SHAPE:
        return "the horizon sets the scale of the outcome measures, so it can not be a factor"
    field = fields.get(path)
    if field is None:
        try:
            value = scenario.value(path)
        except (AttributeError, KeyError, IndexError, TypeError, ValueError):
            value = None
        if value is None:
            return "holds no value in this scenario (expected a path to a number or a distribution)"
        return f"holds {_short(value)}, not a number (expected a path to a number or a distribution)"
    if not low < high:
        return f"LOW {low:g} is not below HIGH {high:g} (expected LOW < HIGH)"
    for end in (low, high):
        if not field.low <= end <= field.high:
            return f"{end:g} is outside the field's range (expected {field.allowed})"
        if field.integer and end != int(end):
            return f"{end:g} is not a whole number (expected {field.allowed})"
    return None


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _end_problem(scenario: Scenario, values: Mapping[str, float]) -> str | None:
    """What makes the scenario with these values invalid or unread, or None if it is a valid variant."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", UnreadSetting)
        try:
            scenario.with_overrides(dict(values))
        except ScenarioError as exc:
            first = exc.problems[0]
            text = f"{format_path(first.path)}: {first.message}" if first.path else first.message
            return text + (f" (expected {first.expected})" if first.expected else "")
    unread = [w for w in caught if issubclass(w.category, UnreadSetting)]
    return str(unread[0].message) if unread else None


# ---------------------------------------------------------------------------------------------
# choosing the factors


def _uniform(low: float, high: float, integer: bool) -> Uniform:
    return Uniform(float(low), float(high), integer=integer)


def choose_factors(scenario: Scenario, *, params: Sequence[str] | None = None,
                   ranges: Sequence[tuple[str, float, float]] = (), all_params: bool = False,
                   spread: float = DEFAULT_SPREAD, group_by: str | None = None) -> list[Factor]:
    """The factors of a sensitivity analysis, checked against the scenario.

    Args:
        scenario: The scenario.
        params: Declared distributions to sample (default: all of them, unless ``ranges`` or
            ``all_params`` choose the factors).
        ranges: ``(path, low, high)``: any numeric parameter, sampled uniformly over [low, high]
            (a declared distribution is replaced by the range).
        all_params: Every numeric parameter (:func:`all_factors`); ``ranges`` still override.
        spread: The relative spread around a fixed value under ``all_params``.
        group_by: ``"section"``: group the factors by :func:`group_of` (for Morris).

    Raises:
        ValueError: a bad path or range (one line naming ``--range`` or ``--param``), or no factors.
    """
    if group_by is not None and group_by not in GROUPINGS:
        raise ValueError(f"--group-by {group_by!r}: expected one of: {', '.join(GROUPINGS)}")
    if not 0 < spread < 1:
        raise ValueError(f"--spread {spread:g}: expected a share between 0 and 1 (such as 0.25)")
    fields = numeric_fields(scenario)
    declared = scenario.distributions()
    factors: dict[str, Factor] = {}
    if all_params:
        factors = {f.path: f for f in all_factors(scenario, spread=spread, fields=fields, skip={p for p, _, _ in ranges})}
    elif params or not ranges:
        if not declared and not params:
            raise ValueError(f"scenario {scenario.name!r} declares no distributions to analyse: give some parameters "
                             "as distributions, e.g. resolve: {uniform: [1.2, 1.9]}, or name numbers with "
                             "--range KEY.PATH=LOW:HIGH or --all-params")
        for p in dict.fromkeys(params or declared):
            if p not in declared:
                close = difflib.get_close_matches(p, list(declared), n=1, cutoff=0.6)
                hint = f"did you mean {close[0]!r}?" if close else f"declared: {', '.join(declared) or 'none'}"
                raise ValueError(f"--param {p!r} is not declared as a distribution in {scenario.name} ({hint}; "
                                 "a fixed number takes --range KEY.PATH=LOW:HIGH)")
            factors[p] = Factor(p, declared[p], "distribution", declared[p])
    for path, low, high in ranges:
        where = f"--range {path}={low:g}:{high:g}"
        if problem := _range_problem(scenario, fields, path, low, high):
            raise ValueError(f"{where}: {problem}")
        for end in (low, high):
            if problem := _end_problem(scenario, {path: int(end) if fields[path].integer else end}):
                raise ValueError(f"{where}: at {end:g} the scenario is invalid: {problem}")
        field = fields[path]
        factors[path] = Factor(path, _uniform(low, high, field.integer), "range", field.value)
    if not factors:
        raise ValueError(f"scenario {scenario.name!r} has no numeric parameter to analyse")
    if group_by:
        factors = {p: Factor(f.path, f.dist, f.source, f.value, group_of(p)) for p, f in factors.items()}
    return list(factors.values())


def all_factors(scenario: Scenario, *, spread: float = DEFAULT_SPREAD, fields: Mapping[str, NumericField] | None = None,
                skip: set[str] | frozenset[str] = frozenset()) -> list[Factor]:
    """Every numeric parameter of the scenario as a factor (``--all-params``).

    A declared distribution keeps its distribution; a fixed number gets :func:`spread_range`. Left
    out: :data:`SOLVER_SETTINGS`, :data:`SHAPE`, the paths in ``skip``, and a number that no range
    can move without making the scenario invalid or unread at one of its ends (saliences must sum
    to 1; a setting of a role an actor does not play is read by no mechanism): see :func:`excluded`.
    """
    return [f for f in _candidates(scenario, spread, fields, skip) if isinstance(f, Factor)]


def excluded(scenario: Scenario, *, spread: float = DEFAULT_SPREAD) -> dict[str, str]:
    """The numeric parameters ``--all-params`` leaves out, each with the reason."""
    return {path: why for path, why in (c for c in _candidates(scenario, spread, None, frozenset())
                                        if not isinstance(c, Factor))}


#: The screen of every numeric parameter (:func:`_screen`) by scenario content and spread: the CLI's
#: ``--all-params`` asks for it twice (the factors, then ``excluded.csv``), and each screen validates
#: the scenario at both ends of some 300 ranges. Keyed by the scenario's digest and file, so it never goes stale.
_SCREENS: dict[tuple[str, str, float], tuple[Factor | tuple[str, str], ...]] = {}


def _candidates(scenario: Scenario, spread: float, fields: Mapping[str, NumericField] | None,
                skip: set[str] | frozenset[str]) -> Iterator[Factor | tuple[str, str]]:
    key = (scenario.digest(), str(scenario.source), spread)
    if key not in _SCREENS:
        if len(_SCREENS) >= 8:
            _SCREENS.clear()
        _SCREENS[key] = tuple(_screen(scenario, spread, fields))
    return (c for c in _SCREENS[key] if (c.path if isinstance(c, Factor) else c[0]) not in skip)


def _screen(scenario: Scenario, spread: float, fields: Mapping[str, NumericField] | None
            ) -> Iterator[Factor | tuple[str, str]]:
    fields = numeric_fields(scenario) if fields is None else fields
    for path, field in fields.items():
        if path in SOLVER_SETTINGS:
            yield path, "a numerical setting of the solver"
            continue
        if path in SHAPE:
            yield path, "the horizon sets the scale of the outcome measures"
            continue
        if isinstance(field.value, Distribution):
            yield Factor(path, field.value, "distribution", field.value)
            continue
        low, high = spread_range(float(field.value), field, spread)
        if low >= high:
            yield path, f"no range around {field.value:g} within {field.allowed}"
            continue
        problem = next((p for end in (low, high)
                        if (p := _end_problem(scenario, {path: int(end) if field.integer else end}))), None)
        if problem:
            yield path, f"invalid at an end of [{low:g}, {high:g}]: {problem}"
            continue
        yield Factor(path, _uniform(low, high, field.integer), "spread", field.value)


def factor_table(factors: Sequence[Factor]) -> list[dict[str, Any]]:
    """The rows of ``factors.csv`` (and of the manifest's factor list)."""
    return [f.as_row() for f in factors]


def top_factors(folder: str | Path, *, top: int = 8, outcome: str = "p_deal"
                ) -> tuple[list[str], list[tuple[str, float, float]]]:
    """The ``top`` factors of an earlier analysis's result folder with the largest total index for ``outcome``
    (Morris ``mu_star``, Sobol ``ST``), as ``--param`` names (declared distributions) and ``--range``
    triples (the ranges they were sampled over), for ``--top-from``. Factors with an index of 0 are
    never taken, so there may be fewer than ``top``.

    Raises:
        ValueError: not a finished sensitivity folder, a grouped screening (its indices are per group),
            or no index for the outcome.
    """
    import pandas as pd

    folder = Path(folder)
    where = f"--top-from {folder}"
    if not (folder / "indices.csv").is_file():
        raise ValueError(f"{where}: no indices.csv (expected the --out folder of a finished sim sensitivity)")
    try:
        indices = pd.read_csv(folder / "indices.csv")
        factors = pd.read_csv(folder / "factors.csv") if (folder / "factors.csv").is_file() else None
    except (OSError, ValueError) as exc:
        raise ValueError(f"{where}: cannot read its tables ({exc})") from None
    if factors is not None and (factors["group"].astype(str) != factors["parameter"].astype(str)).any():
        raise ValueError(f"{where}: a grouped screening (--group-by), whose mu_star is per group, not per "
                         "parameter (expected the folder of an ungrouped Morris run)")
    total = "mu_star" if "mu_star" in indices.columns else "ST"
    if total not in indices.columns or "parameter" not in indices.columns:
        raise ValueError(f"{where}: indices.csv has no mu_star or ST column")
    ranked = indices[indices["outcome"] == outcome].dropna(subset=[total])
    # A factor whose every elementary effect was zero showed no influence: taking it would only break a tie.
    ranked = ranked[ranked[total] > 0]
    if ranked.empty:
        raise ValueError(f"{where}: no factor with {total} above 0 for outcome {outcome!r} there (it did not vary, "
                         "or was not analysed)")
    chosen = list(ranked.sort_values(total, ascending=False)["parameter"].astype(str).head(top))
    rows = {} if factors is None else {str(r.parameter): r for r in factors.itertuples(index=False)}
    params: list[str] = []
    ranges: list[tuple[str, float, float]] = []
    for path in chosen:
        row = rows.get(path)
        if row is None or row.source == "distribution":
            params.append(path)
        else:
            ranges.append((path, float(row.low), float(row.high)))
    return params, ranges

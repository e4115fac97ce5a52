"""The search: inputs checked, PRIM or the tree run over them, and the boxes found."""

from __future__ import annotations

import difflib
import functools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .methods import _inside, _prim, _simplify, _tree_leaves
from .stats import design_points, intervals, prune


class DiscoveryError(ValueError):
    """Discovery cannot run on these inputs (bad outcome expression, no parameter columns, ...)."""


@dataclass(frozen=True)
class Box:
    """Ranges of some parameters, and how the outcome fares inside them.

    Attributes:
        restrictions: key path -> (low, high); a run is in the box if ``low < value < high`` for
            every restricted parameter (``-inf``/``inf`` for an open side).
        coverage: Share of all runs with the outcome that are in the box.
        density: Share of the runs in the box that have the outcome.
        mass: Share of all runs that are in the box.
        outcome: The outcome expression.
        baseline: Share of all runs that have the outcome.
        method: ``prim`` or ``tree``.
        density_ci, mass_ci, coverage_ci: 95% Wilson intervals of those shares, counting design points
            (see :mod:`.stats`).
        p_values: key path -> permutation p-value of each restriction (small: the restriction is real).
        dropped: key path -> p-value of a restriction the search made but the test did not keep.
        points: Design points among the runs considered.
    """

    restrictions: dict[str, tuple[float, float]]
    coverage: float
    density: float
    mass: float
    outcome: str = ""
    baseline: float = math.nan
    method: str = "prim"
    runs: int = field(default=0, compare=False)
    density_ci: tuple[float, float] = (math.nan, math.nan)
    mass_ci: tuple[float, float] = (math.nan, math.nan)
    coverage_ci: tuple[float, float] = (math.nan, math.nan)
    p_values: dict[str, float] = field(default_factory=dict, compare=False)
    dropped: dict[str, float] = field(default_factory=dict, compare=False)
    points: int = 0

    def contains(self, runs: pd.DataFrame) -> np.ndarray:
        """Which rows of a run table fall in the box."""
        inside = np.ones(len(runs), dtype=bool)
        for path, (low, high) in self.restrictions.items():
            x = runs[path].to_numpy(dtype=float)
            inside &= (x > low) & (x < high)
        return inside



# inputs


def evaluate_outcome(runs: pd.DataFrame, outcome: str) -> np.ndarray:
    """The outcome expression evaluated per run, as booleans.

    The expression is a pandas ``DataFrame.eval`` expression over the run table's columns, e.g.
    ``outcome == "deal"`` or ``force_deployed and deal_held == 1``; dotted column names go in
    backquotes (`` `actors.russia.party.resolve` < 1.5 ``). A number column of 0/1 counts as
    true/false (NaN as false).

    Raises:
        DiscoveryError: the expression is invalid or does not give true/false for each run.
    """
    if not outcome or not outcome.strip():
        raise DiscoveryError("--outcome is empty: give an expression such as 'outcome == \"deal\"'")
    try:
        value = runs.eval(outcome)
    except Exception as exc:  # pandas raises many kinds of errors for a bad expression
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        hint = ""
        missing = re.search(r"name '([^']+)' is not defined", detail)
        if missing:
            close = difflib.get_close_matches(missing.group(1), [str(c) for c in runs.columns], n=1, cutoff=0.6)
            hint = f"; did you mean {close[0]!r}?" if close else "; columns are those of runs.parquet"
        raise DiscoveryError(f"--outcome {outcome!r} is not a valid expression over the runs: {detail}{hint}") from None
    if not isinstance(value, pd.Series) or len(value) != len(runs):
        raise DiscoveryError(f"--outcome {outcome!r} does not give true or false for each run "
                             "(expected a comparison such as 'outcome == \"deal\"')")
    if value.dtype == bool:
        return value.to_numpy()
    if pd.api.types.is_numeric_dtype(value):
        numbers = value.to_numpy(dtype=float)
        seen = set(np.unique(numbers[~np.isnan(numbers)]).tolist())
        if seen <= {0.0, 1.0}:
            return np.nan_to_num(numbers, nan=0.0) == 1.0
    raise DiscoveryError(f"--outcome {outcome!r} does not give true or false for each run "
                         f"(it gives {value.dtype} values; compare it, e.g. 'deal_round < 5')")


def input_columns(runs: pd.DataFrame, params: Sequence[str] | None = None, *, pool: bool = False) -> list[str]:
    """The parameter columns to discover over: ``params``, or every varying dotted (key path) column.

    Pooled scenarios (``pool``) need not draw the same parameters: without ``params``, only the columns
    with a value in every run are used (:func:`pooled_leftovers` names the others).

    Raises:
        DiscoveryError: a named column is missing or not numeric, or there is no parameter column.
    """
    if params:
        missing = [p for p in params if p not in runs.columns]
        if missing:
            close = difflib.get_close_matches(missing[0], [str(c) for c in runs.columns], n=1, cutoff=0.6)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise DiscoveryError(f"no column {missing[0]!r} in the runs{hint}")
        bad = [p for p in params if not _numeric(runs[p])]
        if bad:
            raise DiscoveryError(f"column {bad[0]!r} is not numeric; discovery needs number columns")
        return list(params)
    columns = [c for c in runs.columns if "." in str(c) and _numeric(runs[c]) and runs[c].nunique() > 1]
    if pool:
        columns = [c for c in columns if runs[c].notna().all()]
    if not columns:
        raise DiscoveryError("the runs have no varying parameter columns (dotted key paths such as "
                             "actors.<id>.party.resolve): discover over a sweep or sensitivity result, or a "
                             "scenario with distributions, or name columns with --params")
    return columns


def pooled_leftovers(runs: pd.DataFrame, params: Sequence[str] | None = None) -> list[str]:
    """The varying parameter columns a pooled discovery leaves out: drawn in some of the scenarios only."""
    if params:
        return []
    return [c for c in runs.columns if "." in str(c) and _numeric(runs[c]) and runs[c].nunique() > 1
            and runs[c].isna().any()]


def _numeric(column: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(column) or pd.api.types.is_bool_dtype(column)


# ---------------------------------------------------------------------------------------------
# discovery


def discover(runs: pd.DataFrame, outcome: str, *, params: Sequence[str] | None = None, method: str = "prim",
             alpha: float = 0.05, min_mass: float = 0.05, threshold: float = 0.5, paste: bool = True,
             depth: int = 3, max_boxes: int = 1, simplify: float = 0.01, level: float = 0.05,
             shuffles: int = 999, seed: int = 0, pool: bool = False) -> list[Box]:
    """Boxes of parameter ranges where the outcome is common, best first (an empty list if none).

    Args:
        runs: A run table (one row per run) with parameter columns.
        outcome: pandas expression evaluated per run (see :func:`evaluate_outcome`).
        params: Parameter columns to use (default: every varying dotted column).
        method: ``"prim"`` or ``"tree"``.
        alpha: PRIM: share of the box's runs peeled (or pasted) per step.
        min_mass: Smallest share of all runs a box may hold (PRIM's stop; the tree's smallest leaf).
        threshold: PRIM: smallest coverage of the chosen box.
        paste: PRIM: widen the chosen box again while its density does not fall.
        depth: Tree: depth.
        max_boxes: At most this many boxes. PRIM looks for the next box among the runs outside the
            earlier ones (covering; its density and coverage count only those runs); the tree gives
            its leaves where the outcome is the majority, largest coverage first.
        simplify: Drop a restriction whose removal changes the density by less than this.
        level: Keep only restrictions whose permutation p-value (see :mod:`.stats`) is at most this;
            a box with none left is no box.
        shuffles: Shuffles of the outcome over design points per test; ``seed`` seeds them.
        pool: Discover over the runs of several scenarios together (a ``scenario`` column with more
            than one value); without it that is an error.

    Examples:
        >>> boxes = discover(table, 'outcome == "deal"')  # doctest: +SKIP
        >>> print(describe_box(boxes[0]))  # doctest: +SKIP
    """
    _check_options(method, alpha=alpha, min_mass=min_mass, threshold=threshold, simplify=simplify, depth=depth,
                   max_boxes=max_boxes)
    if not 0 < level < 1 or shuffles < 1:
        raise DiscoveryError(f"level {level} must be between 0 and 1 and shuffles {shuffles} at least 1")
    _check_pooling(runs, pool)
    y = evaluate_outcome(runs, outcome)
    columns = input_columns(runs, params, pool=pool)
    X = runs[columns].to_numpy(dtype=float)
    if np.isnan(X).any():
        why = " (it is not drawn in every pooled scenario)" if pool else ""
        raise DiscoveryError(f"column {columns[int(np.isnan(X).any(axis=0).argmax())]!r} has missing values{why}")
    n, positives = len(y), int(y.sum())
    if positives == 0 or positives == n:
        which = "none" if positives == 0 else "all"
        raise DiscoveryError(f"--outcome {outcome!r} is true in {which} of the {n:,} runs: nothing to discover")
    baseline = positives / n
    min_count = max(1, math.ceil(min_mass * n))
    units = design_points(X)
    test = functools.partial(prune, X, y, units, level=level, shuffles=shuffles, seed=seed)
    if method == "prim":
        found = _prim_boxes(X, y, baseline, test, alpha=alpha, min_count=min_count, threshold=threshold,
                            paste=paste, simplify=simplify, max_boxes=max_boxes)
    else:
        found = _tree_boxes(X, y, baseline, test, depth=depth, min_count=min_count, simplify=simplify,
                            max_boxes=max_boxes)
    return [_box(X, y, units, columns, item, outcome=outcome, method=method) for item in found]


def _box(X: np.ndarray, y: np.ndarray, units: np.ndarray, columns: list[str], item, *, outcome: str,
         method: str) -> Box:
    """A found box with its shares, their intervals and the p-values of its restrictions."""
    lo, hi, considered, p_values, dropped = item
    inside = considered & _inside(X, lo, hi)
    n, positives = len(y), int(y.sum())
    restrictions = {c: (float(lo[j]), float(hi[j])) for j, c in enumerate(columns)
                    if np.isfinite(lo[j]) or np.isfinite(hi[j])}
    # With one parameter varying (a grid), the runs of a point differ only by chance: count runs.
    (density_ci, mass_ci, coverage_ci), _ = intervals(y, inside, units if X.shape[1] > 1 else np.arange(n))
    points = len(np.unique(units))
    return Box(restrictions, coverage=float(y[inside].sum() / positives),
               density=float(y[inside].mean()), mass=float(inside.sum() / n), outcome=outcome,
               baseline=positives / n, method=method, runs=n, density_ci=density_ci, mass_ci=mass_ci,
               coverage_ci=coverage_ci, p_values={columns[j]: p for j, p in p_values.items()},
               dropped={columns[j]: p for j, p in dropped.items()}, points=points)


def _check_pooling(runs: pd.DataFrame, pool: bool) -> None:
    """Refuse a table of several scenarios (a compare folder) unless pooling is asked for."""
    if pool or "scenario" not in runs.columns:
        return
    names = [str(name) for name in pd.unique(runs["scenario"])]
    if len(names) > 1:
        raise DiscoveryError(f"the runs hold {len(names)} scenarios ({', '.join(names)}); discovery would pool "
                             "them: pass --pool (pool=True) to do so, or discover over one scenario's runs")


def _check_options(method: str, *, alpha: float, min_mass: float, threshold: float, simplify: float, depth: int,
                   max_boxes: int) -> None:
    """Raise :class:`DiscoveryError` for an unknown method or an option out of its range."""
    if method not in ("prim", "tree"):
        raise DiscoveryError(f"unknown method {method!r} (expected prim or tree)")
    for name, value, low, high in (("alpha", alpha, 0, 0.5), ("min_mass", min_mass, 0, 1),
                                   ("threshold", threshold, 0, 1), ("simplify", simplify, 0, 1)):
        if not low <= value <= high or (name in ("alpha", "min_mass") and value == 0):
            raise DiscoveryError(f"{name} {value} is out of range (expected a share between {low} and {high})")
    if depth < 1 or max_boxes < 1:
        raise DiscoveryError("depth and max_boxes must be at least 1")


Found = list[tuple]  # (low, high, runs considered, p-values kept, p-values dropped) per box


def _prim_boxes(X: np.ndarray, y: np.ndarray, baseline: float, test, *, alpha: float, min_count: int, threshold: float,
                paste: bool, simplify: float, max_boxes: int) -> Found:
    """PRIM boxes, each sought among the runs outside the earlier ones (covering)."""
    n = len(y)
    found: Found = []
    remaining = np.ones(n, dtype=bool)
    while len(found) < max_boxes and y[remaining].any():
        lo, hi = _prim(X[remaining], y[remaining], alpha=alpha, min_count=min_count, threshold=threshold,
                       paste=paste)
        lo, hi = _simplify(X[remaining], y[remaining], lo, hi, simplify)
        lo, hi, p_values, dropped = test(remaining, lo, hi)
        inside = remaining & _inside(X, lo, hi)
        if not np.isfinite(np.r_[lo, hi]).any() or y[inside].mean() <= max(y[remaining].mean(), baseline):
            break  # no box, or one where the outcome is no more common than overall
        found.append((lo, hi, remaining.copy(), p_values, dropped))
        remaining &= ~inside
    return found


def _tree_boxes(X: np.ndarray, y: np.ndarray, baseline: float, test, *, depth: int, min_count: int, simplify: float,
                max_boxes: int) -> Found:
    """The tree's leaves where the outcome is the majority (or else the best leaf above the baseline)."""
    n = len(y)
    found: Found = []
    leaves = _tree_leaves(X, y, depth=depth, min_count=min_count)
    better = [leaf for leaf in leaves if y[leaf[2]].mean() > baseline]
    good = [leaf for leaf in better if y[leaf[2]].mean() >= 0.5]
    if not good:
        good = sorted(better, key=lambda leaf: -y[leaf[2]].mean())[:1]
    good.sort(key=lambda leaf: -y[leaf[2]].sum())
    for lo, hi, _ in good[:max_boxes]:
        lo, hi = _simplify(X, y, lo, hi, simplify)
        lo, hi, p_values, dropped = test(np.ones(n, dtype=bool), lo, hi)
        if not np.isfinite(np.r_[lo, hi]).any():
            continue  # no restriction is real
        if not any(np.array_equal(lo, a) and np.array_equal(hi, b) for a, b, *_ in found):
            found.append((lo, hi, np.ones(n, dtype=bool), p_values, dropped))
    return found

"""The search: inputs checked, PRIM or the tree run over them, and the boxes found."""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .methods import _inside, _prim, _simplify, _tree_leaves


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
    """

    restrictions: dict[str, tuple[float, float]]
    coverage: float
    density: float
    mass: float
    outcome: str = ""
    baseline: float = math.nan
    method: str = "prim"
    runs: int = field(default=0, compare=False)

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


def input_columns(runs: pd.DataFrame, params: Sequence[str] | None = None) -> list[str]:
    """The parameter columns to discover over: ``params``, or every varying dotted (key path) column.

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
    if not columns:
        raise DiscoveryError("the runs have no varying parameter columns (dotted key paths such as "
                             "actors.<id>.party.resolve): discover over a sweep or sensitivity result, or a "
                             "scenario with distributions, or name columns with --params")
    return columns


def _numeric(column: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(column) or pd.api.types.is_bool_dtype(column)


# ---------------------------------------------------------------------------------------------
# discovery


def discover(runs: pd.DataFrame, outcome: str, *, params: Sequence[str] | None = None, method: str = "prim",
             alpha: float = 0.05, min_mass: float = 0.05, threshold: float = 0.5, paste: bool = True,
             depth: int = 3, max_boxes: int = 1, simplify: float = 0.01) -> list[Box]:
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

    Examples:
        >>> boxes = discover(table, 'outcome == "deal"')  # doctest: +SKIP
        >>> print(describe_box(boxes[0]))  # doctest: +SKIP
    """
    _check_options(method, alpha=alpha, min_mass=min_mass, threshold=threshold, simplify=simplify, depth=depth,
                   max_boxes=max_boxes)
    y = evaluate_outcome(runs, outcome)
    columns = input_columns(runs, params)
    X = runs[columns].to_numpy(dtype=float)
    if np.isnan(X).any():
        raise DiscoveryError(f"column {columns[int(np.isnan(X).any(axis=0).argmax())]!r} has missing values")
    n, positives = len(y), int(y.sum())
    if positives == 0 or positives == n:
        which = "none" if positives == 0 else "all"
        raise DiscoveryError(f"--outcome {outcome!r} is true in {which} of the {n:,} runs: nothing to discover")
    baseline = positives / n
    min_count = max(1, math.ceil(min_mass * n))
    if method == "prim":
        found = _prim_boxes(X, y, baseline, alpha=alpha, min_count=min_count, threshold=threshold, paste=paste,
                            simplify=simplify, max_boxes=max_boxes)
    else:
        found = _tree_boxes(X, y, baseline, depth=depth, min_count=min_count, simplify=simplify,
                            max_boxes=max_boxes)
    boxes = []
    for lo, hi, considered in found:
        inside = considered & _inside(X, lo, hi)
        restrictions = {c: (float(lo[j]), float(hi[j])) for j, c in enumerate(columns)
                        if np.isfinite(lo[j]) or np.isfinite(hi[j])}
        boxes.append(Box(restrictions, coverage=float(y[inside].sum() / positives), density=float(y[inside].mean()),
                         mass=float(inside.sum() / n), outcome=outcome, baseline=baseline, method=method, runs=n))
    return boxes



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


Found = list[tuple[np.ndarray, np.ndarray, np.ndarray]]  # (low, high, runs considered) per box


def _prim_boxes(X: np.ndarray, y: np.ndarray, baseline: float, *, alpha: float, min_count: int, threshold: float,
                paste: bool, simplify: float, max_boxes: int) -> Found:
    """PRIM boxes, each sought among the runs outside the earlier ones (covering)."""
    n = len(y)
    found: Found = []
    remaining = np.ones(n, dtype=bool)
    while len(found) < max_boxes and y[remaining].any():
        lo, hi = _prim(X[remaining], y[remaining], alpha=alpha, min_count=min_count, threshold=threshold,
                       paste=paste)
        lo, hi = _simplify(X[remaining], y[remaining], lo, hi, simplify)
        inside = remaining & _inside(X, lo, hi)
        if not np.isfinite(np.r_[lo, hi]).any() or y[inside].mean() <= max(y[remaining].mean(), baseline):
            break  # no box, or one where the outcome is no more common than overall
        found.append((lo, hi, remaining.copy()))
        remaining &= ~inside
    return found


def _tree_boxes(X: np.ndarray, y: np.ndarray, baseline: float, *, depth: int, min_count: int, simplify: float,
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
        if not any(np.array_equal(lo, a) and np.array_equal(hi, b) for a, b, _ in found):
            found.append((lo, hi, np.ones(n, dtype=bool)))
    return found

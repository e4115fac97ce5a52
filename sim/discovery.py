"""Scenario discovery: which ranges of the uncertain parameters lead to an outcome of interest.

Given a table of runs (a sweep, a sensitivity analysis, or a scenario with distributions), an
outcome written as a pandas expression evaluated per run (``outcome == "ceasefire"``) and the
parameter columns (dotted key paths), find *boxes*: ranges of a few parameters inside which the
outcome is much more common than overall. Two methods:

- ``prim``: the Patient Rule Induction Method (Friedman and Fisher 1999). Start with a box around all
  runs; repeatedly *peel* off the ``alpha`` share (5%) of the runs still inside at the low or the
  high end of one parameter, choosing the peel that raises the outcome's rate in the box the most;
  stop before the box holds less than ``min_mass`` of all runs. Of the boxes on that trajectory, take
  the one with the highest rate (*density*) among those still holding at least ``threshold`` (50%)
  of all runs with the outcome (*coverage*) -- or rather the largest box whose density is within two
  standard errors of that highest one, so that coverage is not given up for a gain noise could
  explain -- then *paste*: widen a bound again while the density does not fall.
  Further boxes (``max_boxes``) are found the same way among the runs outside the earlier ones.
- ``tree``: a shallow classification tree (CART with Gini splits, written here in numpy; depth 3;
  a split whose two leaves are on the same side of the overall rate is pruned): its leaves where
  the outcome is the majority are the boxes.

Both then drop any restriction whose removal changes the density by less than ``simplify`` (one
percentage point) or its standard error, so that a box names only parameters that matter.

A box's *density* is the outcome's rate among the runs in it, its *mass* the share of all runs it
holds and its *coverage* the share of all runs with the outcome that fall in it. A bound lies half
way between the last run kept and the first run cut off, so a box reads ``x < 0.6``.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["Box", "DiscoveryError", "describe_box", "discover", "evaluate_outcome", "input_columns",
           "short_name", "short_names"]

_ROLES = frozenset({"party", "mediator", "guarantor", "eu_member", "influencer"})


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


# ---------------------------------------------------------------------------------------------
# names


_RED_LINE = re.compile(r"red_lines\[(\d+)\]")


def short_name(path: str, scenario_data: Mapping[str, Any] | None = None) -> str:
    """A readable name for a key path: ``actors.russia.party.resolve`` -> ``russia resolve``.

    With the scenario's data, a red line is named by its issue: ``actors.russia.red_lines[1].penalty``
    -> ``russia red line on deployment penalty``.
    """
    text = path
    if scenario_data is not None:
        def issue_of(match: re.Match[str]) -> str:
            actor = path.split(".")[1] if path.startswith("actors.") else ""
            try:
                issue = scenario_data["actors"][actor]["red_lines"][int(match.group(1))]["issue"]
            except (KeyError, IndexError, TypeError):
                return match.group(0)
            return f"red line on {issue}"
        text = _RED_LINE.sub(issue_of, path)
    parts = text.split(".")
    if parts[0] == "actors" and len(parts) >= 3:
        parts = [parts[1], *(p for p in parts[2:] if p not in _ROLES)]
    elif parts[0] == "institutions" and len(parts) >= 3:
        parts = parts[1:]
    return " ".join(parts).replace("_", " ")


def short_names(paths: Sequence[str], scenario_data: Mapping[str, Any] | None = None) -> dict[str, str]:
    """Readable names for key paths; a path whose short name would be shared keeps its full path."""
    names = {p: short_name(p, scenario_data) for p in paths}
    counts: dict[str, int] = {}
    for name in names.values():
        counts[name] = counts.get(name, 0) + 1
    return {p: (n if counts[n] == 1 and n not in paths else p) for p, n in names.items()}


# ---------------------------------------------------------------------------------------------
# inputs


def evaluate_outcome(runs: pd.DataFrame, outcome: str) -> np.ndarray:
    """The outcome expression evaluated per run, as booleans.

    The expression is a pandas ``DataFrame.eval`` expression over the run table's columns, e.g.
    ``outcome == "ceasefire"`` or ``deployment and ceasefire_held == 1``; dotted column names go in
    backquotes (`` `actors.russia.party.resolve` < 1.5 ``). A number column of 0/1 counts as
    true/false (NaN as false).

    Raises:
        DiscoveryError: the expression is invalid or does not give true/false for each run.
    """
    if not outcome or not outcome.strip():
        raise DiscoveryError("--outcome is empty: give an expression such as 'outcome == \"ceasefire\"'")
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
                             "(expected a comparison such as 'outcome == \"ceasefire\"')")
    if value.dtype == bool:
        return value.to_numpy()
    if pd.api.types.is_numeric_dtype(value):
        numbers = value.to_numpy(dtype=float)
        seen = set(np.unique(numbers[~np.isnan(numbers)]).tolist())
        if seen <= {0.0, 1.0}:
            return np.nan_to_num(numbers, nan=0.0) == 1.0
    raise DiscoveryError(f"--outcome {outcome!r} does not give true or false for each run "
                         f"(it gives {value.dtype} values; compare it, e.g. 'ceasefire_round < 5')")


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
                             "actors.russia.party.resolve): discover over a sweep or sensitivity result, or a "
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
        >>> boxes = discover(table, 'outcome == "ceasefire"')  # doctest: +SKIP
        >>> print(describe_box(boxes[0]))  # doctest: +SKIP
    """
    if method not in ("prim", "tree"):
        raise DiscoveryError(f"unknown method {method!r} (expected prim or tree)")
    for name, value, low, high in (("alpha", alpha, 0, 0.5), ("min_mass", min_mass, 0, 1),
                                   ("threshold", threshold, 0, 1), ("simplify", simplify, 0, 1)):
        if not low <= value <= high or (name in ("alpha", "min_mass") and value == 0):
            raise DiscoveryError(f"{name} {value} is out of range (expected a share between {low} and {high})")
    if depth < 1 or max_boxes < 1:
        raise DiscoveryError("depth and max_boxes must be at least 1")
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
    found: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []  # (low, high, runs considered)
    if method == "prim":
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
    else:
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
    boxes = []
    for lo, hi, considered in found:
        inside = considered & _inside(X, lo, hi)
        restrictions = {c: (float(lo[j]), float(hi[j])) for j, c in enumerate(columns)
                        if np.isfinite(lo[j]) or np.isfinite(hi[j])}
        boxes.append(Box(restrictions, coverage=float(y[inside].sum() / positives), density=float(y[inside].mean()),
                         mass=float(inside.sum() / n), outcome=outcome, baseline=baseline, method=method, runs=n))
    return boxes


def _inside(X: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    return ((lo < X) & (hi > X)).all(axis=1)


def _cut(values: np.ndarray, alpha: float, upper: bool) -> float | None:
    """The bound that peels about ``alpha`` of ``values`` off one end (half way between kept and cut)."""
    v = -values if upper else values
    q = np.quantile(v, alpha)
    removed = v < q
    if not removed.any():
        removed = v <= q  # ties at the end: peel them all
    if removed.all():
        return None
    cut = (v[removed].max() + v[~removed].min()) / 2
    return float(-cut if upper else cut)


def _prim(X: np.ndarray, y: np.ndarray, *, alpha: float, min_count: int, threshold: float,
          paste: bool) -> tuple[np.ndarray, np.ndarray]:
    """PRIM's peeling trajectory, the chosen box on it, then pasting; returns (low, high) bounds."""
    n, d = X.shape
    total = y.sum()
    lo, hi = np.full(d, -np.inf), np.full(d, np.inf)
    inside = np.ones(n, dtype=bool)
    trajectory = [(lo.copy(), hi.copy(), inside, y.mean(), 1.0)]
    while True:
        best = None
        for j in range(d):
            for upper in (False, True):
                cut = _cut(X[inside, j], alpha, upper)
                if cut is None:
                    continue
                keep = inside & ((X[:, j] < cut) if upper else (X[:, j] > cut))
                count = keep.sum()
                if count < min_count:
                    continue
                key = (y[keep].mean(), count)  # highest density; on a tie, the larger box
                if best is None or key > best[0]:
                    best = (key, j, upper, cut, keep)
        if best is None:
            break
        _, j, upper, cut, inside = best
        if upper:
            hi[j] = cut
        else:
            lo[j] = cut
        trajectory.append((lo.copy(), hi.copy(), inside, y[inside].mean(), y[inside].sum() / total))
    eligible = [t for t in trajectory if t[4] >= threshold] or trajectory[:1]
    best = max(eligible, key=lambda t: (t[3], t[4]))
    # The largest box whose density is within two standard errors of the best (the best of many noisy
    # densities overstates its box), so that coverage is not traded for a gain noise could explain.
    se = _standard_error(y, best[2])
    lo, hi, *_ = max((t for t in eligible if t[3] >= best[3] - 2 * se), key=lambda t: (t[4], t[3]))
    return _paste(X, y, lo.copy(), hi.copy(), alpha) if paste else (lo, hi)


def _standard_error(y: np.ndarray, inside: np.ndarray) -> float:
    """Standard error of a box's density (binomial, over its runs)."""
    density = y[inside].mean()
    return math.sqrt(density * (1 - density) / max(inside.sum(), 1))


def _paste(X: np.ndarray, y: np.ndarray, lo: np.ndarray, hi: np.ndarray,
           alpha: float) -> tuple[np.ndarray, np.ndarray]:
    """Widen one bound at a time by about ``alpha`` of the box's runs while the density does not fall."""
    while True:
        inside = _inside(X, lo, hi)
        density, step = y[inside].mean(), max(1, math.ceil(alpha * inside.sum()))
        best = None
        for j in range(X.shape[1]):
            others = np.delete(lo, j), np.delete(hi, j)
            along = _inside(np.delete(X, j, axis=1), *others)  # in the box but for parameter j
            for upper in (False, True):
                bound = hi[j] if upper else lo[j]
                if not np.isfinite(bound):
                    continue
                beyond = X[along, j][X[along, j] > bound] if upper else X[along, j][X[along, j] < bound]
                if not len(beyond):
                    continue
                ordered = np.sort(beyond) if upper else -np.sort(-beyond)
                k = min(step, len(ordered))
                while k < len(ordered) and ordered[k] == ordered[k - 1]:
                    k += 1  # keep ties together
                new = np.inf if upper else -np.inf
                if k < len(ordered):
                    new = (ordered[k - 1] + ordered[k]) / 2
                trial_lo, trial_hi = lo.copy(), hi.copy()
                (trial_hi if upper else trial_lo)[j] = new
                trial = y[_inside(X, trial_lo, trial_hi)].mean()
                if trial >= density and (best is None or trial > best[0]):
                    best = (trial, trial_lo, trial_hi)
        if best is None:
            return lo, hi
        _, lo, hi = best


def _simplify(X: np.ndarray, y: np.ndarray, lo: np.ndarray, hi: np.ndarray,
              tolerance: float) -> tuple[np.ndarray, np.ndarray]:
    """Drop restrictions, least useful first, while each drop changes the density by less than ``tolerance``
    (or than the density's standard error, if that is larger)."""
    lo, hi = lo.copy(), hi.copy()
    tolerance = max(tolerance, _standard_error(y, _inside(X, lo, hi)))
    while True:
        density = y[_inside(X, lo, hi)].mean()
        options = []
        for j in np.flatnonzero(np.isfinite(lo) | np.isfinite(hi)):
            trial_lo, trial_hi = lo.copy(), hi.copy()
            trial_lo[j], trial_hi[j] = -np.inf, np.inf
            options.append((abs(density - y[_inside(X, trial_lo, trial_hi)].mean()), j))
        if not options:
            return lo, hi
        loss, j = min(options)
        if loss >= tolerance:
            return lo, hi
        lo[j], hi[j] = -np.inf, np.inf


Leaf = tuple[np.ndarray, np.ndarray, np.ndarray]  # (low, high, runs in the leaf)


def _tree_leaves(X: np.ndarray, y: np.ndarray, *, depth: int, min_count: int) -> list[Leaf]:
    """Leaves of a depth-limited CART tree with Gini splits.

    Two sibling leaves on the same side of the overall rate are merged back (pruned), so that no
    split is kept that does not separate runs more likely than average from runs less likely.
    """
    n, d = X.shape

    baseline = y.mean()

    def grow(rows: np.ndarray, lo: np.ndarray, hi: np.ndarray, level: int) -> list[Leaf]:
        mask = np.zeros(n, dtype=bool)
        mask[rows] = True
        split = None
        if level < depth and 0 < y[rows].sum() < len(rows) and len(rows) >= 2 * min_count:
            split = _best_split(X[rows], y[rows], min_count)
        if split is None:
            return [(lo, hi, mask)]
        j, cut = split
        left_hi, right_lo = hi.copy(), lo.copy()
        left_hi[j], right_lo[j] = min(hi[j], cut), max(lo[j], cut)
        left = grow(rows[X[rows, j] < cut], lo, left_hi, level + 1)
        right = grow(rows[X[rows, j] > cut], right_lo, hi, level + 1)
        if len(left) == len(right) == 1 and (y[left[0][2]].mean() > baseline) == (y[right[0][2]].mean() > baseline):
            return [(lo, hi, mask)]  # prune: the split does not change which side of the baseline the runs are on
        return left + right

    return grow(np.arange(n), np.full(d, -np.inf), np.full(d, np.inf), 0)


def _best_split(X: np.ndarray, y: np.ndarray, min_count: int) -> tuple[int, float] | None:
    """The (column, threshold) whose split most lowers the weighted Gini impurity, if any does."""
    n = len(y)
    p = y.mean()
    best, best_impurity = None, 2 * p * (1 - p) - 1e-12
    sizes = np.arange(1, n)
    for j in range(X.shape[1]):
        order = np.argsort(X[:, j], kind="stable")
        x, hits = X[order, j], np.cumsum(y[order])[:-1]
        p_left = hits / sizes
        p_right = (y.sum() - hits) / (n - sizes)
        impurity = (sizes * 2 * p_left * (1 - p_left) + (n - sizes) * 2 * p_right * (1 - p_right)) / n
        valid = (x[:-1] < x[1:]) & (sizes >= min_count) & (n - sizes >= min_count)
        if not valid.any():
            continue
        i = np.flatnonzero(valid)[np.argmin(impurity[valid])]
        if impurity[i] < best_impurity:
            best, best_impurity = (j, float((x[i] + x[i + 1]) / 2)), impurity[i]
    return best


# ---------------------------------------------------------------------------------------------
# words


def outcome_label(outcome: str) -> str:
    """``outcome == "ceasefire"`` -> ``ceasefire``; any other expression, quoted."""
    match = re.fullmatch(r"\s*outcome\s*==\s*[\"'](\w+)[\"']\s*", outcome)
    return match.group(1) if match else f"'{outcome.strip()}'"


def _num(x: float) -> str:
    return f"{x:,.0f}" if abs(x) >= 1000 else f"{x:.3g}"


def _pct(x: float) -> str:
    return "<1%" if 0 < x < 0.005 else f"{100 * x:.0f}%"


def describe_restriction(name: str, low: float, high: float) -> str:
    """``name < high``, ``name > low`` or ``low < name < high``."""
    if np.isfinite(low) and np.isfinite(high):
        return f"{_num(low)} < {name} < {_num(high)}"
    return f"{name} < {_num(high)}" if np.isfinite(high) else f"{name} > {_num(low)}"


def describe_box(box: Box, *, names: Mapping[str, str] | None = None, label: str | None = None) -> str:
    """A box in words, e.g. ``ceasefire in 71% of runs when russia resolve < 1.3; the box holds 24% ...``.

    Args:
        box: The box.
        names: key path -> readable name (default :func:`short_names` of the box's parameters).
        label: Words for the outcome (default: the outcome name, or the expression quoted).
    """
    names = dict(names or short_names(list(box.restrictions)))
    label = label or outcome_label(box.outcome)
    conditions = " and ".join(describe_restriction(names.get(p, p), low, high)
                              for p, (low, high) in box.restrictions.items()) or "(anywhere)"
    return (f"{label} in {_pct(box.density)} of runs when {conditions}; the box holds {_pct(box.mass)} of all runs "
            f"and covers {_pct(box.coverage)} of all runs with {label} (baseline rate {_pct(box.baseline)})")

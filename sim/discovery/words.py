"""Words: readable names for key paths, and boxes described in a sentence."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from ..schema import ROLES

if TYPE_CHECKING:
    from .search import Box

_ROLES = frozenset(ROLES)

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



def outcome_label(outcome: str) -> str:
    """``outcome == "deal"`` -> ``deal``; any other expression, quoted."""
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
    """A box in words, e.g. ``deal in 71% of runs when russia resolve < 1.3; the box holds 24% ...``.

    Args:
        box: The box.
        names: key path -> readable name (default :func:`short_names` of the box's parameters).
        label: Words for the outcome (default: the outcome name, or the expression quoted).
    """
    names = dict(names or short_names(list(box.restrictions)))
    label = label or outcome_label(box.outcome)
    conditions = " and ".join(describe_restriction(names.get(p, p), low, high)
                              for p, (low, high) in box.restrictions.items()) or "(anywhere)"
    return (f"{label} in {_pct(box.density)}{_ci(box.density_ci)} of runs when {conditions}; the box holds "
            f"{_pct(box.mass)}{_ci(box.mass_ci)} of all runs and covers {_pct(box.coverage)}{_ci(box.coverage_ci)} "
            f"of all runs with {label} (baseline rate {_pct(box.baseline)})")


def _ci(interval: tuple[float, float]) -> str:
    """`` (95% interval 37-92%)``, or nothing for a box without intervals."""
    low, high = interval
    if not (np.isfinite(low) and np.isfinite(high)):
        return ""
    return f" ({_pct(low).rstrip('%')}-{_pct(high)})"


def _p(p: float) -> str:
    return f"p = {p:.3f}" if p >= 0.001 else "p < 0.001"


def describe_tests(box: Box, *, names: Mapping[str, str] | None = None, level: float = 0.05) -> str:
    """How sure the box's restrictions are: each one's permutation p-value, and the ones left out."""
    names = dict(names or short_names([*box.restrictions, *box.dropped]))
    kept = ", ".join(f"{names.get(p, p)} {_p(v)}" for p, v in box.p_values.items())
    text = (f"each restriction tested by shuffling the outcome over the {box.points:,} design points (over runs "
            f"where points differ only in that parameter): {kept}"
            if kept else "")
    if box.dropped:
        left = ", ".join(f"{names.get(p, p)} ({_p(v)})" for p, v in box.dropped.items())
        text += f"; no rule stated on {left}: not clear of chance (p > {level:g} / restrictions in the box)"
    return text

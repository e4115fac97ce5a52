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
    return (f"{label} in {_pct(box.density)} of runs when {conditions}; the box holds {_pct(box.mass)} of all runs "
            f"and covers {_pct(box.coverage)} of all runs with {label} (baseline rate {_pct(box.baseline)})")

"""Messages in the project's words where a library's would leak: key paths given on the command line, and
pydantic's length errors.

Kept apart from the loader so that the command line and the loader share one wording, and so that the
loader's own module stays about loading.
"""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import BaseModel

from .errors import ScenarioError, format_path

__all__ = ["OVERRIDES", "key_path_problem", "length_message", "param_problem", "relabel"]

OVERRIDES = "<overrides>"  # the file name that Scenario.with_overrides gives its problems


def _entries(n: int) -> str:
    return f"{n} entry" if n == 1 else f"{n} entries"


def length_message(kind: str, ctx: Mapping[str, Any], value: Any) -> tuple[str, str]:
    """Message and expectation for a list or mapping of the wrong length (pydantic too_short/too_long)."""
    try:
        n = len(value)
    except TypeError:
        n = ctx.get("actual_length")
    if kind == "too_short":
        low = int(ctx.get("min_length", 0))
        return f"has {_entries(n)}, too few" if n is not None else "too few entries", f"at least {_entries(low)}"
    high = int(ctx.get("max_length", 0))
    return f"has {_entries(n)}, too many" if n is not None else "too many entries", f"at most {_entries(high)}"


def _suggest(word: str, choices: Sequence[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    if close:
        return f"; did you mean {close[0]!r}?"
    if not choices:
        return ""
    # A scenario declares dozens of distributions: a one-line error names the first few and counts the rest.
    shown = ", ".join(choices[:SHOWN_CHOICES])
    more = f", and {len(choices) - SHOWN_CHOICES} more" if len(choices) > SHOWN_CHOICES else ""
    return f" (expected one of: {shown}{more})"


SHOWN_CHOICES = 12
"""How many of the valid names an error message lists."""


def _step(cur: Any, part: Any, done: tuple) -> tuple[Any, str | None]:
    """One step of a key path into the typed scenario: the value reached, or what is wrong."""
    where = format_path(done)
    if isinstance(cur, BaseModel):
        fields = list(type(cur).model_fields)
        if part not in fields:
            return None, f"unknown key {part!r}{_suggest(str(part), fields)}"
        return getattr(cur, part), None
    if isinstance(cur, Mapping):
        if part not in cur:
            keys = [str(k) for k in cur]
            if len(done) == 1 and str(done[0]).endswith("s"):
                # A top-level collection (actors, issues, plans, ...) names its entries by their kind.
                return None, f"no {str(done[0])[:-1]} {part!r}{_suggest(str(part), keys)}"
            return None, f"unknown key {part!r} in {where}{_suggest(str(part), keys)}"
        return cur[part], None
    if isinstance(cur, list | tuple):
        if not isinstance(part, int):
            return None, f"{where} is a list: use [index], not .{part}"
        if part >= len(cur):
            return None, f"{where} has {_entries(len(cur))}, no [{part}] (counted from 0)"
        return cur[part], None
    return None, f"{where} is a single value ({cur!r}), with no key {part!r} inside it"


def key_path_problem(spec: BaseModel, path: str) -> str | None:
    """What is wrong with a dotted key path into a scenario, or None if it leads somewhere.

    Only what the scenario can tell is checked: a path into a part left empty (a role the actor does
    not have) or into a distribution is left to validation of the changed scenario.
    """
    from .scenario.paths import parse_path

    try:
        parts = parse_path(path)
    except ValueError as exc:
        return str(exc)
    cur: Any = spec
    for i, part in enumerate(parts):
        if cur is None or not isinstance(cur, BaseModel | Mapping | list | tuple | str | int | float):
            return None
        cur, problem = _step(cur, part, parts[:i])
        if problem:
            return problem
    return None


def relabel(exc: ScenarioError, place: str) -> ScenarioError:
    """The same problems, with the overrides' stand-in file name replaced by where they came from (--set)."""
    problems = [dataclasses.replace(p, file=place) if p.file == OVERRIDES else p for p in exc.problems]
    return ScenarioError(problems)


def param_problem(declared: Sequence[str], params: Sequence[str] | None, scenario_name: str) -> str | None:
    """What is wrong with ``--param`` names: the first one that is not a declared distribution, or None."""
    for name in params or ():
        if name not in declared:
            hint = _suggest(name, list(declared)) if declared else " (it declares no distributions)"
            return f"--param {name}: not a declared distribution of {scenario_name}{hint}"
    return None

"""Loading scenarios: YAML files, overlays, validation and the frozen :class:`Scenario`.

One way in: ``load_scenario(path)`` reads the file and every file it ``extends``, merges them,
validates the result against :mod:`sim.schema`, checks every cross-reference and evidence id, and
returns an immutable :class:`Scenario`. Every problem found is reported at once, each with its file,
line and key path (:class:`sim.errors.ScenarioError`). Nothing downstream re-checks.
"""

from __future__ import annotations

import copy
import dataclasses
import difflib
import hashlib
import json
import math
import os
import re
import types
import typing
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from .distributions import Choice, Distribution, Normal, Triangular, Uniform
from .errors import PathPart, Problem, ScenarioError, format_path
from .messages import length_message
from .params import DIST_KEYS
from .schema import ScenarioSpec
from .yamlsource import LineMap, parse_yaml_text, read_yaml

__all__ = ["PROJECT_SEEDS", "Scenario", "load_facts", "load_scenario", "scenario_from_yaml"]

#: The project's own facts folder (used when a scenario file has no seeds/ folder above it).
PROJECT_SEEDS = Path(__file__).resolve().parent.parent / "seeds"

DELETE = "$delete"
REPLACE = "$replace"
APPEND = "$append"


@dataclass(frozen=True)
class Scenario:
    """A complete, validated, immutable set of assumptions for one negotiation.

    Attributes:
        spec: The typed scenario (see :mod:`sim.schema`).
        data: The merged scenario as plain data (what ``scenario.resolved.yaml`` holds).
        source: The file it was loaded from, if any.
        facts: Fact id -> fact, from the facts folder the evidence was checked against.
        facts_dir: That folder (variants made with ``with_overrides`` check against it too).
    """

    spec: ScenarioSpec
    data: Mapping[str, Any]
    source: str | None = None
    facts: Mapping[str, Mapping[str, Any]] = field(default_factory=dict, repr=False)
    facts_dir: Path | None = field(default=None, repr=False)

    @property
    def name(self) -> str:
        """The scenario's name."""
        return self.spec.name

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, source: str = "<scenario>",
                  lines: LineMap | None = None, facts_dir: Path | None = None) -> Scenario:
        """Validate plain data (already merged) into a Scenario; raises ScenarioError with every problem."""
        if not isinstance(data, Mapping):
            raise ScenarioError.single(source, f"top level is a {type(data).__name__}, not a mapping",
                                       expected="key: value pairs such as name:, issues:, actors:")
        data = copy.deepcopy(dict(data))
        data.pop("extends", None)
        lines = lines or {}
        facts_key = data.get("facts") if isinstance(data.get("facts"), str) else None
        facts_dir = facts_dir or _find_facts_dir(facts_key, source)
        problems: list[Problem] = []
        if facts_key is not None and facts_dir is not None and not facts_dir.is_dir():
            problems.append(Problem(source, None, ("facts",), f"facts folder {facts_key!r} not found ({facts_dir})",
                                    "a folder of fact files, relative to the scenario file"))
            facts_dir = None
        facts = load_facts(facts_dir) if facts_dir else {}
        # Evidence ids need no valid spec: they are reported together with format errors.
        if not problems:
            problems += _evidence_problems(data, facts, facts_dir)
        try:
            spec = ScenarioSpec.model_validate(data)
        except ValidationError as exc:
            problems[:0] = _pydantic_problems(exc, source, lines) + _cross_problems_despite(data, exc)
            raise ScenarioError(_in_order([_locate(p, source, lines) for p in problems], source)) from None
        problems[:0] = _cross_problems(spec)
        if problems:
            raise ScenarioError(_in_order([_locate(p, source, lines) for p in problems], source))
        return cls(spec=spec, data=data, source=None if source.startswith("<") else source, facts=facts,
                   facts_dir=facts_dir)

    def with_overrides(self, overrides: Mapping[str, Any]) -> Scenario:
        """A new scenario with values replaced at dotted key paths, e.g. ``{"actors.russia.risk": 1.2}``.

        The original is unchanged. Problems are reported against the file ``<overrides>``.

        Raises:
            ScenarioError: a key path does not fit the scenario, or the result is invalid.

        Examples:
            >>> s2 = s.with_overrides({"institutions.coalition.F_min": 5000})  # doctest: +SKIP
        """
        data = copy.deepcopy(dict(self.data))
        for key, value in overrides.items():
            try:
                set_path(data, parse_path(key), value)
            except ValueError as exc:
                raise ScenarioError.single("<overrides>", f"cannot set {key!r}: {exc}",
                                           expected="a dotted key path into the scenario") from None
        facts_dir = self.facts_dir or _find_facts_dir(self.spec.facts, self.source or "<overrides>")
        new = Scenario.from_dict(data, source="<overrides>", facts_dir=facts_dir)
        return dataclasses.replace(new, source=self.source)

    def distributions(self) -> dict[str, Distribution]:
        """Every parameter given as a distribution, by dotted key path."""
        return dict(_walk_distributions(self.spec, ()))

    def value(self, path: str) -> Any:
        """The (validated) value at a dotted key path, e.g. ``"actors.russia.party.resolve"``."""
        cur: Any = self.spec
        for part in parse_path(path):
            cur = cur[part] if isinstance(cur, Mapping | tuple | list) else getattr(cur, str(part))
        return cur

    def digest(self) -> str:
        """SHA-256 of the resolved scenario, for manifests."""
        text = json.dumps(_str_keys(self.data), sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()

    def evidence_table(self) -> list[dict[str, Any]]:
        """Every cited fact: where it is cited, its id, kind and claim (for provenance tables)."""
        rows = []
        for path, ids in _walk_evidence(self.data, ()):
            for fid in ids:
                fact = self.facts.get(fid, {})
                rows.append({"where": format_path(path), "fact": fid, "kind": fact.get("kind", ""),
                             "claim": fact.get("claim", "")})
        return rows


def _str_keys(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _str_keys(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_str_keys(v) for v in value]
    return value


def load_scenario(path: str | Path) -> Scenario:
    """Read, merge (``extends``), validate and freeze a scenario file.

    Raises:
        ScenarioError: every problem found, each with file, line and key path.

    Examples:
        >>> s = load_scenario("scenarios/baseline.yaml")  # doctest: +SKIP
        >>> s.name  # doctest: +SKIP
        'baseline'
    """
    data, lines = _resolve(Path(path), ())
    return Scenario.from_dict(data, source=str(path), lines=lines)


def scenario_from_yaml(text: str, *, base_dir: str | Path = ".", name: str = "<yaml>") -> Scenario:
    """Build a scenario from YAML text (notebooks); ``extends`` is resolved against ``base_dir``."""
    data, lines = parse_yaml_text(text, name)
    if not isinstance(data, dict):
        raise ScenarioError.single(name, "top level is not a mapping", line=1, expected="key: value pairs")
    fake = Path(base_dir) / "__inline__.yaml"
    data, lines = _merge_extends(data, lines, fake, name, (fake.resolve(),))
    facts_key = data.get("facts") if isinstance(data.get("facts"), str) else None
    facts_dir = (Path(base_dir) / facts_key).resolve() if facts_key else (
        _facts_dir_near(Path(base_dir)) or _default_facts())
    return Scenario.from_dict(data, source=name, lines=lines, facts_dir=facts_dir)


# ---------------------------------------------------------------------------------------------
# files and overlays


def _resolve(path: Path, stack: tuple[Path, ...]) -> tuple[dict[str, Any], LineMap]:
    data, lines = read_yaml(path)
    if not isinstance(data, dict):
        raise ScenarioError.single(str(path), f"top level is a {type(data).__name__}, not a mapping",
                                   line=lines.get((), (str(path), 1))[1],
                                   expected="key: value pairs such as name:, issues:, actors:")
    return _merge_extends(data, lines, path, str(path), (*stack, path.resolve()))


def _merge_extends(data: dict[str, Any], lines: LineMap, path: Path, name: str,
                   stack: tuple[Path, ...]) -> tuple[dict[str, Any], LineMap]:
    problems = list(_directive_problems(data, (), lines, name, in_mapping=False))
    if problems:
        raise ScenarioError(problems)
    parent = data.pop("extends", None)
    merged_lines: LineMap = {(): lines[()]} if () in lines else {}
    if parent is None:
        return _take(data, (), (), lines, merged_lines), merged_lines
    line = lines.get(("extends",), (name, None))[1]
    if not isinstance(parent, str) or not parent.strip():
        raise ScenarioError.single(name, "extends must name one file", line=line, path=("extends",),
                                   expected="a path such as baseline.yaml")
    # Shown as the user would write it (scenarios/baseline.yaml); compared resolved.
    shown = Path(os.path.normpath(path.parent / parent))
    target = shown.resolve()
    if target in stack:
        chain = " -> ".join(p.name for p in (*stack, target))
        raise ScenarioError.single(name, f"circular extends: {chain}", line=line, path=("extends",),
                                   expected="a chain of overlays that ends in a full scenario")
    if not target.exists():
        raise ScenarioError.single(name, f"extends {parent!r}: file not found ({target})", line=line,
                                   path=("extends",), expected="a scenario file next to this one")
    if target.is_dir():
        raise ScenarioError.single(name, f"extends {parent!r}: is a directory ({target})", line=line,
                                   path=("extends",), expected="a scenario file next to this one")
    base, base_lines = _resolve(shown, stack)
    merged_lines = {**base_lines, **merged_lines}
    merged = _merge(base, data, (), (), lines, merged_lines)
    if "name" not in data and not name.startswith("<"):
        # An overlay that forgets its name must not pass for its base in tables and plots.
        merged["name"] = path.stem
    return merged, merged_lines


def deep_merge(base: Any, overlay: Any) -> Any:
    """Overlay ``overlay`` on ``base``: mappings merge key by key, anything else replaces.

    Directives in the overlay: ``{$delete: true}`` removes the key, ``{$replace: value}`` replaces a
    mapping whole instead of merging, ``{$append: [items]}`` adds items to a list. A parameter given as
    a mapping (``{value: ..}`` or a distribution such as ``{uniform: [..]}``) is one number: a new
    value or distribution replaces the old one (its ``evidence`` and ``note`` merge as usual).
    """
    return _merge(base, overlay, (), (), {}, {})


_PARAM_NUMBER_KEYS = frozenset((*DIST_KEYS, "value"))
_PARAM_KEYS = _PARAM_NUMBER_KEYS | {"weights", "evidence", "note"}


def _directive(value: Any) -> str | None:
    """The directive a mapping stands for (``{$delete: true}``, ``{$replace: x}``, ``{$append: x}``), if any."""
    if isinstance(value, dict) and len(value) == 1:
        key = next(iter(value))
        if key in (REPLACE, APPEND) or (key == DELETE and value[key] is True):
            return key
    return None


def _is_param(value: Any) -> bool:
    return isinstance(value, dict) and bool(_PARAM_NUMBER_KEYS & set(value)) and set(value) <= _PARAM_KEYS


def _drop(lines: LineMap, prefix: tuple[PathPart, ...], itself: bool = False) -> None:
    n = len(prefix)
    for key in [k for k in lines if k[:n] == prefix and (itself or len(k) > n)]:
        del lines[key]


def _line(olines: LineMap, opath: tuple[PathPart, ...], lines: LineMap, mpath: tuple[PathPart, ...]) -> None:
    if opath in olines:
        lines[mpath] = olines[opath]


def _merge(base: Any, overlay: Any, opath: tuple[PathPart, ...], mpath: tuple[PathPart, ...],
           olines: LineMap, lines: LineMap) -> Any:
    """Merge ``overlay`` (at ``opath`` in its file) onto ``base`` (at ``mpath`` in the result).

    ``lines`` holds the base's lines by result path; the overlay's lines (``olines``, by overlay path)
    are moved in wherever the overlay's values land, and lines of replaced or deleted values dropped.
    """
    kind = _directive(overlay)
    if kind == REPLACE:
        _drop(lines, mpath)
        return _take(overlay[REPLACE], (*opath, REPLACE), mpath, olines, lines)
    if kind == APPEND:
        items = overlay[APPEND]
        sub = (*opath, APPEND)
        pairs = [((*sub, i), item) for i, item in enumerate(items)] if isinstance(items, list) else [(sub, items)]
        if not isinstance(base, list):
            _drop(lines, mpath)
            base = []
        out = list(base)
        for item_path, item in pairs:
            target = (*mpath, len(out))
            _line(olines, item_path, lines, target)
            out.append(_take(item, item_path, target, olines, lines))
        return out
    if isinstance(base, dict) and isinstance(overlay, dict):
        if _is_param(base) and _is_param(overlay):
            for key in _PARAM_NUMBER_KEYS | {"weights"}:
                _drop(lines, (*mpath, key), itself=True)
            base = {k: v for k, v in base.items() if k not in _PARAM_NUMBER_KEYS | {"weights"}}
        out = dict(base)
        for key, value in overlay.items():
            okey, mkey = (*opath, key), (*mpath, key)
            if _directive(value) == DELETE:
                out.pop(key, None)
                _drop(lines, mkey, itself=True)
                continue
            _line(olines, okey, lines, mkey)
            if key in out:
                out[key] = _merge(out[key], value, okey, mkey, olines, lines)
            else:
                out[key] = _take(value, okey, mkey, olines, lines)
        return out
    _drop(lines, mpath)
    return _take(overlay, opath, mpath, olines, lines)


def _take(value: Any, opath: tuple[PathPart, ...], mpath: tuple[PathPart, ...],
          olines: LineMap, lines: LineMap) -> Any:
    """A copy of an overlay value with its directives applied (there is nothing below it to merge with)."""
    kind = _directive(value)
    if kind == REPLACE:
        return _take(value[REPLACE], (*opath, REPLACE), mpath, olines, lines)
    if kind == APPEND:
        return _merge([], value, opath, mpath, olines, lines)
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if _directive(item) == DELETE:
                continue
            _line(olines, (*opath, key), lines, (*mpath, key))
            out[key] = _take(item, (*opath, key), (*mpath, key), olines, lines)
        return out
    if isinstance(value, list):
        items = []
        for i, item in enumerate(value):
            _line(olines, (*opath, i), lines, (*mpath, i))
            items.append(_take(item, (*opath, i), (*mpath, i), olines, lines))
        return items
    return value


def _directive_problems(value: Any, path: tuple[PathPart, ...], lines: LineMap, name: str,
                        in_mapping: bool) -> Iterator[Problem]:
    """Directives used wrongly in one file: unknown ``$`` keys, extra keys beside one, ``$delete`` not true."""
    if isinstance(value, list):
        for i, item in enumerate(value):
            yield from _directive_problems(item, (*path, i), lines, name, in_mapping=False)
        return
    if not isinstance(value, dict):
        return
    for key, item in value.items():
        where = lines.get((*path, key), lines.get(path, (name, None)))
        if isinstance(key, str) and key.startswith("$"):
            if key not in (DELETE, REPLACE, APPEND):
                close = difflib.get_close_matches(key, [DELETE, REPLACE, APPEND], n=1, cutoff=0.6)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                yield Problem(where[0], where[1], path, f"unknown directive {key!r}{hint}",
                              "one of {$delete: true}, {$replace: value}, {$append: [items]}")
            elif len(value) > 1:
                others = ", ".join(str(k) for k in value if k != key)
                yield Problem(where[0], where[1], path, f"{key} must be the only key of its mapping, "
                              f"found also {others}", f"{{{key}: ...}} alone")
            elif key == DELETE and item is not True:
                yield Problem(where[0], where[1], path, f"$delete takes true, got {_short(item)}",
                              "{$delete: true}")
            elif key == DELETE and not in_mapping:
                yield Problem(where[0], where[1], path, "$delete can only remove a key of a mapping",
                              "key: {$delete: true}")
        yield from _directive_problems(item, (*path, key), lines, name, in_mapping=True)


_PATH_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")
_PATH_SYNTAX = re.compile(r"[^.\[\]]+(\[\d+\])*(\.[^.\[\]]+(\[\d+\])*)*")


def parse_path(text: str) -> tuple[PathPart, ...]:
    """Split ``a.b[0].c`` into ``("a", "b", 0, "c")``.

    Raises:
        ValueError: the text is not such a path.
    """
    if not isinstance(text, str) or not _PATH_SYNTAX.fullmatch(text):
        raise ValueError(f"{text!r} is not a key path such as actors.russia.red_lines[0].bound")
    return tuple(int(index) if index else name for name, index in _PATH_PART.findall(text))


def set_path(data: Any, path: tuple[PathPart, ...], value: Any) -> None:
    """Set ``value`` at ``path`` in nested dicts/lists, creating mappings on the way.

    Raises:
        ValueError: the path runs through a value that is not a mapping, or past the end of a list.
    """
    cur = data
    for depth, part in enumerate(path):
        last = depth == len(path) - 1
        if isinstance(cur, dict):
            if last:
                cur[part] = value
            else:
                cur = cur.setdefault(part, {})
        elif isinstance(cur, list) and isinstance(part, int):
            if part >= len(cur):
                raise ValueError(f"{format_path(path[:depth])} has {len(cur)} item(s), no [{part}]")
            if last:
                cur[part] = value
            else:
                cur = cur[part]
        else:
            raise ValueError(f"{format_path(path[:depth])} is {_short(cur)}, not a mapping"
                             + (" (use [index] for a list)" if isinstance(cur, list) else ""))


# ---------------------------------------------------------------------------------------------
# facts


@cache
def load_facts(folder: Path) -> dict[str, dict[str, Any]]:
    """Every fact in the YAML files of a facts folder, by id."""
    facts: dict[str, dict[str, Any]] = {}
    for file in sorted(Path(folder).glob("*.yaml")):
        data, _ = read_yaml(file)
        for fact in (data or {}).get("facts", []) if isinstance(data, dict) else []:
            if isinstance(fact, dict) and "id" in fact:
                facts[str(fact["id"])] = {**fact, "file": file.name}
    return facts


def _facts_dir_near(start: Path) -> Path | None:
    for folder in [start.resolve(), *start.resolve().parents]:
        candidate = folder / "seeds"
        if candidate.is_dir() and any(candidate.glob("*.yaml")):
            return candidate
    return None


def _default_facts() -> Path | None:
    return PROJECT_SEEDS if PROJECT_SEEDS.is_dir() else None


def _find_facts_dir(facts: str | None, source: str) -> Path | None:
    base = Path(source).parent if not source.startswith("<") else Path.cwd()
    if facts:
        return (base / facts).resolve()
    return _facts_dir_near(base) or _default_facts()


def _walk_evidence(value: Any, path: tuple[PathPart, ...]) -> Iterator[tuple[tuple[PathPart, ...], list[Any]]]:
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "evidence" and isinstance(item, list | tuple):
                yield path, list(item)
            else:
                yield from _walk_evidence(item, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _walk_evidence(item, (*path, i))


# ---------------------------------------------------------------------------------------------
# validation


def _pydantic_problems(exc: ValidationError, source: str, lines: LineMap) -> list[Problem]:
    problems = []
    seen = set()
    for err in exc.errors():
        loc = tuple(err["loc"])
        kind = err["type"]
        if loc and loc[-1] == "[key]":
            # A mapping key of the wrong type (e.g. anchors need numbers as keys).
            loc = loc[:-1]
            err = {**err, "msg": "this key " + err["msg"].replace("Input should be", "should be")}
        ctx = err.get("ctx") or {}
        path = loc
        expected = ""
        if kind == "missing":
            path, key = loc[:-1], loc[-1]
            message = f"missing required key {key!r}"
            expected = _field_description(loc) or "this key"
        elif kind == "extra_forbidden":
            path, key = loc[:-1], loc[-1]
            allowed = _allowed_keys(path)
            message = f"unknown key {key!r}"
            close = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.6)
            if close:
                message += f"; did you mean {close[0]!r}?"
            expected = "one of: " + ", ".join(allowed) if allowed else "no such key"
        elif kind == "param":
            message = err["msg"]
            expected = str(ctx.get("expected", ""))
        elif kind == "literal_error":
            message = f"{err['input']!r} is not allowed"
            expected = str(ctx.get("expected", ""))
        elif kind in ("too_short", "too_long"):
            message, expected = length_message(kind, ctx, err.get("input"))
        else:
            message = f"{_plain(err['msg'])}, got {_short(err.get('input'))}"
            expected = _EXPECTED.get(kind, "")
        key = (path, message)
        if key in seen:
            continue
        seen.add(key)
        # An unknown key is reported on its own line, though its path is the mapping it is in.
        at = loc if kind == "extra_forbidden" else path
        located = _locate(Problem(source, None, tuple(at), message, expected), source, lines)
        problems.append(dataclasses.replace(located, path=tuple(path)))
    return problems


_PLAIN = [
    (re.compile(r"a valid dictionary or instance of \w+"), "a mapping"),
    (re.compile(r"a valid dictionary"), "a mapping"),
    (re.compile(r"a valid (tuple|list)"), "a list"),
    (re.compile(r"a valid string"), "text"),
    (re.compile(r"a valid boolean"), "true or false"),
]


def _plain(msg: str) -> str:
    """Pydantic's message in the words of a YAML file (mapping, list, text)."""
    msg = msg.replace("Input should be", "should be")
    for pattern, words in _PLAIN:
        msg = pattern.sub(words, msg)
    return msg


_EXPECTED = {
    "string_type": "text", "dict_type": "a mapping (key: value)", "model_type": "a mapping (key: value)",
    "bool_type": "true or false", "bool_parsing": "true or false", "list_type": "a list",
    "tuple_type": "a list", "float_type": "a number", "float_parsing": "a number",
    "int_type": "a whole number", "int_parsing": "a whole number", "date_from_datetime_parsing": "a date YYYY-MM-DD",
    "date_parsing": "a date YYYY-MM-DD", "date_type": "a date YYYY-MM-DD",
}


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _in_order(problems: list[Problem], source: str) -> list[Problem]:
    """Problems of the file itself first, then those of the files it extends, each by line."""
    return sorted(problems, key=lambda p: (p.file != source, p.file, p.line or 0))


def _locate(problem: Problem, source: str, lines: LineMap) -> Problem:
    if problem.file and problem.line:
        return problem
    path = problem.path
    for n in range(len(path), -1, -1):
        where = lines.get(tuple(path[:n]))
        if where:
            return Problem(where[0], where[1], path, problem.message, problem.expected)
    return Problem(source, problem.line, path, problem.message, problem.expected)


def _unwrap(annotation: Any) -> Any:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            inner = _unwrap(arg)
            if inner is not type(None):
                return inner
    return annotation


def _model_at(loc: tuple[PathPart, ...]) -> Any:
    cur: Any = ScenarioSpec
    for part in loc:
        cur = _unwrap(cur)
        if isinstance(cur, type) and issubclass(cur, BaseModel):
            info = cur.model_fields.get(str(part))
            if info is None:
                return None
            cur = info.annotation
        elif typing.get_origin(cur) in (dict, tuple, list):
            args = typing.get_args(cur)
            cur = args[-1] if typing.get_origin(cur) is dict else args[0]
        else:
            return None
    return _unwrap(cur)


def _allowed_keys(path: tuple[PathPart, ...]) -> list[str]:
    model = _model_at(path)
    if isinstance(model, type) and issubclass(model, BaseModel):
        return list(model.model_fields)
    return []


def _field_description(loc: tuple[PathPart, ...]) -> str:
    model = _model_at(loc[:-1])
    if isinstance(model, type) and issubclass(model, BaseModel):
        info = model.model_fields.get(str(loc[-1]))
        if info is not None and info.description:
            return info.description.rstrip(".")
    return ""


def _cross_problems_despite(data: dict[str, Any], exc: ValidationError) -> list[Problem]:
    """Broken references in a scenario that also has format errors, so that one run reports both.

    The values with format errors are left out (where a default or the rest of a mapping can stand in)
    and the rest is checked; problems that touch a left-out value are dropped as consequences. If a
    value can not be left out safely, references are checked only once the format is right.
    """
    pruned = copy.deepcopy(data)
    removed: list[tuple[PathPart, ...]] = []
    for err in exc.errors():
        loc = tuple(err["loc"])
        if loc and loc[-1] == "[key]":
            loc = loc[:-1]
        if not loc or not (err["type"] == "extra_forbidden" or _can_leave_out(loc)):
            return []
        cur = pruned
        for part in loc[:-1]:
            cur = cur.get(part) if isinstance(cur, dict) else None
        if not isinstance(cur, dict):
            return []
        cur.pop(loc[-1], None)
        removed.append(loc)
    try:
        spec = ScenarioSpec.model_validate(pruned)
    except ValidationError:
        return []

    def related(path: tuple[PathPart, ...]) -> bool:
        return any(path[:len(r)] == r or r[:len(path)] == path for r in removed)

    return [p for p in _cross_problems(spec) if not related(p.path)]


def _can_leave_out(loc: tuple[PathPart, ...]) -> bool:
    """Whether the value at ``loc`` can be dropped without dropping anything others refer to."""
    parent = _model_at(loc[:-1])
    if isinstance(parent, type) and issubclass(parent, BaseModel):
        info = parent.model_fields.get(str(loc[-1]))
        return info is not None and not info.is_required() and _is_scalar(info.annotation)
    if typing.get_origin(parent) is dict:
        return _is_scalar(typing.get_args(parent)[-1])
    return False


def _is_scalar(annotation: Any) -> bool:
    inner = _unwrap(annotation)
    if isinstance(inner, type) and issubclass(inner, BaseModel):
        return False
    return typing.get_origin(inner) not in (dict, tuple, list)


def _mean(value: Any) -> float:
    if isinstance(value, Normal):
        return value.mean
    if isinstance(value, Uniform | Triangular | Choice):
        return value.mean
    return float(value)


def _cross_problems(spec: ScenarioSpec) -> Iterator[Problem]:
    """Every broken reference and inconsistent value, with its key path (file and line added later)."""

    def problem(path: tuple[PathPart, ...], message: str, expected: str = "") -> Problem:
        return Problem("", None, path, message, expected)

    issues = list(spec.issues)
    actors = spec.actors

    def check_actor(ref: str | None, path: tuple[PathPart, ...], role: str | None = None) -> Iterator[Problem]:
        if ref is None:
            return
        if ref not in actors:
            close = difflib.get_close_matches(ref, list(actors), n=1, cutoff=0.6)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            yield problem(path, f"actor {ref!r} is not defined{hint}", "an id under actors: " + ", ".join(actors))
        elif role and role not in actors[ref].roles:
            yield problem(path, f"actor {ref!r} does not have the role {role}",
                          f"an actor with roles including {role}")

    def check_issue(ref: str, path: tuple[PathPart, ...], extra: tuple[str, ...] = ()) -> Iterator[Problem]:
        if ref not in issues and ref not in extra:
            close = difflib.get_close_matches(ref, issues, n=1, cutoff=0.6)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            yield problem(path, f"issue {ref!r} is not defined{hint}", "one of: " + ", ".join((*issues, *extra)))

    measures = spec.institutions.eu_council.measures if spec.institutions.eu_council else {}

    def check_measure(ref: str, path: tuple[PathPart, ...], kind: str | None = None) -> Iterator[Problem]:
        if ref not in measures:
            yield problem(path, f"measure {ref!r} is not defined",
                          "an id under institutions.eu_council.measures" + (": " + ", ".join(measures) if measures else ""))
        elif kind and measures[ref].kind != kind:
            yield problem(path, f"measure {ref!r} is of kind {measures[ref].kind}", f"a measure of kind {kind}")

    talks = spec.institutions.talks
    # These set the size of arrays shared by a batch of runs, so they cannot vary by run.
    for key in ("candidates", "perturbations"):
        if isinstance(getattr(talks, key), Uniform | Normal | Triangular | Choice):
            yield problem(("institutions", "talks", key), f"{key} cannot be a distribution", "a fixed whole number")
    for aid, actor in actors.items():
        base: tuple[PathPart, ...] = ("actors", aid)
        if len(set(actor.roles)) != len(actor.roles):
            yield problem((*base, "roles"), "a role is listed twice", "each role once")
        for key in ("position", "salience"):
            for issue in getattr(actor, key):
                yield from check_issue(issue, (*base, key, issue))
        needs_prefs = "party" in actor.roles or "mediator" in actor.roles
        if needs_prefs:
            for key in ("position", "salience"):
                missing = [i for i in issues if i not in getattr(actor, key)]
                if missing:
                    yield problem((*base, key), f"no {key} for issue(s) {', '.join(missing)}",
                                  f"a {key} for every issue of a {'party' if 'party' in actor.roles else 'mediator'}")
        if actor.salience:
            total = sum(_mean(v) for v in actor.salience.values())
            if not math.isclose(total, 1.0, abs_tol=0.01):
                yield problem((*base, "salience"), f"saliences sum to {total:.3g}", "weights that sum to 1")
        for i, line in enumerate(actor.red_lines):
            yield from check_issue(line.issue, (*base, "red_lines", i, "issue"))
        for role in ("party", "mediator", "guarantor", "eu_member", "influencer"):
            block = getattr(actor, role)
            if block is not None and role not in actor.roles:
                yield problem((*base, role), f"attributes for role {role} but the actor does not have that role",
                              f"{role} listed under roles, or no {role}: block")
        for role in ("guarantor", "influencer"):
            if role in actor.roles and getattr(actor, role) is None:
                yield problem(base, f"role {role} needs a {role}: block", f"{role}: with its attributes")
        if actor.party and actor.party.funding:
            for j, m in enumerate(actor.party.funding.extended_by):
                yield from check_measure(m, (*base, "party", "funding", "extended_by", j), "loan")
        if actor.party and actor.party.ratification:
            for key in actor.party.ratification.weights:
                yield from check_issue(key, (*base, "party", "ratification", "weights", key), ("withdrawal",))
        if actor.mediator and actor.mediator.plan and actor.mediator.plan not in spec.plans:
            yield problem((*base, "mediator", "plan"), f"plan {actor.mediator.plan!r} is not defined",
                          "an id under plans: " + ", ".join(spec.plans) if spec.plans else "a plans: section")
        if actor.eu_member:
            for j, m in enumerate(actor.eu_member.blocks):
                yield from check_measure(m, (*base, "eu_member", "blocks", j))
            if spec.institutions.eu_council is None or aid not in spec.institutions.eu_council.members:
                yield problem((*base, "roles"), "has the role eu_member but is not in institutions.eu_council.members",
                              "the actor listed as a council member")
        if actor.influencer:
            yield from check_actor(actor.influencer.supports, (*base, "influencer", "supports"), "party")
        if actor.guarantor:
            coalition = spec.institutions.coalition
            if coalition is None:
                yield problem((*base, "roles"), "a guarantor needs institutions.coalition", "a coalition: section")
            elif actor.guarantor.force_type not in coalition.force_types:
                yield problem((*base, "guarantor", "force_type"),
                              f"force type {actor.guarantor.force_type!r} is not defined",
                              "one of: " + ", ".join(coalition.force_types))

    tpath: tuple[PathPart, ...] = ("institutions", "talks")
    yield from check_actor(talks.mediator, (*tpath, "mediator"), "mediator")
    if len(set(talks.parties)) != len(talks.parties):
        yield problem((*tpath, "parties"), "a party is listed twice", "each party once")
    for i, p in enumerate(talks.parties):
        yield from check_actor(p, (*tpath, "parties", i), "party")
    for aid, actor in actors.items():
        if "party" in actor.roles and aid not in talks.parties:
            yield problem(("actors", aid, "roles"), "has the role party but is not in institutions.talks.parties",
                          "every party listed in the talks")
    for p in talks.recognition:
        if p not in talks.parties:
            yield problem((*tpath, "recognition", p), f"{p!r} is not a party to the talks",
                          "party ids: " + ", ".join(talks.parties))
    if sum(_mean(v) for v in talks.recognition.values()) > 1 + 1e-9:
        yield problem((*tpath, "recognition"), "recognition chances sum to more than 1", "a total of at most 1")

    council = spec.institutions.eu_council
    if council:
        for i, m in enumerate(council.members):
            yield from check_actor(m, ("institutions", "eu_council", "members", i), "eu_member")

    coalition = spec.institutions.coalition
    if coalition:
        cpath: tuple[PathPart, ...] = ("institutions", "coalition")
        for i, lead in enumerate(coalition.lead_nations):
            yield from check_actor(lead, (*cpath, "lead_nations", i), "guarantor")
        yield from check_actor(coalition.consent_from, (*cpath, "consent_from"), "party")
        yield from check_actor(coalition.backstop_from, (*cpath, "backstop_from"), "mediator")
        yield from check_issue(coalition.deployment_issue, (*cpath, "deployment_issue"))
        yield from check_issue(coalition.guarantees_issue, (*cpath, "guarantees_issue"))
        if _mean(coalition.F_min) > _mean(coalition.F_needed):
            yield problem((*cpath, "F_min"), "F_min is above F_needed", "F_min <= F_needed")

    if spec.front:
        fpath: tuple[PathPart, ...] = ("front",)
        yield from check_issue(spec.front.issue, (*fpath, "issue"))
        yield from check_actor(spec.front.attacker, (*fpath, "attacker"), "party")
        yield from check_actor(spec.front.defender, (*fpath, "defender"), "party")
        if spec.front.attacker == spec.front.defender:
            yield problem((*fpath, "defender"), "attacker and defender are the same actor", "two different parties")

    for pid, plan in spec.plans.items():
        for issue in plan:
            yield from check_issue(issue, ("plans", pid, issue))
        missing = [i for i in issues if i not in plan]
        if missing:
            yield problem(("plans", pid), f"no terms for issue(s) {', '.join(missing)}", "a term for every issue")

    for sid, shock in spec.shocks.items():
        spath: tuple[PathPart, ...] = ("shocks", sid)
        yield from check_actor(shock.when_rejected_by, (*spath, "when_rejected_by"), "party")
        eff = shock.effects
        epath = (*spath, "effects")
        for i, shift in enumerate(eff.positions):
            yield from check_actor(shift.actor, (*epath, "positions", i, "actor"))
            yield from check_issue(shift.issue, (*epath, "positions", i, "issue"))
        for i, change in enumerate(eff.red_lines):
            yield from check_actor(change.actor, (*epath, "red_lines", i, "actor"))
            yield from check_issue(change.issue, (*epath, "red_lines", i, "issue"))
        for i, aid in enumerate(eff.grievance_ends):
            yield from check_actor(aid, (*epath, "grievance_ends", i), "eu_member")
        for key in ("war_cost", "strength"):
            for i, change in enumerate(getattr(eff, key)):
                yield from check_actor(change.actor, (*epath, key, i, "actor"), "party")
        if eff.front and eff.front[0] > eff.front[1]:
            yield problem((*epath, "front"), "low is above high", "[low, high]")
        if eff.suspend_talks and eff.suspend_talks.rounds[0] > eff.suspend_talks.rounds[1]:
            yield problem((*epath, "suspend_talks", "rounds"), "min is above max", "[min, max] rounds")
        elif eff.suspend_talks and eff.suspend_talks.rounds[0] < 1:
            yield problem((*epath, "suspend_talks", "rounds"), f"a suspension of {eff.suspend_talks.rounds[0]} rounds",
                          "at least 1 round")
        if shock.at_round is None and _mean(shock.probability) == 0 and not isinstance(shock.probability, Distribution):
            yield problem(spath, "never fires: probability 0 and no at_round", "a probability > 0 or an at_round")



def _evidence_problems(data: Mapping[str, Any], facts: Mapping[str, Any],
                       facts_dir: Path | None) -> Iterator[Problem]:
    """Every evidence id that is not a fact in the facts folder."""
    for path, ids in _walk_evidence(data, ()):
        for i, fid in enumerate(ids):
            if not isinstance(fid, str):
                yield Problem("", None, (*path, "evidence", i), f"evidence id {fid!r} is not text", "a fact id")
            elif facts_dir is None:
                yield Problem("", None, (*path, "evidence", i), f"cannot check fact {fid!r}: no seeds/ folder found",
                              "a seeds/ folder beside or above the scenario, or facts: FOLDER")
            elif fid not in facts:
                close = difflib.get_close_matches(fid, list(facts), n=1, cutoff=0.6)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                yield Problem("", None, (*path, "evidence", i), f"fact {fid!r} is not in {facts_dir.name}/{hint}",
                              "an id of a fact in the seeds/ files")


def _walk_distributions(value: Any, path: tuple[PathPart, ...]) -> Iterator[tuple[str, Distribution]]:
    if isinstance(value, Uniform | Normal | Triangular | Choice):
        yield format_path(path), value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _walk_distributions(getattr(value, name), (*path, name))
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from _walk_distributions(item, (*path, key))
    elif isinstance(value, tuple | list):
        for i, item in enumerate(value):
            yield from _walk_distributions(item, (*path, i))


assert DIST_KEYS  # the parameter syntax lives in sim.params

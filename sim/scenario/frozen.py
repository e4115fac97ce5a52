"""The frozen :class:`Scenario`: validated assumptions, variants made by overriding key paths."""

from __future__ import annotations

import copy
import dataclasses
import datetime
import hashlib
import json
import warnings
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from ..distributions import Choice, Distribution, Normal, Triangular, Uniform
from ..errors import PathPart, Problem, ScenarioError, UnreadSetting, format_path
from ..schema import ScenarioSpec
from ..yamlsource import LineMap
from .facts import _evidence_problems, _find_facts_dir, _walk_evidence, load_facts
from .migration import migration_problems
from .paths import parse_path, set_path
from .references import _cross_problems
from .unread import _unread_problems
from .validation import _cross_problems_despite, _in_order, _locate, _pydantic_problems


@dataclass(frozen=True)
class Scenario:
    """A complete, validated, immutable set of assumptions for one negotiation.

    Attributes:
        spec: The typed scenario (see :mod:`sim.schema`).
        data: The merged scenario as plain data (what ``scenario.resolved.yaml`` holds).
        source: The file it was loaded from, if any.
        facts: Fact id -> fact, from the facts folder the evidence was checked against.
        facts_dir: That folder (variants made with ``with_overrides`` check against it too).
        warnings: Settings no mechanism reads, kept because it was loaded with ``strict=False``
            (loaded strictly, they are errors).
        strict: Whether it was loaded strictly (its variants are validated the same way).
    """

    spec: ScenarioSpec
    data: Mapping[str, Any]
    source: str | None = None
    facts: Mapping[str, Mapping[str, Any]] = field(default_factory=dict, repr=False)
    facts_dir: Path | None = field(default=None, repr=False)
    warnings: tuple[Problem, ...] = field(default=(), repr=False)
    strict: bool = field(default=True, repr=False)

    @property
    def name(self) -> str:
        """The scenario's name."""
        return self.spec.name

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, source: str = "<scenario>",
                  lines: LineMap | None = None, facts_dir: Path | None = None, strict: bool = True) -> Scenario:
        """Validate plain data (already merged) into a Scenario; raises ScenarioError with every problem.

        With ``strict=False`` a setting no mechanism reads is a warning (in ``warnings``), not an error.
        """
        if not isinstance(data, Mapping):
            raise ScenarioError.single(source, f"top level is a {type(data).__name__}, not a mapping",
                                       expected="key: value pairs such as name:, issues:, actors:")
        data = copy_tree(dict(data))
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
        # Keys of the old format are told by their new names, and pydantic's words for them left out.
        moved = list(migration_problems(data))
        problems[:0] = [m.problem for m in moved]
        try:
            spec = ScenarioSpec.model_validate(data)
        except ValidationError as exc:
            silenced = [path for m in moved for path in m.silences]
            found = _pydantic_problems(exc, source, lines, silenced) + _cross_problems_despite(data, exc)
            problems[len(moved):len(moved)] = [p for p in found if strict or not p.unread]
            raise ScenarioError(_in_order([_locate(p, source, lines) for p in problems], source)) from None
        problems[len(moved):len(moved)] = [*_cross_problems(spec), *_unread_problems(spec, data)]
        warnings = [_locate(p, source, lines) for p in problems if p.unread and not strict]
        problems = [_locate(p, source, lines) for p in problems if strict or not p.unread]
        if problems:
            raise ScenarioError(_in_order(problems, source))
        return cls(spec=spec, data=data, source=None if source.startswith("<") else source, facts=facts,
                   facts_dir=facts_dir, warnings=tuple(_in_order(warnings, source)), strict=strict)

    def with_overrides(self, overrides: Mapping[str, Any]) -> Scenario:
        """A new scenario with values replaced at dotted key paths, e.g. ``{"actors.russia.risk": 1.2}``.

        The original is unchanged. Problems are reported against the file ``<overrides>``.

        Raises:
            ScenarioError: a key path does not fit the scenario, or the result is invalid.

        Examples:
            >>> s2 = s.with_overrides({"institutions.coalition.F_min": 5000})  # doctest: +SKIP
        """
        data = copy_tree(dict(self.data))
        for key, value in overrides.items():
            try:
                set_path(data, parse_path(key), value)
            except ValueError as exc:
                raise ScenarioError.single("<overrides>", f"cannot set {key!r}: {exc}",
                                           expected="a dotted key path into the scenario") from None
        facts_dir = self.facts_dir or _find_facts_dir(self.spec.facts, self.source or "<overrides>")
        new = Scenario.from_dict(data, source="<overrides>", facts_dir=facts_dir, strict=self.strict)
        known = {(p.path, p.message) for p in self.warnings}
        warn_unread(p for p in new.warnings if (p.path, p.message) not in known)
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


_IMMUTABLE = (str, int, float, bool, type(None), datetime.date)


def copy_tree(value: Any) -> Any:
    """A deep copy of a scenario's plain data (mappings, lists, tuples, scalars, dates).

    Kept beside ``copy.deepcopy``, which it equals on such data, because every variant of a sweep or a
    sensitivity design copies its scenario's data twice and ``deepcopy`` spends three times as long
    (memo bookkeeping that plain YAML data, free of shared or cyclic parts, does not need). Any
    other value is handed to ``copy.deepcopy``.
    """
    if isinstance(value, dict):
        return {k: copy_tree(v) for k, v in value.items()}
    if isinstance(value, list):
        return [copy_tree(v) for v in value]
    if isinstance(value, _IMMUTABLE):
        return value
    if isinstance(value, tuple):
        return tuple(copy_tree(v) for v in value)
    return copy.deepcopy(value)


def warn_unread(problems: Iterable[Problem]) -> None:
    """Tell each setting no mechanism reads as a :class:`sim.errors.UnreadSetting` warning."""
    for p in problems:
        warnings.warn(str(p), UnreadSetting, stacklevel=3)


def _str_keys(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _str_keys(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_str_keys(v) for v in value]
    return value



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


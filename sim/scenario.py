"""Loading scenarios: YAML files, overlays, validation and the frozen :class:`Scenario`.

One way in: ``load_scenario(path)`` reads the file and every file it ``extends``, merges them,
validates the result against :mod:`sim.schema`, checks every cross-reference and evidence id, and
returns an immutable :class:`Scenario`. Every problem found is reported at once, each with its file,
line and key path (:class:`sim.errors.ScenarioError`). Nothing downstream re-checks.
"""

from __future__ import annotations

import copy
import difflib
import hashlib
import json
import math
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
from .errors import PathPart, Problem, ScenarioError
from .params import DIST_KEYS
from .schema import ScenarioSpec
from .yamlsource import LineMap, parse_yaml_text, read_yaml

__all__ = ["Scenario", "load_scenario", "load_facts", "scenario_from_yaml", "PROJECT_SEEDS"]

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
    """

    spec: ScenarioSpec
    data: Mapping[str, Any]
    source: str | None = None
    facts: Mapping[str, Mapping[str, Any]] = field(default_factory=dict, repr=False)

    @property
    def name(self) -> str:
        """The scenario's name."""
        return self.spec.name

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, source: str = "<scenario>",
                  lines: LineMap | None = None, facts_dir: Path | None = None) -> Scenario:
        """Validate plain data (already merged) into a Scenario; raises ScenarioError with every problem."""
        data = copy.deepcopy(dict(data))
        data.pop("extends", None)
        lines = lines or {}
        try:
            spec = ScenarioSpec.model_validate(data)
        except ValidationError as exc:
            raise ScenarioError(_pydantic_problems(exc, source, lines)) from None
        facts_dir = facts_dir or _find_facts_dir(spec, source)
        facts = load_facts(facts_dir) if facts_dir else {}
        problems = list(_cross_problems(spec, data, facts, facts_dir))
        if problems:
            raise ScenarioError([_locate(p, source, lines) for p in problems])
        return cls(spec=spec, data=data, source=None if source.startswith("<") else source, facts=facts)

    def with_overrides(self, overrides: Mapping[str, Any]) -> Scenario:
        """A new scenario with values replaced at dotted key paths, e.g. ``{"actors.russia.risk": 1.2}``.

        Examples:
            >>> s2 = s.with_overrides({"institutions.coalition.F_min": 5000})  # doctest: +SKIP
        """
        data = copy.deepcopy(dict(self.data))
        for key, value in overrides.items():
            set_path(data, parse_path(key), value)
        return Scenario.from_dict(data, source=self.source or "<overrides>",
                                  facts_dir=_find_facts_dir(self.spec, self.source or "<overrides>"))

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
        text = json.dumps(self.data, sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()

    def evidence_table(self) -> list[dict[str, Any]]:
        """Every cited fact: where it is cited, its id, kind and claim (for provenance tables)."""
        rows = []
        for path, ids in _walk_evidence(self.data, ()):
            for fid in ids:
                fact = self.facts.get(fid, {})
                rows.append({"where": _dotted(path), "fact": fid, "kind": fact.get("kind", ""),
                             "claim": fact.get("claim", "")})
        return rows


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
    return Scenario.from_dict(data, source=name, lines=lines,
                              facts_dir=_facts_dir_near(Path(base_dir)) or _default_facts())


# ---------------------------------------------------------------------------------------------
# files and overlays


def _resolve(path: Path, stack: tuple[Path, ...]) -> tuple[dict[str, Any], LineMap]:
    data, lines = read_yaml(path)
    if not isinstance(data, dict):
        raise ScenarioError.single(str(path), f"top level is a {type(data).__name__}, not a mapping",
                                   line=1, expected="key: value pairs such as name:, issues:, actors:")
    return _merge_extends(data, lines, path, str(path), (*stack, path.resolve()))


def _merge_extends(data: dict[str, Any], lines: LineMap, path: Path, name: str,
                   stack: tuple[Path, ...]) -> tuple[dict[str, Any], LineMap]:
    parent = data.pop("extends", None)
    if parent is None:
        return _strip_directives(data), lines
    line = lines.get(("extends",), (name, None))[1]
    if not isinstance(parent, str):
        raise ScenarioError.single(name, "extends must name one file", line=line, path=("extends",),
                                   expected="a path such as baseline.yaml")
    target = (path.parent / parent).resolve()
    if target in stack:
        chain = " -> ".join(p.name for p in (*stack, target))
        raise ScenarioError.single(name, f"circular extends: {chain}", line=line, path=("extends",),
                                   expected="a chain of overlays that ends in a full scenario")
    if not target.exists() or target.is_dir():
        raise ScenarioError.single(name, f"extends {parent!r}: file not found ({target})", line=line,
                                   path=("extends",), expected="a scenario file next to this one")
    base, base_lines = _resolve(target, stack)
    merged = deep_merge(base, data)
    all_lines = dict(base_lines)
    for key, where in lines.items():
        all_lines[tuple(p for p in key if p not in (REPLACE, APPEND))] = where
    return merged, all_lines


def deep_merge(base: Any, overlay: Any) -> Any:
    """Overlay ``overlay`` on ``base``: mappings merge key by key, anything else replaces.

    Directives in the overlay: ``{$delete: true}`` removes the key, ``{$replace: value}`` replaces a
    mapping whole instead of merging, ``{$append: [items]}`` adds items to a list.
    """
    if isinstance(overlay, dict) and set(overlay) == {REPLACE}:
        return _strip_directives(overlay[REPLACE])
    if isinstance(overlay, dict) and set(overlay) == {APPEND}:
        items = overlay[APPEND] if isinstance(overlay[APPEND], list) else [overlay[APPEND]]
        return [*(base if isinstance(base, list) else []), *_strip_directives(items)]
    if isinstance(base, dict) and isinstance(overlay, dict):
        out = dict(base)
        for key, value in overlay.items():
            if isinstance(value, dict) and value.get(DELETE) is True and len(value) == 1:
                out.pop(key, None)
            elif key in out:
                out[key] = deep_merge(out[key], value)
            else:
                out[key] = _strip_directives(value)
        return out
    return _strip_directives(overlay)


def _strip_directives(value: Any) -> Any:
    if isinstance(value, dict):
        if set(value) == {REPLACE}:
            return _strip_directives(value[REPLACE])
        if set(value) == {APPEND}:
            return _strip_directives(value[APPEND])
        return {k: _strip_directives(v) for k, v in value.items()
                if not (isinstance(v, dict) and v.get(DELETE) is True and len(v) == 1)}
    if isinstance(value, list):
        return [_strip_directives(v) for v in value]
    return value


_PATH_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def parse_path(text: str) -> tuple[PathPart, ...]:
    """Split ``a.b[0].c`` into ``("a", "b", 0, "c")``."""
    parts: list[PathPart] = []
    for name, index in _PATH_PART.findall(text):
        parts.append(int(index) if index else name)
    if not parts:
        raise ValueError(f"empty key path {text!r}")
    return tuple(parts)


def set_path(data: Any, path: tuple[PathPart, ...], value: Any) -> None:
    """Set ``value`` at ``path`` in nested dicts/lists, creating mappings on the way."""
    cur = data
    for part in path[:-1]:
        if isinstance(cur, dict):
            cur = cur.setdefault(part, {})
        else:
            cur = cur[part]
    cur[path[-1]] = value


def _dotted(path: tuple[PathPart, ...]) -> str:
    from .errors import format_path
    return format_path(path)


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


def _find_facts_dir(spec: ScenarioSpec, source: str) -> Path | None:
    base = Path(source).parent if not source.startswith("<") else Path.cwd()
    if spec.facts:
        return (base / spec.facts).resolve()
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
            message = err["msg"].replace("Value", "list") if "Value" in err["msg"] else err["msg"]
            expected = f"at least {ctx.get('min_length')} entries" if kind == "too_short" else \
                f"at most {ctx.get('max_length')} entries"
        else:
            message = f"{err['msg'].replace('Input should be', 'should be')}, got {_short(err.get('input'))}"
            expected = _EXPECTED.get(kind, "")
        key = (path, message)
        if key in seen:
            continue
        seen.add(key)
        problems.append(_locate(Problem(source, None, tuple(path), message, expected), source, lines))
    return problems


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


def _locate(problem: Problem, source: str, lines: LineMap) -> Problem:
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


def _mean(value: Any) -> float:
    if isinstance(value, Normal):
        return value.mean
    if isinstance(value, Uniform | Triangular | Choice):
        return value.mean
    return float(value)


def _cross_problems(spec: ScenarioSpec, data: Mapping[str, Any], facts: Mapping[str, Any],
                    facts_dir: Path | None) -> Iterator[Problem]:
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
        if shock.at_round is None and _mean(shock.probability) == 0 and not isinstance(shock.probability, Distribution):
            yield problem(spath, "never fires: probability 0 and no at_round", "a probability > 0 or an at_round")

    for path, ids in _walk_evidence(data, ()):
        for i, fid in enumerate(ids):
            if not isinstance(fid, str):
                yield problem((*path, "evidence", i), f"evidence id {fid!r} is not text", "a fact id")
            elif facts_dir is None:
                yield problem((*path, "evidence", i), f"cannot check fact {fid!r}: no seeds/ folder found",
                              "a seeds/ folder beside or above the scenario, or facts: FOLDER")
            elif fid not in facts:
                close = difflib.get_close_matches(fid, list(facts), n=1, cutoff=0.6)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                yield problem((*path, "evidence", i), f"fact {fid!r} is not in {facts_dir.name}/{hint}",
                              "an id of a fact in the seeds/ files")


def _walk_distributions(value: Any, path: tuple[PathPart, ...]) -> Iterator[tuple[str, Distribution]]:
    if isinstance(value, Uniform | Normal | Triangular | Choice):
        yield _dotted(path), value
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

"""Every number of the format gets the same checks: NaN, infinity and 1e300 in every numeric field and
pair element of a valid scenario give one FILE:LINE line each, at that field (issue 19).

The fields are found by walking the schema (the pydantic models, recursively, into mappings, lists
and the elements of pairs), not listed by hand, so a field added later is covered the day it is added.
"""

from __future__ import annotations

import copy
import math
import types
import typing
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import BASELINE, ROOT, run_sim
from pydantic import BaseModel, WithJsonSchema

from sim import Scenario, ScenarioError, load_scenario
from sim.errors import format_path
from sim.scenario import deep_merge
from sim.schema import ScenarioSpec
from sim.yamlsource import read_yaml

KEY, ITEM = "<key>", "<item>"  # placeholders in field templates: any mapping key, any list item
BAD = {"nan": math.nan, "inf": math.inf, "-inf": -math.inf, "1e300": 1e300}


def _number_schema(meta: list[Any]) -> dict[str, Any] | None:
    """The plain-number JSON Schema of a Num or Fixed field (its range), from the field's metadata."""
    for item in meta:
        schema = item.json_schema if isinstance(item, WithJsonSchema) else None
        if schema and "anyOf" in schema:
            return schema["anyOf"][0]
        if schema and schema.get("type") in ("number", "integer"):
            return schema
    return None


def _split(annotation: Any, meta: list[Any]) -> tuple[Any, list[Any]]:
    while typing.get_origin(annotation) is typing.Annotated:
        annotation, *more = typing.get_args(annotation)
        meta = [*meta, *more]
    return annotation, meta


def numeric_fields(annotation: Any, meta: list[Any], path: tuple) -> typing.Iterator[tuple[tuple, dict]]:
    """(template path, number schema) of every number reachable from a field's type."""
    annotation, meta = _split(annotation, meta)
    if (schema := _number_schema(meta)) is not None:
        yield path, schema
        return
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            if arg is not type(None):
                yield from numeric_fields(arg, meta, path)
        return
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        for name, info in annotation.model_fields.items():
            yield from numeric_fields(info.annotation, list(info.metadata), (*path, name))
        return
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is dict:
        yield from numeric_fields(args[1], [], (*path, KEY))
    elif origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        yield from numeric_fields(args[0], [], (*path, ITEM))
    elif origin is tuple:
        for i, arg in enumerate(args):
            yield from numeric_fields(arg, [], (*path, i))
    elif annotation in (int, float):
        pytest.fail(f"{format_path(path)}: a bare {annotation.__name__} skips the checks of Num and Fixed")


FIELDS = list(numeric_fields(ScenarioSpec, [], ()))

# What the baseline leaves out, so that every field has a place to go (merged onto it; lines of the
# added values fall back to the line of the section they are added to).
FILLERS = {
    "actors": {"hungary": {"member": {"weights": {"population": 0.02}}}},
    "institutions": {"talks": {"recognition": {"ukraine": 0.1}, "armistice": {"issues": ["territory"]}}, "councils": {
        "eu_council": {"measures": {
            "filler": {"effects": {"aid": [{"actor": "ukraine", "by": 0.05}],
                                   "war_cost": [{"actor": "russia", "factor": 1.2}],
                                   "strength": [{"actor": "ukraine", "factor": 1.1}]}}}},
        "filler_council": {"rule": "qualified", "members": ["hungary"],
                           "quotas": [{"weight": "population", "share": 0.65}],
                           "others_in_favour": {"population": 0.9},
                           "measures": {"filler_measure": {"effects": {"aid": [{"actor": "ukraine", "by": 0.05}]}}}}}},
    "shocks": {"filler": {"probability": 0.1, "effects": {
        "positions": [{"actor": "russia", "issue": "territory", "by": 0.1}],
        "funding": [{"actor": "ukraine", "runway_rounds": 4}],
        "aid": [{"actor": "ukraine", "by": 0.05}],
        "war_cost": [{"actor": "russia", "factor": 1.5}],
        "strength": [{"actor": "ukraine", "factor": 1.1}]}}},
}


def resolve(data: Any, template: tuple) -> tuple | None:
    """A concrete path into ``data`` matching ``template`` (the last part may be missing), or None."""
    if not template:
        return ()
    head, rest = template[0], template[1:]
    if head == KEY:
        options = list(data) if isinstance(data, dict) else []
    elif head == ITEM:
        options = list(range(len(data))) if isinstance(data, list) else []
    elif isinstance(head, int):
        options = [head] if isinstance(data, list) and len(data) > head else []
    elif not rest:
        return (head,) if isinstance(data, dict) else None
    else:
        options = [head] if isinstance(data, dict) and head in data else []
    for option in options:
        found = resolve(data[option], rest) if rest else ()
        if found is not None:
            return (option, *found)
    return None


def put(data: Any, path: tuple, value: Any) -> None:
    for part in path[:-1]:
        data = data[part]
    data[path[-1]] = value


@pytest.fixture(scope="module")
def baseline() -> tuple[dict[str, Any], dict]:
    """The baseline's data with the fillers, and the lines of the baseline file."""
    data, lines = read_yaml(BASELINE)
    return deep_merge(data, FILLERS), lines


def test_the_filled_baseline_is_valid(baseline):
    data, lines = baseline
    Scenario.from_dict(data, source=str(BASELINE), lines=lines, facts_dir=ROOT / "seeds")


def test_the_walk_finds_every_kind_of_number():
    templates = {format_path(t) for t, _ in FIELDS}
    assert len(FIELDS) >= 90
    for expected in ("horizon.rounds", "actors.<key>.party.resolve", "actors.<key>.red_lines.<item>.bound",
                     "shocks.<key>.effects.front[0]", "shocks.<key>.effects.front[1]",
                     "shocks.<key>.effects.suspend_talks.rounds[1]", "actors.<key>.party.ratification.<item>.weights.<key>"):
        assert any(t.startswith(expected) for t in templates), expected


def test_every_numeric_field_has_a_place_in_the_baseline(baseline):
    data, _ = baseline
    missing = [format_path(t) for t, _ in FIELDS if resolve(data, t) is None]
    assert not missing, missing


def _line_of(lines: dict, path: tuple) -> int:
    for n in range(len(path), -1, -1):
        if path[:n] in lines:
            return lines[path[:n]][1]
    raise AssertionError(path)


@pytest.mark.parametrize("bad", list(BAD), ids=list(BAD))
def test_a_bad_number_anywhere_is_one_line_at_its_field(bad: str, baseline):
    data, lines = baseline
    source = str(BASELINE)
    wrong = []
    for template, schema in FIELDS:
        path = resolve(data, template)
        changed = copy.deepcopy(data)
        put(changed, path, BAD[bad])
        allowed = schema.get("minimum", -math.inf) <= BAD[bad] <= schema.get("maximum", math.inf)
        try:
            Scenario.from_dict(changed, source=source, lines=lines, facts_dir=ROOT / "seeds")
        except ScenarioError as exc:
            problems = exc.problems
            ok = (not allowed and len(problems) == 1 and problems[0].path == path and problems[0].file == source
                  and problems[0].line == _line_of(lines, path) and "\n" not in str(problems[0]))
            if not ok:
                wrong.append(f"{format_path(path)}: {[str(p) for p in problems]}")
        else:
            if not allowed:
                wrong.append(f"{format_path(path)} = {bad} was accepted")
    assert not wrong, "\n".join(wrong)


def test_the_command_line_reports_every_bad_number_in_one_line_each(tmp_path: Path, baseline):
    """All the fields at once, one file per bad value: one line per field, each at its own key path."""
    data, _ = baseline
    expected = []
    for bad, value in BAD.items():
        changed = copy.deepcopy(data)
        changed["facts"] = str(ROOT / "seeds")
        for template, schema in FIELDS:
            path = resolve(data, template)
            put(changed, path, value)
            if not schema.get("minimum", -math.inf) <= value <= schema.get("maximum", math.inf):
                expected.append(f"bad-{bad}.yaml {format_path(path)}")
        (tmp_path / f"bad-{bad}.yaml").write_text(yaml.safe_dump(changed, sort_keys=False))
    done = run_sim("validate", *(f"bad-{bad}.yaml" for bad in BAD), cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr == ""
    assert "Traceback" not in done.stdout
    out = done.stdout.splitlines()
    assert all(line.split(":")[1].isdigit() for line in out), out[:5]
    assert sorted(f"{line.split(':')[0]} {line.split(': ')[1]}" for line in out) == sorted(expected)


@pytest.mark.parametrize("text, message", [
    ("{uniform: [.nan, 0.5]}", "uniform low is NaN"),
    ("{uniform: [0.1, .inf]}", "uniform high is infinite"),
    ("{normal: [0.5, .inf]}", "normal sd is infinite"),
    ("{triangular: [0.1, .nan, 0.5]}", "triangular mode is NaN"),
    ("{choice: [0.1, .nan]}", "choice value is NaN"),
    ("{choice: [0.1, 0.2], weights: [1.0e+308, 1.0e+308]}", "with a finite sum"),
    ("{value: -.inf}", "value is infinite"),
])
def test_distribution_arguments_are_checked_too(text: str, message: str, workdir: Path):
    (workdir / "case.yaml").write_text(f"extends: baseline.yaml\ndurability:\n  guarantees_effect: {text}\n")
    with pytest.raises(ScenarioError) as info:
        load_scenario("case.yaml")
    assert [str(p).split(": ", 2)[:2] for p in info.value.problems] == [["case.yaml:3", "durability.guarantees_effect"]]
    assert message in str(info.value)


@pytest.mark.parametrize("key, message", [
    (".nan", "anchor term nan is not between 0 and 1"),
    ("1.5", "anchor term 1.5 is not between 0 and 1"),
])
def test_anchor_terms_are_numbers_from_0_to_1(key: str, message: str, workdir: Path):
    (workdir / "case.yaml").write_text(f"extends: baseline.yaml\nissues:\n  territory:\n    anchors: {{{key}: odd}}\n")
    with pytest.raises(ScenarioError) as info:
        load_scenario("case.yaml")
    assert str(info.value).startswith("case.yaml:4: issues.territory.anchors: " + message)

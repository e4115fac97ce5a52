"""Every field of the scenario format is read by some mechanism, or is a label (issue 12, item 8).

The test walks every leaf field of :class:`sim.schema.ScenarioSpec` (through mappings and lists of
models) and, on ``tests/every_section.yaml`` (a small scenario with every section), changes each
field that appears in it to another valid value. A field counts as read if some record column or the
story (the event log) of a batch of runs changes; a field marked ``label`` must change no record
column (its words may appear in the story). A field the small scenario cannot reach is listed in
``UNREACHED`` with the reason, so that a new field fails the test until someone covers it.
"""

from __future__ import annotations

import copy
import datetime as dt
import types
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal

import pytest
from pydantic import BaseModel

from sim import Scenario, ScenarioError, load_scenario
from sim.model.model import NegotiationModel
from sim.record import records_frame
from sim.scenario import PROJECT_SEEDS, load_facts, scenario_from_yaml
from sim.scenario.paths import set_path
from sim.schema import ScenarioSpec

EVERY_SECTION = Path(__file__).resolve().parent / "every_section.yaml"
SEEDS = list(range(1000, 1040))
FACT = next(iter(load_facts(PROJECT_SEEDS)))  # an evidence id that exists

#: Field patterns (``*`` any key, ``[]`` any item) the small scenario cannot change, and why.
UNREACHED = {
    "facts": "a label (the facts folder); the small scenario cites no facts, and another folder must exist",
    "actors.*.roles": "a role added or removed needs its block and its place in the institutions changed with it",
    "institutions.talks.mediators": "a mediator removed still has the role; one added needs the role (coordinated edits)",
    "institutions.talks.parties": "a party removed still has the role, and the talks need two",
    "institutions.talks.veto_players": "a veto player removed still has the role (coordinated edits)",
    "institutions.councils.*.members": "a member removed still has the role and sits on no council; one added needs the role",
    "institutions.talks.proposal_acceptance_floor": "a recognized party of the small scenario never finds terms it "
                                                    "accepts itself, so the floor never binds here: "
                                                    "test_the_acceptance_floor_is_read shows it on two close parties",
    "actors.*.party.ratification[].fallback": "it must name another voting body of the party that no other body "
                                              "names; the small scenario has one: the known answers of "
                                              "tests/test_talks_institutions.py cover the route",
    "actors.*.party.ratification[].once": "with a fallback, a failed vote hands the deal over either way; "
                                          "test_a_referendum_that_may_be_held_again_keeps_the_talks_going covers it",
    "institutions.councils.*.quotas[].weight": "another weight leaves the members' and others_in_favour's weights "
                                               "for the old one unread (coordinated edits); the double-quota known "
                                               "answers of tests/test_councils_and_shocks.py cover it",
    "institutions.coalition.backstop_from": "it must name a backer, and a second backer would be a setting nothing "
                                            "reads; the known-answer test of a backstop from a non-mediator covers it",
    "actors.*.party.resolve_prior_width": "set in the small scenario (any width, 0.5 to 3) it leaves two deals "
                                          "that break whatever the breach does, so breaks_deal goes unread; "
                                          "the known answers and the property test of "
                                          "tests/test_bargaining_core.py cover it",
    **{f"institutions.talks.agenda[].{key}": "the small scenario has an armistice, which an agenda cannot go "
                                             "with; the known answers of tests/test_agenda.py cover the agenda"
       for key in ("label", "issues", "evidence")},
}

#: Fields no mechanism reads yet (reported), and why.
INERT: dict[str, str] = {}


def _unwrap(annotation: Any) -> Any:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        models = [a for a in args if isinstance(a, type) and issubclass(a, BaseModel)]
        return models[0] if len(models) == 1 and len(args) == 1 else annotation
    return annotation


def _model(annotation: Any) -> type[BaseModel] | None:
    inner = _unwrap(annotation)
    return inner if isinstance(inner, type) and issubclass(inner, BaseModel) else None


def leaf_fields(model: type[BaseModel] = ScenarioSpec, prefix: tuple[str, ...] = ()) -> Iterator[tuple[str, bool]]:
    """Every leaf field as (pattern, is_label): ``actors.*.party.resolve``, ``shocks.*.effects.aid[].by``, ..."""
    for name, info in model.model_fields.items():
        annotation = _unwrap(info.annotation)
        origin, args = typing.get_origin(annotation), typing.get_args(annotation)
        if (sub := _model(annotation)) is not None:
            yield from leaf_fields(sub, (*prefix, name))
        elif origin is dict and (sub := _model(args[-1])) is not None:
            yield from leaf_fields(sub, (*prefix, name, "*"))
        elif origin is tuple and len(args) == 2 and args[1] is Ellipsis and (sub := _model(args[0])) is not None:
            yield from leaf_fields(sub, (*prefix, name, "[]"))
        else:
            extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
            yield ".".join((*prefix, name)).replace(".[]", "[]"), bool(extra.get("label"))


def _parts(pattern: str) -> list[str]:
    return pattern.replace("[]", ".[]").split(".")


def instances(spec: Any, pattern: str) -> Iterator[tuple[tuple[Any, ...], Any]]:
    """(key path, current value) of every place the pattern has in the typed scenario."""
    def walk(value: Any, parts: list[str], path: tuple[Any, ...]) -> Iterator[tuple[tuple[Any, ...], Any]]:
        if not parts:
            yield path, value
        elif value is None:
            return
        elif parts[0] == "*":
            for key, item in value.items():
                yield from walk(item, parts[1:], (*path, key))
        elif parts[0] == "[]":
            for i, item in enumerate(value):
                yield from walk(item, parts[1:], (*path, i))
        else:
            yield from walk(getattr(value, parts[0]), parts[1:], (*path, parts[0]))

    yield from walk(spec, _parts(pattern), ())


def _ids(spec: ScenarioSpec) -> list[str]:
    coalition = spec.institutions.coalition
    return [*spec.actors, *spec.issues, *spec.plans, "withdrawal",
            *(coalition.force_types if coalition else ()),
            *(m for c in spec.institutions.councils.values() for m in c.measures)]


def candidates(value: Any, field: Any, spec: ScenarioSpec) -> Iterator[Any]:
    """Other values of a field's type to try, most modest first (the scenario decides which are valid)."""
    annotation = _unwrap(field.annotation) if field is not None else None
    if typing.get_origin(annotation) is Literal:
        yield from (c for c in typing.get_args(annotation) if c != value)
    elif isinstance(value, bool) or annotation is bool or annotation == bool | None:
        yield from ([not value] if isinstance(value, bool) else [True, False])
    elif isinstance(value, int | float):
        whole = isinstance(value, int)
        for x in (value * 1.5, value * 0.5, value + 0.1, value - 0.1, value + 1, value + 3, value * 4, 0, 1, 0.5):
            x = round(x) if whole else round(x, 6)
            if x != value:
                yield x
    elif isinstance(value, str) or (value is None and annotation in (str, str | None)):
        yield from (i for i in _ids(spec) if i != value)
        yield from (w for w in _weight_names(spec) if w != value)
        yield "changed words"
    elif isinstance(value, dt.date):
        yield value + dt.timedelta(days=7)
    elif value is None:
        yield from (1, 2, 0.5, 0.1, [0.05, 0.1], [1, 2])
    elif isinstance(value, dict):
        yield from _dict_candidates(value)
    elif isinstance(value, tuple):
        yield from _tuple_candidates(value, spec)


def _weight_names(spec: ScenarioSpec) -> list[str]:
    """``count`` and the names of the council members' weights (what a quota may weigh)."""
    names = {name for actor in spec.actors.values() if actor.member for name in actor.member.weights}
    return ["count", *sorted(names)]


def _dict_candidates(value: dict) -> Iterator[Any]:
    keys = list(value)
    if not keys:
        yield {"votes": 2.0}
    if len(keys) >= 2:  # weights that must keep their sum: move 0.1 from one key to another
        yield {**value, keys[0]: value[keys[0]] - 0.1, keys[1]: value[keys[1]] + 0.1}
        yield {**value, keys[0]: value[keys[0]] + 0.1, keys[1]: value[keys[1]] - 0.1}
    for key in keys:
        item = value[key]
        if isinstance(item, str):
            yield {**value, key: item + " (changed)"}
        elif isinstance(item, dict):
            yield from ({**value, key: c} for c in _dict_candidates(item))
        else:
            yield from ({**value, key: x} for x in (item + 0.1, item - 0.1, item * 0.5) if x != item)


def _tuple_candidates(value: tuple, spec: ScenarioSpec) -> Iterator[Any]:
    if len(value) == 2 and all(isinstance(x, int | float) for x in value):
        whole = all(isinstance(x, int) for x in value)
        yield [value[0], value[1] + 1] if whole else [round(value[0] + 0.05, 6), round(value[1] + 0.05, 6)]
        yield [value[0] + 1, value[1] + 1] if whole else [round(value[0] - 0.05, 6), round(value[1] - 0.05, 6)]
        return
    if value:
        yield list(value[1:])
        yield list(value[:-1])
        yield from ([i, *value[1:]] for i in _ids(spec) if i not in value)
    yield from ([*value, i] for i in _ids(spec) if i not in value)
    yield [*value, FACT]


def _field_info(pattern: str) -> Any:
    model: Any = ScenarioSpec
    info = None
    for part in _parts(pattern):
        if part in ("*", "[]"):
            continue
        info = model.model_fields[part]
        annotation = _unwrap(info.annotation)
        origin, args = typing.get_origin(annotation), typing.get_args(annotation)
        model = _model(annotation) or (_model(args[-1]) if origin is dict else None) or (
            _model(args[0]) if origin is tuple and args else None)
    return info


def fingerprint(scenario: Scenario) -> tuple[Any, list[tuple]]:
    """The records (without the scenario's name) and the stories of a batch of runs."""
    model = NegotiationModel(scenario, seeds=SEEDS, log_events=True)
    model.run()
    frame = records_frame(scenario.name, list(range(len(SEEDS))), SEEDS, model.records()).drop(columns="scenario")
    return frame, [(e.run, e.round, e.actor, e.event, e.detail) for e in model.events]


def variant(base: Scenario, path: tuple[Any, ...], value: Any) -> Scenario | None:
    data = copy.deepcopy(dict(base.data))
    set_path(data, path, value)
    try:
        # Not strictly: a change may leave another setting unread (a flag flipped), which is still a change.
        return Scenario.from_dict(data, source="<variant>", facts_dir=base.facts_dir, strict=False)
    except ScenarioError:
        return None


@pytest.fixture(scope="module")
def base() -> tuple[Scenario, Any]:
    scenario = load_scenario(EVERY_SECTION)
    return scenario, fingerprint(scenario)


FIELDS = sorted(leaf_fields())


def test_the_walk_finds_the_fields_of_every_section():
    patterns = {p for p, _ in FIELDS}
    assert {"actors.*.party.resolve", "institutions.councils.*.measures.*.effects.sanctions[].by",
            "shocks.*.effects.suspend_talks.rounds", "actors.*.party.ratification[].weights"} <= patterns
    assert set(UNREACHED) | set(INERT) <= patterns, (set(UNREACHED) | set(INERT)) - patterns
    assert len(FIELDS) > 150


def outcome_of_changes(pattern: str, label: bool, base) -> str:
    """``read``, ``label`` (changed no record), or why not: a field changed at each place it has, in turn."""
    scenario, (frame, story) = base
    field = _field_info(pattern)
    places = list(instances(scenario.spec, pattern))
    if not places:
        return f"{pattern} does not appear in {EVERY_SECTION.name}: use it there, or list it in UNREACHED"
    tried = 0
    for path, value in places:
        for candidate in candidates(value, field, scenario.spec):
            changed = variant(scenario, path, candidate)
            if changed is None:
                continue
            tried += 1
            new_frame, new_story = fingerprint(changed)
            same_records = new_frame.equals(frame)
            if label:
                return "label" if same_records else f"{pattern} is a label but {path} = {candidate!r} changed the records"
            if not same_records or new_story != story:
                return "read"
            if tried >= 12:
                break
    if not tried:
        return f"no valid other value found for {pattern}"
    return f"{pattern}: none of {tried} valid values changed a record or the story (inert?)"


@pytest.mark.parametrize(("pattern", "label"), FIELDS, ids=[p for p, _ in FIELDS])
def test_every_field_changes_a_record_or_the_story_or_is_a_label(pattern: str, label: bool, base):
    if pattern in UNREACHED:
        pytest.skip(UNREACHED[pattern])
    outcome = outcome_of_changes(pattern, label, base)
    if pattern in INERT:  # listed as inert: once a mechanism reads it, the entry must go
        assert outcome.endswith("(inert?)"), f"{pattern} is read now: remove it from INERT"
    else:
        assert outcome == ("label" if label else "read"), outcome


CLOSE_PARTIES = """
name: close
horizon: {rounds: 6}
issues:
  split: {low: all to a, high: all to b, status_quo: 0.6}
  other: {low: x, high: y, status_quo: 0.9}
actors:
  a: {name: A, roles: [party], position: {split: 0.4, other: 0.2}, salience: {split: 0.5, other: 0.5},
      party: {resolve: {uniform: [0.5, 2.0]}, war_cost: 0.008}}
  b: {name: B, roles: [party], position: {split: 0.6, other: 0.9}, salience: {split: 0.7, other: 0.3},
      party: {resolve: {uniform: [0.5, 2.0]}, war_cost: 0.008}}
  m: {name: M, roles: [mediator], position: {split: 0.5, other: 0.5}, salience: {split: 0.5, other: 0.5}}
institutions:
  talks: {mediators: [m], parties: [a, b], recognition: {a: 0.5, b: 0.5}, proposal_acceptance_floor: FLOOR}
"""


def test_the_acceptance_floor_is_read():
    stories = [fingerprint(scenario_from_yaml(CLOSE_PARTIES.replace("FLOOR", floor)))[1] for floor in ("0.3", "0.99")]
    assert stories[0] != stories[1]

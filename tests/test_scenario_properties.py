"""Property tests of the loader: random valid scenarios load; random breakage gives ScenarioError, never a crash."""

from __future__ import annotations

import copy
import datetime as dt
import math
from typing import Any

import yaml
from conftest import ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim import Scenario, ScenarioError, scenario_from_yaml
from sim.distributions import Choice, Normal, Triangular, Uniform
from sim.scenario import PROJECT_SEEDS

SETTINGS = settings(max_examples=100, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

ids = st.from_regex(r"[a-z][a-z0-9_]{0,10}", fullmatch=True)
unit = st.floats(0, 1, allow_nan=False)


@st.composite
def parameter(draw: st.DrawFn, low: float, high: float) -> Any:
    """A number in [low, high] or, sometimes, a distribution over it (as written in a scenario file)."""
    x = st.floats(low, high, allow_nan=False, allow_infinity=False)
    kind = draw(st.sampled_from(["number", "number", "value", "uniform", "normal", "triangular", "choice"]))
    if kind == "number":
        return draw(x)
    if kind == "value":
        return {"value": draw(x), "note": "given as a mapping"}
    if kind == "uniform":
        return {"uniform": sorted([draw(x), draw(x)])}
    if kind == "normal":
        return {"normal": [draw(x), draw(st.floats(0, (high - low) / 2))]}
    if kind == "triangular":
        return {"triangular": sorted([draw(x), draw(x), draw(x)])}
    values = draw(st.lists(x, min_size=1, max_size=4))
    out: dict[str, Any] = {"choice": values}
    if draw(st.booleans()):
        out["weights"] = [draw(st.floats(0.1, 5)) for _ in values]
    return out


def saliences(draw: st.DrawFn, issues: list[str]) -> dict[str, float]:
    weights = [draw(st.floats(0.01, 1)) for _ in issues]
    total = sum(weights)
    return {i: w / total for i, w in zip(issues, weights, strict=True)}


@st.composite
def valid_scenarios(draw: st.DrawFn) -> dict[str, Any]:
    """Two parties and a mediator bargaining over one to four issues, with random ids and numbers."""
    issues = draw(st.lists(ids, min_size=1, max_size=4, unique=True))
    party_a, party_b, mediator = draw(st.lists(ids, min_size=3, max_size=3, unique=True))

    def actor(name: str, role: str) -> dict[str, Any]:
        out: dict[str, Any] = {
            "name": name.title(), "roles": [role],
            "position": {i: draw(unit) for i in issues},
            "salience": saliences(draw, issues),
        }
        if draw(st.booleans()):
            out["capability"] = draw(parameter(0, 100))
        if draw(st.booleans()):
            out["risk"] = draw(parameter(0.1, 5))
        if role == "party" and draw(st.booleans()):
            out["party"] = {"resolve": draw(parameter(0.05, 20)), "discount": draw(parameter(0.5, 1))}
        if role == "party" and draw(st.booleans()):
            out["red_lines"] = [{"issue": draw(st.sampled_from(issues)), "op": draw(st.sampled_from([">=", "<="])),
                                 "bound": draw(parameter(0, 1)), "hard": draw(st.booleans())}]
        return out

    data: dict[str, Any] = {
        "name": draw(ids),
        "issues": {i: {"low": f"no {i}", "high": f"all {i}", "status_quo": draw(parameter(0, 1))} for i in issues},
        "actors": {party_a: actor(party_a, "party"), party_b: actor(party_b, "party"),
                   mediator: actor(mediator, "mediator")},
        "institutions": {"talks": {"mediators": [mediator], "parties": [party_a, party_b],
                                   "belief_grid": draw(st.integers(2, 64))}},
    }
    if draw(st.booleans()):
        data["horizon"] = {"rounds": draw(st.integers(1, 1000)), "round_weeks": draw(parameter(0.1, 52))}
    if draw(st.booleans()):
        plan = draw(ids)
        data["plans"] = {plan: {i: draw(unit) for i in issues}}
        data["actors"][mediator]["mediator"] = {"plan": plan, "bias": draw(parameter(0, 20))}
    if draw(st.booleans()):
        data["front"] = {"issue": draw(st.sampled_from(issues)), "attacker": {party_a: draw(parameter(0.01, 100))},
                         "defender": {party_b: draw(parameter(0.01, 100))}, "drift": draw(parameter(0, 1))}
    return data


def count_distributions(value: Any) -> int:
    if isinstance(value, dict):
        if any(k in value for k in ("uniform", "normal", "triangular", "choice")):
            return 1
        return sum(count_distributions(v) for v in value.values())
    if isinstance(value, list):
        return sum(count_distributions(v) for v in value)
    return 0


@SETTINGS
@given(data=valid_scenarios(), via_yaml=st.booleans())
def test_random_valid_scenarios_load(data: dict[str, Any], via_yaml: bool):
    original = copy.deepcopy(data)
    if via_yaml:
        scenario = scenario_from_yaml(yaml.safe_dump(data, sort_keys=False), base_dir=ROOT)
    else:
        scenario = Scenario.from_dict(data, facts_dir=PROJECT_SEEDS)
    assert data == original   # the input is not modified
    assert list(scenario.spec.issues) == list(data["issues"])
    assert len(scenario.distributions()) == count_distributions(data)
    assert all(isinstance(d, Uniform | Normal | Triangular | Choice) for d in scenario.distributions().values())
    for aid, actor in data["actors"].items():
        assert scenario.spec.actors[aid].position == actor["position"]


# ------------------------------------------------------------------------------ mutations

WRONG_VALUES = st.one_of(
    st.sampled_from([None, True, "text", "", -1, 0, 1.5, -0.5, 1e9, 10**30, float("nan"), float("inf"),
                     [], {}, [1, "a"], {"x": 1}, {"uniform": [1, 0]}, {"normal": [0.5, -1]},
                     {"choice": []}, {"$delete": True}, dt.date(2026, 2, 24), "party", ">="]),
    st.integers(), st.floats(), st.text(max_size=5),
    st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)


def containers(value: Any, path: tuple = ()) -> list[tuple]:
    """Paths of every mapping and list in the data."""
    out = []
    if isinstance(value, dict):
        out.append(path)
        for k, v in value.items():
            out += containers(v, (*path, k))
    elif isinstance(value, list):
        out.append(path)
        for i, v in enumerate(value):
            out += containers(v, (*path, i))
    return out


def at(value: Any, path: tuple) -> Any:
    for part in path:
        value = value[part]
    return value


@st.composite
def mutated_scenarios(draw: st.DrawFn) -> dict[str, Any]:
    data = draw(valid_scenarios())
    for _ in range(draw(st.integers(1, 3))):
        paths = containers(data)
        holder = at(data, draw(st.sampled_from(paths)))
        keys = list(holder.keys()) if isinstance(holder, dict) else list(range(len(holder)))
        op = draw(st.sampled_from(["delete", "wrong", "unknown", "rename", "range"]))
        if op == "unknown" and isinstance(holder, dict):
            holder[draw(st.sampled_from(["zzz", "nmae", "rols", "salince", "extends", 3, None]))] = draw(WRONG_VALUES)
        elif not keys:
            continue
        elif op == "delete":
            del holder[draw(st.sampled_from(keys))]
        elif op == "wrong":
            holder[draw(st.sampled_from(keys))] = draw(WRONG_VALUES)
        elif op == "rename" and isinstance(holder, dict):
            old = draw(st.sampled_from(keys))
            holder[draw(ids)] = holder.pop(old)
        elif op == "range":
            key = draw(st.sampled_from(keys))
            if isinstance(holder[key], int | float) and not isinstance(holder[key], bool):
                holder[key] = draw(st.sampled_from([-1, -1e-9, 1 + 1e-9, 2, 1001, 1e7])) * (1 if holder[key] >= 0 else -1)
    return data


def check_error(exc: ScenarioError) -> None:
    assert exc.problems
    for problem in exc.problems:
        line = str(problem)
        assert line and "\n" not in line
        assert problem.line is None or problem.line >= 1


@SETTINGS
@given(data=mutated_scenarios())
def test_mutated_scenarios_load_or_raise_scenario_error(data: dict[str, Any]):
    try:
        Scenario.from_dict(data, facts_dir=PROJECT_SEEDS)
    except ScenarioError as exc:
        check_error(exc)
    except Exception as exc:  # anything else is a loader bug
        raise AssertionError(f"{type(exc).__name__}: {exc}") from exc


@SETTINGS
@given(data=valid_scenarios(), edits=st.lists(
    st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 2),
              st.sampled_from([":", "-", "[", "]", "{", "}", "&a ", "*a", "!", "\t", "  ", "\n", "#", "'", '"',
                               "? ", "%", "@", "|", ">", ",", "\x00", "\ufeff", "<<: ", "$delete", "1e999"])),
    min_size=1, max_size=4))
def test_mutated_yaml_text_loads_or_raises_scenario_error(data: dict[str, Any], edits: list):
    text = yaml.safe_dump(data, sort_keys=False)
    for where, remove, insert in edits:
        i = math.floor(where * len(text))
        text = text[:i] + insert + text[i + remove:]
    try:
        scenario_from_yaml(text, base_dir=ROOT)
    except ScenarioError as exc:
        check_error(exc)
    except Exception as exc:  # anything else is a loader bug
        raise AssertionError(f"{type(exc).__name__}: {exc}\n--- text:\n{text}") from exc

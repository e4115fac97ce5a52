"""Loading scenarios: shipped files, overlays (extends and directives), the frozen Scenario and its views."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, SCENARIOS, run_sim
from pydantic import ValidationError

from sim import Scenario, ScenarioError, load_scenario, scenario_from_yaml
from sim.distributions import Normal, Triangular, Uniform
from sim.scenario import deep_merge

SHIPPED = sorted(SCENARIOS.glob("*.yaml"))


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text).lstrip("\n"))
    return path


def problems(exc: pytest.ExceptionInfo[ScenarioError]) -> list[str]:
    return [str(p) for p in exc.value.problems]


@pytest.fixture(scope="module")
def baseline() -> Scenario:
    return load_scenario(SCENARIOS / "baseline.yaml")


# ------------------------------------------------------------------------------ shipped scenarios


def test_there_are_shipped_scenarios():
    assert SCENARIOS / "baseline.yaml" in SHIPPED


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_shipped_scenario_loads(path: Path):
    scenario = load_scenario(path)
    assert scenario.name == scenario.data["name"]
    assert scenario.source == str(path)
    assert len(scenario.spec.issues) >= 1
    assert all(row["claim"] for row in scenario.evidence_table())


def test_cli_validates_every_shipped_scenario():
    result = run_sim("validate", *(str(p.relative_to(ROOT)) for p in SHIPPED))
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == len(SHIPPED)
    assert all(": ok (" in line for line in lines)


# ------------------------------------------------------------------------------ overlays


def test_overlay_merges_deeply(workdir: Path, baseline: Scenario):
    write(workdir, "case.yaml", """
        extends: baseline.yaml
        name: merged
        horizon: {rounds: 10}
        actors:
          russia:
            party: {resolve: 2.0}
        """)
    s = load_scenario("case.yaml")
    assert s.name == "merged"
    assert s.spec.horizon.rounds == 10
    assert s.spec.horizon.round_weeks == baseline.spec.horizon.round_weeks   # sibling kept
    assert s.spec.actors["russia"].party.resolve == 2.0
    assert s.spec.actors["russia"].party.discount == baseline.spec.actors["russia"].party.discount
    assert s.spec.actors["russia"].red_lines == baseline.spec.actors["russia"].red_lines
    assert s.spec.actors["ukraine"] == baseline.spec.actors["ukraine"]
    assert "extends" not in s.data


def test_overlay_delete_replace_append(workdir: Path, baseline: Scenario):
    write(workdir, "case.yaml", """
        extends: baseline.yaml
        shocks:
          us_walkaway_threat: {$delete: true}
        actors:
          ukraine:
            party: {$replace: {resolve: 2.0}}
            red_lines: {$append: [{issue: territory, op: "<=", bound: 0.5, hard: false}]}
          russia:
            red_lines: {$delete: true}
            party: {concession_with_depletion: 0}   # no stated position left to concede
        """)
    s = load_scenario("case.yaml")
    assert "us_walkaway_threat" not in s.spec.shocks
    assert set(s.spec.shocks) == set(baseline.spec.shocks) - {"us_walkaway_threat"}
    ukraine = s.spec.actors["ukraine"]
    assert ukraine.party.resolve == 2.0
    assert ukraine.party.ratification == () and ukraine.party.funding_cost == 0   # replaced whole, not merged
    assert not ukraine.party.judges_guarantees
    assert ukraine.red_lines[0] == baseline.spec.actors["ukraine"].red_lines[0]
    assert len(ukraine.red_lines) == len(baseline.spec.actors["ukraine"].red_lines) + 1
    assert ukraine.red_lines[-1].issue == "territory" and not ukraine.red_lines[-1].hard
    assert s.spec.actors["russia"].red_lines == ()
    assert "$" not in json.dumps(s.data, default=str)


def test_lists_replace_and_parameters_replace(workdir: Path, baseline: Scenario):
    write(workdir, "case.yaml", """
        extends: baseline.yaml
        front:
          evidence: [lit-hirshleifer-csf]
          drift: {normal: [0.03, 0.005]}
        durability:
          deterrence_effect: {value: 0.7}
        """)
    s = load_scenario("case.yaml")
    assert s.data["front"]["evidence"] == ["lit-hirshleifer-csf"]
    assert s.spec.front.drift == Normal(0.03, 0.005, 0.0, 1.0)
    assert s.data["front"]["drift"]["evidence"] == baseline.data["front"]["drift"]["evidence"]  # kept
    assert s.spec.durability.deterrence_effect == 0.7
    assert isinstance(baseline.spec.front.drift, Triangular)


def test_deep_merge_directives():
    base = {"a": {"x": 1, "y": [1, 2]}, "b": {"k": 1}, "c": 3}
    overlay = {"a": {"y": {"$append": [3]}, "z": 2}, "b": {"$replace": {"j": 2}}, "c": {"$delete": True},
               "d": {"e": {"$delete": True}, "f": {"$append": 4}}}
    assert deep_merge(base, overlay) == {"a": {"x": 1, "y": [1, 2, 3], "z": 2}, "b": {"j": 2}, "d": {"f": [4]}}
    assert base == {"a": {"x": 1, "y": [1, 2]}, "b": {"k": 1}, "c": 3}   # inputs untouched
    assert deep_merge({"p": {"uniform": [0, 1], "evidence": ["f"]}}, {"p": {"value": 0.5}}) == \
        {"p": {"evidence": ["f"], "value": 0.5}}
    assert deep_merge({"p": [1, 2]}, {"p": [3]}) == {"p": [3]}


BASE = """\
name: base
issues:
  split: {low: all to a, high: all to b}
actors:
  a: {name: A, roles: [party], position: {split: 0.4}, salience: {split: 1.0}}
  b:
    name: B
    roles: [party]
    position: {split: 0.6}
    salience: {split: 1.0}
    red_lines:
      - {issue: split, op: "<=", bound: 0.7}
      - {issue: nowhere, op: "<=", bound: 0.7}
  m: {name: M, roles: [mediator], position: {split: 0.5}, salience: {split: 1.0}}
institutions:
  talks: {mediators: [m], parties: [a, b]}
"""


def test_error_lines_point_into_the_file_that_holds_the_value(workdir: Path):
    (workdir / "base.yaml").write_text(BASE)
    write(workdir, "middle.yaml", """
        extends: base.yaml
        actors:
          a:
            capability: 500
        """)
    write(workdir, "top.yaml", """
        # a comment first
        extends: middle.yaml
        actors:
          b:
            red_lines:
              $append:
                - {issue: split, op: ">=", bound: 0.1}
                - {issue: elsewhere, op: ">=", bound: 0.1}
          m: {risk: 9}
        """)
    with pytest.raises(ScenarioError) as info:
        load_scenario("top.yaml")
    # the overlay's own problems first, then those of the files it extends; the appended item is
    # the fourth red line of b, but its line is in the overlay; the base's line is not disturbed
    assert [line.split(" (expected")[0] for line in problems(info)] == [
        "top.yaml:8: actors.b.red_lines[3].issue: issue 'elsewhere' is not defined",
        "top.yaml:9: actors.m.risk: value 9 is out of range",
        "base.yaml:13: actors.b.red_lines[1].issue: issue 'nowhere' is not defined",
        "middle.yaml:4: actors.a.capability: value 500 is out of range",
    ]


def test_overlay_in_a_subfolder_names_files_as_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    (tmp_path / "scen").mkdir()
    (tmp_path / "scen" / "base.yaml").write_text(BASE)
    write(tmp_path / "scen", "top.yaml", "extends: base.yaml\nname: top\n")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ScenarioError) as info:
        load_scenario("scen/top.yaml")
    assert problems(info)[0].startswith("scen/base.yaml:13: actors.b.red_lines[1].issue: issue 'nowhere'")


# ------------------------------------------------------------------------------ the Scenario object


def test_scenario_is_immutable(baseline: Scenario):
    with pytest.raises(dataclasses.FrozenInstanceError):
        baseline.spec = baseline.spec  # type: ignore[misc]
    with pytest.raises(ValidationError):
        baseline.spec.name = "changed"  # type: ignore[misc]
    with pytest.raises(ValidationError):
        baseline.spec.actors["russia"].party.resolve = 3.0  # type: ignore[misc]
    with pytest.raises(ValidationError):
        baseline.spec.institutions.talks.mediators = ("russia",)  # type: ignore[misc]
    assert baseline.name == "baseline"


def test_with_overrides_returns_a_new_validated_scenario(baseline: Scenario):
    before = json.dumps(baseline.data, sort_keys=True, default=str)
    new = baseline.with_overrides({"actors.russia.party.resolve": 2.0, "actors.russia.red_lines[0].bound": 0.8,
                                   "horizon.rounds": 9})
    assert new is not baseline and isinstance(new, Scenario)
    assert new.value("actors.russia.party.resolve") == 2.0
    assert new.spec.actors["russia"].red_lines[0].bound == 0.8
    assert new.spec.horizon.rounds == 9
    assert new.source == baseline.source
    assert new.digest() != baseline.digest()
    assert "actors.russia.party.resolve" not in new.distributions()
    # the original is unchanged
    assert isinstance(baseline.value("actors.russia.party.resolve"), Triangular)
    assert json.dumps(baseline.data, sort_keys=True, default=str) == before


@pytest.mark.parametrize(("overrides", "message"), [
    ({"actors.russia.party.resolve": 99}, "<overrides>: actors.russia.party.resolve: value 99 is out of range"),
    ({"actors.russia.party.resolve": "high"}, "<overrides>: actors.russia.party.resolve: value must be a number"),
    ({"actors.russia.party.resolv": 2.0}, "<overrides>: actors.russia.party: unknown key 'resolv'; did you mean"),
    ({"institutions.talks.mediators[0]": "nobody"}, "<overrides>: institutions.talks.mediators[0]: actor 'nobody' is not"),
    ({"name.first": "x"}, "<overrides>: (top level): cannot set 'name.first': name is 'baseline', not a mapping"),
    ({"actors.russia.red_lines[7].bound": 0.5},
     "<overrides>: (top level): cannot set 'actors.russia.red_lines[7].bound': actors.russia.red_lines has 3 item(s)"),
    ({"actors..russia": 1},
     "<overrides>: (top level): cannot set 'actors..russia': 'actors..russia' is not a key path"),
])
def test_invalid_override_raises_scenario_error(baseline: Scenario, overrides: dict, message: str):
    with pytest.raises(ScenarioError) as info:
        baseline.with_overrides(overrides)
    assert problems(info)[0].startswith(message), problems(info)[0]
    assert baseline.value("actors.russia.party.resolve") == Triangular(1.2, 1.5, 1.9)


def test_distributions_are_listed_by_dotted_path(baseline: Scenario):
    dists = baseline.distributions()
    assert dists["actors.russia.party.resolve"] == Triangular(1.2, 1.5, 1.9)
    assert isinstance(dists["actors.russia.red_lines[1].penalty"], Uniform)
    assert isinstance(dists["front.drift"], Triangular)
    assert isinstance(dists["actors.ukraine.red_lines[0].bound"], Uniform)
    for path, dist in dists.items():
        assert baseline.value(path) is dist
    assert "actors.ukraine.party.discount" not in dists   # a plain number


def test_evidence_table_rows_have_claims(baseline: Scenario):
    rows = baseline.evidence_table()
    assert len(rows) > 20
    assert all(set(row) == {"where", "fact", "kind", "claim"} for row in rows)
    assert all(row["claim"] for row in rows)
    assert {"where": "front", "fact": "lit-hirshleifer-csf"}.items() <= next(
        row for row in rows if row["fact"] == "lit-hirshleifer-csf").items()
    assert any(row["where"] == "actors.russia.party.resolve" for row in rows)


def test_scenario_from_yaml_extends_relative_to_base_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    text = "extends: baseline.yaml\nname: inline\nhorizon: {rounds: 9}\n"
    s = scenario_from_yaml(text, base_dir=SCENARIOS)
    assert s.name == "inline" and s.spec.horizon.rounds == 9
    assert len(s.spec.actors) == len(load_scenario(SCENARIOS / "baseline.yaml").spec.actors)
    monkeypatch.chdir(ROOT)
    assert scenario_from_yaml(text, base_dir="scenarios").name == "inline"
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ScenarioError, match=r"extends 'baseline\.yaml': file not found"):
        scenario_from_yaml(text)
    with pytest.raises(ScenarioError) as info:
        scenario_from_yaml(text + "front: {drift: 7}\n", base_dir=SCENARIOS, name="<cell 3>")
    assert problems(info)[0].startswith("<cell 3>:4: front.drift: value 7 is out of range")
    with pytest.raises(ScenarioError, match="top level is not a mapping"):
        scenario_from_yaml("- 1\n- 2\n")


def test_from_dict_takes_a_facts_folder(tmp_path: Path):
    facts = tmp_path / "facts"
    facts.mkdir()
    (facts / "mine.yaml").write_text("facts:\n  - {id: my-fact, kind: position, claim: It is so.}\n")
    data = {
        "name": "tiny", "issues": {"split": {"low": "a", "high": "b", "evidence": ["my-fact"]}},
        "actors": {
            "a": {"name": "A", "roles": ["party"], "position": {"split": 0.4}, "salience": {"split": 1.0}},
            "b": {"name": "B", "roles": ["party"], "position": {"split": 0.6}, "salience": {"split": 1.0}},
            "m": {"name": "M", "roles": ["mediator"], "position": {"split": 0.5}, "salience": {"split": 1.0}},
        },
        "institutions": {"talks": {"mediators": ["m"], "parties": ["a", "b"]}},
    }
    s = Scenario.from_dict(data, facts_dir=facts)
    assert s.evidence_table() == [{"where": "issues.split", "fact": "my-fact", "kind": "position", "claim": "It is so."}]
    with pytest.raises(ScenarioError, match="fact 'my-fact' is not in seeds/"):
        Scenario.from_dict(data)


# ------------------------------------------------------------------------------ the command line


def test_cli_schema_is_json_with_the_sections():
    result = run_sim("schema")
    assert result.returncode == 0, result.stderr
    schema = json.loads(result.stdout)
    assert {"issues", "actors", "institutions", "extends"} <= set(schema["properties"])
    assert set(schema["required"]) >= {"name", "issues", "actors", "institutions"}


def test_validate_does_not_import_mesa():
    code = ("import sys\nfrom sim.cli import main\nrc = main(['validate', 'scenarios/baseline.yaml'])\n"
            "assert rc == 0, rc\nassert 'mesa' not in sys.modules, 'mesa imported'\n")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr


def test_an_overlay_without_a_name_is_named_after_its_file(tmp_path):
    import shutil

    shutil.copy("scenarios/baseline.yaml", tmp_path / "baseline.yaml")
    (tmp_path / "my-variant.yaml").write_text("extends: baseline.yaml\nsanctions: {russia: {start: 0.7}}\n")
    assert load_scenario(tmp_path / "my-variant.yaml").name == "my-variant"


def test_the_candidate_set_size_cannot_be_a_distribution(tmp_path):
    import shutil

    shutil.copy("scenarios/baseline.yaml", tmp_path / "baseline.yaml")
    (tmp_path / "v.yaml").write_text("extends: baseline.yaml\ninstitutions:\n  talks: {candidates: {choice: [64, 128]}}\n")
    with pytest.raises(ScenarioError) as err:
        load_scenario(tmp_path / "v.yaml")
    assert str(err.value).endswith("v.yaml:3: institutions.talks.candidates: candidates cannot be a distribution "
                                   "(expected a fixed whole number)")


def test_variants_of_an_inline_scenario_check_evidence_against_its_own_facts(tmp_path, monkeypatch):
    import shutil

    from sim import scenario_from_yaml

    shutil.copytree(ROOT / "docs" / "examples", tmp_path / "examples")
    monkeypatch.chdir(tmp_path)  # far from any seeds/ folder of the project
    text = "extends: river-dam-dispute.yaml\nname: dam-variant\n"
    base = scenario_from_yaml(text, base_dir=tmp_path / "examples")
    assert base.facts_dir == (tmp_path / "examples" / "seeds").resolve()
    variant = base.with_overrides({"horizon.rounds": 10})
    assert variant.spec.horizon.rounds == 10


def test_overlay_schema_requires_nothing_and_allows_directives():
    done = subprocess.run([sys.executable, "-m", "sim", "schema", "--overlay"], capture_output=True, text=True)
    assert done.returncode == 0
    schema = json.loads(done.stdout)

    def keys(node):
        if isinstance(node, dict):
            yield from node
            for value in node.values():
                yield from keys(value)
        elif isinstance(node, list):
            for value in node:
                yield from keys(value)

    assert "required" not in set(keys(schema)) and "minProperties" not in set(schema["$defs"]["ActorSpec"])


def _as_editor_reads(path: Path) -> object:
    """A YAML file's data as an editor's schema check sees it: dates are text (YYYY-MM-DD)."""
    import datetime as dt

    def plain(value: object) -> object:
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        if isinstance(value, list):
            return [plain(v) for v in value]
        return value.isoformat() if isinstance(value, dt.date) else value
    return plain(yaml.safe_load(path.read_text()))


def test_every_shipped_overlay_validates_against_the_overlay_schema():
    # What an editor shows must agree with the loader: no false errors on a shipped overlay (issue 18).
    import jsonschema

    done = subprocess.run([sys.executable, "-m", "sim", "schema", "--overlay"], capture_output=True, text=True)
    validator = jsonschema.Draft202012Validator(json.loads(done.stdout))
    overlays = [f for f in sorted(SCENARIOS.glob("*.yaml")) if "extends" in yaml.safe_load(f.read_text())]
    assert len(overlays) >= 9
    for path in overlays:
        errors = [f"{'.'.join(map(str, e.absolute_path))}: {e.message[:120]}"
                  for e in validator.iter_errors(_as_editor_reads(path))]
        assert not errors, f"{path.name}: {errors}"
    # and it still catches what is wrong: a misspelt key, a number out of its type, a bad directive
    for wrong in ({"actors": {"russia": {"party": {"resolv": 2.0}}}}, {"horizon": {"rounds": "many"}},
                  {"actors": {"russia": {"red_lines": {"$apend": []}}}}):
        assert list(validator.iter_errors({"extends": "baseline.yaml", **wrong})), wrong


def test_the_full_schema_accepts_every_full_scenario_file():
    import jsonschema

    done = subprocess.run([sys.executable, "-m", "sim", "schema"], capture_output=True, text=True)
    validator = jsonschema.Draft202012Validator(json.loads(done.stdout))
    cases = (p for p in (ROOT / "backtests").glob("*.yaml") if not p.name.endswith(".outcome.yaml"))
    full = [ROOT / "scenarios" / "baseline.yaml", *sorted(cases), *sorted((ROOT / "docs" / "examples").glob("*.yaml"))]
    for path in full:
        errors = [f"{'.'.join(map(str, e.absolute_path))}: {e.message[:120]}"
                  for e in validator.iter_errors(_as_editor_reads(path))]
        assert not errors, f"{path.name}: {errors}"


def test_the_scenarios_folder_is_the_nearest_one_with_a_baseline(tmp_path: Path):
    from sim import scenarios_folder

    (tmp_path / "course" / "scenarios").mkdir(parents=True)
    (tmp_path / "course" / "scenarios" / "baseline.yaml").write_text("name: baseline\n")
    (tmp_path / "course" / "week1").mkdir()
    assert scenarios_folder(tmp_path / "course" / "week1") == (tmp_path / "course" / "scenarios").resolve()
    # Nowhere near one: the scenarios of the checkout this package is installed from.
    assert (scenarios_folder(tmp_path) / "baseline.yaml").is_file()


def test_a_variant_copies_the_data_it_changes_and_shares_no_container_with_its_scenario():
    import copy

    from sim.scenario.frozen import copy_tree

    base = load_scenario(SCENARIOS / "baseline.yaml")
    data = dict(base.data)
    copied = copy_tree(data)
    assert copied == copy.deepcopy(data)

    def containers(value, found):
        if isinstance(value, dict | list):
            found.add(id(value))
            for v in value.values() if isinstance(value, dict) else value:
                containers(v, found)
        return found

    assert not containers(copied, set()) & containers(data, set())
    variant = base.with_overrides({"actors.russia.party.war_cost": 0.02})
    assert variant.data["actors"]["russia"]["party"]["war_cost"] == 0.02
    assert base.data["actors"]["russia"]["party"]["war_cost"] != 0.02

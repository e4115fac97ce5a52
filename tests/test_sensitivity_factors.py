"""Sensitivity over every numeric parameter: --range, --all-params and its spread, Morris groups, --top-from."""

import json
import math

import numpy as np
import pandas as pd
import pytest
import yaml
from conftest import run_sim
from tiny import tiny, tiny_data
from toy_scenarios import CUT, DECIDING, IRRELEVANT, decisive

from sim.factors import (
    SHAPE,
    SOLVER_SETTINGS,
    NumericField,
    all_factors,
    choose_factors,
    excluded,
    group_of,
    numeric_fields,
    spread_range,
    top_factors,
)
from sim.sensitivity import plan, sensitivity

#: A fixed number of the tiny scenario that acts only on a deal once agreed (it has no aftermath window).
HAZARD = "durability.base_hazard_per_year"


def unit(value: float) -> NumericField:
    return NumericField("p", value, 0.0, 1.0, False)


# --- --range -----------------------------------------------------------------------------------


def test_a_range_makes_a_fixed_number_a_factor_sampled_in_it_that_moves_the_outcome():
    scenario = tiny()  # hold_out is a fixed 0.02 there: every run ends in a deal
    assert isinstance(scenario.value(DECIDING), float)
    factors = choose_factors(scenario, ranges=[(DECIDING, 0.2, 0.8)])
    assert [(f.path, f.source, f.dist.bounds) for f in factors] == [(DECIDING, "range", (0.2, 0.8))]
    result = sensitivity(scenario, method="morris", n=6, runs_per_point=1, outcomes=["p_deal"], factors=factors)
    values = result.points[DECIDING]
    assert values.between(0.2, 0.8).all() and values.nunique() > 1
    # a deal exactly below the cut of the toy (tests/toy_scenarios.py), so the outcome moves with the factor
    assert (result.points.p_deal == (values < CUT)).all()
    assert 0 < result.points.p_deal.mean() < 1
    assert result.indices.loc[result.indices.parameter == DECIDING, "mu_star"].item() > 0.1


def test_a_drawn_parameter_given_a_range_is_sampled_over_the_range_and_the_manifest_says_so():
    toy = decisive()  # hold_out ~ uniform(0.2, 0.8) there
    factors = choose_factors(toy, params=[IRRELEVANT], ranges=[(DECIDING, 0.7, 0.8)])
    the_plan = plan(toy, method="sobol", n=8, runs_per_point=1, factors=factors)
    values = np.array([p.values[DECIDING] for p in the_plan.points])
    assert ((values >= 0.7) & (values <= 0.8)).all()
    info = the_plan.manifest["sensitivity"]
    assert info["drawn_but_sampled_over_a_range"] == [DECIDING]
    rows = {row["parameter"]: row for row in info["factors"]}
    assert rows[DECIDING]["source"] == "range" and (rows[DECIDING]["low"], rows[DECIDING]["high"]) == (0.7, 0.8)
    assert rows[IRRELEVANT]["source"] == "distribution"


def test_an_integer_field_gets_whole_values():
    factors = choose_factors(tiny(), ranges=[("institutions.talks.max_suspensions", 2, 6)])
    points = plan(tiny(), method="morris", n=4, runs_per_point=1, factors=factors).points
    values = {p.values["institutions.talks.max_suspensions"] for p in points}
    assert values <= {2, 3, 4, 5, 6} and all(isinstance(v, int) for v in values)


@pytest.fixture(scope="module")
def tiny_file(tmp_path_factory):
    file = tmp_path_factory.mktemp("tiny") / "tiny.yaml"
    file.write_text(yaml.safe_dump(tiny_data()))
    return file


@pytest.mark.parametrize(("option", "message"), [
    ("actors.a.party.hold_ou=0.2:0.8", "--range actors.a.party.hold_ou=0.2:0.8: unknown key 'hold_ou'; "
                                       "did you mean 'hold_out'?"),
    ("actors.a.name=0.2:0.8", "--range actors.a.name=0.2:0.8: holds 'A', not a number"),
    ("actors.a.party.hold_out=0.8:0.2", "--range actors.a.party.hold_out=0.8:0.2: LOW 0.8 is not below HIGH 0.2"),
    ("actors.a.party.hold_out=0.5:0.5", "LOW 0.5 is not below HIGH 0.5 (expected LOW < HIGH)"),
    ("actors.a.party.hold_out=0.2:1.5", "--range actors.a.party.hold_out=0.2:1.5: 1.5 is outside the field's range "
                                        "(expected a number between 0 and 1)"),
    ("institutions.talks.max_suspensions=2:3.5", "3.5 is not a whole number (expected a whole number between 1 and 100)"),
    ("horizon.rounds=4:8", "--range horizon.rounds=4:8: the horizon sets the scale of the outcome measures"),
    ("actors.a.salience.split=0.5:1", "at 0.5 the scenario is invalid: actors.a.salience: saliences sum to 0.5"),
    ("actors.a.party.hold_out=0.2", "--range actors.a.party.hold_out=0.2: expected KEY.PATH=LOW:HIGH"),
])
def test_a_bad_range_is_one_line_naming_the_option_and_the_path(tiny_file, option, message):
    result = run_sim("sensitivity", str(tiny_file), "--range", option, "--runs-per-point", "1")
    assert result.returncode == 1
    assert result.stderr.startswith("sim: error: --range ")
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


# --- --all-params ------------------------------------------------------------------------------


def test_all_params_takes_fixed_numbers_and_drawn_ones_but_not_labels_booleans_the_solver_or_the_horizon():
    toy = decisive()
    factors = {f.path: f for f in all_factors(toy)}
    # fixed numbers, defaults included, each spread around its value
    assert factors["actors.a.position.split"].source == "spread"
    assert factors["actors.a.position.split"].dist.bounds == (0.3, 0.5)
    assert factors["actors.m.mediator.bias"].source == "spread"  # a default (the file says nothing of it)
    # a drawn parameter keeps its distribution
    assert factors[DECIDING].source == "distribution" and factors[DECIDING].dist == toy.distributions()[DECIDING]
    # a behavioural parameter of the model is a parameter
    assert factors["durability.guarantees_effect"].source == "spread"
    fields = numeric_fields(toy)
    assert "actors.a.name" not in fields and "issues.split.label" not in fields  # labels
    assert "institutions.talks.mediators_know_resolve" not in fields  # a boolean
    assert "actors.a.roles" not in fields and "institutions.talks.parties" not in fields  # ids
    for path in (*SOLVER_SETTINGS, *SHAPE):
        assert path in fields and path not in factors
    left_out = excluded(toy)
    assert left_out["institutions.talks.belief_grid"] == "a numerical setting of the solver"
    # saliences must sum to 1, so one can not move alone
    assert "saliences sum to" in left_out["actors.a.salience.split"]


@pytest.mark.parametrize(("x", "field", "expected"), [
    (0.4, unit(0.4), (0.3, 0.5)),
    (0.9, unit(0.9), (0.675, 1.0)),  # a unit field near 1 is clipped to 1
    (-0.4, NumericField("p", -0.4, -1, 1, False), (-0.5, -0.3)),
    (0.0, unit(0.0), (0.0, 0.25)),  # x = 0: s times the upper bound
    (0.0, NumericField("p", 0.0, 0, 10, False), (0.0, 2.5)),
    (0.0, NumericField("p", 0.0, -1, math.inf, False), (0.0, 0.25)),  # no upper bound: s times 1
    (3, NumericField("p", 3, 1, 100, True), (2, 4)),  # whole ends, outward
    (4, NumericField("p", 4, 0, 1000, True), (3, 5)),
])
def test_the_spread_rule(x, field, expected):
    assert spread_range(x, field, 0.25) == pytest.approx(expected)


# --- groups ------------------------------------------------------------------------------------


def test_groups_are_entries_of_named_sections_or_top_level_sections():
    assert group_of("actors.russia.party.resolve") == "actors.russia"
    assert group_of("actors.russia.red_lines[0].bound") == "actors.russia"
    assert group_of("shocks.talks_stall.effects.front[1]") == "shocks.talks_stall"
    assert group_of("institutions.coalition.F_min") == "institutions.coalition"
    assert group_of("durability.guarantees_effect") == "durability"
    assert group_of("front.attacker.russia") == "front"


def test_morris_over_groups_gives_one_mu_star_per_group():
    toy = decisive()
    factors = choose_factors(toy, all_params=True, group_by="section")
    groups = list(dict.fromkeys(f.group for f in factors))
    assert {"actors.a", "actors.b", "actors.m", "durability"} <= set(groups)
    result = sensitivity(toy, method="morris", n=4, runs_per_point=1, factors=factors, outcomes=["p_deal"])
    assert len(result.points) == 4 * (len(groups) + 1)  # a trajectory costs groups + 1 points
    table = result.indices
    assert sorted(table.parameter) == sorted(groups)
    assert table.groupby("parameter").size().eq(1).all()
    by_group = table.set_index("parameter").mu_star
    assert by_group["actors.a"] > 0.1  # a's hold-out decides the deal
    assert by_group["actors.a"] == by_group.max()


def test_sobol_over_groups_is_refused():
    factors = choose_factors(decisive(), group_by="section")
    with pytest.raises(ValueError, match="--group-by is for Morris"):
        plan(decisive(), method="sobol", n=8, factors=factors)


# --- the command line and --top-from -----------------------------------------------------------


def test_cli_all_params_morris_by_section_writes_the_factors(tmp_path, tiny_file):
    out = tmp_path / "screen"
    result = run_sim("sensitivity", str(tiny_file), "--method", "morris", "--all-params", "--group-by", "section",
                     "--n", "2", "--runs-per-point", "1", "--workers", "1", "--outcome", "p_deal", "--out", str(out))
    assert result.returncode == 0, result.stderr
    factors = pd.read_csv(out / "factors.csv")
    assert {"parameter", "group", "source", "low", "high", "integer", "distribution"} <= set(factors.columns)
    assert "actors.a.party.hold_out" in set(factors.parameter)
    assert set(factors.source) == {"spread"}  # the tiny scenario draws nothing
    manifest = json.loads((out / "manifest.json").read_text())
    assert len(manifest["sensitivity"]["factors"]) == len(factors)
    assert manifest["sensitivity"]["group_by"] == "section"
    left_out = pd.read_csv(out / "excluded.csv")
    assert "institutions.talks.candidates" in set(left_out.parameter)
    indices = pd.read_csv(out / "indices.csv")
    assert set(indices.parameter) == set(factors.group)
    # issues.split, actors.a, actors.b, actors.m, institutions.talks, durability
    assert f"over {len(factors)} parameters in 6 groups" in result.stdout.splitlines()[0]


def test_top_from_takes_the_largest_mu_star_with_the_ranges_they_had(tmp_path, tiny_file):
    screen = tmp_path / "screen"
    done = run_sim("sensitivity", str(tiny_file), "--method", "morris", "--n", "4", "--runs-per-point", "1",
                   "--workers", "1", "--outcome", "p_deal", "--out", str(screen),
                   "--range", f"{DECIDING}=0.2:0.8", "--range", f"{HAZARD}=0.1:0.3",
                   "--range", "actors.b.party.war_cost=0.005:0.02")
    assert done.returncode == 0, done.stderr
    assert "over 3 parameters;" in done.stdout.splitlines()[0]  # one factor per parameter: no groups
    assert top_factors(screen, top=1) == ([], [(DECIDING, 0.2, 0.8)])
    then = run_sim("sensitivity", str(tiny_file), "--method", "sobol", "--top-from", str(screen), "--top", "1",
                   "--n", "8", "--runs-per-point", "1", "--workers", "1", "--outcome", "p_deal")
    assert then.returncode == 0, then.stderr
    assert "over 1 parameters" in then.stdout.splitlines()[0]
    assert DECIDING in then.stdout


def test_top_from_refuses_a_grouped_screening(tmp_path):
    folder = tmp_path / "grouped"
    folder.mkdir()
    pd.DataFrame({"outcome": ["p_deal"], "parameter": ["actors.a"], "mu_star": [0.5]}).to_csv(folder / "indices.csv")
    pd.DataFrame({"parameter": [DECIDING], "group": ["actors.a"], "source": ["spread"], "low": [0.0],
                  "high": [0.1]}).to_csv(folder / "factors.csv")
    with pytest.raises(ValueError, match="a grouped screening"):
        top_factors(folder)


@pytest.mark.parametrize(("extra", "message"), [
    (["--all-params", "--spread", "1.5"], "--spread 1.5: expected a share between 0 and 1"),
    (["--all-params", "--top-from", "somewhere"], "give either --all-params or --top-from, not both"),
    (["--top-from", "no-such-folder"], "--top-from no-such-folder: no indices.csv"),
    (["--all-params", "--group-by", "section"], "--group-by is for Morris screening"),  # Sobol is the default
])
def test_other_bad_requests_are_one_line(tiny_file, extra, message):
    result = run_sim("sensitivity", str(tiny_file), "--runs-per-point", "1", *extra)
    assert result.returncode == 1
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1

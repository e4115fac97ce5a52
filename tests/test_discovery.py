"""Scenario discovery: PRIM and the tree recover known boxes; words; clear errors."""

import math
import re

import numpy as np
import pandas as pd
import pytest
from conftest import run_sim
from tiny import tiny
from toy_scenarios import CUT, DECIDING, IRRELEVANT, decisive

from sim.discovery import (
    Box,
    DiscoveryError,
    describe_box,
    describe_tests,
    discover,
    evaluate_outcome,
    input_columns,
    pooled_leftovers,
    short_names,
)
from sim.discovery.stats import wilson
from sim.experiment import run_many
from sim.results import run_to_directory
from sim.sensitivity import sensitivity

DEAL = 'outcome == "deal"'


@pytest.fixture(scope="module")
def toy_runs():
    """Runs of the toy scenario, each drawing its own value of both parameters."""
    return run_many(decisive(), runs=800, seed=11)


def synthetic(n=3000, noise=0.1, seed=0):
    """x0 decides (x0 < 0.6) with a share ``noise`` of labels flipped; x1 and x2 are irrelevant."""
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(rng.uniform(size=(n, 3)), columns=["p.x0", "p.x1", "p.x2"])
    hit = (frame["p.x0"] < 0.6) ^ (rng.uniform(size=n) < noise)
    frame["outcome"] = np.where(hit, "deal", "no_deal")
    return frame


@pytest.mark.parametrize("method", ["prim", "tree"])
def test_discovery_recovers_the_deciding_range_of_the_toy(toy_runs, method):
    boxes = discover(toy_runs, DEAL, method=method, max_boxes=3)
    assert len(boxes) == 1  # nothing left to find outside the first box
    box = boxes[0]
    assert set(box.restrictions) == {DECIDING}
    low, high = box.restrictions[DECIDING]
    assert low == -math.inf
    # PRIM peels the box in steps of 5% of what is left, so its edge may stop up to one step short of
    # the cut: 5% of the hold-out's range (0.2 to 0.8) of a uniform sample.
    assert abs(high - CUT) < 0.05 * (0.8 - 0.2)
    # One peel step short of the cut loses at most 0.03 of the 0.4 wide deciding range: coverage > 0.9.
    assert box.density == 1.0 and box.coverage > 0.9
    assert box.mass == pytest.approx((toy_runs.outcome == "deal").mean(), abs=0.05 * 0.6)
    assert box.contains(toy_runs).sum() == round(box.mass * len(toy_runs))


@pytest.mark.parametrize("method", ["prim", "tree"])
def test_discovery_over_a_sobol_sample_of_the_toy(method):
    result = sensitivity(decisive(), method="sobol", n=32, runs_per_point=2, seed=4, outcomes=["p_deal"])
    box = discover(result.runs, DEAL, method=method)[0]
    assert list(box.restrictions) == [DECIDING]
    assert abs(box.restrictions[DECIDING][1] - CUT) < 0.03
    assert box.density == 1.0


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("method", ["prim", "tree"])
def test_noisy_outcome_restricts_only_the_deciding_column(method, seed):
    frame = synthetic(seed=seed)
    box = discover(frame, DEAL, method=method)[0]
    assert set(box.restrictions) == {"p.x0"}
    low, high = box.restrictions["p.x0"]
    assert low < 0.05 and abs(high - 0.6) < 0.08  # a lower bound, if any, is trivial
    assert 0.85 < box.density < 0.95  # 90% by construction
    assert box.coverage > 0.7


def test_prim_finds_a_box_in_two_dimensions():
    rng = np.random.default_rng(3)
    frame = pd.DataFrame(rng.uniform(size=(4000, 3)), columns=["p.x0", "p.x1", "p.x2"])
    frame["outcome"] = np.where((frame["p.x0"] < 0.5) & (frame["p.x1"] > 0.3), "deal", "no_deal")
    box = discover(frame, DEAL, threshold=0.8)[0]
    assert set(box.restrictions) == {"p.x0", "p.x1"}
    assert abs(box.restrictions["p.x0"][1] - 0.5) < 0.03
    assert abs(box.restrictions["p.x1"][0] - 0.3) < 0.03
    assert box.density > 0.97 and box.coverage >= 0.8


def test_prim_covering_finds_a_second_box_outside_the_first():
    rng = np.random.default_rng(4)
    frame = pd.DataFrame(rng.uniform(size=(4000, 3)), columns=["p.x0", "p.x1", "p.x2"])
    frame["outcome"] = np.where((frame["p.x0"] < 0.3) | (frame["p.x1"] > 0.8), "deal", "no_deal")
    first, second = discover(frame, DEAL, max_boxes=2)
    assert {tuple(first.restrictions), tuple(second.restrictions)} == {("p.x0",), ("p.x1",)}
    assert first.coverage + second.coverage == pytest.approx(1.0, abs=0.03)
    assert min(first.density, second.density) > 0.97


def test_grid_values_give_a_bound_half_way_between_levels():
    frame = pd.DataFrame({"p.level": np.repeat([0.0, 1.0, 2.0, 3.0], 50)})
    frame["outcome"] = np.where(frame["p.level"] <= 1, "deal", "no_deal")
    for method in ("prim", "tree"):
        box = discover(frame, DEAL, method=method)[0]
        assert box.restrictions == {"p.level": (-math.inf, 1.5)}


def test_describe_box_reads_as_a_sentence():
    box = Box({"actors.russia.party.resolve": (-math.inf, 1.3), "actors.united_states.backer.backstop": (0.6, math.inf)},
              coverage=0.58, density=0.71, mass=0.24, outcome=DEAL, baseline=0.21)
    assert describe_box(box) == (
        "deal in 71% of runs when russia resolve < 1.3 and united states backstop > 0.6; the box holds 24% "
        "of all runs and covers 58% of all runs with deal (baseline rate 21%)")
    two_sided = Box({"front.drift": (0.02, 0.03)}, 0.5, 0.5, 0.5, outcome="force_deployed", baseline=0.3)
    assert describe_box(two_sided).startswith("'force_deployed' in 50% of runs when 0.02 < front drift < 0.03;")


def test_short_names_stay_unambiguous():
    names = short_names(["actors.russia.party.resolve", "actors.russia.mediator.resolve", "front.drift"])
    assert names["front.drift"] == "front drift"
    assert names["actors.russia.party.resolve"] == "actors.russia.party.resolve"
    assert names["actors.russia.mediator.resolve"] == "actors.russia.mediator.resolve"


def test_outcome_expressions(toy_runs):
    assert evaluate_outcome(toy_runs, DEAL).mean() == (toy_runs.outcome == "deal").mean()
    held = evaluate_outcome(toy_runs, "deal_held")  # 0/1 with NaN counts as true/false
    assert held.dtype == bool
    assert evaluate_outcome(toy_runs, f"`{DECIDING}` < 0.5").any()
    with pytest.raises(DiscoveryError, match=r"'outcom == \"deal\"' is not a valid expression.*'outcome'"):
        evaluate_outcome(toy_runs, 'outcom == "deal"')
    with pytest.raises(DiscoveryError, match="is not a valid expression"):
        evaluate_outcome(toy_runs, "outcome ==")
    with pytest.raises(DiscoveryError, match="does not give true or false"):
        evaluate_outcome(toy_runs, "deal_round + 5")
    with pytest.raises(DiscoveryError, match="true in none"):
        discover(toy_runs, 'outcome == "collapse"')


def test_input_columns(toy_runs):
    assert set(input_columns(toy_runs)) == {DECIDING, IRRELEVANT}
    with pytest.raises(DiscoveryError, match="did you mean"):
        input_columns(toy_runs, ["actors.a.party.holdout"])
    with pytest.raises(DiscoveryError, match="no varying parameter columns"):
        input_columns(toy_runs.drop(columns=[DECIDING, IRRELEVANT]))
    boxes = discover(toy_runs, DEAL, params=[IRRELEVANT])
    assert all(set(b.restrictions) <= {IRRELEVANT} for b in boxes)


def test_cli_discover_prints_boxes_in_words(tmp_path):
    folder = run_to_directory(decisive(), tmp_path / "toy", runs=300, seed=2)
    for method in ("prim", "tree"):
        result = run_sim("discover", str(folder), "--outcome", DEAL, "--method", method)
        assert result.returncode == 0, result.stderr
        # The words name the deciding parameter and an edge within a peel step below the cut (0.6).
        edge = re.search(r"box 1: deal in 100% \(\d+-100%\) of runs when a hold out < (0\.\d+)", result.stdout)
        assert edge, result.stdout
        assert CUT - 0.05 * 0.6 < float(edge.group(1)) <= CUT + 0.01
        assert f"a hold out = {DECIDING}" in result.stdout


def test_cli_discover_errors_are_clear(tmp_path):
    fixed = run_to_directory(tiny(), tmp_path / "fixed", runs=20, seed=0)
    result = run_sim("discover", str(fixed), "--outcome", DEAL)
    assert result.returncode == 1
    assert "no varying parameter columns" in result.stderr
    toy = run_to_directory(decisive(), tmp_path / "toy", runs=50, seed=0)
    result = run_sim("discover", str(toy), "--outcome", 'outcome == "deal" and')
    assert result.returncode == 1
    assert "--outcome 'outcome == \"deal\" and' is not a valid expression" in result.stderr
    result = run_sim("discover", str(toy), "--outcome", "outcome == deal")
    assert result.returncode == 1
    assert "--outcome 'outcome == deal' is not a valid expression" in result.stderr
    assert "name 'deal' is not defined" in result.stderr
    result = run_sim("discover", str(toy), "--outcome", DEAL, "--params", "actors.a.party.hold_ou")
    assert result.returncode == 1 and f"did you mean {DECIDING!r}" in result.stderr
    result = run_sim("discover", str(tmp_path / "nowhere"), "--outcome", DEAL)
    assert result.returncode == 1 and "no such result folder" in result.stderr
    (tmp_path / "empty").mkdir()
    result = run_sim("discover", str(tmp_path / "empty"), "--outcome", DEAL)
    assert result.returncode == 1 and "no runs.parquet" in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1


# ------------------------------------------------------------------- how sure a box is (issue 18)


def clustered(points=40, runs=100, seed=0):
    """Like the README's Latin hypercube: 40 design points of 100 runs each. ``p.real`` decides
    (rate 70% below 0.4, 5% above, each point off by its own noise); ``p.null`` has no effect."""
    rng = np.random.default_rng(seed)
    design = pd.DataFrame(rng.uniform(size=(points, 2)), columns=["p.real", "p.null"])
    rate = np.clip(np.where(design["p.real"] < 0.4, 0.7, 0.05) + rng.normal(0, 0.15, points), 0, 1)
    frame = design.loc[np.repeat(np.arange(points), runs)].reset_index(drop=True)
    frame["outcome"] = np.where(rng.uniform(size=len(frame)) < np.repeat(rate, runs), "deal", "no_deal")
    return frame


@pytest.mark.parametrize("seed", [0, 2, 3, 4])  # seeds where PRIM without the test kept p.null
@pytest.mark.parametrize("method", ["prim", "tree"])
def test_a_parameter_without_effect_gets_no_rule(method, seed):
    box, *_ = discover(clustered(seed=seed), DEAL, method=method)
    assert set(box.restrictions) == {"p.real"}
    assert box.p_values["p.real"] < 0.01 and box.points == 40
    assert set(box.dropped) <= {"p.null"} and all(p > 0.025 for p in box.dropped.values())
    words = describe_tests(box)
    assert "p real p = 0.001" in words and "40 design points" in words
    assert "p null" not in describe_box(box)
    if box.dropped:
        assert "no rule stated on p null (p = 0." in words


def test_no_box_when_no_parameter_matters():
    frame = clustered(seed=1)
    frame["outcome"] = np.where(np.random.default_rng(5).uniform(size=len(frame)) < 0.3, "deal", "no_deal")
    for method in ("prim", "tree"):
        assert discover(frame, DEAL, method=method) == []


def tree_table(seed):
    """Two parameters that matter (one continuous, one on a grid of five levels) and one that does not."""
    rng = np.random.default_rng(seed)
    X = np.column_stack([rng.uniform(size=1500), rng.integers(0, 5, size=1500) / 4, rng.uniform(size=1500)])
    y = ((X[:, 0] < 0.6) & (X[:, 1] > 0.3)) ^ (rng.uniform(size=1500) < 0.15)
    return X, y


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_tree_leaves_are_scikit_learns_partition(seed):
    from sklearn.tree import DecisionTreeClassifier

    from sim.discovery.methods import _inside, _tree_leaves

    X, y = tree_table(seed)
    model = DecisionTreeClassifier(criterion="gini", max_depth=3, min_samples_leaf=75, random_state=0).fit(X, y)
    node = model.apply(X)
    counts = model.tree_.n_node_samples
    leaves = _tree_leaves(X, y, depth=3, min_count=75, prune=False)
    assert len(leaves) == model.get_n_leaves()
    # Every run falls in exactly one leaf, the one whose bounds contain it, and that is sklearn's leaf.
    inside = np.array([_inside(X, lo, hi) for lo, hi, _ in leaves])
    assert (inside.sum(axis=0) == 1).all()
    for (*_, runs), bounded in zip(leaves, inside, strict=True):
        assert np.array_equal(runs, bounded)
        (leaf,) = np.unique(node[runs])
        assert np.array_equal(runs, node == leaf) and runs.sum() == counts[leaf]
    # Pruning merges sibling leaves back into their parent: each pruned leaf is a union of sklearn's.
    pruned = _tree_leaves(X, y, depth=3, min_count=75)
    assert len(pruned) < len(leaves)
    assert (np.array([runs for *_, runs in pruned]).sum(axis=0) == 1).all()
    for lo, hi, runs in pruned:
        assert np.array_equal(runs, _inside(X, lo, hi))
        assert runs.sum() == sum(counts[leaf] for leaf in np.unique(node[runs]))
        assert not (np.isin(node, np.unique(node[runs])) & ~runs).any()


def test_wilson_interval_matches_scipy():
    from scipy.stats import binomtest

    cases = [(0, 10), (3, 10), (10, 10), (1, 40), (17, 40), (250, 4000), (1, 1)]
    low, high = wilson([k for k, _ in cases], [n for _, n in cases])
    for (k, n), a, b in zip(cases, low, high, strict=True):
        expected = binomtest(k, n).proportion_ci(confidence_level=0.95, method="wilson")
        assert (a, b) == pytest.approx((expected.low, expected.high), abs=1e-12)


@pytest.mark.parametrize("frame", [clustered(seed=0), synthetic(seed=0)], ids=["clustered", "distinct"])
def test_intervals_contain_the_point_estimates(frame):
    for method in ("prim", "tree"):
        box = discover(frame, DEAL, method=method)[0]
        for share, (low, high) in ((box.density, box.density_ci), (box.mass, box.mass_ci),
                                   (box.coverage, box.coverage_ci)):
            assert 0 <= low <= share <= high <= 1 and low < high
    # Design points, not runs, are counted: 40 points give a wide interval, 3,000 distinct runs a narrow one.
    wide, narrow = discover(clustered(seed=0), DEAL)[0], discover(synthetic(seed=0), DEAL)[0]
    assert wide.mass_ci[1] - wide.mass_ci[0] > 0.15 > 0.05 > narrow.mass_ci[1] - narrow.mass_ci[0]


def test_a_one_parameter_grid_counts_runs():
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"p.level": np.repeat([0.0, 1.0, 2.0, 3.0], 200)})
    frame["outcome"] = np.where(rng.uniform(size=800) < np.where(frame["p.level"] <= 1, 0.6, 0.2), "deal", "no")
    box = discover(frame, DEAL)[0]
    assert box.restrictions == {"p.level": (-math.inf, 1.5)} and box.points == 4
    assert box.p_values["p.level"] < 0.01  # runs of points alike but for p.level are shuffled
    assert box.density_ci[1] - box.density_ci[0] < 0.1  # 400 runs in the box, not 2 points


def test_scenarios_are_not_pooled_unless_asked():
    one, two = synthetic(seed=0), synthetic(seed=1)
    frame = pd.concat([one.assign(scenario="baseline"), two.assign(scenario="river")], ignore_index=True)
    with pytest.raises(DiscoveryError, match=r"2 scenarios \(baseline, river\).*--pool"):
        discover(frame, DEAL)
    assert set(discover(frame, DEAL, pool=True)[0].restrictions) == {"p.x0"}
    assert discover(one.assign(scenario="baseline"), DEAL)  # one scenario: nothing pooled


def test_pooled_scenarios_are_discovered_over_the_parameters_they_all_draw():
    one, two = synthetic(seed=0), synthetic(seed=1)
    two = two.assign(**{"p.only_in_baseline": np.nan})
    one = one.assign(**{"p.only_in_baseline": np.random.default_rng(3).uniform(size=len(one))})
    frame = pd.concat([one.assign(scenario="baseline"), two.assign(scenario="river")], ignore_index=True)
    assert pooled_leftovers(frame) == ["p.only_in_baseline"]
    assert "p.only_in_baseline" not in input_columns(frame, pool=True)
    assert set(discover(frame, DEAL, pool=True)[0].restrictions) == {"p.x0"}
    with pytest.raises(DiscoveryError, match="not drawn in every pooled scenario"):
        discover(frame, DEAL, params=["p.x0", "p.only_in_baseline"], pool=True)


def test_cli_discover_refuses_a_compare_folder_unless_pooled(workdir):
    (workdir / "no-backstop.yaml").write_text(
        "extends: baseline.yaml\nname: no-backstop\nactors:\n  united_states:\n    backer:\n"
        "      backstop: {$replace: {value: 0.0}}\n", encoding="utf-8")
    result = run_sim("compare", "baseline.yaml", "no-backstop.yaml", "--runs", "30", "--workers", "1",
                     "--out", "out", cwd=workdir)
    assert result.returncode == 0, result.stderr
    result = run_sim("discover", "out", "--outcome", DEAL, cwd=workdir)
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.strip().splitlines() == [
        "sim: error: the runs hold 2 scenarios (baseline, no-backstop); discovery would pool them: "
        "pass --pool (pool=True) to do so, or discover over one scenario's runs"]
    result = run_sim("discover", "out", "--outcome", DEAL, "--pool", "--params", "front.drift", cwd=workdir)
    assert result.returncode == 0, result.stderr

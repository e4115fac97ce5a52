"""Sensitivity analysis: known answers on a toy scenario, sampling by quantile, files and CLI errors."""

import matplotlib
import numpy as np
import pandas as pd
import pytest
import yaml
from conftest import BASELINE, run_sim
from scipy import stats
from tiny import tiny, tiny_data
from toy_scenarios import CUT, DECIDING, IRRELEVANT, decisive

from sim import load_scenario
from sim.experiment import run_many
from sim.sensitivity import MEASURES, design, measures, sensitivity
from sim.sensitivity_report import format_indices, plot_indices


@pytest.fixture(scope="module")
def toy():
    return decisive()


@pytest.fixture(scope="module")
def sobol(toy):
    return sensitivity(toy, method="sobol", n=64, runs_per_point=2, seed=3)


@pytest.fixture(scope="module")
def morris(toy):
    return sensitivity(toy, method="morris", n=20, runs_per_point=2, seed=3)


def index(result, outcome, parameter, column):
    table = result.indices
    row = table[(table.outcome == outcome) & (table.parameter == parameter)]
    assert len(row) == 1
    return float(row[column].iloc[0])


def test_the_toy_is_decided_by_one_parameter_at_a_known_cut(toy):
    runs = run_many(toy, runs=600, seed=5)
    deal = runs.outcome == "deal"
    held_out = runs[DECIDING]
    # A deal exactly when a's hold-out is below the cut (found at 0.5985 +- 0.001: the mediator's best
    # proposal for a lands a hair off its ideal point), whatever the irrelevant parameter.
    highest_deal, lowest_no_deal = held_out[deal].max(), held_out[~deal].min()
    assert lowest_no_deal > CUT - 0.005 and highest_deal < CUT
    assert highest_deal - lowest_no_deal < 0.002
    assert 0.55 < deal.mean() < 0.78  # (0.6 - 0.2) / (0.8 - 0.2) = 2/3


def test_sobol_total_index_is_near_one_for_the_deciding_and_near_zero_for_the_irrelevant(sobol):
    assert index(sobol, "p_deal", DECIDING, "ST") > 0.7
    assert index(sobol, "p_deal", DECIDING, "S1") > 0.7
    assert index(sobol, "p_deal", IRRELEVANT, "ST") < 0.1
    assert abs(index(sobol, "p_deal", IRRELEVANT, "S1")) < 0.1
    assert list(sobol.indices.columns) == ["outcome", "parameter", "label", "S1", "S1_conf", "ST", "ST_conf"]
    assert set(sobol.indices.outcome) == set(MEASURES)
    # Saltelli without second order: N (k + 2) points, each run runs_per_point times.
    assert len(sobol.points) == 64 * (2 + 2)
    assert len(sobol.runs) == 2 * len(sobol.points)
    assert sobol.runs.groupby("point").size().eq(2).all()


def test_a_measure_that_does_not_vary_gets_no_indices(sobol):
    deployment = sobol.indices[sobol.indices.outcome == "p_force_deployed"]
    assert deployment[["S1", "ST"]].isna().all().all()
    assert "p_force_deployed: share of runs with a deployed force\n  does not vary" in format_indices(sobol.indices)


def test_morris_mu_star_of_the_deciding_parameter_dwarfs_the_irrelevant(morris):
    deciding = index(morris, "p_deal", DECIDING, "mu_star")
    irrelevant = index(morris, "p_deal", IRRELEVANT, "mu_star")
    assert deciding > 0.1
    assert deciding > 5 * irrelevant
    assert list(morris.indices.columns) == ["outcome", "parameter", "label", "mu_star", "mu_star_conf", "sigma"]
    assert len(morris.points) == 20 * (2 + 1)


def test_points_table_holds_the_sample_and_the_measures(sobol, toy):
    points = sobol.points
    assert {"point", DECIDING, IRRELEVANT, "runs", *MEASURES} <= set(points.columns)
    # p_deal is 1 exactly below the cut (the toy is deterministic)
    assert (points.p_deal == (points[DECIDING] < CUT)).all()
    # no deal at a point: its median deal round is the horizon
    none = points[points.p_deal == 0]
    assert len(none) and (none.median_deal_round == toy.spec.horizon.rounds).all()


def test_median_deal_round_is_nan_safe():
    runs = pd.DataFrame({"point": [0, 0, 1, 1], "outcome": ["deal", "no_deal", "no_deal", "collapse"],
                         "deal_round": [3.0, np.nan, np.nan, np.nan], "force_deployed": [True, False, False, False],
                         "force_troops": [100.0, 0.0, 0.0, np.nan]})
    table = measures(runs, horizon=12)
    assert table.median_deal_round.tolist() == [3.0, 12.0]
    assert table.p_collapse.tolist() == [0.0, 0.5]
    assert table.mean_force_troops.tolist() == [50.0, 0.0]


def test_samples_follow_the_declared_distribution_not_a_uniform_over_its_bounds():
    baseline = load_scenario(BASELINE)
    dist = baseline.distributions()["front.drift"]  # triangular
    points, _, problem = design(baseline, method="sobol", n=128, params=["front.drift"], seed=1)
    values = np.array([p.values["front.drift"] for p in points])
    c = (dist.mode - dist.low) / (dist.high - dist.low)
    assert stats.kstest(values, stats.triang(c, loc=dist.low, scale=dist.high - dist.low).cdf).pvalue > 0.01
    assert stats.kstest(values, stats.uniform(loc=dist.low, scale=dist.high - dist.low).cdf).pvalue < 0.01
    assert problem["bounds"] == [[dist.low, dist.high]]
    # the scenario of each point has the value fixed
    assert points[5].scenario.value("front.drift") == pytest.approx(values[5])
    # Morris: levels at the centres of four equal-probability strata
    points, _, _ = design(baseline, method="morris", n=6, params=["front.drift"], seed=1)
    levels = {round(p.values["front.drift"], 12) for p in points}
    assert len(levels) > 1
    assert levels <= set(np.round(dist.quantile(np.array([1, 3, 5, 7]) / 8), 12))


def test_bad_requests_are_value_errors(toy):
    with pytest.raises(ValueError, match="not declared as a distribution"):
        sensitivity(toy, params=["actors.a.party.hold_ou"])
    with pytest.raises(ValueError, match="power of two"):
        sensitivity(toy, n=10)
    with pytest.raises(ValueError, match="unknown outcome"):
        sensitivity(toy, outcomes=["p_peace"])
    with pytest.raises(ValueError, match="declares no distributions"):
        sensitivity(tiny())


def test_plot_indices_draws_bars_with_intervals_and_leaves_pyplot_alone(sobol, morris):
    import matplotlib.pyplot as plt

    before, style = plt.get_fignums(), dict(matplotlib.rcParams)
    ax = plot_indices(sobol.indices, outcome="p_deal")
    assert len(ax.patches) == 2 * 2  # ST and S1 per parameter
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[-1] == "a hold out"  # largest total index on top
    ax = plot_indices(morris.indices, outcome="p_deal")
    assert len(ax.patches) == 2
    assert plt.get_fignums() == before
    assert dict(matplotlib.rcParams) == style


def test_a_screen_of_many_parameters_draws_the_largest_and_says_how_many_it_leaves_out():
    from sim.sensitivity_report import FIGURE_TOP

    rows = [{"outcome": "p_deal", "parameter": f"actors.a.party.p{i}", "mu_star": i / 250, "mu_star_conf": 0.01,
             "sigma": 0.01} for i in range(250)]
    ax = plot_indices(pd.DataFrame(rows), outcome="p_deal", top=FIGURE_TOP)
    assert len(ax.patches) == FIGURE_TOP
    assert [t.get_text() for t in ax.get_yticklabels()][-1].endswith("p249")  # the largest on top
    assert f"the {FIGURE_TOP} of 250 parameters" in ax.get_title().replace("\n", " ")
    assert len(plot_indices(pd.DataFrame(rows[:12]), outcome="p_deal", top=FIGURE_TOP).patches) == 12


def test_dask_executor_gives_the_same_indices(toy, sobol):
    pytest.importorskip("dask.distributed")
    result = sensitivity(toy, method="sobol", n=8, runs_per_point=2, seed=3, outcomes=["p_deal"],
                         executor="dask", workers=1)
    local = sensitivity(toy, method="sobol", n=8, runs_per_point=2, seed=3, outcomes=["p_deal"])
    pd.testing.assert_frame_equal(result.indices, local.indices)
    pd.testing.assert_frame_equal(result.runs, local.runs)


def test_cli_quick_baseline_sensitivity_writes_its_files(tmp_path):
    out = tmp_path / "sens"
    result = run_sim("sensitivity", str(BASELINE), "--n", "8", "--runs-per-point", "4", "--workers", "1",
                     "--out", str(out))
    assert result.returncode == 0, result.stderr
    for name in ("indices.csv", "points.csv", "runs.parquet", "manifest.json", "sensitivity.png", "sensitivity.svg"):
        assert (out / name).stat().st_size > 0, name
    indices = pd.read_csv(out / "indices.csv")
    k = len(load_scenario(BASELINE).distributions())
    assert len(indices) == len(MEASURES) * k
    assert list(indices.columns) == ["outcome", "parameter", "label", "S1", "S1_conf", "ST", "ST_conf"]
    assert len(pd.read_csv(out / "points.csv")) == 8 * (k + 2)
    assert "p_deal: share of runs ending in a deal" in result.stdout
    assert "total ST" in result.stdout
    # red lines are named by their issue, not by their place in a list
    assert "russia red line on deployment penalty" in set(indices["label"])
    # the folder is a result folder that discovery can read
    found = run_sim("discover", str(out), "--outcome", 'outcome == "deal"')
    assert found.returncode == 0, found.stderr
    # Eight design points may hold no box that chance would not explain; either way discovery says so.
    assert "box 1: deal in" in found.stdout or "no box found" in found.stdout


def test_cli_morris_on_the_toy(tmp_path):
    file = tmp_path / "toy.yaml"
    file.write_text(yaml.safe_dump(dict(decisive().data)))
    result = run_sim("sensitivity", str(file), "--method", "morris", "--n", "10", "--runs-per-point", "2",
                     "--workers", "1", "--outcome", "p_deal")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "Morris" in lines[0]
    table = lines[lines.index("p_deal: share of runs ending in a deal") + 2:]
    assert table[0].split()[0] == DECIDING  # sorted by mu_star


@pytest.mark.parametrize(("extra", "message"), [
    (["--param", "actors.russia.party.resolv"], "did you mean 'actors.russia.party.resolve'"),
    (["--n", "12"], "power of two"),
    (["--outcome", "p_peace"], "unknown outcome 'p_peace'"),
])
def test_cli_errors_are_one_line(extra, message):
    result = run_sim("sensitivity", str(BASELINE), "--runs-per-point", "2", *extra)
    assert result.returncode == 1
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_cli_scenario_without_distributions_is_a_clear_error(tmp_path):
    file = tmp_path / "fixed.yaml"
    file.write_text(yaml.safe_dump(tiny_data()))
    result = run_sim("sensitivity", str(file))
    assert result.returncode == 1
    assert "declares no distributions" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_saved_figure_of_many_outcomes_stays_at_most_2000_pixels_tall(tmp_path):
    # Five outcomes of nine parameters once made a 1200 x 3262 figure (issue 18): panels go side by side.
    import matplotlib.image

    from sim.sensitivity import MAX_HEIGHT_PX
    from sim.sensitivity_report import save_figure

    params = [f"actors.a.party.p{i}" for i in range(9)]
    outcomes = ["p_deal", "p_force_deployed", "p_collapse", "median_deal_round", "mean_force_troops"]
    rows = [{"outcome": o, "parameter": p, "ST": 0.1 * (i + 1) / 9, "ST_conf": 0.01, "S1": 0.05, "S1_conf": 0.01}
            for o in outcomes for i, p in enumerate(params)]
    png, svg = save_figure(pd.DataFrame(rows), tmp_path / "sensitivity.png")
    height, width = matplotlib.image.imread(png).shape[:2]
    assert height <= MAX_HEIGHT_PX and width > height / 2
    assert svg.exists()

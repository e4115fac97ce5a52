"""Sweep folders get sweep figures, never pooled ones; the sweep's console table fits 100 columns."""

import json

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from conftest import run_sim

from sim import load_scenario
from sim.design import grid, latin_hypercube
from sim.experiment import run_points
from sim.plots import save_all, sweep_panels
from sim.results import read_results
from sim.summary import format_sweep_table, summarize

BACKSTOP = "actors.united_states.backer.backstop"
RESOLVE = "actors.russia.party.resolve"
POOLED = {"outcome_shares", "time_to_deal", "deployment", "agreed_terms", "who_pledges"}


@pytest.fixture(scope="module")
def baseline():
    return load_scenario("scenarios/baseline.yaml")


@pytest.fixture(scope="module")
def two_way(baseline):
    return run_points(grid(baseline, {BACKSTOP: [0.2, 0.6, 1.0], RESOLVE: [1.0, 2.0]}), runs=20, seed=2)


@pytest.fixture(scope="module")
def lhs(baseline):
    points = latin_hypercube(baseline, 6, seed=3)
    return run_points(points, runs=10, seed=3), list(points[0].values)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_save_all_of_a_grid_draws_sweep_figures_and_no_pooled_ones(two_way, tmp_path):
    written = save_all(two_way, tmp_path, sweep_params=[BACKSTOP, RESOLVE], sweep_names={BACKSTOP: "backstop"})
    stems = {p.stem for p in written}
    assert stems == {"sweep_response", "sweep_outcomes"}
    assert not stems & POOLED
    assert plt.get_fignums() == []


def test_sweep_panels_of_a_grid_have_one_panel_per_outcome_and_one_line_per_second_value(two_way):
    fig = sweep_panels(two_way, [BACKSTOP, RESOLVE], names={BACKSTOP: "backstop", RESOLVE: "resolve"})
    titles = [ax.get_title() for ax in fig.axes]
    assert titles[0] == "deal" and titles[-1] == "force deployed" and "collapse" in titles
    summary = summarize(two_way, by=[BACKSTOP, RESOLVE])
    for ax in fig.axes:
        assert ax.get_xlabel() == "backstop"
        assert {c.get_label() for c in ax.containers} == {"1", "2"}  # one line per value of resolve
    deal = {c.get_label(): c for c in fig.axes[0].containers}
    part = summary[summary[RESOLVE] == 2.0].sort_values(BACKSTOP)
    assert deal["2"].lines[0].get_ydata() == pytest.approx(part.p_deal.to_numpy())
    assert [t.get_text() for t in fig.legends[0].get_texts()] == ["1", "2"]


def test_save_all_of_a_latin_hypercube_draws_one_panel_per_parameter(lhs, tmp_path):
    table, varied = lhs
    written = save_all(table, tmp_path, sweep_params=varied)
    assert {p.stem for p in written} == {"sweep_response", "sweep_force"}
    fig = sweep_panels(table, varied)
    assert len(fig.axes) == len(varied)
    for ax in fig.axes:
        (container,) = ax.containers
        assert len(container.lines[0].get_ydata()) == 6  # one point per design point
        assert container.lines[0].get_linewidth() == 0  # not joined: the points differ in every parameter
    _width, height = fig.get_size_inches() * fig.dpi
    assert height <= 2000


def test_sim_plot_of_a_sweep_folder_writes_sweep_figures_only(tmp_path):
    out = tmp_path / "sweep"
    result = run_sim("sweep", "scenarios/baseline.yaml", "--set", f"{BACKSTOP}=0.0,1.0", "--runs", "10",
                     "--workers", "1", "--out", str(out))
    assert result.returncode == 0, result.stderr
    result = run_sim("plot", str(out))
    assert result.returncode == 0, result.stderr
    written = {p.stem for p in (out / "figures").iterdir()}
    assert written == {"sweep_response", "sweep_outcomes"}
    assert "outcome_shares" not in result.stdout


@pytest.mark.parametrize("sets", [
    [f"{BACKSTOP}=0.0,0.3,0.6,1.0"],  # the README's example
    [f"{BACKSTOP}=0.0,0.5,1.0", f"{RESOLVE}=1.0,2.0"],
], ids=["readme", "two-parameters"])
def test_sweep_console_table_fits_100_columns_and_names_the_full_paths(sets, tmp_path):
    args = [a for s in sets for a in ("--set", s)]
    result = run_sim("sweep", "scenarios/baseline.yaml", *args, "--runs", "10", "--workers", "1",
                     "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 100, result.stdout
    assert "united states backstop" in result.stdout  # a short name heads the column
    paths = [s.split("=")[0] for s in sets]
    for path in paths:
        assert path in result.stdout
    table = read_results(tmp_path / "out")
    assert set(paths) <= set(table.columns)  # the full names are the table's columns
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert manifest["sweep"]["varied"] == paths
    points = len(table[paths].drop_duplicates())
    assert sum(line.strip().startswith(("0 ", "0.", "1 ")) for line in lines) == points


def test_sweep_table_of_a_latin_hypercube_fits_with_coded_columns(lhs):
    table, varied = lhs
    text = format_sweep_table(summarize(table, by=varied), varied)
    assert max(len(line) for line in text.splitlines()) <= 100, text
    for i, path in enumerate(varied, start=1):
        assert f"p{i}" in text and path in text


def test_sweep_table_keeps_short_names_when_they_fit():
    summary = summarize(pd.DataFrame({
        BACKSTOP: [0.0, 1.0], "outcome": ["deal", "no_deal"], "deal_round": [3.0, None],
        "force_deployed": [True, False], "force_troops": [1000.0, 0.0], "force_consented": [False, False],
        "deal_held": [1.0, None]}), by=[BACKSTOP])
    text = format_sweep_table(summary, [BACKSTOP], names={BACKSTOP: "backstop"})
    header = text.splitlines()[2]
    assert header.split()[:2] == ["backstop", "runs"]
    assert f"backstop  {BACKSTOP}" in text


def test_two_parameters_that_are_not_a_grid_get_one_panel_each_and_no_lines(baseline, lhs, tmp_path):
    varied = lhs[1][:2]
    points = latin_hypercube(baseline, 5, seed=4, params=varied)
    table = run_points(points, runs=5, seed=4)
    assert {p.stem for p in save_all(table, tmp_path, sweep_params=varied)} == {"sweep_response", "sweep_force"}
    fig = sweep_panels(table, varied)
    assert len(fig.axes) == 2
    assert all(len(ax.containers) == 1 and ax.containers[0].lines[0].get_linewidth() == 0 for ax in fig.axes)

"""Comparisons: paired differences with known answers, comparison folders, and the compare/plot commands."""

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import ROOT, run_sim

from sim import load_scenario
from sim.compare import (
    format_comparison,
    format_paired,
    is_paired,
    load_comparison,
    paired_differences,
)
from sim.compare_folder import save_comparison
from sim.design import grid
from sim.errors import ExperimentError
from sim.experiment import run_many
from sim.results import read_manifest, read_results, run_to_directory
from sim.summary import summarize

BACKSTOP = "actors.united_states.backer.backstop"
FIGURES = ("outcome_shares", "time_to_deal", "deployment", "agreed_terms", "who_pledges")


def synthetic(name: str, deal_runs, n: int = 100, seed_offset: int = 0) -> pd.DataFrame:
    """A results table of ``n`` runs; runs in ``deal_runs`` end in a deal (round 3), the rest in no deal."""
    cf = np.isin(np.arange(n), list(deal_runs))
    return pd.DataFrame({
        "scenario": name, "run": np.arange(n), "seed": np.arange(n) * 7 + 11 + seed_offset,
        "outcome": np.where(cf, "deal", "no_deal"), "deal_round": np.where(cf, 3.0, np.nan),
        "force_deployed": cf, "force_troops": np.where(cf, 10000.0, 0.0),
        "force_consented": np.where(cf, 1.0, np.nan), "force_contributors": np.where(cf, "uk+france", ""),
        "deal_held": np.where(cf, 1.0, np.nan), "measure_pkg_passed": np.ones(n, dtype=bool),
        "measure_pkg_round": np.zeros(n), "council_c_votes_against": np.zeros(n, dtype=int),
    })


@pytest.fixture(scope="module")
def baseline():
    return load_scenario("scenarios/baseline.yaml")


@pytest.fixture(scope="module")
def table(baseline):
    variant = baseline.with_overrides({BACKSTOP: 1.0}).with_overrides({"name": "variant"})
    return pd.concat([run_many(s, runs=60, seed=1) for s in (baseline, variant)], ignore_index=True)


def row(diffs: pd.DataFrame, metric: str, scenario: str | None = None) -> pd.Series:
    sel = diffs[diffs.metric == metric]
    if scenario:
        sel = sel[sel.scenario == scenario]
    assert len(sel) == 1
    return sel.iloc[0]


# --------------------------------------------------------------------------- paired differences


def test_identical_scenarios_differ_by_zero_with_a_zero_width_paired_interval(table):
    base = table[table.scenario == "baseline"]
    same = base.assign(scenario="same")
    diffs = paired_differences(pd.concat([base, same], ignore_index=True))
    assert diffs.paired.all()
    assert (diffs.difference == 0).all()
    assert (diffs.paired_lo == 0).all() and (diffs.paired_hi == 0).all()
    # The unpaired interval does not know the runs are the same: wide wherever there is variation.
    r = row(diffs, "p_no_deal")
    assert r.unpaired_lo < 0 < r.unpaired_hi


def test_a_known_shift_gives_the_paired_and_unpaired_intervals_by_hand():
    n = 100
    base = synthetic("baseline", range(30), n)
    shifted = synthetic("more", range(40), n)  # the same runs plus ten more end in a deal
    diffs = paired_differences(pd.concat([base, shifted], ignore_index=True), horizon=26)
    r = row(diffs, "p_deal")
    assert bool(r.paired) and r.n_pairs == n
    assert r.difference == pytest.approx(0.10)
    d = np.r_[np.zeros(30), np.ones(10), np.zeros(60)]
    half = 1.96 * d.std(ddof=1) / math.sqrt(n)
    assert (r.paired_lo, r.paired_hi) == pytest.approx((0.10 - half, 0.10 + half))
    a, b = np.r_[np.ones(30), np.zeros(70)], np.r_[np.ones(40), np.zeros(60)]
    half_u = 1.96 * math.sqrt(a.var(ddof=1) / n + b.var(ddof=1) / n)
    assert (r.unpaired_lo, r.unpaired_hi) == pytest.approx((0.10 - half_u, 0.10 + half_u))
    assert r.paired_hi - r.paired_lo < r.unpaired_hi - r.unpaired_lo
    # Runs without a deal count as round 26: ten runs move from 26 to 3.
    assert row(diffs, "mean_deal_round").difference == pytest.approx(-23 * 10 / n)
    assert row(diffs, "p_collapse").difference == 0
    assert set(diffs.scenario) == {"more"} and set(diffs.baseline) == {"baseline"}


def test_by_round_adds_the_share_with_a_deal_by_then():
    table = pd.concat([synthetic("baseline", range(30)), synthetic("more", range(40))], ignore_index=True)
    diffs = paired_differences(table, by_round=2)
    assert row(diffs, "p_deal_by_round_2").difference == 0  # every deal is in round 3
    assert row(paired_differences(table, by_round=3), "p_deal_by_round_3").difference == pytest.approx(0.1)


def test_different_seeds_fall_back_to_unpaired_intervals_and_say_so():
    base = synthetic("baseline", range(30))
    other = synthetic("other", range(40), seed_offset=1)
    diffs = paired_differences(pd.concat([base, other], ignore_index=True))
    assert not diffs.paired.any()
    assert diffs.paired_lo.isna().all() and diffs.paired_hi.isna().all()
    assert diffs.pairing.str.contains("seeds differ").all()
    assert row(diffs, "p_deal").unpaired_lo < 0.1 < row(diffs, "p_deal").unpaired_hi
    assert "NOT paired" in format_paired(diffs)


def test_different_run_counts_are_not_paired():
    paired, reason = is_paired(synthetic("a", [], 100), synthetic("b", [], 50))
    assert not paired and "different runs" in reason
    paired, reason = is_paired(synthetic("a", [], 50), synthetic("b", [1], 50))
    assert paired and "50 runs" in reason


def test_missing_baseline_is_a_clear_error(table):
    with pytest.raises(ValueError, match="no scenario named 'nope'"):
        paired_differences(table, baseline="nope")


def test_common_random_numbers_tighten_the_interval_on_real_runs(table):
    diffs = paired_differences(table)
    assert diffs.paired.all() and (diffs.n_pairs == 60).all()
    width_p = diffs.paired_hi - diffs.paired_lo
    width_u = diffs.unpaired_hi - diffs.unpaired_lo
    assert (width_p <= width_u + 1e-12).all()
    assert width_p[diffs.metric == "p_deal"].iloc[0] < width_u[diffs.metric == "p_deal"].iloc[0]
    # Paired and unpaired estimates agree on the difference itself.
    r = row(diffs, "p_deal")
    shares = table.groupby("scenario").outcome.apply(lambda s: (s == "deal").mean())
    assert r.difference == pytest.approx(shares["variant"] - shares["baseline"])


def test_text_tables_name_every_scenario(table):
    text = format_comparison(summarize(table))
    assert "baseline" in text and "variant" in text and "deal" in text
    paired = format_paired(paired_differences(table))
    assert "variant minus baseline: paired over 60 runs" in paired
    assert "P(deal)" in paired


# ------------------------------------------------------------------------------ comparison folders


def test_comparison_of_result_folders_pairs_their_runs_and_saves_everything(baseline, tmp_path):
    variant = baseline.with_overrides({BACKSTOP: 1.0}).with_overrides({"name": "variant"})
    run_to_directory(baseline, tmp_path / "a", runs=40, seed=5)
    run_to_directory(variant, tmp_path / "b", runs=40, seed=5)
    comparison = load_comparison([tmp_path / "a", tmp_path / "b"], runs=1, seed=0)
    assert comparison.names == ["baseline", "variant"] and comparison.horizon == 26
    assert "united_kingdom" in comparison.guarantors
    assert comparison.differences().paired.all()
    written = save_comparison(comparison, tmp_path / "cmp")
    names = {p.name for p in written}
    assert {"runs.parquet", "comparison.csv", "paired_differences.csv", "manifest.json"} <= names
    assert {f"{f}.{ext}" for f in FIGURES for ext in ("png", "svg")} <= names
    assert read_manifest(tmp_path / "cmp")["kind"] == "compare"
    assert len(read_results(tmp_path / "cmp")) == 80
    # A folder of sim run results is never overwritten by a comparison.
    with pytest.raises(ExperimentError, match="holds other results"):
        save_comparison(comparison, tmp_path / "a")


def test_comparison_refuses_two_inputs_with_one_name(baseline, tmp_path):
    run_to_directory(baseline, tmp_path / "a", runs=10, seed=5)
    with pytest.raises(ExperimentError, match="both named baseline"):
        load_comparison([tmp_path / "a", ROOT / "scenarios" / "baseline.yaml"], runs=10)


# ---------------------------------------------------------------------------------------- CLI


def test_cli_compare_writes_tables_and_figures(workdir: Path):
    (workdir / "no-backstop.yaml").write_text(
        "extends: baseline.yaml\nname: no-backstop\nactors:\n  united_states:\n    backer:\n"
        "      backstop: {$replace: {value: 0.0}}\n", encoding="utf-8")
    result = run_sim("compare", "baseline.yaml", "no-backstop.yaml", "--runs", "40", "--seed", "3",
                     "--out", "out", "--workers", "1", cwd=workdir)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "no-backstop minus baseline: paired over 40 runs" in result.stdout
    out = workdir / "out"
    summary = pd.read_csv(out / "comparison.csv")
    assert summary.scenario.tolist() == ["baseline", "no-backstop"]
    assert {"runs", "p_deal", "p_deal_lo", "p_force_deployed_hi", "median_force_troops"} <= set(summary)
    assert (summary.runs == 40).all()
    diffs = pd.read_csv(out / "paired_differences.csv")
    assert diffs.paired.all() and set(diffs.scenario) == {"no-backstop"}
    runs = pd.read_parquet(out / "runs.parquet")
    assert len(runs) == 80
    # Common random numbers: run i has the same seed in both scenarios.
    seeds = runs.pivot(index="run", columns="scenario", values="seed")
    assert (seeds["baseline"] == seeds["no-backstop"]).all()
    for stem in FIGURES:
        for ext in ("png", "svg"):
            assert (out / f"{stem}.{ext}").stat().st_size > 5000
    assert json.loads((out / "manifest.json").read_text())["baseline"] == "baseline"

    # sim plot redraws them from the folder.
    result = run_sim("plot", "out", cwd=workdir)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert {f"{s}.png" for s in FIGURES} <= {p.name for p in (out / "figures").iterdir()}


def test_cli_plot_draws_a_sweep_response_from_a_sweep_folder(baseline, tmp_path):
    points = grid(baseline, {BACKSTOP: [0.2, 1.0]})
    run_to_directory(points, tmp_path / "sweep", runs=20, seed=1, extra_manifest={"sweep": {"varied": [BACKSTOP]}})
    result = run_sim("plot", str(tmp_path / "sweep"), "--out", str(tmp_path / "figs"))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    written = {p.name for p in (tmp_path / "figs").iterdir()}
    assert {"sweep_response.png", "sweep_response.svg", "sweep_outcomes.png"} <= written
    assert "outcome_shares.png" not in written  # the grid's points are not pooled (issue 18, item 2)


@pytest.mark.parametrize("args", [
    ("compare", "scenarios/baseline.yaml", "scenarios/missing.yaml", "--runs", "5"),
    ("compare", "scenarios/baseline.yaml", "--runs", "5"),
    ("plot", "no/such/folder"),
    ("plot", "scenarios"),
])
def test_cli_bad_arguments_are_one_line_errors(args):
    result = run_sim(*args)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr

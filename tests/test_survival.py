"""Survival analysis: Kaplan–Meier equals the hand value, censoring is where the talks ended, the relapse
hazard ratio recovers known rates, and the survival figures draw one curve and band per group."""

import math
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_hex

from sim import load_scenario
from sim.experiment import run_many
from sim.plots import PALETTE, deal_survival_figure, save_all, time_to_deal_km
from sim.survival import (
    FORCE_GROUPS,
    Z95,
    deal_survival,
    force_group,
    guarantee_strength,
    hazard_ratio,
    kaplan_meier,
    time_to_deal,
)

WINDOW = 78  # three years of two-week rounds
NEW_COLUMNS = ["talks_end_round", "deal_duration_rounds", "window_rounds"]


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def deals_table(durations, held, *, scenario="a", window=WINDOW, **extra) -> pd.DataFrame:
    """Runs that all reached a deal in round 5: their durations, and whether each deal held (1) or relapsed (0)."""
    n = len(durations)
    return pd.DataFrame({"scenario": scenario, "outcome": "deal", "deal_round": 5.0, "talks_end_round": 5.0,
                         "deal_held": np.asarray(held, dtype=float),
                         "deal_duration_rounds": np.asarray(durations, dtype=float),
                         "window_rounds": float(window), **extra}, index=range(n))


def exponential_deals(rng, rate: float, n: int, scenario: str) -> pd.DataFrame:
    """Deals relapsing at a constant hazard ``rate`` per round, censored at the window's end."""
    relapse = rng.exponential(1 / rate, size=n)
    held = relapse > WINDOW
    return deals_table(np.where(held, WINDOW, relapse), held, scenario=scenario)


def talks_table(rows) -> pd.DataFrame:
    """Runs from (scenario, outcome, deal_round, talks_end_round) tuples."""
    return pd.DataFrame(rows, columns=["scenario", "outcome", "deal_round", "talks_end_round"]).astype(
        {"deal_round": float, "talks_end_round": float})


# Kaplan–Meier


def test_kaplan_meier_of_five_deals_two_censored_equals_the_hand_value():
    # Relapses at 2, 3 and 5 rounds; held (censored) at 3 and 6. A censoring tied with an event stays at risk.
    table = deals_table([2, 3, 3, 5, 6], [0, 0, 1, 0, 1])
    km = deal_survival(table, by=None)["all"]
    hand = [4 / 5, 4 / 5 * 3 / 4, 4 / 5 * 3 / 4 * 1 / 2, 4 / 5 * 3 / 4 * 1 / 2]
    assert km.times.tolist() == [2, 3, 5, 6]
    assert km.survival == pytest.approx(hand)
    assert km.at_risk.tolist() == [5, 4, 2, 1]
    assert km.events_at.tolist() == [1, 1, 1, 0]
    assert (km.n, km.events) == (5, 3)
    assert km.at([0, 1.9, 2, 4, 100]) == pytest.approx([1, 1, 0.8, 0.6, 0.3])


def test_the_band_is_the_log_log_greenwood_interval():
    # S^exp(±z·sqrt(V)/|log S|), V the Greenwood sum: the "exponential Greenwood" band at the first event.
    km = kaplan_meier([2, 3, 3, 5, 6], [True, True, False, True, False])
    s = 0.8
    greenwood = 1 / (5 * 4)  # d / (n (n - d)) at the first event
    half = Z95 * math.sqrt(greenwood) / abs(math.log(s))
    assert km.low[0] == pytest.approx(s ** math.exp(half))
    assert km.high[0] == pytest.approx(s ** math.exp(-half))
    assert np.all((km.low <= km.survival) & (km.survival <= km.high))


def test_a_curve_without_any_event_stays_at_one_with_a_collapsed_band():
    km = kaplan_meier([3, 4], [False, False])
    assert km.survival.tolist() == [1, 1]
    assert km.low.tolist() == km.high.tolist() == [1, 1]
    assert kaplan_meier([], []).n == 0


def test_runs_without_a_deal_are_left_out_of_deal_survival():
    table = pd.concat([deals_table([2, 10], [0, 1]), deals_table([np.nan], [np.nan])], ignore_index=True)
    table.loc[2, ["outcome", "deal_round"]] = ["no_deal", np.nan]
    assert deal_survival(table, by=None)["all"].n == 2


# Time to deal


def test_time_to_deal_censors_runs_without_a_deal_where_their_talks_ended():
    table = talks_table([("a", "deal", 2, 2), ("a", "deal", 4, 4), ("a", "collapse", None, 1),
                         ("a", "military_end", None, 3), ("a", "no_deal", None, 10)])
    km = time_to_deal(table, by="scenario").curves["a"]
    # Round 1: the collapse leaves the risk set without an event. Round 2: 1 deal of the 4 left.
    # Round 3: the military end leaves. Round 4: 1 deal of the 2 left.
    assert km.at([1, 2, 3, 4, 10]) == pytest.approx([1, 3 / 4, 3 / 4, 3 / 8, 3 / 8])
    assert km.at_risk.tolist() == [5, 4, 3, 2, 1]
    # Censored late instead, the collapsed run would still be at risk at round 2.
    later = table.assign(talks_end_round=table["talks_end_round"].replace({1.0: 10.0}))
    assert time_to_deal(later).curves["a"].at(2) == pytest.approx(4 / 5)


def test_log_rank_p_is_tiny_for_very_different_groups_and_one_for_identical_ones():
    rng = np.random.default_rng(7)
    horizon = 26

    def talks(rate: float, name: str, n: int = 300) -> pd.DataFrame:
        deal = np.floor(rng.exponential(1 / rate, size=n))
        dealt = deal < horizon
        return talks_table([(name, "deal" if d else "no_deal", r if d else None, r if d else horizon)
                            for d, r in zip(dealt, deal, strict=True)])

    fast, slow = talks(0.3, "fast"), talks(0.02, "slow")
    different = time_to_deal(pd.concat([fast, slow]), by="scenario").tests
    assert different["group"].tolist() == ["slow"] and different["baseline"].tolist() == ["fast"]
    assert different["p_value"].iloc[0] < 1e-6
    twin = fast.assign(scenario="twin")
    same = time_to_deal(pd.concat([fast, twin]), by="scenario").tests
    assert same["p_value"].iloc[0] == pytest.approx(1.0)


def test_with_more_groups_each_is_tested_against_the_first():
    table = talks_table([(name, "deal", r, r) for name in ("base", "b", "c") for r in (1, 2, 3)])
    tests = time_to_deal(table).tests
    assert tests["group"].tolist() == ["b", "c"] and set(tests["baseline"]) == {"base"}


def test_groups_without_any_deal_give_a_nan_log_rank_p_not_an_error():
    table = talks_table([("a", "no_deal", None, 26), ("b", "collapse", None, 4)])
    assert math.isnan(time_to_deal(table).tests["p_value"].iloc[0])


# Hazard ratio


def test_hazard_ratio_of_two_exponential_groups_recovers_their_rate_ratio():
    rng = np.random.default_rng(2024)
    table = pd.concat([exponential_deals(rng, 0.02, 5000, "high"), exponential_deals(rng, 0.005, 5000, "low")],
                      ignore_index=True)
    hr = hazard_ratio(table, table["scenario"] == "high", table["scenario"] == "low")
    assert hr.low < 4.0 < hr.high
    assert hr.ratio == pytest.approx(4.0, rel=0.1)
    assert hr.events_a == int((table.loc[table["scenario"] == "high", "deal_held"] == 0).sum())
    assert hr.high / hr.ratio == pytest.approx(math.exp(Z95 * math.sqrt(1 / hr.events_a + 1 / hr.events_b)))


def test_zero_relapses_give_a_nan_interval_without_crashing():
    table = pd.concat([deals_table([WINDOW] * 4, [1] * 4, scenario="held"),
                       deals_table([3, 9, WINDOW], [0, 0, 1], scenario="relapsed")], ignore_index=True)
    held, relapsed = table["scenario"] == "held", table["scenario"] == "relapsed"
    none = hazard_ratio(table, held, relapsed)
    assert none.ratio == 0 and math.isnan(none.low) and math.isnan(none.high)
    assert hazard_ratio(table, relapsed, held).ratio == math.inf
    neither = hazard_ratio(table, held, held)
    assert math.isnan(neither.ratio) and math.isnan(neither.low)
    empty = hazard_ratio(table, np.zeros(len(table), dtype=bool), relapsed)
    assert math.isnan(empty.ratio) and empty.exposure_a == 0


# Groups


def test_guarantee_strength_cuts_deal_runs_at_their_median_unless_told():
    table = deals_table([WINDOW] * 4, [1] * 4, guarantees_effective=[0.1, 0.3, 0.5, 0.9])
    labels = guarantee_strength(table)
    assert labels.tolist() == ["weak (< 0.40, median of deals)"] * 2 + ["strong (≥ 0.40, median of deals)"] * 2
    given = guarantee_strength(table, cut=0.9)
    assert given.tolist() == ["weak (< 0.90, given)"] * 3 + ["strong (≥ 0.90, given)"]
    no_deal = table.assign(deal_round=[np.nan, 5, 5, 5])
    assert guarantee_strength(no_deal).isna().tolist() == [True, False, False, False]


def test_force_group_separates_consented_from_unconsented_deployment():
    table = pd.DataFrame({"force_deployed": [False, True, True], "force_consented": [np.nan, 1.0, 0.0]})
    assert force_group(table).tolist() == list(FORCE_GROUPS)


def test_deal_survival_by_a_group_helper_keeps_the_helpers_order():
    table = deals_table([2, 10, WINDOW, WINDOW], [0, 0, 1, 1], guarantees_effective=[0.9, 0.8, 0.1, 0.2])
    curves = deal_survival(table, by=guarantee_strength(table, cut=0.5))
    assert list(curves) == ["weak (< 0.50, given)", "strong (≥ 0.50, given)"]
    assert [km.events for km in curves.values()] == [0, 2]


# Figures


def two_scenarios() -> pd.DataFrame:
    rng = np.random.default_rng(3)
    return pd.concat([exponential_deals(rng, 0.02, 200, "a"), exponential_deals(rng, 0.005, 200, "b")],
                     ignore_index=True)


def test_deal_survival_figure_draws_one_step_line_and_band_per_group_in_years():
    table = two_scenarios()
    ax = deal_survival_figure(table, round_weeks=2)
    assert len(ax.lines) == 2 and len(ax.collections) == 2
    labels = [line.get_label() for line in ax.lines]
    assert labels[0].startswith("a: n=200, relapses=") and labels[1].startswith("b: n=200, relapses=")
    # Each curve reaches the end of the window: 78 rounds of two weeks, three years.
    assert max(line.get_xdata().max() for line in ax.lines) == pytest.approx(WINDOW * 2 / 52)
    assert ax.get_xlabel() == "years since the deal"
    assert deal_survival_figure(table).get_xlabel() == "rounds since the deal"


def test_a_scenario_without_deals_keeps_the_colours_of_the_others():
    table = two_scenarios()
    none = table[table["scenario"] == "a"].assign(scenario="none", deal_round=np.nan, deal_held=np.nan,
                                                  deal_duration_rounds=np.nan, outcome="no_deal")
    ax = deal_survival_figure(pd.concat([none, table], ignore_index=True))
    assert [line.get_label().split(":")[0] for line in ax.lines] == ["a", "b"]
    assert [to_hex(line.get_color()) for line in ax.lines] == [to_hex(c) for c in PALETTE[1:3]]


def test_time_to_deal_km_plots_the_cumulative_deal_probability_with_log_rank_p_in_the_legend():
    table = talks_table([("a", "deal", r, r) for r in (1, 2, 3, 4)] + [("a", "no_deal", None, 10)]
                        + [("b", "deal", 8, 8)] + [("b", "collapse", None, 2)] * 4)
    ax = time_to_deal_km(table)
    assert len(ax.lines) == 2 and len(ax.collections) == 2
    first, second = (line.get_label() for line in ax.lines)
    assert first == "a: n=5, deals=4; reference"
    assert second.startswith("b: n=5, deals=1; log-rank p=")
    assert any(t.get_text() == "log-rank p: against a" for t in ax.texts)
    # 1 − S: 0 before the first deal, 4/5 after the fourth deal of group a.
    y = ax.lines[0].get_ydata()
    assert y[0] == 0 and y[-1] == pytest.approx(4 / 5)


def test_the_figures_name_the_missing_columns_of_an_old_table():
    old = two_scenarios().drop(columns=NEW_COLUMNS)
    with pytest.raises(ValueError, match="deal_duration_rounds"):
        deal_survival_figure(old)
    with pytest.raises(ValueError, match="talks_end_round"):
        time_to_deal_km(old)


@pytest.fixture(scope="module")
def real_table():
    """A small real run, given the aftermath columns the model is about to write (synthetic values)."""
    table = run_many(load_scenario("scenarios/baseline.yaml"), runs=30, seed=1)
    rng = np.random.default_rng(5)
    relapse = np.minimum(np.ceil(rng.exponential(60, size=len(table))), WINDOW)
    return table.assign(talks_end_round=table["deal_round"].fillna(26.0), window_rounds=float(WINDOW),
                        deal_duration_rounds=np.where(table["deal_held"] == 0, relapse,
                                                      np.where(table["deal_held"] == 1, WINDOW, np.nan)))


def test_save_all_writes_the_survival_figures_when_the_table_has_their_columns(real_table, tmp_path):
    stems = {p.stem for p in save_all(real_table, tmp_path, horizon=26, round_weeks=2)}
    assert {"deal_survival", "time_to_deal_censored"} <= stems
    assert (tmp_path / "deal_survival.svg").is_file()


def test_save_all_leaves_them_out_for_an_old_result_folder(real_table, tmp_path):
    stems = {p.stem for p in save_all(real_table.drop(columns=NEW_COLUMNS), tmp_path, horizon=26)}
    assert "time_to_deal" in stems
    assert not {"deal_survival", "time_to_deal_censored"} & stems


def test_save_all_leaves_deal_survival_out_when_no_run_has_a_deal(real_table, tmp_path):
    none = real_table.assign(deal_round=np.nan, deal_held=np.nan, deal_duration_rounds=np.nan, outcome="no_deal")
    stems = {p.stem for p in save_all(none, tmp_path, horizon=26)}
    assert "deal_survival" not in stems and "time_to_deal_censored" in stems


def test_a_single_scenarios_figures_include_its_deals_by_guarantees_and_by_force(tmp_path):
    from sim import load_scenario
    from sim.experiment import run_many
    from sim.plots import save_all

    table = run_many(load_scenario(Path(__file__).resolve().parent.parent / "scenarios" / "baseline.yaml"),
                     runs=60, seed=7, workers=1)
    stems = {p.stem for p in save_all(table, tmp_path, horizon=26, round_weeks=2)}
    assert {"deal_survival", "deal_survival_by_guarantees", "deal_survival_by_force"} <= stems

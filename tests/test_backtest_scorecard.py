"""The backtest scorecard (issue 16): every case has a valid observed-outcome file, no case sets a
behavioural field, the patterns and scores have known answers, and `sim backtest` prints and writes
the scorecard."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from conftest import ROOT, run_sim

from sim import load_scenario
from sim.backtest import behavioural_settings, find_cases, load_outcome, score_case, scorecard
from sim.backtest.cases import behavioural_fields
from sim.backtest.outcome import Observed
from sim.errors import ScenarioError

CASES = find_cases(folder=ROOT / "backtests")


def test_the_cases_are_found_with_their_outcome_files():
    assert {"korea-1951", "good-friday-1998", "colombia-2012"} <= {c.name for c in CASES}


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_each_case_sets_no_behavioural_field_and_its_outcome_names_it(case):
    assert behavioural_settings(case.scenario) == []
    outcome = load_outcome(case.outcome)
    assert outcome.case == load_scenario(case.scenario).name
    # The horizon rule: three years from the start date, whatever the round length.
    horizon = load_scenario(case.scenario).spec.horizon
    assert abs(horizon.rounds * horizon.round_weeks - 156) <= horizon.round_weeks
    if outcome.observed.deal:
        assert (outcome.observed.date - horizon.start).days <= 3 * 366


def test_the_shipped_scenarios_run_under_the_same_behavioural_defaults_as_the_cases():
    assert [str(p) for f in sorted((ROOT / "scenarios").glob("*.yaml")) for p in behavioural_settings(f)] == []


def test_the_behavioural_fields_include_the_solvers_numerics_and_the_durability_effects():
    fields = {".".join(f) for f in behavioural_fields()}
    assert {"institutions.talks.candidates", "institutions.talks.belief_grid", "durability.guarantees_effect",
            "durability.window_years", "front.relapse_advance"} <= fields
    assert "actors.*.party.resolve" not in fields  # a fact of a case


def test_a_case_file_that_sets_a_behavioural_field_is_told_at_its_line(tmp_path):
    text = (ROOT / "backtests" / "korea-1951.yaml").read_text()
    bad = tmp_path / "korea-1951.yaml"
    bad.write_text(text + "\ndurability:\n  guarantees_effect: 0.9\n")
    (found,) = behavioural_settings(bad)
    line = text.count("\n") + 3
    assert str(found) == (f"{bad}:{line}: durability.guarantees_effect: a case file sets a behavioural field (expected "
                          "no setting here: every case runs under the model's defaults (docs/scenario-format.md, "
                          "durability.guarantees_effect))")


def test_an_outcome_file_is_checked_like_a_scenario(tmp_path):
    path = tmp_path / "x.outcome.yaml"
    path.write_text("case: x\nobserved:\n  deal: false\n  date: 2001-01-01\n  colour: red\nsources: [a book]\n")
    with pytest.raises(ScenarioError) as err:
        load_outcome(path)
    text = str(err.value)
    assert f"{path}:5: observed: unknown key 'colour'" in text
    path.write_text("case: x\nobserved:\n  deal: false\n  date: 2001-01-01\nsources: [a book]\n")
    with pytest.raises(ScenarioError, match=r"x.outcome.yaml:2: observed: without a deal, leave out date"):
        load_outcome(path)
    path.write_text("case: x\nobserved: {deal: true, date: 2001-01-01}\n")
    with pytest.raises(ScenarioError, match=r"missing required key 'sources'"):
        load_outcome(path)


def runs_table(deal_rounds: list[float | None], held: list[float] | None = None, force: str = "monitors") -> pd.DataFrame:
    deal = [r is not None for r in deal_rounds]
    return pd.DataFrame({
        "outcome": ["deal" if d else "no_deal" for d in deal],
        "deal_round": [np.nan if r is None else r for r in deal_rounds],
        "deal_kind": ["settlement" if d else "" for d in deal],
        "force_deployed": deal, "force_type": [force if d else "" for d in deal],
        "force_consented": [1.0 if d else np.nan for d in deal],
        "deal_held": held if held is not None else [1.0 if d else np.nan for d in deal]})


START = dt.date(2000, 1, 3)


def test_a_case_scores_its_four_patterns_against_what_happened():
    """Six of ten runs reach a deal, in rounds 1-6; the deal came in round 3 (six weeks at two-week rounds)."""
    runs = runs_table([1, 2, 3, 4, 5, 6, None, None, None, None], held=[1, 1, 1, 0, 0, 1] + [np.nan] * 4)
    observed = Observed(deal=True, date=START + dt.timedelta(weeks=6),
                        force={"deployed": True, "type": "monitors", "consent": True}, held=True)
    s = score_case("c", runs, observed, horizon=26, round_weeks=2, start=START)
    assert s.p_deal == pytest.approx(0.6) and s.deal_pass
    assert s.observed_round == pytest.approx(3.0) and s.timing_percentile == pytest.approx(0.3)
    assert s.time_p05 == 1 and s.time_p95 == np.inf and s.time_pass
    assert s.modal_force == "monitors" and s.modal_consent == "yes" and s.force_pass
    assert s.p_held == pytest.approx(4 / 6) and s.durability_pass


def test_an_observed_no_deal_fails_where_nearly_every_run_deals():
    runs = runs_table([0] * 96 + [None] * 4)
    s = score_case("c", runs, Observed(deal=False), horizon=26, round_weeks=2, start=START)
    assert not s.deal_pass and s.time_p95 == 0 and not s.time_pass  # 4 % without a deal: below the 5th percentile
    assert s.force_pass is None and s.durability_pass is None


def test_the_scorecard_scores_against_a_leave_one_out_base_rate():
    """Two cases: P(deal) 0.8 where a deal came, 0.2 where none did. The base rate of the other case is
    0 for the first and 1 for the second: Brier 1 against the model's 0.04."""
    a = score_case("a", runs_table([1] * 8 + [None] * 2), Observed(deal=True, date=START), horizon=26,
                   round_weeks=2, start=START)
    b = score_case("b", runs_table([1] * 2 + [None] * 8), Observed(deal=False), horizon=26, round_weeks=2, start=START)
    card = scorecard([a, b], bootstrap=200)
    values = card.overall.set_index(["forecast", "score"])["value"]
    assert values["model", "brier"] == pytest.approx(0.04)
    assert values["model", "log"] == pytest.approx(np.log(0.8))
    assert values["base rate (leave one out)", "brier"] == pytest.approx(1.0)
    assert values["base rate (leave one out)", "log"] == pytest.approx(np.log(0.01))  # clipped
    assert values["model - base rate", "brier"] == pytest.approx(-0.96)


def test_the_command_prints_and_writes_the_scorecard(tmp_path):
    out = run_sim("backtest", "korea-1951", "colombia-2012", "--runs", "40", "--workers", "1",
                  "--out", str(tmp_path / "bt"))
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0] == "backtest: 2 cases, 40 runs each, master seed 0"
    assert any(line.startswith("korea-1951 ") for line in lines)
    assert any("base rate (leave one out)" in line for line in lines)
    for name in ("scorecard.csv", "scores.csv", "calibration.png", "timing.png"):
        assert (tmp_path / "bt" / name).stat().st_size > 100
    assert len(pd.read_csv(tmp_path / "bt" / "scorecard.csv")) == 2


def test_an_unknown_case_is_one_line_naming_the_cases():
    out = run_sim("backtest", "yalta-1945")
    assert out.returncode == 1 and out.stderr.count("\n") == 1
    assert "yalta-1945: no such backtest case (expected one of: " in out.stderr and "korea-1951" in out.stderr

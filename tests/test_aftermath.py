"""After the deal (issue 15): an aftermath window, a breakdown that restarts the war and the talks,
armistice-first deals, and military ends, on tiny scenarios with known answers."""

from __future__ import annotations

import copy
from typing import Any

import numpy as np
import pytest
from tiny import tiny

from sim import Scenario
from sim.errors import ScenarioError
from sim.model import NegotiationModel
from sim.scenario import deep_merge

#: The tiny scenario with a front on its one issue: b attacks, a defends; the split is what b holds.
FRONT = {"front": {"issue": "split", "attacker": {"b": 1.0}, "defender": {"a": 1.0}, "drift": 0.02, "noise": 0.0}}

#: A violation that breaks every standing deal for sure in round 3.
VIOLATION = {"shocks": {"violation": {"at_round": 3, "during": "aftermath", "effects": {"breaks_deal": 1.0}}}}


def model(overlay: dict[str, Any], n: int = 10, log: bool = False) -> NegotiationModel:
    m = NegotiationModel(tiny(**copy.deepcopy(overlay)), seeds=list(range(n)), log_events=log)
    m.run()
    return m


def records(overlay: dict[str, Any], n: int = 10) -> dict[str, np.ndarray]:
    return model(overlay, n).records()


def test_a_deal_that_no_hazard_breaks_holds_through_its_window_and_the_run_ends_with_it():
    r = records({"durability": {"window_years": 1, "base_hazard_per_year": 0.0}})
    assert (r["outcome"] == "deal").all() and (r["deal_round"] == 0).all()
    assert (r["deal_held"] == 1).all() and np.isnan(r["relapse_round"]).all()
    # One year of two-week rounds: 26 rounds, which is how long the deal stood (censored there).
    assert (r["window_rounds"] == 26).all() and (r["deal_duration_rounds"] == 26).all()
    assert (r["final_state"] == "peace").all() and (r["relapses"] == 0).all()
    assert (r["talks_end_round"] == 0).all()


def test_a_certain_hazard_breaks_the_deal_in_the_round_after_it():
    """A yearly hazard so high that the per-round chance is 1 to machine precision."""
    r = records({"durability": {"window_years": 1, "base_hazard_per_year": 5.0, "guarantees_effect": 0.0}}, n=3)
    per_round = 1 - np.exp(-5.0 * 2 / 52)
    assert per_round < 1  # not certain: the rounds of the breakdowns follow the relapse stream
    assert (r["deal_held"] == 0).all() and (r["relapse_round"] >= 1).all()
    assert (r["deal_duration_rounds"] == r["relapse_round"] - r["deal_round"]).all()


def test_a_violation_restarts_the_war_from_the_deals_line_and_the_talks():
    """Without a deal the split is what b holds: b wants 0.6, a 0.4, and b's advance is steady (no noise).
    The deal at round 0 stops the front; the violation in round 3 restarts it from the deal's line, and the
    talks resume and reach a second deal in that same round (the zone is still there)."""
    m = model(deep_merge(deep_merge(FRONT, VIOLATION), {"durability": {"window_years": 1, "base_hazard_per_year": 0}}),
              n=1, log=True)
    r = m.records()
    assert r["outcome"][0] == "deal" and r["deal_round"][0] == 0
    assert r["relapse_round"][0] == 3 and r["deal_held"][0] == 0 and r["deal_duration_rounds"][0] == 3
    assert r["relapses"][0] == 1 and r["second_deal_round"][0] == 3
    assert r["final_state"][0] == "peace"
    events = [(e.round, e.event) for e in m.events]
    assert (3, "relapse") in events and (3, "deal") in events
    # The talks came back: a proposal and answers in the round of the breakdown.
    assert any(e.round == 3 and e.event.startswith("proposes") for e in m.events)


def test_after_a_breakdown_the_front_moves_again_and_can_end_the_war():
    """a never gives b more than 0.55; once b insists on 0.95 (in the round of the breakdown) the talks after
    it find nothing, and b's advance takes the whole contested area before the run ends: a military end,
    while the record still names the first talks' deal as the outcome."""
    hold_out_after = {"shocks": {"violation": {"effects": {"breaks_deal": 1.0}},
                                 "b_hardens": {"at_round": 3, "during": "aftermath", "once": True,
                                               "effects": {"red_lines": [{"actor": "b", "issue": "split", "op": ">=",
                                                                          "bound": 0.95, "hard": True}]}}}}
    a_line = {"actors": {"a": {"red_lines": [{"issue": "split", "op": "<=", "bound": 0.55, "hard": True}]}}}
    overlay = deep_merge(deep_merge(deep_merge(deep_merge(FRONT, VIOLATION), hold_out_after), a_line),
                         {"durability": {"window_years": 3, "base_hazard_per_year": 0}})
    m = model(overlay, n=1)
    r = m.records()
    assert r["outcome"][0] == "deal" and r["relapse_round"][0] == 3
    assert np.isnan(r["second_deal_round"][0])
    assert r["final_state"][0] == "military_end"
    assert r["front_final"][0] == pytest.approx(1.0)


def test_a_window_of_no_rounds_ends_the_run_at_the_horizon_and_the_deal_holds():
    m = model({"durability": {"window_years": 0}})
    r = m.records()
    assert (r["deal_held"] == 1).all() and (r["deal_duration_rounds"] == 0).all()
    assert m.round == 6  # the tiny scenario's horizon


def test_no_deal_runs_end_at_the_horizon_and_are_censored_there():
    r = records({"actors": {"b": {"party": {"hold_out": 1.0}}}, "durability": {"window_years": 2}})
    assert (r["outcome"] == "no_deal").all()
    assert (r["talks_end_round"] == 6).all() and (r["final_state"] == "war").all()
    assert np.isnan(r["deal_duration_rounds"]).all()


# ------------------------------------------------------------------------------------------------ armistice

#: Two issues: the line and a claim no settlement can square (a needs it at least 0.8, b at most 0.2).
CLAIMS = {
    "issues": {"split": {"low": "a keeps all", "high": "b takes all"},
               "claim": {"low": "a's claim dropped", "high": "b's claim dropped", "status_quo": 0.5}},
    "actors": {
        "a": {"position": {"split": 0.4, "claim": 1.0}, "salience": {"split": 0.6, "claim": 0.4},
              "red_lines": [{"issue": "claim", "op": ">=", "bound": 0.8, "hard": True}]},
        "b": {"position": {"split": 0.6, "claim": 0.0}, "salience": {"split": 0.6, "claim": 0.4},
              "red_lines": [{"issue": "claim", "op": "<=", "bound": 0.2, "hard": True}]},
        "m": {"position": {"split": 0.5, "claim": 0.5}, "salience": {"split": 0.5, "claim": 0.5}}},
}


def test_without_an_armistice_the_claims_block_every_deal():
    r = records(CLAIMS)
    assert (r["outcome"] == "no_deal").all() and (r["breakdown_cause"] == "red_line_a").all()


def test_an_armistice_stops_the_war_where_no_settlement_can_and_leaves_the_claim_open():
    armistice = deep_merge(CLAIMS, {"institutions": {"talks": {"armistice": {"issues": ["split"]}}}})
    r = records(armistice)
    assert (r["outcome"] == "deal").all() and (r["deal_round"] == 0).all()
    assert (r["deal_kind"] == "armistice").all()
    np.testing.assert_allclose(r["terms_claim"], 0.5)  # left open: the no-deal term stands
    assert np.isnan(r["settlement_round"]).all()  # no settlement beats the armistice for both


def test_a_line_that_is_a_condition_of_any_ceasefire_holds_for_an_armistice_too():
    """a's claim line made a condition of any ceasefire: the open claim's no-deal term (0.5) breaks it, so
    no armistice is signed either, and the line is named."""
    armistice = copy.deepcopy(deep_merge(CLAIMS, {"institutions": {"talks": {"armistice": {"issues": ["split"]}}}}))
    armistice["actors"]["a"]["red_lines"][0]["before_ceasefire"] = True
    r = records(armistice)
    assert (r["outcome"] == "no_deal").all() and (r["breakdown_cause"] == "red_line_a").all()


def test_a_settlement_follows_an_armistice_once_one_beats_it_for_every_party():
    """A third issue both want (aid, 0 without a deal) is left open too; once b's line on the claim
    loosens (in the aftermath, round 2), terms on the open issues that give a its claim and both the aid
    are worth more than the armistice to each of them, and the open issues are settled."""
    overlay = deep_merge(CLAIMS, {
        "issues": {"aid": {"low": "none", "high": "full", "status_quo": 0.0}},
        "actors": {"a": {"position": {"aid": 1.0}, "salience": {"split": 0.4, "claim": 0.3, "aid": 0.3}},
                   "b": {"position": {"aid": 1.0}, "salience": {"split": 0.4, "claim": 0.1, "aid": 0.5}},
                   "m": {"position": {"aid": 1.0}, "salience": {"split": 0.4, "claim": 0.3, "aid": 0.3}}},
        "institutions": {"talks": {"armistice": {"issues": ["split"]}}},
        "durability": {"window_years": 1},
        "shocks": {"b_relents": {"at_round": 2, "during": "aftermath", "once": True, "effects": {"red_lines": [
            {"actor": "b", "issue": "claim", "op": "<=", "bound": 1.0, "moves": "loosen"}]}}}})
    r = records(overlay, n=5)
    assert (r["deal_kind"] == "armistice").all() and (r["deal_round"] == 0).all()
    assert (r["settlement_round"] == 2).all()


# ------------------------------------------------------------------------------------------------ military end

def test_a_side_whose_stock_runs_out_ends_the_war_as_a_military_end():
    """No terms satisfy b (hold-out 1); a's stock lasts three rounds of fighting: after the third the war is
    over without a deal, and the run with it."""
    r = records({"actors": {"b": {"party": {"hold_out": 1.0}}, "a": {"party": {"endurance_rounds": 3}}},
                 "durability": {"window_years": 1}})
    assert (r["outcome"] == "military_end").all() and (r["breakdown_cause"] == "exhausted_a").all()
    assert (r["talks_end_round"] == 2).all() and (r["final_state"] == "military_end").all()


# ------------------------------------------------------------------------------------------------ validation

def scenario_error(overlay: dict[str, Any]) -> str:
    data = deep_merge(tiny_data_copy(), overlay)
    with pytest.raises(ScenarioError) as err:
        Scenario.from_dict(data)
    return str(err.value)


def tiny_data_copy() -> dict[str, Any]:
    from tiny import tiny_data
    return tiny_data(durability={"window_years": 1})


def test_an_aftermath_shock_that_acts_on_the_talks_is_an_error_at_its_key():
    message = scenario_error({"shocks": {"s": {"probability": 0.1, "during": "aftermath",
                                               "effects": {"suspend_talks": {"probability": 1.0}}}}})
    assert "shocks.s.effects.suspend_talks" in message and "aftermath" in message


def test_a_talks_shock_that_breaks_a_deal_is_an_error_at_its_key():
    message = scenario_error({"shocks": {"s": {"probability": 0.1, "effects": {"breaks_deal": 0.5}}}})
    assert "shocks.s.effects.breaks_deal" in message and "during: aftermath" in message


def test_an_armistice_of_every_issue_is_an_error():
    message = scenario_error({"institutions": {"talks": {"armistice": {"issues": ["split"]}}}})
    assert "institutions.talks.armistice.issues" in message and "settlement" in message


def test_a_condition_of_any_ceasefire_without_an_armistice_is_an_error_at_its_key():
    message = scenario_error({"actors": {"a": {"red_lines": [
        {"issue": "split", "op": ">=", "bound": 0.1, "before_ceasefire": True}]}}})
    assert "actors.a.red_lines[0].before_ceasefire" in message and "armistice" in message


def test_a_second_red_line_on_the_same_issue_and_side_is_an_error_not_a_silent_replacement():
    message = scenario_error({"actors": {"a": {"red_lines": [
        {"issue": "split", "op": ">=", "bound": 0.1}, {"issue": "split", "op": ">=", "bound": 0.3, "hard": False}]}}})
    assert "actors.a.red_lines[1]: a second red line split >= (red_lines[0] is one already)" in message

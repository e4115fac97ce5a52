"""Councils that vote by rule, measures that lapse unless renewed, temporary shocks and red lines that
loosen (issue 12, items 2 and 6): pure vote math with properties, and known answers on tiny scenarios."""

from __future__ import annotations

import copy
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tiny import tiny_data as tiny_base

from sim import Scenario, ScenarioError, load_scenario
from sim import mechanisms as mech
from sim.experiment import explain_run
from sim.model import NegotiationModel
from sim.scenario import deep_merge
from sim.streams import run_seed

# ---------------------------------------------------------------------------- tiny scenarios


def tiny_data(**overlay: Any) -> dict[str, Any]:
    """The tiny scenario of tests/tiny.py over eight rounds, with a sanctions index on a (which a feels)."""
    base = tiny_base(horizon={"rounds": 8}, actors={"a": {"party": {"sanctions_cost": 0.1}}},
                          sanctions={"a": {"start": 0.5, "decay": 0.0}})
    return deep_merge(base, copy.deepcopy(overlay))


#: Hard red lines that leave no deal: the talks go on, so shocks can fire every round.
NO_DEAL = {"a": {"red_lines": [{"issue": "split", "op": "<=", "bound": 0.3}]},
           "b": {"red_lines": [{"issue": "split", "op": ">=", "bound": 0.7}]}}


def tiny(**overlay: Any) -> Scenario:
    return Scenario.from_dict(tiny_data(**overlay))


def member(against: bool, **more: Any) -> dict[str, Any]:
    """A council member that votes against the measure ``pkg`` for sure (or never), with more attributes."""
    return {"name": "member", "roles": ["member"],
            "member": {"votes_against": ["pkg"] if against else [], **more}}


def council(rule: str, members: dict[str, dict[str, Any]], **more: Any) -> dict[str, Any]:
    """An overlay: a council with these members and one measure raising the sanctions index on a by 0.1."""
    measure = {"effects": {"sanctions": [{"target": "a", "by": 0.1}]}, **more.pop("measure", {})}
    return {"actors": members,
            "institutions": {"councils": {"c": {"rule": rule, "members": list(members),
                                                "measures": {"pkg": measure}, **more}}}}


def run(scenario: Scenario, n: int = 4) -> tuple[NegotiationModel, list[dict[str, Any]]]:
    """Run a batch, keeping after every round the sanctions index on a and whether pkg is in force."""
    model = NegotiationModel(scenario, seeds=[run_seed(5, i) for i in range(n)])
    trace = []
    while model.running:
        model.step()
        trace.append({"sanctions": model.economy.sanctions["a"].copy(),
                      "in_force": model.councils["c"].in_force[:, 0].copy() if model.councils else None})
    return model, trace


@contextmanager
def stepping(scenario: Scenario, seeds: list[int]) -> Iterator[NegotiationModel]:
    """A model to step by hand; run to its end afterwards, since Mesa holds on to an unfinished model."""
    model = NegotiationModel(scenario, seeds=seeds)
    try:
        yield model
    finally:
        model.run()


# ---------------------------------------------------------------------------- pure vote math

votes = st.lists(st.booleans(), min_size=1, max_size=7)


@settings(max_examples=200, deadline=None)
@given(votes, st.integers(0, 6), st.data())
def test_adding_a_yes_vote_never_turns_a_majority_pass_into_a_fail(in_favour, others, data):
    yes = np.array(in_favour)
    k = data.draw(st.integers(0, len(in_favour) - 1))
    more = yes.copy()
    more[k] = True
    if mech.majority(yes, others):
        assert mech.majority(more, others)
    assert mech.unanimity(~more) or not mech.unanimity(~yes)


@settings(max_examples=200, deadline=None)
@given(votes, st.data())
def test_adding_a_yes_vote_never_turns_a_qualified_pass_into_a_fail(in_favour, data):
    n, quotas = len(in_favour), data.draw(st.integers(1, 3))
    weights = np.array(data.draw(st.lists(st.lists(st.floats(0, 100), min_size=n, max_size=n),
                                          min_size=quotas, max_size=quotas)))
    others = np.array(data.draw(st.lists(st.floats(0, 50), min_size=quotas, max_size=quotas)))
    shares = np.array(data.draw(st.lists(st.floats(0, 1), min_size=quotas, max_size=quotas)))
    yes = np.array(in_favour)
    more = yes.copy()
    more[data.draw(st.integers(0, n - 1))] = True
    if mech.qualified_majority(yes, weights, others, shares):
        assert mech.qualified_majority(more, weights, others, shares)


def test_majority_counts_the_unmodelled_members_in_favour():
    two_of_three = np.array([True, True, False])
    assert mech.majority(two_of_three)
    assert not mech.majority(np.array([True, False, False]))
    assert not mech.majority(np.array([True, False]))  # half is not more than half
    assert mech.majority(np.array([False, False, False]), 4.0)  # 4 of 7
    # Batched: runs on the leading axis.
    assert mech.majority(np.array([[True, True, False], [True, False, False]])).tolist() == [True, False]


def test_qualified_majority_needs_every_quota():
    weights = np.array([[1.0, 1.0, 1.0], [60.0, 20.0, 20.0]])  # count, population
    shares = np.array([0.55, 0.65])
    none = np.zeros(2)
    assert not mech.qualified_majority(np.array([False, True, True]), weights, none, shares)  # 2/3 but 40 %
    assert mech.qualified_majority(np.array([True, True, False]), weights, none, shares)  # 2/3 and 80 %
    # One unmodelled member in favour: 2 of 4 members is below 55 %, though 60 % of the population.
    assert not mech.qualified_majority(np.array([True, False, False]), weights, np.array([1.0, 0.0]), shares)
    # A share exactly met passes.
    assert mech.qualified_majority(np.array([True, False]), np.array([[1.0, 1.0]]), np.zeros(1), np.array([0.5]))


# ---------------------------------------------------------------------------- council rules


def story_words(scenario: Scenario) -> str:
    _, events = explain_run(scenario, seed=1)
    return "\n".join(f"{e.actor} {e.event} {e.detail}" for e in events)


def test_a_majority_council_passes_a_measure_one_member_opposes():
    scenario = tiny(**council("majority", {"x": member(True), "y": member(False), "z": member(False)}))
    model, trace = run(scenario)
    assert model.councils["c"].adopted[:, 0].all()
    assert (model.councils["c"].adopted_round[:, 0] == 0).all()
    assert trace[0]["sanctions"] == pytest.approx(0.6)
    story = story_words(scenario)
    assert "pkg passes by majority" in story
    assert "x votes against pkg" in story
    assert "veto" not in story and "unanimously" not in story


def test_a_majority_council_fails_when_two_of_three_oppose():
    scenario = tiny(**council("majority", {"x": member(True), "y": member(True), "z": member(False)}))
    model, trace = run(scenario)
    assert not model.councils["c"].adopted.any()
    assert trace[-1]["sanctions"] == pytest.approx(0.5)
    assert (model.councils["c"].votes_against == 2 * 8).all()
    story = story_words(scenario)
    assert "pkg fails under the majority rule" in story
    assert "veto" not in story and "unanimously" not in story


def test_members_not_modelled_who_vote_in_favour_make_the_majority():
    members = {"x": member(True), "y": member(True), "z": member(False)}
    model, _ = run(tiny(**council("majority", members, others_in_favour={"count": 2})))
    assert model.councils["c"].adopted[:, 0].all()  # 3 of 5


def double_quota(opposing: str) -> Scenario:
    """A qualified council: 55 % of the members holding 65 % of the population; x holds 60 %."""
    population = {"x": 60, "y": 20, "z": 20}
    members = {aid: member(aid == opposing, weights={"population": n}) for aid, n in population.items()}
    return tiny(**council("qualified", members, quotas=[{"weight": "count", "share": 0.55},
                                                        {"weight": "population", "share": 0.65}]))


def test_a_double_quota_council_that_meets_the_count_but_not_the_population_quota_fails():
    model, trace = run(double_quota("x"))  # 2 of 3 members, 40 % of the population
    assert not model.councils["c"].adopted.any()
    assert trace[-1]["sanctions"] == pytest.approx(0.5)
    assert "veto" not in story_words(double_quota("x"))


def test_a_double_quota_council_passes_when_both_quotas_are_met():
    model, trace = run(double_quota("z"))  # 2 of 3 members, 80 % of the population
    assert model.councils["c"].adopted[:, 0].all()
    assert trace[0]["sanctions"] == pytest.approx(0.6)
    assert "pkg passes by qualified majority" in story_words(double_quota("z"))


def test_a_unanimity_council_keeps_the_veto_words():
    assert "x veto blocks pkg" in story_words(tiny(**council("unanimity", {"x": member(True)})))
    assert "pkg passes unanimously" in story_words(tiny(**council("unanimity", {"x": member(False)})))


# ---------------------------------------------------------------------------- lapse and renewal


def turning_member() -> dict[str, Any]:
    """Votes for pkg until the election of round 2 brings a government that votes against it for sure."""
    return member(True, against_probability=0.0, election_round=2, government_change_probability=1.0,
                  against_probability_after_change=1.0)


def test_a_measure_whose_renewal_fails_lapses_and_the_sanctions_index_falls_back():
    scenario = tiny(**council("unanimity", {"x": turning_member()}, measure={"renew_every": 3}))
    model, trace = run(scenario)
    c = model.councils["c"]
    assert [r["sanctions"][0] for r in trace[:5]] == pytest.approx([0.6, 0.6, 0.6, 0.5, 0.5])
    assert [bool(r["in_force"][0]) for r in trace[:5]] == [True, True, True, False, False]
    assert c.adopted[:, 0].all() and (c.adopted_round[:, 0] == 0).all()
    columns = model.records()
    assert not columns["measure_pkg_in_force"].any()
    story = story_words(scenario)
    assert "lapses pkg: the renewal vote fails and its effects end" in story


def test_a_lapsed_measure_is_voted_on_as_new_and_may_pass_again():
    workaround = {"after_blocked_rounds": 1, "probability": 1.0, "value": 0.5}
    scenario = tiny(**council("unanimity", {"x": turning_member()},
                              measure={"renew_every": 3, "workaround": workaround}))
    _, trace = run(scenario)
    # Adopted at 0, lapses at 3, blocked once at 4 so the workaround passes it at half value, lapses at 7.
    assert [r["sanctions"][0] for r in trace] == pytest.approx([0.6, 0.6, 0.6, 0.5, 0.55, 0.55, 0.55, 0.5])
    assert [bool(r["in_force"][0]) for r in trace] == [True] * 3 + [False] + [True] * 3 + [False]


def test_a_measure_renewed_at_every_renewal_stays_in_force():
    scenario = tiny(**council("majority", {"x": member(True), "y": member(False), "z": member(False)},
                              measure={"renew_every": 2}))
    model, trace = run(scenario)
    assert all(r["in_force"].all() for r in trace)
    assert trace[-1]["sanctions"] == pytest.approx(0.6)
    assert model.records()["measure_pkg_in_force"].all()
    assert "pkg is renewed (by majority)" in story_words(scenario)


def test_a_lapsed_loan_removes_only_the_funding_rounds_not_yet_used():
    front = {"issue": "split", "attacker": {"b": 1.0}, "defender": {"a": 1.0}}
    overlay = council("unanimity", {"x": turning_member()}, measure={"renew_every": 3})
    overlay["institutions"]["councils"]["c"]["measures"]["pkg"]["effects"] = {
        "funding": [{"actor": "a", "runway_rounds": 10}]}
    overlay["actors"]["a"] = {"funding": {"runway_rounds": 1}}
    scenario = tiny(front=front, **overlay)
    runway = []
    with stepping(scenario, [1]) as model:
        for _ in range(5):
            model.step()
            runway.append(float(model.efforts["a"].runway[0]))
    # Round 0 pays the own round, then 10 arrive; rounds 1-3 are paid from them; at round 3's failed
    # renewal the 7 unused go, and round 4 finds the runway dry.
    assert runway == pytest.approx([10.0, 9.0, 8.0, 0.0, -1.0])


def test_a_record_has_no_in_force_column_for_a_measure_that_cannot_lapse():
    model, _ = run(tiny(**council("unanimity", {"x": member(False)})))
    assert not any(name.endswith("_in_force") for name in model.records())


# ---------------------------------------------------------------------------- temporary shocks


def test_a_temporary_shock_that_tightens_a_red_line_blocks_deals_until_it_ends():
    overlay = {"actors": {"b": {"red_lines": [{"issue": "split", "op": ">=", "bound": 0.5}]}},
               "shocks": {"hardline": {"at_round": 0, "lasts_rounds": 3, "effects": {"red_lines": [
                   {"actor": "a", "issue": "split", "op": "<=", "bound": 0.2, "hard": True}]}}}}
    scenario = tiny(**overlay)
    model, _ = run(scenario, n=6)
    rounds = model.talks.ceasefire_round
    assert (rounds == 3).all()
    # Without the shock's end, no deal at all.
    forever = copy.deepcopy(overlay)
    del forever["shocks"]["hardline"]["lasts_rounds"]
    model, _ = run(tiny(**forever), n=6)
    assert np.isnan(model.talks.ceasefire_round).all()
    assert "shock ends hardline (its effects are undone)" in story_words(scenario)


def test_a_loosening_shock_makes_possible_a_deal_that_was_not():
    lines = {"a": {"red_lines": [{"issue": "split", "op": "<=", "bound": 0.5}]},
             "b": {"red_lines": [{"issue": "split", "op": ">=", "bound": 0.7}]}}
    model, _ = run(tiny(actors=lines), n=6)
    assert np.isnan(model.talks.ceasefire_round).all()
    shock = {"shocks": {"thaw": {"at_round": 2, "effects": {"red_lines": [
        {"actor": "b", "issue": "split", "op": ">=", "bound": 0.5, "moves": "loosen"}]}}}}
    scenario = tiny(actors=lines, **shock)
    model, _ = run(scenario, n=6)
    assert (model.talks.ceasefire_round == 2).all()
    assert model.talks.terms[:, 0] == pytest.approx(0.5, abs=1e-6)
    assert "b red line loosens" in story_words(scenario)


def test_a_loosening_change_never_tightens_a_line():
    lines = {"b": {"red_lines": [{"issue": "split", "op": ">=", "bound": 0.3}]}}
    shock = {"shocks": {"thaw": {"at_round": 0, "effects": {"red_lines": [
        {"actor": "b", "issue": "split", "op": ">=", "bound": 0.2, "moves": "loosen"}]}}}}
    with stepping(tiny(actors=lines, **shock), [1]) as model:
        party = model.party_by_id["b"]
        party.set_red_line(np.ones(1, bool), 0, ">=", 0.9, None, None, moves="loosen")
        assert party.at_least[0, 0] == pytest.approx(0.3)
        party.set_red_line(np.ones(1, bool), 0, ">=", 0.1, None, None, moves="loosen")
        assert party.at_least[0, 0] == pytest.approx(0.1)
        party.set_red_line(np.ones(1, bool), 0, "<=", 0.1, None, None, moves="loosen")  # no such line: none added
        assert np.isinf(party.at_most[0, 0])


@pytest.mark.parametrize(("start", "rise"), [(0.5, 0.2), (0.9, 0.1)])
def test_a_temporary_sanctions_shock_falls_back_by_what_it_added(start, rise):
    shock = {"sanctions": {"a": {"start": start}}, "actors": NO_DEAL,
             "shocks": {"squeeze": {"at_round": 1, "lasts_rounds": 2,
                                    "effects": {"sanctions": [{"target": "a", "by": 0.2}]}}}}
    _, trace = run(tiny(**shock))
    index = [r["sanctions"][0] for r in trace[:5]]
    # Clipped at 1: what falls back is what the index actually rose.
    assert index == pytest.approx([start, start + rise, start + rise, start, start])


def test_a_temporary_shock_cannot_fire_again_while_its_effects_last():
    shock = {"actors": NO_DEAL, "shocks": {"squeeze": {"probability": 1.0, "lasts_rounds": 3,
                                    "effects": {"sanctions": [{"target": "a", "by": 0.1}]}}}}
    model, trace = run(tiny(**shock))
    # Fires at rounds 0, 3 and 6: each time the index rises once, then falls back.
    assert (model.shocks.fired[:, 0] == 3).all()
    assert max(r["sanctions"][0] for r in trace) == pytest.approx(0.6)


def test_a_temporary_shock_restores_positions_and_war_cost():
    shock = {"shocks": {"swing": {"at_round": 0, "lasts_rounds": 2, "effects": {
        "positions": [{"actor": "a", "issue": "split", "by": 0.8}],
        "war_cost": [{"actor": "b", "factor": 0.0}]}}}}
    with stepping(tiny(horizon={"rounds": 4}, **shock), [1, 2]) as model:
        a, b = model.party_by_id["a"], model.party_by_id["b"]
        model.step()
        assert a.position[:, 0] == pytest.approx(1.0)  # clipped: moved by 0.6
        assert b.cost_factor == pytest.approx(0.0)
        model.step()
        model.step()
        assert a.position[:, 0] == pytest.approx(0.4)
        assert b.cost_factor == pytest.approx(1.0)


def test_a_temporary_shock_on_the_coalition_restores_the_backstop_and_the_consent_thresholds(tmp_path):
    baseline = (Path(__file__).resolve().parent.parent / "scenarios" / "baseline.yaml").as_posix()
    (tmp_path / "wobble.yaml").write_text(f"extends: {baseline}\nname: wobble\n" + textwrap.dedent("""\
        shocks:
          wobble:
            at_round: 0
            lasts_rounds: 2
            effects: {backstop: -0.2, consent_thresholds: 0.3}
        """))
    seeds = [run_seed(2, i) for i in range(3)]

    def state(model):
        return np.concatenate([model.backer.backstop, *(g.threshold for g in model.guarantors)])

    with (stepping(load_scenario(baseline), seeds) as without,
          stepping(load_scenario(tmp_path / "wobble.yaml"), seeds) as wobbling):
        for t in range(3):
            without.step()
            wobbling.step()
            assert (state(without) == pytest.approx(state(wobbling))) == (t == 2), t


# ---------------------------------------------------------------------------- validation


def problems(tmp_path, data: dict[str, Any]) -> list[str]:
    """The one-line problems of a scenario written to a file (FILE:LINE: key.path: message (expected ...))."""
    import yaml

    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    return [str(p) for p in caught.value.problems]


def line_of(tmp_path, text: str) -> int:
    lines = (tmp_path / "s.yaml").read_text().splitlines()
    return next(i for i, line in enumerate(lines) if line.strip().startswith(text)) + 1


@pytest.mark.parametrize(("overlay", "key", "words"), [
    (council("majority", {"x": member(True)}, quotas=[{"weight": "count", "share": 0.5}]),
     "institutions.councils.c.quotas", "quotas are read only under rule qualified, not majority"),
    (council("qualified", {"x": member(True)}), "institutions.councils.c.rule", "rule qualified needs at least one quota"),
    (council("qualified", {"x": member(True)}, quotas=[{"weight": "votes", "share": 0.5}]),
     "actors.x.member", "no weight 'votes', which quota 0 of council 'c' reads"),
    (council("majority", {"x": member(True)}, others_in_favour={"votes": 3}),
     "institutions.councils.c.others_in_favour.votes", "rule majority reads no weight 'votes'"),
    (council("unanimity", {"x": member(True)}, others_in_favour={"count": 3}),
     "institutions.councils.c.others_in_favour.count", "cannot block under rule unanimity"),
    (council("majority", {"x": member(True, weights={"votes": 2})}),
     "actors.x.member.weights.votes", "no quota of a council 'x' sits on reads the weight 'votes'"),
    (council("unanimity", {"x": member(True)}, measure={"renew_every": 8}),
     "institutions.councils.c.measures.pkg.renew_every", "cannot come within the horizon (8 rounds)"),
    ({"shocks": {"s": {"at_round": 0, "effects": {"red_lines": [
        {"actor": "a", "issue": "split", "op": "<=", "bound": 0.5, "moves": "loosen"}]}}}},
     "shocks.s.effects.red_lines[0].moves", "'a' has no red line split <= to loosen"),
    ({"shocks": {"s": {"at_round": 0, "effects": {"red_lines": [
        {"actor": "a", "issue": "split", "op": ">=", "bound": 0.5, "moves": "either"}]}}}},
     "shocks.s.effects.red_lines[0].moves", "either only adds it, as tighten does"),
    ({"actors": {"a": {"red_lines": [{"issue": "split", "op": "<=", "bound": 0.5}]}},
      "shocks": {"s": {"at_round": 0, "effects": {"red_lines": [
          {"actor": "a", "issue": "split", "op": "<=", "bound": 0.3, "moves": "loosen"}]}}}},
     "shocks.s.effects.red_lines[0].bound", "bound 0.3 is not looser than the line's 0.5, so it never loosens"),
])
def test_settings_no_rule_reads_are_one_line_problems_with_file_and_line(tmp_path, overlay, key, words):
    found = problems(tmp_path, tiny_data(**overlay))
    matching = [p for p in found if f": {key}: " in p]
    assert len(matching) == 1, found
    assert words in matching[0]
    assert "(expected " in matching[0] and "\n" not in matching[0]
    assert matching[0].split(":")[1].isdigit()


def test_a_qualified_council_with_every_weight_validates():
    assert double_quota("x").name == "tiny"


"""A council's votes as evidence about a party's resolve (issue 14, item 1): the tilted belief is Bayes'
rule with a likelihood log-linear in the type's prior rank, and the mediators read adoptions, vetoes and
lapses as the scenario says, about the party it names, by its likelihood ratio."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_councils_and_shocks import council, member, tiny

from sim import ScenarioError
from sim import mechanisms as mech
from sim.model import NegotiationModel
from sim.scenario import deep_merge

GRID = np.linspace(0.8, 2.0, 13)  # the prior's quantiles: a uniform prior on [0.8, 2.0]


def bayes_on_a_fine_grid(low: float, high: float, cutoff: float, tilt: float) -> float:
    """The same belief computed the long way: a fine grid of types, the prior, the likelihood, Bayes."""
    types = np.linspace(GRID[0], GRID[-1], 400_001)
    rank = np.interp(types, GRID, np.linspace(0, 1, len(GRID)))
    weight = np.where((types >= low) & (types <= high), np.exp(tilt * rank), 0.0)
    return float(weight[types <= cutoff].sum() / weight.sum())


@settings(max_examples=60, deadline=None)
@given(low=st.floats(0.8, 1.3), width=st.floats(0.2, 0.7), at=st.floats(0, 1), tilt=st.floats(-12, 12))
def test_the_tilted_belief_is_bayes_rule(low, width, at, tilt):
    high = low + width
    cutoff = low + at * width
    share = mech.interval_share(GRID, np.array([low]), np.array([high]), np.array([[cutoff]]), np.array([tilt]))
    assert share[0, 0] == pytest.approx(bayes_on_a_fine_grid(low, high, cutoff, tilt), abs=2e-4)
    # The quantile function inverts it.
    back = mech.interval_quantile(GRID, np.array([low]), np.array([high]), share[0], np.array([tilt]))
    assert back[0] == pytest.approx(cutoff, abs=1e-6)


def test_news_for_resolve_lowers_the_mediators_chance_that_a_party_accepts():
    low, high, cutoff = np.array([0.8]), np.array([2.0]), np.array([[1.4]])
    plain = mech.interval_share(GRID, low, high, cutoff)
    for news, expect in ((+1, "lower"), (-1, "higher")):
        tilt = mech.tilt_by_news(np.zeros(1), np.array([news]), np.array([2.0]))
        assert tilt[0] == pytest.approx(news * np.log(2.0))
        share = mech.interval_share(GRID, low, high, cutoff, tilt)
        assert (share < plain) if expect == "lower" else (share > plain)
    # A likelihood ratio of 1 teaches nothing; the tilt is bounded.
    assert mech.tilt_by_news(np.zeros(1), np.array([5.0]), np.array([1.0]))[0] == 0
    assert mech.tilt_by_news(np.zeros(1), np.array([1e6]), np.array([100.0]))[0] == mech.MAX_TILT


#: a's resolve is private (drawn), so the mediators hold a belief about it.
PRIVATE = {"actors": {"a": {"party": {"resolve": {"uniform": [0.8, 2.0]}}}}}


def tilts(scenario, rounds: int) -> np.ndarray:
    model = NegotiationModel(scenario, seeds=list(range(6)))
    for _ in range(rounds):
        model.step()
    tilt = model.talks.resolve_tilt[0].copy()
    model.run()
    return tilt


def signal_overlay(against: bool, ratio: float = 2.0) -> dict:
    """A council of one member that vetoes its measure (or not), read as news about a's private resolve."""
    overlay = council("unanimity", {"x": member(against)}, signals=[{"about": "a", "likelihood_ratio": ratio}])
    return deep_merge(overlay, {**PRIVATE, "horizon": {"rounds": 6}})


def with_signal(against: bool, ratio: float = 2.0):
    return tiny(**signal_overlay(against, ratio))


def test_a_veto_is_read_once_and_an_adoption_once():
    # x vetoes the measure every round: only its first failed vote is news (later ones repeat it).
    assert np.allclose(tilts(with_signal(True), 4), -np.log(2.0))
    # Nobody opposes: adopted in round 0, news for a more resolute a.
    assert np.allclose(tilts(with_signal(False), 4), np.log(2.0))
    # A likelihood ratio of 1 (the switch of the channel): the votes teach nothing.
    assert np.allclose(tilts(with_signal(True, ratio=1.0), 4), 0.0)


def test_a_known_resolve_stays_known():
    # With the types known (the counterfactual switch) the news has nothing to move.
    known = tiny(**deep_merge(signal_overlay(True), {"institutions": {"talks": {"mediators_know_resolve": True}}}))
    assert np.allclose(tilts(known, 4), 0.0)


def test_a_signal_about_an_actor_not_at_the_talks_is_an_error():
    overlay = council("unanimity", {"x": member(True)}, signals=[{"about": "x", "likelihood_ratio": 2.0}])
    with pytest.raises(ScenarioError, match=r"signals\[0\]\.about.*does not have the role party or veto_player"):
        tiny(**overlay)


# Parties that hear the votes read them as news about how the war goes for a side ---------------------


@settings(max_examples=40, deadline=None)
@given(news=st.integers(-3, 3), ratio=st.floats(1.0, 100.0), seed=st.integers(0, 1000))
def test_news_on_the_drift_grid_is_bayes_rule(news, ratio, seed):
    weights = np.random.default_rng(seed).dirichlet(np.ones(9))[None, :]
    rank = np.linspace(0, 1, 9)
    expected = weights[0] * ratio ** (news * rank)
    tilted = mech.tilt_grid(weights, np.array([float(news)]), np.array([ratio]))
    assert tilted[0] == pytest.approx(expected / expected.sum(), rel=1e-9, abs=1e-15)


#: a defends, b attacks.
FRONT = {"front": {"issue": "split", "attacker": {"b": 1.0}, "defender": {"a": 1.0}, "drift": 0.02, "noise": 0.01}}


def expected_drift(against: bool, heard_by: list[str], about: str = "a", ratio: float = 10.0) -> np.ndarray:
    """b's expected drift after round 0 (its first front lesson, then the council's vote), when x vetoes the
    measure (or lets it pass), read as news about ``about`` by ``heard_by``; the same runs every time."""
    overlay = council("unanimity", {"x": member(against)},
                      signals=[{"about": about, "likelihood_ratio": ratio, "heard_by": heard_by}])
    model = NegotiationModel(tiny(**deep_merge(overlay, {**FRONT, "horizon": {"rounds": 3}})), seeds=list(range(4)))
    model.step()
    belief = next(p for p in model.talks.parties if p.actor_id == "b").belief.copy()
    model.run()
    return belief


def test_a_veto_about_the_defender_makes_the_attacker_expect_a_faster_advance():
    deaf = expected_drift(True, ["mediators"])
    vetoed, adopted = expected_drift(True, ["b"]), expected_drift(False, ["b"])
    assert np.all(vetoed > deaf) and np.all(adopted < deaf)
    # News about the attacker's own side reads the other way.
    assert np.all(expected_drift(True, ["b"], about="b") < deaf)
    # A likelihood ratio of 1 teaches nothing.
    assert np.allclose(expected_drift(True, ["b"], ratio=1.0), deaf)


def test_a_party_cannot_read_news_about_an_actor_off_the_front():
    overlay = council("unanimity", {"x": member(True)},
                      signals=[{"about": "a", "likelihood_ratio": 2.0, "heard_by": ["b"]}])
    with pytest.raises(ScenarioError, match=r"signals\[0\]\.about.*on no side of the front"):
        tiny(**overlay)
    overlay = council("unanimity", {"x": member(True)},
                      signals=[{"about": "a", "likelihood_ratio": 2.0, "heard_by": ["x"]}])
    with pytest.raises(ScenarioError, match=r"signals\[0\]\.heard_by\[0\].*does not have the role party or veto_player"):
        tiny(**deep_merge(overlay, FRONT))

"""The bargaining core of issue 13, as a specification: its pure functions, then the model on tiny scenarios.

The pure functions of :mod:`sim.mechanisms` (Bayes' rule on a grid, the belief mass of the types that
accept, the belief after an answer, why there is no zone of agreement, discounted war costs) are
checked against sums written out by hand or by brute force. The model is then checked on the tiny
scenario of tests/tiny.py: known answers first, then comparative statics over paired seeds (the same
seeds in every variant, so a variant changes only what it names).

Delay needs something that changes between rounds. In :func:`stalemate` each party's stock drains
and its war cost rises with the share used (``strain``), so a zone of agreement that does not exist
at round 0 opens later (a hurting stalemate), and the mediator does not know how resolute either
party is, so a proposal can be rejected by a type it thought unlikely (screening). A run without a
deal counts as delayed to the horizon, so the median delay is defined in every variant.
"""

from __future__ import annotations

import copy
import itertools
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from scipy.stats import norm
from tiny import tiny

from sim import mechanisms as mech
from sim.model import NegotiationModel
from sim.model.search import REFINE_STEPS
from sim.scenario import deep_merge

# ---------------------------------------------------------------------------- grid_update


def test_grid_update_is_bayes_rule_with_a_normal_likelihood_on_a_known_grid():
    prior = np.array([[0.2, 0.5, 0.3], [0.1, 0.1, 0.8]])
    expected = np.array([[0.0, 1.0, 2.0], [-1.0, 0.5, 3.0]])
    observed, sd = np.array([0.8, 2.0]), 0.5
    by_hand = prior * norm.pdf(observed[:, None], loc=expected, scale=sd)
    by_hand /= by_hand.sum(axis=1, keepdims=True)
    posterior = mech.grid_update(prior, observed, expected, sd, np.array([True, True]))
    np.testing.assert_allclose(posterior, by_hand, rtol=1e-12)


def test_grid_update_takes_one_sd_per_run():
    prior = np.full((2, 4), 0.25)
    expected = np.tile([0.0, 1.0, 2.0, 3.0], (2, 1))
    observed, sd = np.array([1.2, 1.2]), np.array([0.3, 2.0])
    by_hand = prior * norm.pdf(observed[:, None], loc=expected, scale=sd[:, None])
    by_hand /= by_hand.sum(axis=1, keepdims=True)
    posterior = mech.grid_update(prior, observed, expected, sd, np.array([True, True]))
    np.testing.assert_allclose(posterior, by_hand, rtol=1e-12)
    assert posterior[0].max() > posterior[1].max()   # a sharper observation teaches more


def test_grid_update_keeps_the_prior_in_runs_where_the_observation_is_not_informative():
    prior = np.array([[0.2, 0.5, 0.3], [0.6, 0.3, 0.1]])
    expected = np.tile([0.0, 1.0, 2.0], (2, 1))
    posterior = mech.grid_update(prior, np.array([2.0, 2.0]), expected, 0.5, np.array([False, True]))
    np.testing.assert_array_equal(posterior[0], prior[0])
    assert posterior[1, 2] > prior[1, 2]   # the informative run moved toward the point that predicted 2


def test_an_observation_far_beyond_every_grid_points_reach_moves_the_belief_to_the_nearest_point():
    # The log-likelihood is shifted by its largest value, so nothing underflows to an empty posterior.
    prior = np.array([[0.2, 0.5, 0.3]])
    posterior = mech.grid_update(prior, np.array([100.0]), np.array([[0.0, 1.0, 2.0]]), 0.5, np.array([True]))
    np.testing.assert_allclose(posterior, [[0.0, 0.0, 1.0]], atol=1e-12)


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 4), st.integers(2, 8), st.data())
def test_a_posterior_on_a_grid_sums_to_one_and_only_moves_weight_between_points_of_the_prior(runs, size, data):
    unit = st.floats(0.01, 1.0)
    weights = data.draw(hnp.arrays(float, (runs, size), elements=unit))
    weights /= weights.sum(axis=1, keepdims=True)
    expected = data.draw(hnp.arrays(float, (runs, size), elements=st.floats(-1.0, 1.0)))
    observed = data.draw(hnp.arrays(float, (runs,), elements=st.floats(-1.0, 1.0)))
    sd = data.draw(st.floats(0.05, 2.0))
    posterior = mech.grid_update(weights, observed, expected, sd, np.ones(runs, bool))
    np.testing.assert_allclose(posterior.sum(axis=1), 1.0, rtol=1e-12)
    assert (posterior >= 0).all()


# ---------------------------------------------------------------------------- type_cutoff


def test_the_cutoff_is_the_most_resolute_type_that_accepts_ties_included():
    # Fighting on is worth 0.8 - 0.3 / resolve: terms worth 0.5 are taken by every resolve up to 1.0.
    cutoff = mech.type_cutoff(np.array([0.8]), np.array([0.3]), np.array([[0.5, 0.8, 0.9, 0.2]]))
    np.testing.assert_allclose(cutoff, [[1.0, np.inf, np.inf, 0.5]])
    resolve = cutoff[0, 0]
    assert 0.8 - 0.3 / resolve <= 0.5 + 1e-12            # the cutoff type itself accepts


def test_a_war_that_costs_nothing_is_never_ended_for_less_than_its_end_state():
    cutoff = mech.type_cutoff(np.array([0.6, 0.6]), np.array([0.0, 0.0]), np.array([[0.5], [0.6]]))
    np.testing.assert_array_equal(cutoff, [[0.0], [np.inf]])


@settings(max_examples=200, deadline=None)
@given(st.floats(-1, 2), st.floats(0.001, 1), st.floats(-1, 2), st.floats(0.05, 20))
def test_a_type_accepts_exactly_when_it_is_at_most_the_cutoff(utility, costs, threshold, resolve):
    cutoff = mech.type_cutoff(np.array([utility]), np.array([costs]), np.array([[threshold]]))[0, 0]
    accepts = utility - costs / resolve <= threshold
    if abs(resolve - cutoff) > 1e-9 * max(1.0, resolve):
        assert accepts == (resolve <= cutoff)


# ---------------------------------------------------------------------------- interval_share

UNIFORM_GRID = np.linspace(1.0, 3.0, 5)            # the quantiles of uniform(1, 3) at 0, 1/4, ..., 1


def test_the_share_is_the_prior_mass_up_to_the_cutoff_within_the_interval():
    low, high = np.array([1.0, 1.5]), np.array([3.0, 2.5])
    share = mech.interval_share(UNIFORM_GRID, low, high, np.array([[2.0, 0.5, 9.0], [2.0, 1.0, 2.25]]))
    np.testing.assert_allclose(share, [[0.5, 0.0, 1.0], [0.5, 0.0, 0.75]])


def test_a_known_type_accepts_or_rejects_for_certain():
    point = np.full(5, 1.7)
    share = mech.interval_share(point, np.array([1.7]), np.array([1.7]), np.array([[1.6999, 1.7, 2.0]]))
    np.testing.assert_array_equal(share, [[0.0, 1.0, 1.0]])
    narrowed = mech.interval_share(UNIFORM_GRID, np.array([2.0]), np.array([2.0]), np.array([[1.9, 2.0]]))
    np.testing.assert_array_equal(narrowed, [[0.0, 1.0]])


def test_a_triangular_prior_gives_its_own_distribution_function_as_the_grid_grows():
    from sim.distributions import Triangular
    prior = Triangular(1.2, 1.5, 1.9)
    grid = prior.quantile(np.linspace(0, 1, 257))
    cutoffs = np.array([[1.3, 1.5, 1.8]])
    exact = [(1.3 - 1.2) ** 2 / (0.7 * 0.3), 0.3 / 0.7, 1 - (1.9 - 1.8) ** 2 / (0.7 * 0.4)]
    np.testing.assert_allclose(mech.interval_share(grid, np.array([1.2]), np.array([1.9]), cutoffs), [exact],
                               atol=1e-4)


@settings(max_examples=200, deadline=None)
@given(st.floats(1, 3), st.floats(1, 3), st.floats(0, 4), st.floats(0, 4))
def test_the_share_is_a_distribution_function_of_the_cutoff(a, b, c1, c2):
    low, high = np.array([min(a, b)]), np.array([max(a, b)])
    s1, s2 = mech.interval_share(UNIFORM_GRID, low, high, np.array([[min(c1, c2), max(c1, c2)]]))[0]
    assert 0.0 <= s1 <= s2 <= 1.0


def test_the_quantile_inverts_the_share():
    low, high = np.array([1.2]), np.array([2.6])
    for q in (0.1, 0.5, 0.9):
        value = mech.interval_quantile(UNIFORM_GRID, low, high, q)
        np.testing.assert_allclose(mech.interval_share(UNIFORM_GRID, low, high, value[:, None]), [[q]], atol=1e-12)


def test_answers_narrow_the_interval_and_the_true_type_stays_inside_it():
    """Bayes' rule with deterministic answers: every answer cuts the interval of possible types at the
    cutoff of the terms answered, so the truth is never ruled out (the failure of a grid of points, where a
    true type between two points could make every point inconsistent)."""
    rng = np.random.default_rng(5)
    for _ in range(200):
        truth = rng.uniform(1, 3)
        low, high = 1.0, 3.0
        for _ in range(12):
            cutoff = rng.uniform(low, high)
            if truth <= cutoff:
                high = min(high, cutoff)
            else:
                low = max(low, cutoff)
            assert low - 1e-12 <= truth <= high + 1e-12


# ---------------------------------------------------------------------------- binding_constraint


def constraints(*parties: dict[str, list[bool]]) -> tuple[np.ndarray, ...]:
    """(acceptable, hard, home, margin_ok) for one run, from each party's per-candidate constraints."""
    hard = np.array([[p.get("hard", [False] * 2)] for p in parties])
    home = np.array([[p.get("home", [False] * 2)] for p in parties])
    margin_ok = np.array([[p.get("margin_ok", [True] * 2)] for p in parties])
    return ~hard & ~home & margin_ok, hard, home, margin_ok


FREE: dict[str, list[bool]] = {}


@pytest.mark.parametrize(("who", "kind", "code"), [
    (0, "hard", 0), (0, "home", 1), (0, "margin_ok", 2),
    (1, "hard", 3), (1, "home", 4), (1, "margin_ok", 5)])
def test_the_one_constraint_that_alone_blocks_the_zone_is_named_as_3i_plus_its_kind(who, kind, code):
    blocked = {kind: [False, False] if kind == "margin_ok" else [True, True]}
    parties = [FREE, FREE]
    parties[who] = blocked
    assert mech.binding_constraint(*constraints(*parties)).tolist() == [code]


def test_a_zone_of_agreement_is_coded_minus_one():
    # Candidate 1 is blocked for nobody; candidate 0 by both parties.
    assert mech.binding_constraint(*constraints({"hard": [True, False]}, {"home": [True, False]})).tolist() == [-1]
    assert mech.binding_constraint(*constraints(FREE, {"margin_ok": [False, True]})).tolist() == [-1]


def test_a_zone_that_no_single_constraint_opens_is_coded_minus_two():
    # Party 0 is blocked by its red line and at home on every candidate: lifting one is not enough.
    assert mech.binding_constraint(*constraints({"hard": [True, True], "home": [True, True]}, FREE)).tolist() == [-2]
    # Both parties' red lines block every candidate: lifting either leaves the other.
    assert mech.binding_constraint(*constraints({"hard": [True, True]}, {"hard": [True, True]})).tolist() == [-2]
    # Every candidate is blocked twice, by constraints of both parties or two of one party.
    assert mech.binding_constraint(*constraints({"hard": [True, False], "margin_ok": [True, False]},
                                                {"home": [True, False], "hard": [False, True]})).tolist() == [-2]


def test_red_lines_are_named_before_approval_at_home_and_approval_before_outside_options():
    """When lifting either of two constraints would open the zone (each blocks its own candidate), the code
    names the kind first (red line, approval at home, outside option), then the party in the table's order."""
    # Candidate 0 is blocked only by party 0's approval at home, candidate 1 only by party 1's red line.
    assert mech.binding_constraint(*constraints({"home": [True, False]}, {"hard": [False, True]})).tolist() == [3]
    # Candidate 0 only by party 0's outside option, candidate 1 only by party 1's approval at home.
    assert mech.binding_constraint(*constraints({"margin_ok": [False, True]}, {"home": [False, True]})).tolist() == [4]
    # Two red lines, one per candidate: the first party's.
    assert mech.binding_constraint(*constraints({"hard": [True, False]}, {"hard": [False, True]})).tolist() == [0]


# ---------------------------------------------------------------------------- future_cost


@pytest.mark.parametrize("discount", [0.5, 0.9, 0.98, 1.0])
def test_future_cost_at_whole_rounds_is_the_discounted_sum_of_the_costs(discount):
    cost, resolve = 0.03, 1.5
    for rounds in (0, 1, 2, 7, 26):
        by_hand = sum(discount ** k * cost / resolve for k in range(1, rounds + 1))
        assert mech.future_cost(np.array(cost), np.array(discount), rounds, np.array(resolve)) == pytest.approx(by_hand)


@pytest.mark.parametrize("discount", [0.5, 0.9, 0.98, 1.0])
def test_future_cost_grows_with_fractional_rounds_between_the_whole_ones(discount):
    rounds = np.linspace(0.0, 30.0, 601)
    costs = mech.future_cost(np.array(0.02), np.array(discount), rounds, np.array(1.0))
    assert (np.diff(costs) > 0).all()
    whole = mech.future_cost(np.array(0.02), np.array(discount), np.arange(31), np.array(1.0))
    np.testing.assert_allclose(costs[::20], whole)


# ---------------------------------------------------------------------------- known answers on tiny scenarios


def run(overlay: dict[str, Any], n: int = 20) -> dict[str, np.ndarray]:
    """Records of ``n`` runs (seeds 0..n-1) of the tiny scenario with an overlay."""
    model = NegotiationModel(tiny(**copy.deepcopy(overlay)), seeds=list(range(n)), log_events=False)
    model.run()
    return model.records()


def test_a_deal_every_party_prefers_to_fighting_is_signed_at_round_0_at_the_mediators_point():
    """a (ideal 0.4) and b (0.6) fight on for the status quo 0 less 26 rounds of war costs: worth 0.6 - 0.2
    and 0.4 - 0.2, below the 0.9 that 0.5 gives either. Every type accepts 0.5; the mediator at 0.5 tilts to it."""
    records = run({})
    assert (records["outcome"] == "deal").all()
    assert (records["deal_round"] == 0).all()
    np.testing.assert_allclose(records["terms_split"], 0.5, atol=REFINE_STEPS[-1])


HARD_LINES = {"actors": {"a": {"red_lines": [{"issue": "split", "op": ">=", "bound": 0.7, "hard": True}]},
                         "b": {"red_lines": [{"issue": "split", "op": "<=", "bound": 0.3, "hard": True}]}}}


def test_contradictory_hard_red_lines_never_give_a_deal_and_the_first_partys_line_is_named():
    """Lifting either line opens the zone; binding_constraint names the first party in the table's order."""
    records = run(HARD_LINES, n=30)
    assert (records["outcome"] == "no_deal").all()
    assert np.isnan(records["deal_round"]).all()
    assert (records["breakdown_cause"] == "red_line_a").all()


def test_a_party_that_takes_no_terms_over_fighting_on_is_named_by_its_outside_option():
    """b demands a surplus of 1 over fighting on (hold-out 1): no terms are worth that, so only lifting b's
    outside option opens the zone (a would take much of the range), and the cause names b, not the first party."""
    records = run({"actors": {"b": {"party": {"hold_out": 1.0}}}})
    assert (records["outcome"] == "no_deal").all()
    assert (records["breakdown_cause"] == "outside_option_b").all()


# ---------------------------------------------------------------------------- comparative statics

ROUNDS = 16
SEEDS = 200


def stalemate(war_cost: float = 0.006, resolve: Any = None, **overlay: Any) -> dict[str, Any]:
    """a wants 0 and b wants 1; without a deal the split stays at 0.5, worth 0.5 to both, so a deal needs
    war costs worth more than each party's hold-out of 0.1. Their stocks last 40 rounds and each round's
    cost rises with the share used (strain 3), so the zone of agreement opens over time; how resolute
    each party is (``resolve``, uniform on [1, 3] unless given) is drawn per run and unknown to the mediator."""
    party = {"resolve": resolve or {"uniform": [1, 3]}, "war_cost": war_cost, "hold_out": 0.1,
             "endurance_rounds": 40, "strain": 3.0}
    base = {"horizon": {"rounds": ROUNDS}, "issues": {"split": {"status_quo": 0.5}},
            "actors": {"a": {"position": {"split": 0.0}, "party": dict(party)},
                       "b": {"position": {"split": 1.0}, "party": dict(party)}}}
    return deep_merge(base, overlay)


def delays(overlay: dict[str, Any]) -> np.ndarray:
    """Round of the deal in each of the paired runs, the horizon where there was none."""
    records = run(overlay, n=SEEDS)
    return np.where(records["outcome"] == "deal", records["deal_round"], ROUNDS)


def test_identical_ideal_points_give_a_deal_at_round_0_in_every_run():
    """Both parties want 0.8 (the status quo stays 0.5): a term z is worth 0.9 - |z - 0.8| after the hold-out,
    fighting on 0.7 - C / resolve (C: 26 rounds of discounted war costs). Every type accepts the shared
    ideal, so the first proposal is signed; the mediator (ideal 0.5) leans as far toward its own ideal as
    the most resolute type it thinks possible allows: the top point of its grid, the prior's quantile at
    23.5 / 24 (resolve 2.958, not 3), at z = 0.6 - C / 2.958, within the last search step."""
    same = {"position": {"split": 0.8}}
    records = run(deep_merge(stalemate(), {"actors": {"a": same, "b": same}}), n=SEEDS)
    assert (records["outcome"] == "deal").all()
    assert (records["deal_round"] == 0).all()
    cost = mech.future_cost(np.array(0.006), np.array(0.98), 26, np.array(1 + 2 * 23.5 / 24))
    assert (records["terms_split"] >= 0.6 - cost - 1e-9).all()
    assert (records["terms_split"] <= 0.6 - cost + REFINE_STEPS[-1]).all()


def test_contradictory_hard_red_lines_give_no_deal_whatever_the_parties_resolve():
    """Public constraints bind whatever the private types: the tiny scenario with resolve uniform on [0.5, 3.5]
    (the mediator does not know it) and the two red lines never ends in a deal, and the red line is named."""
    uncertain = {"actors": {p: {"party": {"resolve": {"uniform": [0.5, 3.5]}}} for p in ("a", "b")}}
    records = run(deep_merge(uncertain, HARD_LINES), n=SEEDS)
    assert (records["outcome"] == "no_deal").all()
    assert (records["breakdown_cause"] == "red_line_a").all()


def test_the_stalemate_delays_deals_so_the_properties_below_can_fail():
    """Not 0 against 0: at the middle war cost deals come late, spread over many rounds, and some never."""
    d = delays(stalemate())
    assert 3 <= np.median(d) < ROUNDS
    assert len(np.unique(d)) >= 5
    assert (d == ROUNDS).any() and (d == ROUNDS).mean() < 0.5


def test_higher_war_costs_never_delay_the_median_deal():
    """The hurting stalemate: a party that loses more per round values fighting on less, for every type,
    so the zone opens sooner and the mediator's proposals are accepted by more of the types it fears."""
    medians = [np.median(delays(stalemate(war_cost))) for war_cost in (0.004, 0.005, 0.006, 0.008, 0.01)]
    assert all(later >= sooner for later, sooner in itertools.pairwise(medians))
    assert medians[0] > medians[-1]


def test_a_mediator_who_knows_the_resolve_never_takes_longer_to_a_deal():
    """Screening: without knowing the types the mediator proposes terms some types reject and learns from
    the rejection; knowing them (mediators_know_resolve) it proposes inside the true zone at once."""
    for war_cost in (0.005, 0.008, 0.01):
        unknown = delays(stalemate(war_cost))
        known = delays(stalemate(war_cost, institutions={"talks": {"mediators_know_resolve": True}}))
        assert np.median(known) <= np.median(unknown)
        assert known.mean() <= unknown.mean()


@pytest.mark.xfail(strict=True, reason=(
    "as stated the property mixes information with types: the prior is also the distribution the true resolve "
    "is drawn from (a common prior), so a wider one draws weaker types, whose zones open sooner; the "
    "information effect alone is checked by the mediators_know_resolve test and, with the same true types, by "
    "test_a_wider_prior_of_the_mediators_with_the_same_true_types_never_shortens_the_median_deal. Measured: "
    "the stalemate, 200 paired seeds, 16 rounds: median delay with resolve uniform on [1, 2] vs [0.5, 2.5] is "
    "7 vs 6 at war cost 0.005, 4 vs 3 at 0.006 (1 vs 1 at 0.008); means 7.38 vs 6.97, 4.10 vs 4.36. Also "
    "[1.5, 2.5] / [1, 3] / [0.5, 3.5] at 0.006: 9 / 8 / 6; and without stocks or strain (status quo 0.5, "
    "ideals 0 and 1, hold-out 0.1, war cost 0.009, 12 rounds): 12 / 12 / 2. The prior is also the distribution "
    "of the true resolve, and costs are divided by it: the wider spread adds very weak types (E[1/resolve] "
    "0.69 -> 0.80), whose zone opens sooner, which outweighs the mediator's greater uncertainty"))
def test_a_wider_resolve_prior_with_the_same_mean_never_shortens_the_median_deal():
    """Screening: the wider the mediator's prior, the more of its proposals are rejected by a type it
    discounted. The true resolve is drawn from the same distribution, so the paired runs also differ in
    their types (the same quantile of each)."""
    for war_cost in (0.005, 0.006, 0.008):
        narrow = delays(stalemate(war_cost, resolve={"uniform": [1, 2]}))
        wide = delays(stalemate(war_cost, resolve={"uniform": [0.5, 2.5]}))
        assert np.median(wide) >= np.median(narrow)


def test_a_wider_prior_of_the_mediators_with_the_same_true_types_never_shortens_the_median_deal():
    """Screening alone: the true resolve is drawn from the same distribution in both (the same runs, the
    same types); only the mediators' prior is wider (``resolve_prior_width``, stretched about its
    median). More of its mass on types far from the truth means more proposals that miss."""
    for war_cost in (0.005, 0.006, 0.008):
        medians, means = [], []
        for width in (1.0, 1.5, 2.0, 3.0):
            wider = {"actors": {k: {"party": {"resolve_prior_width": width}} for k in ("a", "b")}}
            d = delays(deep_merge(stalemate(war_cost, resolve={"uniform": [1, 2]}), wider))
            medians.append(np.median(d))
            means.append(d.mean())
        assert medians == sorted(medians), (war_cost, medians)
        assert means[-1] > means[0], (war_cost, means)


def test_the_mediators_prior_widened_about_its_median_keeps_the_ranks_of_the_common_grid():
    grid = np.linspace(1.0, 2.0, 5)
    width = np.array([1.0, 2.0])
    x = np.array([[1.25, 1.9], [1.25, 1.9]])
    inside = mech.widened(x, 1.5, width)
    np.testing.assert_array_equal(inside[0], x[0])  # a width of 1 changes nothing, to the last bit
    np.testing.assert_allclose(inside[1], [1.375, 1.7])
    np.testing.assert_allclose(mech.unwidened(inside, 1.5, width), x)
    # A type at the widened prior's lower end has the common prior's lowest rank: no mass below it.
    share = mech.interval_share(grid, mech.widened(np.array([0.5]), 1.5, width[1:]),
                                mech.widened(np.array([2.5]), 1.5, width[1:]),
                                mech.widened(np.array([[0.5, 1.5, 2.5]]), 1.5, width[1:]))
    np.testing.assert_allclose(share, [[0.0, 0.5, 1.0]])


def test_a_zone_of_agreement_that_lasts_several_rounds_is_not_missed_for_want_of_knowing_the_types():
    """Learning: answers are deterministic given the type, so each one narrows the mediator's belief, and a
    zone open for 3 rounds or more leaves it time to find terms inside it. A run that ends without a deal
    although the true zone was open (cause 'horizon') shows a belief that stopped narrowing."""
    records = run(stalemate(0.005), n=SEEDS)
    missed = (records["breakdown_cause"] == "horizon") & (records["zopa_rounds"] >= 3)
    assert not missed.any()


def standoff(war_cost: float) -> dict[str, Any]:
    """The stalemate without stocks or strain: outside options stay what they were at round 0, so a
    party's answer to given terms never changes, and a zone of agreement open at round 0 stays open."""
    party = {"resolve": {"uniform": [1, 3]}, "war_cost": war_cost, "hold_out": 0.1}
    return {"horizon": {"rounds": 12}, "issues": {"split": {"status_quo": 0.5}},
            "actors": {"a": {"position": {"split": 0.0}, "party": dict(party)},
                       "b": {"position": {"split": 1.0}, "party": dict(party)}}}


def test_a_mediator_does_not_repeat_rejected_terms_while_a_zone_is_open_and_nothing_changes():
    """Learning with deterministic answers: in the standoff nothing changes between rounds, so terms that
    were rejected will be rejected again; a mediator that learns from the rejection proposes something else,
    and a zone open from round 0 to the horizon is found."""
    for war_cost in (0.009, 0.01, 0.012, 0.014):
        records = run(standoff(war_cost), n=2 * SEEDS)
        never_found = (records["outcome"] == "no_deal") & (records["zopa_rounds"] == 12)
        assert not never_found.any()


def test_an_extra_veto_player_never_shortens_the_median_deal():
    """A veto player outside the table (ideal 0.5, the parties' stock and resolve prior) must accept too:
    one more constraint on the zone and one more type the mediator does not know."""
    veto = {"actors": {"v": {"name": "V", "roles": ["veto_player"], "position": {"split": 0.5},
                             "salience": {"split": 1.0}, "party": stalemate()["actors"]["a"]["party"]}},
            "institutions": {"talks": {"veto_players": ["v"]}}}
    for war_cost in (0.005, 0.006, 0.008):
        without = delays(stalemate(war_cost))
        with_veto = delays(deep_merge(stalemate(war_cost), veto))
        assert np.median(with_veto) >= np.median(without)

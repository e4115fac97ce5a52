"""The decision math, alone: utility, red lines, acceptance, cascade, deterrence, hazard, vote."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim import mechanisms as mech


def test_utility_is_one_at_the_ideal_and_falls_with_distance():
    ideal = np.array([0.2, 0.8])
    salience = np.array([0.5, 0.5])
    at_ideal = mech.utility(ideal, ideal, salience, np.array(1.0))
    away = mech.utility(np.array([0.7, 0.8]), ideal, salience, np.array(1.0))
    assert at_ideal == pytest.approx(1.0)
    assert away == pytest.approx(1.0 - 0.5 * 0.5)


def test_risk_aversion_makes_small_concessions_cheap():
    ideal, salience = np.array([0.0]), np.array([1.0])
    neutral = mech.utility(np.array([0.2]), ideal, salience, np.array(1.0))
    averse = mech.utility(np.array([0.2]), ideal, salience, np.array(2.0))
    assert averse > neutral


def test_effective_territory_counts_ground_taken_by_fighting():
    assert mech.effective_territory(np.array(0.0), np.array(0.3)) == pytest.approx(0.3)
    assert mech.effective_territory(np.array(1.0), np.array(0.3)) == pytest.approx(1.0)
    assert mech.effective_territory(np.array(0.5), np.array(0.2)) == pytest.approx(0.6)


def test_soft_red_line_costs_its_penalty_times_the_violation_and_hard_one_breaks():
    terms = np.array([[0.5, 0.9]])
    inf = np.inf
    penalty, broken = mech.red_line_penalty(
        terms, at_least=np.array([0.7, -inf]), at_most=np.array([inf, 0.5]),
        penalty_low=np.array([2.0, 0.0]), penalty_high=np.array([0.0, 1.0]),
        hard_low=np.array([False, False]), hard_high=np.array([False, True]))
    assert penalty[0] == pytest.approx(2.0 * 0.2)  # the hard line adds no penalty, it breaks
    assert broken[0]


def test_future_cost_sums_discounted_rounds():
    cost = mech.future_cost(np.array(0.01), np.array(0.5), 3, np.array(2.0))
    assert cost == pytest.approx((0.5 + 0.25 + 0.125) * 0.01 / 2.0)
    assert mech.future_cost(np.array(0.01), np.array(1.0), 4, np.array(1.0)) == pytest.approx(0.04)


def test_compromise_point_weights_positions_by_capability_and_salience():
    positions = np.array([[0.0], [1.0]])
    point = mech.compromise_point(positions, np.array([3.0, 1.0]), np.array([[1.0], [1.0]]))
    assert point[0] == pytest.approx(0.25)


LEADS = np.array([True, True, False, False, False])


def _cascade(troops, eligible, threshold, needed=100.0, minimum=0.0, leads_can_go=True):
    return mech.cascade(np.asarray(troops, float), np.asarray(eligible, bool), np.asarray(threshold, float),
                        LEADS[: len(troops)], np.asarray(needed), np.asarray(minimum), np.asarray(leads_can_go))


def test_cascade_reaches_the_threshold_fixed_point():
    # Leads bring 40 of 100; the third joins at 0.4, then the fourth at 0.5; the fifth needs 0.9.
    pledged = _cascade([20, 20, 10, 10, 10], [True] * 5, [0, 0, 0.4, 0.5, 0.9])
    assert pledged.tolist() == [True, True, True, True, False]


def test_ineligible_members_neither_join_nor_count():
    pledged = _cascade([20, 20, 10, 10, 10], [True, True, False, True, True], [0, 0, 0.4, 0.5, 0.45])
    assert pledged.tolist() == [True, True, False, False, False]


def test_leads_withdraw_below_the_minimum_force_and_then_no_one_starts():
    pledged = _cascade([20, 20, 10, 10, 10], [True] * 5, [0, 0, 0.4, 0.5, 0.9], minimum=80)
    assert not pledged.any()


def test_leads_withdraw_without_backstop():
    pledged = _cascade([20, 20, 10, 10, 10], [True] * 5, [0, 0, 0.4, 0.5, 0.9], leads_can_go=False)
    assert not pledged.any()


members = st.lists(st.tuples(st.integers(0, 5000), st.booleans(), st.floats(0, 1.2)), min_size=2, max_size=9)


@settings(max_examples=150, deadline=None)
@given(members, st.randoms(use_true_random=False))
def test_cascade_fixed_point_does_not_depend_on_member_order(spec, rnd):
    troops, eligible, threshold = (np.array(x) for x in zip(*spec, strict=True))
    leads = np.zeros(len(spec), bool)
    leads[0] = True
    order = list(range(len(spec)))
    rnd.shuffle(order)
    base = mech.cascade(troops.astype(float), eligible, threshold, leads, np.array(6000.0), np.array(0.0), np.array(True))
    perm = mech.cascade(troops[order].astype(float), eligible[order], threshold[order], leads[order],
                        np.array(6000.0), np.array(0.0), np.array(True))
    assert perm.tolist() == base[order].tolist()


@settings(max_examples=150, deadline=None)
@given(members, st.floats(0, 0.5))
def test_higher_thresholds_never_grow_the_force(spec, rise):
    troops, eligible, threshold = (np.array(x) for x in zip(*spec, strict=True))
    leads = np.zeros(len(spec), bool)
    leads[0] = True

    def force(th):
        pledged = mech.cascade(troops.astype(float), eligible, th, leads, np.array(6000.0), np.array(0.0), np.array(True))
        return troops[pledged].sum()

    assert force(threshold + rise) <= force(threshold)


def test_deterrence_is_zero_without_troops_and_grows_with_troops_and_backstop():
    mid, scale = np.array(15000.0), np.array(4000.0)
    none = mech.deterrence(np.array(0.0), np.array(1.0), np.array(1.0), mid, scale)
    small = mech.deterrence(np.array(5000.0), np.array(1.0), np.array(1.0), mid, scale)
    large = mech.deterrence(np.array(25000.0), np.array(1.0), np.array(1.0), mid, scale)
    weak_backstop = mech.deterrence(np.array(25000.0), np.array(0.0), np.array(1.0), mid, scale)
    assert none == pytest.approx(0.0)
    assert 0 < small < 0.2 < large <= 1.0  # token forces deter little
    assert weak_backstop == pytest.approx(large / 2)


def test_relapse_hazard_falls_with_guarantees_and_deterrence_and_rises_when_unconsented():
    kw = dict(guarantees_effect=0.4, deterrence_effect=0.6, withdrawal_effect=0.3, unconsented_effect=1.0,
              leverage_effect=0.1)
    bare = mech.relapse_hazard(0.2, 0.0, 0.0, 0.0, 0.0, 0.0, **kw)
    strong = mech.relapse_hazard(0.2, 1.0, 1.0, 0.0, 0.0, 0.0, **kw)
    unconsented = mech.relapse_hazard(0.2, 1.0, 1.0, 0.0, 1.0, 0.0, **kw)
    assert bare == pytest.approx(0.2)
    assert strong == pytest.approx(0.2 * 0.6 * 0.4)
    assert unconsented == pytest.approx(2 * strong)


def test_unanimity_fails_with_a_single_veto():
    vetoes = np.array([[False, False, False], [False, True, False]])
    assert mech.unanimity(vetoes).tolist() == [True, False]


def test_front_advance_slows_past_the_fortified_line_and_with_a_stronger_defender():
    args = dict(drift=np.array(0.03), decisiveness=np.array(1.0), baseline_share=np.array(1.6 / 2.6),
                fortified_at=np.array(0.4), fortification=np.array(0.5))
    base = mech.front_advance(attacker=np.array(1.6), defender=np.array(1.0), taken=np.array(0.1), **args)
    fortified = mech.front_advance(attacker=np.array(1.6), defender=np.array(1.0), taken=np.array(0.5), **args)
    stronger = mech.front_advance(attacker=np.array(1.6), defender=np.array(2.0), taken=np.array(0.1), **args)
    assert base == pytest.approx(0.03)
    assert fortified == pytest.approx(0.015)
    assert stronger < base

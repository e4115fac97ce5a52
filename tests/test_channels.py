"""The article's channels as mechanisms: how the public judges guarantees, how the coalition's gates bend.

Each channel has a switch in the scenario; these tests say what switching it does on small cases and
on the baseline's runs (common random numbers, so both sides of a switch see the same luck).
"""

from __future__ import annotations

from itertools import pairwise

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.special import expit

from sim import load_scenario
from sim import mechanisms as mech
from sim.experiment import run_many

PUBLIC = "actors.ukraine.party.ratification[0].judges_guarantees"


def test_a_members_chance_of_deploying_is_one_half_at_its_minimum_backstop():
    assert mech.backed_share(0.4, 0.4, 0.05) == pytest.approx(0.5)
    assert mech.backed_share(0.6, 0.4, 0.05) == pytest.approx(expit(4.0))


def test_softness_zero_is_the_hard_gate():
    backstop = np.array([0.29, 0.3, 0.31])
    assert mech.backed_share(backstop, 0.3, 0.0).tolist() == [0.0, 1.0, 1.0]


@given(st.floats(0, 1), st.floats(0, 1), st.floats(0, 1), st.floats(0.001, 1))
def test_more_backing_never_lowers_the_chance_of_deploying(a, b, minimum, softness):
    low, high = sorted((a, b))
    assert mech.backed_share(low, minimum, softness) <= mech.backed_share(high, minimum, softness) + 1e-12


def test_no_single_backstop_switches_the_coalition_on():
    """The first model's cliff: four members shared one minimum, so a backstop of 0.38 gave no force
    and 0.40 a force. Now each member's willingness bends around its minimum."""
    baseline = load_scenario("scenarios/baseline.yaml")
    shares = []
    for backstop in (0.25, 0.30, 0.35, 0.40, 0.45):
        t = run_many(baseline.with_overrides({"actors.united_states.backer.backstop": backstop}), runs=150, seed=5)
        shares.append(t.force_deployed[t.outcome == "deal"].mean())
    assert all(abs(b - a) < 0.25 for a, b in pairwise(shares)), shares
    assert shares[-1] > shares[0]


def _public_approval(scenario, deals):
    """The Ukrainian public's approval of each deal, its guarantees counted by the force that deployed
    (the body's own intercept and weights, read from the scenario)."""
    body = scenario.spec.actors["ukraine"].party.ratification[0]
    w = body.weights
    return expit(body.intercept + w["guarantees"] * deals.guarantees_effective
                 + w["deployment"] * deals.terms_deployment + w["withdrawal"] * deals.withdrawal), body.threshold


def test_the_public_that_judges_the_force_lets_through_only_deals_it_would_approve_with_the_force_counted():
    baseline = load_scenario("scenarios/baseline.yaml")
    judged, paper = (run_many(baseline.with_overrides({PUBLIC: flag}), runs=200, seed=3) for flag in (True, False))
    below = []
    for t in (judged, paper):
        deals = t[t.outcome == "deal"]
        approval, threshold = _public_approval(baseline, deals)
        below.append(float(np.mean(approval < threshold)))
    # The talks foresee the expected force; the record holds the force that deployed (mandates drawn),
    # so a few judged deals fall short afterwards. Judged by their face value, most would.
    assert below[0] < 0.15 < 0.5 < below[1], below

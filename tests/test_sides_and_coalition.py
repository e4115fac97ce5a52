"""Known answers for sides of a front as coalitions of actors and for a coalition built from any actors
(issue 12, items 4 and 5): each contributor's strength counts, sanctions and aid reach the actor they
name, consent can come from several parties, and the backstop from an actor that does not mediate."""

from __future__ import annotations

import numpy as np
import pytest
from tiny import tiny

from sim import ScenarioError
from sim.model import NegotiationModel, outside_options
from sim.scenario import deep_merge

SEEDS = list(range(40))

#: A front on the tiny scenario's issue: a pushes, b holds; nobody ever agrees (war is free, and the
#: status quo is what each side expects), so the front runs the whole horizon.
FRONT = {
    "horizon": {"rounds": 12},
    "front": {"issue": "split", "attacker": {"a": 1.0}, "defender": {"b": 1.0}, "drift": 0.02, "noise": 0.0},
    "actors": {"a": {"party": {"war_cost": 0.0}, "red_lines": [{"issue": "split", "op": "<=", "bound": 0.1}]},
               "b": {"party": {"war_cost": 0.0}, "red_lines": [{"issue": "split", "op": ">=", "bound": 0.9}]}},
}
ALLY = {"name": "Ally", "roles": ["belligerent"]}


def scenario(*overlays: dict):
    """The tiny scenario with the overlays merged in, in order."""
    merged: dict = {}
    for overlay in overlays:
        merged = deep_merge(merged, overlay)
    return tiny(**merged)


def front_after(scenario) -> np.ndarray:
    model = NegotiationModel(scenario, seeds=SEEDS)
    model.run()
    assert (model.records()["outcome"] != "deal").all()
    return model.front.taken


def test_each_contributor_of_a_side_counts_by_its_strength():
    # The drift is the pace at round-0 strengths; a change in one contributor's strength moves the
    # front in proportion to what it contributes to its side.
    def tripled_ally(base: float) -> np.ndarray:
        return front_after(scenario(FRONT, {"actors": {"ally": ALLY}, "front": {"attacker": {"ally": base}},
                                            "shocks": {"arms": {"at_round": 0, "effects": {
                                                "strength": [{"actor": "ally", "factor": 3.0}]}}}}))
    untouched = front_after(scenario(FRONT, {"actors": {"ally": ALLY}, "front": {"attacker": {"ally": 1.0}}}))
    small, large = tripled_ally(0.05), tripled_ally(1.0)
    assert np.allclose(untouched, 12 * 0.02)
    assert (untouched + 0.001 < small).all() and (small + 0.01 < large).all()


def test_a_belligerent_on_no_side_is_an_error():
    with pytest.raises(ScenarioError, match="has the role belligerent but is on no side of the front"):
        scenario(FRONT, {"actors": {"ally": ALLY}})


def test_an_actor_with_no_fighting_role_cannot_be_on_a_side():
    with pytest.raises(ScenarioError, match="fights on the front but has none of the roles"):
        scenario(FRONT, {"front": {"attacker": {"m": 1.0}}})


def test_sanctions_reach_only_the_actor_they_name():
    allied = {"actors": {"ally": ALLY}, "front": {"attacker": {"ally": 1.0}, "sanctions_erosion": 1.0}}
    plain = front_after(scenario(FRONT, allied, {"sanctions": {"ally": {"start": 0.0, "decay": 0.0, "lag_rounds": 1}}}))
    on_ally = front_after(scenario(FRONT, allied, {"sanctions": {"ally": {"start": 0.9, "decay": 0.0, "lag_rounds": 1}}}))
    assert (on_ally < plain - 0.01).all()
    # The same index on the defender instead slows the defence, so the attackers gain ground.
    on_b = front_after(scenario(FRONT, allied, {"sanctions": {"b": {"start": 0.9, "decay": 0.0, "lag_rounds": 1}}}))
    assert (on_b > plain + 0.01).all()


def test_an_influencer_can_aid_the_attacking_side():
    helper = {"name": "Helper", "roles": ["influencer"],
              "influencer": {"supports": "a", "aid_per_round": 0.2, "max_aid": 2.0}}
    plain = front_after(scenario(FRONT))
    aided = front_after(scenario(FRONT, {"actors": {"helper": helper}}))
    assert (aided > plain + 0.01).all()


def test_an_influencer_aiding_an_actor_off_the_front_is_an_error():
    helper = {"name": "Helper", "roles": ["influencer"], "influencer": {"supports": "a"}}
    with pytest.raises(ScenarioError, match="is on no side of the front, so its aid changes nothing"):
        tiny(actors={"helper": helper})


# ---------------------------------------------------------------------------------------- coalition

def coalition(consent_from: list[str], backer: str = "patron", penalty: float = 5.0) -> dict:
    """The tiny talks with a coalition whose force the deal's term on `presence` admits."""
    return dict(
        issues={"presence": {"low": "no force", "high": "any force"}},
        actors={
            # only a party asked for consent can mind a force beyond it
            "a": {"position": {"presence": 0.0}, "salience": {"split": 0.5, "presence": 0.5},
                  **({"party": {"unconsented_force_penalty": penalty}} if "a" in consent_from and penalty else {})},
            "b": {"position": {"presence": 1.0}, "salience": {"split": 0.5, "presence": 0.5},
                  **({"party": {"unconsented_force_penalty": penalty}} if "b" in consent_from and penalty else {})},
            "m": {"position": {"presence": 0.5}, "salience": {"split": 0.5, "presence": 0.5}},
            "patron": {"roles": ["backer"], "backer": {"backstop": 1.0}, "name": "Patron"},
            "lead": {"name": "Lead", "roles": ["guarantor"],
                     "guarantor": {"troops": 100, "force_type": "monitors", "threshold": 0.0, "min_backstop": 0.5,
                                   "mandate_probability": 1.0, "risk_tolerance": 1.0}},
        },
        institutions={"coalition": {
            "lead_nations": ["lead"], "consent_from": consent_from, "backstop_from": backer,
            "deployment_issue": "presence", "guarantees_issue": "split", "F_min": 10, "F_needed": 100,
            "deterrence_midpoint": 50, "deterrence_scale": 10, "target_risk": 0.0,
            "backstop_softness": 0.0,  # a hard gate: the known answers below count whole troops
            "force_types": {"monitors": {"level": 0.8, "deterrence": 0.5}}}})


def deals(scenario) -> dict:
    model = NegotiationModel(scenario, seeds=SEEDS)
    model.run()
    return model.records()


def deal_values(scenario, terms: list[list[float]]) -> np.ndarray:
    """Each party's value of the given terms (the same in every run), as the talks assess them at round 0."""
    model = NegotiationModel(scenario, seeds=SEEDS[:3])
    outside_options.compute(model.talks)
    candidates = np.broadcast_to(np.array(terms, float), (3, len(terms), 2)).copy()
    values = model.talks.assessor.assess(np.empty((0, 2)), candidates, model.talks.leverage).deal_values[:, 0]
    model.run()  # a finished model lets go of Mesa's class-level id counter
    return values


def test_consent_from_two_parties_makes_both_weigh_a_force_beyond_their_consent():
    # The lead deploys monitors (level 0.8) whatever the term, since it tolerates the risk; a term
    # below 0.8 puts all 100 of them (F_needed 100: a share of 1) beyond consent, which costs every
    # party asked for consent its penalty of 5. Above 0.8 the force is consented and costs nothing.
    low, high = [0.5, 0.5], [0.5, 0.9]
    only_a = deal_values(scenario(coalition(["a"])), [low, high])
    both = deal_values(scenario(coalition(["a", "b"])), [low, high])
    assert np.allclose(both[0], only_a[0])                  # a was asked in both
    assert np.allclose(both[1, 0], only_a[1, 0] - 5.0)   # b pays only once it is asked too
    assert np.allclose(both[1, 1], only_a[1, 1])         # a consented force costs b nothing


def test_the_backstop_comes_from_a_backer_that_does_not_mediate():
    # Nobody minds the force here (no penalties), so deals come, and the lead deploys only if the
    # patron's backstop reaches its minimum of 0.5.
    strong = deals(scenario(coalition(["a"], penalty=0)))
    weak = deals(scenario(coalition(["a"], penalty=0), {"actors": {"patron": {"backer": {"backstop": 0.2}}}}))
    assert (strong["outcome"] == "deal").any() and (weak["outcome"] == "deal").any()
    assert strong["force_deployed"].any()
    assert not weak["force_deployed"].any()   # below the lead's minimum backstop of 0.5


def test_a_backer_that_backs_nothing_is_an_error():
    with pytest.raises(ScenarioError, match="has the role backer but is not the coalition's backstop_from"):
        tiny(actors={"patron": {"name": "Patron", "roles": ["backer"]}})

"""Institutions of the talks as data (issue 12, items 1 and 3): known answers on tiny scenarios.

Joint mediation, veto players outside the table, and ratification routes (bodies that vote after
signing, a referendum held once, a fallback body for the revised deal). Every scenario here is the
two-party scenario of format 2 with an overlay, deterministic where the answer must be exact
(acceptance noise 0, a mediator that knows the outside options, approval intercepts of +-10).
"""

from __future__ import annotations

import copy
import textwrap
from typing import Any

import numpy as np
import pytest
from tiny import tiny_data

from sim import Scenario, ScenarioError, load_scenario
from sim.experiment import explain_run
from sim.model import NegotiationModel
from sim.record import COLUMNS, records_frame
from sim.scenario import deep_merge
from sim.streams import run_seed

KNOWING: dict = {}


def data(**overlay: Any) -> dict[str, Any]:
    """The tiny scenario of tests/tiny.py with a mediator that knows the parties' outside options."""
    return deep_merge(tiny_data(actors={"m": {"mediator": dict(KNOWING)}}), copy.deepcopy(overlay))


def table(scenario: Scenario, n: int = 20, seed: int = 5):
    seeds = [run_seed(seed, i) for i in range(n)]
    model = NegotiationModel(scenario, seeds=seeds)
    model.run()
    return records_frame(scenario.name, range(n), seeds, model.records())


# ---------------------------------------------------------------------------- joint mediation

def mediators(*ids: str) -> Scenario:
    """Two mediators with their own positions and plans, pulling hard; the talks use ``ids``."""
    d = data(plans={"low": {"split": 0.3}, "high": {"split": 0.7}},
             institutions={"talks": {"mediators": list(ids)}})
    d["actors"].pop("m")
    for mid, pos, plan in (("m1", 0.3, "low"), ("m2", 0.7, "high")):
        if mid in ids:
            d["actors"][mid] = {"name": mid.upper(), "roles": ["mediator"], "position": {"split": pos}, "salience": {"split": 1.0},
                                "mediator": {"plan": plan, "bias": 2.0, "plan_pull": 1.0, **KNOWING}}
    return Scenario.from_dict(d)


def test_two_mediators_jointly_propose_terms_between_what_either_alone_would():
    alone_low = table(mediators("m1")).terms_split
    alone_high = table(mediators("m2")).terms_split
    joint = table(mediators("m1", "m2"))
    assert (joint.outcome == "deal").all()
    assert alone_low.max() < 0.45 and alone_high.min() > 0.55   # each alone leans to its own side
    assert ((joint.terms_split > alone_low.max() + 0.05) & (joint.terms_split < alone_high.min() - 0.05)).all()


def test_the_story_names_both_mediators_as_the_proposer():
    _, events = explain_run(mediators("m1", "m2"), seed=1)
    proposals = [e for e in events if e.event in ("proposes", "proposes again")]
    assert proposals and all(e.actor == "m1+m2" for e in proposals)


# ---------------------------------------------------------------------------- veto players

def with_veto(**overlay: Any) -> Scenario:
    """The parties want the split at 0.5 or more (b insists); veto player v will not have more than 0.3."""
    return Scenario.from_dict(data(**deep_merge({
        "actors": {"b": {"red_lines": [{"issue": "split", "op": ">=", "bound": 0.5}]},
                   "v": {"name": "V", "roles": ["veto_player"], "position": {"split": 0.2}, "salience": {"split": 1.0},
                         "red_lines": [{"issue": "split", "op": "<=", "bound": 0.3}]}},
        "institutions": {"talks": {"veto_players": ["v"]}}}, overlay)))


def test_a_veto_players_hard_red_line_blocks_every_deal_the_parties_would_make():
    blocked = table(with_veto())
    assert (blocked.outcome == "no_deal").all()
    # b's line and v's contradict: lifted alone, either opens a zone. The cause names the one whose
    # lifting opens the wider zone (b's: every split up to 0.3, against v's 0.5 to 0.6 that a and b
    # also accept); without v the parties agree.
    assert (blocked.breakdown_cause == "red_line_b").all()
    d = data(actors={"b": {"red_lines": [{"issue": "split", "op": ">=", "bound": 0.5}]}})
    free = table(Scenario.from_dict(d))
    assert (free.outcome == "deal").all() and (free.terms_split >= 0.5 - 1e-9).all()


def test_the_veto_player_answers_in_the_story_but_never_proposes():
    _, events = explain_run(with_veto(institutions={"talks": {"recognition": {"a": 0.5, "b": 0.5}}}), seed=2)
    answers = [e for e in events if e.actor == "v" and e.event in ("accepts", "rejects")]
    assert answers and all("red line" in e.detail for e in answers if e.event == "rejects")
    proposers = {e.actor for e in events if e.event in ("proposes", "proposes again")}
    assert proposers and "v" not in proposers and proposers <= {"a", "b", "m"}


def test_recognition_for_a_veto_player_is_rejected_by_validation():
    with pytest.raises(ScenarioError, match=r"institutions\.talks\.recognition\.v: 'v' is not a party to the talks"):
        with_veto(institutions={"talks": {"recognition": {"v": 0.5}}})


def consent_from(who: str) -> Scenario:
    """Everyone wants little force (0.2), but a guarantor that deploys anyway needs a term of 0.9 to be
    within consent; veto player v minds troops beyond its consent (penalty 10), party a does not."""
    sal = {"split": 0.5, "force": 0.25, "guard": 0.25}
    pos = {"split": 0.5, "force": 0.2, "guard": 0.5}

    def actor(roles: list[str], **more: Any) -> dict[str, Any]:
        return {"name": roles[0], "roles": roles, "position": dict(pos), "salience": dict(sal), **more}

    return Scenario.from_dict({
        "name": "consent", "horizon": {"rounds": 4},
        "issues": {"split": {"low": "a", "high": "b"}, "force": {"low": "none", "high": "full"},
                   "guard": {"low": "none", "high": "full"}},
        "actors": {"a": actor(["party"]), "b": actor(["party"]),
                   # v's penalty is a setting only where v is asked for consent
                   "v": actor(["veto_player"], party={"unconsented_force_penalty": 10.0} if who == "v" else {}),
                   "m": actor(["mediator", "backer"], mediator=dict(KNOWING), backer={"backstop": 1.0}),
                   "g": {"name": "G", "roles": ["guarantor"], "guarantor": {
                       "troops": 100, "force_type": "army", "requires_consent": False, "risk_tolerance": 1.0,
                       "threshold": 0.0, "mandate_probability": 1.0, "min_backstop": 0.0}}},
        "institutions": {
            "talks": {"mediators": ["m"], "parties": ["a", "b"], "veto_players": ["v"]},
            "coalition": {"lead_nations": ["g"], "consent_from": [who], "backstop_from": "m",
                          "deployment_issue": "force", "guarantees_issue": "guard", "F_min": 10, "F_needed": 100,
                          "deterrence_midpoint": 50, "deterrence_scale": 10,
                          "force_types": {"army": {"level": 0.9, "deterrence": 1.0}}}}})


def test_consent_can_come_from_a_veto_player_outside_the_table():
    by_veto = table(consent_from("v"))
    assert (by_veto.outcome == "deal").all()
    assert (by_veto.terms_force >= 0.9).all() and (by_veto.force_consented == 1).all()
    by_party = table(consent_from("a"))   # a does not mind: the force deploys beyond consent
    assert (by_party.outcome == "deal").all()
    assert (by_party.terms_force < 0.5).all() and (by_party.force_consented == 0).all()


# ---------------------------------------------------------------------------- ratification routes

YES, NO = 10.0, -10.0   # approval intercepts: logistic(+-10) passes or fails every vote in practice


def body(bid: str, rule: str, intercept: float, **more: Any) -> dict[str, Any]:
    return {"body": bid, "rule": rule, "intercept": intercept, **more}


def ratifying(*bodies: dict[str, Any], rounds: int = 6) -> Scenario:
    """b's deals must pass ``bodies``; a deal is proposed and signed every round."""
    return Scenario.from_dict(data(horizon={"rounds": rounds}, actors={"b": {"party": {"ratification": list(bodies)}}}))


def test_two_ratifying_bodies_must_both_pass():
    t = table(ratifying(body("senate", "legislature", YES), body("house", "legislature", NO)))
    assert (t.outcome == "no_deal").all() and (t.breakdown_cause == "ratification").all()
    assert (t.ratification_b_senate_votes == 6).all() and (t.ratification_b_senate_rejections == 0).all()
    assert (t.ratification_b_house_votes == 6).all() and (t.ratification_b_house_rejections == 6).all()


def test_bodies_vote_in_order_and_a_later_one_does_not_vote_once_an_earlier_one_fails():
    t = table(ratifying(body("house", "legislature", NO), body("senate", "legislature", YES)))
    assert (t.ratification_b_house_votes == 6).all() and (t.ratification_b_senate_votes == 0).all()


def test_a_failed_referendum_sends_the_revised_deal_to_its_fallback_legislature():
    scenario = ratifying(body("people", "referendum", NO, fallback="congress"),
                         body("congress", "legislature", YES, fallback_only=True))
    t = table(scenario)
    assert (t.outcome == "deal").all() and (t.deal_round == 1).all()
    assert (t.ratification_b_people_votes == 1).all() and (t.ratification_b_people_rejections == 1).all()
    assert (t.ratification_b_congress_votes == 1).all() and (t.ratification_b_congress_rejections == 0).all()
    _, events = explain_run(scenario, seed=3)
    told = [(e.round, e.event, e.detail) for e in events if e.actor == "b" and e.event.startswith("ratification")]
    assert told == [(0, "ratification fails", "people (referendum) votes the deal down (approval 0.00)"),
                    (0, "ratification route", "the revised deal goes to congress (legislature)"),
                    (1, "ratification passes", "congress (legislature) approves the deal (approval 1.00)")]


def test_a_once_referendum_without_fallback_that_fails_ends_the_talks_in_collapse():
    t = table(ratifying(body("people", "referendum", NO)))
    assert (t.outcome == "collapse").all() and (t.breakdown_cause == "ratification").all()
    assert (t.ratification_b_people_votes == 1).all()


def test_a_referendum_that_may_be_held_again_keeps_the_talks_going():
    t = table(ratifying(body("people", "referendum", NO, once=False)))
    assert (t.outcome == "no_deal").all() and (t.ratification_b_people_votes == 6).all()


def test_a_leader_gate_still_keeps_the_party_from_signing():
    t = table(ratifying(body("public", "leader", NO, threshold=0.5)))
    assert (t.outcome == "no_deal").all() and (t.breakdown_cause == "ratification").all()
    assert not [c for c in t.columns if c.startswith("ratification_")]   # a leader does not vote after signing
    assert (table(ratifying(body("public", "leader", YES))).outcome == "deal").all()


def test_ratification_columns_are_documented_and_absent_without_voting_bodies():
    assert {"ratification_<party>_<body>_votes", "ratification_<party>_<body>_rejections"} <= set(COLUMNS)
    assert not [c for c in table(Scenario.from_dict(data()), n=2).columns if c.startswith("ratification_")]


def test_each_vote_draws_from_its_bodys_own_stream():
    # A coin-flip legislature: the votes follow talks:vote:b:senate, whatever other bodies there are.
    coin = body("senate", "legislature", 0.0)
    alone = table(ratifying(coin), n=200)
    assert 0.3 < (alone.ratification_b_senate_rejections / alone.ratification_b_senate_votes).mean() < 0.7
    first = table(ratifying(body("x", "legislature", YES), coin), n=200)
    np.testing.assert_array_equal(alone.ratification_b_senate_votes, first.ratification_b_senate_votes)


# ---------------------------------------------------------------------------- validation of routes

ROUTE_FILE = """\
name: tiny
issues:
  split: {low: all to a, high: all to b}
actors:
  a: {name: A, roles: [party], position: {split: 0.4}, salience: {split: 1.0}}
  b:
    name: B
    roles: [party]
    position: {split: 0.6}
    salience: {split: 1.0}
    party:
      ratification:
"""


@pytest.mark.parametrize(("bodies", "line", "path", "message"), [
    ("- {body: people, rule: referendum, fallback: congress}",
     13, "actors.b.party.ratification[0].fallback", "fallback 'congress' is not a body of the party"),
    ("- {body: people, rule: referendum, fallback: people}",
     13, "actors.b.party.ratification[0].fallback", "body 'people' names itself as its fallback"),
    ("- {body: public, rule: leader, fallback: people}\n- {body: people, rule: referendum}",
     13, "actors.b.party.ratification[0].fallback", "fallback means nothing for a leader body"),
    ("- {body: people, rule: referendum, fallback: public}\n- {body: public, rule: leader}",
     13, "actors.b.party.ratification[0].fallback", "fallback 'public' is a leader body"),
    ("- {body: people, rule: referendum}\n- {body: congress, rule: legislature, fallback_only: true}",
     14, "actors.b.party.ratification[1].fallback_only", "body 'congress' is only a fallback, but no body names it"),
    ("- {body: p, rule: referendum, fallback: q, fallback_only: true}\n"
     "- {body: q, rule: legislature, fallback: p, fallback_only: true}",
     12, "actors.b.party.ratification", "every body is fallback_only"),
])
def test_route_mistakes_are_reported_with_file_and_line(tmp_path, bodies, line, path, message):
    text = ROUTE_FILE + textwrap.indent(bodies, "        ") + "\n" + (
        "  m: {name: M, roles: [mediator], position: {split: 0.5}, salience: {split: 1.0}}\n"
        "institutions:\n  talks: {mediators: [m], parties: [a, b]}\n")
    (tmp_path / "case.yaml").write_text(text)
    with pytest.raises(ScenarioError) as err:
        load_scenario(tmp_path / "case.yaml")
    assert f"case.yaml:{line}: {path}: {message}" in str(err.value)


def test_a_sound_route_loads():
    ratifying(body("people", "referendum", 0.0, fallback="congress"),
              body("congress", "legislature", 0.0, fallback_only=True))


def test_the_route_rule_hands_over_keeps_or_closes():
    from sim.mechanisms import route_after_vote

    # Bodies: 0 referendum (once) -> fallback 1; 1 legislature, no fallback; 2 referendum, no fallback.
    fallback, once = np.array([1, -1, -1]), np.array([True, False, True])
    current = np.array([0, 0, 1, 1, 2, 2, 0])
    voted = np.array([True, True, True, True, True, False, True])
    passed = np.array([False, True, False, True, False, False, False])
    spent = np.zeros((7, 3), bool)
    spent[6, 1] = True   # a spent body cannot take the route
    after = route_after_vote(current, voted, passed, fallback, once, spent)
    assert after.tolist() == [1, 1, 1, 1, -1, 2, -1]


def test_a_referendum_that_passed_cannot_vote_again_when_another_party_votes_the_deal_down():
    # a's referendum passes (once; a votes first), then b's legislature votes the deal down: a has no
    # route left for a revised deal.
    d = data(actors={"a": {"party": {"ratification": [body("people", "referendum", YES)]}},
                     "b": {"party": {"ratification": [body("house", "legislature", NO)]}}})
    t = table(Scenario.from_dict(d))
    assert (t.outcome == "collapse").all() and (t.breakdown_cause == "ratification").all()
    assert (t.ratification_a_people_votes == 1).all() and (t.ratification_b_house_rejections == 1).all()

"""The consenting side judges the force, not the clause, and the coalition can send a force of another
kind (issue 14, item 1): known answers on the tiny talks with a one-member coalition."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from test_sides_and_coalition import SEEDS, coalition, deal_values, deals, scenario

from sim import ScenarioError
from sim.model import NegotiationModel
from sim.scenario import deep_merge

#: Two kinds: the lead's own force (level 0.8) and monitors it can send instead (level 0.3).
KINDS = {"institutions": {"coalition": {"force_types": {"monitors": {"level": 0.8, "deterrence": 0.5},
                                                       "observers": {"level": 0.3, "deterrence": 0.1}}}}}
#: The lead sends observers when only they are consented to; beyond consent it does not go (its troops
#: would be targets: risk 0.5 against its tolerance 0).
CAUTIOUS = {"actors": {"lead": {"guarantor": {"risk_tolerance": 0.0}}},
            "institutions": {"coalition": {"target_risk": 0.5}}}
SWITCHES = deep_merge(CAUTIOUS, {"actors": {"lead": {"guarantor": {"also_fields": ["observers"]}}}})


#: The channel: the consenting side reads the deployment term as the force that would stand.
FORCE = {"institutions": {"coalition": {"consenting_side_judges": "force"}}}


def outlook(scn, terms: list[float]):
    model = NegotiationModel(scn, seeds=SEEDS[:3])
    seen = model.coalition.outlook(np.broadcast_to(np.array(terms), (3, len(terms))).copy())
    model.run()  # a finished model lets go of Mesa's class-level id counter
    return seen


def test_the_presence_is_the_kind_that_would_deploy_and_nothing_without_a_force():
    base = scenario(coalition(["a"], penalty=0), KINDS, SWITCHES)
    seen = outlook(base, [0.0, 0.3, 0.5, 0.8, 1.0])
    # Below the observers' level nobody deploys (beyond consent its troops would be targets); observers up
    # to 0.8; its own force above.
    assert np.allclose(seen.presence, [[0.0, 0.3, 0.3, 0.8, 0.8]] * 3)
    without_backing = scenario(coalition(["a"], penalty=0), KINDS, SWITCHES,
                               {"actors": {"patron": {"backer": {"backstop": 0.2}}}})
    assert np.allclose(outlook(without_backing, [0.0, 0.5, 1.0]).presence, 0.0)


def test_the_consenting_side_is_indifferent_to_a_clause_no_force_would_use():
    # The backstop is below the lead's minimum: no force deploys whatever the deal permits, so a party
    # that judges the force values a permissive clause like a ban; judging the clause, it minds it.
    unbacked = {"actors": {"patron": {"backer": {"backstop": 0.2}}}}
    ban, permissive = [0.5, 0.0], [0.5, 1.0]
    force = deal_values(scenario(coalition(["a"], penalty=0), unbacked, FORCE), [ban, permissive])
    clause = deal_values(scenario(coalition(["a"], penalty=0), unbacked), [ban, permissive])
    assert np.allclose(force[0, 0], force[0, 1])          # a (consenting) sees no presence either way
    assert clause[0, 0] > clause[0, 1] + 0.1              # its position on presence is 0, salience 0.5
    # b does not judge guarantees and is not asked for consent: it reads the clause either way.
    assert np.allclose(force[1], clause[1])


def test_a_clause_beyond_the_force_buys_the_consenting_side_nothing_more_to_fear():
    # The lead's force (level 0.8) deploys for any term of at least 0.8: terms 0.8 and 1.0 put the same
    # force in place, so the consenting party values them alike when it judges the force.
    terms = [[0.5, 0.8], [0.5, 1.0]]
    force = deal_values(scenario(coalition(["a"], penalty=0), FORCE), terms)
    clause = deal_values(scenario(coalition(["a"], penalty=0)), terms)
    assert np.allclose(force[0, 0], force[0, 1])
    assert clause[0, 0] > clause[0, 1]


def test_a_member_sends_a_force_of_another_kind_when_only_that_kind_is_consented():
    # Consent covers observers (0.3) but not the lead's own force (0.8): the lead sends observers.
    base = scenario(coalition(["a"], penalty=0), KINDS, SWITCHES,
                    {"actors": {"a": {"red_lines": [{"issue": "presence", "op": "<=", "bound": 0.5, "hard": True}]}}})
    records = pd.DataFrame(deals(base))
    agreed = records[records.outcome == "deal"]
    assert len(agreed) and (agreed.terms_presence <= 0.5 + 1e-9).all()
    assert (agreed.force_type == "observers").all() and agreed.force_deployed.all()
    assert (agreed.force_consented == 1).all()
    # Without the other kind the same deals deploy nothing: the lead waits for consent to its own force.
    alone = scenario(coalition(["a"], penalty=0), KINDS, CAUTIOUS,
                     {"actors": {"a": {"red_lines": [{"issue": "presence", "op": "<=", "bound": 0.5, "hard": True}]}}})
    plain = pd.DataFrame(deals(alone))
    assert (plain.outcome == "deal").any() and not plain.force_deployed[plain.outcome == "deal"].any()


def test_a_force_of_another_kind_deters_as_that_kind():
    # Observers deter less than the lead's own force (0.1 against 0.5 of a full deterrence force).
    base = scenario(coalition(["a"], penalty=0), KINDS, SWITCHES)
    seen = outlook(base, [0.3, 0.8])
    assert (seen.deterrent[:, 0] < seen.deterrent[:, 1] / 4).all()


def test_an_undefined_kind_to_send_instead_is_an_error():
    with pytest.raises(ScenarioError, match=r"also_fields\[0\].*force type 'blue_helmets' is not defined"):
        scenario(coalition(["a"]), {"actors": {"lead": {"guarantor": {"also_fields": ["blue_helmets"]}}}})

"""A setting that no mechanism reads is an error, with ``--no-strict`` a warning (issue 12, item 8).

Each case writes one such setting as an overlay, on the baseline or on a tiny scenario with no front,
council or coalition. Loaded strictly (the default) it is exactly one error line; loaded with
``strict=False`` the scenario loads, the same line is its one warning (and an
:class:`sim.errors.UnreadSetting`), and a few runs simulate.
"""

from __future__ import annotations

import shutil
import warnings
from pathlib import Path

import pytest
from conftest import BASELINE, run_sim

from sim import ScenarioError, load_scenario
from sim.errors import UnreadSetting
from sim.experiment import run_many

TINY = """\
name: tiny
horizon: {rounds: 6}
issues:
  split: {low: all to a, high: all to b}
actors:
  a: {name: A, roles: [party], position: {split: 0.4}, salience: {split: 1.0}}
  b: {name: B, roles: [party], position: {split: 0.6}, salience: {split: 1.0}}
  m: {name: M, roles: [mediator], position: {split: 0.5}, salience: {split: 1.0}}
institutions:
  talks: {mediators: [m], parties: [a, b]}
"""

# (id, base, overlay body from line 2, the expected lines)
CASES = [
    ("funding-off-front", "baseline", 'actors:\n  united_states: {funding: {runway_rounds: 3}}\n',
     ["case.yaml:3: actors.united_states.funding: 'united_states' is on no side of the front, so its funding changes nothing (expected an actor under front.attacker or front.defender, or no funding: block)"]),
    ("sanctions-unread", "baseline", 'sanctions:\n  united_states: {start: 0.2}\n',
     ["case.yaml:3: sanctions.united_states: nothing reads the sanctions index on 'united_states': it is on no side of the front and its party.sanctions_cost is 0 (expected a target on the front or with a sanctions_cost)"]),
    ("sanctions-cost-no-index", "baseline", 'actors:\n  ukraine: {party: {sanctions_cost: 0.5}}\n',
     ["case.yaml:3: actors.ukraine.party.sanctions_cost: no sanctions index targets 'ukraine' (expected sanctions.ukraine: an index, or sanctions_cost 0)"]),
    ("backer-not-backstop", "baseline", 'actors:\n  france: {roles: [guarantor, backer]}\n',
     ["case.yaml:3: actors.france.roles: has the role backer but is not the coalition's backstop_from (expected institutions.coalition.backstop_from naming it)"]),
    ("shock-never", "baseline", 'shocks:\n  late: {probability: 0, effects: {leverage: 1}}\n',
     ['case.yaml:3: shocks.late: never fires: probability 0 and no at_round (expected a probability > 0 or an at_round)']),
    ("shock-after-horizon", "baseline", 'shocks:\n  late: {at_round: 40, effects: {leverage: 1}}\n',
     ['case.yaml:3: shocks.late.at_round: round 40 is beyond the horizon (26 rounds) (expected a round below 26)']),
    ("shock-failed-rounds", "baseline", 'shocks:\n  late: {probability: 0.1, after_failed_rounds: 30, effects: {leverage: 1}}\n',
     ['case.yaml:3: shocks.late.after_failed_rounds: 30 failed rounds cannot happen within 26 rounds (expected fewer than 26)']),
    ("member-no-council", "baseline", 'actors:\n  extra: {name: X, roles: [member]}\n',
     ["case.yaml:3: actors.extra.roles: has the role member but sits on no council (expected the actor listed in a council's members)"]),
    ("penalty-not-consenting", "baseline", 'actors:\n  ukraine: {party: {unconsented_force_penalty: 0.5}}\n',
     ["case.yaml:3: actors.ukraine.party.unconsented_force_penalty: 'ukraine' is not in the coalition's consent_from, so no force deploys beyond its consent (expected an actor listed in institutions.coalition.consent_from)"]),
    ("funding-cost-no-funding", "baseline", 'actors:\n  russia: {party: {funding_cost: 0.5}}\n',
     ["case.yaml:3: actors.russia.party.funding_cost: 'russia' has no funding: block whose shortfall could cost it (expected actors.russia.funding, or no funding_cost)"]),
    ("plan-pull-no-plan", "baseline", 'actors:\n  united_states: {mediator: {plan: null, plan_pull: 2}}\n',
     ['case.yaml:3: actors.united_states.mediator.plan_pull: a pull toward its plan, but the mediator has no plan (expected a mediator.plan, or no plan_pull)']),
    ("referendum-threshold", "baseline", 'actors:\n  ukraine: {party: {ratification: [{body: public, rule: referendum, threshold: 0.4}]}}\n',
     ['case.yaml:3: actors.ukraine.party.ratification[0].threshold: a referendum passes by chance: its threshold is read only by the rule leader (expected rule: leader, or no threshold)']),
    ("legislature-threshold", "baseline", 'actors:\n  ukraine: {party: {ratification: [{body: rada, rule: legislature, threshold: 0.4}]}}\n',
     ['case.yaml:3: actors.ukraine.party.ratification[0].threshold: a legislature passes by chance: its threshold is read only by the rule leader (expected rule: leader, or no threshold)']),
    ("risk-tolerance-with-consent", "baseline", 'actors:\n  norway: {guarantor: {risk_tolerance: 0.5}}\n',
     ['case.yaml:3: actors.norway.guarantor.risk_tolerance: a guarantor that requires consent never deploys beyond it, so its risk tolerance is not read (expected requires_consent: false, or no risk_tolerance)']),
    ("member-no-election", "baseline", 'actors:\n  slovakia: {member: {government_change_probability: 0.3}}\n',
     ['case.yaml:3: actors.slovakia.member.government_change_probability: there is no election that could change the government (expected an election_round, or no government_change_probability)']),
    ("member-weights-unanimity", "baseline", 'actors:\n  slovakia: {member: {weights: {votes: 3}}}\n',
     ["case.yaml:3: actors.slovakia.member.weights.votes: no quota of a council 'slovakia' sits on reads the weight 'votes' (expected a quota with weight votes in a qualified council it sits on, or no such weight)"]),
    ("floor-no-recognition", "baseline", 'institutions:\n  talks: {proposal_acceptance_floor: 0.5}\n',
     ['case.yaml:3: institutions.talks.proposal_acceptance_floor: no party ever proposes (talks.recognition gives none a chance) (expected a recognition chance for a party, or no floor)']),
    ("judges-no-coalition", "tiny", 'actors:\n  a: {party: {judges_guarantees: true}}\n',
     ['case.yaml:3: actors.a.party.judges_guarantees: judges guarantees by the force behind them, but the scenario has no coalition to field one (expected institutions.coalition, or judges_guarantees: false)']),
    ("penalty-no-coalition", "tiny", 'actors:\n  a: {party: {unconsented_force_penalty: 0.2}}\n',
     ['case.yaml:3: actors.a.party.unconsented_force_penalty: the scenario has no coalition whose force could deploy beyond consent (expected institutions.coalition, or no unconsented_force_penalty)']),
    ("optimism-no-front", "tiny", 'actors:\n  a: {party: {optimism: 0.3}}\n',
     ["case.yaml:3: actors.a.party.optimism: a belief about the front's drift, but the scenario has no front (expected a front: section, or no optimism)"]),
    ("deterrence-no-coalition", "tiny", 'durability: {deterrence_effect: 0.5}\n',
     ['case.yaml:2: durability.deterrence_effect: the scenario has no coalition to deploy a force (expected institutions.coalition, or no deterrence_effect)']),
    ("consent-thresholds-no-guarantor", "tiny", 'shocks:\n  accusation: {at_round: 1, effects: {consent_thresholds: 0.1}}\n',
     ['case.yaml:3: shocks.accusation.effects.consent_thresholds: no guarantor requires consent, so no consent threshold moves (expected a guarantor with requires_consent: true, or no consent_thresholds)']),
    ("backstop-no-coalition", "tiny", 'shocks:\n  pullback: {at_round: 0, lasts_rounds: 2, effects: {backstop: -0.3}}\n',
     ['case.yaml:3: shocks.pullback.effects.backstop: the scenario has no coalition whose backstop could change (expected institutions.coalition, or no backstop effect)']),
    ("member-votes-against-nothing", "tiny", 'actors:\n  a: {party: {}}\n  c: {name: C, roles: [member], member: {against_probability: 0.5}}\ninstitutions:\n  councils:\n    c1: {members: [c], measures: {m1: {effects: {war_cost: [{actor: a, factor: 1.1}]}}}}\n',
     ['case.yaml:4: actors.c.member.against_probability: the member votes against no measure (expected votes_against: [measure ids])']),
]


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copy(BASELINE, tmp_path / "baseline.yaml")
    (tmp_path / "tiny.yaml").write_text(TINY)
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize(("base", "body", "lines"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_an_unread_setting_is_an_error_or_with_no_strict_a_warning(base: str, body: str, lines: list[str],
                                                                    folder: Path):
    (folder / "case.yaml").write_text(f"extends: {base}.yaml\n" + body)
    with pytest.raises(ScenarioError) as info:
        load_scenario("case.yaml")
    assert [str(p) for p in info.value.problems] == lines
    assert all(p.unread for p in info.value.problems)
    with pytest.warns(UnreadSetting) as told:
        scenario = load_scenario("case.yaml", strict=False)
    assert [str(p) for p in scenario.warnings] == lines
    assert [str(w.message) for w in told] == lines
    assert len(run_many(scenario, runs=2, seed=1)) == 2


def test_a_default_is_not_a_setting(folder: Path):
    # The tiny scenario has no front, coalition or plan: the defaults of optimism, plan_pull,
    # proposal_acceptance_floor and durability are not settings the file wrote.
    with warnings.catch_warnings():
        warnings.simplefilter("error", UnreadSetting)
        assert load_scenario("tiny.yaml", strict=False).warnings == ()


def test_variants_keep_the_strictness_and_tell_only_new_warnings(folder: Path):
    (folder / "case.yaml").write_text("extends: tiny.yaml\nactors:\n  a: {party: {optimism: 0.3}}\n")
    with pytest.warns(UnreadSetting):
        scenario = load_scenario("case.yaml", strict=False)
    with warnings.catch_warnings(record=True) as told:
        warnings.simplefilter("always")
        variant = scenario.with_overrides({"actors.b.party.optimism": 0.2})
    assert not variant.strict
    assert [str(w.message) for w in told] == [
        "<overrides>: actors.b.party.optimism: a belief about the front's drift, but the scenario has no front "
        "(expected a front: section, or no optimism)"]
    with pytest.raises(ScenarioError):
        load_scenario("case.yaml").with_overrides({"actors.b.party.optimism": 0.0})


def test_cli_no_strict_turns_the_error_into_a_warning_line(folder: Path):
    (folder / "case.yaml").write_text("extends: tiny.yaml\nactors:\n  a: {party: {optimism: 0.3}}\n")
    line = ("case.yaml:3: actors.a.party.optimism: a belief about the front's drift, but the scenario has no "
            "front (expected a front: section, or no optimism)")
    strict = run_sim("validate", "case.yaml", cwd=folder)
    assert (strict.returncode, strict.stdout.splitlines()) == (1, [line])
    lenient = run_sim("validate", "--no-strict", "case.yaml", cwd=folder)
    assert lenient.returncode == 0
    assert lenient.stderr.splitlines() == [f"sim: warning: {line}"]
    assert lenient.stdout.startswith("case.yaml: ok")

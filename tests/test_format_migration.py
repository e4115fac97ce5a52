"""Files in the old format (version 1) get one line per old key, naming the new form (issue 12, item 9).

Each case is an overlay on the baseline that writes one old key; the file must give exactly the line
that names its new form, and nothing of pydantic's about the same key. The old baseline itself
(``tests/old_format_baseline.yaml``, the baseline of ``main`` before format v2) gives one line per
old key and nothing else.
"""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from sim import ScenarioError, load_scenario

OLD_BASELINE = Path(__file__).resolve().parent / "old_format_baseline.yaml"
OLD = "a key of the old format (version 1), now "

# (id, overlay body from line 2, the one expected line)
CASES = [
    ("talks-mediator", "institutions:\n  talks: {mediator: united_states}\n",
     f"case.yaml:3: institutions.talks.mediator: {OLD}institutions.talks.mediators (a list) "
     "(expected mediators: [united_states])"),
    ("eu-council", "institutions:\n  eu_council: {members: [hungary]}\n",
     f"case.yaml:3: institutions.eu_council: {OLD}institutions.councils.<id> "
     "(expected councils: {<id>: {rule: unanimity, members: [...], measures: {...}}})"),
    ("role-eu-member", "actors:\n  slovakia: {roles: [eu_member]}\n",
     f"case.yaml:3: actors.slovakia.roles[0]: {OLD}the role member (of any council) (expected member)"),
    ("block-eu-member", "actors:\n  slovakia: {eu_member: {grievance_end_probability: 0.1}}\n",
     f"case.yaml:3: actors.slovakia.eu_member: {OLD}actors.slovakia.member "
     "(expected member: {votes_against: [...], against_probability: ...})"),
    ("member-blocks", "actors:\n  slovakia:\n    member: {blocks: [loan_90bn]}\n",
     f"case.yaml:4: actors.slovakia.member.blocks: {OLD}actors.slovakia.member.votes_against "
     "(expected votes_against: [loan_90bn])"),
    ("member-veto-probability", "actors:\n  slovakia:\n    member: {veto_probability: 0.3}\n",
     f"case.yaml:4: actors.slovakia.member.veto_probability: {OLD}actors.slovakia.member.against_probability "
     "(expected against_probability: 0.3)"),
    ("member-veto-after-change", "actors:\n  hungary:\n    member: {veto_probability_after_change: 0.2}\n",
     f"case.yaml:4: actors.hungary.member.veto_probability_after_change: {OLD}"
     "actors.hungary.member.against_probability_after_change (expected against_probability_after_change: 0.2)"),
    ("measure-kind", "institutions:\n  councils:\n    eu_council:\n      measures:\n"
     "        loan_90bn: {kind: loan}\n",
     f"case.yaml:6: institutions.councils.eu_council.measures.loan_90bn.kind: {OLD}what the measure's effects "
     "change (expected effects: {funding: [{actor: <actor>, runway_rounds: 52}]})"),
    ("measure-sanctions-effect", "institutions:\n  councils:\n    eu_council:\n      measures:\n"
     "        sanctions_package_20: {sanctions_effect: 0.04}\n",
     f"case.yaml:6: institutions.councils.eu_council.measures.sanctions_package_20.sanctions_effect: {OLD}"
     "effects.sanctions (expected effects: {sanctions: [{target: russia, by: 0.04}]})"),
    ("measure-runway", "institutions:\n  councils:\n    eu_council:\n      measures:\n"
     "        loan_90bn: {runway_rounds: 30}\n",
     f"case.yaml:6: institutions.councils.eu_council.measures.loan_90bn.runway_rounds: {OLD}effects.funding "
     "(expected effects: {funding: [{actor: <actor>, runway_rounds: 30}]})"),
    ("party-funding", "actors:\n  ukraine:\n    party: {funding: {runway_rounds: 4}}\n",
     f"case.yaml:4: actors.ukraine.party.funding: {OLD}actors.ukraine.funding (a block of the actor, not of "
     "its party) (expected funding: {runway_rounds: 4} beside party:)"),
    ("party-ratification", "actors:\n  ukraine:\n    party:\n      ratification: {$replace: {rule: threshold, "
     "threshold: 0.6}}\n",
     f"case.yaml:5: actors.ukraine.party.ratification: {OLD}a list of ratifying bodies, each with a rule "
     "(leader or referendum) (expected ratification: [{body: <id>, rule: leader, threshold: 0.6}])"),
    ("ratification-rule-threshold", "actors:\n  ukraine:\n    party:\n      ratification: [{body: public, "
     "rule: threshold}]\n",
     f"case.yaml:5: actors.ukraine.party.ratification[0].rule: {OLD}rule leader (signs only terms at or above "
     "its threshold) (expected leader)"),
    ("mediator-backstop", "actors:\n  united_states:\n    mediator: {backstop: 0.7}\n",
     f"case.yaml:4: actors.united_states.mediator.backstop: {OLD}the role backer with "
     "actors.united_states.backer.backstop (expected roles: [..., backer] and backer: {backstop: 0.7})"),
    ("consent-from", "institutions:\n  coalition: {consent_from: russia}\n",
     f"case.yaml:3: institutions.coalition.consent_from: {OLD}a list of the consenting parties "
     "(expected consent_from: [russia])"),
    ("front-attacker", "front: {attacker: russia}\n",
     f"case.yaml:2: front.attacker: {OLD}front.attacker: actor id -> the strength it contributes "
     "(expected attacker: {russia: 1.6})"),
    ("front-defender-strength", "front: {defender_strength: 1.2}\n",
     f"case.yaml:2: front.defender_strength: {OLD}the strength in front.defender (actor id -> strength) "
     "(expected defender: {<actor>: 1.2})"),
    ("sanctions-one-index", "sanctions: {$replace: {start: 0.4, decay: 0.02, lag_rounds: 4}}\n",
     f"case.yaml:2: sanctions: {OLD}one index per target: sanctions.<target> "
     "(expected sanctions: {russia: {start: 0.4, decay: 0.02, lag_rounds: 4}})"),
    ("shock-sanctions", "shocks:\n  uk_sanctions_package: {effects: {sanctions: 0.05}}\n",
     f"case.yaml:3: shocks.uk_sanctions_package.effects.sanctions: {OLD}a list of changes, each naming its "
     "target (expected sanctions: [{target: russia, by: 0.05}])"),
]


@pytest.mark.parametrize(("body", "line"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_an_old_key_gets_one_line_naming_the_new_one(body: str, line: str, workdir: Path):
    (workdir / "case.yaml").write_text("extends: baseline.yaml\n" + textwrap.dedent(body))
    with pytest.raises(ScenarioError) as info:
        load_scenario("case.yaml")
    assert [str(p) for p in info.value.problems] == [line]


#: Every old key of the old baseline: (line, key path, new form).
#: Settings of the first bargaining core, gone with the second (issue 13).
RETIRED = "a setting of the first bargaining core, gone: "

OLD_BASELINE_KEYS = [
    (89, "actors.ukraine.party.funding", "actors.ukraine.funding"),
    (91, "actors.ukraine.party.funding.extended_by", "a funding effect of each measure"),
    (92, "actors.ukraine.party.ratification", "a list of ratifying bodies"),
    (111, "actors.united_states.mediator.estimate_noise", RETIRED + "the mediators hold a belief"),
    (112, "actors.united_states.mediator.backstop", "the role backer"),
    (177, "actors.hungary.roles[0]", "the role member"),
    (178, "actors.hungary.eu_member", "actors.hungary.member"),
    (179, "actors.hungary.eu_member.blocks", "actors.hungary.member.votes_against"),
    (180, "actors.hungary.eu_member.veto_probability", "actors.hungary.member.against_probability"),
    (184, "actors.hungary.eu_member.veto_probability_after_change",
     "actors.hungary.member.against_probability_after_change"),
    (189, "actors.slovakia.roles[0]", "the role member"),
    (190, "actors.slovakia.eu_member", "actors.slovakia.member"),
    (191, "actors.slovakia.eu_member.blocks", "actors.slovakia.member.votes_against"),
    (192, "actors.slovakia.eu_member.veto_probability", "actors.slovakia.member.against_probability"),
    (209, "institutions.talks.mediator", "institutions.talks.mediators (a list)"),
    (211, "institutions.talks.acceptance_noise", RETIRED + "acceptance is deterministic given a party's type"),
    (214, "institutions.eu_council", "institutions.councils.<id>"),
    (219, "institutions.eu_council.measures.sanctions_package_20.kind", "what the measure's effects change"),
    (220, "institutions.eu_council.measures.sanctions_package_20.sanctions_effect", "effects.sanctions"),
    (224, "institutions.eu_council.measures.loan_90bn.kind", "what the measure's effects change"),
    (225, "institutions.eu_council.measures.loan_90bn.runway_rounds", "effects.funding"),
    (230, "institutions.coalition.consent_from", "a list of the consenting parties"),
    (249, "front.attacker", "front.attacker: actor id -> the strength"),
    (250, "front.defender", "front.defender: actor id -> the strength"),
    (253, "front.attacker_strength", "the strength in front.attacker"),
    (254, "front.defender_strength", "the strength in front.defender"),
    (258, "front.belief_learning", RETIRED + "every party learns the drift"),
    (263, "sanctions", "one index per target"),
    (288, "shocks.uk_sanctions_package.effects.sanctions", "a list of changes"),
    (318, "shocks.us_pressure_on_moscow.effects.sanctions", "a list of changes"),
]


def test_the_old_baseline_gives_one_line_per_old_key_and_nothing_else(tmp_path: Path):
    shutil.copy(OLD_BASELINE, tmp_path / "old.yaml")
    with pytest.raises(ScenarioError) as info:
        load_scenario(tmp_path / "old.yaml")
    lines = [str(p) for p in info.value.problems]
    assert len(lines) == len(OLD_BASELINE_KEYS), "\n".join(lines)
    for text, (line, path, new) in zip(lines, OLD_BASELINE_KEYS, strict=True):
        said = new if new.startswith(RETIRED) else OLD + new
        assert text.startswith(f"{tmp_path / 'old.yaml'}:{line}: {path}: {said}"), text
    # The migration loan's target is read from the old file: Ukraine's funding was extended_by it.
    assert "actor: ukraine, runway_rounds: 52" in lines[20]


def test_an_old_key_in_a_set_override_is_named_too(workdir: Path):
    with pytest.raises(ScenarioError) as info:
        load_scenario("baseline.yaml").with_overrides({"actors.united_states.mediator.backstop": 0.3})
    assert [str(p) for p in info.value.problems] == [
        f"<overrides>: actors.united_states.mediator.backstop: {OLD}the role backer with "
        "actors.united_states.backer.backstop (expected roles: [..., backer] and backer: {backstop: 0.3})"]

"""The negotiations of other shapes in backtests/ (issue 12, item 11): each is written in YAML alone,
validates with nothing unread, runs without a degenerate outcome, and its story shows the features
that made it hard to write in the first format."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT

from sim import load_scenario
from sim.experiment import explain_run, run_many
from sim.model import NegotiationModel
from sim.streams import run_seed

BACKTESTS = ROOT / "backtests"
CASES = ("korea-1951", "good-friday-1998", "colombia-2012")
RUNS = 40


def stories(name: str) -> list[list[tuple[str, str, str]]]:
    """(actor, event, detail) of every event of the first runs of a case."""
    scenario = load_scenario(BACKTESTS / f"{name}.yaml")
    return [[(e.actor, e.event, e.detail) for e in explain_run(scenario, run_seed(1, i))[1]] for i in range(RUNS)]


def happens(story_list: list, actor: str | None = None, event: str | None = None, detail: str = "") -> int:
    """In how many of the stories some event matches."""
    return sum(any((actor is None or a == actor) and (event is None or e == event) and detail in d
                   for a, e, d in story) for story in story_list)


@pytest.mark.parametrize("name", CASES)
def test_each_case_names_its_sources_and_holds_no_outcome(name: str):
    text = (BACKTESTS / f"{name}.yaml").read_text()
    assert text.startswith("# Backtest:") and "Sources" in text.split("name:")[0]
    for word in ("outcome:", "observed", "deal_round"):
        assert word not in text.split("\nname:")[1]


@pytest.mark.parametrize("name", CASES)
def test_each_case_validates_with_nothing_unread_and_is_not_decided_at_once(name: str):
    scenario = load_scenario(BACKTESTS / f"{name}.yaml")
    table = run_many(scenario, runs=RUNS, seed=1)
    deals = table["outcome"] == "deal"
    assert 0.1 < deals.mean() < 0.95
    assert (table.loc[deals, "deal_round"] == 0).mean() < 0.5


def test_korea_has_coalitions_on_both_sides_a_veto_player_and_a_neutral_commission():
    scenario = load_scenario(BACKTESTS / "korea-1951.yaml")
    model = NegotiationModel(scenario, seed=1)
    assert len(model.front.attackers) == 2 and len(model.front.defenders) == 2
    model.run()  # a finished model lets go of Mesa's class-level id counter
    told = stories("korea-1951")
    assert happens(told, actor="south_korea", event="rejects") and happens(told, actor="south_korea", event="accepts")
    assert happens(told, event="armistice") and happens(told, event="deployment", detail="troops deploy")
    assert happens(told, event="pledges")


def test_good_friday_has_two_mediating_governments_and_two_referendums():
    told = stories("good-friday-1998")
    assert happens(told, actor="united_kingdom+ireland+mitchell_chair", event="proposes")
    for government in ("united_kingdom", "ireland"):
        assert happens(told, actor=government, event="ratification passes", detail="(referendum)")


def test_colombia_has_guarantor_mediators_a_plebiscite_that_can_fail_and_a_revised_deal_through_congress():
    told = stories("colombia-2012")
    assert happens(told, actor="cuba+norway", event="proposes")
    assert happens(told, actor="government", event="ratification fails", detail="plebiscite")
    assert happens(told, actor="government", event="ratification passes", detail="plebiscite")
    assert happens(told, actor="government", event="ratification route", detail="Congress")
    assert happens(told, actor="government", event="ratification passes", detail="(legislature)")


def test_the_backtests_readme_lists_every_case():
    readme = (BACKTESTS / "README.md").read_text()
    every = {p.stem for p in Path(BACKTESTS).glob("*.yaml") if not p.name.endswith(".outcome.yaml")}
    assert set(CASES) <= every
    assert all(f"`{name}.yaml`" in readme for name in every)
    # Each case's observed outcome lies beside it, in a file of its own (never in the scenario).
    assert {p.name[:-len(".outcome.yaml")] for p in Path(BACKTESTS).glob("*.outcome.yaml")} == every


def test_the_command_line_story_is_dated_named_in_the_scenarios_words_and_stops_at_a_collapse():
    from conftest import run_sim

    collapsed = next(r for r in range(RUNS) if run_sim("explain", "backtests/good-friday-1998.yaml", "--seed", "1",
                                                         "--run", str(r)).stdout.count("outcome: collapse"))
    lines = run_sim("explain", "backtests/good-friday-1998.yaml", "--seed", "1", "--run", str(collapsed)).stdout
    lines = lines.splitlines()
    assert lines[1] == "round 0 (1997-09-15):"
    assert any(line.startswith("round 2 (1997-10-13):") for line in lines)    # two-week rounds
    assert any(line.startswith("  British government and Irish government and Independent chairmen") for line in lines)
    ends = next(i for i, line in enumerate(lines) if line.startswith("  collapse:"))
    assert lines[ends + 1:] == [lines[-1]] and lines[-1].startswith("outcome: collapse (collapse; cause: ")
    deal = next(r for r in range(RUNS) if "outcome: armistice" in run_sim(
        "explain", "backtests/korea-1951.yaml", "--seed", "1", "--run", str(r)).stdout)
    text = run_sim("explain", "backtests/korea-1951.yaml", "--seed", "1", "--run", str(deal)).stdout
    assert "outcome: armistice (deal; cause: none)" in text
    assert "neutral supervisory commission: " in text and ("held through its aftermath window" in text or "broke down" in text)
    assert " a observers" not in text and "True" not in text

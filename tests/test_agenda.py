"""An agenda taken item by item (``institutions.talks.agenda``): each item closes on every party's yes
to the package, its terms are held from then on, the deal is the yes on the last item, and the items
reopen when no completion of them looks acceptable. Tiny scenarios with known answers, and the cases."""

from __future__ import annotations

import copy
import textwrap
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from tiny import tiny

from sim import ScenarioError, load_scenario
from sim.model import NegotiationModel
from sim.model.agenda import Agenda
from sim.scenario import deep_merge

ROOT = Path(__file__).resolve().parent.parent

#: The tiny scenario with three issues, every holder's ideal the same on each (a zone at round 0).
THREE = {"issues": {"x": {"low": "all to a", "high": "all to b"}, "y": {"low": "all to a", "high": "all to b"}},
         "actors": {k: {"position": {"x": v, "y": v}, "salience": {"split": 1 / 3, "x": 1 / 3, "y": 1 / 3}}
                    for k, v in (("a", 0.4), ("b", 0.6), ("m", 0.5))}}


def agenda(*items: tuple[str, list[str]]) -> dict[str, Any]:
    return {"institutions": {"talks": {"agenda": [{"label": label, "issues": issues} for label, issues in items]}}}


THREE_ITEMS = agenda(("the split", ["split"]), ("x", ["x"]), ("y", ["y"]))


def run(overlay: dict[str, Any], n: int = 8, log: bool = False) -> NegotiationModel:
    m = NegotiationModel(tiny(**copy.deepcopy(overlay)), seeds=list(range(n)), log_events=log)
    m.run()
    return m


def test_without_an_agenda_a_zone_at_round_0_is_a_deal_at_round_0():
    r = run(THREE).records()
    assert (r["outcome"] == "deal").all() and (r["deal_round"] == 0).all()


def test_an_agenda_of_three_items_takes_three_rounds_each_item_closed_by_a_yes():
    m = run(deep_merge(THREE, THREE_ITEMS), log=True)
    r = m.records()
    assert (r["outcome"] == "deal").all() and (r["deal_round"] == 2).all()
    closed = [(e.run, e.round, e.detail) for e in m.sink.events if e.event == "item agreed"]
    assert [(run_, t) for run_, t, _ in closed if run_ == 0] == [(0, 0), (0, 1)]
    assert closed[0][2].startswith("the split agreed provisionally at split 0.50; next on the agenda: x")
    proposals = [e.detail for e in m.sink.events if e.run == 0 and e.event.startswith("propose")]
    assert [p.split("(on the table: ")[1].split(")")[0] for p in proposals] == ["the split", "x", "y"]


def test_issues_in_no_item_stay_open_and_close_with_the_last():
    r = run(deep_merge(THREE, agenda(("the split", ["split"]), ("x", ["x"])))).records()
    assert (r["outcome"] == "deal").all() and (r["deal_round"] == 1).all()


def test_the_terms_of_a_closed_item_are_held_in_every_later_proposal():
    """The mediator leans toward b's side (bias), but the first item was closed where it was agreed."""
    m = run(deep_merge(THREE, THREE_ITEMS), n=4, log=True)
    for i in range(4):
        terms = [e.data["terms"] for e in m.sink.events if e.run == i and e.event.startswith("propose")]
        assert len({round(t["split"], 9) for t in terms}) == 1
        assert len({round(t["x"], 9) for t in terms[1:]}) == 1


def test_korea_s_agenda_puts_its_earliest_deal_in_the_fourth_round_and_delays_the_median():
    """The same runs of Korea with its four items and without: no deal before every item had its round."""
    scenario = load_scenario(ROOT / "backtests" / "korea-1951.yaml")
    rounds = []
    for s in (scenario, scenario.with_overrides({"institutions.talks.agenda": []})):
        m = NegotiationModel(s, seeds=list(range(40)))
        m.run()
        rounds.append(m.records()["deal_round"])
    with_items, without = rounds
    assert np.nanmin(with_items) >= 3 and np.nanmin(without) < 3
    assert np.nanmedian(with_items) > np.nanmedian(without)


def test_the_trajectory_counts_the_items_closed_round_by_round():
    from sim.trajectory import run_trajectory

    table = run_trajectory(tiny(**deep_merge(THREE, THREE_ITEMS)), [0, 1])
    closed = table[table["quantity"] == "agenda_items_closed"].sort_values(["run", "round"])
    # Closed after rounds 0 and 1; the yes of round 2 on the last item is the deal.
    assert closed[closed["run"] == 0]["value"].tolist()[:3] == [1.0, 2.0, 2.0]
    assert "agenda_items_closed" not in set(run_trajectory(tiny(**THREE), [0])["quantity"])


def test_a_runs_numbers_do_not_depend_on_the_other_runs_of_its_batch():
    """Some runs of a batch close items while others do not: the candidates then become per run for
    all of them, which must not move anyone's numbers."""
    scenario = load_scenario(ROOT / "backtests" / "korea-1951.yaml")
    batch = NegotiationModel(scenario, seeds=list(range(30)))
    batch.run()
    together = batch.records()
    for i in (0, 7, 19):
        alone = NegotiationModel(scenario, seeds=[i])
        alone.run()
        one = alone.records()
        for key, values in one.items():
            a, b = np.asarray(together[key])[i], np.asarray(values)[0]
            assert a == b or (isinstance(a, float) and np.isnan(a) and np.isnan(b)) or np.isclose(a, b, rtol=0, atol=0), key


def test_the_closed_items_reopen_when_no_completion_is_in_sight():
    items = (type("Item", (), {"label": "first", "issues": ("p",)}), type("Item", (), {"label": "second", "issues": ("q",)}))
    table = Agenda(items, ["p", "q"], runs=3)

    class Sink:
        def __init__(self) -> None:
            self.events: list[tuple[Any, ...]] = []

        def log(self, runs, actor, event, detail):
            self.events.extend((int(i), event) for i in np.flatnonzero(runs))

    sink = Sink()
    table.close(np.array([True, True, False]), np.array([[0.3, 0.9], [0.6, 0.1], [0.5, 0.5]]), sink)
    assert table.item.tolist() == [1, 1, 0] and table.at_last_item().tolist() == [True, True, False]
    held = table.keep_closed(np.full((3, 2, 2), 0.5))
    assert held[0, :, 0].tolist() == [0.3, 0.3] and held[1, :, 0].tolist() == [0.6, 0.6]
    assert held[:, :, 1].tolist() == [[0.5, 0.5]] * 3 and held[2].tolist() == [[0.5, 0.5]] * 2
    table.reopen(np.array([False, True, True]), sink, "no completion")
    assert table.item.tolist() == [1, 0, 0] and table.reopenings.tolist() == [0, 1, 0]
    assert table.keep_closed(np.full((3, 1, 2), 0.5))[1].tolist() == [[0.5, 0.5]]
    assert (1, "agenda reopened") in sink.events and (2, "agenda reopened") not in sink.events


@pytest.mark.parametrize(("body", "where", "what"), [
    ("agenda: [{label: one, issues: [split]}, {label: two, issues: [splt]}]",
     "institutions.talks.agenda[1].issues[0]", "issue 'splt' is not defined; did you mean 'split'?"),
    ("agenda: [{label: one, issues: [split]}, {label: two, issues: [split]}]",
     "institutions.talks.agenda[1].issues[0]", "issue 'split' is already in item 0 of the agenda"),
    ("agenda: [{label: one, issues: [split]}]", "institutions.talks.agenda", "an agenda of one item is no agenda"),
    ("agenda: [{label: one, issues: [split]}, {label: two, issues: [x]}], armistice: {issues: [split]}",
     "institutions.talks.agenda:", "an agenda and an armistice cannot both be declared"),
    ("agenda: [{label: one}, {label: two, issues: [x]}]", "institutions.talks.agenda[0]:", "missing required key 'issues'"),
])
def test_a_broken_agenda_is_one_line_at_its_place(tmp_path: Path, body: str, where: str, what: str):
    path = tmp_path / "agenda.yaml"
    path.write_text(textwrap.dedent("""\
        name: agenda
        horizon: {rounds: 6}
        issues:
          split: {low: all to a, high: all to b}
          x: {low: all to a, high: all to b}
        actors:
          a: {name: A, roles: [party], position: {split: 0.4, x: 0.4}, salience: {split: 0.5, x: 0.5}}
          b: {name: B, roles: [party], position: {split: 0.6, x: 0.6}, salience: {split: 0.5, x: 0.5}}
          m: {name: M, roles: [mediator], position: {split: 0.5, x: 0.5}, salience: {split: 0.5, x: 0.5}}
        institutions:
        """) + f"    talks: {{mediators: [m], parties: [a, b], {body}}}\n")
    with pytest.raises(ScenarioError) as error:
        load_scenario(path)
    line = next(line for line in str(error.value).splitlines() if where in line)
    assert line.startswith(f"{path}:") and what in line

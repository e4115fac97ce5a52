"""Trajectories: the per-round table says what its docs say, stops where each run ended, and does not
depend on the batch; its figure draws what its legends name; the command refuses a missing --out."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from conftest import BASELINE, run_sim
from PIL import Image

from sim import load_scenario
from sim.cli import main
from sim.model.events import OUTCOMES, TALKING
from sim.model.model import NegotiationModel
from sim.model.trajectory import NO_ACTOR, PARTY_QUANTITIES, QUANTITIES, RUN_QUANTITIES
from sim.plots.trajectory import trajectory_bands, trajectory_figure
from sim.streams import run_seed
from sim.trajectory import COLUMNS, run_trajectory

SEEDS = [run_seed(5, i) for i in range(3)]


@pytest.fixture(scope="module")
def scenario():
    return load_scenario(BASELINE)


@pytest.fixture(scope="module")
def table(scenario):
    return run_trajectory(scenario, SEEDS)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def names(scenario) -> dict[str, str]:
    return {aid: a.name for aid, a in scenario.spec.actors.items()}


def legend_texts(ax) -> list[str] | None:
    legend = ax.get_legend()
    return [t.get_text() for t in legend.get_texts()] if legend else None


# ----------------------------------------------------------------------------------- the table


def test_the_table_has_the_documented_columns_and_quantities(table, scenario):
    assert tuple(table.columns) == COLUMNS
    # The baseline has a front, so its true drift too, and no agenda.
    assert set(table["quantity"]) == set(QUANTITIES) - {"agenda_items_closed"}
    parties = [*scenario.spec.institutions.talks.parties, *scenario.spec.institutions.talks.veto_players]
    for quantity in PARTY_QUANTITIES:
        assert list(pd.unique(table.loc[table["quantity"] == quantity, "actor"])) == parties
    for quantity in set(RUN_QUANTITIES) - {"agenda_items_closed"}:
        assert set(table.loc[table["quantity"] == quantity, "actor"]) == {NO_ACTOR}
    # One value per run, round, quantity and actor, and one seed per run: the seeds asked for.
    assert not table.duplicated(["run", "round", "quantity", "actor"]).any()
    assert table.groupby("run")["seed"].unique().map(list).tolist() == [[s] for s in SEEDS]
    shares = table[table["quantity"].isin(["stock_used", "acceptance_chance", "zone_estimated", "zone_true", "front"])]
    assert shares["value"].between(0, 1).all()
    low, mean, high = (table[table["quantity"] == f"resolve_belief_{q}"]["value"].to_numpy()
                       for q in ("low", "mean", "high"))
    assert np.all(low <= mean + 1e-12) and np.all(mean <= high + 1e-12)


def test_the_rows_of_a_run_stop_at_the_round_it_ended(table, scenario):
    model = NegotiationModel(scenario, seeds=SEEDS, log_events=False)
    model.run()
    records = model.records()
    status = table[table["quantity"] == "status"]
    for run, rows in status.groupby("run"):
        rounds = rows["round"].to_numpy()
        assert list(rounds) == list(range(len(rounds)))          # every round from 0, none skipped
        assert (rows["value"].iloc[:-1] == TALKING).all()        # talking until the last row ...
        last = int(rows["value"].iloc[-1])
        assert last != TALKING                                   # ... which is the round it ended in
        assert OUTCOMES[last] == records["outcome"][run]
        if OUTCOMES[last] == "deal":
            assert rounds[-1] == records["deal_round"][run]
        # Every quantity has rows in exactly the rounds the status has.
        others = table[(table["run"] == run)].groupby(["quantity", "actor"])["round"].max()
        assert (others == rounds[-1]).all()


def test_the_same_seed_gives_the_same_rows_alone_and_in_a_batch(table, scenario):
    alone = run_trajectory(scenario, [SEEDS[1]])
    in_batch = table[table["run"] == 1].reset_index(drop=True)
    assert (alone["run"] == 0).all()
    pd.testing.assert_frame_equal(alone.drop(columns="run"), in_batch.drop(columns="run"))


def test_the_mediators_belief_band_holds_the_true_resolve(table):
    # Answers cut the interval of possible types and never rule out the truth: the band's ends bracket
    # the true resolve whenever the band is the whole interval (the 10-90 % band may not hold it).
    wide = table.pivot_table(index=["run", "round", "actor"], columns="quantity", values="value").dropna(
        subset=["resolve_belief_low", "resolve_belief_high", "true_resolve"])
    assert (wide.resolve_belief_low <= wide.resolve_belief_mean + 1e-9).all()
    assert (wide.resolve_belief_mean <= wide.resolve_belief_high + 1e-9).all()


# ----------------------------------------------------------------------------------- the figures

PANEL_TITLES = ["Belief about the front's drift", "Mediators' belief about resolve", "Outside option", "Stock used",
                "Mediators' estimated chance of acceptance", "Zone of agreement", "Front"]


def test_one_run_figure_has_a_panel_per_group_and_legends_that_match_the_lines(table, scenario, tmp_path):
    one = table[table["run"] == 0]
    spec = scenario.spec
    fig = trajectory_figure(one, names=names(scenario), start=spec.horizon.start, round_weeks=spec.horizon.round_weeks)
    titles = [ax.get_title(loc="left") for ax in fig.axes]
    assert [t.split(":")[0] for t in titles] == PANEL_TITLES
    russia, ukraine = spec.actors["russia"].name, spec.actors["ukraine"].name
    drift, resolve, outside, stock, chance, zone, front = fig.axes
    assert legend_texts(drift) == [russia, ukraine, "true drift (dashed)"]
    assert [line.get_linestyle() for line in drift.lines] == ["-", "-", "--"]
    assert legend_texts(resolve) == [russia, ukraine, "true resolve (dashed)"]
    assert [line.get_linestyle() for line in resolve.lines] == ["-", "-", "--", "--"]
    assert len(resolve.collections) == 2                          # the belief's 10-90 % range of each party
    for ax in (outside, stock, chance):
        assert legend_texts(ax) == [russia, ukraine] and len(ax.lines) == 2 and not ax.collections
    assert legend_texts(zone) == ["estimated by the mediators", "given the true types (dashed)"]
    assert legend_texts(front) is None and len(front.lines) == 1  # one line needs no legend
    # The lines hold the table's values, against its rounds.
    rows = one[(one["quantity"] == "front")]
    assert np.allclose(front.lines[0].get_ydata(), rows["value"]) and list(front.lines[0].get_xdata()) == list(rows["round"])
    last = int(one["round"].max())
    assert f"ended in round {last}" in fig._suptitle.get_text()
    fig.canvas.draw()
    low, high = front.get_xlim()
    ticks = [t.get_text() for t, x in zip(front.get_xticklabels(), front.get_xticks(), strict=True) if low <= x <= high]
    assert ticks[0] == f"0\n{spec.horizon.start.isoformat()}"
    path = tmp_path / "one.png"
    fig.savefig(path, bbox_inches="tight", pad_inches=0.1)
    assert Image.open(path).size[1] <= 2000


def test_bands_are_over_the_runs_still_talking_and_drawn_with_their_count(table, scenario, tmp_path):
    bands = trajectory_bands(table)
    front = bands[bands["quantity"] == "front"].set_index("round")
    per_round = table[table["quantity"] == "front"].groupby("round")["value"]
    assert (front["runs"] == per_round.size()).all()
    assert np.allclose(front["median"], per_round.median()) and np.allclose(front["low"], per_round.quantile(0.1))
    fig = trajectory_figure(table, names=names(scenario))
    titles = [ax.get_title(loc="left") for ax in fig.axes]
    assert [t.split(":")[0] for t in titles[:-1]] == PANEL_TITLES and titles[-1].startswith("Runs still talking")
    assert list(fig.axes[-1].lines[0].get_ydata()) == list(per_round.size())
    assert "over the runs still talking" in fig.axes[-1].get_xlabel()
    assert "3 runs" in fig._suptitle.get_text()
    # Over runs, every line has its band.
    assert len(fig.axes[6].collections) == len(fig.axes[6].lines) == 1
    path = tmp_path / "bands.png"
    fig.savefig(path, bbox_inches="tight", pad_inches=0.1)
    assert Image.open(path).size[1] <= 2000


# ----------------------------------------------------------------------------------- the command


def test_the_command_refuses_a_missing_out_in_one_line():
    done = run_sim("trajectory", str(BASELINE))
    assert done.returncode != 0
    assert done.stderr.strip().count("\n") == 0 and "--out" in done.stderr and "Traceback" not in done.stderr


def test_the_command_writes_the_table_and_the_figure(tmp_path, capsys):
    out = tmp_path / "traj"
    assert main(["trajectory", str(BASELINE), "--runs", "2", "--seed", "5", "--out", str(out)]) == 0
    written = pd.read_csv(out / "trajectory.csv")
    assert tuple(written.columns) == COLUMNS and list(pd.unique(written["seed"])) == SEEDS[:2]
    assert Image.open(out / "trajectory.png").size[1] <= 2000
    assert str(out / "trajectory.csv") in capsys.readouterr().out
    assert not list(out.glob(".*.tmp"))                          # written under temporary names, then renamed

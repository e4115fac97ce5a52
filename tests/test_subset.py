"""The talks evaluated on the talking runs only give the same records as evaluating the whole batch.

The fast path (:mod:`sim.model.subset`) must change nothing but the time: every shipped scenario,
every backtest case and the fixture with every section are played both ways and compared column by
column, and the subset rule refuses state it cannot place rather than guessing.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import sim.model.talks as talks_module
from sim import load_scenario
from sim.model import NegotiationModel, caches
from sim.model.subset import SubsetError, put, take
from sim.streams import run_seed

ROOT = Path(__file__).resolve().parent.parent
FILES = sorted([*ROOT.glob("scenarios/*.yaml"), *(p for p in ROOT.glob("backtests/*.yaml")
                                                   if not p.name.endswith(".outcome.yaml")),
                ROOT / "tests" / "every_section.yaml"])
RUNS = 24


def _play(path: Path, active_only: bool, monkeypatch: pytest.MonkeyPatch, caching: bool = True) -> tuple[dict, int]:
    monkeypatch.setattr(talks_module, "ACTIVE_RUNS_ONLY", active_only)
    monkeypatch.setattr(caches, "CACHING", caching)
    model = NegotiationModel(load_scenario(path), seeds=[run_seed(11, i) for i in range(RUNS)])
    partial = 0
    step = model.talks.step

    def counting(t: int, active: np.ndarray, talking: np.ndarray) -> np.ndarray:
        nonlocal partial
        partial += bool(0 < active.sum() < RUNS)
        return step(t, active, talking)

    model.talks.step = counting
    model.run()
    return model.records(), partial


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_talks_on_the_talking_runs_give_the_records_of_the_whole_batch(path, monkeypatch):
    fast, partial = _play(path, True, monkeypatch)
    full, _ = _play(path, False, monkeypatch)
    if path.stem == "baseline":
        assert partial > 20, "too few rounds had only some runs talking: the fast path was hardly exercised"
    _assert_same(path, fast, full)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_the_batch_caches_give_the_records_of_values_computed_at_every_read(path, monkeypatch):
    """sim.model.caches: a value kept too long (an ideal term moved by a shock) would show here."""
    _assert_same(path, _play(path, True, monkeypatch)[0], _play(path, True, monkeypatch, caching=False)[0])


def _assert_same(path: Path, fast: dict, reference: dict) -> None:
    assert fast.keys() == reference.keys()
    for column in fast:
        a, b = fast[column], reference[column]
        same = np.array_equal(a, b) if a.dtype == object else np.array_equal(a, b, equal_nan=True)
        assert same, f"{path.name}: column {column} differs"


def test_the_trajectory_of_a_run_is_the_same_either_way(monkeypatch):
    from sim.trajectory import run_trajectory

    scenario = load_scenario(ROOT / "scenarios" / "baseline.yaml")
    frames = []
    for active_only in (True, False):
        monkeypatch.setattr(talks_module, "ACTIVE_RUNS_ONLY", active_only)
        frames.append(run_trajectory(scenario, [run_seed(3, i) for i in range(40)]))
    assert frames[0].equals(frames[1])


class _Arena:
    """A stand-in arena: the subset rule copies the package's objects only, hence its module."""

    __module__ = "sim.tests"

    def __init__(self, runs: int):
        self.runs = runs
        self.stock = np.arange(runs, dtype=float)
        self.by_party = np.arange(2 * runs).reshape(2, runs)


def test_a_subset_slices_per_run_state_and_shares_objects_once(monkeypatch):
    import sim.model.subset as subset

    monkeypatch.setattr(subset, "RUNS_SECOND", subset.RUNS_SECOND | {"_Arena.by_party"})
    arena, holder = _Arena(5), _Arena(5)
    holder.arenas = [arena, arena]
    sub = take(holder, np.array([1, 3]), 5)
    assert sub.runs == 2 and holder.runs == 5
    assert sub.stock.tolist() == [1.0, 3.0]
    assert sub.arenas[0] is sub.arenas[1] and sub.arenas[0] is not arena
    assert sub.arenas[0].stock.tolist() == [1.0, 3.0] and arena.stock.tolist() == [0, 1, 2, 3, 4]
    assert sub.by_party.tolist() == [[1, 3], [6, 8]]


def test_an_array_neither_per_run_nor_declared_is_refused():
    arena = _Arena(5)
    arena.by_party = np.zeros(2)
    arena.grid = np.linspace(0, 1, 7)
    with pytest.raises(SubsetError, match="_Arena"):
        take(arena, np.array([0]), 5)


def test_put_scatters_a_subsets_answer_back_to_its_runs():
    out = put((np.array([1.5, 2.5]), np.array(["a", "b"], dtype=object)), np.array([0, 3]), 4)
    assert out[0].tolist() == [1.5, 0.0, 0.0, 2.5]
    assert out[1].tolist() == ["a", "", "", "b"]


def test_values_of_fighting_on_computed_for_some_runs_are_those_of_the_whole_batch():
    """sim.model.outside_options computes them for the runs in need only; the others keep their last value."""
    from sim.model import outside_options

    scenario = load_scenario(ROOT / "scenarios" / "baseline.yaml")
    some, every = (NegotiationModel(scenario, seeds=[run_seed(4, i) for i in range(RUNS)]) for _ in range(2))
    for _ in range(5):  # rounds of fighting: stocks drain, beliefs move
        some.step()
        every.step()
    for model in (some, every):  # ten more rounds of stock used since the values were last computed
        for party in model.talks.parties:
            party.used = party.used + 10.0
    need = np.zeros(RUNS, bool)
    need[[1, 5, 17]] = True
    before = [party.outside_option for party in some.talks.parties]
    some.talks.outside_options_now(some.round, need)
    outside_options.compute(every.talks)
    for party, whole, old in zip(some.talks.parties, every.talks.parties, before, strict=True):
        for name in outside_options.SET_ON_PARTIES:
            np.testing.assert_array_equal(getattr(party, name)[need], getattr(whole, name)[need])
        np.testing.assert_array_equal(party.outside_option[~need], old[~need])
        assert not np.array_equal(party.outside_option, whole.outside_option), "nothing moved: the test shows nothing"
    for model in (some, every):
        model.release()  # unfinished models are held by Mesa's id counters until released

"""The batch caches (sim.model.caches): values kept for the whole batch, read at a subset's rows, dropped by their rule."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from sim import load_scenario
from sim.model import NegotiationModel, caches
from sim.model.caches import BatchCache
from sim.model.subset import take
from sim.streams import run_seed

BASELINE = Path(__file__).resolve().parent.parent / "scenarios" / "baseline.yaml"
RUNS = 6


@pytest.fixture
def model():
    built = NegotiationModel(load_scenario(BASELINE), seeds=[run_seed(5, i) for i in range(RUNS)])
    yield built
    built.release()  # an unfinished model is held by Mesa's id counters until released


def fixed_set_utility(party, fixed: np.ndarray) -> np.ndarray:
    return party.candidate_utility(fixed, np.zeros((RUNS, 1, fixed.shape[1])), {})[:, :len(fixed)]


def test_a_value_is_computed_once_for_the_batch_and_a_subset_reads_its_rows():
    calls = []

    def per_run(key, inputs):
        calls.append(key)
        return np.arange(4.0)[:, None] * inputs

    cache = BatchCache(per_run)
    seen = cache.taken(np.array([1, 3])).get("k", np.array([1.0, 10.0]))
    np.testing.assert_array_equal(seen, [[1.0, 10.0], [3.0, 30.0]])
    np.testing.assert_array_equal(cache.get("k", np.array([0.0])), [[0, 0], [1, 10], [2, 20], [3, 30]])
    assert calls == ["k"]  # the subset's read filled the batch's store; the inputs of a known key are not read
    np.testing.assert_array_equal(cache.taken(np.array([2, 3])).taken(np.array([1])).get("k"), [[3.0, 30.0]])
    with pytest.raises(ValueError):
        cache.get("k")[0, 0] = 1.0  # read-only: a caller that changed it would change every later read
    cache.clear()
    cache.get("k", np.array([2.0]))
    assert calls == ["k", "k"]


def test_a_moved_ideal_term_drops_the_cached_utilities(model, monkeypatch):
    party, fixed = model.talks.parties[0], model.talks.fixed_candidates
    before = fixed_set_utility(party, fixed)
    party.shift_position(np.ones(RUNS, bool), 1, np.full(RUNS, -0.3))
    after = fixed_set_utility(party, fixed)
    monkeypatch.setattr(caches, "CACHING", False)
    np.testing.assert_array_equal(after, fixed_set_utility(party, fixed))
    assert not np.array_equal(before, after)


def test_the_copy_of_a_round_on_some_runs_uses_and_fills_the_batchs_cache(model):
    party, fixed = model.talks.parties[0], model.talks.fixed_candidates
    rows = np.array([0, 4])
    copy = take(model.talks, rows, RUNS)
    on_the_copy = copy.parties[0].candidate_utility(fixed, np.zeros((2, 1, fixed.shape[1])), {})[:, :len(fixed)]
    np.testing.assert_array_equal(on_the_copy, fixed_set_utility(party, fixed)[rows])
    assert party.fixed_utility._values, "the copy's computation was lost with the copy"

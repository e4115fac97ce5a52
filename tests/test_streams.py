"""Random streams: reproducible, batch-independent, keyed by name, statistically sound."""

import numpy as np
from scipy import stats

from sim.streams import LARGE, draw_streams, normals, run_seed, uniforms


def test_a_runs_numbers_do_not_depend_on_its_batch():
    alone = uniforms([run_seed(1, 7)], "talks:accept", 50)[0]
    batch = uniforms([run_seed(1, i) for i in range(20)], "talks:accept", 50)[7]
    assert np.array_equal(alone, batch)


def test_each_array_is_its_own_stream():
    seeds = [1, 2, 3]
    one = draw_streams(seeds, "talks", [("accept", "uniform", (26, 2))])
    two = draw_streams(seeds, "talks", [("proposer", "uniform", (26,)), ("accept", "uniform", (26, 2))])
    assert np.array_equal(one["accept"], two["accept"])  # adding an array shifts no other
    longer = draw_streams(seeds, "talks", [("accept", "uniform", (40, 2))])
    assert np.array_equal(longer["accept"][:, :26], one["accept"])  # a longer horizon keeps the first rounds


def test_large_arrays_are_reproducible_and_batch_independent_too():
    n = LARGE + 1
    alone = draw_streams([11], "talks", [("perturb", "normal", (n,))])["perturb"][0]
    batch = draw_streams([5, 11, 17], "talks", [("perturb", "normal", (n,))])["perturb"][1]
    assert np.array_equal(alone, batch)


def test_uniforms_and_normals_look_like_their_distributions():
    u = uniforms(np.arange(400), "x", 250).ravel()
    z = normals(np.arange(400), "y", 250).ravel()
    assert stats.kstest(u, "uniform").pvalue > 0.001
    assert stats.kstest(z, "norm").pvalue > 0.001
    assert abs(np.corrcoef(u[:-1], u[1:])[0, 1]) < 0.01
    other = uniforms(np.arange(400), "x2", 250).ravel()
    assert abs(np.corrcoef(u, other)[0, 1]) < 0.01

"""Random streams: reproducible, batch-independent, keyed by meaning, statistically sound.

The model's draws are pure functions of (run seed, stream name, place in the stream). These tests
state what follows for a scenario that changes: a new council member, a longer horizon, more
candidates or perturbations add streams or places, and leave every other stream's draws as they were.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from sim import Scenario, load_scenario
from sim.model import NegotiationModel
from sim.streams import PER_ROUND, RunStreams, normals, run_seed, uniforms

SEEDS = [run_seed(3, i) for i in range(4)]


@pytest.fixture(scope="module")
def baseline() -> Scenario:
    from conftest import BASELINE

    return load_scenario(BASELINE)


def test_a_runs_numbers_do_not_depend_on_its_batch():
    alone = uniforms([run_seed(1, 7)], "talks:accept:a", 50)[0]
    batch = uniforms([run_seed(1, i) for i in range(20)], "talks:accept:a", 50)[7]
    assert np.array_equal(alone, batch)


def test_a_longer_stream_keeps_its_first_places_and_more_draws_per_round_keep_the_first_ones():
    short, long_ = RunStreams(SEEDS, 26), RunStreams(SEEDS, 60)
    assert np.array_equal(long_.uniform("front:noise")[:, :26], short.uniform("front:noise"))
    few, many = short.normal("talks:perturb:x", per_round=8), short.normal("talks:perturb:x", per_round=300)
    assert np.array_equal(many[:, :, :8], few)  # no switch of generator past 256 numbers either
    with pytest.raises(ValueError, match="draws per round"):
        short.uniform("x", per_round=PER_ROUND + 1)


def test_streams_by_id_are_separate_and_stack_in_order():
    streams = RunStreams(SEEDS, 10)
    two = streams.uniform_by("council:veto", ["hungary", "slovakia"])
    three = streams.uniform_by("council:veto", ["austria", "hungary", "slovakia"])
    assert np.array_equal(three[..., 1:], two)
    assert streams.uniform_by("council:veto", []).shape == (len(SEEDS), 10, 0)


def test_uniforms_and_normals_look_like_their_distributions():
    u = uniforms(np.arange(400), "x", 250).ravel()
    z = normals(np.arange(400), "y", 250).ravel()
    assert stats.kstest(u, "uniform").pvalue > 0.001
    assert stats.kstest(z, "norm").pvalue > 0.001
    assert np.isfinite(z).all()
    assert abs(np.corrcoef(u[:-1], u[1:])[0, 1]) < 0.01
    other = uniforms(np.arange(400), "x2", 250).ravel()
    assert abs(np.corrcoef(u, other)[0, 1]) < 0.01


def _draws(model: NegotiationModel) -> dict[str, np.ndarray]:
    """Every stream the model asked for, re-drawn by name, and its drawn parameters."""
    streams, out = model.streams, {}
    for name, kind, per_round in list(streams.requests):  # re-drawing adds requests
        out[name] = streams.once(name) if kind == "once" else getattr(streams, kind)(name, per_round)
    out.update({f"param:{k}": v for k, v in model.params.drawn.items()})
    return out


def _assert_unchanged(base: NegotiationModel, variant: NegotiationModel, changed: set[str] = frozenset()) -> int:
    before, after = _draws(base), _draws(variant)
    checked = 0
    for name, values in before.items():
        if name in changed:
            continue
        assert name in after, f"stream {name} is gone"
        other = after[name]
        if values.ndim >= 2 and other.shape[1] != values.shape[1]:
            other = other[:, : values.shape[1]]  # a longer horizon adds places at the end only
        assert np.array_equal(values, other), f"stream {name} changed"
        checked += 1
    return checked


def test_adding_a_council_member_leaves_every_other_stream_unchanged(baseline):
    data = baseline.data
    council = next(iter(data["institutions"]["councils"]))
    members = list(data["institutions"]["councils"][council]["members"])
    measure = next(iter(data["institutions"]["councils"][council]["measures"]))
    blocker = next(iter(data["actors"].values()))
    added = {"name": "Newcomer", "roles": ["member"], "position": blocker["position"],
             "salience": blocker["salience"], "member": {"votes_against": [measure], "against_probability": 0.5}}
    variant = baseline.with_overrides({"actors.newcomer": added,
                                       f"institutions.councils.{council}.members": [*members, "newcomer"]})
    base_model = NegotiationModel(baseline, seeds=SEEDS)
    new_model = NegotiationModel(variant, seeds=SEEDS)
    assert _assert_unchanged(base_model, new_model) > 20
    assert any(name == "council:veto:newcomer" for name, _, _ in new_model.streams.requests)


@pytest.mark.parametrize("override", [{"horizon.rounds": 60}, {"institutions.talks.candidates": 256},
                                      {"institutions.talks.perturbations": 64}])
def test_a_longer_horizon_or_a_wider_search_leaves_every_other_stream_unchanged(baseline, override):
    changed = {n for n, _, _ in NegotiationModel(baseline, seeds=SEEDS).streams.requests if "perturb" in n} \
        if "institutions.talks.perturbations" in override else set()
    base_model = NegotiationModel(baseline, seeds=SEEDS)
    variant = NegotiationModel(baseline.with_overrides(override), seeds=SEEDS)
    assert _assert_unchanged(base_model, variant, changed) > 20
    if changed:  # more perturbations keep the first ones
        for name in changed:
            first = base_model.streams.normal(name, 32)
            assert np.array_equal(variant.streams.normal(name, 64)[:, :, :32], first)

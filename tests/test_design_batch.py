"""Design points simulated in one batch give each point the records it has alone.

Every numeric parameter that ``--all-params`` varies is set to the two ends of its range, and all
those points share one batch: no number may be read from the scenario where the points differ
(the batch would refuse), and every point's records must equal those of its own model.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim import load_scenario
from sim.chunks import plan_chunks, run_chunk
from sim.factors import all_factors
from sim.model import NegotiationModel
from sim.model.design_batch import VariesAcrossPoints, batch_params
from sim.streams import run_seed

ROOT = Path(__file__).resolve().parent.parent
#: Short runs: the test is about which numbers the model reads from where, not about the outcomes.
SHORT = {"horizon.rounds": 12, "durability.window_years": 0.3}


def _records(scenario, seeds):
    model = NegotiationModel(scenario, seeds=seeds, log_events=False)
    model.run()
    return model.records()


@pytest.mark.parametrize("name", ["scenarios/baseline.yaml", "tests/every_section.yaml"])
def test_every_numeric_parameter_can_differ_within_a_batch(name):
    base = load_scenario(ROOT / name).with_overrides(SHORT)
    # A design fixes every factor at each point (a drawn one at a value from its distribution); here
    # the drawn ones are fixed at the middle of their range, and each point moves one factor to an end.
    middles = {}
    for factor in all_factors(base, spread=0.1):
        if factor.source == "distribution":
            low, high = factor.dist.bounds
            middles[factor.path] = round((low + high) / 2) if factor.dist.integer else (low + high) / 2
    base = base.with_overrides(middles)
    factors = all_factors(base, spread=0.1)
    points, labels = [], []
    for factor in factors:
        for end in factor.dist.bounds:
            points.append(base.with_overrides({factor.path: int(end) if factor.dist.integer else float(end)}))
            labels.append(f"{factor.path}={end}")
    assert len(points) > 60
    ends = [base.with_overrides({f.path: int(f.dist.bounds[e]) if f.dist.integer else float(f.dist.bounds[e])
                                 for f in factors}) for e in (0, 1)]
    seeds = [run_seed(5, i) for i in range(3)]
    n = len(seeds)
    # Each point's records must not depend on the batch it is in. The two batches hold every point,
    # in opposite orders, after a first point with every factor at its low end in one and at its
    # high end in the other: a number read from the batch's first run, or from all its runs, would
    # differ between them. A spread of points is also compared with its own model.
    first = _runs(_batched([ends[1], *points], seeds), n)[1:]
    second = _runs(_batched([ends[0], *points[::-1]], seeds), n)[1:][::-1]
    alone = {k: _records(points[k], seeds) for k in range(0, len(points), max(len(points) // 12, 1))}
    for k, label in enumerate(labels):
        for batch, other in (("reversed", second[k]), ("alone", alone.get(k, {}))):
            for column, values in other.items():
                part = first[k][column]
                same = np.array_equal(part, values) if values.dtype == object else np.array_equal(part, values,
                                                                                                   equal_nan=True)
                assert same, f"{label}: column {column} differs between one batch and the {batch} one"


def _runs(columns, n):
    """Each point's record columns (``n`` runs a point), from a batch's."""
    points = len(next(iter(columns.values()))) // n
    return [{c: v[i * n:(i + 1) * n] for c, v in columns.items()} for i in range(points)]


def _batched(points, seeds):
    batch = batch_params(points, [seeds] * len(points))
    assert batch is not None
    try:
        model = NegotiationModel(batch[0], seeds=seeds * len(points), log_events=False, params=batch[1])
        model.run()
    except VariesAcrossPoints as exc:  # pragma: no cover - the failure message is the point
        pytest.fail(f"a number is read from the scenario, not per run: {exc}")
    return model.records()


def test_a_chunk_of_points_gives_the_table_of_the_points_one_by_one():
    base = load_scenario(ROOT / "scenarios" / "baseline.yaml").with_overrides(SHORT)
    values = [0.2, 0.5, 0.8]
    points = [base.with_overrides({"actors.united_states.backer.backstop": v}) for v in values]
    extras = [{"point": k, "backstop": v} for k, v in enumerate(values)]
    table = run_chunk(tuple(points), 3, 0, 5, tuple(extras))
    one_by_one = pd.concat([run_chunk(p, 3, 0, 5, e) for p, e in zip(points, extras, strict=True)],
                           ignore_index=True)
    pd.testing.assert_frame_equal(table, one_by_one)
    assert list(table.columns[:5]) == ["scenario", "run", "seed", "point", "backstop"]


def test_points_that_differ_in_more_than_numbers_are_simulated_apart():
    base = load_scenario(ROOT / "scenarios" / "baseline.yaml").with_overrides(SHORT)
    other = base.with_overrides({"institutions.talks.mediators_know_resolve": True})
    assert batch_params([base, other], [[1], [1]]) is None
    table = run_chunk((base, other), 3, 0, 4, ({"p": 0}, {"p": 1}))
    alone = pd.concat([run_chunk(base, 3, 0, 4, {"p": 0}), run_chunk(other, 3, 0, 4, {"p": 1})], ignore_index=True)
    pd.testing.assert_frame_equal(table, alone)


def test_a_number_read_from_the_scenario_refuses_the_batch_and_the_points_run_apart():
    # The belief grid's size is read from the scenario (it shapes arrays): points that differ in it
    # cannot share a batch, and run apart with the same table.
    base = load_scenario(ROOT / "scenarios" / "baseline.yaml").with_overrides(SHORT)
    low, high = (base.with_overrides({"institutions.talks.belief_grid": v}) for v in (16, 32))
    spec = batch_params([low, high], [[1], [1]])[0].spec
    with pytest.raises(VariesAcrossPoints, match=r"institutions\.talks\.belief_grid"):
        int(spec.institutions.talks.belief_grid)
    assert bool(spec.institutions.talks.belief_grid > 8)  # an answer every point shares is given
    table = run_chunk((low, high), 3, 0, 4, ({"grid": 16}, {"grid": 32}))
    alone = pd.concat([run_chunk(low, 3, 0, 4, {"grid": 16}), run_chunk(high, 3, 0, 4, {"grid": 32})],
                      ignore_index=True)
    pd.testing.assert_frame_equal(table, alone)


def test_points_with_fewer_runs_than_a_chunk_share_chunks_in_order():
    chunks = plan_chunks(10, 25, 7)
    assert [(c.point, c.points, c.start, c.stop) for c in chunks] == [(0, 2, 0, 10), (2, 2, 0, 10),
                                                                       (4, 2, 0, 10), (6, 1, 0, 10)]
    assert sum(c.size for c in chunks) == 70
    assert [(c.point, c.start, c.stop) for c in plan_chunks(30, 25, 2)] == [(0, 0, 25), (0, 25, 30), (1, 0, 25),
                                                                            (1, 25, 30)]

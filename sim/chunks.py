"""Chunks of an experiment: design points, runs split into chunks, and the task that simulates one chunk.

Run *i* of an experiment with master seed *S* always has the seed ``run_seed(S, i)``, and a run's record
depends only on its seed, so a chunk's table is the same wherever it is simulated.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .model import NegotiationModel
from .model.design_batch import VariesAcrossPoints, batch_params
from .record import records_frame
from .scenario import Scenario
from .streams import run_seed

__all__ = ["MAX_BATCH", "MAX_RETRIES", "Chunk", "Point", "Task", "batch_size", "plan_chunks", "run_chunk"]

#: Most runs simulated as one batch (:func:`batch_size`, for any chunking the caller leaves to the
#: experiment). A round costs a fixed part (Python work whatever the number of runs still talking)
#: and a part per run, and a batch keeps stepping until its last run ends, so fewer, larger batches
#: pay the fixed part fewer times: 1,000 baseline runs in one process took 5.5-5.7 s of process time
#: as one batch against 6.3-6.9 s as two of 500 (the first model, whose rounds were all arrays,
#: gained nothing). The cap keeps memory flat in runs and bounds what an interruption loses (a
#: result folder's unfinished chunks).
MAX_BATCH = 1000
#: Times a chunk whose worker died is run again before the experiment gives up.
MAX_RETRIES = 3


@dataclass(frozen=True)
class Point:
    """One design point of an experiment: a scenario and the values that made it (for a sweep)."""

    scenario: Scenario
    values: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Chunk:
    """Runs ``start`` (inclusive) to ``stop`` (exclusive) of design points ``point`` to
    ``point + points - 1``; ``index`` names its file. Its table is ordered by point, then run."""

    index: int
    start: int
    stop: int
    point: int = 0
    points: int = 1

    @property
    def size(self) -> int:
        """Number of runs in the chunk (over all its points)."""
        return (self.stop - self.start) * self.points


def batch_size(runs: int, points: int = 1, workers: int = 1) -> int:
    """Runs a chunk when the caller names no size: every worker gets a share of the ``runs`` runs of
    each of ``points`` points, in as few chunks as :data:`MAX_BATCH` allows."""
    return max(1, min(MAX_BATCH, -(-runs * points // max(workers, 1))))


def plan_chunks(runs: int, chunk_size: int = MAX_BATCH, points: int = 1) -> list[Chunk]:
    """Split ``runs`` runs of each of ``points`` design points into chunks of about ``chunk_size`` runs:
    a point's runs in consecutive chunks, or, when a point has fewer runs than a chunk, several
    consecutive points in one chunk (simulated as one batch, see :func:`run_chunk`)."""
    if runs < 1:
        raise ValueError("runs must be at least 1")
    if chunk_size < 1:
        raise ValueError("chunk_size must be at least 1")
    if runs < chunk_size and points > 1:
        together = chunk_size // runs
        return [Chunk(k, 0, runs, p, min(together, points - p)) for k, p in enumerate(range(0, points, together))]
    starts = range(0, runs, chunk_size)
    return [Chunk(p * len(starts) + k, a, min(a + chunk_size, runs), p)
            for p in range(points) for k, a in enumerate(starts)]


def run_chunk(scenario: Scenario | Sequence[Scenario], master_seed: int, start: int, stop: int,
              extra: dict[str, Any] | Sequence[dict[str, Any] | None] | None = None) -> pd.DataFrame:
    """Simulate runs ``start..stop-1`` of an experiment as one batch; one row per run.

    Top-level and picklable, so that process pools and Dask workers can call it. ``extra``
    columns (e.g. swept values) are added to every row. Given several scenarios (design points)
    and one ``extra`` for each, the runs of every point are simulated in one batch when the points
    differ only in numbers the model reads per run (:mod:`sim.model.design_batch`), else one batch
    per point; the table is ordered by point, then run, and is the same either way.
    """
    runs = range(start, stop)
    seeds = [run_seed(master_seed, i) for i in runs]
    if isinstance(scenario, Scenario):
        model = NegotiationModel(scenario, seeds=seeds, log_events=False)
        model.run()
        return _frame([scenario.name], runs, seeds, model.records(), [extra])
    points = list(scenario)
    extras = list(extra) if extra is not None else [None] * len(points)
    batch = batch_params(points, [seeds] * len(points)) if len(points) > 1 else None
    if batch is not None:
        try:
            model = NegotiationModel(batch[0], seeds=seeds * len(points), log_events=False, params=batch[1])
            model.run()
            columns = model.records()
        except VariesAcrossPoints:
            batch = None
    if batch is None or len({tuple(e or ()) for e in extras}) > 1:
        # Apart (or with other extra columns at different points): a table each, joined.
        n = len(seeds)
        parts = ((_frame([s.name], runs, seeds, {c: v[k * n:(k + 1) * n] for c, v in columns.items()}, [e])
                  if batch is not None else run_chunk(s, master_seed, start, stop, e))
                 for k, (s, e) in enumerate(zip(points, extras, strict=True)))
        return pd.concat(list(parts), ignore_index=True)
    # One table for the whole batch: a table per point costs more than its runs (hundreds of columns).
    return _frame([s.name for s in points], runs, seeds, columns, extras)


def _frame(names: list[str], runs: range, seeds: list[int], columns: dict[str, Any],
           extras: list[dict[str, Any] | None]) -> pd.DataFrame:
    """The table of a batch holding the runs ``runs`` (seeds ``seeds``) of each point, point by point:
    its scenario name and its extra columns (the same keys at every point)."""
    per_point = len(runs)
    frame = records_frame(np.repeat(names, per_point), list(runs) * len(names), seeds * len(names), columns)
    if not extras[0]:
        return frame
    # The extra columns go after scenario, run and seed, built at once: inserted one by one, hundreds
    # of them (a design over every parameter) would fragment the table.
    added = pd.DataFrame({key: [e[key] for e in extras for _ in range(per_point)] for key in extras[0]},
                         index=frame.index)
    return pd.concat([frame.iloc[:, :3], added, frame.iloc[:, 3:]], axis=1)


#: A chunk task: ``task(scenario, master_seed, start, stop, extra)`` gives the chunk's table.
Task = Callable[[Scenario, int, int, int, "dict[str, Any] | None"], pd.DataFrame]
#: The arguments of the task for one chunk.
ChunkArgs = Callable[[Chunk], tuple[Any, ...]]

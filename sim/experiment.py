"""Running many replications: seeds per run, chunks, executors.

Run *i* of an experiment with master seed *S* always has the seed ``run_seed(S, i)`` (child *i* of
``SeedSequence(S).spawn``), and a run's record depends only on its seed, so a table is identical
whatever the chunking, the number of workers or the executor (serial, local process pool, Dask).

Executors are injected (:mod:`sim.executors`): ``workers=1`` runs in-process (the default of the
Python API, which is what notebooks want); ``workers>1`` uses a local process pool started with the
``spawn`` method; ``executor="dask"`` sends chunks to a Dask cluster (``scheduler=`` address, or a
local cluster). Chunks and the task that simulates one are in :mod:`sim.chunks`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol

import numpy as np
import pandas as pd

from .chunks import MAX_BATCH, MAX_RETRIES, Chunk, Point, Task, batch_size, plan_chunks, run_chunk
from .errors import EnvironmentFailure, ExperimentError
from .executors import Executor, iter_chunks
from .model import Event, NegotiationModel
from .record import records_frame
from .scenario import Scenario

__all__ = [
    "MAX_BATCH",
    "MAX_RETRIES",
    "Chunk",
    "EnvironmentFailure",
    "Executor",
    "ExperimentError",
    "Point",
    "Store",
    "Task",
    "batch_size",
    "explain_run",
    "iter_chunks",
    "plan_chunks",
    "run_chunk",
    "run_design",
    "run_many",
    "run_once",
    "run_points",
]


def run_once(scenario: Scenario, seed: int) -> dict[str, Any]:
    """One run from its own seed (as recorded in a results table): its record as a dict."""
    record, _ = explain_run(scenario, seed)
    return record


def explain_run(scenario: Scenario, seed: int) -> tuple[dict[str, Any], list[Event]]:
    """One run with its story: the record and the event log, in order of rounds."""
    model = NegotiationModel(scenario, seed=seed, log_events=True)
    model.run()
    frame = records_frame(scenario.name, [0], [seed], model.records())
    record = frame.iloc[0].to_dict()
    events = sorted(model.events, key=lambda e: e.round)
    return record, events


class Store(Protocol):
    """Where finished chunks go instead of memory (a result folder: :class:`sim.results.ResultFolder`)."""

    chunk_size: int
    """Runs per chunk of the experiment it holds (the chunks it plans must stay those)."""

    def pending(self, chunks: Sequence[Chunk]) -> list[Chunk]:
        """The chunks it does not hold yet."""

    def save(self, chunk: Chunk, table: pd.DataFrame) -> None:
        """Keep one finished chunk (before the next is simulated)."""

    def close(self, chunks: Sequence[Chunk], simulated_runs: int) -> None:
        """Every chunk is held: join them and mark the store complete."""


def _check_seed_and_runs(seed: object, runs: object) -> None:
    """The Python API refuses what the command line refuses: seeds are whole numbers in [0, 2**63)."""
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or not 0 <= int(seed) < 2**63:
        raise ValueError(f"seed must be a whole number from 0 to 2**63 - 1, got {seed!r}")
    if isinstance(runs, bool) or not isinstance(runs, int | np.integer) or int(runs) < 1:
        raise ValueError(f"runs must be a whole number of at least 1, got {runs!r}")


def run_design(points: Scenario | Sequence[Point], *, runs: int, seed: int = 0, executor: Executor | None = None,
               store: Store | None = None, progress: Callable[[int, int], None] | None = None,
               chunk_size: int | None = None) -> pd.DataFrame | None:
    """Simulate ``runs`` runs of every design point: the one way every command runs simulations.

    Run *i* has the seed ``run_seed(seed, i)`` at every point (common random numbers), whatever the
    executor and the chunking.

    Args:
        points: Design points (or one scenario).
        runs: Runs per point.
        seed: Master seed.
        executor: Where chunks run (default: in this process).
        store: Where finished chunks go (a result folder); chunks it already holds are not run again.
        progress: Called with (runs done, runs) as chunks finish.
        chunk_size: Runs simulated together in one batch. None: the ``store``'s (whose chunks must be
            planned the same way on resume), else :func:`sim.chunks.batch_size` for the executor's workers.

    Returns:
        The tidy table ordered by point, then run; None with a ``store`` (read the runs from it).

    Examples:
        >>> table = run_design([Point(load_scenario("scenarios/baseline.yaml"))], runs=100, seed=1)  # doctest: +SKIP
    """
    _check_seed_and_runs(seed, runs)
    points = [Point(points)] if isinstance(points, Scenario) else list(points)
    executor = executor or Executor()
    if chunk_size is None:
        chunk_size = store.chunk_size if store is not None else batch_size(runs, len(points), executor.workers)
    chunks = plan_chunks(runs, chunk_size, len(points))
    todo = store.pending(chunks) if store is not None else chunks
    total = runs * len(points)
    done = total - sum(c.size for c in todo)
    if progress and store is not None:
        progress(done, total)
    frames: dict[int, pd.DataFrame] = {}
    for chunk, table in executor.map(points, seed, todo):
        if store is not None:
            store.save(chunk, table)
        else:
            frames[chunk.index] = table
        done += chunk.size
        if progress:
            progress(done, total)
    if store is not None:
        store.close(chunks, sum(c.size for c in todo))
        return None
    return pd.concat([frames[k] for k in sorted(frames)], ignore_index=True)


def run_many(scenario: Scenario, *, runs: int, seed: int = 0, workers: int = 1, executor: str = "local",
             scheduler: str | None = None, chunk_size: int | None = None,
             progress: Callable[[int, int], None] | None = None, connect_timeout: float | None = None,
             no_workers_timeout: float | None = None) -> pd.DataFrame:
    """Simulate ``runs`` replications of a scenario; one row per run, ordered by run.

    Args:
        scenario: The scenario.
        runs: Number of runs.
        seed: Master seed; run *i* uses ``run_seed(seed, i)`` whatever the executor.
        workers: Processes (1: in this process, the default, safe in notebooks).
        executor: ``"local"`` or ``"dask"``.
        scheduler: Dask scheduler address (``tcp://host:port``); a local cluster if omitted.
        chunk_size: Runs simulated together in one batch (None: as many as the workers can share, up to
            :data:`sim.chunks.MAX_BATCH`; the table is the same for any size).
        progress: Called with (runs done, runs) as chunks finish.
        connect_timeout: Dask: seconds to reach the scheduler (default 10, see :mod:`sim.deadlines`).
        no_workers_timeout: Dask: seconds the cluster may have no worker (default 60).

    From a script, ``workers>1`` (and a local Dask cluster) must be started under
    ``if __name__ == "__main__":``, since worker processes re-import the script; without the guard
    this raises :class:`ExperimentError`.

    Examples:
        >>> table = run_many(load_scenario("scenarios/baseline.yaml"), runs=200, seed=1)  # doctest: +SKIP
        >>> table.outcome.value_counts(normalize=True)  # doctest: +SKIP
    """
    return run_points([Point(scenario)], runs=runs, seed=seed, workers=workers, executor=executor,
                      scheduler=scheduler, chunk_size=chunk_size, progress=progress,
                      connect_timeout=connect_timeout, no_workers_timeout=no_workers_timeout)


def run_points(points: Sequence[Point], *, runs: int, seed: int = 0, workers: int = 1, executor: str = "local",
               scheduler: str | None = None, chunk_size: int | None = None,
               progress: Callable[[int, int], None] | None = None, connect_timeout: float | None = None,
               no_workers_timeout: float | None = None) -> pd.DataFrame:
    """Simulate ``runs`` runs of every design point; one tidy table ordered by point, then run.

    Run *i* has the same seed at every point (common random numbers), so differences between
    points are paired. The arguments are those of :func:`run_many`.
    """
    where = Executor(executor, workers, scheduler)
    if connect_timeout is not None or no_workers_timeout is not None:
        where = Executor(executor, workers, scheduler, connect_timeout or where.connect_timeout,
                         no_workers_timeout or where.no_workers_timeout)
    table = run_design(points, runs=runs, seed=seed, executor=where, progress=progress, chunk_size=chunk_size)
    assert table is not None
    return table

"""Running many replications: seeds per run, chunks, executors.

Run *i* of an experiment with master seed *S* always has the seed ``run_seed(S, i)`` (child *i* of
``SeedSequence(S).spawn``), and a run's record depends only on its seed, so a table is identical
whatever the chunking, the number of workers or the executor (serial, local process pool, Dask).

Executors are injected: ``workers=1`` runs in-process (the default of the Python API, which is what
notebooks want); ``workers>1`` uses a local process pool started with the ``spawn`` method;
``executor="dask"`` sends chunks to a Dask cluster (``scheduler=`` address, or a local cluster).
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import uuid
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Any, Protocol

import pandas as pd

from .errors import ExperimentError
from .model import Event, NegotiationModel
from .record import records_frame
from .scenario import Scenario
from .streams import run_seed

__all__ = [
    "DEFAULT_CHUNK",
    "Chunk",
    "Executor",
    "ExperimentError",
    "Point",
    "Store",
    "explain_run",
    "iter_chunks",
    "plan_chunks",
    "run_chunk",
    "run_design",
    "run_many",
    "run_once",
    "run_points",
]

#: Runs per chunk: large enough for the batched model to be efficient, small enough that an
#: interrupted experiment loses little and memory stays flat.
DEFAULT_CHUNK = 500
MAX_RETRIES = 3


@dataclass(frozen=True)
class Point:
    """One design point of an experiment: a scenario and the values that made it (for a sweep)."""

    scenario: Scenario
    values: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Chunk:
    """Runs ``start`` (inclusive) to ``stop`` (exclusive) of design point ``point``; ``index`` names its file."""

    index: int
    start: int
    stop: int
    point: int = 0

    @property
    def size(self) -> int:
        """Number of runs in the chunk."""
        return self.stop - self.start


def plan_chunks(runs: int, chunk_size: int = DEFAULT_CHUNK, points: int = 1) -> list[Chunk]:
    """Split ``runs`` runs of each of ``points`` design points into consecutive chunks."""
    if runs < 1:
        raise ValueError("runs must be at least 1")
    if chunk_size < 1:
        raise ValueError("chunk_size must be at least 1")
    starts = range(0, runs, chunk_size)
    return [Chunk(p * len(starts) + k, a, min(a + chunk_size, runs), p)
            for p in range(points) for k, a in enumerate(starts)]


def run_chunk(scenario: Scenario, master_seed: int, start: int, stop: int,
              extra: dict[str, Any] | None = None) -> pd.DataFrame:
    """Simulate runs ``start..stop-1`` of an experiment as one batch; one row per run.

    Top-level and picklable, so that process pools and Dask workers can call it. ``extra``
    columns (e.g. swept values) are added to every row.
    """
    runs = range(start, stop)
    seeds = [run_seed(master_seed, i) for i in runs]
    model = NegotiationModel(scenario, seeds=seeds, log_events=False)
    model.run()
    frame = records_frame(scenario.name, runs, seeds, model.records())
    for k, (key, value) in enumerate((extra or {}).items()):
        frame.insert(3 + k, key, value)
    return frame


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


def _check_spawnable() -> None:
    """Spawned workers re-import the main program; a program read from stdin cannot be re-imported."""
    main = sys.modules.get("__main__")
    path = getattr(main, "__file__", None)
    if path is not None and not os.path.exists(path):
        raise ExperimentError(f"worker processes cannot restart this program ({path} is not a file): "
                              "run it from a script file or notebook, or use workers=1")


def _spawn_pool(workers: int) -> ProcessPoolExecutor:
    # Mesa switches the global start method to "spawn"; we ask for it explicitly so that the pool
    # behaves the same whether or not Mesa was imported first, and never forks a threaded parent.
    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"))


Task = Callable[[Scenario, int, int, int, "dict[str, Any] | None"], pd.DataFrame]


def iter_chunks(points: Scenario | Sequence[Point], master_seed: int, chunks: Sequence[Chunk], *,
                workers: int = 1, executor: str = "local", scheduler: str | None = None,
                task: Task = run_chunk) -> Iterator[tuple[Chunk, pd.DataFrame]]:
    """Yield ``(chunk, table)`` for every chunk as it finishes (in any order).

    A chunk whose worker process dies is run again (up to three times) in a new pool; the
    experiment neither hangs nor loses finished chunks. ``task`` (top-level, picklable) simulates
    one chunk; tests inject a faulty one.
    """
    if isinstance(points, Scenario):
        points = [Point(points)]

    def args(chunk: Chunk) -> tuple[Any, ...]:
        point = points[chunk.point]
        return (point.scenario, master_seed, chunk.start, chunk.stop, point.values or None)

    if executor == "dask":
        yield from _iter_dask(args, chunks, scheduler, workers, task)
        return
    if executor != "local":
        raise ExperimentError(f"unknown executor {executor!r} (expected local or dask)")
    if workers <= 1 or len(chunks) == 1:
        for chunk in chunks:
            yield chunk, task(*args(chunk))
        return
    _check_spawnable()
    pending = list(chunks)
    retries = dict.fromkeys((c.index for c in chunks), 0)
    while pending:
        pool = _spawn_pool(workers)
        in_flight: dict[Future[pd.DataFrame], Chunk] = {}
        broken = False
        try:
            while pending or in_flight:
                # A bounded window keeps memory flat: at most two chunks per worker in flight.
                while pending and len(in_flight) < 2 * workers:
                    chunk = pending.pop(0)
                    in_flight[pool.submit(task, *args(chunk))] = chunk
                done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
                for future in done:
                    chunk = in_flight.pop(future)
                    try:
                        table = future.result()
                    except BrokenProcessPool:
                        retries[chunk.index] += 1
                        if retries[chunk.index] > MAX_RETRIES:
                            raise ExperimentError(
                                f"a worker died {MAX_RETRIES} times running runs {chunk.start}-{chunk.stop - 1}") from None
                        pending.insert(0, chunk)
                        broken = True
                        continue
                    yield chunk, table
                if broken:
                    # The pool is unusable: put back what was in flight and start a new one.
                    pending = list(in_flight.values()) + pending
                    in_flight.clear()
                    break
        finally:
            pool.shutdown(wait=not broken, cancel_futures=True)


def _iter_dask(args: Callable[[Chunk], tuple[Any, ...]], chunks: Sequence[Chunk], scheduler: str | None,
               workers: int, task: Task) -> Iterator[tuple[Chunk, pd.DataFrame]]:
    try:
        from dask.distributed import Client, LocalCluster, as_completed
    except ImportError:
        raise ExperimentError("the dask executor needs dask[distributed]: pip install 'ceasefire-sim[dask]'") from None
    cluster = None
    try:
        if scheduler:
            try:
                client = Client(scheduler, timeout="10s")
            except (OSError, TimeoutError) as exc:
                raise ExperimentError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
        else:
            cluster = LocalCluster(n_workers=max(workers, 1), threads_per_worker=1, processes=True,
                                   dashboard_address=None)
            client = Client(cluster)
        with client:
            # Dask retries a chunk whose worker dies (and reschedules it elsewhere); keys are unique
            # per submission so that reruns of the same chunk never collide in the scheduler.
            futures = {client.submit(task, *args(c), key=f"chunk-{c.index}-{uuid.uuid4().hex}",
                                     retries=MAX_RETRIES, pure=False): c for c in chunks}
            for future in as_completed(futures):
                chunk = futures[future]
                yield chunk, future.result()
                future.release()
    finally:
        if cluster is not None:
            cluster.close()


@dataclass(frozen=True)
class Executor:
    """Where chunks are simulated: ``"local"`` (in this process for one worker, else a process pool)
    or ``"dask"`` (a cluster at ``scheduler``, or a local one)."""

    kind: str = "local"
    workers: int = 1
    scheduler: str | None = None

    def map(self, points: Sequence[Point], master_seed: int, chunks: Sequence[Chunk],
            task: Task = run_chunk) -> Iterator[tuple[Chunk, pd.DataFrame]]:
        """Yield ``(chunk, table)`` for every chunk as it finishes (in any order)."""
        return iter_chunks(points, master_seed, chunks, workers=self.workers, executor=self.kind,
                           scheduler=self.scheduler, task=task)


class Store(Protocol):
    """Where finished chunks go instead of memory (a result folder: :class:`sim.results.ResultFolder`)."""

    def pending(self, chunks: Sequence[Chunk]) -> list[Chunk]:
        """The chunks it does not hold yet."""

    def save(self, chunk: Chunk, table: pd.DataFrame) -> None:
        """Keep one finished chunk (before the next is simulated)."""

    def close(self, chunks: Sequence[Chunk], simulated_runs: int) -> None:
        """Every chunk is held: join them and mark the store complete."""


def run_design(points: Scenario | Sequence[Point], *, runs: int, seed: int = 0, executor: Executor | None = None,
               store: Store | None = None, progress: Callable[[int, int], None] | None = None,
               chunk_size: int = DEFAULT_CHUNK) -> pd.DataFrame | None:
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
        chunk_size: Runs simulated together in one batch.

    Returns:
        The tidy table ordered by point, then run; None with a ``store`` (read the runs from it).

    Examples:
        >>> table = run_design([Point(load_scenario("scenarios/baseline.yaml"))], runs=100, seed=1)  # doctest: +SKIP
    """
    points = [Point(points)] if isinstance(points, Scenario) else list(points)
    executor = executor or Executor()
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
             scheduler: str | None = None, chunk_size: int = DEFAULT_CHUNK,
             progress: Callable[[int, int], None] | None = None) -> pd.DataFrame:
    """Simulate ``runs`` replications of a scenario; one row per run, ordered by run.

    Args:
        scenario: The scenario.
        runs: Number of runs.
        seed: Master seed; run *i* uses ``run_seed(seed, i)`` whatever the executor.
        workers: Processes (1: in this process, the default, safe in notebooks).
        executor: ``"local"`` or ``"dask"``.
        scheduler: Dask scheduler address (``tcp://host:port``); a local cluster if omitted.
        chunk_size: Runs simulated together in one batch.
        progress: Called with (runs done, runs) as chunks finish.

    Examples:
        >>> table = run_many(load_scenario("scenarios/baseline.yaml"), runs=200, seed=1)  # doctest: +SKIP
        >>> table.outcome.value_counts(normalize=True)  # doctest: +SKIP
    """
    return run_points([Point(scenario)], runs=runs, seed=seed, workers=workers, executor=executor,
                      scheduler=scheduler, chunk_size=chunk_size, progress=progress)


def run_points(points: Sequence[Point], *, runs: int, seed: int = 0, workers: int = 1, executor: str = "local",
               scheduler: str | None = None, chunk_size: int = DEFAULT_CHUNK,
               progress: Callable[[int, int], None] | None = None) -> pd.DataFrame:
    """Simulate ``runs`` runs of every design point; one tidy table ordered by point, then run.

    Run *i* has the same seed at every point (common random numbers), so differences between
    points are paired.
    """
    table = run_design(points, runs=runs, seed=seed, executor=Executor(executor, workers, scheduler),
                       progress=progress, chunk_size=chunk_size)
    assert table is not None
    return table

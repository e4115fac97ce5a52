"""Where chunks are simulated: in this process, in a local process pool, or on a Dask cluster.

Executors are injected: ``workers=1`` runs in-process (the default of the Python API, which is what
notebooks want); ``workers>1`` uses a local process pool started with the ``spawn`` method
(:mod:`sim.local_pool`); ``executor="dask"`` sends chunks to a Dask cluster (``scheduler=`` address, or
a local cluster; :mod:`sim.dask_cluster`), under the deadlines of :mod:`sim.deadlines`. Run *i* has
the same seed everywhere, so the table does not depend on the executor.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from . import deadlines
from .chunks import Chunk, Point, Task, run_chunk
from .errors import ExperimentError
from .local_pool import check_guarded, iter_pool, refuse_unguarded_rerun
from .scenario import Scenario

__all__ = ["Executor", "iter_chunks"]


def iter_chunks(points: Scenario | Sequence[Point], master_seed: int, chunks: Sequence[Chunk], *,
                workers: int = 1, executor: str = "local", scheduler: str | None = None,
                task: Task = run_chunk, connect_timeout: float | None = None,
                no_workers_timeout: float | None = None) -> Iterator[tuple[Chunk, pd.DataFrame]]:
    """Yield ``(chunk, table)`` for every chunk as it finishes (in any order).

    A chunk whose worker process dies is run again (up to three times) in a new pool; the
    experiment neither hangs nor loses finished chunks. ``task`` (top-level, picklable) simulates
    one chunk; tests inject a faulty one. On Dask, ``connect_timeout`` bounds reaching the scheduler
    and ``no_workers_timeout`` the time without workers (seconds; None: :func:`sim.deadlines.current`).

    Raises:
        ExperimentError: a script re-run by a worker process (no ``__main__`` guard), or an unknown executor.
        EnvironmentFailure: the scheduler is out of reach or silent, the cluster has no workers, or
            worker processes cannot start or keep dying.
    """
    refuse_unguarded_rerun()
    if isinstance(points, Scenario):
        points = [Point(points)]

    def args(chunk: Chunk) -> tuple[Any, ...]:
        if chunk.points == 1:
            point = points[chunk.point]
            return (point.scenario, master_seed, chunk.start, chunk.stop, point.values or None)
        together = points[chunk.point:chunk.point + chunk.points]
        return (tuple(p.scenario for p in together), master_seed, chunk.start, chunk.stop,
                tuple(p.values or None for p in together))

    if executor == "dask":
        from .dask_cluster import iter_dask

        now = deadlines.current()
        limits = deadlines.Deadlines(now.connect if connect_timeout is None else connect_timeout,
                                     now.no_workers if no_workers_timeout is None else no_workers_timeout)
        yield from iter_dask(args, chunks, scheduler, workers, task, limits)
        return
    if executor != "local":
        raise ExperimentError(f"unknown executor {executor!r} (expected local or dask)")
    if workers > 1:
        check_guarded()  # even for one chunk: a script must not work with few runs and fail with many
    if workers <= 1 or len(chunks) == 1:
        for chunk in chunks:
            yield chunk, task(*args(chunk))
        return
    yield from iter_pool(args, chunks, workers, task)


def _connect_default() -> float:
    return deadlines.current().connect


def _no_workers_default() -> float:
    return deadlines.current().no_workers


@dataclass(frozen=True)
class Executor:
    """Where chunks are simulated: ``"local"`` (in this process for one worker, else a process pool)
    or ``"dask"`` (a cluster at ``scheduler``, or a local one).

    On Dask, ``connect_timeout`` seconds to reach the scheduler and hear its handshake, and
    ``no_workers_timeout`` seconds the cluster may have no worker while chunks wait; made without
    them, an executor takes the deadlines in force (:func:`sim.deadlines.deadlines`; by default 10 s
    and 60 s).
    """

    kind: str = "local"
    workers: int = 1
    scheduler: str | None = None
    connect_timeout: float = field(default_factory=_connect_default)
    no_workers_timeout: float = field(default_factory=_no_workers_default)

    def map(self, points: Sequence[Point], master_seed: int, chunks: Sequence[Chunk],
            task: Task = run_chunk) -> Iterator[tuple[Chunk, pd.DataFrame]]:
        """Yield ``(chunk, table)`` for every chunk as it finishes (in any order)."""
        return iter_chunks(points, master_seed, chunks, workers=self.workers, executor=self.kind,
                           scheduler=self.scheduler, task=task, connect_timeout=self.connect_timeout,
                           no_workers_timeout=self.no_workers_timeout)

"""The Dask executor: chunks on a cluster (at a scheduler's address, or a local one), with deadlines.

Dask alone can wait forever in two places: its ``connect`` awaits the scheduler's handshake with no
deadline (so an address that accepts a TCP connection and never speaks hangs ``Client(...,
timeout=...)``), and chunks submitted to a cluster without workers simply wait. Here the handshake is
tried first in a thread of its own under ``asyncio.wait_for`` (the connect deadline), the client is made
under the same deadline, and while chunks are waiting the number of workers is watched: none for
longer than the no-workers deadline, and the experiment stops. Every such failure is one
:class:`~sim.errors.EnvironmentFailure` naming the address and what to do.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import pandas as pd

from .chunks import MAX_RETRIES, Chunk, ChunkArgs, Task
from .deadlines import Deadlines
from .errors import EnvironmentFailure
from .local_pool import check_guarded

__all__ = ["connect_client", "iter_dask"]

_POLL = 0.5  # seconds between looks at the cluster while chunks wait
_CANCELLED = (concurrent.futures.CancelledError, asyncio.CancelledError)
#: What a client that lost its scheduler raises: cancelled futures, or (as it fetches a result) a
#: closed connection (distributed's CommClosedError is an OSError).
_LOST = (*_CANCELLED, OSError)


def _distributed() -> Any:
    try:
        import distributed
    except ImportError:
        raise EnvironmentFailure("the dask executor needs dask[distributed]: pip install 'ceasefire-sim[dask]'") from None
    return distributed


def _reason(exc: BaseException) -> str:
    """What went wrong with a connection, in a few words, from the whole chain of causes."""
    chain = [exc]
    while (nxt := chain[-1].__cause__ or chain[-1].__context__) is not None and len(chain) < 20:
        chain.append(nxt)
    texts = " ".join(str(e) for e in chain).lower()
    if any(isinstance(e, ConnectionRefusedError) for e in chain) or "refused" in texts:
        return "connection refused"
    if "name or service not known" in texts or "nodename nor servname" in texts or "getaddrinfo" in texts:
        return "unknown host"
    if any(isinstance(e, TimeoutError | asyncio.CancelledError) for e in chain) or "timed out" in texts:
        return "no answer"
    text = str(chain[-1]) or str(exc)
    return text.splitlines()[0] if text else type(chain[-1]).__name__


def _in_thread(call: Callable[[], Any], seconds: float) -> tuple[bool, Any, BaseException | None]:
    """Run ``call`` in a daemon thread for at most ``seconds``: (finished, value, error)."""
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["value"] = call()
        except BaseException as exc:  # handed to the caller
            box["error"] = exc

    thread = threading.Thread(target=target, name="sim-dask-connect", daemon=True)
    thread.start()
    thread.join(seconds)
    return not thread.is_alive(), box.get("value"), box.get("error")


def _silent(address: str, seconds: float) -> EnvironmentFailure:
    return EnvironmentFailure(
        f"cannot reach the Dask scheduler at {address}: no Dask handshake within {seconds:g} s "
        "(--connect-timeout); check that the address is a running Dask scheduler's, not another service's")


def _unreachable(address: str, seconds: float, exc: BaseException) -> EnvironmentFailure:
    return EnvironmentFailure(
        f"cannot reach the Dask scheduler at {address} ({_reason(exc)}, tried for {seconds:g} s): check "
        "--scheduler and that the scheduler runs (dask scheduler), or raise --connect-timeout")


def _handshake(address: str, seconds: float) -> None:
    """Connect to ``address`` and hear its Dask handshake within ``seconds``, in an event loop of our own."""
    from distributed.comm import connect

    async def probe() -> None:
        # Dask's connect gives up on a refused or unanswered TCP connection after ``seconds`` (an
        # OSError); only the handshake, which it awaits with no deadline, can reach the margin.
        comm = await asyncio.wait_for(connect(address, timeout=seconds), seconds + 0.5)
        await comm.close()

    finished, _, error = _in_thread(lambda: asyncio.run(probe()), seconds + 3)
    if not finished or isinstance(error, asyncio.TimeoutError | TimeoutError):
        raise _silent(address, seconds)
    if isinstance(error, OSError):
        raise _unreachable(address, seconds, error)
    if isinstance(error, ValueError | TypeError):
        raise EnvironmentFailure(f"--scheduler {address}: not a Dask scheduler address ({_reason(error)}); "
                                 "give tcp://HOST:PORT") from None
    if error is not None:
        raise error


def connect_client(address: str, seconds: float) -> Any:
    """A :class:`distributed.Client` of the scheduler at ``address``, or a one-line failure within the deadline."""
    distributed = _distributed()
    _handshake(address, seconds)
    finished, client, error = _in_thread(
        lambda: distributed.Client(address, timeout=seconds), seconds + 2)
    if not finished:
        raise _silent(address, seconds)
    if isinstance(error, OSError | TimeoutError):
        raise _unreachable(address, seconds, error)
    if error is not None:
        raise error
    return client


def _local_client(workers: int) -> tuple[Any, Any]:
    distributed = _distributed()
    check_guarded()
    try:
        cluster = distributed.LocalCluster(n_workers=max(workers, 1), threads_per_worker=1, processes=True,
                                           dashboard_address=None)
    except (OSError, TimeoutError) as exc:
        raise EnvironmentFailure(f"cannot start a local Dask cluster ({_reason(exc)}): "
                                 "use --executor local, or give --scheduler") from None
    return cluster, distributed.Client(cluster)


def iter_dask(args: ChunkArgs, chunks: Sequence[Chunk], scheduler: str | None, workers: int, task: Task,
              limits: Deadlines) -> Iterator[tuple[Chunk, pd.DataFrame]]:
    """Yield ``(chunk, table)`` from a Dask cluster as chunks finish."""
    cluster = None
    if scheduler:
        client = connect_client(scheduler, limits.connect)
    else:
        cluster, client = _local_client(workers)
    where = f"the Dask scheduler at {scheduler}" if scheduler else "the local Dask cluster"
    failed = False
    try:
        yield from _gather(client, args, chunks, task, limits, where, scheduler or "ADDRESS")
    except EnvironmentFailure:
        failed = True
        raise
    finally:
        with _quiet(failed):
            client.close()
            if cluster is not None:
                cluster.close()


@contextmanager
def _quiet(quiet: bool) -> Iterator[None]:
    """Closing a client that lost its scheduler makes Dask log tracebacks; our one line has said it all."""
    loggers = [logging.getLogger(name) for name in ("distributed", "distributed.client", "distributed.utils")]
    levels = [logger.level for logger in loggers]
    for logger in loggers if quiet else ():
        logger.setLevel(logging.CRITICAL + 1)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


def _gather(client: Any, args: ChunkArgs, chunks: Sequence[Chunk], task: Task, limits: Deadlines,
            where: str, address: str) -> Iterator[tuple[Chunk, pd.DataFrame]]:
    from distributed import wait

    # Dask retries a chunk whose worker dies (and reschedules it elsewhere); keys are unique per
    # submission so that reruns of the same chunk never collide in the scheduler.
    futures = {client.submit(task, *args(c), key=f"chunk-{c.index}-{uuid.uuid4().hex}",
                             retries=MAX_RETRIES, pure=False): c for c in chunks}
    pending = set(futures)
    idle_since: float | None = None
    while pending:
        try:
            done, pending = wait(pending, timeout=_POLL, return_when="FIRST_COMPLETED")
        except TimeoutError:
            done = set()
        except _LOST:  # the client lost the scheduler and cancelled every future
            raise _lost(where) from None
        for future in done:
            yield futures[future], _result(future, futures[future], where)
            future.release()
        idle_since = _watch_workers(client, idle_since, limits.no_workers, where, address)


def _lost(where: str) -> EnvironmentFailure:
    return EnvironmentFailure(f"lost the connection to {where}: check that it still runs, then run again "
                              "(with --resume if you gave --out)")


def _result(future: Any, chunk: Chunk, where: str) -> pd.DataFrame:
    from distributed.scheduler import KilledWorker

    try:
        return future.result()
    except KilledWorker:
        raise EnvironmentFailure(f"{where}: workers died {MAX_RETRIES + 1} times running runs {chunk.start}-"
                                 f"{chunk.stop - 1}; check the workers' memory and logs") from None
    except _LOST:
        raise _lost(where) from None


def _watch_workers(client: Any, idle_since: float | None, deadline: float, where: str,
                   address: str) -> float | None:
    """When the cluster first had no worker (None while it has some); fail once that is too long ago."""
    if client.status in ("closing", "closed"):
        raise _lost(where)
    info = getattr(client, "_scheduler_identity", None) or {}
    n_workers = info.get("n_workers", len(info.get("workers", ())) if "workers" in info else None)
    if n_workers is None or n_workers > 0:
        return None
    now = time.monotonic()
    if idle_since is None:
        return now
    if now - idle_since > deadline:
        raise EnvironmentFailure(f"{where} has had no workers for {deadline:g} s (--no-workers-timeout): "
                                 f"start workers (dask worker {address}) or raise --no-workers-timeout")
    return idle_since

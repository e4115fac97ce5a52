"""How long the Dask executor waits before it gives up: to connect to a scheduler, and with no workers.

Light on purpose (no Dask, no Mesa): the command line reads the defaults for its help and sets the
deadlines of one command with :func:`deadlines`; an :class:`~sim.executors.Executor` made without
explicit deadlines takes the ones in force when it is made.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

__all__ = ["CONNECT_TIMEOUT", "NO_WORKERS_TIMEOUT", "Deadlines", "current", "deadlines"]

#: Seconds to reach a Dask scheduler and hear its handshake (``--connect-timeout``).
CONNECT_TIMEOUT = 10.0
#: Seconds a Dask cluster may have no worker while chunks wait (``--no-workers-timeout``).
NO_WORKERS_TIMEOUT = 60.0


@dataclass(frozen=True)
class Deadlines:
    """Seconds to connect to a Dask scheduler, and seconds a cluster may go without workers."""

    connect: float = CONNECT_TIMEOUT
    no_workers: float = NO_WORKERS_TIMEOUT


_DEFAULT = Deadlines()  # frozen, so one value serves every context
_CURRENT: ContextVar[Deadlines] = ContextVar("sim_deadlines", default=_DEFAULT)


def current() -> Deadlines:
    """The deadlines in force (the defaults, unless inside :func:`deadlines`)."""
    return _CURRENT.get()


@contextmanager
def deadlines(connect: float | None = None, no_workers: float | None = None) -> Iterator[Deadlines]:
    """Within the block, executors made without explicit deadlines use these (None keeps the one in force)."""
    now = _CURRENT.get()
    chosen = Deadlines(now.connect if connect is None else float(connect),
                       now.no_workers if no_workers is None else float(no_workers))
    token = _CURRENT.set(chosen)
    try:
        yield chosen
    finally:
        _CURRENT.reset(token)

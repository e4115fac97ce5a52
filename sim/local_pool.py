"""The local process pool: chunks in spawned worker processes that never outlive their parent.

Three guards around :class:`concurrent.futures.ProcessPoolExecutor`:

- a program read from stdin cannot be re-imported by spawned workers: refused before any starts;
- a script that starts parallel runs at its top level, outside ``if __name__ == "__main__":``, would
  start them again in every worker as the worker re-imports it: the parent finds the call outside
  the guard and refuses before any worker starts; should that check miss one, the worker notices,
  tells the parent (in the file named by :data:`REPORT_ENV`, made only then) and exits quietly, and
  the parent raises the same one-line :class:`~sim.errors.ExperimentError`;
- each worker watches its parent (the sentinel of :func:`multiprocessing.parent_process`, or
  ``os.getppid()``) and exits as soon as the parent is gone, killed with SIGKILL included.
"""

from __future__ import annotations

import ast
import multiprocessing
import os
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from multiprocessing.connection import wait as wait_for_any
from pathlib import Path

import pandas as pd

from .chunks import MAX_RETRIES, Chunk, ChunkArgs, Task
from .errors import EnvironmentFailure, ExperimentError

__all__ = ["REPORT_ENV", "check_guarded", "check_spawnable", "iter_pool", "refuse_unguarded_rerun"]

#: Environment variable naming the file in which a worker reports an unguarded script to its parent.
REPORT_ENV = "SIM_POOL_REPORT"
_EXIT_UNGUARDED = 79


def check_spawnable() -> None:
    """Spawned workers re-import the main program; a program read from stdin cannot be re-imported."""
    main = sys.modules.get("__main__")
    path = getattr(main, "__file__", None)
    if path is not None and not os.path.exists(path):
        raise EnvironmentFailure(f"worker processes cannot restart this program ({path} is not a file): "
                                 "run it from a script file or notebook, or use workers=1")


def _guards_main(node: ast.AST) -> bool:
    """Whether ``node`` is ``if __name__ == "__main__":`` (in any spelling that names both)."""
    if not isinstance(node, ast.If):
        return False
    parts = list(ast.walk(node.test))
    return (any(isinstance(n, ast.Name) and n.id == "__name__" for n in parts)
            and any(isinstance(n, ast.Constant) and n.value == "__main__" for n in parts))


def _inside_guard(path: str, line: int) -> bool:
    try:
        tree = ast.parse(Path(path).read_text(encoding="utf-8"))
    except (OSError, SyntaxError, ValueError, UnicodeDecodeError):
        return True  # cannot tell: trust the script
    return any(_guards_main(node) and node.body[0].lineno <= line <= node.body[-1].end_lineno
               for node in ast.walk(tree))


def check_guarded() -> None:
    """Refuse, before any worker starts, parallel runs started by the main script outside its guard.

    Spawned workers re-import the main script; code at its top level outside ``if __name__ ==
    "__main__":`` would run again in every worker.
    """
    main = sys.modules.get("__main__")
    spec = getattr(getattr(main, "__spec__", None), "name", None) or ""
    if spec == "__main__" or spec.endswith(".__main__"):
        return  # python -m package: multiprocessing does not re-run a package's __main__
    path = getattr(main, "__file__", None)
    if not path or not os.path.isfile(path):
        return  # a notebook, python -c, or a program from stdin (see check_spawnable)
    frame = sys._getframe(1)
    while frame is not None:
        if (frame.f_code.co_name == "<module>" and frame.f_globals.get("__name__") == "__main__"
                and os.path.realpath(frame.f_code.co_filename) == os.path.realpath(path)):
            if not _inside_guard(path, frame.f_lineno):
                raise ExperimentError(unguarded_message(path))
            return
        frame = frame.f_back


def _rerunning_main() -> str | None:
    """The script a spawned worker is re-importing while it calls us, if it is doing so.

    A spawned worker runs the parent's script as ``__mp_main__`` before it knows its parent
    (``multiprocessing.parent_process()`` is still None then), so the script's own frame tells.
    """
    frame = sys._getframe(1)
    while frame is not None:
        if frame.f_code.co_name == "<module>" and frame.f_globals.get("__name__") == "__mp_main__":
            return frame.f_globals.get("__file__") or "the main script"
        frame = frame.f_back
    return None


def unguarded_message(script: str, rerun: bool = False) -> str:
    """What to do about a script that starts parallel runs outside its ``__main__`` guard."""
    what = "and every worker process ran it again" if rerun else "where every worker process would run it again"
    return (f"{script} starts parallel runs at its top level, {what}: put that code under "
            "`if __name__ == \"__main__\":` (see the README, \"Parallel runs from a script\"), or use workers=1")


def refuse_unguarded_rerun() -> None:
    """Stop a worker that is re-running its parent's script from starting the experiment again.

    In a worker of our pool, the parent is told through the report file and the worker exits at once
    (no traceback); elsewhere, an :class:`ExperimentError` is raised.
    """
    script = _rerunning_main()
    if script is None:
        return
    report = os.environ.get(REPORT_ENV)
    if report:
        try:
            Path(report).write_text(unguarded_message(script, rerun=True), encoding="utf-8")
        finally:
            os._exit(_EXIT_UNGUARDED)
    raise ExperimentError(unguarded_message(script, rerun=True))


def _exit_with_parent() -> None:
    """Pool initializer: a daemon thread ends this worker as soon as its parent process is gone."""
    parent = multiprocessing.parent_process()
    sentinel = getattr(parent, "sentinel", None)
    ppid = os.getppid()

    def watch() -> None:
        if sentinel is not None:
            wait_for_any([sentinel])
        else:
            while os.getppid() == ppid:
                time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="sim-parent-watch", daemon=True).start()


def _spawn_pool(workers: int) -> ProcessPoolExecutor:
    # Mesa switches the global start method to "spawn"; we ask for it explicitly so that the pool
    # behaves the same whether or not Mesa was imported first, and never forks a threaded parent.
    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                               initializer=_exit_with_parent)


@contextmanager
def _report_file() -> Iterator[Path]:
    """A file the workers started inside the block can write to (see :func:`refuse_unguarded_rerun`)."""
    # Named, not made: only a worker that has something to report creates it, so a killed run leaves nothing.
    name = os.path.join(tempfile.gettempdir(), f"sim-pool-{os.getpid()}-{uuid.uuid4().hex}.txt")
    before = os.environ.get(REPORT_ENV)
    os.environ[REPORT_ENV] = name
    try:
        yield Path(name)
    finally:
        if before is None:
            os.environ.pop(REPORT_ENV, None)
        else:
            os.environ[REPORT_ENV] = before
        Path(name).unlink(missing_ok=True)


def iter_pool(args: ChunkArgs, chunks: Sequence[Chunk], workers: int,
              task: Task) -> Iterator[tuple[Chunk, pd.DataFrame]]:
    """Yield ``(chunk, table)`` from a pool of ``workers`` processes, retrying chunks whose worker died."""
    check_spawnable()  # the __main__ guard is checked by the caller, iter_chunks, for any workers > 1
    pending = list(chunks)
    retries = dict.fromkeys((c.index for c in chunks), 0)
    with _report_file() as report:
        while pending:
            pool = _spawn_pool(workers)
            broken = False
            try:
                for chunk, table in _until_broken(pool, args, pending, workers, task):
                    if table is None:
                        broken = True
                        _count_retry(chunk, retries, report)
                    else:
                        yield chunk, table
            finally:
                pool.shutdown(wait=not broken, cancel_futures=True)


def _count_retry(chunk: Chunk, retries: dict[int, int], report: Path) -> None:
    if report.exists() and (message := report.read_text(encoding="utf-8").strip()):
        raise ExperimentError(message)
    retries[chunk.index] += 1
    if retries[chunk.index] > MAX_RETRIES:
        raise EnvironmentFailure(f"a worker process died {MAX_RETRIES} times running runs {chunk.start}-"
                                 f"{chunk.stop - 1}: check the machine's memory (or use fewer --workers)")


def _until_broken(pool: ProcessPoolExecutor, args: ChunkArgs, pending: list[Chunk], workers: int,
                  task: Task) -> Iterator[tuple[Chunk, pd.DataFrame | None]]:
    """Run ``pending`` (taking chunks out as they are submitted) until done or the pool breaks.

    A chunk whose worker died comes out with ``None``; when the pool breaks, what was in flight is put
    back at the front of ``pending`` for the next pool.
    """
    in_flight: dict[Future[pd.DataFrame], Chunk] = {}
    while pending or in_flight:
        # A bounded window keeps memory flat: at most two chunks per worker in flight.
        while pending and len(in_flight) < 2 * workers:
            chunk = pending.pop(0)
            in_flight[pool.submit(task, *args(chunk))] = chunk
        done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
        broken = False
        for future in done:
            chunk = in_flight.pop(future)
            try:
                table = future.result()
            except BrokenProcessPool:
                pending.insert(0, chunk)
                broken = True
                yield chunk, None
                continue
            yield chunk, table
        if broken:
            # The pool is unusable: put back what was in flight and start a new one.
            pending[:0] = list(in_flight.values())
            return

"""A writer process for the two-writer race: it runs ``sim run --out`` in itself, job after job.

Started once (``spawn``) and fed jobs through a pipe, so that a trial costs its runs, not an
interpreter's start.
"""

from __future__ import annotations

import contextlib
import io
import time


def write(argv: list[str], start_at: float) -> tuple[int, str]:
    """Wait until ``start_at`` (time.time()), run ``sim ARGV`` in this process: (exit code, stderr)."""
    from sim.cli import main

    time.sleep(max(0.0, start_at - time.time()))
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(argv)
    return code, err.getvalue()


def serve(conn) -> None:
    """Run the jobs ``(argv, start_at)`` received on ``conn`` until ``None``; send back each result."""
    # Imported before the first job, so that every job starts alike.
    import sim.cli
    import sim.experiment
    import sim.results  # noqa: F401

    conn.send("ready")
    while (job := conn.recv()) is not None:
        conn.send(write(*job))

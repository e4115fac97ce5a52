"""Executors that end: Dask deadlines, workers that die with their parent, scripts without a __main__ guard."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from pathlib import Path

import pytest
from conftest import BASELINE, ROOT

from sim import load_scenario
from sim.cli import main
from sim.deadlines import CONNECT_TIMEOUT, NO_WORKERS_TIMEOUT, deadlines
from sim.errors import EnvironmentFailure
from sim.experiment import Executor, iter_chunks, plan_chunks, run_many


@pytest.fixture(scope="module")
def baseline():
    return load_scenario(BASELINE)


class SilentServer:
    """A TCP server on 127.0.0.1 that accepts every connection and never says a word; stops itself."""

    def __init__(self, lifetime: float = 60.0):
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.accepted: list[socket.socket] = []
        self.stop_at = time.monotonic() + lifetime
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while time.monotonic() < self.stop_at:
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                break
            self.accepted.append(conn)
        self.close()

    def close(self) -> None:
        self.stop_at = 0
        for conn in self.accepted:
            conn.close()
        self.sock.close()

    @property
    def address(self) -> str:
        return f"tcp://127.0.0.1:{self.port}"


@pytest.fixture
def silent():
    server = SilentServer()
    yield server
    server.close()


def test_executor_deadlines_default_to_the_ones_in_force():
    assert (Executor().connect_timeout, Executor().no_workers_timeout) == (CONNECT_TIMEOUT, NO_WORKERS_TIMEOUT)
    with deadlines(connect=2, no_workers=3):
        made = Executor("dask", 1, "tcp://127.0.0.1:1")
        assert (made.connect_timeout, made.no_workers_timeout) == (2, 3)
        assert Executor(connect_timeout=5).connect_timeout == 5
    assert Executor().connect_timeout == CONNECT_TIMEOUT


# These tests bound no wait from above (a busy machine is slow): the message names the deadline that
# ended the wait, and a wait shorter than the deadline would mean it ended for another reason. The
# command-line test runs under a subprocess timeout, a guard against a hang.


def test_a_silent_scheduler_fails_within_the_connect_deadline(baseline, silent):
    pytest.importorskip("dask.distributed")
    began = time.monotonic()
    with pytest.raises(EnvironmentFailure) as caught:
        run_many(baseline, runs=10, seed=1, executor="dask", scheduler=silent.address, connect_timeout=2)
    took = time.monotonic() - began
    assert silent.accepted, "the client never connected"
    assert str(caught.value) == (f"cannot reach the Dask scheduler at {silent.address}: no Dask handshake within 2 s "
                                 "(--connect-timeout); check that the address is a running Dask scheduler's, "
                                 "not another service's")
    assert took >= 2, f"gave up after {took:.1f} s, before its deadline"  # only the deadline ends the wait


def test_a_silent_scheduler_is_one_line_and_exit_3_on_the_command_line(silent):
    pytest.importorskip("dask.distributed")
    began = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "sim", "run", str(BASELINE), "--runs", "5", "--executor", "dask",
                           "--scheduler", silent.address, "--connect-timeout", "2"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    took = time.monotonic() - began
    assert done.returncode == 3, done.stderr
    assert done.stderr.startswith(f"sim: error: cannot reach the Dask scheduler at {silent.address}: no Dask handshake")
    assert done.stderr.count("\n") == 1, done.stderr
    assert took >= 2, f"gave up after {took:.1f} s, before its deadline"


def test_a_cluster_without_workers_fails_after_the_no_workers_deadline(baseline):
    distributed = pytest.importorskip("dask.distributed")
    with distributed.LocalCluster(n_workers=0, processes=True, host="127.0.0.1", dashboard_address=None) as cluster:
        began = time.monotonic()
        with pytest.raises(EnvironmentFailure, match=r"has had no workers for 2 s \(--no-workers-timeout\)") as caught:
            run_many(baseline, runs=10, seed=1, executor="dask", scheduler=cluster.scheduler_address,
                     connect_timeout=5, no_workers_timeout=2)
        took = time.monotonic() - began
    assert f"the Dask scheduler at {cluster.scheduler_address}" in str(caught.value)
    assert f"dask worker {cluster.scheduler_address}" in str(caught.value)
    assert took >= 2, f"gave up after {took:.1f} s, before its deadline"


def test_losing_the_last_worker_fails_after_the_no_workers_deadline(baseline):
    distributed = pytest.importorskip("dask.distributed")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None) as cluster:
        chunks = plan_chunks(400, 10)
        got = []
        began = None
        with pytest.raises(EnvironmentFailure, match="has had no workers for 2 s"):
            for chunk, _ in iter_chunks(baseline, 1, chunks, executor="dask", scheduler=cluster.scheduler_address,
                                        connect_timeout=5, no_workers_timeout=2):
                got.append(chunk)
                if began is None:
                    cluster.scale(0)  # the last worker goes, and no other comes
                    began = time.monotonic()
        took = time.monotonic() - began
    assert len(got) < len(chunks)
    assert took >= 2, f"gave up after {took:.1f} s, before its deadline"


def test_losing_the_scheduler_mid_run_is_one_line(baseline):
    pytest.importorskip("dask.distributed")
    code = ("import time\nfrom distributed import LocalCluster\n"
            "c = LocalCluster(n_workers=1, threads_per_worker=1, processes=True, host='127.0.0.1', dashboard_address=None)\n"
            "print(c.scheduler_address, flush=True)\ntime.sleep(120)\n")
    helper = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                              text=True, start_new_session=True)
    try:
        address = helper.stdout.readline().strip()
        chunks = plan_chunks(2000, 10)
        with pytest.raises(EnvironmentFailure) as caught:
            for _ in iter_chunks(baseline, 1, chunks, executor="dask", scheduler=address, connect_timeout=5):
                if helper.poll() is None:
                    os.killpg(helper.pid, signal.SIGKILL)  # scheduler and worker gone at once
    finally:
        if helper.poll() is None:
            os.killpg(helper.pid, signal.SIGKILL)
        helper.wait()
    # The lost connection itself is reported (not, a minute later, the no-workers deadline, whose
    # message differs): no clock is needed to tell the two apart.
    assert str(caught.value) == (f"lost the connection to the Dask scheduler at {address}: check that it still "
                                 "runs, then run again (with --resume if you gave --out)")


@pytest.mark.parametrize("address", ["not-an-address", "http://127.0.0.1:8786"])
def test_a_malformed_address_is_one_line_from_python_too(baseline, address):
    pytest.importorskip("dask.distributed")
    # Refused as an address, before any connection is tried (a connection would end in another message).
    with pytest.raises(EnvironmentFailure, match=f"^--scheduler {re.escape(address)}: not a Dask scheduler address"):
        run_many(baseline, runs=5, executor="dask", scheduler=address, connect_timeout=2)


def test_a_malformed_deadline_is_a_usage_error(capsys):
    assert main(["run", str(BASELINE), "--executor", "dask", "--connect-timeout", "0"]) == 2
    assert capsys.readouterr().err == ("sim: error: --connect-timeout: got '0' "
                                       "(expected seconds, a number greater than 0)\n")
    assert main(["sweep", str(BASELINE), "--no-workers-timeout", "soon"]) == 2
    assert "--no-workers-timeout: got 'soon'" in capsys.readouterr().err


# --- workers end with their parent ---------------------------------------------------------------

def _children(pid: int) -> list[int]:
    """Every live descendant of ``pid``, from /proc (or psutil where /proc is missing)."""
    if not Path("/proc").is_dir():
        psutil = pytest.importorskip("psutil")
        return [p.pid for p in psutil.Process(pid).children(recursive=True)]
    parents: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="walks /proc")
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
def test_pool_workers_end_when_the_parent_is_killed(sig, tmp_path):
    out = tmp_path / "res"
    proc = subprocess.Popen([sys.executable, "-m", "sim", "run", str(BASELINE), "--runs", "100000",
                             "--chunk-size", "50", "--workers", "2", "--out", str(out)],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not list((out / "parts").glob("*.parquet")):
            time.sleep(0.1)
        children = _children(proc.pid)
        assert len(children) >= 2, "the pool never started"
        proc.send_signal(sig)
        proc.wait(timeout=60)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and any(_alive(pid) for pid in children):
            time.sleep(0.1)
        left = [pid for pid in children if _alive(pid)]
    finally:
        if proc.poll() is None:
            proc.kill()
    for pid in left:  # leave nothing behind whatever the outcome
        os.kill(pid, signal.SIGKILL)
    assert not left, f"{len(left)} of {len(children)} child processes outlived their parent"
    assert not list(Path(tempfile.gettempdir()).glob(f"sim-pool-{proc.pid}-*")), "a temporary file was left"


# --- scripts without an `if __name__ == "__main__":` guard ---------------------------------------

def _script(tmp_path: Path, body: str) -> subprocess.CompletedProcess[str]:
    script = tmp_path / "experiment_script.py"
    script.write_text(textwrap.dedent(f"""\
        import sys
        sys.path.insert(0, {str(ROOT)!r})
        from sim import load_scenario
        from sim.experiment import run_many
        print("script started", flush=True)
        """) + textwrap.dedent(body), encoding="utf-8")
    return subprocess.run([sys.executable, str(script)], cwd=tmp_path, capture_output=True, text=True, timeout=180)


RUN = f"table = run_many(load_scenario({str(BASELINE)!r}), runs=40, seed=1, workers=2, chunk_size=10)\n"


@pytest.mark.parametrize("run", [RUN, RUN.replace("runs=40", "runs=5")], ids=["chunks", "one-chunk"])
def test_an_unguarded_script_is_refused_before_any_worker_reruns_it(tmp_path, run):
    # Refused even when one chunk would have run in this process: a script must not work with few
    # runs and fail with many.
    done = _script(tmp_path, run + "print('rows', len(table))\n")
    assert done.returncode == 1
    assert done.stdout == "script started\n"  # run once, by the parent only
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("sim.errors.ExperimentError: ")
    assert 'put that code under `if __name__ == "__main__":`' in last
    assert "BrokenProcessPool" not in done.stderr


def test_a_worker_rerunning_an_unguarded_script_stops_and_tells_its_parent(tmp_path):
    # Were the parent's check to miss a script, the worker re-running it stops at once, quietly, and
    # the parent raises the same one-line error (not a retry loop of broken pools).
    blind = "import sim.executors, sim.local_pool\nsim.executors.check_guarded = sim.local_pool.check_guarded = lambda: None\n"
    done = _script(tmp_path, blind + RUN)
    assert done.returncode == 1
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("sim.errors.ExperimentError: ")
    assert "experiment_script.py starts parallel runs at its top level, and every worker process ran it again" in last
    assert "BrokenProcessPool" not in done.stderr and "died" not in done.stderr


def test_a_guarded_script_runs_in_parallel(tmp_path):
    done = _script(tmp_path, "def main():\n    " + RUN + "    print('rows', len(table))\n\n\n"
                             "if __name__ == '__main__':\n    main()\n")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "rows 40"

"""Result folders that never mix runs (issue 19): one writer at a time, parts checked against their own
records before they are trusted, and every failure of the disk or of a file told in one line (exit 3)
without a torn file."""

from __future__ import annotations

import contextlib
import errno
import json
import multiprocessing
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
import writers
from conftest import BASELINE

from sim import load_scenario
from sim.cli import main
from sim.errors import EnvironmentFailure
from sim.experiment import run_many
from sim.result_files import FolderLock, parquet_record
from sim.results import read_manifest, read_results, run_to_directory
from sim.streams import run_seed

RUNS, CHUNK = 60, 20
BASE = str(BASELINE)
REBUILD = "rerun with --resume --rebuild-manifest to rebuild it from the parts' own records, or --force to start over"


@pytest.fixture(scope="module")
def baseline():
    return load_scenario(BASE)


@pytest.fixture(scope="module")
def serial(baseline):
    return run_many(baseline, runs=RUNS, seed=1, chunk_size=CHUNK)


def argv(folder: Path, *more: str, seed: int = 1, runs: int = RUNS, chunk: int = CHUNK) -> list[str]:
    return ["run", BASE, "--runs", str(runs), "--seed", str(seed), "--chunk-size", str(chunk), "--workers", "1",
            "--out", str(folder), *more]


def sim(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    """Run ``sim ARGS`` in this process: its exit code and what it wrote to stderr."""
    code = main(list(args))
    return code, capsys.readouterr().err


def interrupted(scenario, folder: Path, seed: int = 1, chunks_done: int = 2) -> None:
    """A result folder whose run was interrupted after ``chunks_done`` of its three chunks."""
    calls: list[int] = []

    def stop(done: int, total: int) -> None:
        calls.append(done)
        if len(calls) == chunks_done + 1:  # the first call reports 0 done
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_to_directory(scenario, folder, runs=RUNS, seed=seed, chunk_size=CHUNK, progress=stop)
    assert len(list((folder / "parts").glob("*.parquet"))) == chunks_done


# ------------------------------------------------------------------------------------ one writer

# Twelve staggers from 0 to 500 ms; a writer of 50 runs in two chunks is still writing when the
# other starts in the early trials on any of these machines (a chunk costs about a second whatever its
# size), so at least one refusal is of a busy folder.
TRIALS, RACE_RUNS = 12, 50


def _start_writer(ctx) -> tuple[multiprocessing.Process, object]:
    parent, child = ctx.Pipe()
    proc = ctx.Process(target=writers.serve, args=(child,), daemon=True)
    proc.start()
    return proc, parent


def _race(workers, folder: Path, seeds: tuple[int, int], delays: tuple[float, float]) -> list[tuple[int, str]]:
    start = time.time() + 0.05
    for (_, conn), seed, delay in zip(workers, seeds, delays):
        conn.send((argv(folder, seed=seed, runs=RACE_RUNS, chunk=25), start + delay))
    results = []
    for _, conn in workers:
        assert conn.poll(300), "a writer hangs"
        results.append(conn.recv())
    return results


def test_two_writers_started_0_to_500_ms_apart_never_mix_their_runs(tmp_path):
    ctx = multiprocessing.get_context("spawn")
    workers = [_start_writer(ctx) for _ in range(2)]
    seeds = (1, 2)
    expected = {s: [run_seed(s, i) for i in range(RACE_RUNS)] for s in seeds}
    refusals: Counter[str] = Counter()
    try:
        for _, conn in workers:
            assert conn.poll(300) and conn.recv() == "ready"
        for trial in range(TRIALS):
            folder = tmp_path / f"trial-{trial}"
            stagger = 0.5 * trial / (TRIALS - 1)
            delays = (0.0, stagger) if trial % 2 else (stagger, 0.0)
            results = _race(workers, folder, seeds, delays)
            codes = [code for code, _ in results]
            assert codes.count(0) == 1, (trial, results)
            winner = codes.index(0)
            code, line = results[1 - winner]
            assert results[winner][1] == "", results
            assert line.count("\n") == 1 and line.startswith(f"sim: error: {folder} "), line
            busy = "is being written by another run" in line
            assert code == (3 if busy else 1), line
            refusals["busy" if busy else "already complete"] += 1
            assert read_results(folder, columns=["seed"]).seed.tolist() == expected[seeds[winner]]
            assert read_manifest(folder)["seed"] == seeds[winner]
    finally:
        for proc, conn in workers:
            with contextlib.suppress(OSError):
                conn.send(None)
            proc.join(10)
            if proc.is_alive():
                proc.kill()
    assert refusals["busy"] >= 1, refusals  # the writers did overlap, and the second one was refused


def test_force_while_another_run_writes_the_folder_is_refused(baseline, tmp_path, capsys):
    folder = tmp_path / "busy"
    run_to_directory(baseline, folder, runs=RUNS, seed=1, chunk_size=CHUNK)
    before = (folder / "runs.parquet").read_bytes()
    lock = FolderLock(folder)  # another writer: flock locks of two open files exclude each other
    try:
        result = sim(capsys, *argv(folder, "--force", seed=2))
    finally:
        lock.release()
    assert result == (3, f"sim: error: {folder} is being written by another run (pid {os.getpid()}): wait for it "
                         "to finish, or choose another --out\n")
    assert (folder / "runs.parquet").read_bytes() == before
    assert sim(capsys, *argv(folder, "--force", seed=2))[0] == 0  # once it is given up, --force starts over
    assert read_manifest(folder)["seed"] == 2


def test_a_lock_left_by_a_killed_run_never_blocks_the_next(tmp_path):
    out = tmp_path / "killed"
    cmd = [sys.executable, "-m", "sim", *argv(out, runs=600, chunk=20)]
    cmd[cmd.index("--workers") + 1] = "2"
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.time() + 120
        while time.time() < deadline and not list((out / "parts").glob("*.parquet")):
            time.sleep(0.05)
        proc.kill()  # the parent only: its pool workers may outlive it, and must not hold the lock
        proc.wait()
        assert (out / ".sim.lock").exists()
        done = subprocess.run([*cmd, "--resume"], capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stderr
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
    assert read_results(out, columns=["seed"]).seed.tolist() == [run_seed(1, i) for i in range(600)]


# ------------------------------------------------------------------------- parts and their records


def test_parts_and_runs_record_seed_hash_chunk_and_runs(baseline, tmp_path):
    folder = run_to_directory(baseline, tmp_path / "res", runs=RUNS, seed=1, chunk_size=CHUNK, keep_parts=True)
    assert parquet_record(folder / "parts" / "part-000001.parquet") == {
        "kind": "part", "seed": 1, "scenario_sha256": baseline.digest(), "chunk": 1, "point": 0, "points": 1,
        "start": 20, "stop": 40}
    assert parquet_record(folder / "runs.parquet") == {
        "kind": "runs", "seed": 1, "scenario_sha256": baseline.digest(), "runs": RUNS, "points": 1,
        "chunk_size": CHUNK}


def test_a_lost_manifest_is_refused_unless_rebuilt_from_the_parts(baseline, serial, tmp_path, capsys):
    folder = tmp_path / "lost"
    interrupted(baseline, folder)
    (folder / "manifest.json").unlink()
    refused = f"sim: error: {folder} holds runs but no manifest.json: {REBUILD}\n"
    assert sim(capsys, *argv(folder, "--resume")) == (3, refused)
    assert sim(capsys, *argv(folder)) == (3, refused)
    assert sim(capsys, *argv(folder, "--resume", "--rebuild-manifest")) == (0, "")
    assert read_manifest(folder)["runs_this_session"] == RUNS - 2 * CHUNK  # the two parts were kept
    pd.testing.assert_frame_equal(read_results(folder), serial)


def test_a_rebuilt_manifest_keeps_no_part_of_another_seed_or_scenario(baseline, tmp_path):
    shorter = baseline.with_overrides({"horizon.rounds": 12})
    for name, scenario, seed, differs in [("seed", baseline, 2, "seed 1, not 2"),
                                          ("horizon", shorter, 1, "scenario_sha256 ")]:
        folder = tmp_path / name
        interrupted(baseline, folder)
        (folder / "manifest.json").unlink()
        notes: list[str] = []
        run_to_directory(scenario, folder, runs=RUNS, seed=seed, chunk_size=CHUNK, rebuild_manifest=True,
                         notify=notes.append)
        assert len(notes) == 2 and all(f"is from another experiment ({differs}" in n for n in notes), notes
        assert read_manifest(folder)["runs_this_session"] == RUNS
        pd.testing.assert_frame_equal(read_results(folder), run_many(scenario, runs=RUNS, seed=seed))
        assert sorted(p.name for p in (folder / "rejected").iterdir()) == ["part-000000.parquet",
                                                                            "part-000001.parquet"]
    assert read_results(tmp_path / "horizon").deal_round.max() <= 12


def test_a_resume_without_a_chunk_size_keeps_the_folders_chunking(baseline, serial, tmp_path):
    """Chunks left to the folder are a share per worker; a resume plans the saved chunks again, whatever
    its own workers, from the manifest, or from the first part's record when the manifest is lost."""
    for lost_manifest in (False, True):
        folder = tmp_path / f"lost-{lost_manifest}"
        interrupted(baseline, folder)  # 3 chunks of 20 runs, 2 written
        if lost_manifest:
            (folder / "manifest.json").unlink()
        notes: list[str] = []
        run_to_directory(baseline, folder, runs=RUNS, seed=1, workers=1, resume=not lost_manifest,
                         rebuild_manifest=lost_manifest, notify=notes.append)
        manifest = read_manifest(folder)
        assert (manifest["chunk_size"], manifest["chunks"], manifest["runs_this_session"]) == (CHUNK, 3, CHUNK)
        assert notes == []  # both parts kept
        pd.testing.assert_frame_equal(read_results(folder), serial)
    fresh = run_to_directory(baseline, tmp_path / "fresh", runs=RUNS, seed=1, workers=1)
    assert (read_manifest(fresh)["chunk_size"], read_manifest(fresh)["chunks"]) == (RUNS, 1)


def test_resume_with_another_seed_is_refused_in_one_line(baseline, tmp_path, capsys):
    folder = tmp_path / "res"
    interrupted(baseline, folder)
    assert sim(capsys, *argv(folder, "--resume", seed=2)) == (
        1, f"sim: error: cannot resume {folder}: seed differs from the saved experiment\n")


def test_foreign_parts_are_moved_aside_and_their_runs_simulated_again(baseline, serial, tmp_path, capsys):
    other = run_to_directory(baseline, tmp_path / "other", runs=RUNS, seed=2, chunk_size=CHUNK, keep_parts=True)
    folder = tmp_path / "res"
    interrupted(baseline, folder)
    parts = folder / "parts"
    shutil.copy(other / "parts" / "part-000002.parquet", parts / "part-000002.parquet")  # the missing chunk
    shutil.copy(other / "parts" / "part-000001.parquet", parts / "part-000001.parquet")  # over a good one
    serial.iloc[:CHUNK].to_parquet(parts / "part-000000.parquet", index=False)  # right rows, no record
    shutil.copy(other / "parts" / "part-000000.parquet", parts / "part-000007.parquet")  # no such chunk
    code, err = sim(capsys, *argv(folder, "--resume"))
    assert code == 0
    rejected = folder / "rejected"
    assert err.splitlines() == [
        f"sim: warning: {parts / 'part-000000.parquet'} is from another experiment (it carries no record of its "
        f"seed and scenario): moved to {rejected / 'part-000000.parquet'}; its runs are simulated again",
        f"sim: warning: {parts / 'part-000001.parquet'} is from another experiment (seed 2, not 1): moved to "
        f"{rejected / 'part-000001.parquet'}; its runs are simulated again",
        f"sim: warning: {parts / 'part-000002.parquet'} is from another experiment (seed 2, not 1): moved to "
        f"{rejected / 'part-000002.parquet'}; its runs are simulated again",
        f"sim: warning: {parts / 'part-000007.parquet'} is not a chunk of this experiment: moved to "
        f"{rejected / 'part-000007.parquet'}; it is not used",
    ]
    assert read_manifest(folder)["runs_this_session"] == RUNS
    pd.testing.assert_frame_equal(read_results(folder), serial)


def test_corrupt_and_empty_parts_are_moved_aside_before_resuming(baseline, serial, tmp_path, capsys):
    folder = tmp_path / "res"
    interrupted(baseline, folder)
    parts = folder / "parts"
    (parts / "part-000000.parquet").write_bytes(b"")
    half = parts / "part-000001.parquet"
    half.write_bytes(half.read_bytes()[: half.stat().st_size // 2])
    (parts / "part-000002.parquet").write_text("not a Parquet file")
    code, err = sim(capsys, *argv(folder, "--resume"))
    assert code == 0
    lines = err.splitlines()
    assert len(lines) == 3, err
    for k, line in enumerate(lines):
        name = f"part-00000{k}.parquet"
        assert re.fullmatch(rf"sim: warning: {re.escape(str(parts / name))} is corrupt \(.+\): moved to "
                            rf"{re.escape(str(folder / 'rejected' / name))}; its runs are simulated again", line), line
    pd.testing.assert_frame_equal(read_results(folder), serial)


def test_temporary_files_of_an_interrupted_write_are_removed_on_resume(baseline, serial, tmp_path):
    folder = tmp_path / "res"
    interrupted(baseline, folder)
    leftovers = [folder / ".runs.k3j2abcd.parquet.tmp", folder / ".runs.parquet.ab12cd34.tmp",
                 folder / ".manifest.json.0f0f0f0f.tmp", folder / "parts" / ".part-000002.parquet.ffeeddcc.tmp"]
    for leftover in leftovers:
        leftover.write_bytes(b"PAR1" * 1000)
    run_to_directory(baseline, folder, runs=RUNS, seed=1, chunk_size=CHUNK, resume=True)
    assert [p for p in leftovers if p.exists()] == []
    pd.testing.assert_frame_equal(read_results(folder), serial)


def test_parts_are_removed_once_the_runs_are_complete_unless_kept(baseline, serial, tmp_path):
    folder = run_to_directory(baseline, tmp_path / "a", runs=RUNS, seed=1, chunk_size=CHUNK)
    assert not (folder / "parts").exists()
    assert sorted(p.name for p in folder.iterdir()) == [".sim.lock", "manifest.json", "runs.parquet",
                                                         "scenario.resolved.yaml"]
    # --resume of a complete folder runs nothing and keeps its table.
    run_to_directory(baseline, folder, runs=RUNS, seed=1, chunk_size=CHUNK, resume=True)
    assert read_manifest(folder)["runs_this_session"] == 0
    pd.testing.assert_frame_equal(read_results(folder), serial)
    kept = run_to_directory(baseline, tmp_path / "b", runs=RUNS, seed=1, chunk_size=CHUNK, keep_parts=True)
    assert len(list((kept / "parts").glob("part-*.parquet"))) == 3


@pytest.mark.parametrize("umask", [0o022, 0o027])
def test_result_files_get_the_users_umask(baseline, tmp_path, umask):
    old = os.umask(umask)
    try:
        folder = run_to_directory(baseline, tmp_path / "res", runs=RUNS, seed=1, chunk_size=CHUNK, csv=True,
                                  keep_parts=True)
    finally:
        os.umask(old)
    files = [folder / name for name in ("runs.parquet", "runs.csv", "manifest.json", "scenario.resolved.yaml",
                                        ".sim.lock")] + sorted((folder / "parts").iterdir())
    assert {f.name: oct(stat.S_IMODE(f.stat().st_mode)) for f in files} == {f.name: oct(0o666 & ~umask) for f in files}
    for where in (folder, folder / "parts"):
        assert stat.S_IMODE(where.stat().st_mode) == 0o777 & ~umask


# ------------------------------------------------------------------ the disk: one line, no torn file


def _failing_write_table(monkeypatch, failure: OSError, on_call: int) -> None:
    real = pq.write_table
    calls: list[int] = []

    def write_table(table, where, *args, **kwargs):
        calls.append(1)
        if len(calls) == on_call:
            where.write(b"PAR1 half of a part")
            raise failure
        return real(table, where, *args, **kwargs)

    monkeypatch.setattr(pq, "write_table", write_table)


def _no_torn_file(folder: Path, parts: list[str]) -> None:
    assert sorted(p.name for p in (folder / "parts").iterdir()) == parts
    assert not list(folder.rglob("*.tmp"))
    assert not (folder / "runs.parquet").exists()
    assert read_manifest(folder)["status"] == "running"


@pytest.mark.parametrize(("failure", "advice"), [
    (OSError(errno.ENOSPC, "No space left on device"),
     "No space left on device: free some disk space, then rerun with --resume (finished chunks are kept)"),
    (PermissionError(errno.EACCES, "Permission denied"),
     "Permission denied: make the folder writable, then rerun with --resume (finished chunks are kept)"),
], ids=["disk-full", "permission"])
def test_a_failing_part_write_is_one_line_exit_3_and_no_torn_file(serial, tmp_path, capsys, monkeypatch, failure,
                                                                  advice):
    folder = tmp_path / "full"
    _failing_write_table(monkeypatch, failure, on_call=3)
    part = folder / "parts" / "part-000002.parquet"
    assert sim(capsys, *argv(folder)) == (3, f"sim: error: cannot write {part}: {advice}\n")
    _no_torn_file(folder, ["part-000000.parquet", "part-000001.parquet"])
    monkeypatch.undo()
    assert sim(capsys, *argv(folder, "--resume"))[0] == 0
    assert read_manifest(folder)["runs_this_session"] == CHUNK
    pd.testing.assert_frame_equal(read_results(folder), serial)


def test_an_unreadable_part_is_one_line_and_exit_3(baseline, tmp_path, capsys, monkeypatch):
    folder = tmp_path / "res"
    interrupted(baseline, folder)
    part = folder / "parts" / "part-000001.parquet"
    real = pq.read_table

    def read_table(source, *args, **kwargs):
        if Path(source) == part:
            raise PermissionError(errno.EACCES, "Permission denied")
        return real(source, *args, **kwargs)

    monkeypatch.setattr(pq, "read_table", read_table)
    assert sim(capsys, *argv(folder, "--resume")) == (
        3, f"sim: error: cannot read {part}: Permission denied: make it readable, then run the command again\n")
    assert part.exists()  # neither trusted nor moved: it may be fine once readable


def test_a_full_disk_while_assembling_the_runs_is_one_line_and_no_torn_file(serial, tmp_path, capsys,
                                                                            monkeypatch):
    class FullWriter(pq.ParquetWriter):
        def write_table(self, table, *args, **kwargs):
            super().write_table(table, *args, **kwargs)
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(pq, "ParquetWriter", FullWriter)
    folder = tmp_path / "full"
    assert sim(capsys, *argv(folder)) == (
        3, f"sim: error: cannot write {folder / 'runs.parquet'}: No space left on device: free some disk space, "
           "then rerun with --resume (finished chunks are kept)\n")
    _no_torn_file(folder, ["part-000000.parquet", "part-000001.parquet", "part-000002.parquet"])
    monkeypatch.undo()
    assert sim(capsys, *argv(folder, "--resume"))[0] == 0
    assert read_manifest(folder)["runs_this_session"] == 0
    pd.testing.assert_frame_equal(read_results(folder), serial)


@pytest.fixture
def small_disk(tmp_path):
    """A 96 KiB tmpfs, where the machine allows mounting one (root with the capability)."""
    where = tmp_path / "disk"
    where.mkdir()
    if os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("mounting a small tmpfs needs root")
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=96k", "tmpfs", str(where)], capture_output=True)
    if mounted.returncode:
        pytest.skip("this machine does not allow mounting a tmpfs")
    yield where
    subprocess.run(["umount", "-l", str(where)], capture_output=True)


def test_a_real_full_disk_is_one_line_and_no_torn_file(small_disk, capsys):
    folder = small_disk / "out"
    code, err = sim(capsys, *argv(folder, runs=600, chunk=50))
    assert code == 3
    assert re.fullmatch(r"sim: error: cannot write \S+: No space left on device: free some disk space, then rerun "
                        r"with --resume \(finished chunks are kept\)\n", err), err
    assert not list(small_disk.rglob("*.tmp"))
    for part in (folder / "parts").glob("*.parquet"):
        pq.read_table(part)  # every part there is whole


# ------------------------------------------------------------- damaged folders read by other commands


@pytest.fixture(scope="module")
def complete(baseline, tmp_path_factory):
    return run_to_directory(baseline, tmp_path_factory.mktemp("complete") / "res", runs=RUNS, seed=1,
                            chunk_size=CHUNK)


DAMAGES = {
    "manifest-list": ("manifest.json", "[1, 2]", "is corrupt (a JSON list, not an object): " + REBUILD),
    "manifest-empty": ("manifest.json", "", "is corrupt (an empty file): " + REBUILD),
    "manifest-not-json": ("manifest.json", '{"status": ', "is corrupt (not JSON: Expecting value at line 1): "
                          + REBUILD),
    "runs-missing": ("runs.parquet", None, "is missing though manifest.json says the experiment is complete: "
                     "rerun the experiment with --resume to rebuild it"),
    "runs-empty": ("runs.parquet", "", "is corrupt (*): rerun the experiment with --resume to rebuild it"),
    "runs-not-parquet": ("runs.parquet", "a,b\n1,2\n", "is corrupt (*): rerun the experiment with --resume to "
                         "rebuild it"),
}


def _damage(complete: Path, where: Path, kind: str) -> tuple[Path, str]:
    folder = where / "res"
    shutil.copytree(complete, folder)
    name, content, message = DAMAGES[kind]
    if content is None:
        (folder / name).unlink()
    else:
        (folder / name).write_text(content)
    return folder, f"sim: error: {folder / name} {message}"


@pytest.mark.parametrize("command", ["plot", "discover", "compare"])
@pytest.mark.parametrize("kind", list(DAMAGES))
def test_a_damaged_folder_is_one_line_and_exit_3_for_every_reader(complete, tmp_path, capsys, kind, command):
    folder, expected = _damage(complete, tmp_path, kind)
    args = {"plot": ["plot", str(folder)],
            "discover": ["discover", str(folder), "--outcome", 'outcome == "deal"'],
            "compare": ["compare", str(folder), BASE, "--runs", "2", "--out", str(tmp_path / "cmp")]}[command]
    code, err = sim(capsys, *args)
    assert code == 3
    pattern = re.escape(expected).replace(re.escape("(*)"), r"\(.+\)")
    assert re.fullmatch(pattern + "\n", err), err


@pytest.mark.parametrize("kind", list(DAMAGES))
def test_resume_repairs_a_damaged_folder(complete, serial, tmp_path, capsys, kind):
    folder, expected = _damage(complete, tmp_path, kind)
    code, err = sim(capsys, *argv(folder, "--resume"))
    if kind.startswith("manifest"):
        assert code == 3 and re.fullmatch(re.escape(expected) + "\n", err), err
        code, err = sim(capsys, *argv(folder, "--resume", "--rebuild-manifest"))
        assert (code, err) == (0, "")
        assert read_manifest(folder)["runs_this_session"] == 0  # runs.parquet matched: nothing to simulate
    else:
        assert code == 0
        assert len(err.splitlines()) == (kind != "runs-missing"), err  # the bad runs.parquet was moved aside
    pd.testing.assert_frame_equal(read_results(folder), serial)


def test_a_runs_file_of_another_experiment_is_never_read_as_this_one(baseline, complete, tmp_path):
    other = run_to_directory(baseline, tmp_path / "other", runs=RUNS, seed=2, chunk_size=CHUNK)
    folder = tmp_path / "res"
    shutil.copytree(complete, folder)
    shutil.copy(other / "runs.parquet", folder / "runs.parquet")
    with pytest.raises(EnvironmentFailure, match=r"holds another experiment than manifest.json \(seed differs\)"):
        read_results(folder)


def test_an_unwritable_compare_folder_is_one_line(baseline, complete, tmp_path, capsys, monkeypatch):
    variant = run_to_directory(baseline.with_overrides({"name": "variant"}), tmp_path / "variant", runs=RUNS, seed=1,
                               chunk_size=CHUNK)
    _failing_write_table(monkeypatch, PermissionError(errno.EACCES, "Permission denied"), on_call=1)
    out = tmp_path / "cmp"
    code, err = sim(capsys, "compare", str(complete), str(variant), "--out", str(out))
    assert code == 3
    assert err == f"sim: error: cannot write {out / 'runs.parquet'}: Permission denied: make the folder writable, " \
                  "then run sim compare again\n"
    assert not list(out.glob("*.tmp")) and not (out / "runs.parquet").exists()


def test_the_manifest_of_a_complete_folder_is_json(complete):
    assert json.loads((complete / "manifest.json").read_text())["status"] == "complete"

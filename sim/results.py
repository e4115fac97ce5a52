"""Result folders: runs streamed to disk in chunks, a manifest that describes them, and resuming.

A result folder holds:

- ``parts/part-NNNNNN.parquet``: one file per finished chunk while the experiment runs, each written
  to a temporary name and renamed into place, so an interrupted experiment keeps every finished chunk
  and never a torn file. Each part records (Parquet key-value metadata) the master seed, the scenario's
  (or design's) hash, the chunk and the runs it holds. ``parts/`` is removed once ``runs.parquet`` is
  complete, unless ``keep_parts=True``;
- ``runs.parquet`` (and ``runs.csv`` with ``csv=True``): all runs, assembled part by part at the end,
  recording seed, hash and runs in its metadata;
- ``manifest.json``: package version, scenario name, file and SHA-256, master seed, runs, chunking,
  executor and workers, timings, and whether the experiment is complete;
- ``scenario.resolved.yaml``: the merged scenario that produced the runs;
- ``.sim.lock``: the lock of the one writer (see :class:`sim.result_files.FolderLock`);
- ``rejected/``: parts (or a ``runs.parquet``) found corrupt or foreign on resume, moved aside.

Chunks are ``chunk_size`` runs; left to the folder (None), each worker's share of the runs up to
:data:`sim.chunks.MAX_BATCH`, and on resume the folder's own chunking (from its manifest, or from its
first part when the manifest is lost).

``resume=True`` finishes an interrupted experiment: it checks that the scenario, seed and chunking
match the manifest, checks every part against its own record, and runs only the missing chunks. The
result equals an uninterrupted run, row for row. A folder whose manifest is lost is refused unless
``rebuild_manifest=True``, which keeps the parts whose records match this experiment.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import shutil
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import yaml

from . import __version__
from .errors import EnvironmentFailure, ExperimentError
from .experiment import Chunk, Executor, Point, batch_size, plan_chunks, run_design
from .result_files import (
    FolderLock,
    assemble,
    atomic_write_text,
    check_parquet,
    environment_failure,
    first_line,
    parquet_record,
    reading,
    remove_temporaries,
    write_parquet,
    writing,
)
from .scenario import Scenario

__all__ = ["MANIFEST", "RUNS", "ResultFolder", "atomic_write_text", "read_manifest", "read_results", "run_to_directory"]

MANIFEST = "manifest.json"
RUNS = "runs.parquet"
PARTS = "parts"
REJECTED = "rejected"
REBUILD = "rerun with --resume --rebuild-manifest to rebuild it from the parts' own records, or --force to start over"


def _warn(message: str) -> None:
    print(f"sim: warning: {message}", file=sys.stderr)


def _load_manifest(folder: Path) -> dict[str, Any] | None:
    """The manifest, None if there is none; a damaged one is an :class:`EnvironmentFailure`."""
    path = folder / MANIFEST
    try:
        text = path.read_text(encoding="utf-8")
        manifest = json.loads(text)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise environment_failure(path, exc, "cannot read") from None
    except UnicodeDecodeError:
        raise EnvironmentFailure(f"{path} is corrupt (not UTF-8 text): {REBUILD}") from None
    except json.JSONDecodeError as exc:
        what = "an empty file" if not text.strip() else f"not JSON: {exc.msg} at line {exc.lineno}"
        raise EnvironmentFailure(f"{path} is corrupt ({what}): {REBUILD}") from None
    if not isinstance(manifest, dict):
        raise EnvironmentFailure(f"{path} is corrupt (a JSON {type(manifest).__name__}, not an object): {REBUILD}")
    return manifest


def read_manifest(folder: str | Path) -> dict[str, Any]:
    """The manifest of a result folder.

    Raises:
        ExperimentError: the folder has no manifest (it is not a result folder).
        EnvironmentFailure: the manifest is unreadable, empty, not JSON or not an object.
    """
    manifest = _load_manifest(Path(folder))
    if manifest is None:
        raise ExperimentError(f"{folder}: no {MANIFEST} (not a result folder)")
    return manifest


def read_results(folder: str | Path, columns: Sequence[str] | None = None) -> pd.DataFrame:
    """The runs of a complete result folder (optionally only some columns).

    Raises:
        ExperimentError: not a result folder, or the experiment is not complete.
        EnvironmentFailure: ``runs.parquet`` is missing, corrupt, or records another experiment.
    """
    folder = Path(folder)
    manifest = read_manifest(folder)
    if manifest.get("status") != "complete":
        raise ExperimentError(f"{folder}: the experiment is not complete (finish it with --resume)")
    path = folder / RUNS
    again = ("run sim compare again" if manifest.get("kind") == "compare"
             else "rerun the experiment with --resume to rebuild it")
    if not path.is_file():
        raise EnvironmentFailure(f"{path} is missing though {MANIFEST} says the experiment is complete: {again}")
    try:
        with reading(path):
            record = parquet_record(path)
            table = pd.read_parquet(path, columns=list(columns) if columns else None)
    except (pa.ArrowException, ValueError) as exc:
        raise EnvironmentFailure(f"{path} is corrupt ({first_line(exc)}): {again}") from None
    different = [k for k in ("seed", "scenario_sha256", "runs") if record and k in manifest
                 and record.get(k) != manifest[k]]
    if different:
        raise EnvironmentFailure(f"{path} holds another experiment than {MANIFEST} ({', '.join(different)} "
                                 f"{'differs' if len(different) == 1 else 'differ'}): {again}")
    return table


def _file_digest(path: str | None) -> str | None:
    """SHA-256 of a scenario file's bytes (the resolved scenario's own hash covers what it extends)."""
    if not path or not Path(path).is_file():
        return None
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _part_path(folder: Path, chunk: Chunk) -> Path:
    return folder / PARTS / f"part-{chunk.index:06d}.parquet"


def _saved_chunk_size(folder: Path, runs: int) -> int | None:
    """The chunking of the experiment a folder holds: from its manifest, else (a lost or damaged one) from
    the record of its first part; None if neither tells (the parts are then checked against a new plan)."""
    try:
        saved = (_load_manifest(folder) or {}).get("chunk_size")
    except EnvironmentFailure:
        saved = None
    if isinstance(saved, int) and not isinstance(saved, bool) and saved >= 1:
        return saved
    first = folder / PARTS / "part-000000.parquet"
    try:
        record = parquet_record(first) if first.exists() else None
    except (OSError, pa.ArrowException):
        record = None
    if not record:
        return None
    try:
        # A first part of several points holds them whole: any chunk of that many points' runs plans alike.
        size = int(record["points"]) * runs if int(record["points"]) > 1 else int(record["stop"]) - int(record["start"])
    except (KeyError, TypeError, ValueError):
        return None
    return size if size >= 1 else None


def _design_digest(points: Sequence[Point]) -> str:
    if len(points) == 1:
        return points[0].scenario.digest()
    return hashlib.sha256(json.dumps([[p.scenario.digest(), p.values] for p in points], sort_keys=True,
                                     default=str).encode()).hexdigest()


class ResultFolder:
    """A result folder as the store of :func:`sim.experiment.run_design`: parts streamed to disk,
    the manifest kept up to date, ``runs.parquet`` joined at the end.

    Opening it takes the folder's lock (held until :meth:`close` or :meth:`release`; use it as a
    context manager), checks the folder (other results refused unless resuming the same experiment
    or starting over) and writes the manifest and the resolved scenario. ``notify`` is told, in one
    line each, of the files moved aside (default: ``sim: warning: ...`` on stderr).

    Raises:
        ExperimentError: the folder holds other results, or (with ``resume``) holds an experiment with
            another scenario, seed or chunking.
        EnvironmentFailure: another run writes the folder; it cannot be written; its manifest is
            corrupt, or lost while parts remain (unless ``rebuild_manifest``).
    """

    def __init__(self, folder: str | Path, points: Sequence[Point], *, runs: int, seed: int,
                 chunk_size: int | None = None, executor: Executor, resume: bool = False, overwrite: bool = False, csv: bool = False,
                 extra_manifest: dict[str, Any] | None = None, rebuild_manifest: bool = False,
                 keep_parts: bool = False, notify: Callable[[str], None] | None = None):
        self.folder = Path(folder)
        self.csv, self.keep_parts, self.notify = csv, keep_parts, notify or _warn
        scenario = points[0].scenario
        self._lock = FolderLock(self.folder)
        if chunk_size is None:
            # Resumed, the folder's own chunking (its parts are those chunks); new, a batch per worker.
            saved = _saved_chunk_size(self.folder, runs) if resume or rebuild_manifest else None
            chunk_size = saved or batch_size(runs, len(points), executor.workers)
        self.chunk_size = int(chunk_size)
        """Runs per chunk, one part file each (what ``--resume`` must plan again)."""
        self.settings = {"scenario": scenario.name, "scenario_sha256": _design_digest(points), "seed": int(seed),
                         "runs": int(runs), "chunk_size": self.chunk_size, "points": len(points)}
        try:
            remove_temporaries(self.folder, self.folder / PARTS)
            old = self._prepare(resume or rebuild_manifest, overwrite, rebuild_manifest)
            self.complete = (resume or rebuild_manifest) and self._runs_complete()
            with writing(self.folder / PARTS):
                (self.folder / PARTS).mkdir(exist_ok=True)
            self.manifest = self._first_manifest(scenario, points, executor, old, extra_manifest)
            atomic_write_text(self.folder / "scenario.resolved.yaml",
                              yaml.safe_dump(json.loads(json.dumps(dict(scenario.data), default=str)),
                                             sort_keys=False, allow_unicode=True))
            atomic_write_text(self.folder / MANIFEST, json.dumps(self.manifest, indent=2))
        except BaseException:
            self.release()
            raise
        self.started = time.perf_counter()

    def __enter__(self) -> ResultFolder:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.release()

    def release(self) -> None:
        """Give the folder up to the next writer (done by :meth:`close`; safe to call twice)."""
        self._lock.release()

    def _prepare(self, resume: bool, overwrite: bool, rebuild: bool) -> dict[str, Any] | None:
        """The saved manifest to resume, after refusing what must not be resumed or overwritten."""
        if overwrite:
            self._clear()
            return None
        try:
            old = _load_manifest(self.folder)
        except EnvironmentFailure:
            if not rebuild:
                raise
            old = None
        if old is None:
            if self._holds_runs() and not rebuild:
                raise EnvironmentFailure(f"{self.folder} holds runs but no {MANIFEST}: {REBUILD}")
            return None
        if not resume:
            raise ExperimentError(f"{self.folder} already holds results ({old.get('status')}): use --resume to "
                                  "finish them or --force to start over")
        different = [k for k, v in self.settings.items() if old.get(k) != v]
        if different:
            raise ExperimentError(f"cannot resume {self.folder}: {', '.join(different)} "
                                  f"{'differs' if len(different) == 1 else 'differ'} from the saved experiment")
        return old

    def _holds_runs(self) -> bool:
        return (self.folder / RUNS).exists() or any((self.folder / PARTS).glob("part-*.parquet"))

    def _clear(self) -> None:
        for name in (PARTS, REJECTED, RUNS, MANIFEST, "runs.csv", "scenario.resolved.yaml"):
            target = self.folder / name
            with writing(target):
                if target.is_dir():
                    shutil.rmtree(target)
                else:
                    target.unlink(missing_ok=True)

    def _first_manifest(self, scenario: Scenario, points: Sequence[Point], executor: Executor,
                        old: dict[str, Any] | None, extra: dict[str, Any] | None) -> dict[str, Any]:
        settings = self.settings
        manifest: dict[str, Any] = {
            "package": "ceasefire-sim", "version": __version__, **settings,
            "scenario_file": scenario.source, "scenario_file_sha256": _file_digest(scenario.source),
            "executor": executor.kind, "workers": int(executor.workers),
            "scheduler": executor.scheduler, "chunks": len(plan_chunks(settings["runs"], settings["chunk_size"],
                                                                        len(points))),
            "python": platform.python_version(), "platform": platform.platform(), "cores": os.cpu_count(),
            "status": "running", "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"), **(extra or {}),
        }
        if len(points) > 1:
            manifest["design"] = [p.values for p in points]
        if old is not None:
            manifest["started"] = old.get("started", manifest["started"])
            manifest["resumed"] = time.strftime("%Y-%m-%dT%H:%M:%S%z")
        return manifest

    def _runs_record(self) -> dict[str, Any]:
        keys = ("seed", "scenario_sha256", "runs", "points", "chunk_size")
        return {"kind": "runs", **{k: self.settings[k] for k in keys}}

    def _part_record(self, chunk: Chunk) -> dict[str, Any]:
        return {"kind": "part", "seed": self.settings["seed"], "scenario_sha256": self.settings["scenario_sha256"],
                "chunk": chunk.index, "point": chunk.point, "points": chunk.points, "start": chunk.start,
                "stop": chunk.stop}

    def _runs_complete(self) -> bool:
        """Whether ``runs.parquet`` already holds this whole experiment (else it is moved aside)."""
        path = self.folder / RUNS
        if not path.exists():
            return False
        expected = {k: v for k, v in self._runs_record().items() if k != "chunk_size"}
        problem = check_parquet(path, expected, self.settings["runs"] * self.settings["points"])
        if problem:
            parts = any((self.folder / PARTS).glob("part-*.parquet"))
            self._reject(path, problem, "it is assembled again from the parts" if parts
                         else "its runs are simulated again")
        return problem is None

    def _reject(self, path: Path, problem: str, then: str) -> None:
        """Move a file that cannot be trusted into ``rejected/`` and say so."""
        aside = self.folder / REJECTED
        target = aside / path.name
        k = 0
        while target.exists():
            k += 1
            target = aside / f"{path.stem}.{k}{path.suffix}"
        with writing(target):
            aside.mkdir(exist_ok=True)
            os.replace(path, target)
        self.notify(f"{path} {problem}: moved to {target}; {then}")

    def pending(self, chunks: Sequence[Chunk]) -> list[Chunk]:
        """The chunks without a trustworthy part yet; parts that do not open or whose record does not
        match this experiment and chunk are moved aside (and their chunks run again)."""
        if self.complete:
            return []
        todo = []
        for chunk in chunks:
            path = _part_path(self.folder, chunk)
            if path.exists() and (problem := check_parquet(path, self._part_record(chunk), chunk.size)):
                self._reject(path, problem, "its runs are simulated again")
            if not path.exists():
                todo.append(chunk)
        planned = {_part_path(self.folder, c) for c in chunks}
        for stray in sorted((self.folder / PARTS).glob("part-*.parquet")):
            if stray not in planned:
                self._reject(stray, "is not a chunk of this experiment", "it is not used")
        return todo

    def save(self, chunk: Chunk, table: pd.DataFrame) -> None:
        """Write one chunk's part file (atomically), with its record."""
        write_parquet(_part_path(self.folder, chunk), table, self._part_record(chunk))

    def close(self, chunks: Sequence[Chunk], simulated_runs: int) -> None:
        """Join the parts into runs.parquet, mark the manifest complete, remove the parts and give the
        folder up."""
        seconds = time.perf_counter() - self.started
        try:
            if not self.complete:
                assemble(self.folder / RUNS, [_part_path(self.folder, c) for c in chunks], self._runs_record(),
                         self.folder / "runs.csv" if self.csv else None)
            self.complete = True
            self.manifest.update({"status": "complete", "finished": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                                  "elapsed_seconds": round(seconds, 3),
                                  "seconds_per_run": round(seconds / max(simulated_runs, 1), 6),
                                  "runs_this_session": simulated_runs})
            atomic_write_text(self.folder / MANIFEST, json.dumps(self.manifest, indent=2))
            if not self.keep_parts:
                try:
                    shutil.rmtree(self.folder / PARTS)
                except OSError as exc:
                    self.notify(f"cannot remove {self.folder / PARTS}: {exc.strerror or exc} (the results are "
                                "complete; remove it by hand)")
        finally:
            self.release()


def run_to_directory(experiment: Scenario | Sequence[Point], folder: str | Path, *, runs: int, seed: int = 0,
                     workers: int = 1,
                     executor: str = "local", scheduler: str | None = None, chunk_size: int | None = None,
                     resume: bool = False, overwrite: bool = False, csv: bool = False,
                     extra_manifest: dict[str, Any] | None = None,
                     progress: Callable[[int, int], None] | None = None, rebuild_manifest: bool = False,
                     keep_parts: bool = False, notify: Callable[[str], None] | None = None) -> Path:
    """Run an experiment into a result folder, streaming chunks to disk; returns the folder.

    :func:`sim.experiment.run_design` with a :class:`ResultFolder` as its store, which holds the
    folder's lock until the experiment ends (however it ends).

    Raises:
        ExperimentError: the folder holds other results, or (with ``resume``) holds an experiment with
            another scenario, seed or chunking.
        EnvironmentFailure: another run writes the folder, or the disk, a permission or a damaged file
            stops the experiment (finished chunks are kept for ``resume``).
    """
    points = [Point(experiment)] if isinstance(experiment, Scenario) else list(experiment)
    where = Executor(executor, workers, scheduler)
    with ResultFolder(folder, points, runs=runs, seed=seed, chunk_size=chunk_size, executor=where, resume=resume,
                      overwrite=overwrite, csv=csv, extra_manifest=extra_manifest, rebuild_manifest=rebuild_manifest,
                      keep_parts=keep_parts, notify=notify) as store:
        run_design(points, runs=runs, seed=seed, executor=where, store=store, progress=progress,
                   chunk_size=store.chunk_size)
    return store.folder

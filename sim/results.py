"""Result folders: runs streamed to disk in chunks, a manifest that describes them, and resuming.

A result folder holds:

- ``parts/part-NNNNNN.parquet``: one file per finished chunk, each written to a temporary name and
  renamed into place, so an interrupted experiment keeps every finished chunk and never a torn file;
- ``runs.parquet`` (and ``runs.csv`` with ``csv=True``): all runs, assembled part by part at the end;
- ``manifest.json``: package version, scenario name, file and SHA-256, master seed, runs, chunking,
  executor and workers, timings, and whether the experiment is complete;
- ``scenario.resolved.yaml``: the merged scenario that produced the runs.

``resume=True`` finishes an interrupted experiment: it checks that the scenario, seed and chunking
match, and runs only the missing chunks. The result equals an uninterrupted run, row for row.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import shutil
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import yaml

from . import __version__
from .errors import ExperimentError
from .experiment import DEFAULT_CHUNK, Chunk, Executor, Point, plan_chunks, run_design
from .scenario import Scenario

__all__ = ["MANIFEST", "RUNS", "ResultFolder", "atomic_write_text", "read_manifest", "read_results", "run_to_directory"]

MANIFEST = "manifest.json"
RUNS = "runs.parquet"
PARTS = "parts"


def atomic_write_text(path: Path, text: str) -> None:
    """Write a text file so that readers see the old or the new content, never a torn one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _atomic_parquet(table: pd.DataFrame, path: Path) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        table.to_parquet(tmp, index=False)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read_manifest(folder: str | Path) -> dict[str, Any]:
    """The manifest of a result folder."""
    path = Path(folder) / MANIFEST
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ExperimentError(f"{folder}: no {MANIFEST} (not a result folder)") from None
    except json.JSONDecodeError as exc:
        raise ExperimentError(f"{path}: unreadable manifest ({exc})") from None


def read_results(folder: str | Path, columns: Sequence[str] | None = None) -> pd.DataFrame:
    """The runs of a complete result folder (optionally only some columns)."""
    folder = Path(folder)
    manifest = read_manifest(folder)
    if manifest.get("status") != "complete":
        raise ExperimentError(f"{folder}: the experiment is not complete (finish it with --resume)")
    return pd.read_parquet(folder / RUNS, columns=list(columns) if columns else None)


def _file_digest(path: str | None) -> str | None:
    """SHA-256 of a scenario file's bytes (the resolved scenario's own hash covers what it extends)."""
    if not path or not Path(path).is_file():
        return None
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _part_path(folder: Path, chunk: Chunk) -> Path:
    return folder / PARTS / f"part-{chunk.index:06d}.parquet"


def _check_writable(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / ".write-test"
        probe.write_text("ok")
        probe.unlink()
    except OSError as exc:
        raise ExperimentError(f"cannot write to the output folder {folder}: {exc.strerror or exc}") from None


class ResultFolder:
    """A result folder as the store of :func:`sim.experiment.run_design`: parts streamed to disk,
    the manifest kept up to date, ``runs.parquet`` joined at the end.

    Opening it checks the folder (writable; other results refused unless resuming the same
    experiment or starting over) and writes the manifest and the resolved scenario.

    Raises:
        ExperimentError: the folder is not writable, holds other results, or (with ``resume``)
            holds an experiment with another scenario, seed or chunking.
    """

    def __init__(self, folder: str | Path, points: Sequence[Point], *, runs: int, seed: int, chunk_size: int,
                 executor: Executor, resume: bool = False, overwrite: bool = False, csv: bool = False,
                 extra_manifest: dict[str, Any] | None = None):
        self.folder = Path(folder)
        self.csv = csv
        _check_writable(self.folder)
        scenario = points[0].scenario
        digest = scenario.digest() if len(points) == 1 else hashlib.sha256(
            json.dumps([[p.scenario.digest(), p.values] for p in points], sort_keys=True,
                       default=str).encode()).hexdigest()
        settings = {"scenario": scenario.name, "scenario_sha256": digest, "seed": int(seed),
                    "runs": int(runs), "chunk_size": int(chunk_size), "points": len(points)}
        self._prepare(settings, resume, overwrite)
        (self.folder / PARTS).mkdir(exist_ok=True)
        self.manifest = self._first_manifest(settings, scenario, points, executor, resume, extra_manifest)
        atomic_write_text(self.folder / "scenario.resolved.yaml",
                          yaml.safe_dump(json.loads(json.dumps(dict(scenario.data), default=str)), sort_keys=False,
                                         allow_unicode=True))
        atomic_write_text(self.folder / MANIFEST, json.dumps(self.manifest, indent=2))
        self.started = time.perf_counter()

    def _prepare(self, settings: dict[str, Any], resume: bool, overwrite: bool) -> None:
        existing = self.folder / MANIFEST
        if existing.exists() and not overwrite:
            old = read_manifest(self.folder)
            if not resume:
                raise ExperimentError(f"{self.folder} already holds results ({old.get('status')}): use --resume to "
                                      "finish them or --force to start over")
            different = [k for k, v in settings.items() if old.get(k) != v]
            if different:
                raise ExperimentError(f"cannot resume {self.folder}: {', '.join(different)} differ from the saved "
                                      "experiment")
        elif overwrite and self.folder.exists():
            for name in (PARTS, RUNS, MANIFEST, "runs.csv", "scenario.resolved.yaml"):
                target = self.folder / name
                if target.is_dir():
                    shutil.rmtree(target)
                else:
                    target.unlink(missing_ok=True)

    def _first_manifest(self, settings: dict[str, Any], scenario: Scenario, points: Sequence[Point],
                        executor: Executor, resume: bool, extra: dict[str, Any] | None) -> dict[str, Any]:
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
        if (self.folder / MANIFEST).exists() and resume:
            manifest["started"] = read_manifest(self.folder).get("started", manifest["started"])
            manifest["resumed"] = time.strftime("%Y-%m-%dT%H:%M:%S%z")
        return manifest

    def pending(self, chunks: Sequence[Chunk]) -> list[Chunk]:
        """The chunks without a part file yet."""
        return [c for c in chunks if not _part_path(self.folder, c).exists()]

    def save(self, chunk: Chunk, table: pd.DataFrame) -> None:
        """Write one chunk's part file (atomically)."""
        _atomic_parquet(table, _part_path(self.folder, chunk))

    def close(self, chunks: Sequence[Chunk], simulated_runs: int) -> None:
        """Join the parts into runs.parquet and mark the manifest complete."""
        seconds = time.perf_counter() - self.started
        _assemble(self.folder, chunks, self.csv)
        self.manifest.update({"status": "complete", "finished": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                              "elapsed_seconds": round(seconds, 3),
                              "seconds_per_run": round(seconds / max(simulated_runs, 1), 6),
                              "runs_this_session": simulated_runs})
        atomic_write_text(self.folder / MANIFEST, json.dumps(self.manifest, indent=2))


def run_to_directory(experiment: Scenario | Sequence[Point], folder: str | Path, *, runs: int, seed: int = 0,
                     workers: int = 1,
                     executor: str = "local", scheduler: str | None = None, chunk_size: int = DEFAULT_CHUNK,
                     resume: bool = False, overwrite: bool = False, csv: bool = False,
                     extra_manifest: dict[str, Any] | None = None,
                     progress: Callable[[int, int], None] | None = None) -> Path:
    """Run an experiment into a result folder, streaming chunks to disk; returns the folder.

    :func:`sim.experiment.run_design` with a :class:`ResultFolder` as its store.

    Raises:
        ExperimentError: the folder is not writable, holds other results, or (with ``resume``)
            holds an experiment with another scenario, seed or chunking.
    """
    points = [Point(experiment)] if isinstance(experiment, Scenario) else list(experiment)
    where = Executor(executor, workers, scheduler)
    store = ResultFolder(folder, points, runs=runs, seed=seed, chunk_size=chunk_size, executor=where, resume=resume,
                         overwrite=overwrite, csv=csv, extra_manifest=extra_manifest)
    run_design(points, runs=runs, seed=seed, executor=where, store=store, progress=progress, chunk_size=chunk_size)
    return store.folder


def _assemble(folder: Path, chunks: Sequence[Chunk], csv: bool) -> None:
    """Join the parts in run order into runs.parquet (and runs.csv), one part in memory at a time."""
    target = folder / RUNS
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".runs.", suffix=".parquet.tmp")
    os.close(fd)
    csv_tmp = None
    writer: pq.ParquetWriter | None = None
    try:
        schema = None
        csv_fh = None
        if csv:
            fd2, csv_tmp = tempfile.mkstemp(dir=folder, prefix=".runs.", suffix=".csv.tmp")
            csv_fh = os.fdopen(fd2, "w", encoding="utf-8", newline="")
        for k, chunk in enumerate(chunks):
            table = pq.read_table(_part_path(folder, chunk))
            if schema is None:
                schema = table.schema
                writer = pq.ParquetWriter(tmp, schema)
            writer.write_table(table.cast(schema))  # type: ignore[union-attr]
            if csv_fh is not None:
                table.to_pandas().to_csv(csv_fh, header=(k == 0), index=False)
        if writer is not None:
            writer.close()
            writer = None
        if csv_fh is not None:
            csv_fh.close()
            os.replace(csv_tmp, folder / "runs.csv")  # type: ignore[arg-type]
            csv_tmp = None
        os.replace(tmp, target)
    finally:
        if writer is not None:
            writer.close()
        Path(tmp).unlink(missing_ok=True)
        if csv_tmp:
            Path(csv_tmp).unlink(missing_ok=True)


assert pa  # pyarrow is the Parquet engine

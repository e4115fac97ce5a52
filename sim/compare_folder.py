"""Comparison folders (``sim compare --out DIR``): the runs, the tables and the figures of a comparison.

The comparison itself (:mod:`sim.compare`) neither runs a folder nor writes one; this module writes
what it found, under the folder's lock.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from .compare import Comparison
from .errors import ExperimentError

__all__ = ["save_comparison"]


def save_comparison(comparison: Comparison, folder: str | Path) -> list[Path]:
    """Write a comparison folder: runs, comparison.csv, paired_differences.csv, figures and manifest.

    Raises:
        ExperimentError: the folder holds the results of ``sim run``/``sim sweep`` (not overwritten).
        EnvironmentFailure: another run writes the folder, or it cannot be written.
    """
    from .result_files import FolderLock

    folder = Path(folder)
    lock = FolderLock(folder)
    try:
        return _write_comparison(comparison, folder)
    finally:
        lock.release()


def _write_comparison(comparison: Comparison, folder: Path) -> list[Path]:
    from . import __version__
    from .plots import save_all
    from .result_files import atomic_write_text, write_parquet, writing
    from .results import MANIFEST, RUNS

    # Written with the one atomic-write routine of sim run and sim sweep (result_files.atomic_file).
    manifest_path = folder / MANIFEST
    if manifest_path.exists():
        try:
            loaded = json.loads(manifest_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            loaded = None
        if not isinstance(loaded, dict) or loaded.get("kind") != "compare":
            raise ExperimentError(f"{folder} holds other results (not a comparison): choose another --out")
    table = comparison.table
    written = [folder / RUNS, folder / "comparison.csv", folder / "paired_differences.csv"]
    diffs = comparison.differences()
    again = "run sim compare again"
    with writing(folder, then=again):
        write_parquet(folder / RUNS, table, {"kind": "compare", "seed": comparison.seed}, then=again)
        comparison.summary().to_csv(folder / "comparison.csv", index=False)
        diffs.to_csv(folder / "paired_differences.csv", index=False)
        written += save_all(table, folder, horizon=comparison.horizon, guarantors=comparison.guarantors or None,
                            names=comparison.actor_names, issues=comparison.issues,
                            round_weeks=comparison.round_weeks)
    sizes = table.groupby("scenario", sort=False).size()
    manifest = {
        "package": "ceasefire-sim", "version": __version__, "kind": "compare", "status": "complete",
        "scenarios": comparison.names, "inputs": comparison.inputs, "seed": comparison.seed,
        "runs_per_scenario": {str(k): int(v) for k, v in sizes.items()}, "horizon": comparison.horizon,
        "round_weeks": comparison.round_weeks,
        "guarantors": comparison.guarantors, "names": comparison.actor_names, "issues": comparison.issues,
        "measures": comparison.measures,
        "baseline": comparison.names[0],
        "paired": bool(diffs["paired"].all()) if len(diffs) else None,
        "finished": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    atomic_write_text(manifest_path, json.dumps(manifest, indent=2))
    written.append(manifest_path)
    return written

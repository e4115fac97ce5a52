"""Benchmark: runs per second, scaling with workers, memory, and cost per run against horizon and actors.

``python bench/run.py`` (or ``make bench``) prints the figures and whether each target is met;
``--quick`` uses small sizes so that CI can run it in a few seconds and it cannot rot. Timings are
wall-clock on this machine; run it on an otherwise idle machine.

Targets (2-core machine): 1,000 baseline runs in-process under 1 s; 10,000 runs under 5 s with 2
workers; peak memory flat in the number of runs (200,000 within 2x of 20,000); cost per run at most
linear in the horizon and in the number of actors.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sim import Scenario, load_scenario  # noqa: E402
from sim.experiment import run_many  # noqa: E402

BASELINE = ROOT / "scenarios" / "baseline.yaml"


def timed(fn, repeat: int = 1) -> float:
    """Best wall time of ``repeat`` calls."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def peak_memory_mb(runs: int, workers: int = 1) -> tuple[float, float]:
    """Peak resident memory (MB) and wall time of ``sim run --out`` for ``runs`` runs, in a fresh process."""
    with tempfile.TemporaryDirectory() as tmp:
        code = (
            "import resource, sys, time\n"
            "from sim.cli import main\n"
            "t = time.perf_counter()\n"
            f"rc = main(['run', {str(BASELINE)!r}, '--runs', '{runs}', '--workers', '{workers}', '--seed', '1',"
            f" '--out', {tmp!r}])\n"
            "el = time.perf_counter() - t\n"
            "self_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
            "kids_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
            "print('BENCH', max(self_kb, kids_kb) / 1024, el, file=sys.stderr)\n"
            "sys.exit(rc)\n"
        )
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
        line = [x for x in done.stderr.splitlines() if x.startswith("BENCH")]
        if done.returncode != 0 or not line:
            raise RuntimeError(done.stderr[-2000:])
        _, mb, elapsed = line[-1].split()
        return float(mb), float(elapsed)


def doubled_guarantors(scenario: Scenario) -> Scenario:
    """The scenario with every guarantor duplicated (new ids), so the coalition has twice the members."""
    data = copy.deepcopy(dict(scenario.data))
    for aid, actor in list(data["actors"].items()):
        if "guarantor" in actor.get("roles", []):
            twin = copy.deepcopy(actor)
            twin["name"] = actor["name"] + " (twin)"
            data["actors"][f"{aid}_twin"] = twin
    data["name"] = "baseline-2x-guarantors"
    return Scenario.from_dict(data, source=str(BASELINE))


def per_run(scenario: Scenario, runs: int) -> float:
    """Seconds per run, in-process, best of two."""
    return timed(lambda: run_many(scenario, runs=runs, seed=3, chunk_size=runs), repeat=2) / runs


def main() -> None:
    """Print the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes (a few seconds), for CI")
    args = parser.parse_args()
    quick = args.quick
    n_rate, n_notebook, n_scale = (200, 200, 400) if quick else (4000, 1000, 10_000)
    n_mem_small, n_mem_large = (200, 2000) if quick else (20_000, 200_000)
    n_cost = 100 if quick else 1000
    results: dict[str, object] = {"mode": "quick" if quick else "full", "cores": os.cpu_count()}

    baseline = load_scenario(BASELINE)
    run_many(baseline, runs=50, seed=0)  # warm imports and caches

    rate = n_rate / timed(lambda: run_many(baseline, runs=n_rate, seed=1, chunk_size=500))
    results["runs_per_second_one_process"] = round(rate, 1)

    start = time.perf_counter()
    fresh = load_scenario(BASELINE)
    run_many(fresh, runs=n_notebook, seed=2)
    results[f"seconds_{n_notebook}_runs_in_process"] = round(time.perf_counter() - start, 3)

    results[f"seconds_{n_scale}_runs_1_worker"] = round(timed(lambda: run_many(baseline, runs=n_scale, seed=4)), 3)
    results[f"seconds_{n_scale}_runs_2_workers"] = round(
        timed(lambda: run_many(baseline, runs=n_scale, seed=4, workers=2)), 3)

    small_mb, _ = peak_memory_mb(n_mem_small, workers=2)
    large_mb, large_s = peak_memory_mb(n_mem_large, workers=2)
    results[f"peak_mb_{n_mem_small}_runs"] = round(small_mb, 1)
    results[f"peak_mb_{n_mem_large}_runs"] = round(large_mb, 1)
    results["peak_memory_ratio"] = round(large_mb / small_mb, 2)
    results[f"seconds_{n_mem_large}_runs_to_disk_2_workers"] = round(large_s, 1)

    base_cost = per_run(baseline, n_cost)
    long_cost = per_run(baseline.with_overrides({"horizon.rounds": 52}), n_cost)
    wide_cost = per_run(doubled_guarantors(baseline), n_cost)
    results["ms_per_run_horizon_26"] = round(1000 * base_cost, 3)
    results["ms_per_run_horizon_52"] = round(1000 * long_cost, 3)
    results["horizon_doubling_cost_ratio"] = round(long_cost / base_cost, 2)
    results["ms_per_run_2x_guarantors"] = round(1000 * wide_cost, 3)
    results["actors_doubling_cost_ratio"] = round(wide_cost / base_cost, 2)

    targets = {
        f"seconds_{n_notebook}_runs_in_process": ("<", 1.0 * n_notebook / 1000),
        f"seconds_{n_scale}_runs_2_workers": ("<", 5.0 * n_scale / 10_000),
        "peak_memory_ratio": ("<=", 2.0),
        "horizon_doubling_cost_ratio": ("<=", 2.2),
        "actors_doubling_cost_ratio": ("<=", 2.2),
    }
    width = max(len(k) for k in results)
    print(f"ceasefire-sim benchmark ({results['mode']} mode, {results['cores']} cores)")
    for key, value in results.items():
        if key in ("mode", "cores"):
            continue
        mark = ""
        if key in targets:
            op, limit = targets[key]
            ok = value < limit if op == "<" else value <= limit  # type: ignore[operator]
            mark = f"   target {op} {limit:g}: {'met' if ok else 'NOT met'}"
            if quick and key.startswith("seconds_"):
                mark += " (quick mode: scaled down; fixed costs dominate, the target is for the full size)"
        print(f"  {key:<{width}}  {value}{mark}")
    print("json:", json.dumps(results))


if __name__ == "__main__":
    main()

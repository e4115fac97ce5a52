"""Per-run time of the model against the first model's, measured side by side (issue 13's speed check).

``python bench/first_model.py [RUNS] [REPEATS]`` (defaults 1,000 and 3) extracts the first model from
the repository's history (:data:`FIRST_MODEL`, with ``git archive``) into a temporary folder, and times
``RUNS`` baseline runs in-process with each, alternately, each in a fresh process with its own default
settings (chunk size included), after a warm-up of 50 runs; it prints every time, the best and the
median of each, and their ratios. The bench (``bench/run.py``) reports the same ratio with
:func:`ratio_to_first_model`.

The first model is the last commit whose behaviour is the first version's (the golden records of
that version held after the arenas were split out; model-v2.md measured it): ``FIRST_MODEL``. Timing
both in alternation on the same machine is what makes the ratio meaningful here, where the machines
are shared and absolute times move by a tenth between minutes.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: The first model: its behaviour is the first version's, in the structure of arenas (``fd09084``).
FIRST_MODEL = "fd09084f53e2be91ce19d0d8d0ddfd0c97229026"

_TIMED = """
import sys, time
sys.path.insert(0, sys.argv[1])
from sim import load_scenario
from sim.experiment import run_many
scenario = load_scenario(sys.argv[1] + "/scenarios/baseline.yaml")
run_many(scenario, runs=50, seed=0, workers=1)
start = time.perf_counter()
run_many(scenario, runs=int(sys.argv[2]), seed=2, workers=1)
print(time.perf_counter() - start)
"""


class FirstModelUnavailable(RuntimeError):
    """The first model cannot be taken from the repository's history (no git, or a shallow clone)."""


def extract_first_model(into: Path) -> Path:
    """The first model's package, scenarios and facts, from git history, under ``into``; returns its root."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", FIRST_MODEL, "sim", "scenarios", "seeds"],
                             capture_output=True)
    if archive.returncode != 0:
        raise FirstModelUnavailable(f"git archive {FIRST_MODEL[:7]} failed: "
                                    f"{archive.stderr.decode(errors='replace').strip().splitlines()[-1:]}")
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive.stdout, check=True)
    return into


def _time(root: Path, runs: int) -> float:
    out = subprocess.run([sys.executable, "-c", _TIMED, str(root), str(runs)], capture_output=True, text=True,
                         cwd=tempfile.gettempdir())
    if out.returncode != 0:
        raise RuntimeError(f"timing {root} failed: {out.stderr.strip().splitlines()[-1:]}")
    return float(out.stdout.strip())


def paired_times(runs: int, repeats: int) -> dict[str, list[float]]:
    """Seconds for ``runs`` baseline runs, ``repeats`` times each, the first model and this one alternately."""
    times: dict[str, list[float]] = {"first model": [], "this model": []}
    with tempfile.TemporaryDirectory(prefix="first-model-") as tmp:
        first = extract_first_model(Path(tmp))
        for _ in range(repeats):
            times["first model"].append(_time(first, runs))
            times["this model"].append(_time(ROOT, runs))
    return times


def ratio_to_first_model(runs: int, repeats: int) -> tuple[float, float, float]:
    """(this model's best time, the first model's best time, their ratio), measured in alternation."""
    times = paired_times(runs, repeats)
    ours, first = min(times["this model"]), min(times["first model"])
    return ours, first, ours / first


def main(runs: int, repeats: int) -> None:
    times = paired_times(runs, repeats)
    for name, values in times.items():
        print(f"{name:11s} {runs:,} baseline runs in-process: " + ", ".join(f"{v:.2f}" for v in values)
              + f" s; best {min(values):.2f}, median {statistics.median(values):.2f}")
    best = min(times["this model"]) / min(times["first model"])
    median = statistics.median(times["this model"]) / statistics.median(times["first model"])
    print(f"ratio to the first model ({FIRST_MODEL[:7]}): {best:.2f} of the bests, {median:.2f} of the medians"
          f" (issue 13: at most 3)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000, int(sys.argv[2]) if len(sys.argv) > 2 else 3)

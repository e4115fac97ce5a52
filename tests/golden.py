"""Golden records: 500 runs of every shipped scenario at one master seed, stored as tables.

The model's refactors must leave these tables bit for bit the same; a change of behaviour re-records
them on purpose, in its own commit that says why::

    .venv/bin/python tests/golden.py            # compare, print the first differing rows
    .venv/bin/python tests/golden.py --record   # re-record every golden table

Each table is stored as Parquet (to show a readable diff) with the SHA-256 of its canonical text in
``hashes.json`` (so that a changed stored table cannot hide a changed model).
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
FOLDER = Path(__file__).resolve().parent / "golden"
HASHES = FOLDER / "hashes.json"
RUNS = 500
MASTER_SEED = 20261201
#: Runs of each scenario whose story (the event log of ``explain_run``) is pinned too.
STORY_RUNS = 12


def shipped() -> dict[str, Path]:
    """Every scenario the project ships, by a stable name: ``scenarios/*.yaml`` and the docs' examples."""
    files = sorted((ROOT / "scenarios").glob("*.yaml")) + sorted((ROOT / "docs" / "examples").glob("*.yaml"))
    return {f"{f.parent.name}-{f.stem}": f for f in files}


def simulate(path: Path) -> pd.DataFrame:
    """The golden experiment of one scenario file."""
    from sim import load_scenario
    from sim.experiment import run_many

    return run_many(load_scenario(path), runs=RUNS, seed=MASTER_SEED)


def story(path: Path) -> str:
    """The event logs of the first ``STORY_RUNS`` runs of the golden experiment, as text."""
    from sim import load_scenario
    from sim.experiment import explain_run
    from sim.streams import run_seed

    scenario = load_scenario(path)
    lines = []
    for i in range(STORY_RUNS):
        seed = run_seed(MASTER_SEED, i)
        _, events = explain_run(scenario, seed)
        lines.append(f"# run {i} (seed {seed})")
        lines.extend(f"{e.round} | {e.actor} | {e.event} | {e.detail}" for e in events)
    return "\n".join(lines) + "\n"


def story_difference(name: str, path: Path) -> str | None:
    """None if the stories are unchanged, else the first differing lines."""
    import difflib

    stored = FOLDER / f"{name}.story.txt"
    if not stored.exists():
        return f"{name}: no golden story (record with: python tests/golden.py --record)"
    expected, actual = stored.read_text(), story(path)
    if same_story(expected, actual):
        return None
    diff = list(difflib.unified_diff(expected.splitlines(), actual.splitlines(), "golden", "now", n=1, lineterm=""))
    return f"{name} story changed:\n" + "\n".join(diff[:40])


#: A number as the story prints it.
NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def same_story(expected: str, actual: str) -> bool:
    """Whether two stories tell the same events: the same text, and the same numbers to within one unit
    of their last printed digit.

    The story is printed from one run's model, whose arithmetic numpy routes through SIMD loops that
    differ between processors: the stories recorded on one machine of this project printed 0.740
    where an AVX2-only AMD machine prints 0.741 (the golden tables, hashed to the last bit, agreed). Any other difference (a word, a number off by more than its last digit, a line more
    or less) is a changed story.
    """
    if expected == actual:
        return True
    old_lines, new_lines = expected.splitlines(), actual.splitlines()
    if len(old_lines) != len(new_lines):
        return False
    for old, new in zip(old_lines, new_lines, strict=True):
        if old == new:
            continue
        if NUMBER.sub("#", old) != NUMBER.sub("#", new):
            return False
        for a, b in zip(NUMBER.findall(old), NUMBER.findall(new), strict=True):
            decimals = len(a.partition(".")[2])
            if decimals != len(b.partition(".")[2]) or abs(float(a) - float(b)) > 1.5 * 10.0 ** -decimals:
                return False
    return True


def digest(table: pd.DataFrame) -> str:
    """SHA-256 of the table as text with every float written exactly (17 significant digits)."""
    text = table.to_csv(index=False, float_format="%.17g", lineterminator="\n")
    return hashlib.sha256(text.encode()).hexdigest()


def first_differences(expected: pd.DataFrame, actual: pd.DataFrame, rows: int = 5) -> str:
    """A readable account of how two tables differ: columns, then the first differing rows and cells."""
    lines = []
    missing = [c for c in expected.columns if c not in actual.columns]
    extra = [c for c in actual.columns if c not in expected.columns]
    if missing:
        lines.append(f"columns gone: {missing}")
    if extra:
        lines.append(f"columns new: {extra}")
    if len(expected) != len(actual):
        lines.append(f"rows: {len(expected)} expected, {len(actual)} now")
    common = [c for c in expected.columns if c in actual.columns]
    n = min(len(expected), len(actual))
    differs = np.zeros(n, bool)
    cells: dict[int, list[str]] = {}
    for col in common:
        a, b = expected[col].iloc[:n].to_numpy(), actual[col].iloc[:n].to_numpy()
        both_nan = pd.isna(a) & pd.isna(b)
        diff = ~both_nan & (a != b)
        differs |= diff
        for i in np.flatnonzero(diff)[:rows]:
            cells.setdefault(int(i), []).append(f"{col}: {a[i]!r} -> {b[i]!r}")
    shown = np.flatnonzero(differs)[:rows]
    lines.append(f"{int(differs.sum())} of {n} rows differ" + (":" if len(shown) else ""))
    for i in shown:
        lines.append(f"  run {int(expected['run'].iloc[i])}: " + "; ".join(cells.get(int(i), ["(cells beyond the shown)"])))
    return "\n".join(lines)


def compare(name: str, path: Path) -> str | None:
    """None if the scenario still gives its golden table, else the readable difference."""
    stored_hash = json.loads(HASHES.read_text()).get(name) if HASHES.exists() else None
    table_file = FOLDER / f"{name}.parquet"
    if stored_hash is None or not table_file.exists():
        return f"{name}: no golden record (record with: python tests/golden.py --record)"
    actual = simulate(path)
    if digest(actual) == stored_hash:
        return None
    expected = pd.read_parquet(table_file)
    return f"{name} ({path.relative_to(ROOT)}) changed:\n" + first_differences(expected, actual)


def record() -> None:
    """Re-record every golden table and its hash."""
    FOLDER.mkdir(exist_ok=True)
    hashes = {}
    for name, path in shipped().items():
        table = simulate(path)
        table.to_parquet(FOLDER / f"{name}.parquet", index=False)
        hashes[name] = digest(table)
        (FOLDER / f"{name}.story.txt").write_text(story(path))
        print(f"recorded {name}: {hashes[name][:12]}")
    HASHES.write_text(json.dumps(hashes, indent=2, sort_keys=True) + "\n")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    if "--record" in sys.argv[1:]:
        record()
    else:
        problems = [p for n, f in shipped().items() for p in (compare(n, f), story_difference(n, f)) if p]
        print("\n\n".join(problems) if problems else "every golden record holds")
        sys.exit(1 if problems else 0)

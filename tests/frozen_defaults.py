"""The frozen behavioural defaults of the backtests (issue 16), and what every case does under them.

Every case of ``backtests/`` runs under the model's behavioural defaults. They were frozen when the
first scorecard was accepted; since then any change that moves a case must be listed in
``backtests/CHANGES.md`` with the scorecard before and after it, so that no score is improved by a
change made for its sake. ``backtests/frozen-defaults.json`` holds what the freeze pins:

- ``defaults``: every field the schema marks behavioural, with its default (a readable account of
  the settings);
- ``cases``: for each case, the SHA-256 of its first ``RUNS`` runs at master seed ``SEED`` (the
  golden digest of ``tests/golden.py``), which moves with any change of the model's code or of a
  fact's default that touches the case, not only with a behavioural field;
- ``change``: the heading of the newest entry of ``CHANGES.md``, the one this record goes with.

``tests/test_frozen_defaults.py`` fails when the defaults or a case's runs differ from the record, or
when the record does not go with the newest entry. After a change has been listed::

    .venv/bin/python tests/frozen_defaults.py                              # compare, say what moved
    .venv/bin/python tests/frozen_defaults.py --record "HEADING OF THE ENTRY"   # re-record
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RECORD = ROOT / "backtests" / "frozen-defaults.json"
CHANGES = ROOT / "backtests" / "CHANGES.md"
#: Runs of each case pinned: enough to pass through every arena of each case, cheap enough for the suite.
RUNS = 50
SEED = 0


def behavioural_defaults() -> dict[str, Any]:
    """The behavioural defaults of the schema as it is now."""
    from sim.backtest import behavioural_defaults as defaults

    return defaults()


def case_digest(name: str) -> str:
    """The digest of the first ``RUNS`` runs of one case at master seed ``SEED``."""
    from golden import digest

    from sim import load_scenario
    from sim.backtest import find_cases
    from sim.experiment import run_many

    (case,) = find_cases([name])
    return digest(run_many(load_scenario(case.scenario), runs=RUNS, seed=SEED))


def case_names() -> list[str]:
    """The cases of ``backtests/``."""
    from sim.backtest import find_cases

    return [case.name for case in find_cases()]


def stored() -> dict[str, Any]:
    """The record as written at the last freeze."""
    return json.loads(RECORD.read_text())


def entries(text: str) -> list[str]:
    """The headings of the entries of a ``CHANGES.md`` text, in order."""
    return [line[3:].strip() for line in text.splitlines() if line.startswith("## ")]


def default_differences(record: dict[str, Any], now: dict[str, Any]) -> list[str]:
    """Each behavioural default that is new, gone or changed since the record, as a line."""
    lines = [f"{key}: {record[key]!r} -> {now[key]!r}" for key in record if key in now and record[key] != now[key]]
    lines += [f"{key}: gone (was {record[key]!r})" for key in record if key not in now]
    lines += [f"{key}: new ({now[key]!r})" for key in now if key not in record]
    return lines


def how_to_record() -> str:
    return ("list the change in backtests/CHANGES.md with `sim backtest --runs 1000 --seed 0` before and "
            "after it, then re-record: python tests/frozen_defaults.py --record \"HEADING OF THE ENTRY\"")


def record(heading: str) -> None:
    """Re-record the freeze for the entry of ``CHANGES.md`` with this heading, its newest.

    Raises:
        SystemExit: the heading is not the newest entry's.
    """
    listed = entries(CHANGES.read_text())
    if not listed or listed[-1] != heading.strip():
        newest = listed[-1] if listed else "none"
        raise SystemExit(f"{CHANGES.relative_to(ROOT)}: the newest entry is {newest!r}, not {heading!r}: "
                         "list the change there (with the scorecard before and after) before recording it")
    data = {"change": heading.strip(), "runs": RUNS, "seed": SEED, "defaults": behavioural_defaults(),
            "cases": {name: case_digest(name) for name in case_names()}}
    # Written beside and renamed over, so that an interrupted recording leaves the old record whole.
    with tempfile.NamedTemporaryFile("w", dir=RECORD.parent, suffix=".tmp", delete=False) as out:
        out.write(json.dumps(data, indent=2) + "\n")
    os.replace(out.name, RECORD)
    for name, value in data["cases"].items():
        print(f"recorded {name}: {value[:12]}")


def problems() -> list[str]:
    """Everything that differs from the record, as lines (none when the freeze holds)."""
    data = stored()
    found = [f"behavioural default {line}" for line in default_differences(data["defaults"], behavioural_defaults())]
    now = case_names()
    found += [f"case {name}: its runs changed" for name in now
              if name in data["cases"] and case_digest(name) != data["cases"][name]]
    found += [f"case {name}: not in the record" for name in now if name not in data["cases"]]
    found += [f"case {name}: in the record, no longer in backtests/" for name in data["cases"] if name not in now]
    listed = entries(CHANGES.read_text())
    if not listed or listed[-1] != data["change"]:
        found.append(f"the record goes with the entry {data['change']!r}, not with the newest of CHANGES.md")
    return found


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    arguments = sys.argv[1:]
    if arguments[:1] == ["--record"] and len(arguments) == 2:
        record(arguments[1])
    elif arguments:
        raise SystemExit('usage: python tests/frozen_defaults.py [--record "HEADING OF THE CHANGES.md ENTRY"]')
    else:
        found = problems()
        print("\n".join(found) + f"\n{how_to_record()}" if found else "the frozen defaults hold for every case")
        sys.exit(1 if found else 0)

"""The README's commands, run in order as a newcomer would, on a fresh copy of the files they need.

Every shell command of the README's ``sh`` blocks runs as written, with three substitutions only, so that
the walk takes seconds instead of minutes: the value of every ``--runs`` (``RUNS=`` for ``make run``),
``--runs-per-point`` and ``--n``. ``make test`` is the command running this very test, so it is the one
left out.
"""

from __future__ import annotations

import glob
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

# --n stays a power of two, as Sobol sampling needs; a sensitivity design's points get two runs each
# (the 24 declared distributions of the baseline make a Sobol design of 400 points even at --n 8).
SUBSTITUTIONS = {"--runs": "20", "--runs-per-point": "2", "--n": "8"}
NOT_RUN = {"make test": "it is the command running this test"}
# What the commands read: scenarios and their facts, the example of another negotiation, and what make needs.
NEEDED = ["scenarios", "seeds", "docs/examples", "Makefile", "pyproject.toml", "requirements", "README.md"]
TIMEOUT = 600  # seconds per command: a guard against a hang, far above any honest time


def readme_commands() -> list[str]:
    """Every command line of the README's sh blocks, in order, without comments."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    lines = []
    for block in re.findall(r"```sh\n(.*?)```", text, flags=re.S):
        for line in block.splitlines():
            words = shlex.split(line, comments=True)
            if words:
                lines.append(shlex.join(words))
    return lines


def substitute(words: list[str]) -> list[str]:
    out = list(words)
    for i, word in enumerate(out[:-1]):
        if word in SUBSTITUTIONS:
            out[i + 1] = SUBSTITUTIONS[word]
    return out


def to_argv(line: str, cwd: Path) -> tuple[list[str], str | None]:
    """The command as an argument list (globs expanded, the venv's sim run by this interpreter) and its > file."""
    words = shlex.split(line)
    target = None
    if ">" in words:
        at = words.index(">")
        words, target = words[:at], words[at + 1]
    expanded = []
    for word in substitute(words):
        matches = sorted(glob.glob(word, root_dir=cwd)) if "*" in word else []
        expanded.extend(matches or [word])
    if expanded[0] == ".venv/bin/sim":
        expanded[:1] = [sys.executable, "-m", "sim"]
    elif expanded[:2] == ["make", "run"]:
        # The copy shares this checkout's venv; -o keeps make from reinstalling it into the copy.
        expanded = ["make", "-o", ".venv/.installed", "run", f"RUNS={SUBSTITUTIONS['--runs']}"]
    return expanded, target


@pytest.fixture
def fresh_copy(tmp_path: Path) -> Path:
    for name in NEEDED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name)
        else:
            (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(source, tmp_path / name)
    (tmp_path / ".venv").symlink_to(Path(sys.prefix))
    return tmp_path


def run(line: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    argv, target = to_argv(line, cwd)
    done = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, timeout=TIMEOUT)
    if target is not None:
        (cwd / target).write_text(done.stdout, encoding="utf-8")
    return done


def test_the_readme_shows_the_commands_this_test_walks():
    commands = readme_commands()
    assert commands[:2] == ["make run", "make test"]
    sims = [c for c in commands if c.startswith(".venv/bin/sim ")]
    assert {c.split()[1] for c in sims} >= {"validate", "run", "explain", "compare", "plot", "sweep",
                                            "sensitivity", "discover", "schema", "trajectory"}
    assert all(c.startswith((".venv/bin/sim ", "make ")) for c in commands), commands


@pytest.mark.skipif(shutil.which("make") is None or not (Path(sys.prefix) / "bin" / "sim").exists(),
                    reason="needs make and the project's venv (make test builds both)")
def test_every_readme_command_passes_in_order_on_a_fresh_copy(fresh_copy: Path):
    # A folder of the user's that make run must leave alone, and a stale figure it must not leave behind.
    (fresh_copy / "results" / "mine").mkdir(parents=True)
    (fresh_copy / "results" / "mine" / "notes.txt").write_text("keep")
    walked = []
    for line in readme_commands():
        if line in NOT_RUN:
            continue
        done = run(line, fresh_copy)
        assert done.returncode == 0, f"README command failed ({done.returncode}): {line}\n{done.stderr}"
        assert "Traceback" not in done.stderr, line
        walked.append(line)
        if line == "make run":
            (fresh_copy / "results" / "make-run" / "figures").mkdir()
            (fresh_copy / "results" / "make-run" / "figures" / "stale.png").write_bytes(b"old")
    assert len(walked) >= 10
    assert (fresh_copy / "results" / "baseline" / "figures").is_dir()  # sim run --out, then sim plot
    assert '"$schema"' in (fresh_copy / "scenario.schema.json").read_text()
    saved = (fresh_copy / "results" / "baseline" / "runs.parquet").read_bytes()

    assert run("make run", fresh_copy).returncode == 0  # a second time, after the user's own results
    assert (fresh_copy / "results" / "baseline" / "runs.parquet").read_bytes() == saved
    assert (fresh_copy / "results" / "mine" / "notes.txt").read_text() == "keep"
    made = fresh_copy / "results" / "make-run"
    assert (made / "runs.parquet").is_file() and not (made / "figures").exists()

"""Shared fixtures: the project's folders and a working folder holding a copy of the baseline."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"
BASELINE = SCENARIOS / "baseline.yaml"


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A temporary current folder with ``baseline.yaml`` in it, for overlays (``extends: baseline.yaml``)."""
    shutil.copy(BASELINE, tmp_path / "baseline.yaml")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run_sim(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """Run ``python -m sim ARGS`` in a fresh interpreter."""
    return subprocess.run([sys.executable, "-m", "sim", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120)

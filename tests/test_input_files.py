"""Input files are read only if they are regular files within the size limit (issue 19).

A FIFO would block ``open`` forever and ``/dev/zero`` would be read until memory runs out, so the
tests that could hang run ``sim`` in a subprocess (``run_sim`` gives it minutes, where a fraction of a
second is enough): a hang fails the test instead of hanging the suite.
"""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, run_sim

import sim.inputfiles
from sim import ScenarioError, load_scenario
from sim.cli import main
from sim.errors import EnvironmentFailure
from sim.inputfiles import DEFAULT_MAX_BYTES, read_input

needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this system")
EXPECTED_BASE = "(expected a scenario file next to this one)"


def one_line(done: subprocess.CompletedProcess[str]) -> str:
    """The single line a failed ``sim validate`` printed; no traceback, nothing on stderr."""
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    assert done.stderr == ""
    lines = done.stdout.splitlines()
    assert len(lines) == 1, lines
    return lines[0]


@needs_fifo
def test_extends_a_fifo_is_refused_at_once(workdir: Path):
    os.mkfifo(workdir / "pipe.yaml")
    (workdir / "case.yaml").write_text("extends: pipe.yaml\nname: x\n")
    assert one_line(run_sim("validate", "case.yaml", cwd=workdir)) == (
        f"case.yaml:1: extends: extends 'pipe.yaml': is a named pipe (FIFO), not a regular file {EXPECTED_BASE}")


@needs_fifo
def test_a_fifo_named_on_the_command_line_is_refused(workdir: Path):
    os.mkfifo(workdir / "pipe.yaml")
    assert one_line(run_sim("validate", "pipe.yaml", cwd=workdir)) == (
        "pipe.yaml: (top level): is a named pipe (FIFO), not a regular file (expected a regular scenario .yaml file)")


@needs_fifo
def test_a_fifo_swapped_in_after_the_check_does_not_block(tmp_path: Path):
    # The stat said "regular file"; the open finds a FIFO: O_NONBLOCK returns at once and fstat refuses it.
    os.mkfifo(tmp_path / "pipe.yaml")
    code = ("import sim.inputfiles as f; f.file_problem = lambda *a: None\n"
            "try:\n    f.read_input('pipe.yaml')\nexcept Exception as e:\n    print(e)\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.stdout.startswith("pipe.yaml: (top level): is a named pipe (FIFO), not a regular file"), done


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_extends_dev_zero_is_refused_without_reading_it(workdir: Path):
    (workdir / "case.yaml").write_text("name: x\nextends: /dev/zero\n")
    assert one_line(run_sim("validate", "case.yaml", cwd=workdir)) == (
        f"case.yaml:2: extends: extends '/dev/zero': is a character device, not a regular file {EXPECTED_BASE}")


def test_extends_through_a_symlink_loop_is_one_line(workdir: Path):
    (workdir / "a.yaml").symlink_to("b.yaml")
    (workdir / "b.yaml").symlink_to("a.yaml")
    (workdir / "case.yaml").write_text("extends: a.yaml\n")
    with pytest.raises(ScenarioError) as info:
        load_scenario("case.yaml")
    assert str(info.value) == ("case.yaml:1: extends: extends 'a.yaml': symlink loop (a link that leads back "
                               f"to itself) {EXPECTED_BASE}")
    with pytest.raises(ScenarioError, match=r"^a.yaml: \(top level\): symlink loop"):
        load_scenario("a.yaml")


def test_a_symlink_to_a_scenario_is_read(workdir: Path):
    (workdir / "link.yaml").symlink_to("baseline.yaml")
    (workdir / "case.yaml").write_text("extends: link.yaml\nname: via-link\n")
    assert load_scenario("case.yaml").name == "via-link"


def test_an_oversize_file_is_refused_by_its_size(workdir: Path):
    (workdir / "big.yaml").write_bytes(b"name: x\n" + b"#" * DEFAULT_MAX_BYTES)
    (workdir / "case.yaml").write_text("extends: big.yaml\n")
    with pytest.raises(ScenarioError) as info:
        load_scenario("big.yaml")
    assert str(info.value) == ("big.yaml: (top level): file is 1,048,584 bytes, too large for a scenario "
                               "(expected at most 1,048,576 bytes (raise the limit with SIM_MAX_FILE_BYTES=BYTES))")
    with pytest.raises(ScenarioError) as info:
        load_scenario("case.yaml")
    assert str(info.value).startswith("case.yaml:1: extends: extends 'big.yaml': file is 1,048,584 bytes, too large")


def test_the_limit_can_be_set_in_the_environment(workdir: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("SIM_MAX_FILE_BYTES", "100")
    with pytest.raises(ScenarioError, match=r"^baseline.yaml: \(top level\): file is [\d,]+ bytes, too large"):
        load_scenario("baseline.yaml")
    monkeypatch.setenv("SIM_MAX_FILE_BYTES", "lots")
    with pytest.raises(ScenarioError, match=r"^\$SIM_MAX_FILE_BYTES: \(top level\): 'lots' is not a size in bytes"):
        load_scenario("baseline.yaml")
    monkeypatch.setenv("SIM_MAX_FILE_BYTES", "2_000_000")
    assert load_scenario("baseline.yaml").name == "baseline"


def test_a_file_that_grows_past_the_limit_while_read_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    (tmp_path / "grows.yaml").write_bytes(b"x" * 50)
    monkeypatch.setattr(sim.inputfiles, "file_problem", lambda *a: None)  # as if it had been small at the stat
    monkeypatch.setattr(sim.inputfiles, "_kind_problem", lambda *a: None)
    with pytest.raises(ScenarioError, match=r"file is more than 10 bytes, too large"):
        read_input(tmp_path / "grows.yaml", limit=10)


@pytest.mark.parametrize("err, words", [(errno.EACCES, "Permission denied"), (errno.EIO, "Input/output error")])
def test_a_file_the_machine_will_not_read_is_a_failure_of_the_environment(
        err: int, words: str, workdir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
    def refuse(*args, **kwargs):
        raise OSError(err, os.strerror(err), "baseline.yaml")

    monkeypatch.setattr(sim.inputfiles.os, "open", refuse)
    with pytest.raises(EnvironmentFailure, match=f"^baseline.yaml: cannot read the file: {words} "):
        load_scenario("baseline.yaml")
    assert main(["validate", "baseline.yaml"]) == 3
    err_text = capsys.readouterr().err
    assert err_text == (f"sim: error: baseline.yaml: cannot read the file: {words} "
                        "(expected a file this user may read: check its permissions and the disk)\n")


def test_validate_reports_an_unreadable_file_and_still_checks_the_others(
        workdir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
    (workdir / "other.yaml").write_text((workdir / "baseline.yaml").read_text())
    real_open = sim.inputfiles.os.open

    def refuse_baseline(path, *args, **kwargs):
        if str(path).endswith("baseline.yaml"):
            raise OSError(errno.EACCES, os.strerror(errno.EACCES), str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(sim.inputfiles.os, "open", refuse_baseline)
    assert main(["validate", "baseline.yaml", "other.yaml"]) == 3
    out = capsys.readouterr()
    assert out.err.count("sim: error: ") == 1 and "baseline.yaml: cannot read the file" in out.err
    assert "other.yaml: ok" in out.out


def test_a_base_the_machine_will_not_read_is_named_itself(workdir: Path, monkeypatch: pytest.MonkeyPatch):
    (workdir / "case.yaml").write_text("extends: baseline.yaml\n")
    real_stat = os.stat

    def stat(path, *args, **kwargs):
        if str(path).endswith("baseline.yaml"):
            raise OSError(errno.EACCES, "Permission denied", str(path))
        return real_stat(path, *args, **kwargs)

    monkeypatch.setattr(sim.inputfiles.os, "stat", stat)
    with pytest.raises(EnvironmentFailure, match=r"^baseline.yaml: cannot read the file: Permission denied"):
        load_scenario("case.yaml")


def test_a_directory_in_extends_is_refused(workdir: Path):
    (workdir / "folder.yaml").mkdir()
    (workdir / "case.yaml").write_text("extends: folder.yaml\n")
    with pytest.raises(ScenarioError, match=r"^case.yaml:1: extends: extends 'folder.yaml': is a directory \("):
        load_scenario("case.yaml")


@pytest.mark.parametrize("text, line, message", [
    ("facts: 5\n", 1, "facts: facts is 5, not a list"),
    ("facts: [{claim: no id}]\n", 1, "facts[0]: a fact that has no id"),
    ("facts:\n  - id: ok\n  - just text\n", 3, "facts[1]: a fact that is 'just text', not a mapping"),
    ("- id: a list at the top\n", 1, "(top level): top level is a list, not a mapping"),
])
def test_a_broken_facts_file_is_one_line_with_its_line(text: str, line: int, message: str, workdir: Path):
    (workdir / "myfacts").mkdir()
    (workdir / "myfacts" / "broken.yaml").write_text(text)
    (workdir / "case.yaml").write_text("extends: baseline.yaml\nfacts: myfacts\n")
    with pytest.raises(ScenarioError) as info:
        load_scenario("case.yaml")
    assert [str(p).split(" (expected")[0] for p in info.value.problems] == [f"myfacts/broken.yaml:{line}: {message}"]


@needs_fifo
def test_a_fifo_in_the_facts_folder_does_not_block(workdir: Path):
    (workdir / "myfacts").mkdir()
    os.mkfifo(workdir / "myfacts" / "pipe.yaml")
    (workdir / "case.yaml").write_text("extends: baseline.yaml\nfacts: myfacts\n")
    assert one_line(run_sim("validate", "case.yaml", cwd=workdir)).startswith(
        "myfacts/pipe.yaml: (top level): is a named pipe (FIFO), not a regular file")

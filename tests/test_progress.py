"""Progress bars: rate and time left on a terminal, nothing at all when stderr is a file or a pipe."""

from __future__ import annotations

import io

from conftest import ROOT

from sim.cli import main
from sim.progress import ProgressBar, _in_notebook


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_sees_runs_rate_and_time_left():
    screen = Terminal()
    bar = ProgressBar("baseline", stream=screen)
    for done in (0, 250, 500, 1000, 1000):
        bar(done, 1000)
    shown = screen.getvalue()
    assert shown.count("| 0/1000 ") == 1 and shown.count("\n") == 1, "one bar, not a second one for the repeat"
    assert "baseline" in shown and "1000/1000" in shown
    assert " runs/s" in shown, shown
    assert "<" in shown  # tqdm's elapsed<remaining


def test_a_file_or_pipe_gets_nothing():
    log = io.StringIO()
    bar = ProgressBar("baseline", stream=log)
    for done in (0, 500, 1000):
        bar(done, 1000)
    assert log.getvalue() == ""


def test_the_command_draws_no_bar_when_stderr_is_not_a_terminal(monkeypatch, capsys):
    monkeypatch.chdir(ROOT)
    assert main(["run", "scenarios/baseline.yaml", "--runs", "3", "--workers", "1"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert "deal" in out


def test_notebook_bars_are_recognised():
    class tqdm_notebook:  # the name tqdm.auto's notebook class has
        pass

    class Auto(tqdm_notebook):
        pass

    assert _in_notebook(Auto)
    assert not _in_notebook(io.StringIO)

"""Mistakes on the command line: each gives exactly one line in the project's words and its exit code.

The table holds the exact line, so a change of wording is a deliberate change of this file. Every case
fails before a single run is simulated, so the commands run in this process through ``sim.cli.main``.
"""

from __future__ import annotations

import errno
from dataclasses import dataclass

import pytest
from conftest import ROOT

from sim.cli import main
from sim.errors import EnvironmentFailure, ExperimentError

B = "scenarios/baseline.yaml"
TOO_BIG = str(2**63)
SEED = "(expected a whole number from 0 to 2**63 - 1)"
COUNT = "(expected a whole number, at least 1)"
DECLARED = ("actors.russia.red_lines[1].bound, actors.russia.red_lines[1].penalty, actors.russia.red_lines[2].bound, "
            "actors.russia.red_lines[2].penalty, actors.russia.party.resolve, actors.russia.party.optimism, "
            "actors.russia.party.endurance_rounds, actors.ukraine.red_lines[0].bound, "
            "actors.ukraine.red_lines[0].penalty, actors.ukraine.party.resolve, actors.ukraine.party.endurance_rounds, "
            "actors.united_states.backer.backstop, and 12 more")  # the first 12 of the baseline's 24


@dataclass(frozen=True)
class Mistake:
    id: str
    argv: tuple[str, ...]
    code: int
    line: str


MISTAKES = [
    # Values of the wrong form: command-line usage, exit 2.
    Mistake("negative-seed", ("run", B, "--seed", "-1"), 2, f"sim: error: --seed: got '-1' {SEED}"),
    Mistake("seed-2**63", ("run", B, "--seed", TOO_BIG), 2, f"sim: error: --seed: got '{TOO_BIG}' {SEED}"),
    Mistake("fractional-seed", ("run", B, "--seed", "1.5"), 2, f"sim: error: --seed: got '1.5' {SEED}"),
    Mistake("word-seed", ("run", B, "--seed", "one"), 2, f"sim: error: --seed: got 'one' {SEED}"),
    Mistake("negative-seed-sweep", ("sweep", B, "--seed", "-2", "--sample", "lhs"), 2,
            f"sim: error: --seed: got '-2' {SEED}"),
    Mistake("negative-seed-compare", ("compare", B, B, "--seed", "-3"), 2, f"sim: error: --seed: got '-3' {SEED}"),
    Mistake("negative-seed-sensitivity", ("sensitivity", B, "--seed", "-4"), 2,
            f"sim: error: --seed: got '-4' {SEED}"),
    Mistake("negative-seed-explain", ("explain", B, "--seed", "-5"), 2, f"sim: error: --seed: got '-5' {SEED}"),
    Mistake("runs-0", ("run", B, "--runs", "0"), 2, f"sim: error: --runs: got '0' {COUNT}"),
    Mistake("runs-negative", ("run", B, "--runs", "-3"), 2, f"sim: error: --runs: got '-3' {COUNT}"),
    Mistake("runs-fractional", ("run", B, "--runs", "1.5"), 2, f"sim: error: --runs: got '1.5' {COUNT}"),
    Mistake("runs-per-point-0", ("sensitivity", B, "--runs-per-point", "0"), 2,
            f"sim: error: --runs-per-point: got '0' {COUNT}"),
    Mistake("workers-0", ("run", B, "--workers", "0"), 2, f"sim: error: --workers: got '0' {COUNT}"),
    Mistake("explain-run-minus-1", ("explain", B, "--run", "-1"), 2,
            "sim: error: --run: got '-1' (expected a run number from 0 to 2**63 - 1)"),
    Mistake("explain-run-too-big", ("explain", B, "--run", TOO_BIG), 2,
            f"sim: error: --run: got '{TOO_BIG}' (expected a run number from 0 to 2**63 - 1)"),
    Mistake("scheduler-without-port", ("run", B, "--executor", "dask", "--scheduler", "nonsense"), 2,
            "sim: error: --scheduler: got 'nonsense' (expected an address such as tcp://HOST:PORT)"),
    Mistake("unknown-option", ("run", B, "--rusn", "5"), 2, "sim: error: unrecognized arguments: --rusn 5"),
    Mistake("no-scenario", ("run",), 2, "sim: error: the following arguments are required: scenario"),
    Mistake("trajectory-without-out", ("trajectory", B), 2, "sim: error: the following arguments are required: --out"),
    Mistake("unknown-method", ("sensitivity", B, "--method", "fast"), 2,
            "sim: error: --method: got 'fast' (expected one of: sobol, morris)"),
    Mistake("unknown-command", ("simulate", B), 2,
            "sim: error: command: got 'simulate' (expected one of: validate, schema, run, sweep, compare, plot, "
            "explain, sensitivity, discover, trajectory, backtest)"),
    # Input that does not fit: exit 1.
    Mistake("missing-file", ("run", "nothere.yaml"), 1,
            "nothere.yaml: (top level): file not found (expected a path to a scenario .yaml file)"),
    Mistake("directory-as-scenario", ("run", "scenarios"), 1,
            "scenarios: (top level): is a directory (expected a scenario .yaml file)"),
    Mistake("out-is-a-file", ("run", B, "--runs", "2", "--out", "README.md"), 1,
            "sim: error: --out README.md: is a file (expected a folder for the results)"),
    Mistake("sweep-out-is-a-file", ("sweep", B, "--sample", "lhs", "--out", "README.md"), 1,
            "sim: error: --out README.md: is a file (expected a folder for the results)"),
    Mistake("resume-without-out", ("run", B, "--resume"), 1, "sim: error: --resume needs --out DIR"),
    Mistake("unknown-set-key", ("sweep", B, "--set", "actors.united_states.backer.backstp=0.1,0.5"), 1,
            "sim: error: --set actors.united_states.backer.backstp: unknown key 'backstp'; did you mean 'backstop'?"),
    Mistake("unknown-set-actor", ("sweep", B, "--set", "actors.unitedstates.backer.backstop=0.1"), 1,
            "sim: error: --set actors.unitedstates.backer.backstop: no actor 'unitedstates'; "
            "did you mean 'united_states'?"),
    Mistake("unknown-set-top-key", ("sweep", B, "--set", "horizn.rounds=5"), 1,
            "sim: error: --set horizn.rounds: unknown key 'horizn'; did you mean 'horizon'?"),
    Mistake("set-past-a-list", ("sweep", B, "--set", "actors.russia.red_lines[7].penalty=1"), 1,
            "sim: error: --set actors.russia.red_lines[7].penalty: actors.russia.red_lines has 3 entries, no [7] "
            "(counted from 0)"),
    Mistake("set-into-a-number", ("sweep", B, "--set", "horizon.rounds.x=3"), 1,
            "sim: error: --set horizon.rounds.x: horizon.rounds is a single value (26), with no key 'x' inside it"),
    Mistake("set-word-for-number", ("sweep", B, "--set", "actors.united_states.backer.backstop=abc"), 1,
            "--set: actors.united_states.backer.backstop: value must be a number, got 'abc' "
            "(expected a number between 0 and 1 or a distribution (uniform, normal, triangular, choice))"),
    Mistake("set-list-too-short", ("sweep", B, "--set", "institutions.talks.parties=[russia]"), 1,
            "--set: institutions.talks.parties: has 1 entry, too few (expected at least 2 entries)"),
    Mistake("set-malformed", ("sweep", B, "--set", "front.drift"), 1,
            "sim: error: --set 'front.drift': expected key.path=value1,value2,..."),
    Mistake("set-unclosed-list", ("sweep", B, "--set", "institutions.talks.parties=[russia, ukraine"), 1,
            "sim: error: --set 'institutions.talks.parties=[russia, ukraine': a value is not valid YAML "
            "(expected key.path=value1,value2,...)"),
    Mistake("set-no-values", ("sweep", B, "--set", "actors.russia.risk=,,"), 1,
            "sim: error: --set 'actors.russia.risk=,,': no values (expected key.path=value1,value2,...)"),
    Mistake("sobol-n-not-power-of-two", ("sensitivity", B, "--n", "10"), 1,
            "sim: error: --n 10: Sobol sampling needs a power of two (such as 8, 16, 32, 64)"),
    Mistake("unknown-param-sensitivity", ("sensitivity", B, "--param", "front.drfit"), 1,
            "sim: error: --param front.drfit: not a declared distribution of baseline; did you mean 'front.drift'?"),
    Mistake("unknown-param-lhs", ("sweep", B, "--sample", "lhs", "--param", "foo.bar"), 1,
            f"sim: error: --param foo.bar: not a declared distribution of baseline (expected one of: {DECLARED})"),
    Mistake("plot-missing-folder", ("plot", "results/nothere"), 1, "sim: error: results/nothere: no such result folder"),
    Mistake("discover-missing-folder", ("discover", "results/nothere", "--outcome", "force_deployed"), 1,
            "sim: error: results/nothere: no such result folder"),
    Mistake("compare-missing-input", ("compare", B, "nothere.yaml", "--runs", "2"), 1,
            "sim: error: nothere.yaml: no such scenario file or result folder"),
    Mistake("compare-one-input", ("compare", B), 1,
            "sim: error: compare needs at least two scenario files or result folders"),
]

# The wording of the libraries underneath, which a user should never have to read.
LEAKS = ["Traceback", "_positive", "invalid int value", "missing required key 'name'", "Tuple should",
         "after validation", "<overrides>", "usage:"]


@pytest.fixture
def in_repo(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(ROOT)


def test_the_table_covers_every_kind_of_mistake():
    assert len({m.id for m in MISTAKES}) == len(MISTAKES) >= 30
    assert {m.code for m in MISTAKES} == {1, 2}


@pytest.mark.parametrize("mistake", MISTAKES, ids=[m.id for m in MISTAKES])
def test_a_mistake_is_one_line_and_its_exit_code(mistake: Mistake, in_repo, capsys: pytest.CaptureFixture[str]):
    code = main(list(mistake.argv))
    out, err = capsys.readouterr()
    assert (code, err) == (mistake.code, mistake.line + "\n")
    assert out == ""
    assert not [leak for leak in LEAKS if leak in err]


def _raising(exc: BaseException):
    def run(*args, **kwargs):
        raise exc
    return run


@pytest.mark.parametrize(("exc", "code", "line"), [
    (EnvironmentFailure("cannot write out/parts/part-000000.parquet: No space left on device: free some disk "
                        "space, then rerun with --resume (finished chunks are kept)"), 3,
     "sim: error: cannot write out/parts/part-000000.parquet: No space left on device: free some disk space, then "
     "rerun with --resume (finished chunks are kept)"),
    (EnvironmentFailure("out is being written by another run (pid 12): wait for it to finish, or choose another "
                        "--out"), 3,
     "sim: error: out is being written by another run (pid 12): wait for it to finish, or choose another --out"),
    (EnvironmentFailure("cannot reach the Dask scheduler at tcp://127.0.0.1:1: timed out"), 3,
     "sim: error: cannot reach the Dask scheduler at tcp://127.0.0.1:1: timed out"),
    (OSError(errno.ENOSPC, "No space left on device", "out/parts/part-000000.parquet"), 3,
     "sim: error: out/parts/part-000000.parquet: No space left on device"),
    (ExperimentError("out already holds results (complete): use --resume to finish or --force to replace"), 1,
     "sim: error: out already holds results (complete): use --resume to finish or --force to replace"),
], ids=["disk", "folder-busy", "cluster", "os-error", "folder-in-use"])
def test_failures_of_the_environment_exit_3(exc, code, line, in_repo, monkeypatch, capsys):
    import sim.results

    monkeypatch.setattr(sim.results, "run_to_directory", _raising(exc))
    assert main(["run", B, "--runs", "2", "--out", "out-never-made"]) == code
    assert capsys.readouterr().err == line + "\n"


def test_an_interrupt_exits_130_and_says_how_to_resume(in_repo, monkeypatch, capsys):
    import sim.results

    monkeypatch.setattr(sim.results, "run_to_directory", _raising(KeyboardInterrupt()))
    assert main(["run", B, "--runs", "2", "--out", "out-never-made"]) == 130
    assert "rerun with --resume" in capsys.readouterr().err


def test_help_is_not_a_mistake(capsys):
    assert main(["run", "--help"]) == 0
    assert "--seed" in capsys.readouterr().out

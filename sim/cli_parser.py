"""The argument parser of ``sim``: options, their forms, and usage errors told in one line (exit 2)."""

from __future__ import annotations

import argparse
import re
from typing import NoReturn

__all__ = ["EXIT_USAGE", "MAX_SEED", "build_parser"]

EXIT_USAGE = 2
MAX_SEED = 2**63 - 1  # seeds and run numbers fit the signed 64-bit seed column of the results table


class Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors are one line, not the usage text followed by argparse's wording."""

    def error(self, message: str) -> NoReturn:
        # argparse says "argument --runs: ..."; the option's name alone reads as the rest of sim's messages.
        message = message.removeprefix("argument ")
        # argparse quotes the choices differently from one Python release to the next.
        choice = re.fullmatch(r"(.*): invalid choice: '(.*)' \(choose from (.*)\)", message)
        if choice:
            name, given, allowed = choice.groups()
            message = f"{name}: got {given!r} (expected one of: {allowed.replace(chr(39), '')})"
        self.exit(EXIT_USAGE, f"sim: error: {message}\n")


def _whole(text: str, low: int, high: int | None, expected: str) -> int:
    try:
        value = int(text.strip().replace("_", ""))
    except ValueError:
        value = None
    if value is None or value < low or (high is not None and value > high):
        raise argparse.ArgumentTypeError(f"got {text!r} (expected {expected})")
    return value


def count(text: str) -> int:
    """A whole number of at least 1 (runs, workers, points, ...)."""
    return _whole(text, 1, None, "a whole number, at least 1")


def seed(text: str) -> int:
    """A seed: a whole number in [0, 2**63)."""
    return _whole(text, 0, MAX_SEED, "a whole number from 0 to 2**63 - 1")


def run_number(text: str) -> int:
    """The number of one run under a master seed, counted from 0."""
    return _whole(text, 0, MAX_SEED, "a run number from 0 to 2**63 - 1")


def scheduler(text: str) -> str:
    """A Dask scheduler address: tcp://HOST:PORT (or tls://, or HOST:PORT for tcp)."""
    if not re.fullmatch(r"((tcp|tls)://)?[\w.\-\[\]:]*[\w\]]:\d{1,5}", text.strip()):
        raise argparse.ArgumentTypeError(f"got {text!r} (expected an address such as tcp://HOST:PORT)")
    return text.strip()


def _add_executor_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--workers", type=count, help="processes (default: all cores)")
    p.add_argument("--executor", choices=["local", "dask"], default="local")
    p.add_argument("--scheduler", type=scheduler,
                   help="Dask scheduler address tcp://HOST:PORT (default: a local cluster)")
    _add_deadline_options(p)


# --- Dask deadlines (issue 19) ------------------------------------------------------------------

def seconds(text: str) -> float:
    """A deadline in seconds: a number greater than 0."""
    try:
        value = float(text.strip().replace("_", ""))
    except ValueError:
        value = None
    if value is None or not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError(f"got {text!r} (expected seconds, a number greater than 0)")
    return value


def _add_deadline_options(p: argparse.ArgumentParser) -> None:
    from .deadlines import CONNECT_TIMEOUT, NO_WORKERS_TIMEOUT

    p.add_argument("--connect-timeout", type=seconds, metavar="SECONDS",
                   help=f"Dask: give up reaching the scheduler after this long (default {CONNECT_TIMEOUT:g})")
    p.add_argument("--no-workers-timeout", type=seconds, metavar="SECONDS",
                   help=f"Dask: give up when the cluster has had no worker this long (default {NO_WORKERS_TIMEOUT:g})")

# --- end of the Dask deadlines -------------------------------------------------------------------


def _add_run_options(p: argparse.ArgumentParser, default_runs: int) -> None:
    p.add_argument("--runs", type=count, default=default_runs, help=f"runs (per point; default {default_runs})")
    p.add_argument("--seed", type=seed, default=0, help="master seed, 0 to 2**63 - 1 (default 0)")
    p.add_argument("--out", help="folder for runs.parquet, manifest.json and scenario.resolved.yaml")
    p.add_argument("--csv", action="store_true", help="also write runs.csv")
    _add_executor_options(p)
    p.add_argument("--chunk-size", type=count, default=None,
                   help="runs simulated as one batch, one file each in --out (default: each worker's share, at most "
                        "1,000; --resume keeps the folder's); the table is the same for any size")
    p.add_argument("--resume", action="store_true", help="finish an interrupted run in --out")
    p.add_argument("--force", action="store_true", help="overwrite results already in --out")
    _add_folder_options(p)


def _add_folder_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--rebuild-manifest", action="store_true",
                   help="with a lost or corrupt manifest.json in --out: resume from the parts whose own records "
                        "(seed, scenario hash, runs) match this experiment, and write a new manifest")
    p.add_argument("--keep-parts", action="store_true",
                   help="keep --out/parts/ (one file per chunk) once runs.parquet is complete")


def _add_strict(p: argparse.ArgumentParser) -> None:
    p.add_argument("--no-strict", action="store_true",
                   help="a setting no mechanism reads is a warning (sim: warning: FILE:LINE: ...), not an error")


def _add_checks(sub, commands) -> None:
    p = sub.add_parser("validate", help="check scenario files and report every problem")
    p.add_argument("files", nargs="+", help="scenario YAML files")
    _add_strict(p)
    p.set_defaults(func=commands.cmd_validate)

    p = sub.add_parser("schema", help="print the JSON Schema of the scenario format")
    p.add_argument("--indent", action="store_true", help="pretty-print")
    p.add_argument("--overlay", action="store_true",
                   help="schema for overlay files (extends: ...): nothing required, $delete/$replace/$append allowed")
    p.set_defaults(func=commands.cmd_schema)


def _add_runs(sub, commands) -> None:
    p = sub.add_parser("run", help="run replications of a scenario and summarise them")
    p.add_argument("scenario", help="scenario YAML file")
    _add_strict(p)
    _add_run_options(p, default_runs=1000)
    p.set_defaults(func=commands.cmd_run)

    p = sub.add_parser("sweep", help="run a grid or Latin hypercube of variants of a scenario")
    p.add_argument("scenario", help="scenario YAML file")
    _add_strict(p)
    p.add_argument("--set", action="append", metavar="KEY.PATH=V1,V2,...",
                   help="values of one parameter; several --set give a full grid")
    p.add_argument("--sample", choices=["lhs"], help="sample the scenario's declared distributions instead")
    p.add_argument("--n", type=count, default=20, help="points to sample with --sample (default 20)")
    p.add_argument("--param", action="append", metavar="KEY.PATH", help="with --sample: only these parameters")
    _add_run_options(p, default_runs=200)
    p.set_defaults(func=commands.cmd_sweep)

    p = sub.add_parser("compare", help="compare scenarios under common random numbers (or saved result folders)")
    p.add_argument("inputs", nargs="+", metavar="SCENARIO_OR_FOLDER",
                   help="scenario YAML files or result folders of sim run --out; the first is the baseline")
    _add_strict(p)
    p.add_argument("--runs", type=count, default=1000, help="runs per scenario file (default 1000)")
    p.add_argument("--seed", type=seed, default=0, help="master seed shared by every scenario file (default 0)")
    p.add_argument("--out", default="compare-out",
                   help="folder for comparison.csv, paired_differences.csv, runs.parquet and figures "
                        "(default compare-out)")
    p.add_argument("--workers", type=count, help="processes (default: all cores)")
    p.set_defaults(func=commands.cmd_compare)


def _add_reading(sub, commands) -> None:
    p = sub.add_parser("plot", help="draw the figures of a result folder (of run, sweep or compare)")
    p.add_argument("folder", help="result folder")
    p.add_argument("--out", help="folder for the figures (default FOLDER/figures)")
    p.set_defaults(func=commands.cmd_plot)

    p = sub.add_parser("explain", help="tell one run as a story from its event log")
    p.add_argument("scenario", help="scenario YAML file")
    _add_strict(p)
    p.add_argument("--seed", type=seed, default=0, help="the run's seed (as in the results table)")
    p.add_argument("--run", type=run_number, help="take run RUN (from 0) of master seed --seed instead")
    p.set_defaults(func=commands.cmd_explain)


def _add_trajectory(sub, commands) -> None:
    p = sub.add_parser("trajectory", help="play runs round by round: the state after each round, as a table and a figure")
    p.add_argument("scenario", help="scenario YAML file")
    _add_strict(p)
    p.add_argument("--seed", type=seed, default=0, help="master seed: run i is run i of sim run --seed (default 0)")
    p.add_argument("--runs", type=count, default=1,
                   help="runs (default 1: that run's figure; more: bands over the runs still talking)")
    p.add_argument("--out", required=True, help="folder for trajectory.csv and trajectory.png")
    p.set_defaults(func=commands.cmd_trajectory)


def _add_sensitivity(sub, commands) -> None:
    p = sub.add_parser("sensitivity", help="Sobol or Morris sensitivity of outcomes to the scenario's parameters")
    p.add_argument("scenario", help="scenario YAML file (its distributions are the parameters, unless --range, "
                   "--all-params or --top-from choose them)")
    _add_strict(p)
    p.add_argument("--method", choices=["sobol", "morris"], default="sobol")
    p.add_argument("--n", type=count, help="Sobol: base samples, a power of two (default 64; N x (k+2) points "
                   "for k parameters); Morris: trajectories (default 20; N x (k+1) points, N x (g+1) for g groups)")
    p.add_argument("--runs-per-point", type=count, default=50, help="runs at each point (default 50)")
    p.add_argument("--outcome", action="extend", nargs="+", metavar="NAME",
                   help="outcome measures: p_deal p_force_deployed p_collapse median_deal_round "
                        "mean_force_troops (default all; with --top-from the first ranks the factors)")
    p.add_argument("--param", action="extend", nargs="+", metavar="KEY.PATH",
                   help="only these declared distributions (default all)")
    p.add_argument("--range", action="append", dest="ranges", metavar="KEY.PATH=LOW:HIGH",
                   help="any numeric parameter, fixed or drawn, sampled uniformly over [LOW, HIGH] (repeatable); "
                        "with --range or --param only the parameters named are factors")
    p.add_argument("--all-params", action="store_true",
                   help="every numeric parameter: a drawn one keeps its distribution, a fixed x gets "
                        "[x(1-S), x(1+S)] (S = --spread) within its field's range; labels, booleans, the "
                        "solver's numerical settings and the horizon are left out (listed in factors.csv)")
    p.add_argument("--spread", type=float, default=0.25, metavar="S",
                   help="with --all-params: relative range around a fixed value (default 0.25)")
    p.add_argument("--group-by", choices=["section"],
                   help="Morris: screen groups of factors, one per actor, shock, council, ... or section "
                        "(a trajectory costs groups + 1 points; mu_star per group)")
    p.add_argument("--top-from", metavar="FOLDER",
                   help="take the --top K (default 8) factors with the largest mu_star (or ST) of the result folder "
                        "of an earlier ungrouped analysis, for the first --outcome (default p_deal), with their ranges")
    p.add_argument("--seed", type=seed, default=0, help="seed of the sample and master seed of the runs (default 0)")
    _add_executor_options(p)
    p.add_argument("--out", help="folder for indices.csv, points.csv, factors.csv (excluded.csv with --all-params), "
                   "runs.parquet and sensitivity.png/.svg")
    p.add_argument("--resume", action="store_true", help="finish an interrupted analysis in --out")
    p.add_argument("--force", action="store_true", help="overwrite results already in --out")
    _add_folder_options(p)
    p.add_argument("--top", type=count, help="print only the K most influential parameters per outcome "
                   "(with --top-from: take K factors, default 8)")
    p.set_defaults(func=commands.cmd_sensitivity)


def _add_discover(sub, commands) -> None:
    p = sub.add_parser("discover", help="scenario discovery: parameter ranges where an outcome is common")
    p.add_argument("results", help="result folder (runs.parquet, manifest.json) of sim sweep, sensitivity or run")
    p.add_argument("--outcome", required=True, metavar="EXPR",
                   help="pandas expression per run, e.g. 'outcome == \"deal\"' (dotted names in backquotes)")
    p.add_argument("--method", choices=["prim", "tree"], default="prim")
    p.add_argument("--params", action="extend", nargs="+", metavar="KEY.PATH",
                   help="parameter columns to use (default: every varying dotted column)")
    p.add_argument("--threshold", type=float, default=0.5, help="PRIM: least coverage of the box (default 0.5)")
    p.add_argument("--min-mass", type=float, default=0.05, help="least share of all runs in a box (default 0.05)")
    p.add_argument("--alpha", type=float, default=0.05, help="PRIM: share peeled per step (default 0.05)")
    p.add_argument("--depth", type=count, default=3, help="tree: depth (default 3)")
    p.add_argument("--boxes", type=count, default=1,
                   help="at most this many boxes (default 1; PRIM looks for each next one outside the earlier ones)")
    p.add_argument("--pool", action="store_true",
                   help="discover over the runs of several scenarios together (a compare folder); refused without it")
    p.set_defaults(func=commands.cmd_discover)


def _add_backtest(sub, commands) -> None:
    p = sub.add_parser("backtest", help="run the closed negotiations of backtests/ and score them against what happened")
    p.add_argument("cases", nargs="*", metavar="CASE", help="case names (file stems, e.g. korea-1951) or scenario files "
                   "of backtests/ (default: every case)")
    p.add_argument("--runs", type=count, default=1000, help="runs per case (default 1000)")
    p.add_argument("--quick", action="store_true", help="100 runs per case (a check that the scorecard runs, for CI)")
    p.add_argument("--seed", type=seed, default=0, help="master seed shared by every case (default 0)")
    p.add_argument("--workers", type=count, help="processes (default: all cores)")
    p.add_argument("--out", help="folder for scorecard.csv, scores.csv, calibration.png and timing.png")
    p.set_defaults(func=commands.cmd_backtest)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``sim``."""
    from . import cli_analysis, cli_backtest, cli_commands, cli_trajectory

    parser = Parser(prog="sim", description="Simulate ceasefire negotiations from scenario files.")
    sub = parser.add_subparsers(dest="command", required=True)
    for add in (_add_checks, _add_runs, _add_reading):
        add(sub, cli_commands)
    for add in (_add_sensitivity, _add_discover):
        add(sub, cli_analysis)
    _add_trajectory(sub, cli_trajectory)
    _add_backtest(sub, cli_backtest)
    return parser

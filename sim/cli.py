"""The ``sim`` command. Thin: parses arguments, calls the library, turns user errors into one line.

This is the only module that knows about terminals and exit codes. Mesa and the model are imported
only by the commands that simulate, so ``sim validate`` and ``sim schema`` start fast.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from .errors import ExperimentError, ScenarioError

__all__ = ["main"]

EXIT_USER_ERROR = 1
EXIT_INTERRUPTED = 130


class Progress:
    """A one-line progress bar on a terminal; silent when stderr is not a terminal."""

    def __init__(self, label: str, stream=sys.stderr):
        self.label = label
        self.stream = stream
        self.enabled = stream.isatty()
        self.start = time.perf_counter()

    def __call__(self, done: int, total: int) -> None:
        """Redraw the bar."""
        if not self.enabled:
            return
        width = 30
        filled = int(width * done / max(total, 1))
        elapsed = time.perf_counter() - self.start
        self.stream.write(f"\r{self.label} [{'#' * filled}{'.' * (width - filled)}] {done:,}/{total:,} runs {elapsed:5.1f}s")
        if done >= total:
            self.stream.write("\n")
        self.stream.flush()


def _fail(message: str) -> int:
    print(f"sim: error: {message}", file=sys.stderr)
    return EXIT_USER_ERROR


def _default_workers() -> int:
    return max(1, os.cpu_count() or 1)


# --------------------------------------------------------------------------------- commands


def cmd_validate(args: argparse.Namespace) -> int:
    """Check scenario files; print every problem as FILE:LINE: key.path: message (expected ...)."""
    from .scenario import load_scenario

    bad = 0
    for file in args.files:
        try:
            scenario = load_scenario(file)
        except ScenarioError as exc:
            bad += 1
            for problem in exc.problems:
                print(problem)
            continue
        n_dist = len(scenario.distributions())
        print(f"{file}: ok ({scenario.name}: {len(scenario.spec.actors)} actors, {len(scenario.spec.issues)} issues, "
              f"{n_dist} uncertain parameter{'s' if n_dist != 1 else ''})")
    return EXIT_USER_ERROR if bad else 0


def cmd_schema(args: argparse.Namespace) -> int:
    """Print the JSON Schema of the scenario format."""
    from .schema import ScenarioSpec

    schema = ScenarioSpec.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "ceasefire-sim scenario"
    # Overlays may name a base file; the loader removes the key before validation.
    schema["properties"]["extends"] = {"type": "string", "description": "Scenario file this one overlays."}
    if args.overlay:
        # An overlay states only what it changes: nothing is required, and any mapping may carry the
        # $delete / $replace / $append directives.
        schema = _relax_for_overlays(schema)
        schema["title"] = "ceasefire-sim scenario overlay"
    print(json.dumps(schema, indent=2 if args.indent else None))
    return 0


def _relax_for_overlays(node: object) -> object:
    """The scenario schema with no required keys and the overlay directives allowed everywhere."""
    if isinstance(node, dict):
        out = {k: _relax_for_overlays(v) for k, v in node.items() if k != "required"}
        if out.get("type") == "object" and "properties" in out:
            out["properties"] = {**out["properties"], "$delete": {"const": True}, "$replace": {},
                                 "$append": {"type": "array"}}
        return out
    if isinstance(node, list):
        return [_relax_for_overlays(v) for v in node]
    return node


def cmd_run(args: argparse.Namespace) -> int:
    """Run replications of a scenario and print a summary; save them with --out."""
    from .experiment import run_many
    from .results import read_results, run_to_directory
    from .scenario import load_scenario
    from .summary import format_summary, summarize

    scenario = load_scenario(args.scenario)
    progress = Progress(scenario.name)
    workers = args.workers or _default_workers()
    if args.out:
        folder = run_to_directory(scenario, args.out, runs=args.runs, seed=args.seed, workers=workers,
                                  executor=args.executor, scheduler=args.scheduler, chunk_size=args.chunk_size,
                                  resume=args.resume, overwrite=args.force, csv=args.csv, progress=progress)
        table = read_results(folder, columns=["scenario", "outcome", "ceasefire_round", "deployment",
                                              "deployment_troops", "deployment_consented", "ceasefire_held",
                                              "sanctions_packages_passed", "loan_approved"])
    else:
        if args.resume:
            return _fail("--resume needs --out DIR")
        table = run_many(scenario, runs=args.runs, seed=args.seed, workers=workers, executor=args.executor,
                         scheduler=args.scheduler, chunk_size=args.chunk_size, progress=progress)
    print(format_summary(summarize(table)))
    if args.out:
        print(f"results: {Path(args.out) / 'runs.parquet'} (manifest.json, scenario.resolved.yaml beside it)")
    return 0


def cmd_sweep(args: argparse.Namespace) -> int:
    """Run a grid (--set) or Latin hypercube (--sample lhs) of variants; one tidy table."""
    from .design import grid, latin_hypercube, parse_assignment
    from .experiment import run_points
    from .results import read_results, run_to_directory
    from .scenario import load_scenario
    from .summary import format_summary, summarize

    scenario = load_scenario(args.scenario)
    try:
        if args.sample:
            if args.set:
                return _fail("give either --set (a grid) or --sample lhs, not both")
            points = latin_hypercube(scenario, args.n, seed=args.seed, params=args.param or None)
        else:
            if not args.set:
                return _fail("sweep needs at least one --set key.path=v1,v2,... (or --sample lhs --n K)")
            axes = dict(parse_assignment(text) for text in args.set)
            points = grid(scenario, axes)
    except ValueError as exc:
        return _fail(str(exc))
    varied = list(points[0].values)
    workers = args.workers or _default_workers()
    progress = Progress(f"{scenario.name} sweep")
    if args.out:
        folder = run_to_directory(points, args.out, runs=args.runs, seed=args.seed, workers=workers,
                                  executor=args.executor, scheduler=args.scheduler, chunk_size=args.chunk_size,
                                  resume=args.resume, overwrite=args.force, csv=args.csv, progress=progress,
                                  extra_manifest={"sweep": {"varied": varied, "method": args.sample or "grid"}})
        table = read_results(folder)
    else:
        table = run_points(points, runs=args.runs, seed=args.seed, workers=workers, executor=args.executor,
                           scheduler=args.scheduler, chunk_size=args.chunk_size, progress=progress)
    if args.sample:
        print(f"{len(points)} Latin hypercube points x {args.runs} runs over: {', '.join(varied)}")
        summary = summarize(table, by=varied)
        cols = [*varied, "runs", "p_ceasefire", "p_deployment"]
        print(summary[cols].to_string(index=False, float_format=lambda x: f"{x:.3g}"))
    else:
        print(format_summary(summarize(table, by=varied), by=varied))
    if args.out:
        print(f"results: {Path(args.out) / 'runs.parquet'}")
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    """Compare scenarios run under the same master seed (or saved result folders); write tables and figures."""
    from .compare import format_comparison, format_paired, load_comparison, save_comparison

    if len(args.inputs) < 2:
        return _fail("compare needs at least two scenario files or result folders")
    comparison = load_comparison(args.inputs, runs=args.runs, seed=args.seed,
                                 workers=args.workers or _default_workers(), progress=Progress("compare"))
    print(format_comparison(comparison.summary()))
    print()
    print(format_paired(comparison.differences()))
    try:
        written = save_comparison(comparison, args.out)
    except OSError as exc:
        return _fail(f"cannot write to {args.out}: {exc.strerror or exc}")
    print(f"written to {args.out}: comparison.csv, paired_differences.csv, runs.parquet and "
          f"{sum(p.suffix == '.png' for p in written)} figures (PNG and SVG)")
    return 0


def cmd_plot(args: argparse.Namespace) -> int:
    """Draw the figures of a result folder (of sim run, sim sweep or sim compare)."""
    from .compare import folder_info
    from .plots import save_all
    from .results import read_manifest, read_results

    folder = Path(args.folder)
    if not folder.is_dir():
        return _fail(f"{folder}: no such result folder")
    manifest = read_manifest(folder)
    table = read_results(folder)
    info = folder_info(folder)
    varied = (manifest.get("sweep") or {}).get("varied") or None
    out = Path(args.out) if args.out else folder / "figures"
    try:
        written = save_all(table, out, sweep_params=varied, horizon=info["horizon"],
                           guarantors=info["guarantors"] or None)
    except OSError as exc:
        return _fail(f"cannot write to {out}: {exc.strerror or exc}")
    stems = list(dict.fromkeys(p.stem for p in written))
    print(f"{len(stems)} figures (PNG and SVG) written to {out}: {', '.join(stems)}")
    return 0


def cmd_explain(args: argparse.Namespace) -> int:
    """Tell one run as a story."""
    from .experiment import explain_run
    from .scenario import load_scenario
    from .streams import run_seed

    scenario = load_scenario(args.scenario)
    seed = run_seed(args.seed, args.run) if args.run is not None else args.seed
    record, events = explain_run(scenario, seed)
    print(f"{scenario.name}, seed {seed}" + (f" (run {args.run} of master seed {args.seed})" if args.run is not None else ""))
    current = None
    for event in events:
        if event.round != current:
            current = event.round
            print(f"round {event.round}:")
        actor = "" if event.actor == "-" else f"{event.actor} "
        print(f"  {actor}{event.event}: {event.detail}")
    print(f"outcome: {record['outcome']} (cause: {record['breakdown_cause']})")
    if record["outcome"] == "ceasefire":
        terms = ", ".join(f"{k[6:]} {v:.2f}" for k, v in record.items() if k.startswith("terms_"))
        print(f"terms: {terms}")
        print(f"deployment: {record['deployment_troops']:,.0f} troops ({record['contributors'] or 'none'}); "
              f"held to the horizon: {bool(record['ceasefire_held'])}")
    return 0


def cmd_sensitivity(args: argparse.Namespace) -> int:
    """Sobol or Morris sensitivity indices of outcome measures to the scenario's declared distributions."""
    from .scenario import load_scenario
    from .sensitivity import DEFAULT_N, check, format_indices, sensitivity

    scenario = load_scenario(args.scenario)
    try:
        outcomes = check(scenario, method=args.method, n=args.n, params=args.param, outcomes=args.outcome,
                         runs_per_point=args.runs_per_point)
    except ValueError as exc:
        return _fail(str(exc))
    result = sensitivity(scenario, method=args.method, n=args.n, runs_per_point=args.runs_per_point,
                         outcomes=outcomes, params=args.param, seed=args.seed,
                         workers=args.workers or _default_workers(), executor=args.executor,
                         scheduler=args.scheduler, out=args.out, resume=args.resume, overwrite=args.force,
                         progress=Progress(f"{scenario.name} {args.method}"))
    names = result.problem["names"]
    n = args.n or DEFAULT_N[args.method]
    what = (f"Sobol indices (Saltelli sample, N={n})" if args.method == "sobol"
            else f"Morris elementary effects ({n} trajectories, 4 levels)")
    print(f"{scenario.name}: {what}; {len(result.points):,} points x {args.runs_per_point} runs = "
          f"{len(result.runs):,} runs over {len(names)} parameters; ± is the 95% interval half-width")
    print(format_indices(result.indices, top=args.top))
    if args.out:
        print(f"written to {args.out}: indices.csv, points.csv, runs.parquet, manifest.json, sensitivity.png/.svg")
    return 0


def cmd_discover(args: argparse.Namespace) -> int:
    """Scenario discovery: the parameter ranges where an outcome is common (PRIM or a shallow tree)."""
    from .discovery import (
        DiscoveryError,
        describe_box,
        discover,
        evaluate_outcome,
        input_columns,
        outcome_label,
        short_names,
    )
    from .results import RUNS, read_results

    folder = Path(args.results)
    if not folder.is_dir():
        return _fail(f"{folder}: no such result folder")
    if not (folder / RUNS).exists():
        return _fail(f"{folder}: no {RUNS} (not a finished result folder of sim run, sweep or sensitivity)")
    runs = read_results(folder)
    try:
        columns = input_columns(runs, args.params)
        rate = float(evaluate_outcome(runs, args.outcome).mean())
        boxes = discover(runs, args.outcome, params=columns, method=args.method, alpha=args.alpha,
                         min_mass=args.min_mass, threshold=args.threshold, depth=args.depth, max_boxes=args.boxes)
    except DiscoveryError as exc:
        return _fail(str(exc))
    label = outcome_label(args.outcome)
    method = "PRIM" if args.method == "prim" else f"a classification tree (depth {args.depth})"
    print(f"{method} over {len(columns)} parameters and {len(runs):,} runs of {folder}: "
          f"{label} in {100 * rate:.0f}% of all runs")
    resolved = folder / "scenario.resolved.yaml"
    scenario_data = None
    if resolved.is_file():
        import yaml

        loaded = yaml.safe_load(resolved.read_text(encoding="utf-8"))
        scenario_data = loaded if isinstance(loaded, dict) else None
    names = short_names(columns, scenario_data)
    if not boxes:
        print(f"no box found: no range of these parameters makes {label} clearly more common")
        return 0
    for k, box in enumerate(boxes, 1):
        note = " (among runs outside the boxes above)" if args.method == "prim" and k > 1 else ""
        print(f"box {k}{note}: {describe_box(box, names=names, label=label)}")
    used = dict.fromkeys(p for box in boxes for p in box.restrictions)
    shown = [f"{names[p]} = {p}" for p in used if names[p] != p]
    if shown:
        print("names: " + "; ".join(shown))
    return 0


# --------------------------------------------------------------------------------- parser


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _add_run_options(p: argparse.ArgumentParser, default_runs: int) -> None:
    p.add_argument("--runs", type=_positive, default=default_runs, help=f"runs (per point; default {default_runs})")
    p.add_argument("--seed", type=int, default=0, help="master seed (default 0)")
    p.add_argument("--out", help="folder for runs.parquet, manifest.json and scenario.resolved.yaml")
    p.add_argument("--csv", action="store_true", help="also write runs.csv")
    p.add_argument("--workers", type=_positive, help="processes (default: all cores)")
    p.add_argument("--executor", choices=["local", "dask"], default="local")
    p.add_argument("--scheduler", help="Dask scheduler address tcp://HOST:PORT (default: a local cluster)")
    p.add_argument("--chunk-size", type=_positive, default=500, help="runs per chunk written to disk")
    p.add_argument("--resume", action="store_true", help="finish an interrupted run in --out")
    p.add_argument("--force", action="store_true", help="overwrite results already in --out")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``sim``."""
    parser = argparse.ArgumentParser(prog="sim", description="Simulate ceasefire negotiations from scenario files.")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("validate", help="check scenario files and report every problem")
    p.add_argument("files", nargs="+", help="scenario YAML files")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("schema", help="print the JSON Schema of the scenario format")
    p.add_argument("--indent", action="store_true", help="pretty-print")
    p.add_argument("--overlay", action="store_true",
                   help="schema for overlay files (extends: ...): nothing required, $delete/$replace/$append allowed")
    p.set_defaults(func=cmd_schema)

    p = sub.add_parser("run", help="run replications of a scenario and summarise them")
    p.add_argument("scenario", help="scenario YAML file")
    _add_run_options(p, default_runs=1000)
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("sweep", help="run a grid or Latin hypercube of variants of a scenario")
    p.add_argument("scenario", help="scenario YAML file")
    p.add_argument("--set", action="append", metavar="KEY.PATH=V1,V2,...",
                   help="values of one parameter; several --set give a full grid")
    p.add_argument("--sample", choices=["lhs"], help="sample the scenario's declared distributions instead")
    p.add_argument("--n", type=_positive, default=20, help="points to sample with --sample (default 20)")
    p.add_argument("--param", action="append", metavar="KEY.PATH", help="with --sample: only these parameters")
    _add_run_options(p, default_runs=200)
    p.set_defaults(func=cmd_sweep)

    p = sub.add_parser("compare", help="compare scenarios under common random numbers (or saved result folders)")
    p.add_argument("inputs", nargs="+", metavar="SCENARIO_OR_FOLDER",
                   help="scenario YAML files or result folders of sim run --out; the first is the baseline")
    p.add_argument("--runs", type=_positive, default=1000, help="runs per scenario file (default 1000)")
    p.add_argument("--seed", type=int, default=0, help="master seed shared by every scenario file (default 0)")
    p.add_argument("--out", default="compare-out",
                   help="folder for comparison.csv, paired_differences.csv, runs.parquet and figures "
                        "(default compare-out)")
    p.add_argument("--workers", type=_positive, help="processes (default: all cores)")
    p.set_defaults(func=cmd_compare)

    p = sub.add_parser("plot", help="draw the figures of a result folder (of run, sweep or compare)")
    p.add_argument("folder", help="result folder")
    p.add_argument("--out", help="folder for the figures (default FOLDER/figures)")
    p.set_defaults(func=cmd_plot)

    p = sub.add_parser("explain", help="tell one run as a story from its event log")
    p.add_argument("scenario", help="scenario YAML file")
    p.add_argument("--seed", type=int, default=0, help="the run's seed (as in the results table)")
    p.add_argument("--run", type=int, help="take run RUN of master seed --seed instead")
    p.set_defaults(func=cmd_explain)

    p = sub.add_parser("sensitivity", help="Sobol or Morris sensitivity of outcomes to the declared distributions")
    p.add_argument("scenario", help="scenario YAML file (its distributions are the parameters)")
    p.add_argument("--method", choices=["sobol", "morris"], default="sobol")
    p.add_argument("--n", type=_positive, help="Sobol: base samples, a power of two (default 64; N x (k+2) points "
                   "for k parameters); Morris: trajectories (default 20; N x (k+1) points)")
    p.add_argument("--runs-per-point", type=_positive, default=50, help="runs at each point (default 50)")
    p.add_argument("--outcome", action="extend", nargs="+", metavar="NAME",
                   help="outcome measures: p_ceasefire p_deployment p_collapse median_ceasefire_round "
                        "mean_troops (default all)")
    p.add_argument("--param", action="extend", nargs="+", metavar="KEY.PATH",
                   help="only these declared distributions (default all)")
    p.add_argument("--seed", type=int, default=0, help="seed of the sample and master seed of the runs (default 0)")
    p.add_argument("--workers", type=_positive, help="processes (default: all cores)")
    p.add_argument("--executor", choices=["local", "dask"], default="local")
    p.add_argument("--scheduler", help="Dask scheduler address tcp://HOST:PORT (default: a local cluster)")
    p.add_argument("--out", help="folder for indices.csv, points.csv, runs.parquet and sensitivity.png/.svg")
    p.add_argument("--resume", action="store_true", help="finish an interrupted analysis in --out")
    p.add_argument("--force", action="store_true", help="overwrite results already in --out")
    p.add_argument("--top", type=_positive, help="print only the K most influential parameters per outcome")
    p.set_defaults(func=cmd_sensitivity)

    p = sub.add_parser("discover", help="scenario discovery: parameter ranges where an outcome is common")
    p.add_argument("results", help="result folder (runs.parquet, manifest.json) of sim sweep, sensitivity or run")
    p.add_argument("--outcome", required=True, metavar="EXPR",
                   help="pandas expression per run, e.g. 'outcome == \"ceasefire\"' (dotted names in backquotes)")
    p.add_argument("--method", choices=["prim", "tree"], default="prim")
    p.add_argument("--params", action="extend", nargs="+", metavar="KEY.PATH",
                   help="parameter columns to use (default: every varying dotted column)")
    p.add_argument("--threshold", type=float, default=0.5, help="PRIM: least coverage of the box (default 0.5)")
    p.add_argument("--min-mass", type=float, default=0.05, help="least share of all runs in a box (default 0.05)")
    p.add_argument("--alpha", type=float, default=0.05, help="PRIM: share peeled per step (default 0.05)")
    p.add_argument("--depth", type=_positive, default=3, help="tree: depth (default 3)")
    p.add_argument("--boxes", type=_positive, default=1,
                   help="at most this many boxes (default 1; PRIM looks for each next one outside the earlier ones)")
    p.set_defaults(func=cmd_discover)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``sim`` command; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)

    try:
        return int(args.func(args) or 0)
    except ScenarioError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return EXIT_USER_ERROR
    except ExperimentError as exc:
        return _fail(str(exc))
    except KeyboardInterrupt:
        print("\nsim: interrupted; finished chunks are kept in --out (rerun with --resume)", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())

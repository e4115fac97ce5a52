"""The commands of ``sim``, one function each: read the arguments, call the library, print the result.

Each returns an exit code, or raises one of the project's errors, which ``sim.cli.main`` turns into one
line. Mesa and the model are imported only by the commands that simulate, so ``sim validate`` and
``sim schema`` start fast.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from .errors import EnvironmentFailure, ScenarioError

EXIT_OK = 0
EXIT_INPUT = 1
EXIT_ENVIRONMENT = 3


def fail(message: str, code: int = EXIT_INPUT) -> int:
    """Print one line ``sim: error: ...`` to stderr and give the exit code."""
    print(f"sim: error: {message}", file=sys.stderr)
    return code


def _default_workers() -> int:
    return max(1, os.cpu_count() or 1)


def _progress(label: str):
    from .progress import progress_bar

    return progress_bar(label)


def _bad_out(out: str | None, option: str = "--out") -> str | None:
    """Why an output folder cannot be used, found before any run is spent on it."""
    if not out:
        return None
    path = Path(out)
    if path.exists() and not path.is_dir():
        return f"{option} {out}: is a file (expected a folder for the results)"
    for parent in path.parents:
        if parent.exists():
            if not parent.is_dir():
                return f"{option} {out}: {parent} is a file (expected a folder for the results)"
            break
    return None


def _needs_out(args: argparse.Namespace) -> str | None:
    """A result-folder option given without the folder."""
    for flag in ("resume", "rebuild_manifest", "keep_parts"):
        if getattr(args, flag, False) and not args.out:
            return f"--{flag.replace('_', '-')} needs --out DIR"
    return None


def _folder_options(args: argparse.Namespace) -> dict:
    """The options of a result folder beyond --resume and --force."""
    return {"rebuild_manifest": args.rebuild_manifest, "keep_parts": args.keep_parts}


def cmd_validate(args: argparse.Namespace) -> int:
    """Check scenario files; print every problem as FILE:LINE: key.path: message (expected ...)."""
    from .scenario import load_scenario

    bad, unreadable = 0, 0
    for file in args.files:
        try:
            scenario = load_scenario(file, strict=not args.no_strict)
        except ScenarioError as exc:
            bad += 1
            for problem in exc.problems:
                print(problem)
            continue
        except EnvironmentFailure as exc:
            # A file that cannot be read is reported, and the other files are still checked.
            unreadable += 1
            fail(str(exc), EXIT_ENVIRONMENT)
            continue
        n_dist = len(scenario.distributions())
        print(f"{file}: ok ({scenario.name}: {len(scenario.spec.actors)} actors, {len(scenario.spec.issues)} issues, "
              f"{n_dist} uncertain parameter{'s' if n_dist != 1 else ''})")
    return EXIT_ENVIRONMENT if unreadable else EXIT_INPUT if bad else EXIT_OK


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
    return EXIT_OK


#: What an overlay may write in place of any value: one of the directives of :mod:`sim.scenario.overlays`.
_DIRECTIVE = {"type": "object", "minProperties": 1, "maxProperties": 1, "additionalProperties": False,
              "properties": {"$delete": {"const": True}, "$replace": {}, "$append": {"type": "array"}},
              "description": "An overlay directive: {$delete: true}, {$replace: value} or {$append: [items]}."}


def _relax_for_overlays(node: object) -> object:
    """The scenario schema as an overlay sees it: nothing required, mappings that may be partial (they
    merge into the base), and a directive allowed in place of any value, a list's included."""
    if isinstance(node, dict):
        out = {k: _relax_for_overlays(v) for k, v in node.items() if k not in ("required", "minProperties")}
        if isinstance(out.get("properties"), dict):
            out["properties"] = {k: _or_directive(v) for k, v in out["properties"].items()}
        if isinstance(out.get("additionalProperties"), dict):
            out["additionalProperties"] = _or_directive(out["additionalProperties"])
        return out
    if isinstance(node, list):
        return [_relax_for_overlays(v) for v in node]
    return node


def _or_directive(schema: object) -> dict:
    return {"anyOf": [schema, _DIRECTIVE]}


def cmd_run(args: argparse.Namespace) -> int:
    """Run replications of a scenario and print a summary; save them with --out."""
    from .experiment import run_many
    from .results import read_results, run_to_directory
    from .scenario import load_scenario
    from .summary import format_summary, summarize

    if problem := _bad_out(args.out) or _needs_out(args):
        return fail(problem)
    scenario = load_scenario(args.scenario, strict=not args.no_strict)
    progress = _progress(scenario.name)
    workers = args.workers or _default_workers()
    if args.out:
        folder = run_to_directory(scenario, args.out, runs=args.runs, seed=args.seed, workers=workers,
                                  executor=args.executor, scheduler=args.scheduler,
                                  chunk_size=args.chunk_size, resume=args.resume, overwrite=args.force, csv=args.csv, progress=progress,
                                  **_folder_options(args))
        table = read_results(folder)  # every column: the summary shows each council measure
    else:
        table = run_many(scenario, runs=args.runs, seed=args.seed, workers=workers, executor=args.executor,
                         scheduler=args.scheduler, chunk_size=args.chunk_size, progress=progress)
    measures = {mid: m.label for c in scenario.spec.institutions.councils.values() for mid, m in c.measures.items()}
    print(format_summary(summarize(table), measures=measures))
    if args.out:
        print(f"results: {Path(args.out) / 'runs.parquet'} (manifest.json, scenario.resolved.yaml beside it)")
    return EXIT_OK


def _grid_points(scenario, assignments: list[str]) -> list:
    """The grid of --set values, every key path checked against the scenario first."""
    from .design import grid, parse_assignment
    from .messages import key_path_problem, relabel

    axes = dict(parse_assignment(text) for text in assignments)
    for path in axes:
        if problem := key_path_problem(scenario.spec, path):
            raise ValueError(f"--set {path}: {problem}")
    try:
        return grid(scenario, axes)
    except ScenarioError as exc:
        raise relabel(exc, "--set") from None


def _sweep_points(scenario, args: argparse.Namespace) -> list:
    """The points of a sweep: a Latin hypercube (--sample lhs) or a grid (--set)."""
    from .design import latin_hypercube

    if args.sample:
        if args.set:
            raise ValueError("give either --set (a grid) or --sample lhs, not both")
        return latin_hypercube(scenario, args.n, seed=args.seed, params=args.param or None)
    if not args.set:
        raise ValueError("sweep needs at least one --set key.path=v1,v2,... (or --sample lhs --n K)")
    return _grid_points(scenario, args.set)


def cmd_sweep(args: argparse.Namespace) -> int:
    """Run a grid (--set) or Latin hypercube (--sample lhs) of variants; one tidy table."""
    from .experiment import run_points
    from .results import read_results, run_to_directory
    from .scenario import load_scenario
    from .summary import summarize

    if problem := _bad_out(args.out) or _needs_out(args):
        return fail(problem)
    scenario = load_scenario(args.scenario, strict=not args.no_strict)
    try:
        points = _sweep_points(scenario, args)
    except ValueError as exc:
        return fail(str(exc))
    varied = list(points[0].values)
    workers = args.workers or _default_workers()
    progress = _progress(f"{scenario.name} sweep")
    if args.out:
        folder = run_to_directory(points, args.out, runs=args.runs, seed=args.seed, workers=workers,
                                  executor=args.executor, scheduler=args.scheduler,
                                  chunk_size=args.chunk_size, resume=args.resume, overwrite=args.force, csv=args.csv, progress=progress,
                                  extra_manifest={"sweep": {"varied": varied, "method": args.sample or "grid"}},
                                  **_folder_options(args))
        table = read_results(folder)
    else:
        table = run_points(points, runs=args.runs, seed=args.seed, workers=workers, executor=args.executor,
                           scheduler=args.scheduler, chunk_size=args.chunk_size, progress=progress)
    from .discovery.words import short_names
    from .summary import format_sweep_table

    kind = "Latin hypercube points" if args.sample else "grid points"
    print(f"{scenario.name}: {len(points)} {kind} x {args.runs:,} runs; shares with 95% intervals")
    print(format_sweep_table(summarize(table, by=varied), varied, names=short_names(varied, scenario.data)))
    if args.out:
        print(f"results: {Path(args.out) / 'runs.parquet'}")
    return EXIT_OK


def cmd_compare(args: argparse.Namespace) -> int:
    """Compare scenarios run under the same master seed (or saved result folders); write tables and figures."""
    from .compare import format_comparison, format_paired, load_comparison
    from .compare_folder import save_comparison

    if len(args.inputs) < 2:
        return fail("compare needs at least two scenario files or result folders")
    if problem := _bad_out(args.out):
        return fail(problem)
    comparison = load_comparison(args.inputs, runs=args.runs, seed=args.seed,
                                 workers=args.workers or _default_workers(), progress=_progress("compare"),
                                 strict=not args.no_strict)
    print(format_comparison(comparison.summary(), measures=comparison.measures))
    print()
    print(format_paired(comparison.differences()))
    try:
        written = save_comparison(comparison, args.out)
    except OSError as exc:
        from .result_files import environment_failure

        raise environment_failure(exc.filename or args.out, exc, then="run sim compare again") from None
    print(f"written to {args.out}: comparison.csv, paired_differences.csv, runs.parquet and "
          f"{sum(p.suffix == '.png' for p in written)} figures (PNG and SVG)")
    return EXIT_OK


def cmd_plot(args: argparse.Namespace) -> int:
    """Draw the figures of a result folder (of sim run, sim sweep or sim compare)."""
    from .compare import folder_info
    from .plots import save_all
    from .results import read_manifest, read_results

    folder = Path(args.folder)
    if not folder.is_dir():
        return fail(f"{folder}: no such result folder")
    if problem := _bad_out(args.out):
        return fail(problem)
    manifest = read_manifest(folder)
    table = read_results(folder)
    info = folder_info(folder)
    varied = _varied_of(manifest, table)
    out = Path(args.out) if args.out else folder / "figures"
    try:
        written = save_all(table, out, sweep_params=varied, horizon=info["horizon"],
                           guarantors=info["guarantors"] or None, sweep_names=_short_names(folder, varied),
                           names=info["names"], issues=info["issues"], round_weeks=info.get("round_weeks"))
    except OSError as exc:
        from .result_files import environment_failure

        raise environment_failure(exc.filename or out, exc, then="run sim plot again") from None
    stems = list(dict.fromkeys(p.stem for p in written))
    print(f"{len(stems)} figures (PNG and SVG) written to {out}: {', '.join(stems)}")
    return EXIT_OK


def _varied_of(manifest: dict, table: Any) -> list[str] | None:
    """The varied parameters of a sweep folder: named in its manifest (``sweep.varied``, written by
    ``sim sweep`` and ``sim sensitivity``), or else the keys of its design points (``design``)."""
    varied = (manifest.get("sweep") or {}).get("varied")
    if not varied and isinstance(manifest.get("design"), list) and manifest["design"]:
        varied = list(dict.fromkeys(k for point in manifest["design"] if isinstance(point, dict) for k in point))
    varied = [v for v in (varied or []) if v in table]
    return varied or None


def _short_names(folder: Path, varied: list[str] | None) -> dict[str, str] | None:
    """Short names of the varied parameters, red lines named by their issue when the folder keeps its scenario."""
    import yaml

    from .discovery.words import short_names

    if not varied:
        return None
    try:
        data = yaml.safe_load((folder / "scenario.resolved.yaml").read_text(encoding="utf-8"))
    except (OSError, ValueError, yaml.YAMLError):
        data = None
    return short_names(varied, data if isinstance(data, dict) else None)


def cmd_explain(args: argparse.Namespace) -> int:
    """Tell one run as a story: dated rounds, display names and the scenario's own words."""
    from .experiment import explain_run
    from .scenario import load_scenario
    from .streams import run_seed

    scenario = load_scenario(args.scenario, strict=not args.no_strict)
    seed = run_seed(args.seed, args.run) if args.run is not None else args.seed
    record, events = explain_run(scenario, seed)
    spec = scenario.spec
    print(f"{scenario.name}, seed {seed}" + (f" (run {args.run} of master seed {args.seed})" if args.run is not None else ""))
    current = None
    for event in _until_the_end(events):
        if event.round != current:
            current = event.round
            print(f"round {event.round}{_date_of(spec, event.round)}:")
        actor = "" if event.actor == "-" else f"{_display_name(spec, event.actor)} "
        # Joint mediators are several: "propose", "believe".
        verb = _PLURAL.get(event.event, event.event) if "+" in event.actor else event.event
        print(f"  {actor}{verb}: {event.detail}")
    for line in _ending(spec, record):
        print(line)
    return EXIT_OK


def _until_the_end(events: list) -> list:
    """The events up to the end of the talks by collapse (after it, the councils' votes go on, but the
    negotiation this story tells is over); after a deal, what follows it (pledges, relapse) is the story."""
    for k, event in enumerate(events):
        if event.event == "collapse":
            return events[: k + 1]
    return events


def _date_of(spec: Any, round_: int) -> str:
    """`` (YYYY-MM-DD)``: the calendar date a round begins, when the scenario gives its start."""
    import datetime as dt

    start = spec.horizon.start
    weeks = spec.horizon.round_weeks
    if start is None or not isinstance(weeks, int | float):
        return ""
    return f" ({(start + dt.timedelta(weeks=weeks * round_)).isoformat()})"


_PLURAL = {"proposes": "propose", "proposes again": "propose again", "believes": "believe"}


def _display_name(spec: Any, actor: str) -> str:
    """An actor's display name; joint mediators (``a+b``) by all their names."""
    names = [spec.actors[a].name if a in spec.actors else a for a in actor.split("+")]
    return " and ".join(names)


def _ending(spec: Any, record: dict) -> list[str]:
    """How the run ended, in the scenario's words for a deal and a force."""
    deal, force = spec.labels.deal, spec.labels.force
    outcome = record["outcome"]
    lines = [f"outcome: {deal if outcome == 'deal' else outcome.replace('_', ' ')} ({outcome}; cause: "
             f"{record['breakdown_cause']})"]
    if outcome == "deal":
        terms = ", ".join(f"{k[6:]} {v:.2f}" for k, v in record.items() if k.startswith("terms_"))
        lines.append(f"terms: {terms}")
        who = ", ".join(_display_name(spec, c) for c in str(record["force_contributors"]).split("+") if c)
        lines.append(f"{force}: {record['force_troops']:,.0f} deployed ({who})" if record["force_troops"] > 0
                     else f"{force}: none deployed")
        held = record["deal_held"]
        lines.append(f"the {deal} held through its aftermath window" if held == 1 else
                     f"the {deal} broke down in round {record['relapse_round']:.0f}")
        if held == 0:
            second = record["second_deal_round"]
            lines.append(f"a second {deal} came in round {second:.0f}" if second == second else
                         f"no second {deal} came")
        final = record["final_state"]
        lines.append(f"at the end of the run: {'a military end' if final == 'military_end' else final}")
    return lines

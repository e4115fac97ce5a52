"""The analysis commands of ``sim``: sensitivity indices and scenario discovery.

Like :mod:`sim.cli_commands`, each command is one function that parses nothing and prints its
result; this module owns the result folder of ``sim sensitivity --out`` while it is written.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from .cli_commands import EXIT_OK, _bad_out, _default_workers, _folder_options, _needs_out, _progress, fail

__all__ = ["cmd_discover", "cmd_sensitivity"]


def cmd_sensitivity(args: argparse.Namespace) -> int:
    """Sobol or Morris sensitivity indices of outcome measures to the scenario's parameters."""
    from .messages import param_problem
    from .scenario import load_scenario
    from .sensitivity import DEFAULT_N, check
    from .sensitivity_report import format_indices

    if problem := _bad_out(args.out) or _needs_out(args):
        return fail(problem)
    scenario = load_scenario(args.scenario, strict=not args.no_strict)
    if problem := param_problem(list(scenario.distributions()), args.param, scenario.name):
        return fail(problem)
    try:
        factors = _factors(args, scenario)
        outcomes = check(scenario, method=args.method, n=args.n, outcomes=args.outcome,
                         runs_per_point=args.runs_per_point, factors=factors)
        result = _run_sensitivity(args, scenario, outcomes, factors)
    except ValueError as exc:
        return fail(str(exc))
    n = args.n or DEFAULT_N[args.method]
    what = (f"Sobol indices (Saltelli sample, N={n})" if args.method == "sobol"
            else f"Morris elementary effects ({n} trajectories, 4 levels)")
    groups = result.problem.get("groups")
    over = f"{len(factors)} parameters" + (f" in {len(set(groups))} groups" if groups else "")
    print(f"{scenario.name}: {what}; {len(result.points):,} points x {args.runs_per_point} runs = "
          f"{len(result.runs):,} runs over {over}; ± is the 95% interval half-width")
    print(format_indices(result.indices, top=args.top))
    if args.out:
        print(f"written to {args.out}: indices.csv, points.csv, factors.csv{', excluded.csv' if args.all_params else ''}, "
              "runs.parquet, manifest.json, sensitivity.png/.svg")
        if args.method == "morris" and not groups and len(factors) > 8:
            print(f"next, Sobol on the 8 that matter most: sim sensitivity {args.scenario} --method sobol "
                  f"--top-from {args.out} --top 8")
    return EXIT_OK


def _factors(args: argparse.Namespace, scenario) -> list:
    """The factors the options name: --param, --range, --all-params, --top-from (checked; ValueError in one line)."""
    from .factors import choose_factors, parse_range, top_factors

    ranges = [parse_range(text) for text in args.ranges or []]
    params = list(args.param or [])
    if args.top_from:
        if args.all_params:
            raise ValueError("give either --all-params or --top-from, not both")
        outcome = (args.outcome or ["p_deal"])[0]
        top_params, top_ranges = top_factors(args.top_from, top=args.top or 8, outcome=outcome)
        try:  # checked apart first, so that a factor that no longer fits this scenario is told as --top-from's
            choose_factors(scenario, params=top_params or None, ranges=top_ranges)
        except ValueError as exc:
            raise ValueError(f"--top-from {args.top_from}: {exc} (was the folder made from another scenario?)") from None
        taken = {p for p, _, _ in ranges}
        params += [p for p in top_params if p not in params and p not in taken]
        ranges += [r for r in top_ranges if r[0] not in taken]
    return choose_factors(scenario, params=params or None, ranges=ranges, all_params=args.all_params,
                          spread=args.spread, group_by=args.group_by)


def _run_sensitivity(args: argparse.Namespace, scenario, outcomes: list[str], factors: list):
    """The design's runs in memory, or in the result folder --out, which this command owns (lock
    included) until the indices and figures are written into it too."""
    from .experiment import Executor

    where = Executor(args.executor, args.workers or _default_workers(), args.scheduler)
    progress = _progress(f"{scenario.name} {args.method}")
    return _run_plan(args, scenario, outcomes, factors, where, progress)


def _run_plan(args: argparse.Namespace, scenario, outcomes: list[str], factors: list, where, progress):
    from .experiment import run_design
    from .results import ResultFolder, read_results
    from .sensitivity import indices_of, plan, sensitivity
    from .sensitivity_report import save_figure

    if not args.out:
        return sensitivity(scenario, method=args.method, n=args.n, runs_per_point=args.runs_per_point,
                           outcomes=outcomes, seed=args.seed, workers=where.workers, executor=where.kind,
                           scheduler=where.scheduler, progress=progress, factors=factors)
    the_plan = plan(scenario, method=args.method, n=args.n, runs_per_point=args.runs_per_point, outcomes=outcomes,
                    seed=args.seed, factors=factors)
    with ResultFolder(args.out, the_plan.points, runs=args.runs_per_point, seed=args.seed,
                      executor=where,
                      resume=args.resume, overwrite=args.force, extra_manifest=the_plan.manifest,
                      **_folder_options(args)) as store:
        run_design(the_plan.points, runs=args.runs_per_point, seed=args.seed, executor=where, store=store,
                   progress=progress)
        result = indices_of(the_plan, read_results(store.folder))
        result.save(store.folder)
        save_figure(result.indices, store.folder / "sensitivity.png")
        if args.all_params:
            from .factors import excluded

            left_out = excluded(scenario, spread=args.spread)
            pd.DataFrame({"parameter": list(left_out), "reason": list(left_out.values())}).to_csv(
                store.folder / "excluded.csv", index=False)
    return result


def cmd_discover(args: argparse.Namespace) -> int:
    """Scenario discovery: the parameter ranges where an outcome is common (PRIM or a shallow tree)."""
    from .discovery import (
        DiscoveryError,
        describe_box,
        describe_tests,
        discover,
        evaluate_outcome,
        input_columns,
        outcome_label,
        pooled_leftovers,
        short_names,
    )
    from .results import MANIFEST, RUNS, read_results

    folder = Path(args.results)
    if not folder.is_dir():
        return fail(f"{folder}: no such result folder")
    if not (folder / RUNS).exists() and not (folder / MANIFEST).exists():
        return fail(f"{folder}: no {RUNS} (not a finished result folder of sim run, sweep or sensitivity)")
    runs = read_results(folder)
    try:
        boxes = discover(runs, args.outcome, params=args.params, method=args.method, alpha=args.alpha,
                         min_mass=args.min_mass, threshold=args.threshold, depth=args.depth, max_boxes=args.boxes,
                         pool=args.pool)
        columns = input_columns(runs, args.params, pool=args.pool)
        left_out = pooled_leftovers(runs, args.params) if args.pool else []
        rate = float(evaluate_outcome(runs, args.outcome).mean())
    except DiscoveryError as exc:
        return fail(str(exc))
    label = outcome_label(args.outcome)
    method = "PRIM" if args.method == "prim" else f"a classification tree (depth {args.depth})"
    print(f"{method} over {len(columns)} parameters and {len(runs):,} runs of {folder}: "
          f"{label} in {100 * rate:.0f}% of all runs; (a-b%) are 95% Wilson intervals "
          f"counting design points{' (runs, as one parameter alone varies)' if len(columns) == 1 else ''}")
    if left_out:
        print(f"left out {len(left_out)} parameter(s) not drawn in every pooled scenario: {', '.join(left_out)}")
    resolved = folder / "scenario.resolved.yaml"
    scenario_data = None
    if resolved.is_file():
        import yaml

        try:
            loaded = yaml.safe_load(resolved.read_text(encoding="utf-8"))
        except (OSError, ValueError, yaml.YAMLError):
            loaded = None  # the names are only shortened with it
        scenario_data = loaded if isinstance(loaded, dict) else None
    names = short_names(columns, scenario_data)
    if not boxes:
        print(f"no box found: no range of these parameters makes {label} more common than chance would")
        return EXIT_OK
    for k, box in enumerate(boxes, 1):
        note = " (among runs outside the boxes above)" if args.method == "prim" and k > 1 else ""
        print(f"box {k}{note}: {describe_box(box, names=names, label=label)}")
        print(f"  {describe_tests(box, names=names)}")
    used = dict.fromkeys(p for box in boxes for p in [*box.restrictions, *box.dropped])
    shown = [f"{names[p]} = {p}" for p in used if names[p] != p]
    if shown:
        print("names: " + "; ".join(shown))
    return EXIT_OK



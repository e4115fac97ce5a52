"""``sim trajectory``: one run (or many) of a scenario round by round, as a table and a figure.

Apart from :mod:`sim.cli_commands` (which is near its size limit), like :mod:`sim.cli_analysis`.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from .cli_commands import EXIT_OK, _bad_out, fail

__all__ = ["cmd_trajectory"]

CSV = "trajectory.csv"
PNG = "trajectory.png"


def cmd_trajectory(args: argparse.Namespace) -> int:
    """Write ``trajectory.csv`` (the tidy table) and ``trajectory.png`` (one run, or bands over the runs)."""
    if problem := _bad_out(args.out):
        return fail(problem)
    from .result_files import atomic_file, writing
    from .scenario import load_scenario
    from .streams import run_seed
    from .trajectory import run_trajectory

    scenario = load_scenario(args.scenario, strict=not args.no_strict)
    # Run i has the seed it has in sim run --seed S: a trajectory redraws the runs of a result folder.
    seeds = [run_seed(args.seed, i) for i in range(args.runs)]
    table = run_trajectory(scenario, seeds)
    folder = Path(args.out)
    with writing(folder, then="run sim trajectory again"):
        folder.mkdir(parents=True, exist_ok=True)
    with atomic_file(folder / CSV, "w", then="run sim trajectory again") as fh:
        table.to_csv(fh, index=False)
    _save_figure(scenario, table, folder / PNG)
    what = "one run" if args.runs == 1 else f"{args.runs:,} runs"
    print(f"trajectory of {what} of {scenario.name} (master seed {args.seed}): {folder / CSV}, {folder / PNG}")
    return EXIT_OK


def _save_figure(scenario, table, path: Path) -> None:
    """The figure, written atomically (a reader never sees half a PNG) and closed."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from .plots.trajectory import trajectory_figure
    from .result_files import atomic_file

    spec = scenario.spec
    fig = trajectory_figure(table, names={aid: a.name for aid, a in spec.actors.items()},
                            start=spec.horizon.start, round_weeks=spec.horizon.round_weeks, title=scenario.name)
    try:
        with atomic_file(path, "wb", then="run sim trajectory again") as fh:
            fig.savefig(fh, format="png", bbox_inches="tight", pad_inches=0.1)
    finally:
        plt.close(fig)

"""``sim backtest``: run the closed negotiations of ``backtests/`` and score them against what happened.

Apart from :mod:`sim.cli_commands` (which is near its size limit), like :mod:`sim.cli_trajectory`.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from .cli_commands import EXIT_OK, _bad_out, _default_workers, fail

__all__ = ["QUICK_RUNS", "cmd_backtest"]

#: Runs per case in --quick mode (CI): enough for every pattern to be computed, not to be precise.
QUICK_RUNS = 100


def cmd_backtest(args: argparse.Namespace) -> int:
    """Run every case (or the named ones), print the scorecard, write it and its figures to --out."""
    if problem := _bad_out(args.out):
        return fail(problem)
    from .backtest import behavioural_settings, find_cases, load_outcome, score_case, scorecard
    from .errors import ScenarioError
    from .experiment import Executor, Point, run_design
    from .scenario import load_scenario

    cases = find_cases(args.cases)
    problems = [p for case in cases for p in behavioural_settings(case.scenario)]
    if problems:
        raise ScenarioError(problems)
    scenarios = [load_scenario(case.scenario) for case in cases]
    outcomes = [load_outcome(case.outcome) for case in cases]
    for case, scenario, outcome in zip(cases, scenarios, outcomes, strict=True):
        if outcome.case != scenario.name:
            return fail(f"{case.outcome}: case: {outcome.case!r} is not the scenario's name {scenario.name!r}")
    runs = QUICK_RUNS if args.quick else args.runs
    table = run_design([Point(s) for s in scenarios], runs=runs, seed=args.seed,
                       executor=Executor(workers=args.workers or _default_workers()))
    scores = []
    for scenario, outcome in zip(scenarios, outcomes, strict=True):
        spec = scenario.spec.horizon
        scores.append(score_case(scenario.name, table[table["scenario"] == scenario.name], outcome.observed,
                                 horizon=int(spec.rounds), round_weeks=float(spec.round_weeks), start=spec.start))
    card = scorecard(scores, seed=args.seed)
    print(_text(card, runs, args.seed))
    if args.out:
        _write(card, Path(args.out))
    return EXIT_OK


def _yes(value: object) -> str:
    return "n/a" if value is None else "pass" if value else "FAIL"


def _text(card, runs: int, seed: int) -> str:
    """The scorecard as a table, a line per case, then the scores over cases."""
    lines = [f"backtest: {len(card.cases)} cases, {runs:,} runs each, master seed {seed}",
             f"{'case':24s} {'P(deal) [95%]':>20s} {'obs':>4s} {'deal':>5s} {'timing pct':>10s} {'time':>5s} "
             f"{'force (consent)':>26s} {'observed':>24s} {'force':>5s} {'held':>5s} {'obs':>5s} {'dur.':>5s}"]
    for r in card.cases.itertuples():
        force = f"{r.modal_force or 'none'} ({r.modal_consent or '-'})"
        observed = f"{r.observed_force or 'none'} ({r.observed_consent or '-'})" if r.observed_deal else "-"
        held = "-" if r.p_held != r.p_held else f"{100 * r.p_held:.0f}%"
        lines.append(f"{r.case:24s} {100 * r.p_deal:5.1f}% [{100 * r.p_deal_low:4.1f}, {100 * r.p_deal_high:5.1f}] "
                     f"{'yes' if r.observed_deal else 'no':>4s} {_yes(r.deal_pass):>5s} {100 * r.timing_percentile:9.0f}% "
                     f"{_yes(r.time_pass):>5s} {force:>26s} {observed:>24s} {_yes(r.force_pass):>5s} {held:>5s} "
                     f"{'-' if r.observed_held is None else 'yes' if r.observed_held else 'no':>5s} "
                     f"{_yes(r.durability_pass):>5s}")
    lines.append("scores of P(deal) over the cases (lower Brier is better, higher log is better; 95% bootstrap "
                 "intervals over cases):")
    for r in card.overall.itertuples():
        lines.append(f"  {r.forecast:28s} {r.score:5s} {r.value:+.3f} [{r.low:+.3f}, {r.high:+.3f}]")
    lines.append("few cases, facts written with hindsight, patterns rather than forecasts: see backtests/README.md")
    return "\n".join(lines)


def _write(card, folder: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from .plots.backtest import calibration_figure, timing_figure
    from .result_files import atomic_file, writing

    then = "run sim backtest again"
    with writing(folder, then=then):
        folder.mkdir(parents=True, exist_ok=True)
    for name, frame in (("scorecard.csv", card.cases), ("scores.csv", card.overall)):
        with atomic_file(folder / name, "w", then=then) as fh:
            frame.to_csv(fh, index=False)
    for name, draw in (("calibration.png", calibration_figure), ("timing.png", timing_figure)):
        fig = draw(card.cases).figure
        try:
            with atomic_file(folder / name, "wb", then=then) as fh:
                fig.savefig(fh, format="png", bbox_inches="tight", pad_inches=0.1)
        finally:
            plt.close(fig)
    print(f"written to {folder}: scorecard.csv, scores.csv, calibration.png, timing.png")

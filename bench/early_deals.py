"""Why the other negotiations deal early (issue 13, "not degenerate" for the example negotiations).

``python bench/early_deals.py [RUNS]`` (default 300 runs a case, master seed 7; about two minutes)
prints, for the baseline, every backtest case and the example of docs/examples: P(deal), the share of
runs with a deal by round 3, the share of runs in which a zone of agreement exists already after
round 0 with the true types (``zone_true`` of the trajectory, the share of the mediators' wide
candidate set that every party would sign), and whether ripening can act at all in the case: its
parties with a stock (``endurance_rounds``), which is what strain and fading audience costs need;
and the same runs with the parties' types made public (``mediators_know_resolve``: the mediators know
every party's resolve), for issue 13's check that public types bring deals forward.

The point it measures: a case whose zone exists at round 0 under the true types deals within the first
rounds, since the mediators' solve finds a zone that exists (screening costs one or two rejections);
delay beyond that comes only from ripening, and ripening needs a stock. The zone is measured on the
wide candidate set only (the mediators' local search can find terms outside it), so "early deals with
that zone" below 100 % means deals the wide set did not show at round 0, or zones that opened in rounds 1-3.

``python bench/early_deals.py RUNS --korea`` instead plays Korea as written, with the mediators alone
proposing (no party recognised), and with the parties' types known to the mediators: what its delay of
the first rounds is made of (the proposer lottery, then screening).
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sim import load_scenario  # noqa: E402
from sim.errors import UnreadSetting  # noqa: E402
from sim.experiment import run_many  # noqa: E402
from sim.streams import run_seed  # noqa: E402
from sim.trajectory import run_trajectory  # noqa: E402

SEED = 7
DEALS = ("deal", "armistice")


def files() -> list[Path]:
    cases = sorted(p for p in (ROOT / "backtests").glob("*.yaml") if not p.name.endswith(".outcome.yaml"))
    return [ROOT / "scenarios" / "baseline.yaml", *cases, *sorted((ROOT / "docs" / "examples").glob("*.yaml"))]


def row(path: Path, runs: int) -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UnreadSetting)
        scenario = load_scenario(path, strict=False)
    table = run_many(scenario, runs=runs, seed=SEED, workers=1)
    deal = table.outcome.isin(DEALS)
    early = deal & (table.deal_round <= 3)
    trajectory = run_trajectory(scenario, [run_seed(SEED, i) for i in range(runs)])
    first = trajectory.query("round == 0 and quantity == 'zone_true'").set_index("run").value
    zone_at_0 = first.reindex(range(runs)).fillna(0.0) > 0
    stocked = [a for a, actor in scenario.spec.actors.items()
               if actor.party is not None and actor.party.endurance_rounds is not None]
    zone = zone_at_0.to_numpy()
    with_zone = early[zone].mean() if zone.any() else float("nan")
    from_zone = zone[early.to_numpy()].mean() if early.any() else float("nan")
    public = run_many(scenario.with_overrides({"institutions.talks.mediators_know_resolve": True}),
                      runs=runs, seed=SEED, workers=1)
    public_deal = public.outcome.isin(DEALS)
    public_early = public_deal & (public.deal_round <= 3)
    return (f"| {path.stem} | {100 * deal.mean():.1f} % | {100 * early.mean():.1f} % | {100 * zone_at_0.mean():.1f} % "
            f"| {100 * with_zone:.1f} % | {100 * from_zone:.1f} % | {', '.join(stocked) or 'none'} "
            f"| {100 * public_deal.mean():.1f} % | {100 * public_early.mean():.1f} % |")


KOREA = {"as written (China and the US each propose with chance 0.3)": {},
         "the mediators alone propose": {"institutions.talks.recognition": {}},
         "the mediators know every party's resolve": {"institutions.talks.mediators_know_resolve": True}}


def korea(runs: int) -> None:
    base = load_scenario(ROOT / "backtests" / "korea-1951.yaml")
    print(f"korea-1951, {runs:,} runs a row, master seed {SEED}, same runs")
    for name, overrides in KOREA.items():
        table = run_many(base.with_overrides(overrides) if overrides else base, runs=runs, seed=SEED, workers=2)
        deal = table.outcome.isin(DEALS)
        print(f"{name:70s} P(deal) {100 * deal.mean():5.1f} %, by round 3 {100 * (deal & (table.deal_round <= 3)).mean():5.1f} %, "
              f"at round 0 {100 * (deal & (table.deal_round == 0)).mean():5.1f} %, median round {table.deal_round[deal].median():g}",
              flush=True)


def main(runs: int) -> None:
    print(f"{runs:,} runs a case, master seed {SEED}")
    print("| case | P(deal) | deal by round 3 | zone with the true types after round 0 "
          "| deal by round 3, given that zone | early deals with that zone | parties with a stock "
          "| P(deal), types public | deal by round 3, types public |")
    print("|---|---|---|---|---|---|---|---|---|")
    for path in files():
        print(row(path, runs), flush=True)


if __name__ == "__main__":
    numbers = [a for a in sys.argv[1:] if a != "--korea"]
    (korea if "--korea" in sys.argv else main)(int(numbers[0]) if numbers else 300)

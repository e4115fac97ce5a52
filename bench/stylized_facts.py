"""Report the design's stylized facts (directions and bands) over the shipped scenarios.

These are checks of direction, reported and not tuned to. ``python bench/stylized_facts.py [RUNS]``
prints the table; ``tests/test_stylized_facts.py`` asserts the directions with the same function.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sim import load_scenario  # noqa: E402
from sim.experiment import run_many  # noqa: E402
from sim.record import measure_ids  # noqa: E402

SCENARIOS = ["baseline", "consent-not-required", "us-backstop-withdrawn", "robust-us-backstop",
             "hungary-veto-lifted", "sanctions-surge", "russia-maximalist", "shock-prone",
             "long-range-strikes-and-assets", "twenty-eight-point-plan"]


def run_all(runs: int = 1000, seed: int = 2026, workers: int = 1) -> pd.DataFrame:
    """All shipped scenarios with the same master seed (common random numbers)."""
    tables = [run_many(load_scenario(ROOT / "scenarios" / f"{name}.yaml"), runs=runs, seed=seed, workers=workers)
              for name in SCENARIOS]
    return pd.concat(tables, ignore_index=True)


def facts(results: pd.DataFrame) -> pd.DataFrame:
    """Per scenario: the figures the stylized facts speak about."""
    rows = []
    for name, g in results.groupby("scenario", sort=False):
        cf = g[g.outcome == "deal"]
        dep = g[g.force_deployed]
        rows.append({
            "scenario": name, "runs": len(g),
            "p_deal": (g.outcome == "deal").mean(),
            "p_deal_by_r3": (g.deal_round <= 3).mean(),
            "p_deal_by_r9": (g.deal_round <= 9).mean(),
            "p_collapse": (g.outcome == "collapse").mean(),
            "p_force_deployed": g.force_deployed.mean(),
            "p_deploy_given_cf": cf.force_deployed.mean() if len(cf) else float("nan"),
            "p_consented_given_dep": dep.force_consented.mean() if len(dep) else float("nan"),
            "p_held_given_cf": cf.deal_held.mean() if len(cf) else float("nan"),
            "median_T_eff": cf.territory_effective.median() if len(cf) else float("nan"),
            "median_G": cf.terms_guarantees.median() if len(cf) else float("nan"),
            "median_F": cf.terms_deployment.median() if len(cf) else float("nan"),
            # each council measure's share passed (the scenario's own measures: none without a council)
            **{f"p_measure_{mid}_passed": g[f"measure_{mid}_passed"].astype(bool).mean() for mid in measure_ids(g)},
        })
    return pd.DataFrame(rows).set_index("scenario")


def relapse_by_strength(results: pd.DataFrame) -> pd.Series:
    """Share of deals that broke down, for strong (G_eff >= 0.5 with a force) vs weaker ones."""
    cf = results[results.outcome == "deal"].copy()
    strong = (cf.guarantees_effective >= 0.5) & (cf.deterrence_effective >= 0.3)
    return pd.Series({"strong": 1 - cf[strong].deal_held.mean(), "weaker": 1 - cf[~strong].deal_held.mean(),
                      "n_strong": int(strong.sum()), "n_weaker": int((~strong).sum())})


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    table = run_all(n, workers=2)
    with pd.option_context("display.width", 200, "display.max_columns", 30, "display.float_format", "{:.3f}".format):
        print(facts(table).T)
        print("\nrelapse among deals (all scenarios pooled):")
        print(relapse_by_strength(table).to_string())

"""The article's channels, one switch at a time, on the same runs of the baseline (issue 14).

``python bench/channels.py [RUNS]`` (default 2,000 runs, master seed 7; about five minutes on two cores)
prints, for each channel, the paired effect of switching it off on P(deal) and on the share of runs at
peace at the end (after the aftermath window), in points with a 95 % interval of the paired mean, and
then the settings inside each channel's range where the effect is largest. Runs share their seeds, so
each row differs from the baseline only by its switch (common random numbers).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sim import load_scenario  # noqa: E402
from sim.experiment import run_many  # noqa: E402

SEED = 7
LEADS = ("united_kingdom", "france")

#: channel -> (what switching it off means, overrides of the baseline). A scenario file instead of
#: overrides is named by its path.
SWITCHES: dict[str, tuple[str, dict | str]] = {
    "funding binds the front": ("Ukraine's runway never ends", {"actors.ukraine.funding.runway_rounds": 1000}),
    "sanctions pass-through": ("front.sanctions_erosion 0, Russia's sanctions_cost 0",
                               {"front.sanctions_erosion": 0.0, "actors.russia.party.sanctions_cost": 0.0}),
    "Hungary's veto": ("scenarios/hungary-veto-lifted.yaml", "scenarios/hungary-veto-lifted.yaml"),
    "council news as evidence about resolve": (
        "likelihood ratio 1 (the mediators read nothing into the votes)",
        {"institutions.councils.eu_council.signals[0].likelihood_ratio": 1.0}),
    "the consenting side judges the force": ("consenting_side_judges: clause",
                                             {"institutions.coalition.consenting_side_judges": "clause"}),
    "a force of another kind": ("the leads send only their own kind",
                                {f"actors.{m}.guarantor.also_fields": [] for m in LEADS}),
    "Russia minds troops beyond its consent": ("unconsented_force_penalty 0",
                                               {"actors.russia.party.unconsented_force_penalty": 0.0}),
    "response to an unconsented force": ("durability.unconsented_effect 0", {"durability.unconsented_effect": 0.0}),
    "ceded ground shifts future power": ("front.relapse_advance 0", {"front.relapse_advance": 0.0}),
    "Ukraine judges guarantees by the force": ("judges_guarantees false",
                                               {"actors.ukraine.party.judges_guarantees": False}),
    "the public judges guarantees by the force": (
        "ratification[0].judges_guarantees false",
        {"actors.ukraine.party.ratification[0].judges_guarantees": False}),
    "ratification": ("no ratification", {"actors.ukraine.party.ratification": []}),
    "guarantees lower the relapse hazard": ("durability.guarantees_effect 0", {"durability.guarantees_effect": 0.0}),
    "stated positions fade with depletion": ("both parties' concession_with_depletion 0",
                                             {"actors.russia.party.concession_with_depletion": 0.0,
                                              "actors.ukraine.party.concession_with_depletion": 0.0}),
}


def outcomes(scenario, runs: int) -> pd.DataFrame:
    t = run_many(scenario, runs=runs, seed=SEED, workers=2).sort_values("run")
    return pd.DataFrame({"deal": (t.outcome == "deal").to_numpy(float),
                         "peace": (t.final_state == "peace").to_numpy(float),
                         "force": t.force_deployed.fillna(False).to_numpy(float)})


def paired(switched: pd.Series, base: pd.Series) -> str:
    d = (switched.to_numpy() - base.to_numpy()) * 100
    half = 1.96 * d.std(ddof=1) / np.sqrt(len(d)) if d.std() > 0 else 0.0
    return f"{d.mean():+5.1f} [{d.mean() - half:+5.1f}, {d.mean() + half:+5.1f}]"


def main(runs: int) -> None:
    base_scenario = load_scenario(ROOT / "scenarios" / "baseline.yaml")
    base = outcomes(base_scenario, runs)
    print(f"baseline, {runs:,} runs, master seed {SEED}: P(deal) {100 * base.deal.mean():.1f} %, "
          f"peace at the end {100 * base.peace.mean():.1f} %, a force deploys in "
          f"{100 * base.force.sum() / max(base.deal.sum(), 1):.1f} % of first deals")
    print(f"{'channel (switched off: ...)':78s} {'P(deal), points':>22s} {'peace at the end, points':>26s}")
    for channel, (meaning, switch) in SWITCHES.items():
        scenario = (load_scenario(ROOT / switch) if isinstance(switch, str)
                    else base_scenario.with_overrides(switch))
        off = outcomes(scenario, runs)
        print(f"{channel + ' (' + meaning + ')':78s} {paired(off.deal, base.deal):>22s} "
              f"{paired(off.peace, base.peace):>26s}", flush=True)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)

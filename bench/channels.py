"""The article's channels, one switch at a time, on the same runs of the baseline (issue 14).

``python bench/channels.py [RUNS] [--settings | --heard]`` (default 2,000 runs, master seed 7; about five minutes on two cores)
prints, for each channel, the paired effect of switching it off on P(deal) and on the share of runs at
peace at the end (after the aftermath window), in points with a 95 % interval of the paired mean, and
then, for the channels that are weak on the baseline, a setting inside the channel's range where the
switch carries weight (or, for council news, the top of its range, where it still does not); with
``--settings`` only that second table; with ``--heard`` Russia listening to the EU council's votes as
news about the war, at three likelihood ratios and two front noises, against ratio 1. Runs share their seeds, so
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


#: Settings inside a channel's stated range where its switch carries weight: channel -> (the setting,
#: its overrides or a scenario file, the switch's overrides on top).
MONITORS_ONLY = {"actors.russia.red_lines[1].hard": True, "actors.russia.red_lines[1].bound": 0.3,
                 "shocks.nuclear_accusation.effects.red_lines[0].bound": 0.3}
#: Hungary's veto binds all year: no workaround for the loan, no end of the grievance, no new government.
VETO_BINDS = {"institutions.councils.eu_council.measures.loan_90bn.workaround.probability": 0.0,
              "actors.hungary.member.grievance_end_probability": 0.0,
              "actors.hungary.member.government_change_probability": 0.0}
SETTINGS: dict[str, tuple[str, dict | str | tuple[str, dict], dict]] = {
    "funding binds the front": ("Hungary's veto binds all year", VETO_BINDS, SWITCHES["funding binds the front"][1]),
    "Hungary's veto": ("binding all year; lifted: Hungary never votes against",
                       VETO_BINDS, {"actors.hungary.member.against_probability": 0.0}),
    "ceded ground shifts future power": ("front.relapse_advance 3 (the default 0.5; its range 0-10)",
                                         {"front.relapse_advance": 3.0}, SWITCHES["ceded ground shifts future power"][1]),
    "the consenting side judges the force": ("no member needs consent (consent-not-required.yaml)",
                                             "scenarios/consent-not-required.yaml",
                                             SWITCHES["the consenting side judges the force"][1]),
    "a force of another kind": ("Russia's troop line hard at 0.3: monitors, not a reassurance force",
                                MONITORS_ONLY, SWITCHES["a force of another kind"][1]),
    "Russia minds troops beyond its consent": ("consent-not-required.yaml", "scenarios/consent-not-required.yaml",
                                               SWITCHES["Russia minds troops beyond its consent"][1]),
    "response to an unconsented force": ("consent-not-required.yaml", "scenarios/consent-not-required.yaml",
                                         SWITCHES["response to an unconsented force"][1]),
    "response to an unconsented force, stronger": (
        "consent-not-required.yaml, durability.unconsented_effect 3 (default 1, range 0-10)",
        ("scenarios/consent-not-required.yaml", {"durability.unconsented_effect": 3.0}),
        SWITCHES["response to an unconsented force"][1]),
    "council news as evidence about resolve": ("likelihood ratio 100, the top of its range",
                                               {"institutions.councils.eu_council.signals[0].likelihood_ratio": 100.0},
                                               SWITCHES["council news as evidence about resolve"][1]),
    "council news heard by Russia": (
        "Russia reads the votes as news about the war, ratio 100, the veto binding all year, front noise 0.1",
        {**VETO_BINDS, "front.noise": 0.1, "institutions.councils.eu_council.signals[0].likelihood_ratio": 100.0,
         "institutions.councils.eu_council.signals[0].heard_by": ["mediators", "russia"]},
        SWITCHES["council news as evidence about resolve"][1]),
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


def main(runs: int, settings_only: bool = False, heard_only: bool = False) -> None:
    base_scenario = load_scenario(ROOT / "scenarios" / "baseline.yaml")
    if settings_only:
        return weight_where_it_carries(base_scenario, runs)
    if heard_only:
        return russia_listening(base_scenario, runs)
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
    weight_where_it_carries(base_scenario, runs)


SIGNAL = "institutions.councils.eu_council.signals[0]."


def russia_listening(base_scenario, runs: int) -> None:
    """Russia reads the EU council's votes as news about the war: ratio 1.5, 10, 100 against 1, at the
    baseline's front noise and at a front that teaches slowly."""
    print("\nRussia hears the EU council (heard_by: [mediators, russia]), each ratio against ratio 1, same runs:")
    for noise in (0.01, 0.05):
        listening = base_scenario.with_overrides({SIGNAL + "heard_by": ["mediators", "russia"], "front.noise": noise})
        deaf = outcomes(listening.with_overrides({SIGNAL + "likelihood_ratio": 1.0}), runs)
        for ratio in (1.5, 10.0, 100.0):
            on = outcomes(listening.with_overrides({SIGNAL + "likelihood_ratio": ratio}), runs)
            print(f"front.noise {noise}, likelihood ratio {ratio:5g}: P(deal) {100 * on.deal.mean():.1f} %, "
                  f"{paired(on.deal, deaf.deal)} points; peace {paired(on.peace, deaf.peace)}", flush=True)


def weight_where_it_carries(base_scenario, runs: int) -> None:
    print("\nwhere the switch carries weight (switched off against on, same runs):")
    for channel, (where, setting, switch) in SETTINGS.items():
        if isinstance(setting, tuple):  # a scenario file with overrides on top
            on_scenario = load_scenario(ROOT / setting[0]).with_overrides(setting[1])
        else:
            on_scenario = (load_scenario(ROOT / setting) if isinstance(setting, str)
                           else base_scenario.with_overrides(setting))
        on, off = outcomes(on_scenario, runs), outcomes(on_scenario.with_overrides(switch), runs)
        print(f"{channel + ' (' + where + ')':78s} {paired(off.deal, on.deal):>22s} {paired(off.peace, on.peace):>26s}"
              f"   (on: P(deal) {100 * on.deal.mean():.1f} %, peace {100 * on.peace.mean():.1f} %)", flush=True)


if __name__ == "__main__":
    numbers = [a for a in sys.argv[1:] if a.isdigit()]
    main(int(numbers[0]) if numbers else 2000, settings_only="--settings" in sys.argv, heard_only="--heard" in sys.argv)

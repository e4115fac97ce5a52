"""The outcome record of a run: its columns, what each means, and the tidy table they form.

A run ends in one flat row; many runs are one table (one row per run). This module is the one place
that names and orders the columns; the model fills them (:meth:`NegotiationModel.records`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

__all__ = ["COLUMNS", "records_frame", "terms_columns"]

#: Column -> meaning. ``terms_<issue>`` columns follow ``ceasefire_round``; drawn parameters, named by
#: their key path, come last.
COLUMNS: dict[str, str] = {
    "scenario": "Scenario name.",
    "run": "Run index within the experiment (0-based).",
    "seed": "Seed of the run: NegotiationModel(scenario, seed=seed) reproduces the row.",
    "outcome": "ceasefire, deadlock (horizon reached in talks) or collapse (talks broke off).",
    "ceasefire_round": "Round of the ceasefire (NaN without one).",
    "terms_<issue>": "Agreed term on each issue, 0-1 (NaN without a ceasefire).",
    "territory_effective": "Share of the contested area the attacker controls after the deal.",
    "withdrawal": "Share of the contested area the defender gives up at the table.",
    "guarantees_effective": "Guarantee term scaled by the deterrent actually deployed, 0-1.",
    "deterrence_effective": "Deterrent value of the deployed force, 0-1.",
    "deployment_consented": "1 if every deployed contingent is within the consented force type, 0 if not, NaN without deployment.",
    "deployment": "Whether a force deployed after the ceasefire.",
    "deployment_troops": "Troops deployed.",
    "contributors": "Guarantors that deployed, joined with '+'.",
    "ceasefire_held": "1 if the ceasefire held to the horizon, 0 if it broke down, NaN without one.",
    "relapse_round": "Round the ceasefire broke down (NaN if it held or there was none).",
    "sanctions_packages_passed": "EU sanctions measures adopted by the horizon.",
    "sanctions_round": "Round the first EU sanctions measure was adopted (NaN if none was).",
    "loan_approved": "Whether an EU loan was adopted (unanimously or by workaround).",
    "loan_round": "Round an EU loan was adopted (NaN if none was).",
    "vetoes": "Vetoes cast in the EU council over the run.",
    "shocks": "Shocks that fired.",
    "breakdown_cause": "none (ceasefire), no_zopa, red_line_<party>, ratification, shock_suspension, walkaway or horizon.",
    "zopa_rounds": "Rounds in which some candidate terms would have been accepted by every party.",
    "suspensions": "Times talks were suspended.",
    "leverage": "Pressure episodes the mediator used.",
    "front_final": "Share of the contested area taken by fighting at the end.",
    "sanctions_final": "Sanctions index at the end.",
}


def terms_columns(frame: pd.DataFrame) -> list[str]:
    """The ``terms_<issue>`` columns of a results table."""
    return [c for c in frame.columns if c.startswith("terms_")]


def records_frame(scenario: str, runs: Sequence[int], seeds: Sequence[int],
                  columns: Mapping[str, np.ndarray]) -> pd.DataFrame:
    """Build the tidy table (one row per run) from the model's record columns."""
    frame = pd.DataFrame({"scenario": scenario, "run": np.asarray(runs, dtype=np.int64),
                          "seed": np.asarray(seeds, dtype=np.int64), **columns})
    for col in ("outcome", "contributors", "breakdown_cause"):
        frame[col] = frame[col].astype(str)
    for col in ("deployment", "loan_approved"):
        frame[col] = frame[col].astype(bool)
    for col in ("vetoes", "shocks", "zopa_rounds", "suspensions", "sanctions_packages_passed"):
        frame[col] = frame[col].astype(np.int64)
    return frame

"""The outcome record of a run: its columns, what each means, and the tidy table they form.

A run ends in one flat row; many runs are one table (one row per run). This module is the one place
that names and orders the columns; the model fills them (:meth:`NegotiationModel.records`).
"""

from __future__ import annotations

import fnmatch
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

__all__ = ["COLUMNS", "institution_columns", "measure_ids", "records_frame", "terms_columns"]

#: Column -> meaning, the same for every scenario (a scenario's own words for the outcomes and the force are
#: display labels only). ``terms_<issue>`` columns follow ``deal_round``; the institution columns, derived
#: from the scenario's sanctions indices, councils and voting bodies (none without them), follow
#: ``front_final``; drawn parameters, named by their key path, come last.
COLUMNS: dict[str, str] = {
    "scenario": "Scenario name.",
    "run": "Run index within the experiment (0-based).",
    "seed": "Seed of the run: NegotiationModel(scenario, seed=seed) reproduces the row.",
    "outcome": "Outcome of the first talks: deal (the parties agreed), no_deal (horizon reached in talks), collapse (talks broke off) or "
               "military_end (the war ended without a deal: a party's stock was used up, or the attacker "
               "took the whole contested area).",
    "deal_round": "Round of the (first) deal (NaN without one).",
    "deal_kind": "settlement (every issue agreed) or armistice (a ceasefire on the armistice's issues, the others "
                 "left open: institutions.talks.armistice); empty without a deal.",
    "settlement_round": "Round the issues an armistice left open were settled (NaN if never, or no armistice).",
    "talks_end_round": "Round the first talks ended: the deal's, the collapse's or the military end's round, or the "
                       "horizon for no deal (time to a deal is censored here).",
    "terms_<issue>": "Agreed term on each issue, 0-1 (NaN without a deal).",
    "territory_effective": "Share of the contested area the attacker controls after the deal.",
    "withdrawal": "Share of the contested area the defender gives up at the table.",
    "guarantees_effective": "Guarantee term scaled by the deterrent actually deployed, 0-1.",
    "deterrence_effective": "Deterrent value of the deployed force, 0-1.",
    "force_consented": "1 if every deployed contingent is within the consented force type, 0 if not, NaN without deployment.",
    "force_deployed": "Whether a force deployed after the deal.",
    "force_troops": "Troops deployed.",
    "force_contributors": "Guarantors that deployed, joined with '+'.",
    "force_type": "The force type most of the deployed troops belong to (empty without a deployment).",
    "deal_held": "1 if the first deal held through its aftermath window, 0 if it broke down, NaN without one.",
    "relapse_round": "Round the first deal broke down (NaN if it held or there was none).",
    "deal_duration_rounds": "Rounds the first deal stood: to its breakdown, or the window's length if it held "
                            "(censored there); NaN without a deal.",
    "relapse_hazard": "Yearly relapse hazard of the first deal, as its terms, force and the pressure used set it "
                      "(shocks of the aftermath may raise it for a while); NaN without a deal.",
    "window_rounds": "Rounds of the aftermath window after a deal (durability.window_years in rounds).",
    "relapses": "Times a deal broke down in its window (each restarts the war and the talks).",
    "second_deal_round": "Round of a deal reached after the first broke down (NaN without one).",
    "final_state": "How the run stands at its end: peace (a deal stands), war (no deal stands: none was reached, "
                   "or the last broke down) or military_end.",
    "shocks": "Shocks that fired.",
    "breakdown_cause": "none (deal); when the last round failed, the constraint that binds in the zone of agreement "
                       "computed from the true types: red_line_<party>, ratification (approval at home, or a vote "
                       "after signature), outside_option_<party> (it prefers fighting on), no_zopa (no single "
                       "constraint opens a zone) or horizon (a zone existed, the mediators missed it); or "
                       "shock_suspension, walkaway; for a military end exhausted_<party> or front_at_limit.",
    "zopa_rounds": "Rounds in which some candidate terms would have been accepted by every party.",
    "suspensions": "Times talks were suspended.",
    "leverage": "Pressure episodes the mediator used.",
    "front_final": "Share of the contested area taken by fighting at the end.",
    "sanctions_final_<target>": "Sanctions index on the target actor <target> at the end.",
    "measure_<id>_passed": "Whether the council measure <id> was adopted by the horizon (unanimously or by workaround).",
    "measure_<id>_round": "Round the council measure <id> was first adopted (NaN if it was not).",
    "measure_<id>_in_force": "Whether the measure <id> is in force at the end (only for a measure that needs renewal).",
    "council_<id>_votes_against": "Votes against measures cast in the council <id> over the run (under unanimity, vetoes).",
    "ratification_<party>_<body>_votes": "Times a signed deal was put to the vote of that body (legislature or referendum) of the party.",
    "ratification_<party>_<body>_rejections": "Times that body voted a signed deal down.",
}

#: Patterns of the columns derived from the scenario, and the type each column of that pattern has.
DERIVED: dict[str, type] = {"sanctions_final_*": float, "measure_*_passed": bool, "measure_*_round": float,
                             "measure_*_in_force": bool,
                             "council_*_votes_against": np.int64, "ratification_*_votes": np.int64,
                             "ratification_*_rejections": np.int64}


def terms_columns(frame: pd.DataFrame) -> list[str]:
    """The ``terms_<issue>`` columns of a results table."""
    return [c for c in frame.columns if c.startswith("terms_")]


def measure_ids(frame: pd.DataFrame) -> list[str]:
    """The council measures of a results table, in column order (``measure_<id>_passed`` -> ``<id>``)."""
    return [c[len("measure_"):-len("_passed")] for c in frame.columns
            if c.startswith("measure_") and c.endswith("_passed")]


def institution_columns(frame: pd.DataFrame) -> list[str]:
    """The columns derived from the scenario's sanctions indices and councils (``sanctions_final_<target>``,
    ``measure_<id>_...``, ``council_<id>_...``) and its voting bodies (``ratification_<party>_<body>_...``)."""
    return [c for c in frame.columns if c.startswith(("sanctions_final_", "measure_", "council_", "ratification_"))]


def records_frame(scenario: str | Sequence[str], runs: Sequence[int], seeds: Sequence[int],
                  columns: Mapping[str, np.ndarray]) -> pd.DataFrame:
    """Build the tidy table (one row per run) from the model's record columns (``scenario``: a name, or one a run)."""
    frame = pd.DataFrame({"scenario": scenario, "run": np.asarray(runs, dtype=np.int64),
                          "seed": np.asarray(seeds, dtype=np.int64), **columns})
    for col in ("outcome", "force_contributors", "force_type", "breakdown_cause", "final_state", "deal_kind"):
        frame[col] = frame[col].astype(str)
    frame["force_deployed"] = frame["force_deployed"].astype(bool)
    for col in ("shocks", "zopa_rounds", "suspensions", "relapses"):
        frame[col] = frame[col].astype(np.int64)
    for col in institution_columns(frame):
        kind = next(t for pattern, t in DERIVED.items() if fnmatch.fnmatchcase(col, pattern))
        frame[col] = frame[col].astype(kind)
    return frame

"""Scoring a case's simulated runs against what was observed, and the scorecard over cases.

Pure functions of results tables: nothing here runs a simulation or writes a file. The patterns
(issue 16): **deal** (P(deal) at least 0.5 if one came, and then the modal kind of the simulated
deals, armistice or settlement, is the observed kind; at most 0.5 if none came); **time** (the observed
round lies between the simulated 5th and 95th percentiles of the time to a deal, runs without one
counted as later than the horizon, so an observed no deal passes when at least 5 % of runs have
none); **force** (the modal simulated force type and consent, among the deals, equal the observed);
**durability** (the share of simulated deals that held through the window is at least 0.5 exactly
when the deal held). Over cases: the Brier score and the log score (probabilities clipped to
0.01-0.99) of P(deal), against a leave-one-out base rate (each case forecast by the share of the
other cases with a deal), with bootstrap intervals over cases.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..summary import wilson_interval
from .outcome import Observed

__all__ = ["CLIP", "CaseScore", "Scorecard", "score_case", "scorecard"]

#: Probabilities are clipped to this range in the log score (a forecast of 0 or 1 would score minus infinity).
CLIP = (0.01, 0.99)


@dataclass(frozen=True)
class CaseScore:
    """One case: the simulated figures, the observed ones, and each pattern's pass (None: not applicable)."""

    case: str
    runs: int
    p_deal: float
    p_deal_low: float
    p_deal_high: float
    observed_deal: bool
    observed_round: float
    """The observed deal's round from the start date (the horizon for no deal: censored there)."""
    horizon: int
    time_p05: float
    time_p95: float
    """The simulated 5th and 95th percentiles of the round of the deal (inf: later than the horizon)."""
    time_median: float
    timing_percentile: float
    """Share of simulated runs with a deal by the observed round."""
    modal_kind: str
    modal_force: str
    modal_consent: str
    observed_force: str
    observed_consent: str
    p_held: float
    observed_held: bool | None
    deal_pass: bool
    time_pass: bool
    force_pass: bool | None
    durability_pass: bool | None


def _rounds_between(start: dt.date | None, date: dt.date, round_weeks: float) -> float:
    if start is None:
        raise ValueError("a case with a deal date needs horizon.start")
    return (date - start).days / (7.0 * round_weeks)


def score_case(case: str, runs: pd.DataFrame, observed: Observed, *, horizon: int, round_weeks: float,
               start: dt.date | None) -> CaseScore:
    """Score the simulated runs of one case (its results table) against what was observed."""
    n = len(runs)
    deal = (runs["outcome"] == "deal").to_numpy()
    low, high = (float(np.asarray(x).ravel()[0]) for x in wilson_interval(np.array([deal.sum()]), n))
    t = np.where(deal, runs["deal_round"].to_numpy(dtype=float), np.inf)
    p05, median, p95 = (float(np.quantile(t, q, method="inverted_cdf")) for q in (0.05, 0.5, 0.95))
    t_obs = _rounds_between(start, observed.date, round_weeks) if observed.deal else float(horizon)
    percentile = float(np.mean(t <= t_obs)) if observed.deal else float(np.mean(t < horizon))
    time_pass = (p05 <= t_obs <= p95) if observed.deal else p95 >= horizon
    deals = runs[deal]
    kind = _mode(deals["deal_kind"]) if "deal_kind" in deals else ""
    force = _mode(deals["force_type"].where(deals["force_deployed"], "")) if len(deals) else ""
    deployed = deals[deals["force_deployed"]]
    consent = _mode(deployed["force_consented"].map({1.0: "yes", 0.0: "no"})) if len(deployed) and force else ""
    o_force = observed.force.type or "" if observed.force and observed.force.deployed else ""
    o_consent = ("yes" if observed.force.consent else "no") if observed.force and observed.force.deployed \
        and observed.force.consent is not None else ""
    force_pass = None
    if observed.deal and len(deals):
        force_pass = force == o_force and (not o_force or not o_consent or consent == o_consent)
    p_held = float(deals["deal_held"].mean()) if len(deals) else math.nan
    durability_pass = None if observed.held is None or not len(deals) else (p_held >= 0.5) == observed.held
    p = float(deal.mean()) if n else math.nan
    return CaseScore(case, n, p, low, high, observed.deal, t_obs, horizon, p05, p95, median, percentile, kind, force,
                     consent,
                     o_force, o_consent, p_held, observed.held,
                     deal_pass=(p >= 0.5) == observed.deal and (not observed.kind or kind == observed.kind),
                     time_pass=bool(time_pass), force_pass=force_pass,
                     durability_pass=durability_pass)


def _mode(values: pd.Series) -> str:
    counts = values.dropna().astype(str).value_counts()
    return str(counts.index[0]) if len(counts) else ""


@dataclass(frozen=True)
class Scorecard:
    """Every case's score and the scores over cases, with bootstrap intervals."""

    cases: pd.DataFrame
    """One row per case: the :class:`CaseScore` fields."""
    overall: pd.DataFrame
    """One row per score (brier, log), for the model and the leave-one-out base rate, with 95 % intervals."""


def scorecard(scores: list[CaseScore], *, bootstrap: int = 2000, seed: int = 0) -> Scorecard:
    """Brier and clipped log scores of P(deal) over the cases, against a leave-one-out base rate."""
    table = pd.DataFrame([vars(s) for s in scores])
    p = table["p_deal"].to_numpy(dtype=float)
    o = table["observed_deal"].to_numpy(dtype=float)
    n = len(o)
    base = np.array([(o.sum() - o[i]) / (n - 1) if n > 1 else math.nan for i in range(n)])
    per_case = {"model": (p, _brier(p, o), _log(p, o)), "base rate (leave one out)": (base, _brier(base, o), _log(base, o))}
    rng = np.random.default_rng(seed)
    draws = rng.integers(0, n, size=(bootstrap, n)) if n else np.zeros((0, 0), int)
    rows = []
    for name, (_, brier, log) in per_case.items():
        for score, values in (("brier", brier), ("log", log)):
            boot = values[draws].mean(axis=1) if n else np.array([])
            rows.append({"forecast": name, "score": score, "value": float(values.mean()) if n else math.nan,
                         "low": float(np.quantile(boot, 0.025)) if n else math.nan,
                         "high": float(np.quantile(boot, 0.975)) if n else math.nan})
    model_b, base_b = per_case["model"][1], per_case["base rate (leave one out)"][1]
    diff = (model_b - base_b)[draws].mean(axis=1) if n else np.array([])
    rows.append({"forecast": "model - base rate", "score": "brier", "value": float((model_b - base_b).mean()) if n else math.nan,
                 "low": float(np.quantile(diff, 0.025)) if n else math.nan,
                 "high": float(np.quantile(diff, 0.975)) if n else math.nan})
    return Scorecard(table, pd.DataFrame(rows))


def _brier(p: np.ndarray, o: np.ndarray) -> np.ndarray:
    return (p - o) ** 2


def _log(p: np.ndarray, o: np.ndarray) -> np.ndarray:
    q = np.clip(p, *CLIP)
    return np.where(o == 1, np.log(q), np.log(1 - q))

"""Summaries of a results table: outcome shares with intervals and key figures."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

__all__ = ["OUTCOME_ORDER", "format_summary", "summarize", "wilson_interval"]

OUTCOME_ORDER = ("ceasefire", "deadlock", "collapse")


def wilson_interval(successes: float, n: float, z: float = 1.96) -> tuple[float, float]:
    """95% Wilson score interval for a share (well behaved at 0 and 1, unlike the normal one)."""
    if n <= 0:
        return (math.nan, math.nan)
    p = successes / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    # Rounding can put a bound a hair past the share itself (at 0 or 1); the interval must hold it.
    return (max(0.0, min(p, centre - half)), min(1.0, max(p, centre + half)))


def summarize(results: pd.DataFrame, *, by: str | list[str] = "scenario") -> pd.DataFrame:
    """One row per group (scenario by default): shares with 95% intervals and key figures.

    Columns: ``runs``; ``p_<outcome>`` with ``_lo``/``_hi`` for ceasefire, deadlock, collapse;
    ``median_ceasefire_round``; ``p_deployment`` (of all runs) with interval;
    ``p_deployment_given_ceasefire``; ``median_troops`` (given deployment);
    ``p_consented_given_deployment``; ``p_held_given_ceasefire``; ``mean_packages_passed``;
    ``p_loan_approved``.
    """
    rows = []
    keys = [by] if isinstance(by, str) else list(by)
    present = [k for k in keys if k in results]
    groups = results.groupby(present, sort=False) if present else [(("all",), results)]
    for key, g in groups:
        n = len(g)
        key = key if isinstance(key, tuple) else (key,)
        row: dict[str, object] = dict(zip(present or ["scenario"], key, strict=True))
        row["runs"] = n
        for outcome in OUTCOME_ORDER:
            k = int((g["outcome"] == outcome).sum())
            lo, hi = wilson_interval(k, n)
            row[f"p_{outcome}"], row[f"p_{outcome}_lo"], row[f"p_{outcome}_hi"] = k / n if n else math.nan, lo, hi
        cf = g[g["outcome"] == "ceasefire"]
        row["median_ceasefire_round"] = float(cf["ceasefire_round"].median()) if len(cf) else math.nan
        k = int(g["deployment"].sum())
        lo, hi = wilson_interval(k, n)
        row["p_deployment"], row["p_deployment_lo"], row["p_deployment_hi"] = k / n if n else math.nan, lo, hi
        row["p_deployment_given_ceasefire"] = float(cf["deployment"].mean()) if len(cf) else math.nan
        dep = g[g["deployment"]]
        row["median_troops"] = float(dep["deployment_troops"].median()) if len(dep) else math.nan
        row["p_consented_given_deployment"] = float(dep["deployment_consented"].mean()) if len(dep) else math.nan
        row["p_held_given_ceasefire"] = float(cf["ceasefire_held"].mean()) if len(cf) else math.nan
        row["mean_packages_passed"] = float(g["sanctions_packages_passed"].mean())
        row["p_loan_approved"] = float(g["loan_approved"].mean())
        rows.append(row)
    return pd.DataFrame(rows)


def _pct(x: float) -> str:
    return "  n/a" if x is None or (isinstance(x, float) and np.isnan(x)) else f"{100 * x:5.1f}%"


def format_summary(summary: pd.DataFrame, *, by: str | list[str] = "scenario") -> str:
    """Plain-text table of a summary, for the terminal."""
    keys = [k for k in ([by] if isinstance(by, str) else by) if k in summary]
    lines = []
    for _, r in summary.iterrows():
        label = ", ".join(str(r[k]) if k == "scenario" else f"{k}={r[k]:g}" if isinstance(r[k], float)
                          else f"{k}={r[k]}" for k in keys)
        lines.append(f"{label}  ({int(r['runs']):,} runs; shares with 95% intervals)")
        for outcome in OUTCOME_ORDER:
            lines.append(f"  {outcome:<28}{_pct(r[f'p_{outcome}'])}  [{_pct(r[f'p_{outcome}_lo'])}, {_pct(r[f'p_{outcome}_hi'])}]")
        mcr = r["median_ceasefire_round"]
        lines.append(f"  {'median ceasefire round':<28}{'  n/a' if np.isnan(mcr) else f'{mcr:5.1f}'}")
        lines.append(f"  {'deployment':<28}{_pct(r['p_deployment'])}  [{_pct(r['p_deployment_lo'])}, {_pct(r['p_deployment_hi'])}]")
        lines.append(f"  {'  given a ceasefire':<28}{_pct(r['p_deployment_given_ceasefire'])}")
        lines.append(f"  {'  consented':<28}{_pct(r['p_consented_given_deployment'])}")
        troops = r["median_troops"]
        lines.append(f"  {'  median troops':<28}{'    n/a' if np.isnan(troops) else f'{troops:7,.0f}'}")
        lines.append(f"  {'ceasefire held (given one)':<28}{_pct(r['p_held_given_ceasefire'])}")
        lines.append(f"  {'sanctions packages passed':<28}{r['mean_packages_passed']:5.2f} (mean)")
        lines.append(f"  {'loan approved':<28}{_pct(r['p_loan_approved'])}")
    return "\n".join(lines)

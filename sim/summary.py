"""Summaries of a results table: outcome shares with intervals and key figures."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from .record import measure_ids

__all__ = ["OUTCOME_ORDER", "format_summary", "format_sweep_table", "measure_name", "shown_outcomes", "summarize",
           "summary_measures", "wilson_interval"]

#: The final outcome codes (:data:`sim.model.OUTCOMES` without ``talking``), in the order they are shown.
OUTCOME_ORDER = ("deal", "no_deal", "collapse", "military_end")


def wilson_interval(successes: ArrayLike, n: ArrayLike, z: float = 1.96) -> tuple[Any, Any]:
    """95% Wilson score interval for a share (well behaved at 0 and 1, unlike the normal one).

    Vectorised: ``successes`` and ``n`` may be arrays (broadcast together), giving arrays of bounds;
    two numbers give two floats. Kept by hand rather than calling
    ``scipy.stats.binomtest(k, n).proportion_ci(method="wilson")``, which takes one ``k`` at a time;
    a test checks the two agree. ``n <= 0`` gives NaN bounds.
    """
    k = np.asarray(successes, dtype=float)
    size = np.asarray(n, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = k / size
        denom = 1 + z * z / size
        centre = (p + z * z / (2 * size)) / denom
        half = z * np.sqrt(p * (1 - p) / size + z * z / (4 * size * size)) / denom
    # Rounding can put a bound a hair past the share itself (at 0 or 1); the interval must hold it.
    lo = np.where(size > 0, np.maximum(0.0, np.minimum(p, centre - half)), np.nan)
    hi = np.where(size > 0, np.minimum(1.0, np.maximum(p, centre + half)), np.nan)
    if lo.ndim == 0:
        return (float(lo), float(hi))
    return (lo, hi)


def summarize(results: pd.DataFrame, *, by: str | list[str] = "scenario") -> pd.DataFrame:
    """One row per group (scenario by default): shares with 95% intervals and key figures.

    Columns: ``runs``; ``p_<outcome>`` with ``_lo``/``_hi`` for deal, no_deal, collapse, military_end;
    ``median_deal_round``; ``p_force_deployed`` (of all runs) with interval; ``p_force_given_deal``;
    ``median_force_troops`` (given deployment); ``p_consented_given_force``; ``p_held_given_deal``; and
    for each council measure M of the table (none without a council), ``p_measure_<M>_passed`` (share
    adopted by the horizon) and ``median_measure_<M>_round`` (median round of adoption, given it).
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
        deal = g[g["outcome"] == "deal"]
        row["median_deal_round"] = float(deal["deal_round"].median()) if len(deal) else math.nan
        k = int(g["force_deployed"].sum())
        lo, hi = wilson_interval(k, n)
        row["p_force_deployed"], row["p_force_deployed_lo"], row["p_force_deployed_hi"] = k / n if n else math.nan, lo, hi
        row["p_force_given_deal"] = float(deal["force_deployed"].mean()) if len(deal) else math.nan
        dep = g[g["force_deployed"]]
        row["median_force_troops"] = float(dep["force_troops"].median()) if len(dep) else math.nan
        row["p_consented_given_force"] = float(dep["force_consented"].mean()) if len(dep) else math.nan
        row["p_held_given_deal"] = float(deal["deal_held"].mean()) if len(deal) else math.nan
        for mid in measure_ids(results):
            passed = g[f"measure_{mid}_passed"]
            if passed.isna().all():
                continue  # another scenario's measure: this one has no such council
            passed = passed.astype(bool)
            row[f"p_measure_{mid}_passed"] = float(passed.mean()) if n else math.nan
            row[f"median_measure_{mid}_round"] = float(g[f"measure_{mid}_round"][passed].median()) if passed.any() else math.nan
        rows.append(row)
    return pd.DataFrame(rows)


def _pct(x: float) -> str:
    return "  n/a" if x is None or (isinstance(x, float) and np.isnan(x)) else f"{100 * x:5.1f}%"


def format_summary(summary: pd.DataFrame, *, by: str | list[str] = "scenario",
                   measures: dict[str, str] | None = None) -> str:
    """Plain-text table of a summary, for the terminal; ``measures`` labels the councils' measures by id."""
    keys = [k for k in ([by] if isinstance(by, str) else by) if k in summary]
    lines = []
    for _, r in summary.iterrows():
        label = ", ".join(str(r[k]) if k == "scenario" else f"{k}={r[k]:g}" if isinstance(r[k], float)
                          else f"{k}={r[k]}" for k in keys)
        lines.append(f"{label}  ({int(r['runs']):,} runs; shares with 95% intervals)")
        for outcome in shown_outcomes(summary):
            lines.append(f"  {outcome:<28}{_pct(r[f'p_{outcome}'])}  [{_pct(r[f'p_{outcome}_lo'])}, {_pct(r[f'p_{outcome}_hi'])}]")
        lines.append(f"  {'median deal round':<28}{_round(r['median_deal_round'])}")
        lines.append(f"  {'force deployed':<28}{_pct(r['p_force_deployed'])}  "
                     f"[{_pct(r['p_force_deployed_lo'])}, {_pct(r['p_force_deployed_hi'])}]")
        lines.append(f"  {'  given a deal':<28}{_pct(r['p_force_given_deal'])}")
        lines.append(f"  {'  consented':<28}{_pct(r['p_consented_given_force'])}")
        troops = r["median_force_troops"]
        lines.append(f"  {'  median troops':<28}{'    n/a' if np.isnan(troops) else f'{troops:7,.0f}'}")
        lines.append(f"  {'deal held (given one)':<28}{_pct(r['p_held_given_deal'])}")
        for mid in summary_measures(summary):
            if np.isnan(r[f"p_measure_{mid}_passed"]):
                continue
            lines.append(f"  {measure_name(mid, measures)}")
            lines.append(f"  {'  passed by the horizon':<28}{_pct(r[f'p_measure_{mid}_passed'])}")
            lines.append(f"  {'  median round (if passed)':<28}{_round(r[f'median_measure_{mid}_round'])}")
    return "\n".join(lines)


def shown_outcomes(summary: pd.DataFrame) -> list[str]:
    """The outcomes a summary's tables and figures show: every code of :data:`OUTCOME_ORDER`, except
    ``military_end`` (which nothing produces yet) unless some run of the summary ends in it."""
    return [o for o in OUTCOME_ORDER if o != "military_end" or (summary[f"p_{o}"] > 0).any()]


def measure_name(mid: str, labels: dict[str, str] | None) -> str:
    """How a measure is named in a table: its label and id (``20th sanctions package (sanctions_package_20)``)."""
    label = (labels or {}).get(mid)
    return f"{label} ({mid})" if label and label != mid else f"measure {mid}"


def summary_measures(summary: pd.DataFrame) -> list[str]:
    """The council measures a summary has (``p_measure_<id>_passed`` -> ``<id>``), in column order."""
    return [c[len("p_measure_"):-len("_passed")] for c in summary.columns
            if c.startswith("p_measure_") and c.endswith("_passed")]


def _round(x: float) -> str:
    return "  n/a" if np.isnan(x) else f"{x:5.1f}"


def format_sweep_table(summary: pd.DataFrame, varied: list[str], *, names: dict[str, str] | None = None,
                       width: int = 100) -> str:
    """Plain-text table of a sweep's summary, one row per design point, at most ``width`` characters wide.

    The varied parameters are columns headed by their short names (``names``; default the last part of
    each key path), each listed first with its full key path, the name of its column in the results table.
    The deal share has its 95% interval; then come the other outcomes' shares and the force's. When the
    table is too wide, the columns are headed ``p1``, ``p2``, ... instead; if it is still too wide, the
    no-deal and collapse shares go, then the deal share's interval, then the parameters' third digit
    (the full values are in the results table); if it is still too wide (many parameters), the columns
    are printed in blocks, each row numbered by its design point.
    """
    names = {p: (names or {}).get(p, p.rsplit(".", 1)[-1]) for p in varied}
    codes = [f"p{i + 1}" for i in range(len(varied))]
    lines: list[str] = []
    heads: list[str] = []
    for heads, full, interval, digits in (([names[p] for p in varied], True, True, 3), (codes, True, True, 3),
                                          (codes, False, True, 3), (codes, False, False, 3),
                                          (codes, False, False, 2)):
        columns = [(h, [_cell(v, digits) for v in summary[p]]) for h, p in zip(heads, varied, strict=True)]
        columns.append(("runs", [f"{int(n):,}" for n in summary["runs"]]))
        columns += _measure_columns(summary, full=full, interval=interval)
        lines = _table_lines(columns)
        if max(len(line) for line in lines) <= width:
            break
    else:
        lines = _wrapped(columns, width)
    pad = max(len(x) for x in heads)
    key = [f"  {h:<{pad}}  {p}" if h == names[p] or len(f"  {h:<{pad}}  {names[p]} ({p})") > width
           else f"  {h:<{pad}}  {names[p]} ({p})" for h, p in zip(heads, varied, strict=True)]
    return "\n".join(["varied parameters (columns of the results table):", *key, *lines])


def _measure_columns(summary: pd.DataFrame, *, full: bool, interval: bool) -> list[tuple[str, list[str]]]:
    """The share columns of :func:`format_sweep_table`: deal (with its interval), the others, the force."""
    rows = [r for _, r in summary.iterrows()]
    deal = [f"{_pc(r['p_deal'])} [{_pc(r['p_deal_lo'])}, {_pc(r['p_deal_hi'])}]" if interval else _pc(r["p_deal"])
            for r in rows]
    columns = [("deal", deal)]
    if full:
        columns += [(o.replace("_", " "), [_pc(r[f"p_{o}"]) for r in rows])
                    for o in shown_outcomes(summary) if o != "deal"]
    columns.append(("force", [_pc(r["p_force_deployed"]) for r in rows]))
    return columns


def _pc(x: float) -> str:
    return _pct(x).strip()


def _cell(value: object, digits: int = 3) -> str:
    if isinstance(value, float):
        return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.{digits}g}"
    return str(value)


def _wrapped(columns: list[tuple[str, list[str]]], width: int) -> list[str]:
    """The columns in blocks at most ``width`` wide (one column per block if need be), each block led by
    the design point's number and separated by a blank line."""
    rows = len(columns[0][1])
    point = ("point", [str(i) for i in range(rows)])
    blocks: list[list[tuple[str, list[str]]]] = [[]]
    for column in columns:
        trial = [point, *blocks[-1], column]
        if blocks[-1] and max(len(line) for line in _table_lines(trial)) > width:
            blocks.append([])
        blocks[-1].append(column)
    out: list[str] = []
    for block in blocks:
        out += ([""] if out else []) + _table_lines([point, *block])
    return out


def _table_lines(columns: list[tuple[str, list[str]]]) -> list[str]:
    """Header and rows of right-aligned columns two spaces apart."""
    widths = [max(len(head), *(len(c) for c in cells)) for head, cells in columns]
    rows = [[head for head, _ in columns], *zip(*(cells for _, cells in columns), strict=True)]
    return ["  ".join(f"{c:>{w}}" for c, w in zip(row, widths, strict=True)).rstrip() for row in rows]

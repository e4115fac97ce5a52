"""Comparisons in words: the tables ``sim compare`` prints (shares with intervals, paired differences)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from .summary import measure_name, shown_outcomes, summary_measures

__all__ = ["format_comparison", "format_paired"]


def _pct(x: float, signed: bool = False) -> str:
    if x is None or not np.isfinite(x):
        return "n/a"
    return f"{100 * x:+.1f}" if signed else f"{100 * x:.1f}%"


def _number(x: float, spec: str) -> str:
    return "n/a" if x is None or not np.isfinite(x) else format(x, spec)


def _absent(row: pd.Series, mid: str) -> str:
    """"-" if the scenario of this row has no measure ``mid`` (its share is NaN), else ""."""
    return "-" if not np.isfinite(row[f"p_measure_{mid}_passed"]) else ""


def _value_text(share: bool) -> Callable[[float], str]:
    return _pct if share else (lambda v: f"{v:.2f}")


def _difference_text(share: bool) -> Callable[[float], str]:
    return (lambda v: f"{_pct(v, signed=True)} pp") if share else (lambda v: f"{v:+.2f}")


def _interval_text(share: bool) -> Callable[[float, float], str]:
    def text(lo: float, hi: float) -> str:
        if not np.isfinite(lo):
            return "n/a"
        return f"[{_pct(lo, True)}, {_pct(hi, True)}]" if share else f"[{lo:+.2f}, {hi:+.2f}]"

    return text


def format_comparison(summary: pd.DataFrame, measures: dict[str, str] | None = None) -> str:
    """Plain-text table of :func:`sim.summary.summarize` output: one column per scenario (``measures``
    labels the councils' measures by id)."""
    names = [str(n) for n in summary["scenario"]]
    width = max(24, *(len(n) + 2 for n in names))

    def share(row: pd.Series, key: str) -> str:
        return f"{_pct(row[key])} [{100 * row[key + '_lo']:.1f}, {100 * row[key + '_hi']:.1f}]"

    lines_spec: list[tuple[str, Callable[[pd.Series], str]]] = [
        ("runs", lambda r: f"{int(r['runs']):,}"),
        *[(o, lambda r, o=o: share(r, f"p_{o}")) for o in shown_outcomes(summary)],
        ("median deal round", lambda r: _number(r["median_deal_round"], ".1f")),
        ("force deployed", lambda r: share(r, "p_force_deployed")),
        ("  given a deal", lambda r: _pct(r["p_force_given_deal"])),
        ("  consented", lambda r: _pct(r["p_consented_given_force"])),
        ("  median troops", lambda r: _number(r["median_force_troops"], ",.0f")),
        ("deal held (given one)", lambda r: _pct(r["p_held_given_deal"])),
    ]
    for mid in summary_measures(summary):  # "-" for a scenario without the measure
        lines_spec += [(measure_name(mid, measures), lambda r: ""),
                       ("  passed by the horizon", lambda r, m=mid: _absent(r, m) or _pct(r[f"p_measure_{m}_passed"])),
                       ("  median round (if passed)", lambda r, m=mid: _absent(r, m)
                        or _number(r[f"median_measure_{m}_round"], ".1f"))]
    lines = ["Comparison (shares with 95% intervals)", f"{'':<28}" + "".join(f"{n:<{width}}" for n in names)]
    for label, cell in lines_spec:
        lines.append(f"{label:<28}" + "".join(f"{cell(r):<{width}}" for _, r in summary.iterrows()))
    return "\n".join(line.rstrip() for line in lines)


def format_paired(diffs: pd.DataFrame) -> str:
    """Plain-text table of :func:`paired_differences`: differences with paired and unpaired intervals."""
    if diffs.empty:
        return "Paired differences: nothing to compare (one scenario)"
    lines = []
    for name, g in diffs.groupby("scenario", sort=False):
        first = g.iloc[0]
        head = f"{name} minus {first['baseline']}"
        if first["paired"]:
            lines.append(f"{head}: paired over {first['pairing']} (common random numbers); 95% intervals")
        else:
            lines.append(f"{head}: NOT paired ({first['pairing']}); unpaired 95% intervals only")
        lines.append(f"  {'':<40}{'baseline':>10}{'scenario':>10}{'difference':>12}   {'paired':<18}"
                     f"{'unpaired':<18}{'narrower':>8}")
        for _, r in g.iterrows():
            share = bool(r["share"])
            fmt, dfmt, ci = _value_text(share), _difference_text(share), _interval_text(share)
            pw = r["paired_hi"] - r["paired_lo"]
            uw = r["unpaired_hi"] - r["unpaired_lo"]
            if np.isfinite(pw) and np.isfinite(uw) and pw > 0:
                ratio = f"x{uw / pw:.1f}"
            elif np.isfinite(pw) and pw == 0 and np.isfinite(uw) and uw > 0:
                ratio = "inf"
            else:
                ratio = ""
            lines.append(f"  {r['label']:<40}{fmt(r['baseline_value']):>10}{fmt(r['value']):>10}"
                         f"{dfmt(r['difference']):>12}   {ci(r['paired_lo'], r['paired_hi']):<18}"
                         f"{ci(r['unpaired_lo'], r['unpaired_hi']):<18}{ratio:>8}")
    lines.append("(pp: percentage points; narrower: unpaired interval width / paired interval width)")
    return "\n".join(lines)


# ------------------------------------------------------------------------------- comparisons



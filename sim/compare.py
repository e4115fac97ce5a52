"""Comparing scenarios: common random numbers and paired differences.

Scenarios compared under the same master seed give run *i* the same seed in every scenario (common
random numbers), so the runs pair up by their ``run`` index. A difference between two scenarios is
then estimated from the per-run differences, whose spread is usually much smaller than that of two
independent samples: :func:`paired_differences` reports both intervals so that the gain shows.

A comparison folder (``sim compare --out DIR``, written by :mod:`sim.compare_folder`) holds ``runs.parquet`` (all scenarios),
``comparison.csv`` (one row per scenario: the :func:`sim.summary.summarize` columns),
``paired_differences.csv``, the figures of :mod:`sim.plots` (PNG and SVG) and ``manifest.json``
(``"kind": "compare"``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from .compare_text import format_comparison, format_paired
from .errors import ExperimentError
from .record import measure_ids
from .summary import OUTCOME_ORDER, summarize

__all__ = [
    "METRICS",
    "Comparison",
    "folder_info",
    "format_comparison",
    "format_paired",
    "is_paired",
    "load_comparison",
    "paired_differences",
    "scenario_info",
]

Z95 = 1.96

#: Per-run quantities compared: name -> (label, is a share). Shares are indicators 0/1 per run.
METRICS: dict[str, tuple[str, bool]] = {
    "p_deal": ("P(deal)", True),
    "p_no_deal": ("P(no deal)", True),
    "p_collapse": ("P(collapse)", True),
    "p_force_deployed": ("P(force deployed)", True),
    "p_deal_held": ("P(deal that held)", True),
    "mean_deal_round": ("mean deal round (none = horizon)", False),
}
#: Added per council measure M that both scenarios of a difference have.
MEASURE_METRIC = ("p_measure_{}_passed", "P({} passed)")


def _measures(table: pd.DataFrame) -> list[str]:
    """The council measures a scenario's runs have (a column of another scenario's measure is all NaN here)."""
    return [mid for mid in measure_ids(table) if table[f"measure_{mid}_passed"].notna().all()]


def _per_run(table: pd.DataFrame, horizon: int, by_round: int | None) -> pd.DataFrame:
    """The compared quantities of each run (indexed by ``run``)."""
    outcome = table["outcome"].astype(str)
    values = {f"p_{o}": (outcome == o).astype(float) for o in OUTCOME_ORDER}
    values["p_force_deployed"] = table["force_deployed"].astype(bool).astype(float)
    values["p_deal_held"] = (table["deal_held"] == 1).astype(float)
    values["mean_deal_round"] = table["deal_round"].astype(float).fillna(float(horizon))
    for mid in _measures(table):
        values[MEASURE_METRIC[0].format(mid)] = table[f"measure_{mid}_passed"].astype(bool).astype(float)
    if by_round is not None:
        values[f"p_deal_by_round_{by_round}"] = (table["deal_round"] <= by_round).astype(float)
    frame = pd.DataFrame(values)
    frame.index = table["run"].to_numpy()
    return frame


def is_paired(a: pd.DataFrame, b: pd.DataFrame) -> tuple[bool, str]:
    """Whether two scenarios' runs pair up by ``run`` index (same runs, same seed run by run).

    Returns:
        ``(paired, reason)``; the reason says why not, or how many runs pair up.
    """
    for name, t in (("baseline", a), ("scenario", b)):
        if t["run"].duplicated().any():
            return False, f"run indices repeat within the {name} (several design points?)"
    sa = a.set_index("run")["seed"]
    sb = b.set_index("run")["seed"]
    if set(sa.index) != set(sb.index):
        return False, f"different runs ({len(sa):,} vs {len(sb):,}); pair them by running both with the same --runs"
    same = (sa.sort_index().to_numpy() == sb.reindex(sa.sort_index().index).to_numpy())
    if not same.all():
        return False, (f"seeds differ for {int((~same).sum()):,} of {len(same):,} run indices "
                       "(different master seeds?)")
    return True, f"{len(sa):,} runs matched by run index and seed"


def _interval(mean: float, sd: float, n: float) -> tuple[float, float]:
    if n < 2 or not np.isfinite(sd):
        return (math.nan, math.nan)
    half = Z95 * sd / math.sqrt(n)
    return (mean - half, mean + half)


def _difference_row(name: str, baseline: str, metric: str, label: str, share: bool, base_values: pd.DataFrame,
                    values: pd.DataFrame, paired: bool, reason: str) -> dict[str, Any]:
    """One row of :func:`paired_differences`: a scenario's difference from the baseline on one metric."""
    a = base_values[metric].to_numpy(dtype=float)
    b = values[metric].to_numpy(dtype=float)
    diff = float(b.mean() - a.mean())
    se = math.sqrt(np.var(a, ddof=1) / len(a) + np.var(b, ddof=1) / len(b)) if min(len(a), len(b)) > 1 else math.nan
    row: dict[str, Any] = {
        "scenario": name, "baseline": baseline, "metric": metric, "label": label, "share": share,
        "baseline_value": float(a.mean()), "value": float(b.mean()), "difference": diff,
        "paired_lo": math.nan, "paired_hi": math.nan,
        "unpaired_lo": diff - Z95 * se, "unpaired_hi": diff + Z95 * se,
        "n_baseline": len(a), "n": len(b), "n_pairs": 0, "paired": paired, "pairing": reason,
    }
    if paired:
        d = (values[metric] - base_values[metric].reindex(values.index)).to_numpy(dtype=float)
        row["difference"] = float(d.mean())
        row["paired_lo"], row["paired_hi"] = _interval(float(d.mean()), float(np.std(d, ddof=1))
                                                        if len(d) > 1 else math.nan, len(d))
        row["n_pairs"] = len(d)
    return row


def paired_differences(results: pd.DataFrame, baseline: str = "baseline", *, horizon: int = 26,
                       by_round: int | None = None, measures: dict[str, str] | None = None) -> pd.DataFrame:
    """Differences of every other scenario from the baseline, with paired and unpaired 95% intervals.

    For each scenario and quantity (:data:`METRICS`: the outcome shares, a deployed force, a deal
    that held, the mean deal round counting runs without one as ``horizon``; the share passed of
    each council measure both scenarios have; optionally the share with a deal by round
    ``by_round``; a measure is named by its label in ``measures``, else its id), the per-run
    values (0/1 indicators for shares) are matched by ``run`` index. The paired interval is
    ``mean(d) ± 1.96·sd(d)/√n`` of the per-run differences ``d``; the unpaired one is
    ``diff ± 1.96·√(var_a/n_a + var_b/n_b)``. When the runs do not pair up (different seeds or runs
    per index), the paired columns are NaN and ``paired`` is False, with the reason in ``pairing``.

    Args:
        results: Results table of two or more scenarios.
        baseline: Name of the scenario the others are compared with.
        horizon: Rounds of the scenarios (the value given to runs without a deal).
        by_round: Also compare the share of runs with a deal in this round or earlier.

    Returns:
        One row per (scenario, metric): ``scenario``, ``baseline``, ``metric``, ``label``, ``share``,
        ``baseline_value``, ``value``, ``difference``, ``paired_lo``, ``paired_hi``, ``unpaired_lo``,
        ``unpaired_hi``, ``n_baseline``, ``n``, ``n_pairs``, ``paired``, ``pairing``.

    Raises:
        ValueError: the baseline is not in the table.
    """
    names = [str(n) for n in pd.unique(results["scenario"])]
    if baseline not in names:
        raise ValueError(f"no scenario named {baseline!r} in the table (scenarios: {', '.join(names)})")
    metrics = dict(METRICS)
    if by_round is not None:
        metrics[f"p_deal_by_round_{by_round}"] = (f"P(deal by round {by_round})", True)
    base = results[results["scenario"] == baseline]
    base_values = _per_run(base, horizon, by_round)
    rows = []
    for name in names:
        if name == baseline:
            continue
        other = results[results["scenario"] == name]
        values = _per_run(other, horizon, by_round)
        paired, reason = is_paired(base, other)
        both = [mid for mid in _measures(base) if mid in _measures(other)]
        compared = {**metrics, **{MEASURE_METRIC[0].format(m): (MEASURE_METRIC[1].format((measures or {}).get(m, m)), True)
                                  for m in both}}
        rows += [_difference_row(name, baseline, metric, label, share, base_values, values, paired, reason)
                 for metric, (label, share) in compared.items()]
    return pd.DataFrame(rows, columns=["scenario", "baseline", "metric", "label", "share", "baseline_value", "value",
                                       "difference", "paired_lo", "paired_hi", "unpaired_lo", "unpaired_hi",
                                       "n_baseline", "n", "n_pairs", "paired", "pairing"])


def _guarantors_of(actors: dict[str, Any]) -> list[str]:
    return [key for key, actor in (actors or {}).items() if isinstance(actor, dict) and actor.get("guarantor")]


def _words(actors: dict[str, Any], issues: dict[str, Any], institutions: Any = None) -> dict[str, Any]:
    """Display names of the actors, the words of the issues (label, low, high, anchors) and the labels of
    the councils' measures, as plain data."""
    councils = (institutions or {}).get("councils") if isinstance(institutions, dict) else None
    measures = {mid: str(measure.get("label", mid))
                for council in (councils or {}).values() if isinstance(council, dict)
                for mid, measure in (council.get("measures") or {}).items() if isinstance(measure, dict)}
    return {"names": {key: str(actor.get("name", key)) for key, actor in actors.items() if isinstance(actor, dict)},
            "issues": {key: {k: issue[k] for k in ("label", "low", "high", "anchors") if k in issue}
                       for key, issue in issues.items() if isinstance(issue, dict)},
            "measures": measures}


def scenario_info(scenario: Any) -> dict[str, Any]:
    """Horizon (rounds), guarantor ids, actors' display names and issues' words of a scenario."""
    data = scenario.data
    weeks = scenario.spec.horizon.round_weeks
    return {"horizon": int(scenario.spec.horizon.rounds),
            "round_weeks": float(weeks) if isinstance(weeks, int | float) else None,
            "guarantors": [key for key, actor in scenario.spec.actors.items() if actor.guarantor is not None],
            **_words(dict(data.get("actors") or {}), dict(data.get("issues") or {}), data.get("institutions"))}


def folder_info(folder: str | Path) -> dict[str, Any]:
    """Horizon and guarantor ids of a result folder, from its manifest or ``scenario.resolved.yaml``."""
    from .results import read_manifest

    folder = Path(folder)
    manifest = read_manifest(folder)
    if manifest.get("kind") == "compare":
        return {"horizon": manifest.get("horizon"), "round_weeks": manifest.get("round_weeks"),
                "guarantors": manifest.get("guarantors") or [],
                "names": manifest.get("names") or {}, "issues": manifest.get("issues") or {},
                "measures": manifest.get("measures") or {}}
    try:
        data = yaml.safe_load((folder / "scenario.resolved.yaml").read_text(encoding="utf-8")) or {}
    except (OSError, ValueError, yaml.YAMLError):
        data = None
    if not isinstance(data, dict):
        return {"horizon": None, "round_weeks": None, "guarantors": [], "names": {}, "issues": {}, "measures": {}}
    rounds = (data.get("horizon") or {}).get("rounds")
    weeks = (data.get("horizon") or {}).get("round_weeks", 2.0)
    return {"horizon": int(rounds) if isinstance(rounds, int | float) else None,
            "round_weeks": float(weeks) if isinstance(weeks, int | float) else None,
            "guarantors": _guarantors_of(data.get("actors") or {}),
            **_words(data.get("actors") or {}, data.get("issues") or {}, data.get("institutions"))}


@dataclass
class Comparison:
    """Scenarios compared: the combined table and what the figures need to know."""

    table: pd.DataFrame
    inputs: list[str]
    seed: int | None
    horizon: int | None = None
    round_weeks: float | None = None
    """Weeks per round when every scenario compared has the same (figures of durations are then in years)."""
    guarantors: list[str] = field(default_factory=list)
    actor_names: dict[str, str] = field(default_factory=dict)
    """Display names of the actors of every scenario compared."""
    issues: dict[str, Any] = field(default_factory=dict)
    """The words of the issues (label, low, high, anchors), the first scenario's for an issue they share."""
    measures: dict[str, str] = field(default_factory=dict)
    """Labels of the councils' measures of every scenario compared (measure id -> label)."""

    @property
    def names(self) -> list[str]:
        """Scenario names, in the order given."""
        return [str(n) for n in pd.unique(self.table["scenario"])]

    def summary(self) -> pd.DataFrame:
        """One row per scenario: the :func:`sim.summary.summarize` columns."""
        return summarize(self.table)

    def differences(self) -> pd.DataFrame:
        """:func:`paired_differences` against the first scenario."""
        return paired_differences(self.table, self.names[0], horizon=self.horizon or 26, measures=self.measures)


def load_comparison(inputs: Sequence[str | Path], *, runs: int, seed: int = 0, workers: int = 1,
                    progress: Callable[[int, int], None] | None = None, strict: bool = True) -> Comparison:
    """Run scenario files (same master seed) and read result folders into one comparison.

    Scenario files are simulated together with :func:`sim.experiment.run_design`, ``runs`` runs each
    under master seed ``seed``, so their runs pair up. Result folders (``sim run --out``) are read
    as saved. ``strict=False`` loads the files as :func:`sim.scenario.load_scenario` does with it.

    Raises:
        ExperimentError: an input does not exist, or two inputs have the same scenario name.
        ScenarioError: a scenario file is invalid.
    """
    from .experiment import Executor, Point, run_design
    from .results import read_results
    from .scenario import load_scenario

    loaded: list[tuple[int, Any]] = []
    folders: list[tuple[int, Path]] = []
    for k, item in enumerate(inputs):
        path = Path(item)
        if path.is_dir():
            folders.append((k, path))
        elif path.is_file():
            loaded.append((k, load_scenario(path, strict=strict)))
        else:
            raise ExperimentError(f"{item}: no such scenario file or result folder")
    parts: dict[int, pd.DataFrame] = {}
    horizons: list[int] = []
    weeks: list[float | None] = []
    guarantors: list[str] = []
    # The first scenario's words win for an actor, issue or measure several scenarios share.
    words: dict[str, dict[str, Any]] = {"names": {}, "issues": {}, "measures": {}}

    def gather(info: dict[str, Any]) -> None:
        if info["horizon"]:
            horizons.append(int(info["horizon"]))
        weeks.append(info.get("round_weeks"))
        guarantors.extend(info["guarantors"])
        for kind, known in words.items():
            known.update({k: v for k, v in info.get(kind, {}).items() if k not in known})

    for k, folder in folders:
        parts[k] = read_results(folder)
        gather(folder_info(folder))
    if loaded:
        table = run_design([Point(s) for _, s in loaded], runs=runs, seed=seed, executor=Executor(workers=workers),
                           progress=progress)
        assert table is not None
        for k, scenario in loaded:
            parts[k] = table[table["scenario"] == scenario.name].reset_index(drop=True)
            gather(scenario_info(scenario))
    names = [str(n) for k in sorted(parts) for n in pd.unique(parts[k]["scenario"])]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise ExperimentError(f"two inputs are both named {', '.join(dupes)}: give each scenario its own name")
    table = pd.concat([parts[k] for k in sorted(parts)], ignore_index=True)
    return Comparison(table=table, inputs=[str(i) for i in inputs], seed=seed if loaded else None,
                      horizon=max(horizons) if horizons else None, guarantors=list(dict.fromkeys(guarantors)),
                      round_weeks=weeks[0] if weeks and len(set(weeks)) == 1 else None, actor_names=words["names"], issues=words["issues"], measures=words["measures"])

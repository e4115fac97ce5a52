"""Global sensitivity analysis: which parameters drive the outcomes (Sobol or Morris, via SALib).

By default every parameter the scenario declares as a distribution (or those named) becomes a factor;
any other number enters with a range (``--range``), and ``--all-params`` makes every numeric parameter
a factor (:mod:`sim.factors`: a fixed number is spread around its value, a declared distribution kept).
A parameter sampled over a range is a uniform over it. SALib
samples the unit hypercube (Saltelli's scheme for Sobol indices, without second-order terms, or
Morris trajectories), and each column is mapped through its parameter's own ``quantile`` function:
a sample value *u* becomes the value with a share *u* of the declared distribution below it. So the
sample follows the declared distribution (a triangular parameter is sampled more often near its mode),
not a uniform over its bounds; the SALib problem's bounds are the distributions' bounds, recorded in
the manifest. For a uniform parameter this is exactly SALib sampling between the bounds. Morris levels
are taken at the centres of equal-probability strata (1/8, 3/8, 5/8, 7/8 for four levels) so that an
unbounded normal is not sampled at its extreme tails; its ``mu_star`` is therefore the mean absolute
change of the outcome per step of SALib's unit grid, comparable across parameters whatever their units.

Each sample row is one design point (the scenario with those values fixed), run ``runs_per_point``
times with common random numbers through :func:`sim.experiment.run_design` (so any executor works).
The outcome measures per point are:

- ``p_deal``, ``p_force_deployed``, ``p_collapse``: shares of its runs;
- ``median_deal_round``: median round of the deal among its runs that reached one, and the
  horizon (the number of rounds) at a point where none did;
- ``mean_force_troops``: mean troops deployed over all its runs (0 without deployment).

An outcome measure that does not vary across the sample gets no indices (NaN).

With many factors, Morris may screen groups of them (``group_by="section"``: one group per actor,
shock, council, ... or top-level section): a trajectory then costs one point per group, plus one,
and ``mu_star`` is given per group.
"""

from __future__ import annotations

import difflib
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .discovery import short_names
from .distributions import Distribution, draw
from .errors import ScenarioError, format_path
from .experiment import Executor, Point, run_design
from .factors import Factor, choose_factors, factor_table
from .scenario import Scenario

__all__ = ["MEASURES", "SensitivityPlan", "SensitivityResult", "check", "design", "indices_of", "measures", "plan",
           "sensitivity"]


#: Outcome measure -> meaning (computed per design point).
MEASURES: dict[str, str] = {
    "p_deal": "share of runs ending in a deal",
    "p_force_deployed": "share of runs with a deployed force",
    "p_collapse": "share of runs where talks collapsed",
    "median_deal_round": "median deal round of the runs with one; the horizon where none",
    "mean_force_troops": "mean troops deployed per run (0 without deployment)",
}
METHODS = ("sobol", "morris")
#: Resolution and the tallest the saved figure of the indices may be.
DPI, MAX_HEIGHT_PX = 150, 2000
DEFAULT_N = {"sobol": 64, "morris": 20}
MORRIS_LEVELS = 4
INDEX_COLUMNS = {"sobol": ["S1", "S1_conf", "ST", "ST_conf"], "morris": ["mu_star", "mu_star_conf", "sigma"]}
TOTAL = {"sobol": "ST", "morris": "mu_star"}


@dataclass(frozen=True)
class SensitivityResult:
    """The indices, the sample with its outcome measures, and every run.

    Attributes:
        indices: One row per outcome and parameter: ``outcome``, ``parameter`` and the index columns
            (Sobol: ``S1, S1_conf, ST, ST_conf``; Morris: ``mu_star, mu_star_conf, sigma``; ``_conf``
            is the half-width of the 95% bootstrap interval), sorted by total index within each outcome.
        points: One row per design point: ``point``, the sampled values and the outcome measures.
        runs: One row per run, with ``point`` and the sampled values as columns.
        method: ``"sobol"`` or ``"morris"``.
        problem: The SALib problem (names and the distributions' bounds; ``groups`` for a grouped Morris).
        factors: One row per factor: ``parameter, group, source, low, high, integer, distribution,
            scenario_value`` (what ``factors.csv`` holds).
    """

    indices: pd.DataFrame
    points: pd.DataFrame
    runs: pd.DataFrame
    method: str = "sobol"
    problem: dict[str, Any] = field(default_factory=dict)
    factors: pd.DataFrame = field(default_factory=pd.DataFrame)

    def save(self, folder: str | Path) -> Path:
        """Write indices.csv, points.csv, factors.csv (and runs.parquet if not there); the figure of the indices
        is :func:`sim.sensitivity_report.save_figure`'s."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        self.indices.to_csv(folder / "indices.csv", index=False)
        self.points.to_csv(folder / "points.csv", index=False)
        self.factors.to_csv(folder / "factors.csv", index=False)
        if not (folder / "runs.parquet").exists():
            self.runs.to_parquet(folder / "runs.parquet", index=False)
        return folder


# ---------------------------------------------------------------------------------------------
# the design


def choose(scenario: Scenario, params: Sequence[str] | None = None) -> dict[str, Distribution]:
    """The distributions to sample: all the scenario declares, or those named.

    Raises:
        ValueError: a named path is not declared as a distribution, or there are none.
    """
    declared = scenario.distributions()
    if not declared:
        raise ValueError(f"scenario {scenario.name!r} declares no distributions to analyse: give some parameters "
                         "as distributions, e.g. resolve: {uniform: [1.2, 1.9]}")
    chosen = list(dict.fromkeys(params)) if params else list(declared)
    for p in chosen:
        if p not in declared:
            close = difflib.get_close_matches(p, list(declared), n=1, cutoff=0.6)
            hint = f"did you mean {close[0]!r}?" if close else f"declared: {', '.join(declared)}"
            raise ValueError(f"--param {p!r} is not declared as a distribution in {scenario.name} ({hint})")
    return {p: declared[p] for p in chosen}


def check(scenario: Scenario, *, method: str = "sobol", n: int | None = None, params: Sequence[str] | None = None,
          outcomes: Sequence[str] | None = None, runs_per_point: int = 1,
          factors: Sequence[Factor] | None = None) -> list[str]:
    """Check the arguments of :func:`sensitivity` before anything runs; returns the outcome measures.

    Raises:
        ValueError: unknown method or outcome, a bad ``n``, a parameter that is not a declared distribution,
            or groups of factors for Sobol.
    """
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r} (expected sobol or morris)")
    if n is not None and (n < 1 or (method == "sobol" and n & (n - 1))):
        raise ValueError(f"--n {n}: Sobol sampling needs a power of two (such as 8, 16, 32, 64)"
                         if method == "sobol" else f"--n {n}: need at least one trajectory")
    if runs_per_point < 1:
        raise ValueError("--runs-per-point must be at least 1")
    outcomes = list(dict.fromkeys(outcomes)) if outcomes else list(MEASURES)
    unknown = [o for o in outcomes if o not in MEASURES]
    if unknown:
        raise ValueError(f"unknown outcome {unknown[0]!r} (expected one of: {', '.join(MEASURES)})")
    if factors is None:
        choose(scenario, params)
    elif method == "sobol" and any(f.group for f in factors):
        raise ValueError("--group-by is for Morris screening (--method morris); Sobol indices here are per parameter")
    return outcomes


def design(scenario: Scenario, *, method: str = "sobol", n: int | None = None, params: Sequence[str] | None = None,
           seed: int = 0, factors: Sequence[Factor] | None = None) -> tuple[list[Point], np.ndarray, dict[str, Any]]:
    """The design points of a sensitivity analysis, the unit sample they come from, and the SALib problem.

    Sobol: ``n`` base samples (a power of two), ``n * (k + 2)`` points for ``k`` factors.
    Morris: ``n`` trajectories, ``n * (k + 1)`` points, or ``n * (g + 1)`` for factors in ``g`` groups.

    Args:
        factors: What varies (:func:`sim.factors.choose_factors`); default: the declared distributions
            named in ``params``, or all of them.

    Raises:
        ValueError: a bad request (see :func:`check`), or a point whose values together make the
            scenario invalid (told with the point and the first problem).
    """
    if factors is None:
        factors = [Factor(p, d, "distribution", d) for p, d in choose(scenario, params).items()]
    check(scenario, method=method, n=n, factors=factors)
    n = DEFAULT_N[method] if n is None else n
    dists = {f.path: f.dist for f in factors}
    names = list(dists)
    unit_problem = _unit_problem(names, factors if method == "morris" else None)
    groups = unit_problem.get("groups")  # read now: SALib's Morris sampler adds a group per factor when there are none
    if method == "sobol":
        from SALib.sample import sobol

        unit = sobol.sample(unit_problem, n, calc_second_order=False, scramble=True, seed=seed)
        u = unit
    else:
        from SALib.sample import morris

        unit = morris.sample(unit_problem, n, num_levels=MORRIS_LEVELS, seed=seed)
        u = (0.5 + unit * (MORRIS_LEVELS - 1)) / MORRIS_LEVELS  # stratum centres
    columns = {p: draw(dists[p], u[:, j]) for j, p in enumerate(names)}
    points = []
    for i in range(len(u)):
        values = {p: int(columns[p][i]) if dists[p].integer else float(columns[p][i]) for p in names}
        try:
            variant = scenario.with_overrides(values)
        except ScenarioError as exc:
            # Each factor was checked at the ends of its range alone; two together may still clash.
            first = exc.problems[0]
            raise ValueError(f"design point {i}: these values together make {scenario.name} invalid: "
                             f"{format_path(first.path)}: {first.message}; narrow a --range or the "
                             "--spread") from None
        points.append(Point(variant, {"point": i, **values}))
    problem = {"num_vars": len(names), "names": names, "bounds": [list(map(float, dists[p].bounds)) for p in names],
               "dists": [repr(dists[p]) for p in names]}
    if groups:
        problem["groups"] = groups
    return points, unit, problem


def _unit_problem(names: list[str], factors: Sequence[Factor] | None) -> dict[str, Any]:
    """SALib's problem on the unit hypercube, with each factor's group when Morris screens groups."""
    problem: dict[str, Any] = {"num_vars": len(names), "names": names, "bounds": [[0.0, 1.0]] * len(names)}
    if factors and any(f.group for f in factors):
        problem["groups"] = [f.group or f.path for f in factors]
    return problem


# ---------------------------------------------------------------------------------------------
# outcome measures and indices


def measures(runs: pd.DataFrame, horizon: int, *, by: str = "point") -> pd.DataFrame:
    """Outcome measures (:data:`MEASURES`) per design point of a run table."""
    rows = []
    for key, g in runs.groupby(by, sort=True):
        deal = g["deal_round"][g["outcome"] == "deal"]
        rows.append({by: key, "runs": len(g),
                     "p_deal": float((g["outcome"] == "deal").mean()),
                     "p_force_deployed": float(g["force_deployed"].astype(bool).mean()),
                     "p_collapse": float((g["outcome"] == "collapse").mean()),
                     "median_deal_round": float(deal.median()) if len(deal) else float(horizon),
                     "mean_force_troops": float(g["force_troops"].fillna(0).mean())})
    return pd.DataFrame(rows)


def analyse(method: str, problem: dict[str, Any], unit: np.ndarray, y: np.ndarray, *, seed: int = 0) -> pd.DataFrame:
    """Indices of one outcome measure: one row per parameter (NaN if the measure does not vary)."""
    unit_problem = {"num_vars": problem["num_vars"], "names": problem["names"],
                    "bounds": [[0.0, 1.0]] * problem["num_vars"]}
    if problem.get("groups"):
        unit_problem["groups"] = problem["groups"]
    # A grouped Morris has indices per group, in the order the groups first appear.
    names = list(dict.fromkeys(problem["groups"])) if problem.get("groups") else problem["names"]
    columns = INDEX_COLUMNS[method]
    if not np.all(np.isfinite(y)) or np.ptp(y) == 0:
        return pd.DataFrame({"parameter": names, **{c: np.nan for c in columns}})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        if method == "sobol":
            from SALib.analyze import sobol

            res = sobol.analyze(unit_problem, y, calc_second_order=False, num_resamples=200, conf_level=0.95,
                                seed=seed)
        else:
            from SALib.analyze import morris

            res = morris.analyze(unit_problem, unit, y, num_resamples=200, conf_level=0.95,
                                 num_levels=MORRIS_LEVELS, seed=seed)
    return pd.DataFrame({"parameter": list(res["names"]) if method == "morris" else names,
                         **{c: np.asarray(res[c], dtype=float) for c in columns}})


@dataclass(frozen=True)
class SensitivityPlan:
    """A sensitivity design before it runs: its points, where they sit in the unit hypercube, the SALib
    problem, and what a result folder's manifest should say of it."""

    scenario: Scenario
    method: str
    points: list[Point]
    unit: np.ndarray
    problem: dict[str, Any]
    outcomes: list[str]
    runs_per_point: int
    seed: int
    manifest: dict[str, Any]
    factors: list[Factor] = field(default_factory=list)


def plan(scenario: Scenario, *, method: str = "sobol", n: int | None = None, runs_per_point: int = 50,
         outcomes: Sequence[str] | None = None, params: Sequence[str] | None = None, seed: int = 0,
         factors: Sequence[Factor] | None = None) -> SensitivityPlan:
    """The design of a sensitivity analysis (checked); run its points with :func:`sim.experiment.run_design`.

    ``factors`` (from :func:`sim.factors.choose_factors`) say what varies; default: the declared
    distributions named in ``params``, or all of them.

    Raises:
        ValueError: unknown method, outcome or parameter, no distributions, or a bad ``n``.
    """
    if factors is None:
        factors = choose_factors(scenario, params=params)
    factors = list(factors)
    chosen = check(scenario, method=method, n=n, outcomes=outcomes, runs_per_point=runs_per_point, factors=factors)
    points, unit, problem = design(scenario, method=method, n=n, seed=seed, factors=factors)
    replaced = [f.path for f in factors if f.source == "range" and not isinstance(f.value, int | float)]
    info = {"method": method, "n": DEFAULT_N[method] if n is None else n, "runs_per_point": runs_per_point,
            "outcomes": chosen, "problem": problem,
            "sampling": "unit hypercube mapped through each factor's quantile function: its declared distribution, "
                        "or a uniform over its range (--range, or --all-params around a fixed value)",
            "group_by": "section" if problem.get("groups") else None,
            "drawn_but_sampled_over_a_range": replaced,
            "factors": factor_table(factors)}
    return SensitivityPlan(scenario, method, points, unit, problem, list(chosen), runs_per_point, seed,
                           {"sensitivity": info, "sweep": {"varied": problem["names"], "method": method}}, factors)


def indices_of(the_plan: SensitivityPlan, runs: pd.DataFrame) -> SensitivityResult:
    """The indices of a planned design from its runs (however and wherever they were simulated)."""
    p = the_plan
    per_point = measures(runs, p.scenario.spec.horizon.rounds)
    sample = pd.DataFrame([point.values for point in p.points])
    table = sample.merge(per_point, on="point", validate="one_to_one")
    frames = []
    for outcome in p.outcomes:
        idx = analyse(p.method, p.problem, p.unit, table[outcome].to_numpy(dtype=float), seed=p.seed)
        idx.insert(0, "outcome", outcome)
        frames.append(idx.sort_values(TOTAL[p.method], ascending=False, na_position="last"))
    indices = pd.concat(frames, ignore_index=True)
    labels = short_names([str(x) for x in indices["parameter"].unique()], p.scenario.data)
    indices.insert(2, "label", [labels[str(x)] for x in indices["parameter"]])
    factors = pd.DataFrame(factor_table(p.factors) if p.factors else [],
                           columns=["parameter", "group", "source", "low", "high", "integer", "distribution",
                                    "scenario_value"])
    return SensitivityResult(indices=indices, points=table, runs=runs, method=p.method, problem=p.problem,
                             factors=factors)


def sensitivity(scenario: Scenario, *, method: str = "sobol", n: int | None = None, runs_per_point: int = 50,
                outcomes: Sequence[str] | None = None, params: Sequence[str] | None = None, seed: int = 0,
                workers: int = 1, executor: str = "local", scheduler: str | None = None,
                progress: Callable[[int, int], None] | None = None,
                factors: Sequence[Factor] | None = None) -> SensitivityResult:
    """Sobol or Morris sensitivity indices of outcome measures to the scenario's uncertain parameters.

    :func:`plan`, the runs in memory through :func:`sim.experiment.run_design`, then :func:`indices_of`.
    To stream the runs to a result folder instead, plan, run the points into a
    :class:`sim.results.ResultFolder` and pass the runs read back to :func:`indices_of` (as ``sim
    sensitivity --out`` does).

    Args:
        scenario: The scenario; its declared distributions are the factors.
        method: ``"sobol"`` (first-order and total indices) or ``"morris"`` (elementary effects).
        n: Sobol: base samples, a power of two (default 64); Morris: trajectories (default 20).
        runs_per_point: Runs simulated at each design point (common random numbers across points).
        outcomes: Outcome measures to analyse (default: all of :data:`MEASURES`).
        params: Key paths to sample (default: every declared distribution); the others keep their
            distributions and are drawn per run.
        seed: Seed of the sample and master seed of the runs.
        workers, executor, scheduler: Where the runs go (an :class:`~sim.experiment.Executor`).
        progress: Called with (runs done, runs).
        factors: What varies, from :func:`sim.factors.choose_factors` (ranges, every parameter, groups);
            default: the declared distributions named in ``params``, or all of them.

    Raises:
        ValueError: unknown method, outcome or parameter, no distributions, or a bad ``n``.

    Examples:
        >>> result = sensitivity(load_scenario("scenarios/baseline.yaml"), n=16, runs_per_point=20)  # doctest: +SKIP
        >>> result.indices[result.indices.outcome == "p_deal"]  # doctest: +SKIP
        >>> every = choose_factors(baseline, all_params=True, group_by="section")  # doctest: +SKIP
        >>> screen = sensitivity(baseline, method="morris", n=4, runs_per_point=20, factors=every)  # doctest: +SKIP
    """
    the_plan = plan(scenario, method=method, n=n, runs_per_point=runs_per_point, outcomes=outcomes, params=params,
                    seed=seed, factors=factors)
    runs = run_design(the_plan.points, runs=runs_per_point, seed=seed, executor=Executor(executor, workers, scheduler),
                      progress=progress)
    assert runs is not None
    return indices_of(the_plan, runs)

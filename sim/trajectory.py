"""Per-round trajectories: a scenario played round by round, its state after each round in one tidy table.

The table has one row per (run, round, quantity, actor), with the columns :data:`COLUMNS`:

- ``run``: the run's place in the batch (0, 1, ...), ``seed``: the seed that rebuilds it alone;
- ``round``: the round just played (0 is the first); the values are the state **after** that round;
- ``quantity`` and ``actor``: what the value is, and whose (a party's actor id, or ``-`` for the run);
- ``value``: a float (``status`` is the outcome code of :data:`sim.model.events.OUTCOMES`).

A run has rows for every round it began talking: the rounds of talks, and then the round in which it
ended (a deal, a collapse, the end of the war, or the horizon). So the last row of a run is the round it
ended, with its final ``status`` (not 0); rounds after it (a deal's durability) are not recorded.

The quantities (:data:`sim.model.trajectory.QUANTITIES`), per party unless said:

- ``drift_belief``: the mean of the party's belief about the front's drift (share of the contested area a round);
- ``resolve_belief_mean``, ``resolve_belief_low``, ``resolve_belief_high``: the mean and the 10th and
  90th percentiles of the mediators' belief about the party's resolve; ``true_resolve``: its true resolve;
- ``outside_option``: its value of fighting on (with its true resolve); ``stock_used``: the share of
  its stock used; ``acceptance_chance``: the mediators' estimated chance it accepts their last proposal;
- per run: ``zone_estimated`` and ``zone_true`` (shares of the wide candidate set the mediators believe
  some type of every party would sign, and every party would sign given the true types), ``front``
  (share of the contested area taken), ``true_drift`` (the run's drift; only with a front),
  ``agenda_items_closed`` (items of the agenda closed and held; only with an agenda) and ``status``.

Examples:
    >>> from sim import load_scenario
    >>> table = run_trajectory(load_scenario("scenarios/baseline.yaml"), seeds=[1, 2, 3])  # doctest: +SKIP
    >>> table.query("quantity == 'front'").groupby("run")["round"].max()  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .model.events import TALKING
from .model.model import NegotiationModel
from .model.trajectory import QUANTITIES, round_values
from .scenario import Scenario

__all__ = ["COLUMNS", "run_trajectory"]

#: The columns of the trajectory table, in order.
COLUMNS: tuple[str, ...] = ("run", "seed", "round", "quantity", "actor", "value")


def run_trajectory(scenario: Scenario, seeds: Sequence[int]) -> pd.DataFrame:
    """Play the runs of ``seeds`` round by round and record their state after each round.

    Each run gives the same rows alone and in a batch (its draws depend on its seed only), apart from
    its ``run`` number, which is its place in ``seeds``.

    Args:
        scenario: A validated scenario.
        seeds: One seed per run (e.g. ``run_seed(master, i)`` for run *i* of a master seed).

    Returns:
        The tidy table described in this module's docstring, sorted by run, round, quantity and actor
        (quantities in the order of :data:`sim.model.trajectory.QUANTITIES`, actors in the model's order).

    Examples:
        >>> run_trajectory(scenario, seeds=[7]).query("quantity == 'status'")  # doctest: +SKIP
    """
    seeds = [int(s) for s in seeds]
    model = NegotiationModel(scenario, seeds=seeds, log_events=False)
    blocks: list[pd.DataFrame] = []
    while model.running:
        talking = model.state.status == TALKING
        if not talking.any():
            # Every run has ended: what follows (the durability of deals) is not part of the trajectory.
            break
        played = model.round
        model.step()
        if model.round == played:  # the last step only closes the records
            break
        blocks.append(_block(round_values(model), np.flatnonzero(talking), played, seeds))
    model.release()
    table = pd.concat(blocks, ignore_index=True) if blocks else pd.DataFrame(columns=list(COLUMNS))
    table = table.sort_values(["run", "round"], kind="stable", ignore_index=True)
    return table.astype({"run": "int64", "seed": "int64", "round": "int64", "value": "float64"})


def _block(values: dict[tuple[str, str], np.ndarray], runs: np.ndarray, round_: int, seeds: list[int]) -> pd.DataFrame:
    """The rows of one round for the runs in ``runs``, quantity by quantity."""
    keys = sorted(values, key=lambda key: QUANTITIES.index(key[0]))  # stable: actors keep the model's order
    n = len(runs)
    return pd.DataFrame({
        "run": np.tile(runs, len(keys)),
        "seed": np.tile(np.asarray(seeds, dtype=np.int64)[runs], len(keys)),
        "round": np.full(n * len(keys), round_),
        "quantity": np.repeat([q for q, _ in keys], n),
        "actor": np.repeat([a for _, a in keys], n),
        "value": np.concatenate([values[key][runs] for key in keys]) if keys else np.zeros(0),
    })

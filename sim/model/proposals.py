"""How the mediators look for terms: the prior grid of a type, the contract curve, the local search's moves.

Pure helpers of :mod:`sim.model.talks`, apart so that the talks module keeps to the round itself.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import mechanisms as mech
from ..distributions import Distribution

__all__ = ["FRONTIER_VALUES", "contract_curve", "joint_mean", "quantile_grid", "search_moves"]

#: Values per issue on which the contract curve is solved.
FRONTIER_VALUES = 41


def quantile_grid(prior: Any, size: int, drawn: np.ndarray) -> np.ndarray:
    """A prior held as ``size`` quantiles at ``k / (size - 1)`` (its bounds included).

    A fixed number is known (every grid point is that number; a value set by ``--set`` or a sweep
    is a fixed number too).
    """
    if isinstance(prior, Distribution):
        return np.asarray(prior.quantile(np.linspace(0.0, 1.0, size)), dtype=float)
    # Known in every run: the talks hold each run's value as an interval of one point, and the grid
    # only matters inside wider intervals (so a batch of design points with different values may
    # hold the first run's).
    return np.full(size, float(drawn[0]))


def search_moves(n: int) -> np.ndarray:
    """Directions of one step of the local search: stay, along each issue, and along each pair of issues
    (both ways on both): a zone of agreement squeezed between two parties' constraints often runs
    diagonally, where steps along one issue at a time cannot follow it."""
    eye = np.eye(n)
    pairs = [s * eye[i] + r * eye[j] for i in range(n) for j in range(i + 1, n) for s in (1, -1) for r in (1, -1)]
    return np.concatenate([np.zeros((1, n)), eye, -eye, *([np.array(pairs)] if pairs else [])])


def contract_curve(parties: list[Any], front: Any, weights: np.ndarray) -> np.ndarray:
    """Terms on the parties' contract curve: for each weight vector over the parties (rows of
    ``weights``), the terms that maximise the weighted sum of their utilities issue by issue (their
    utilities are sums over issues, so each issue is solved alone on a fine line of values), within
    every party's hard red lines on the terms as written. The zone of agreement, where there is one,
    lies on this curve; the coupling of issues (guarantees worth the force behind them, the risk that
    the war resumes) is left to the local search. Returns ``(runs, weights, issues)``."""
    values = np.linspace(0.0, 1.0, FRONTIER_VALUES)
    runs, n = len(front.taken), parties[0].position.shape[1]
    line = np.broadcast_to(values, (runs, len(values)))
    on_the_ground = mech.effective_territory(line, front.taken[:, None]) if front.issue is not None else line
    # Laid out (runs, ..., issues, values) so that the pick runs along contiguous memory.
    tables = np.empty((len(parties), runs, n, len(values)))
    allowed = np.ones((runs, n, len(values)), bool)
    for p, party in enumerate(parties):
        for d in range(n):
            seen = on_the_ground if d == front.issue else line
            tables[p, :, d] = party.issue_utility(d, seen) - party.line_cost(d, seen)
            allowed[:, d] &= party.within_hard_lines(d, line)
    score = np.einsum("kp,prdv->rkdv", weights, tables)
    score[~np.broadcast_to(allowed[:, None], score.shape)] = -np.inf
    return values[np.argmax(score, axis=3)]


def joint_mean(arrays: list[np.ndarray]) -> np.ndarray:
    """The mean of arrays (one array is returned as it is: one mediator's numbers stay exact; callers
    replace what it returns, never change it in place)."""
    return arrays[0] if len(arrays) == 1 else np.mean(arrays, axis=0)

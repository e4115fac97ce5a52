"""Per-run values over the fixed candidate set, computed once for the whole batch: the model's caches.

The talks evaluate the same space-filling candidates (``Talks.fixed_candidates``) every round, and an
actor's utility of them on the issues nobody replaces (the front as effective control, guarantees as
the force behind them) changes only when its ideal terms do; so does a mediator's closeness to its
plan. These are most of a round's arithmetic, so each is computed once, for every run of the batch,
and kept in a :class:`BatchCache` until its invalidation rule drops it.

Why a class of its own: a round in which few runs talk is played on a copy holding those runs
(:mod:`sim.model.subset`), which is thrown away after the round, so a value computed on the copy
was lost with it and computed again the next round (for the baseline, in every round). The copy of
a :class:`BatchCache` shares the original's store and reads its rows, and a value it is missing is
computed by the original's actor, for the whole batch: every round reuses it.

Invalidation rules, the only ones: an actor's utilities of the fixed set are dropped when its ideal
terms move (``Preferences.shift_position``, the one place that changes them; saliences and risk
attitudes are fixed for a run); a mediator's closeness to its plan never (plans are fixed). The
values are per run and row by row the same arithmetic as computing them on a subset, so a run's
numbers do not depend on what was cached (``tests/test_subset.py`` plays every scenario both ways,
and with :data:`CACHING` off).

Every other cache of the model, with its rule (none outlives a batch):

- ``Coalition._table`` (:mod:`sim.model.coalition`): the expected cascade per consent level; it holds
  for the backstop and joining thresholds it was computed with and is recomputed when either
  differs. ``Coalition._fixed_outlook``, that table read at the fixed candidates, goes with it.
- ``sim.beliefs._levels``, ``sim.model.subset._copies_plainly`` and ``_state_name``, and
  ``sim.params.describe_range``: pure functions of their arguments (``functools`` caches).

Outside the model, ``sim.scenario.facts.load_facts`` reads a facts folder once per process.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

import numpy as np

__all__ = ["CACHING", "BatchCache"]

#: Keep the values computed; off, every read computes its value again for the whole batch (the reference
#: the tests compare to: a stale value would show as a difference).
CACHING = True


class BatchCache:
    """Values per run of the whole batch, by key, computed on first use by ``compute(key, *inputs)``.

    Args:
        compute: Computes the value of a key for every run of the batch, ``(runs, ...)``, from inputs that
            are the same in every run (the fixed candidates); it must be a method of the original
            (whole-batch) actor, never of a subset's copy.
    """

    def __init__(self, compute: Callable[..., np.ndarray]):
        self._compute = compute
        self._values: dict[Hashable, np.ndarray] = {}
        self._rows: np.ndarray | None = None

    def get(self, key: Hashable, *inputs: np.ndarray) -> np.ndarray:
        """The value of ``key`` for the runs this cache holds (read-only: copy before changing it);
        ``inputs`` are used only when it is computed, so a key must name them (they never change)."""
        if key not in self._values or not CACHING:
            value = self._compute(key, *inputs)
            value.flags.writeable = False
            self._values[key] = value
        value = self._values[key]
        return value if self._rows is None else value[self._rows]

    def clear(self) -> None:
        """Drop every value (the rule that made them no longer holds)."""
        self._values.clear()

    def taken(self, rows: np.ndarray) -> BatchCache:
        """The cache as a subset of runs ``rows`` sees it: the same store, those rows."""
        view = object.__new__(BatchCache)
        view._compute, view._values = self._compute, self._values
        view._rows = rows if self._rows is None else self._rows[rows]
        return view

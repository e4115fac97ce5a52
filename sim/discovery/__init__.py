"""Scenario discovery: which ranges of the uncertain parameters lead to an outcome of interest.

Given a table of runs (a sweep, a sensitivity analysis, or a scenario with distributions), an
outcome written as a pandas expression evaluated per run (``outcome == "deal"``) and the
parameter columns (dotted key paths), find *boxes*: ranges of a few parameters inside which the
outcome is much more common than overall. Two methods:

- ``prim``: the Patient Rule Induction Method (Friedman and Fisher 1999). Start with a box around all
  runs; repeatedly *peel* off the ``alpha`` share (5%) of the runs still inside at the low or the
  high end of one parameter, choosing the peel that raises the outcome's rate in the box the most;
  stop before the box holds less than ``min_mass`` of all runs. Of the boxes on that trajectory, take
  the one with the highest rate (*density*) among those still holding at least ``threshold`` (50%)
  of all runs with the outcome (*coverage*) -- or rather the largest box whose density is within two
  standard errors of that highest one, so that coverage is not given up for a gain noise could
  explain -- then *paste*: widen a bound again while the density does not fall.
  Further boxes (``max_boxes``) are found the same way among the runs outside the earlier ones.
- ``tree``: a shallow classification tree (CART with Gini splits: scikit-learn's
  ``DecisionTreeClassifier``, as EMA Workbench uses; depth 3; a split whose two leaves are on the same
  side of the overall rate is pruned): its leaves where the outcome is the majority are the boxes.

Both then drop any restriction whose removal changes the density by less than ``simplify`` (one
percentage point) or its standard error, and then each restriction that a permutation test does not
find real (:mod:`.stats`: the outcome shuffled over design points, p > 0.05), so that a box names only
parameters that matter. Each box reports 95% Wilson intervals of its density, mass and coverage,
counting design points rather than runs. A table of several scenarios (a compare folder) is refused
unless ``pool=True``.

scikit-learn fits the tree; :mod:`.methods` only reads its leaves' bounds off the fitted ``tree_`` and
prunes. It is imported when a tree is fitted, not with :mod:`sim`. PRIM stays written here: scikit-learn
has none, and the choice of box on its trajectory described above is this module's own.

A box's *density* is the outcome's rate among the runs in it, its *mass* the share of all runs it
holds and its *coverage* the share of all runs with the outcome that fall in it. A bound lies half
way between the last run kept and the first run cut off, so a box reads ``x < 0.6``.

The code is split into :mod:`.search` (inputs, :func:`discover`, :class:`Box`), :mod:`.methods`
(PRIM and the tree), :mod:`.stats` (intervals and the test) and :mod:`.words` (names and descriptions).
"""

from __future__ import annotations

from .search import Box, DiscoveryError, discover, evaluate_outcome, input_columns, pooled_leftovers
from .words import describe_box, describe_tests, short_name, short_names

# Importable from here as before the split, though not in ``__all__`` (the ``as`` marks a re-export).
from .words import describe_restriction as describe_restriction
from .words import outcome_label as outcome_label

__all__ = ["Box", "DiscoveryError", "describe_box", "describe_tests", "discover", "evaluate_outcome", "input_columns",
           "pooled_leftovers", "short_name", "short_names"]

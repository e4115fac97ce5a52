"""Backtests: closed negotiations with known outcomes, scored under one set of behavioural defaults.

Each case is a scenario file in ``backtests/`` (written from what was known at its start) and an
observed-outcome file beside it (``<case>.outcome.yaml``, never read by the scenario).
:mod:`sim.backtest.outcome` reads and checks the outcome files, :mod:`sim.backtest.score` scores a
case's simulated runs against what was observed (pure functions of tables), and
:mod:`sim.backtest.cases` finds the cases and refuses a case file that sets a behavioural field.
"""

from .cases import BACKTESTS, Case, behavioural_defaults, behavioural_fields, behavioural_settings, find_cases
from .outcome import Observed, load_outcome
from .score import CaseScore, Scorecard, score_case, scorecard

__all__ = ["BACKTESTS", "Case", "CaseScore", "Observed", "Scorecard", "behavioural_defaults", "behavioural_fields",
           "behavioural_settings", "find_cases", "load_outcome", "score_case", "scorecard"]

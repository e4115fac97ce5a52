"""ceasefire-sim: an agent-based simulator of multi-party ceasefire negotiations."""

from typing import Any

from .errors import Problem, ScenarioError
from .scenario import Scenario, load_scenario, scenario_from_yaml, scenarios_folder

__version__ = "0.1.0"

__all__ = ["Problem", "Scenario", "ScenarioError", "__version__", "load_scenario", "run_design", "run_many",
           "run_once", "run_trajectory", "scenario_from_yaml", "scenarios_folder"]

_RUNNERS = ("run_design", "run_many", "run_once")


def __getattr__(name: str) -> Any:
    # The runners import Mesa (about a second); `sim validate` and `sim schema` must not pay for it.
    if name in _RUNNERS:
        from . import experiment

        return getattr(experiment, name)
    if name == "run_trajectory":
        from .trajectory import run_trajectory

        return run_trajectory
    raise AttributeError(f"module 'sim' has no attribute {name!r}")

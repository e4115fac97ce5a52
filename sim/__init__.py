"""ceasefire-sim: an agent-based simulator of multi-party ceasefire negotiations."""

from .errors import Problem, ScenarioError
from .scenario import Scenario, load_scenario, scenario_from_yaml

__version__ = "0.1.0"

__all__ = ["Problem", "Scenario", "ScenarioError", "__version__", "load_scenario", "scenario_from_yaml"]

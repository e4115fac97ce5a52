"""Loading: a scenario file (or YAML text) and every file it ``extends``, into a :class:`Scenario`."""

from __future__ import annotations

from pathlib import Path

from ..errors import ScenarioError
from ..yamlsource import parse_yaml_text
from .facts import _default_facts, _facts_dir_near
from .frozen import Scenario, warn_unread
from .overlays import _merge_extends, _resolve


def load_scenario(path: str | Path, *, strict: bool = True) -> Scenario:
    """Read, merge (``extends``), validate and freeze a scenario file.

    A setting that no mechanism reads (a key the scenario's mechanisms ignore, an actor that supports
    a side it cannot affect, a shock that can never fire) is an error; with ``strict=False`` it is
    kept in ``Scenario.warnings`` instead, and told as a :class:`sim.errors.UnreadSetting` warning.

    Raises:
        ScenarioError: every problem found, each with file, line and key path.

    Examples:
        >>> s = load_scenario("scenarios/baseline.yaml")  # doctest: +SKIP
        >>> s.name  # doctest: +SKIP
        'baseline'
    """
    data, lines = _resolve(Path(path), ())
    scenario = Scenario.from_dict(data, source=str(path), lines=lines, strict=strict)
    warn_unread(scenario.warnings)
    return scenario


def scenario_from_yaml(text: str, *, base_dir: str | Path = ".", name: str = "<yaml>",
                       strict: bool = True) -> Scenario:
    """Build a scenario from YAML text (notebooks); ``extends`` is resolved against ``base_dir``."""
    data, lines = parse_yaml_text(text, name)
    if not isinstance(data, dict):
        raise ScenarioError.single(name, "top level is not a mapping", line=1, expected="key: value pairs")
    fake = Path(base_dir) / "__inline__.yaml"
    data, lines = _merge_extends(data, lines, fake, name, (fake.resolve(),))
    facts_key = data.get("facts") if isinstance(data.get("facts"), str) else None
    facts_dir = (Path(base_dir) / facts_key).resolve() if facts_key else (
        _facts_dir_near(Path(base_dir)) or _default_facts())
    scenario = Scenario.from_dict(data, source=name, lines=lines, facts_dir=facts_dir, strict=strict)
    warn_unread(scenario.warnings)
    return scenario


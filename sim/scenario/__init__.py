"""Loading scenarios: YAML files, overlays, validation and the frozen :class:`Scenario`.

One way in: ``load_scenario(path)`` reads the file and every file it ``extends``, merges them,
validates the result against :mod:`sim.schema`, checks every cross-reference and evidence id, and
returns an immutable :class:`Scenario`. Every problem found is reported at once, each with its file,
line and key path (:class:`sim.errors.ScenarioError`). Nothing downstream re-checks.

The work is split by job: :mod:`.overlays` (``extends`` and its directives), :mod:`.validation`
(format errors in YAML words), :mod:`.references` (cross-references), :mod:`.facts` (evidence ids),
:mod:`.frozen` (the :class:`Scenario`), :mod:`.loading` (files and text) and :mod:`.paths` (key paths).
"""

from __future__ import annotations

from .facts import PROJECT_SEEDS, load_facts, scenarios_folder
from .frozen import Scenario
from .loading import load_scenario, scenario_from_yaml

# Importable from here as before the split, though not in ``__all__`` (the ``as`` marks a re-export).
from .overlays import APPEND as APPEND
from .overlays import DELETE as DELETE
from .overlays import REPLACE as REPLACE
from .overlays import deep_merge as deep_merge
from .paths import parse_path as parse_path
from .paths import set_path as set_path

__all__ = ["PROJECT_SEEDS", "Scenario", "load_facts", "load_scenario", "scenario_from_yaml", "scenarios_folder"]

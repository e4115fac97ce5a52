"""Facts: the folder of fact files a scenario cites, and the check that every evidence id is in it."""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Any

from ..errors import PathPart, Problem, ScenarioError
from ..yamlsource import LineMap, read_yaml
from .paths import _short

#: The project's own facts folder (used when a scenario file has no seeds/ folder above it).
PROJECT_SEEDS = Path(__file__).resolve().parent.parent.parent / "seeds"


def scenarios_folder(start: Path | None = None) -> Path:
    """The scenarios folder a notebook or script works with: the first ``scenarios/`` holding a
    ``baseline.yaml`` at or above ``start`` (default: the working folder), else the one of the checkout
    this package is installed from (an editable install)."""
    here = (start or Path.cwd()).resolve()
    for folder in [here, *here.parents]:
        if (folder / "scenarios" / "baseline.yaml").is_file():
            return folder / "scenarios"
    return PROJECT_SEEDS.parent / "scenarios"


@cache
def load_facts(folder: Path) -> dict[str, dict[str, Any]]:
    """Every fact in the YAML files of a facts folder, by id.

    Raises:
        ScenarioError: a file cannot be read, or its ``facts:`` is not a list of mappings with an id.
    """
    facts: dict[str, dict[str, Any]] = {}
    problems: list[Problem] = []
    for file in sorted(Path(folder).glob("*.yaml")):
        data, lines = read_yaml(_shown(file))
        for fact in _file_facts(_shown(file), data, lines, problems):
            facts[str(fact["id"])] = {**fact, "file": file.name}
    if problems:
        raise ScenarioError(problems)
    return facts


def _shown(file: Path) -> str:
    """A facts file as messages name it: relative to the current folder if it is below it."""
    relative = os.path.relpath(file)
    return str(file) if relative.startswith("..") else relative


def _file_facts(name: str, data: Any, lines: LineMap, problems: list[Problem]) -> Iterator[dict[str, Any]]:
    """The facts of one file; what is not a fact with an id is added to ``problems`` with its line."""
    def where(*path: PathPart) -> int | None:
        return lines.get(path, lines.get(path[:1], (name, None)))[1]

    if not isinstance(data, dict):
        problems.append(Problem(name, where(), (), f"top level is a {type(data).__name__}, not a mapping",
                                "facts: followed by a list of facts, each with an id"))
        return
    entries = data.get("facts", [])
    if not isinstance(entries, list):
        problems.append(Problem(name, where("facts"), ("facts",), f"facts is {_short(entries)}, not a list",
                                "a list of facts, each a mapping with an id"))
        return
    for i, fact in enumerate(entries):
        if isinstance(fact, dict) and "id" in fact:
            yield fact
        else:
            what = "has no id" if isinstance(fact, dict) else f"is {_short(fact)}, not a mapping"
            problems.append(Problem(name, where("facts", i), ("facts", i), f"a fact that {what}",
                                    "a mapping with id: and claim:"))


def _facts_dir_near(start: Path) -> Path | None:
    for folder in [start.resolve(), *start.resolve().parents]:
        candidate = folder / "seeds"
        if candidate.is_dir() and any(candidate.glob("*.yaml")):
            return candidate
    return None


def _default_facts() -> Path | None:
    return PROJECT_SEEDS if PROJECT_SEEDS.is_dir() else None


def _find_facts_dir(facts: str | None, source: str) -> Path | None:
    base = Path(source).parent if not source.startswith("<") else Path.cwd()
    if facts:
        return (base / facts).resolve()
    return _facts_dir_near(base) or _default_facts()


def _walk_evidence(value: Any, path: tuple[PathPart, ...]) -> Iterator[tuple[tuple[PathPart, ...], list[Any]]]:
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "evidence" and isinstance(item, list | tuple):
                yield path, list(item)
            else:
                yield from _walk_evidence(item, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _walk_evidence(item, (*path, i))



def _evidence_problems(data: Mapping[str, Any], facts: Mapping[str, Any],
                       facts_dir: Path | None) -> Iterator[Problem]:
    """Every evidence id that is not a fact in the facts folder."""
    for path, ids in _walk_evidence(data, ()):
        for i, fid in enumerate(ids):
            if not isinstance(fid, str):
                yield Problem("", None, (*path, "evidence", i), f"evidence id {fid!r} is not text", "a fact id")
            elif facts_dir is None:
                yield Problem("", None, (*path, "evidence", i), f"cannot check fact {fid!r}: no seeds/ folder found",
                              "a seeds/ folder beside or above the scenario, or facts: FOLDER")
            elif fid not in facts:
                close = difflib.get_close_matches(fid, list(facts), n=1, cutoff=0.6)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                yield Problem("", None, (*path, "evidence", i), f"fact {fid!r} is not in {facts_dir.name}/{hint}",
                              "an id of a fact in the seeds/ files")


"""Size and dependency limits on the modules of ``sim`` (issue 11).

Small modules and short functions keep each part of the simulator readable and changeable on its
own; an import cycle means two modules can only be understood, and changed, together.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SIM = Path(__file__).resolve().parent.parent / "sim"
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60

# Files, functions and cycles allowed past the limits: none. An entry would have to say why; one that
# is no longer past its limit fails the test, so the lists cannot go stale.
PENDING_MODULES: frozenset[str] = frozenset()
PENDING_FUNCTIONS: frozenset[str] = frozenset()
PENDING_CYCLES: frozenset[tuple[str, ...]] = frozenset()


def _sources() -> list[Path]:
    return sorted(SIM.rglob("*.py"))


def _rel(path: Path) -> str:
    return path.relative_to(SIM.parent).as_posix()


def module_lengths() -> dict[str, int]:
    """Lines of every module under ``sim/``, by path relative to the project."""
    return {_rel(p): len(p.read_text(encoding="utf-8").splitlines()) for p in _sources()}


def function_lengths() -> dict[str, int]:
    """Lines of every function and method under ``sim/`` (nested ones too), by ``path::Qual.name``."""
    lengths: dict[str, int] = {}

    def visit(node: ast.AST, prefix: str, path: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                name = f"{prefix}{child.name}"
                if not isinstance(child, ast.ClassDef):
                    key = f"{path}::{name}"
                    # A property's getter and setter share a name: the longer one counts.
                    lengths[key] = max(lengths.get(key, 0), child.end_lineno - child.lineno + 1)
                visit(child, f"{name}.", path)
            else:
                visit(child, prefix, path)

    for source in _sources():
        visit(ast.parse(source.read_text(encoding="utf-8")), "", _rel(source))
    return lengths


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SIM.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def import_graph() -> dict[str, set[str]]:
    """Module -> the ``sim`` modules it imports anywhere in its text (functions and TYPE_CHECKING too).

    ``from . import x`` points at the module ``x`` if there is one, else at the package itself.
    """
    paths = {_module_name(p): p for p in _sources()}
    graph: dict[str, set[str]] = {name: set() for name in paths}
    for name, path in paths.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")
                    base = base[: len(base) - (node.level - 1)]
                    origin = ".".join([*base, node.module] if node.module else base)
                else:
                    origin = node.module or ""
                targets = [f"{origin}.{a.name}" if f"{origin}.{a.name}" in paths else origin for a in node.names]
            for target in targets:
                # ``import sim.a.b`` and ``from sim.a.b import f`` name the deepest module that exists.
                while target and target not in paths:
                    target = target.rpartition(".")[0]
                if target and target != name:
                    graph[name].add(target)
    return graph


def import_cycles(graph: dict[str, set[str]]) -> set[tuple[str, ...]]:
    """Every strongly connected group of two or more modules, as a sorted tuple of names (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: set[tuple[str, ...]] = set()

    def connect(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                groups.add(tuple(sorted(group)))

    for v in sorted(graph):
        if v not in index:
            connect(v)
    return groups


def _cycle_path(graph: dict[str, set[str]], group: tuple[str, ...]) -> str:
    """One concrete cycle through a strongly connected group, e.g. ``a -> b -> a``."""
    members = set(group)
    start = group[0]
    parents: dict[str, str] = {}
    frontier = [start]
    while frontier:
        nxt = []
        for v in frontier:
            for w in sorted(graph[v] & members):
                if w == start:
                    chain = [start]
                    while v != start:
                        chain.append(v)
                        v = parents[v]
                    return " -> ".join([start, *reversed(chain[1:]), start])
                if w not in parents:
                    parents[w] = v
                    nxt.append(w)
        frontier = nxt
    return " <-> ".join(group)


def _check_limit(found: dict[str, int], limit: int, pending: frozenset[str], what: str) -> list[str]:
    over = {k: n for k, n in found.items() if n > limit}
    failures = [f"{k}: {n} lines (limit {limit})" for k, n in sorted(over.items()) if k not in pending]
    failures += [f"{k} is in PENDING_{what} but no longer over {limit} lines ({found.get(k, 'gone')}): remove it"
                 for k in sorted(pending - set(over))]
    return failures


def test_no_module_is_over_400_lines():
    if failures := _check_limit(module_lengths(), MAX_MODULE_LINES, PENDING_MODULES, "MODULES"):
        pytest.fail("\n".join(failures), pytrace=False)


def test_no_function_is_over_60_lines():
    if failures := _check_limit(function_lengths(), MAX_FUNCTION_LINES, PENDING_FUNCTIONS, "FUNCTIONS"):
        pytest.fail("\n".join(failures), pytrace=False)


def test_no_import_cycle():
    graph = import_graph()
    cycles = import_cycles(graph)
    failures = [f"import cycle: {_cycle_path(graph, c)}" for c in sorted(cycles - PENDING_CYCLES)]
    failures += [f"{c} is in PENDING_CYCLES but is no longer a cycle: remove it"
                 for c in sorted(PENDING_CYCLES - cycles)]
    if failures:
        pytest.fail("\n".join(failures), pytrace=False)


def test_the_cycle_check_sees_package_imports_and_cycles():
    # Guards the checker itself: a resolver that dropped relative imports would pass vacuously.
    graph = import_graph()
    assert "sim.scenario.facts" in graph["sim.scenario"]  # from .facts import ... in a package __init__
    assert "sim.errors" in graph["sim.scenario.facts"]  # from ..errors import ... one level down
    toy = {"sim.a": {"sim.b"}, "sim.b": {"sim.c"}, "sim.c": {"sim.a"}, "sim.d": {"sim.a"}}
    assert import_cycles(toy) == {("sim.a", "sim.b", "sim.c")}
    assert _cycle_path(toy, ("sim.a", "sim.b", "sim.c")) == "sim.a -> sim.b -> sim.c -> sim.a"

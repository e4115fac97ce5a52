"""Reading YAML safely, remembering the line of every key.

Scenario files are written by hand, so every error must point at a line. PyYAML's composer gives
nodes with positions; we build plain Python values from them ourselves, which also lets us refuse
duplicate keys (PyYAML silently keeps the last) and documents that expand without bound through
aliases (the "billion laughs" attack), and cap the size of what we accept (the file itself is read
by :mod:`sim.inputfiles`: regular files only, never past the size limit).
"""

from __future__ import annotations

from collections.abc import Hashable
from pathlib import Path
from typing import Any

import yaml

from .errors import PathPart, ScenarioError
from .inputfiles import DEFAULT_MAX_BYTES, max_bytes, read_input

__all__ = ["MAX_BYTES", "MAX_DEPTH", "MAX_VALUES", "LineMap", "parse_yaml_text", "read_yaml"]

#: Largest scenario, overlay or facts file accepted by default (1 MiB); real ones are a few kilobytes.
#: ``$SIM_MAX_FILE_BYTES`` overrides it.
MAX_BYTES = DEFAULT_MAX_BYTES
#: Largest number of values a document may expand to, aliases included.
MAX_VALUES = 200_000
#: Deepest nesting of mappings and lists accepted; real scenarios nest about eight levels.
MAX_DEPTH = 64

#: Tags of mappings and lists read as such; anything else (``!!python/...``, ``!!set``) is refused.
_PLAIN_TAGS = frozenset(("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"))

LineMap = dict[tuple[PathPart, ...], tuple[str, int]]


class _Budget:
    def __init__(self, file: str):
        self.left = MAX_VALUES
        self.file = file

    def spend(self, node: yaml.Node) -> None:
        self.left -= 1
        if self.left < 0:
            raise ScenarioError.single(
                self.file,
                f"document expands to more than {MAX_VALUES:,} values (alias explosion?)",
                line=node.start_mark.line + 1,
                expected="a plain scenario without deeply nested aliases",
            )


def read_yaml(path: str | Path) -> tuple[Any, LineMap]:
    """Read one YAML file into plain Python values and a map from key path to (file, line).

    Only a regular file of at most :data:`MAX_BYTES` bytes (or ``$SIM_MAX_FILE_BYTES``) is read; see
    :mod:`sim.inputfiles`.

    Raises:
        ScenarioError: the file is missing, not a regular file (a directory, FIFO, device), a symlink
            loop, too large, not text, not valid YAML, empty, has duplicate keys or expands without bound.
        EnvironmentFailure: the file exists but cannot be read (permission denied, I/O error).
    """
    name = str(path)
    raw = read_input(path, max_bytes(MAX_BYTES))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ScenarioError.single(
            name, f"not UTF-8 text (binary file?): byte 0x{raw[exc.start]:02x} at offset {exc.start}",
            line=raw.count(b"\n", 0, exc.start) + 1, expected="a YAML text file in UTF-8",
        ) from None
    return parse_yaml_text(text, name)


def parse_yaml_text(text: str, name: str = "<string>") -> tuple[Any, LineMap]:
    """Parse YAML text (see :func:`read_yaml`); ``name`` is used in error messages."""
    limit = max_bytes(MAX_BYTES)
    if len(text) > limit:
        raise ScenarioError.single(name, f"text is {len(text):,} characters, too large for a scenario",
                                   expected=f"at most {limit:,} characters")
    if "\x00" in text:
        raise ScenarioError.single(name, "contains NUL bytes (binary file?)",
                                   line=text.count("\n", 0, text.index("\x00")) + 1,
                                   expected="a YAML text file")
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except RecursionError:
        raise ScenarioError.single(name, "brackets or indentation nested too deeply",
                                   expected=f"at most {MAX_DEPTH} levels of nesting") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = (exc.problem or "invalid YAML").strip()
        if exc.context and exc.context_mark and exc.problem_mark:
            problem = f"{exc.context.strip()} from line {exc.context_mark.line + 1}, {problem}"
            if "<stream end>" in problem:  # something left open: point at where it was opened
                mark = exc.context_mark
        elif exc.context:
            problem = f"{exc.context.strip()}, {problem}"
        if "'\\t'" in problem:
            problem += " (indent with spaces, not tabs)"
        line = mark.line + 1 if mark else None
        raise ScenarioError.single(name, f"YAML syntax error: {problem}", line=line,
                                   expected="valid YAML") from None
    except yaml.YAMLError as exc:
        raise ScenarioError.single(name, f"YAML error: {exc}", expected="valid YAML") from None
    if node is None:
        raise ScenarioError.single(name, "file is empty", expected="a mapping of scenario keys")
    lines: LineMap = {(): (name, node.start_mark.line + 1)}
    value = _build(node, (), lines, _Budget(name), yaml.constructor.SafeConstructor(), name, ())
    return value, lines


def _build(node: yaml.Node, path: tuple[PathPart, ...], lines: LineMap, budget: _Budget,
           constructor: yaml.constructor.SafeConstructor, name: str, open_nodes: tuple[int, ...]) -> Any:
    budget.spend(node)
    if isinstance(node, yaml.MappingNode | yaml.SequenceNode):
        if id(node) in open_nodes:
            raise ScenarioError.single(name, "an alias refers to a mapping or list that contains it",
                                       line=node.start_mark.line + 1, path=path,
                                       expected="aliases (*name) only to finished values")
        if len(open_nodes) >= MAX_DEPTH:
            raise ScenarioError.single(name, f"nested more than {MAX_DEPTH} levels deep",
                                       line=node.start_mark.line + 1, path=path,
                                       expected=f"at most {MAX_DEPTH} levels of nesting")
        open_nodes = (*open_nodes, id(node))
        if node.tag not in _PLAIN_TAGS:
            raise ScenarioError.single(name, f"cannot read value: unsupported tag {node.tag!r}",
                                       line=node.start_mark.line + 1, path=path,
                                       expected="a plain YAML mapping or list")
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            budget.spend(key_node)
            if not isinstance(key_node, yaml.ScalarNode):
                raise ScenarioError.single(name, "a mapping key must be a plain value",
                                           line=key_node.start_mark.line + 1, path=path,
                                           expected="a name or number as key")
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise ScenarioError.single(name, "YAML merge keys (<<) are not supported",
                                           line=key_node.start_mark.line + 1, path=path,
                                           expected="the keys written out, or an overlay with extends:")
            key = _scalar(key_node, path, constructor, name)
            if not isinstance(key, Hashable):
                raise ScenarioError.single(name, f"{key!r} cannot be a mapping key",
                                           line=key_node.start_mark.line + 1, path=path,
                                           expected="a name or number as key")
            if key in out:
                first = lines.get((*path, key), (name, 0))[1]
                raise ScenarioError.single(
                    name, f"duplicate key {key!r} (first given on line {first})",
                    line=key_node.start_mark.line + 1, path=path, expected="each key once",
                )
            lines[(*path, key)] = (name, key_node.start_mark.line + 1)
            out[key] = _build(value_node, (*path, key), lines, budget, constructor, name, open_nodes)
        return out
    if isinstance(node, yaml.SequenceNode):
        items = []
        for i, item in enumerate(node.value):
            lines[(*path, i)] = (name, item.start_mark.line + 1)
            items.append(_build(item, (*path, i), lines, budget, constructor, name, open_nodes))
        return items
    return _scalar(node, path, constructor, name)


def _scalar(node: yaml.Node, path: tuple[PathPart, ...], constructor: yaml.constructor.SafeConstructor,
            name: str) -> Any:
    try:
        return constructor.construct_object(node)
    except yaml.constructor.ConstructorError as exc:
        problem = f"cannot read value: {exc.problem}"
    except (ValueError, OverflowError) as exc:  # e.g. a date such as 2026-02-30
        problem = f"cannot read value {node.value!r}: {exc}"
    raise ScenarioError.single(name, problem, line=node.start_mark.line + 1, path=path,
                               expected="a plain YAML value")

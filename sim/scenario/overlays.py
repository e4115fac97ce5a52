"""Overlays: a file that ``extends`` another is merged onto it, with ``$delete``, ``$replace`` and ``$append``.

Line numbers travel with the values, so that a problem found after merging points at the file and
line the value came from.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .. import yamlsource
from ..errors import PathPart, Problem, ScenarioError
from ..inputfiles import LIMIT_VARIABLE, file_problem, max_bytes, refusal_error
from ..params import DIST_KEYS
from ..yamlsource import LineMap, read_yaml
from .paths import _short

DELETE = "$delete"
REPLACE = "$replace"
APPEND = "$append"


def _resolve(path: Path, stack: tuple[Path, ...]) -> tuple[dict[str, Any], LineMap]:
    data, lines = read_yaml(path)
    if not isinstance(data, dict):
        raise ScenarioError.single(str(path), f"top level is a {type(data).__name__}, not a mapping",
                                   line=lines.get((), (str(path), 1))[1],
                                   expected="key: value pairs such as name:, issues:, actors:")
    return _merge_extends(data, lines, path, str(path), (*stack, _real(path)))


def _merge_extends(data: dict[str, Any], lines: LineMap, path: Path, name: str,
                   stack: tuple[Path, ...]) -> tuple[dict[str, Any], LineMap]:
    problems = list(_directive_problems(data, (), lines, name, in_mapping=False))
    if problems:
        raise ScenarioError(problems)
    parent = data.pop("extends", None)
    merged_lines: LineMap = {(): lines[()]} if () in lines else {}
    if parent is None:
        return _take(data, (), (), lines, merged_lines), merged_lines
    line = lines.get(("extends",), (name, None))[1]
    if not isinstance(parent, str) or not parent.strip():
        raise ScenarioError.single(name, "extends must name one file", line=line, path=("extends",),
                                   expected="a path such as baseline.yaml")
    # Shown as the user would write it (scenarios/baseline.yaml); compared resolved.
    shown = Path(os.path.normpath(path.parent / parent))
    target = _real(shown)
    if target in stack:
        chain = " -> ".join(p.name for p in (*stack, target))
        raise ScenarioError.single(name, f"circular extends: {chain}", line=line, path=("extends",),
                                   expected="a chain of overlays that ends in a full scenario")
    _check_base(shown, target, parent, name, line)
    base, base_lines = _resolve(shown, stack)
    merged_lines = {**base_lines, **merged_lines}
    merged = _merge(base, data, (), (), lines, merged_lines)
    if "name" not in data and not name.startswith("<"):
        # An overlay that forgets its name must not pass for its base in tables and plots.
        merged["name"] = path.stem
    return merged, merged_lines


def _real(path: Path) -> Path:
    """``path`` resolved, or made absolute if it cannot be (a symlink loop, reported when it is read)."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return Path(os.path.abspath(path))


def _check_base(shown: Path, target: Path, parent: str, name: str, line: int | None) -> None:
    """Refuse, at the ``extends:`` line, a base that is not a regular file of at most the size limit."""
    limit = max_bytes(yamlsource.MAX_BYTES)
    refused = file_problem(shown, limit)
    if refused is None:
        return
    if refused.environment:  # the base's own name: it is the file the machine would not let us read
        raise refusal_error(str(shown), refused, limit)
    where = f" ({target})" if "not found" in refused.message or "directory" in refused.message else ""
    expected = "a scenario file next to this one"
    if "too large" in refused.message:
        expected = f"at most {limit:,} bytes (raise the limit with {LIMIT_VARIABLE}=BYTES)"
    raise ScenarioError.single(name, f"extends {parent!r}: {refused.message}{where}", line=line,
                               path=("extends",), expected=expected)


def deep_merge(base: Any, overlay: Any) -> Any:
    """Overlay ``overlay`` on ``base``: mappings merge key by key, anything else replaces.

    Directives in the overlay: ``{$delete: true}`` removes the key, ``{$replace: value}`` replaces a
    mapping whole instead of merging, ``{$append: [items]}`` adds items to a list. A parameter given as
    a mapping (``{value: ..}`` or a distribution such as ``{uniform: [..]}``) is one number: a new
    value or distribution replaces the old one (its ``evidence`` and ``note`` merge as usual).
    """
    return _merge(base, overlay, (), (), {}, {})


_PARAM_NUMBER_KEYS = frozenset((*DIST_KEYS, "value"))
_PARAM_KEYS = _PARAM_NUMBER_KEYS | {"weights", "evidence", "note"}


def _directive(value: Any) -> str | None:
    """The directive a mapping stands for (``{$delete: true}``, ``{$replace: x}``, ``{$append: x}``), if any."""
    if isinstance(value, dict) and len(value) == 1:
        key = next(iter(value))
        if key in (REPLACE, APPEND) or (key == DELETE and value[key] is True):
            return key
    return None


def _is_param(value: Any) -> bool:
    return isinstance(value, dict) and bool(_PARAM_NUMBER_KEYS & set(value)) and set(value) <= _PARAM_KEYS


def _drop(lines: LineMap, prefix: tuple[PathPart, ...], itself: bool = False) -> None:
    n = len(prefix)
    for key in [k for k in lines if k[:n] == prefix and (itself or len(k) > n)]:
        del lines[key]


def _line(olines: LineMap, opath: tuple[PathPart, ...], lines: LineMap, mpath: tuple[PathPart, ...]) -> None:
    if opath in olines:
        lines[mpath] = olines[opath]


def _merge(base: Any, overlay: Any, opath: tuple[PathPart, ...], mpath: tuple[PathPart, ...],
           olines: LineMap, lines: LineMap) -> Any:
    """Merge ``overlay`` (at ``opath`` in its file) onto ``base`` (at ``mpath`` in the result).

    ``lines`` holds the base's lines by result path; the overlay's lines (``olines``, by overlay path)
    are moved in wherever the overlay's values land, and lines of replaced or deleted values dropped.
    """
    kind = _directive(overlay)
    if kind == REPLACE:
        _drop(lines, mpath)
        return _take(overlay[REPLACE], (*opath, REPLACE), mpath, olines, lines)
    if kind == APPEND:
        items = overlay[APPEND]
        sub = (*opath, APPEND)
        pairs = [((*sub, i), item) for i, item in enumerate(items)] if isinstance(items, list) else [(sub, items)]
        if not isinstance(base, list):
            _drop(lines, mpath)
            base = []
        out = list(base)
        for item_path, item in pairs:
            target = (*mpath, len(out))
            _line(olines, item_path, lines, target)
            out.append(_take(item, item_path, target, olines, lines))
        return out
    if isinstance(base, dict) and isinstance(overlay, dict):
        if _is_param(base) and _is_param(overlay):
            for key in _PARAM_NUMBER_KEYS | {"weights"}:
                _drop(lines, (*mpath, key), itself=True)
            base = {k: v for k, v in base.items() if k not in _PARAM_NUMBER_KEYS | {"weights"}}
        out = dict(base)
        for key, value in overlay.items():
            okey, mkey = (*opath, key), (*mpath, key)
            if _directive(value) == DELETE:
                out.pop(key, None)
                _drop(lines, mkey, itself=True)
                continue
            _line(olines, okey, lines, mkey)
            if key in out:
                out[key] = _merge(out[key], value, okey, mkey, olines, lines)
            else:
                out[key] = _take(value, okey, mkey, olines, lines)
        return out
    _drop(lines, mpath)
    return _take(overlay, opath, mpath, olines, lines)


def _take(value: Any, opath: tuple[PathPart, ...], mpath: tuple[PathPart, ...],
          olines: LineMap, lines: LineMap) -> Any:
    """A copy of an overlay value with its directives applied (there is nothing below it to merge with)."""
    kind = _directive(value)
    if kind == REPLACE:
        return _take(value[REPLACE], (*opath, REPLACE), mpath, olines, lines)
    if kind == APPEND:
        return _merge([], value, opath, mpath, olines, lines)
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if _directive(item) == DELETE:
                continue
            _line(olines, (*opath, key), lines, (*mpath, key))
            out[key] = _take(item, (*opath, key), (*mpath, key), olines, lines)
        return out
    if isinstance(value, list):
        items = []
        for i, item in enumerate(value):
            _line(olines, (*opath, i), lines, (*mpath, i))
            items.append(_take(item, (*opath, i), (*mpath, i), olines, lines))
        return items
    return value


def _directive_problems(value: Any, path: tuple[PathPart, ...], lines: LineMap, name: str,
                        in_mapping: bool) -> Iterator[Problem]:
    """Directives used wrongly in one file: unknown ``$`` keys, extra keys beside one, ``$delete`` not true."""
    if isinstance(value, list):
        for i, item in enumerate(value):
            yield from _directive_problems(item, (*path, i), lines, name, in_mapping=False)
        return
    if not isinstance(value, dict):
        return
    for key, item in value.items():
        where = lines.get((*path, key), lines.get(path, (name, None)))
        if isinstance(key, str) and key.startswith("$"):
            if key not in (DELETE, REPLACE, APPEND):
                close = difflib.get_close_matches(key, [DELETE, REPLACE, APPEND], n=1, cutoff=0.6)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                yield Problem(where[0], where[1], path, f"unknown directive {key!r}{hint}",
                              "one of {$delete: true}, {$replace: value}, {$append: [items]}")
            elif len(value) > 1:
                others = ", ".join(str(k) for k in value if k != key)
                yield Problem(where[0], where[1], path, f"{key} must be the only key of its mapping, "
                              f"found also {others}", f"{{{key}: ...}} alone")
            elif key == DELETE and item is not True:
                yield Problem(where[0], where[1], path, f"$delete takes true, got {_short(item)}",
                              "{$delete: true}")
            elif key == DELETE and not in_mapping:
                yield Problem(where[0], where[1], path, "$delete can only remove a key of a mapping",
                              "key: {$delete: true}")
        yield from _directive_problems(item, (*path, key), lines, name, in_mapping=True)


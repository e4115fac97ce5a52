"""Key paths (``actors.russia.red_lines[0].bound``): parsing, setting values, and values in messages."""

from __future__ import annotations

import re
from typing import Any

from ..errors import PathPart, format_path

_PATH_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")
_PATH_SYNTAX = re.compile(r"[^.\[\]]+(\[\d+\])*(\.[^.\[\]]+(\[\d+\])*)*")


def parse_path(text: str) -> tuple[PathPart, ...]:
    """Split ``a.b[0].c`` into ``("a", "b", 0, "c")``.

    Raises:
        ValueError: the text is not such a path.
    """
    if not isinstance(text, str) or not _PATH_SYNTAX.fullmatch(text):
        raise ValueError(f"{text!r} is not a key path such as actors.a.red_lines[0].bound")
    return tuple(int(index) if index else name for name, index in _PATH_PART.findall(text))


def set_path(data: Any, path: tuple[PathPart, ...], value: Any) -> None:
    """Set ``value`` at ``path`` in nested dicts/lists, creating mappings on the way.

    Raises:
        ValueError: the path runs through a value that is not a mapping, or past the end of a list.
    """
    cur = data
    for depth, part in enumerate(path):
        last = depth == len(path) - 1
        if isinstance(cur, dict):
            if last:
                cur[part] = value
            else:
                cur = cur.setdefault(part, {})
        elif isinstance(cur, list) and isinstance(part, int):
            if part >= len(cur):
                raise ValueError(f"{format_path(path[:depth])} has {len(cur)} item(s), no [{part}]")
            if last:
                cur[part] = value
            else:
                cur = cur[part]
        else:
            raise ValueError(f"{format_path(path[:depth])} is {_short(cur)}, not a mapping"
                             + (" (use [index] for a list)" if isinstance(cur, list) else ""))



def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


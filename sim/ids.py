"""Ids of the things a scenario defines (actors, issues, shocks, measures, plans, force types).

Ids are parts of key paths (``actors.russia.party.resolve``), of ``--set`` and Latin-hypercube
parameters and of random-stream names, so they must not contain a dot, a bracket or a space: an id
matches ``[a-z][a-z0-9_-]*``. ``Id("actor")`` is the field type of such a key.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import PlainValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

__all__ = ["ID_PATTERN", "Id", "id_problem"]

#: What every id matches.
ID_PATTERN = re.compile(r"[a-z][a-z0-9_-]*")
_RULE = "must be lower-case letters, digits, '_' or '-', starting with a letter"


def id_problem(value: Any, what: str) -> str | None:
    """Why ``value`` is not a valid ``what`` id (``"actor id 'Russia.x' must be ..."``), or None."""
    if not isinstance(value, str):
        return f"{what} id {value!r} is not text; it {_RULE}"
    if not ID_PATTERN.fullmatch(value):
        shown = repr(value) if len(value) <= 40 else repr(value[:37]) + "..."
        return f"{what} id {shown} {_RULE}"
    return None


def _check(value: Any, what: str) -> str:
    if problem := id_problem(value, what):
        # Pydantic fills the template with str(); braces in the id are escaped by passing it in the context.
        raise PydanticCustomError("id", "{problem}", {"problem": problem,
                                                      "expected": "an id such as north_bank or party_2"})
    return value


def Id(what: str) -> Any:
    """Field type of an id of a ``what`` (actor, issue, ...): text matching :data:`ID_PATTERN`."""
    return Annotated[str, PlainValidator(lambda v: _check(v, what)),
                     WithJsonSchema({"type": "string", "pattern": f"^{ID_PATTERN.pattern}$"})]

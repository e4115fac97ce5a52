"""Keys of the old scenario format (version 1), each told by its new name before the format is checked.

A file written for version 1 would otherwise get pydantic's words for every moved key (an unknown
key here, a missing one there, a text where a list belongs). Instead each old key gets one line that
names the new form, filled in from the file where it can be (the old front's attacker is the target
of the old sanctions index), and pydantic's errors at the old and new places are left out
(:attr:`Moved.silences`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml

from ..errors import PathPart, Problem

__all__ = ["Moved", "migration_problems"]

Path = tuple[PathPart, ...]

#: The old format's names of one case's institutions (a data file, so that no Python names them).
_V1 = yaml.safe_load(resources.files(__package__).joinpath("version1.yaml").read_text(encoding="utf-8"))
_COUNCIL, _MEMBER, _FUNDING_KIND = _V1["council"], _V1["member"], _V1["funding_kind"]


@dataclass(frozen=True)
class Moved:
    """One key of the old format: the problem that names its new form, and the paths whose errors it explains."""

    problem: Problem
    silences: tuple[Path, ...]


def _retired(path: Path, now: str) -> Moved:
    """A setting of the first bargaining core that the second has no use for."""
    return Moved(Problem("", None, path, f"a setting of the first bargaining core, gone: {now}", "no such key"),
                 (path,))


def _first_core(data: Mapping[str, Any]) -> Iterator[Moved]:
    """Settings of the first bargaining core (issue 13 replaced its noise and its estimates by beliefs)."""
    talks = _mapping(_mapping(data.get("institutions")).get("talks"))
    if "acceptance_noise" in talks:
        yield _retired(("institutions", "talks", "acceptance_noise"),
                       "acceptance is deterministic given a party's type; put the uncertainty about a party "
                       "in the distribution of its party.resolve (the mediators' prior)")
    for aid, actor in _mapping(data.get("actors")).items():
        for key in ("estimate_noise", "learning"):
            if key in _mapping(_mapping(actor).get("mediator")):
                yield _retired(("actors", aid, "mediator", key),
                               "the mediators hold a belief about each party's resolve on a grid "
                               "(institutions.talks.belief_grid) and learn from every answer")
    if "belief_learning" in _mapping(data.get("front")):
        yield _retired(("front", "belief_learning"),
                       "every party learns the drift from the front's moves by Bayes' rule; "
                       "front.capability_uncertainty is the spread of its prior")


def _moved(path: Path, new: str, expected: str, *also: Path) -> Moved:
    message = f"a key of the old format (version 1), now {new}"
    return Moved(Problem("", None, path, message, expected), (path, *also))


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _flow(value: Any) -> str:
    """A value as YAML flow text, for the new form in a message."""
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{k}: {_flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    return f"{value:g}" if isinstance(value, float) else str(value)


def migration_problems(data: Mapping[str, Any]) -> Iterator[Moved]:
    """Every key of the old format in merged scenario data, in the order of the file's sections."""
    if not isinstance(data, Mapping):
        return
    context = _Context(data)
    for aid, actor in _mapping(data.get("actors")).items():
        yield from _actor(context, aid, _mapping(actor))
    institutions = _mapping(data.get("institutions"))
    yield from _talks(_mapping(institutions.get("talks")))
    yield from _councils(context, institutions)
    consent = _mapping(institutions.get("coalition")).get("consent_from")
    if isinstance(consent, str):
        yield _moved(("institutions", "coalition", "consent_from"), "a list of the consenting parties",
                     f"consent_from: [{consent}]")
    yield from _front(_mapping(data.get("front")))
    yield from _sanctions(context, data.get("sanctions"))
    yield from _first_core(data)
    for sid, shock in _mapping(data.get("shocks")).items():
        by = _mapping(_mapping(shock).get("effects")).get("sanctions")
        if isinstance(by, int | float) and not isinstance(by, bool):
            yield _moved(("shocks", sid, "effects", "sanctions"), "a list of changes, each naming its target",
                         f"sanctions: [{{target: {context.target}, by: {_flow(by)}}}]")


class _Context:
    """What the old file says that the new forms need: the sanctions target, who a loan funds."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        attacker = _mapping(data.get("front")).get("attacker")
        # Version 1 had one sanctions index, on the front's attacker.
        self.target = attacker if isinstance(attacker, str) else next(iter(_mapping(attacker)), "<actor>")
        self.funded: dict[str, str] = {}
        for aid, actor in _mapping(data.get("actors")).items():
            extended = _mapping(_mapping(_mapping(actor).get("party")).get("funding")).get("extended_by")
            for measure in extended if isinstance(extended, list) else ():
                self.funded[str(measure)] = aid


def _actor(context: _Context, aid: str, actor: Mapping[str, Any]) -> Iterator[Moved]:
    base: Path = ("actors", aid)
    roles = actor.get("roles")
    for i, role in enumerate(roles if isinstance(roles, list) else ()):
        if role == _MEMBER:
            # The roles list is then short of a valid role too: that is the same mistake.
            yield _moved((*base, "roles", i), "the role member (of any council)", "member", (*base, "roles"))
    if _MEMBER in actor:
        yield _moved((*base, _MEMBER), f"actors.{aid}.member", "member: {votes_against: [...], against_probability: ...}")
    for block in (_MEMBER, "member"):
        yield from _member_keys((*base, block), _mapping(actor.get(block)))
    party = _mapping(actor.get("party"))
    if "funding" in party:
        yield from _party_funding(base, _mapping(party.get("funding")))
    yield from _ratification(base, party.get("ratification"))
    mediator = _mapping(actor.get("mediator"))
    if "backstop" in mediator:
        yield _moved((*base, "mediator", "backstop"), f"the role backer with actors.{aid}.backer.backstop",
                     f"roles: [..., backer] and backer: {{backstop: {_flow(mediator['backstop'])}}}")


_MEMBER_KEYS = {"blocks": "votes_against", "veto_probability": "against_probability",
                "veto_probability_after_change": "against_probability_after_change"}


def _member_keys(base: Path, block: Mapping[str, Any]) -> Iterator[Moved]:
    for old, new in _MEMBER_KEYS.items():
        if old in block:
            where = ".".join(str(p) for p in base[:2])
            yield _moved((*base, old), f"{where}.member.{new}", f"{new}: {_flow(block[old])}")


def _party_funding(base: Path, funding: Mapping[str, Any]) -> Iterator[Moved]:
    kept = {k: v for k, v in funding.items() if k != "extended_by"}
    aid = base[1]
    yield _moved((*base, "party", "funding"), f"actors.{aid}.funding (a block of the actor, not of its party)",
                 f"funding: {_flow(kept)} beside party:")
    extended = funding.get("extended_by")
    if extended is not None:
        measures = ", ".join(str(m) for m in extended) if isinstance(extended, list) else str(extended)
        yield _moved((*base, "party", "funding", "extended_by"), "a funding effect of each measure",
                     f"effects: {{funding: [{{actor: {aid}, runway_rounds: ROUNDS}}]}} in measure {measures}")


def _ratification(base: Path, ratification: Any) -> Iterator[Moved]:
    path = (*base, "party", "ratification")
    if isinstance(ratification, Mapping):
        rule = "referendum" if ratification.get("rule") == "referendum" else "leader"
        body = {"body": "<id>", "rule": rule,
                **{k: v for k, v in ratification.items() if k not in ("rule", "evidence")}}
        yield _moved(path, "a list of ratifying bodies, each with a rule (leader or referendum)",
                     f"ratification: [{_flow(body)}]")
    elif isinstance(ratification, list):
        for k, item in enumerate(ratification):
            if _mapping(item).get("rule") == "threshold":
                yield _moved((*path, k, "rule"), "rule leader (signs only terms at or above its threshold)", "leader")


def _talks(talks: Mapping[str, Any]) -> Iterator[Moved]:
    if "mediator" in talks:
        yield _moved(("institutions", "talks", "mediator"), "institutions.talks.mediators (a list)",
                     f"mediators: [{_flow(talks['mediator'])}]", ("institutions", "talks", "mediators"))


def _councils(context: _Context, institutions: Mapping[str, Any]) -> Iterator[Moved]:
    if _COUNCIL in institutions:
        yield _moved(("institutions", _COUNCIL), "institutions.councils.<id>",
                     "councils: {<id>: {rule: unanimity, members: [...], measures: {...}}}")
        old = _mapping(institutions.get(_COUNCIL))
        yield from _measures(context, ("institutions", _COUNCIL), _mapping(old.get("measures")))
    for cid, council in _mapping(institutions.get("councils")).items():
        yield from _measures(context, ("institutions", "councils", cid), _mapping(_mapping(council).get("measures")))


def _measures(context: _Context, base: Path, measures: Mapping[str, Any]) -> Iterator[Moved]:
    for mid, measure in measures.items():
        measure = _mapping(measure)
        path = (*base, "measures", mid)
        kind = measure.get("kind")
        if kind == _FUNDING_KIND or ("runway_rounds" in measure and kind != "sanctions"):
            rounds = _flow(measure.get("runway_rounds", 52))
            new = f"effects: {{funding: [{{actor: {context.funded.get(str(mid), '<actor>')}, runway_rounds: {rounds}}}]}}"
        else:
            new = f"effects: {{sanctions: [{{target: {context.target}, by: {_flow(measure.get('sanctions_effect', 0.05))}}}]}}"
        for key, what in (("kind", "what the measure's effects change"), ("sanctions_effect", "effects.sanctions"),
                          ("runway_rounds", "effects.funding")):
            if key in measure:
                yield _moved((*path, key), what, new, (*path, "effects"))


def _front(front: Mapping[str, Any]) -> Iterator[Moved]:
    for side, default in (("attacker", 1.6), ("defender", 1.0)):
        strength_key = f"{side}_strength"
        actor = front.get(side)
        strength = _flow(front.get(strength_key, default))
        if isinstance(actor, str):
            yield _moved(("front", side), f"front.{side}: actor id -> the strength it contributes",
                         f"{side}: {{{actor}: {strength}}}")
        if strength_key in front:
            name = actor if isinstance(actor, str) else "<actor>"
            yield _moved(("front", strength_key), f"the strength in front.{side} (actor id -> strength)",
                         f"{side}: {{{name}: {strength}}}")


_INDEX_KEYS = ("start", "decay", "lag_rounds", "evidence")


def _sanctions(context: _Context, sanctions: Any) -> Iterator[Moved]:
    """Version 1's one index (``sanctions: {start, decay, lag_rounds}``) is now one per target."""
    old = {k: v for k, v in _mapping(sanctions).items() if k in _INDEX_KEYS and not isinstance(v, Mapping)}
    if old:
        index = {k: v for k, v in old.items() if k != "evidence"}
        yield _moved(("sanctions",), "one index per target: sanctions.<target>",
                     f"sanctions: {{{context.target}: {_flow(index)}}}")

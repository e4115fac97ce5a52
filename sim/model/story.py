"""The story of a run: the decisions of a round put into sentences.

Every number told here was computed by the decision that made it (the assessment of the proposal,
the party's objection, the guarantor's failed condition); this module only words them.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .assessment import Assessment

__all__ = ["answer", "answer_numbers", "belief_words", "format_terms", "stays_home", "tell_beliefs", "tell_pledges", "tell_round"]


def format_terms(issues: list[str], terms: np.ndarray) -> str:
    """Terms as ``issue value`` pairs."""
    return ", ".join(f"{issue} {value:.2f}" for issue, value in zip(issues, terms, strict=True))


def answer_numbers(talks: Any, final: Assessment, accepts: np.ndarray, i: int, j: int) -> dict[str, Any]:
    """The numbers of party ``j``'s answer in run ``i``, as the assessment and the party computed them."""
    party, issues = talks.parties[j], talks.issues
    seen = final.seen[i, j]
    numbers: dict[str, Any] = {
        "accepts": bool(accepts[i, j]), "hard_line": bool(final.hard[i, j]),
        "blocked_at_home": bool(final.blocked_at_home[i, j]), "approval": float(final.approval[i, j]),
        "deal_value": float(final.deal_values[i, j]), "outside_option": float(party.outside_option[i]),
        "hold_out": float(party.hold_out[i]), "penalty": float(final.penalty[i, j]),
        "resolve": float(party.resolve[i]), "fight_utility": float(party.fight_utility[i]),
        "fight_costs": float(party.fight_costs[i]), "believed_drift": float(party.belief[i]),
        "stock_used": float(party.used_share[i]),
        "mediators_chance": float(talks.chances[i, j]),
        "resolve_low": float(talks.resolve_low[j][i]), "resolve_high": float(talks.resolve_high[j][i]),
    }
    if final.hard[i, j]:
        numbers["broken_lines"] = [issues[d] for d in party.broken_lines(i, seen)]
    elif not accepts[i, j] and not final.blocked_at_home[i, j]:
        numbers["objects_most_to"] = issues[party.objection(i, seen)]
    gi = talks.views.guarantees_issue
    if gi is not None and party.judges_guarantees:
        numbers["guarantee_term"] = float(final.candidates[i, gi])
        numbers["guarantee_worth"] = float(seen[gi])
    return numbers


def answer(n: dict[str, Any], guarantees_issue: str | None) -> str:
    """Why a party accepted or rejected the proposal, from the numbers of its answer."""
    if n["hard_line"]:
        broken = n["broken_lines"] or ["a red line"]
        why = f"crosses its red line on {', '.join(broken)}"
        if "guarantee_term" in n and guarantees_issue in broken:
            why += (f" (guarantee {n['guarantee_term']:.2f} is worth {n['guarantee_worth']:.2f} with the force "
                    "that would deploy)")
        return why
    if n["blocked_at_home"]:
        return f"would not pass at home (approval {n['approval']:.2f})"
    why = (f"deal value {n['deal_value']:.3f} vs fighting on {n['outside_option']:.3f} + hold-out {n['hold_out']:.3f}"
           f" (its resolve {n['resolve']:.2f}: end state worth {n['fight_utility']:.3f}, war costs "
           f"{n['fight_costs']:.3f} / {n['resolve']:.2f})")
    if n["penalty"] > 0.005:
        why += f"; the audience cost of its stated positions {n['penalty']:.3f}"
    if "objects_most_to" in n:
        why += f"; it objects most to {n['objects_most_to']}"
    return why


def belief_words(n: dict[str, Any]) -> str:
    """What the mediators now believe of a party's resolve and expected of its answer."""
    low, high = n["resolve_low"], n["resolve_high"]
    held = f"{low:.2f}" if abs(high - low) < 0.005 else f"{low:.2f}-{high:.2f}"
    return f"the mediators expected acceptance with chance {n['mediators_chance']:.2f}; they now put its resolve at {held}"


def _zone_words(zone: float, chances: np.ndarray) -> str:
    """What the mediators computed of the zone of agreement: its share of their wide set of terms, or,
    when none of that set might be signed by every party, whether their search around it found terms
    that might (the proposal, with the chance they give each party's yes)."""
    if zone > 0:
        return f"; the zone they computed holds {zone:.1%} of the terms tried"
    if np.all(chances >= 0.005):  # as the story prints the chances, to two places
        return ("; none of their wide set of terms might be signed by every party, but their search from it "
                "found these terms, which might")
    return "; they see no terms that every party might sign"


def tell_round(talks: Any, active: np.ndarray, proposer: np.ndarray, final: Assessment, accepts: np.ndarray,
               zopa: np.ndarray) -> None:
    """The proposal of the round and every party's answer, for each run with talks this round."""
    sink = talks.sink
    for i in np.flatnonzero(active):
        who = "+".join(m.actor_id for m in talks.mediators) if proposer[i] < 0 else talks.parties[proposer[i]].actor_id
        proposal = final.candidates[i]
        previous = sink.told_proposal.get(int(i))
        verb = "proposes again" if previous is not None and np.allclose(previous, proposal, atol=0.005) else "proposes"
        sink.told_proposal[int(i)] = proposal.copy()
        zone = float(talks.estimated_zone[i])
        table = talks.agenda.on_the_table(i)
        sink.add(i, sink.round, who, verb, format_terms(talks.issues, proposal)
                 + (f" (on the table: {table})" if table else "")
                 + _zone_words(zone, talks.chances[i])
                 + ("" if zopa[i] else "; no terms clear every party's bar this round"),
                 {"terms": dict(zip(talks.issues, proposal.tolist(), strict=True)), "zopa": bool(zopa[i]),
                  "estimated_zone": zone})
        gi = talks.views.guarantees_issue
        for j, party in enumerate(talks.parties):
            numbers = answer_numbers(talks, final, accepts, i, j)
            sink.add(i, sink.round, party.actor_id, "accepts" if accepts[i, j] else "rejects",
                     answer(numbers, talks.issues[gi] if gi is not None else None), numbers)



def tell_beliefs(talks: Any, active: np.ndarray, final: Assessment, accepts: np.ndarray) -> None:
    """What the mediators learnt from the round's answers, for each run with talks this round."""
    sink = talks.sink
    who = "+".join(m.actor_id for m in talks.mediators)
    for i in np.flatnonzero(active):
        numbers = [answer_numbers(talks, final, accepts, i, j) for j in range(len(talks.parties))]
        sink.add(i, sink.round, who, "believes", "; ".join(
            f"{p.actor_id}: {belief_words(n)}" for p, n in zip(talks.parties, numbers, strict=True)),
            {p.actor_id: {k: n[k] for k in ("mediators_chance", "resolve_low", "resolve_high")}
             for p, n in zip(talks.parties, numbers, strict=True)})


def tell_news(sink: Any, heard: np.ndarray, about: str, council: str, news: np.ndarray, tilt: np.ndarray) -> None:
    """The mediators read a council's votes as news about a party's resolve."""
    for i in np.flatnonzero(heard):
        toward = "more" if news[i] > 0 else "less"
        sink.add(i, sink.round, "-", "reads the vote",
                 f"the mediators read the vote of the {council} as a sign that {about} is {toward} resolute "
                 f"(against their prior, they now weigh its most resolute type {np.exp(tilt[i]):.2f} times "
                 "as much as its least)",
                 {"about": about, "news": float(news[i]), "tilt": float(tilt[i])})


def tell_war_news(sink: Any, heard: np.ndarray, listener: str, about: str, council: str, news: np.ndarray,
                  before: np.ndarray, after: np.ndarray) -> None:
    """A party reads a council's votes as news about how the war goes for a side."""
    for i in np.flatnonzero(heard):
        toward = "better" if news[i] > 0 else "worse"
        sink.add(i, sink.round, listener, "reads the vote",
                 f"{listener} reads the vote of the {council} as a sign that the war will go {toward} for the side of "
                 f"{about} (the drift it expects: {before[i]:.4f} -> {after[i]:.4f} a round)",
                 {"about": about, "news": float(news[i]), "drift_before": float(before[i]),
                  "drift_after": float(after[i])})


def stays_home(reason: str, g: Any, numbers: dict[str, float]) -> str:
    """Why a guarantor did not pledge, from the condition that failed and its numbers."""
    n = numbers
    kinds = (f"its force type ({g.force_type})" if not g.also_fields
             else f"a force type it can field ({', '.join((g.force_type, *g.also_fields))})")
    texts = {
        "no troops": lambda: "has no troops to send",
        "needs consent": lambda: (f"needs consent to {kinds}; the deal allows {n['consent']:.2f}"),
        "targets": lambda: (f"will not send its {g.force_type} beyond consent: its troops would be targets "
                            f"(risk {n['risk']:.2f} > tolerance {n['tolerance']:.2f})"),
        "backstop": lambda: (f"its government finds the backstop {n['backstop']:.2f} too weak "
                             f"(its minimum, where it would go one time in two: {n['minimum']:.2f})"),
        "no mandate": lambda: "its parliament or government gives no mandate",
        "leads withdraw": lambda: "lead nations withdraw: the force would be too small or the backstop too weak",
        "below threshold": lambda: (f"the pledged force ({n['share']:.0%} of the target) is below its threshold "
                                    f"{n['threshold']:.2f}"),
    }
    return texts[reason]()


def tell_pledges(sink: Any, coalition: Any, deployment: Any, agreed: np.ndarray) -> None:
    """Who pledged troops and who stayed home (and why), then what deployed."""
    for i in np.flatnonzero(agreed):
        for j, g in enumerate(coalition.guarantors):
            if deployment.pledged[i, j]:
                kind = coalition.fielded_kind(i, j, deployment)
                instead = f" instead of {g.force_type}" if kind != g.force_type else ""
                sink.add(i, sink.round, g.actor_id, "pledges", f"{g.troops[i]:,.0f} troops ({kind}{instead})",
                         {"troops": float(g.troops[i]), "force_type": kind})
                continue
            reason, numbers = coalition.stays_home_reason(i, j, deployment)
            sink.add(i, sink.round, g.actor_id, "stays home", stays_home(reason, g, numbers),
                     {"reason": reason, **{k: float(v) for k, v in numbers.items()}})
        force = deployment.force[i]
        sink.add(i, sink.round, "-", "deployment",
                 f"{force:,.0f} troops deploy" if force > 0 else f"no {sink.words['force']} deploys",
                 {"troops": float(force), "beyond_consent": float(deployment.beyond[i])})

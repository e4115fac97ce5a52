"""The story of a run: the decisions of a round put into sentences.

Every number told here was computed by the decision that made it (the assessment of the proposal,
the party's objection, the guarantor's failed condition); this module only words them.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .assessment import Assessment

__all__ = ["answer", "format_terms", "stays_home", "tell_pledges", "tell_round"]


def format_terms(issues: list[str], terms: np.ndarray) -> str:
    """Terms as ``issue value`` pairs."""
    return ", ".join(f"{issue} {value:.2f}" for issue, value in zip(issues, terms, strict=True))


def answer(talks: Any, final: Assessment, accepts: np.ndarray, i: int, j: int) -> str:
    """Why party ``j`` of run ``i`` accepted or rejected the proposal."""
    party, issues = talks.parties[j], talks.issues
    proposal, seen = final.candidates[i], final.seen[i, j]
    if final.hard[i, j]:
        broken = [issues[d] for d in party.broken_lines(i, seen)] or ["a red line"]
        why = f"crosses its red line on {', '.join(broken)}"
        gi = talks.views.guarantees_issue
        if gi is not None and party.judges_guarantees and issues[gi] in broken:
            why += f" (guarantee {proposal[gi]:.2f} is worth {seen[gi]:.2f} with the force that would deploy)"
        return why
    if final.blocked_at_home[i, j]:
        return f"would not pass at home (approval {final.approval[i, j]:.2f})"
    why = (f"deal value {final.deal_values[i, j]:.3f} vs outside option {party.outside_option[i]:.3f} "
           f"+ hold-out {party.hold_out[i]:.3f}")
    if final.penalty[i, j] > 0.005:
        why += f"; its soft red lines cost {final.penalty[i, j]:.3f}"
    if not accepts[i, j]:
        why += f"; it objects most to {issues[party.objection(i, seen)]}"
    return why


def tell_round(talks: Any, active: np.ndarray, proposer: np.ndarray, final: Assessment, accepts: np.ndarray,
               zopa: np.ndarray) -> None:
    """The proposal of the round and every party's answer, for each run with talks this round."""
    sink = talks.sink
    for i in np.flatnonzero(active):
        who = talks.mediator.actor_id if proposer[i] < 0 else talks.parties[proposer[i]].actor_id
        proposal = final.candidates[i]
        previous = sink.told_proposal.get(int(i))
        verb = "proposes again" if previous is not None and np.allclose(previous, proposal, atol=0.005) else "proposes"
        sink.told_proposal[int(i)] = proposal.copy()
        sink.add(i, sink.round, who, verb, format_terms(talks.issues, proposal)
                 + ("" if zopa[i] else "; no terms clear every party's bar this round"))
        for j, party in enumerate(talks.parties):
            sink.add(i, sink.round, party.actor_id, "accepts" if accepts[i, j] else "rejects",
                     answer(talks, final, accepts, i, j))


def stays_home(reason: str, g: Any, numbers: dict[str, float]) -> str:
    """Why a guarantor did not pledge, from the condition that failed and its numbers."""
    n = numbers
    texts = {
        "no troops": lambda: "has no troops to send",
        "needs consent": lambda: f"needs consent to a {g.force_type} force; the deal allows {n['consent']:.2f}",
        "targets": lambda: (f"will not send a {g.force_type} force beyond consent: its troops would be targets "
                            f"(risk {n['risk']:.2f} > tolerance {n['tolerance']:.2f})"),
        "backstop": lambda: f"backstop {n['backstop']:.2f} is below its minimum {n['minimum']:.2f}",
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
                sink.add(i, sink.round, g.actor_id, "pledges", f"{g.troops[i]:,.0f} troops ({g.force_type})")
                continue
            reason, numbers = coalition.stays_home_reason(i, j, deployment)
            sink.add(i, sink.round, g.actor_id, "stays home", stays_home(reason, g, numbers))
        force = deployment.force[i]
        sink.add(i, sink.round, "-", "deployment", f"{force:,.0f} troops deploy" if force > 0 else "no force deploys")

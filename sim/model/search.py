"""The mediators' local search around their best picks of the wide set of candidates.

The talks (:mod:`sim.model.talks`) pick a round's proposal from a wide set of candidates; the
search then steps along each issue and pair of issues with shrinking steps, follows a ridge of the
score in the direction of a step, and keeps the best point reached, so that the proposal hinges
little on how fine the candidate set is. ``talks`` is the talks: their assessor, scores and state.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .assessment import Assessment
from .proposals import search_moves

__all__ = ["FOLLOW", "REFINE_STARTS", "REFINE_STEPS", "Proposal", "refine"]

#: Step sizes of the mediator's local refinement of its proposal.
REFINE_STEPS = (0.1, 0.02)

#: Multiples of a step of the local search tried along its direction.
FOLLOW = (2.0, 3.0, 5.0, 8.0)

#: Starting points of the mediators' local search (the best candidates of the wide set).
REFINE_STARTS = 2


@dataclass(frozen=True)
class Proposal:
    """What the mediators computed in a round, per run: the proposal as every party sees it, whether a
    zone of agreement exists (true types), the proposer (-1: the mediators), their estimated chance
    that each party accepts, the estimated and true zone's share of the wide set, and the binding
    constraint's code when there is no zone (-1 when there is one)."""

    final: Assessment
    zopa: np.ndarray
    proposer: np.ndarray
    chances: np.ndarray
    estimated_zone: np.ndarray
    true_zone: np.ndarray
    cause_code: np.ndarray



def refine(talks: Any, t: int, starts: np.ndarray, proposer: np.ndarray, zopa: np.ndarray,
           armistice: np.ndarray) -> tuple[Assessment, np.ndarray, np.ndarray]:
    """The mediators search around their best few picks, step by step along each issue with shrinking
    steps, and keep the best they reach: their proposal then hinges little on how fine the
    candidate set is. ``starts`` is ``(runs, starts, issues)``; the first is the round's pick,
    which a proposing party keeps; ``armistice`` ``(runs, starts)`` marks starts that are armistices
    (their search keeps the open issues open). Returns the proposal's assessment, the zone flags
    and the mediators' estimated chance that each party accepts it."""
    n = len(talks.issues)
    no_fixed = np.empty((0, n))
    rows = np.arange(talks.runs)
    runs = starts.shape[0]
    moves = search_moves(n)
    best = starts
    for n_step, step in enumerate(REFINE_STEPS):
        k = best.shape[1]
        flags = np.repeat(armistice, len(moves), axis=1)
        around = np.clip(best[:, :, None, :] + step * moves[None, None], 0, 1).reshape(runs, -1, n)
        around = talks.agenda.keep_closed(talks.armistice.keep_open(around, flags))
        local = talks.assessor.assess(no_fixed, around, talks.leverage, talks.armistice.flags(flags))
        zopa |= local.zopa()
        local_scores, _ = talks.mediator_scores(t, local)
        scores = local_scores.reshape(runs, k, len(moves))
        pick = np.where(proposer[:, None] < 0, np.argmax(scores, axis=-1), 0)
        chosen = np.take_along_axis(around.reshape(runs, k, len(moves), n), pick[:, :, None, None], axis=2)[:, :, 0]
        best, reached, followed, picked = _follow(talks, t, best, chosen, proposer, zopa, armistice)
        if n_step == 0 and k > 1:
            # After the first, coarsest step only the best start goes on (the proposing party's own).
            lead = np.where(proposer < 0, np.argmax(reached, axis=1), 0)
            best = best[rows, lead][:, None, :]
            armistice = armistice[rows, lead][:, None]
    # The proposal is the best point the last step reached, already assessed there.
    pick = picked[rows, np.where(proposer < 0, np.argmax(reached, axis=1), 0)]
    _, estimated = talks.mediator_scores(t, followed)
    return followed.at(pick), zopa, estimated[:, rows, pick].T


def _follow(talks: Any, t: int, before: np.ndarray, after: np.ndarray, proposer: np.ndarray, zopa: np.ndarray,
            armistice: np.ndarray) -> tuple[np.ndarray, np.ndarray, Assessment, np.ndarray]:
    """Go on in the direction of the step just taken, further and further, and keep the best point
    reached: a ridge of the score is followed in a few evaluations instead of many small steps.
    ``before`` and ``after`` are ``(runs, starts, issues)``; returns the points and their scores, the
    assessment of every point tried ``(runs, starts * tried)`` and the index of the best in it, per start."""
    runs, k, n = after.shape
    direction = after - before
    line = np.clip(before[:, :, None, :] + np.asarray(FOLLOW)[None, None, :, None] * direction[:, :, None, :], 0, 1)
    tried = talks.agenda.keep_closed(talks.armistice.keep_open(np.concatenate([after[:, :, None, :], line], axis=2),
                                     np.repeat(armistice[:, :, None], 1 + len(FOLLOW), axis=2)))
    flags = talks.armistice.flags(np.repeat(armistice, 1 + len(FOLLOW), axis=1))
    assessed = talks.assessor.assess(np.empty((0, n)), tried.reshape(runs, -1, n), talks.leverage, flags)
    zopa |= assessed.zopa()
    scores, _ = talks.mediator_scores(t, assessed)
    scores = scores.reshape(runs, k, -1)
    pick = np.where(proposer[:, None] < 0, np.argmax(scores, axis=-1), 0)
    return (np.take_along_axis(tried, pick[:, :, None, None], axis=2)[:, :, 0],
            np.take_along_axis(scores, pick[:, :, None], axis=2)[:, :, 0],
            assessed, pick + np.arange(k)[None, :] * tried.shape[2])

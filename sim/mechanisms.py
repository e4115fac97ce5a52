"""Decision math of the model as pure functions of arrays.

Nothing here knows about Mesa, scenarios or random generators: every function maps arrays to
arrays, broadcasting over leading axes (runs, candidates, actors), so it can be tested alone and
evaluated for a whole batch of runs and candidate proposals in one expression.

Equations follow ``docs/model.md`` (and the design's literature notes, sections cited below).
"""

from __future__ import annotations

import numpy as np
from scipy.special import expit

from .beliefs import (
    MAX_TILT,
    RESOLVE_FLOOR,
    grid_update,
    interval_quantile,
    interval_share,
    tilt_by_news,
    tilt_grid,
    type_cutoff,
    unwidened,
    widened,
)

__all__ = [
    "MAX_TILT",
    "RESOLVE_FLOOR",
    "backed_share",
    "binding_constraint",
    "cascade",
    "compromise_point",
    "deterrence",
    "effective_territory",
    "front_advance",
    "future_cost",
    "grid_update",
    "interval_quantile",
    "interval_share",
    "logistic",
    "majority",
    "qualified_majority",
    "red_line_penalty",
    "relapse_hazard",
    "route_after_vote",
    "tilt_by_news",
    "tilt_grid",
    "type_cutoff",
    "unanimity",
    "unwidened",
    "utility",
    "widened",
]


def logistic(x: np.ndarray) -> np.ndarray:
    """The logistic function, numerically safe for large |x| (SciPy's ufunc: the fastest we have)."""
    return expit(np.asarray(x, dtype=float))


def effective_territory(term: np.ndarray, taken: np.ndarray) -> np.ndarray:
    """Share of the contested area the attacker controls after a deal.

    A deal's territory term applies to what is still held: ``taken + term * (1 - taken)``, so
    gains on the battlefield shrink what must be won at the table.
    """
    return taken + term * (1.0 - taken)


def utility(terms: np.ndarray, ideal: np.ndarray, salience: np.ndarray, risk: np.ndarray | float) -> np.ndarray:
    """Salience-weighted spatial utility ``sum_d s_d (1 - |z_d - x_d| ** risk)`` over the last axis.

    ``risk`` is one number, or an array that broadcasts against ``terms`` without the last axis;
    > 1 is risk-averse.
    """
    distance = np.subtract(terms, ideal)
    np.abs(distance, out=distance)
    exponent = risk if np.ndim(risk) == 0 else np.asarray(risk)[..., None]
    # The same arithmetic as ``salience * (1 - distance ** risk)``, in place: these arrays are the
    # model's largest, and allocating each step's result cost as much as computing it.
    kept = power(distance, exponent)
    np.subtract(1.0, kept, out=kept)
    np.multiply(salience, kept, out=kept)
    return np.sum(kept, axis=-1)


def power(base: np.ndarray, exponent: np.ndarray | float) -> np.ndarray:
    """``base ** exponent``, with fast paths for a single common exponent.

    A general power costs far more than a product or a square root, and utilities are evaluated for
    every run, candidate and issue. The path depends only on whether the exponent is one number
    (a fixed parameter) or an array (a drawn one), never on the values in a batch, so a run gives
    the same bits alone or in any batch.
    """
    if np.ndim(exponent) == 0:
        e = float(exponent)
        if e == 1.0:
            return base
        if e == 2.0:
            return base * base
        if e == 1.5:
            return base * np.sqrt(base)
        if e == 0.5:
            return np.sqrt(base)
        return np.power(base, e)
    return base ** exponent


#: A hard red line is broken by any violation beyond rounding.
BREACH = 1e-12


def red_line_violation(values: np.ndarray, bound: np.ndarray, *, at_least: bool) -> np.ndarray:
    """How far terms fall short of ``term >= bound`` (``at_least``) or exceed ``term <= bound``; 0 if kept."""
    return np.maximum(bound - values, 0.0) if at_least else np.maximum(values - bound, 0.0)


def red_line_penalty(terms: np.ndarray, at_least: np.ndarray, at_most: np.ndarray,
                     penalty_low: np.ndarray, penalty_high: np.ndarray,
                     hard_low: np.ndarray, hard_high: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Penalty for soft red lines and whether any hard red line is broken.

    Bounds are per issue (last axis); ``at_least = -inf`` / ``at_most = +inf`` mean no line.

    Returns:
        (penalty, broken): utility lost to soft lines, and a boolean for hard lines, both without
        the issue axis.
    """
    short = red_line_violation(terms, at_least, at_least=True)
    over = red_line_violation(terms, at_most, at_least=False)
    penalty = np.sum(np.where(hard_low, 0.0, penalty_low * short) + np.where(hard_high, 0.0, penalty_high * over), axis=-1)
    broken = np.any((hard_low & (short > BREACH)) | (hard_high & (over > BREACH)), axis=-1)
    return penalty, broken


def future_cost(cost_per_round: np.ndarray, discount: np.ndarray, rounds: np.ndarray | int,
                resolve: np.ndarray) -> np.ndarray:
    """Discounted war cost over the projection ``sum_{k=1..H} discount^k * cost / resolve``.

    ``rounds`` may be fractional (an end state reached within a round): the closed form of the sum.
    """
    discount = np.asarray(discount, dtype=float)
    geometric = np.where(discount < 1.0, discount * (1 - discount ** rounds) / np.maximum(1 - discount, 1e-12),
                         np.asarray(rounds, dtype=float))
    return geometric * cost_per_round / resolve


def compromise_point(positions: np.ndarray, capability: np.ndarray, salience: np.ndarray) -> np.ndarray:
    """Capability-and-salience weighted mean of positions (the compromise model).

    Shapes: positions and salience ``(..., actors, issues)``, capability ``(..., actors)``.
    """
    weight = capability[..., None] * salience
    return np.sum(weight * positions, axis=-2) / np.maximum(np.sum(weight, axis=-2), 1e-12)


def backed_share(backstop: np.ndarray, minimum: np.ndarray, softness: np.ndarray) -> np.ndarray:
    """Chance a member deploys given the backer's support: ``logistic((backstop - minimum) / softness)``.

    A member's minimum backstop is a guess about a government's appetite for risk, not a switch: the
    chance is 1/2 at the minimum and moves smoothly around it. ``softness`` 0 is the hard gate
    ``backstop >= minimum``.
    """
    backstop, minimum, softness = np.broadcast_arrays(*(np.asarray(a, dtype=float) for a in (backstop, minimum, softness)))
    gap = backstop - minimum
    smooth = logistic(gap / np.where(softness > 0, softness, 1.0))
    return np.where(softness > 0, smooth, (gap >= 0).astype(float))


def cascade(troops: np.ndarray, eligible: np.ndarray, threshold: np.ndarray, is_lead: np.ndarray,
            needed: np.ndarray, minimum: np.ndarray, leads_can_go: np.ndarray) -> np.ndarray:
    """Which guarantors pledge: a threshold cascade (Granovetter) with lead nations that may withdraw.

    Lead nations (``is_lead``) start if eligible; every eligible member joins once the pledged share
    of ``needed`` reaches its ``threshold``; this repeats to a fixed point. If the force then stays
    below ``minimum`` troops, or ``leads_can_go`` is false (weak backstop), the leads withdraw and the
    cascade reruns without them. The operator is monotone, so the fixed point does not depend on the
    order of members.

    Shapes: ``troops``, ``eligible``, ``threshold`` are ``(..., members)``; ``is_lead``
    ``(members,)``; ``needed``, ``minimum``, ``leads_can_go`` broadcast against ``(...)``.

    Returns:
        Boolean ``(..., members)``: who deploys.
    """
    needed = np.asarray(needed, dtype=float)[..., None]

    def fixed_point(can: np.ndarray) -> np.ndarray:
        pledged = can & ((threshold <= 0.0) | is_lead)
        for _ in range(troops.shape[-1] + 1):
            share = np.sum(np.where(pledged, troops, 0.0), axis=-1, keepdims=True) / needed
            grown = can & ((threshold <= share) | pledged | ((threshold <= 0.0) | is_lead))
            if np.array_equal(grown, pledged):
                break
            pledged = grown
        return pledged

    pledged = fixed_point(eligible)
    force = np.sum(np.where(pledged, troops, 0.0), axis=-1)
    abort = (force < minimum) | ~np.asarray(leads_can_go, dtype=bool)
    if np.any(abort & np.any(pledged & is_lead, axis=-1)):
        without_leads = fixed_point(eligible & ~is_lead)
        pledged = np.where(abort[..., None], without_leads & ~is_lead, pledged)
    return pledged


def deterrence(troops: np.ndarray, backstop: np.ndarray, force_quality: np.ndarray,
               midpoint: np.ndarray, scale: np.ndarray) -> np.ndarray:
    """Deterrent value of a deployed force in [0, 1].

    A sigmoid in troops, shifted so that no troops give 0 (token forces deter little), times
    ``0.5 + 0.5 * backstop`` (a force without the backstop deters half as much) and the troop-weighted
    quality of its force types.
    """
    at_zero = logistic(-midpoint / scale)
    curve = (logistic((troops - midpoint) / scale) - at_zero) / np.maximum(1.0 - at_zero, 1e-12)
    return np.clip(curve, 0.0, 1.0) * (0.5 + 0.5 * backstop) * force_quality


def relapse_hazard(base_per_year: np.ndarray, guarantees: np.ndarray, deterrent: np.ndarray,
                   withdrawal: np.ndarray, unconsented: np.ndarray, leverage: np.ndarray, *,
                   guarantees_effect: np.ndarray, deterrence_effect: np.ndarray,
                   withdrawal_effect: np.ndarray, unconsented_effect: np.ndarray,
                   leverage_effect: np.ndarray) -> np.ndarray:
    """Yearly hazard that a ceasefire breaks (commitment problem; Walter, Fortna, Beardsley).

    Guarantees and a deterrent force each remove a share of the base hazard; territory given up,
    a force deployed beyond consent and pressure used to get the deal each raise it.
    """
    return (base_per_year * (1 - guarantees_effect * guarantees) * (1 - deterrence_effect * deterrent)
            * (1 + withdrawal_effect * withdrawal) * (1 + unconsented_effect * unconsented)
            * (1 + leverage_effect * leverage))


def front_advance(drift: np.ndarray, attacker: np.ndarray, defender: np.ndarray, decisiveness: np.ndarray,
                  baseline_share: np.ndarray, taken: np.ndarray, fortified_at: np.ndarray,
                  fortification: np.ndarray) -> np.ndarray:
    """Expected share of the contested area taken this round (before noise).

    A ratio contest success function ``a^k / (a^k + d^k)`` scales the baseline drift relative to
    the round-0 balance; past ``fortified_at`` fortifications slow the advance.
    """
    total = attacker ** decisiveness + defender ** decisiveness
    share = np.where(total > 0, attacker ** decisiveness / np.where(total > 0, total, 1.0), 0.5)
    slow = np.where(taken >= fortified_at, 1.0 - fortification, 1.0)
    return drift * share / baseline_share * slow


def unanimity(vetoes: np.ndarray) -> np.ndarray:
    """A measure passes when no member vetoes (last axis: members)."""
    return ~np.any(vetoes, axis=-1)


def majority(in_favour: np.ndarray, others: np.ndarray | float = 0.0) -> np.ndarray:
    """A measure passes when more than half of all members vote in favour (last axis: members).

    ``others`` members not modelled vote in favour and count in the total: a simple majority is of
    the whole body, not of those the scenario names.
    """
    yes = np.sum(in_favour, axis=-1) + others
    return yes > (in_favour.shape[-1] + np.asarray(others, dtype=float)) / 2


def qualified_majority(in_favour: np.ndarray, weights: np.ndarray, others: np.ndarray,
                       shares: np.ndarray) -> np.ndarray:
    """A measure passes when every quota is met: the weight in favour holds at least its share of the total.

    Shapes: ``in_favour`` ``(..., members)``; ``weights`` ``(..., quotas, members)`` (each member's
    weight in each quota); ``others`` and ``shares`` ``(..., quotas)``, the weight of members not
    modelled (who vote in favour, and count in the total) and the share each quota needs. A double
    majority is two quotas, one on the count of members and one on their population.
    """
    yes = np.sum(np.where(in_favour[..., None, :], weights, 0.0), axis=-1) + others
    total = np.sum(weights, axis=-1) + others
    # A share of exactly the needed weight passes, whatever the rounding of the sums.
    return np.all(yes >= shares * total - 1e-9 * np.maximum(total, 1.0), axis=-1)


def route_after_vote(current: np.ndarray, voted: np.ndarray, passed: np.ndarray, fallback: np.ndarray,
                     once: np.ndarray, spent: np.ndarray) -> np.ndarray:
    """The body that takes a party's later deals on one ratification route, per run, after a vote.

    A route is one place in the party's order of voting bodies. ``current`` is the index of the body
    holding it per run (-1: no later deal can be ratified); ``voted`` and ``passed`` say whether that
    body voted on the deal and passed it. ``fallback`` (-1: none) and ``once`` are per body, ``spent``
    (runs, bodies) marks bodies that vote once and have voted. A body that votes a deal down hands the
    route to its fallback (the revised deal goes through another body); one that votes once hands it
    over after any vote, to nobody without a fallback; a body that votes every time and has no
    fallback keeps it. A route handed to a spent body is closed.

    Examples:
        >>> import numpy as np
        >>> route_after_vote(np.array([0, 0, 0]), np.array([True, True, False]), np.array([False, True, False]),
        ...                  np.array([1, -1]), np.array([True, False]), np.zeros((3, 2), bool)).tolist()
        [1, 1, 0]
    """
    body = np.maximum(current, 0)
    hands_over = voted & (current >= 0) & (~passed | once[body])
    keeps = ~passed & ~once[body] & (fallback[body] < 0)
    after = np.where(hands_over & ~keeps, fallback[body], current)
    rows = np.arange(len(current))
    return np.where((after >= 0) & spent[rows, np.maximum(after, 0)], -1, after)


# Beliefs and the bargaining core: in :mod:`sim.beliefs` (re-exported below) ---------------------


def binding_constraint(acceptable: np.ndarray, hard: np.ndarray, home: np.ndarray, margin_ok: np.ndarray) -> np.ndarray:
    """Why there is no zone of agreement, per run: the constraint that, lifted alone, opens the widest zone.

    Arrays are ``(parties, runs, candidates)``: ``acceptable`` (terms the party would sign),
    ``hard`` (they cross its hard red line), ``home`` (they would not pass at home) and
    ``margin_ok`` (they are worth at least fighting on). Kinds of constraint are tried in order, red
    lines first, then approval at home, then the value of fighting on: a public commitment that
    binds is named before a valuation that binds. Within a kind, the party whose constraint, lifted,
    opens the most candidates is named (the first in order on a tie). Returns ``(runs,)`` codes:
    -1 a zone exists; ``3 * i + 0`` party i's red line binds, ``+ 1`` its approval at home, ``+ 2``
    its value of fighting on (its outside option); -2 no single constraint opens the zone.
    """
    parties = acceptable.shape[0]
    code = np.where(np.all(acceptable, axis=0).any(axis=-1), -1, -2)
    for kind in range(3):
        opened = np.stack([
            (np.all(np.delete(acceptable, i, axis=0), axis=0)
             & (~home[i] & margin_ok[i], ~hard[i] & margin_ok[i], ~hard[i] & ~home[i])[kind]).sum(axis=-1)
            for i in range(parties)])
        widest = np.argmax(opened, axis=0)
        code = np.where((code == -2) & (opened.max(axis=0) > 0), 3 * widest + kind, code)
    return code

"""An armistice first: a ceasefire on some issues now, the others left open, and settlement talks later.

With ``institutions.talks.armistice`` the mediators may propose terms on the armistice's issues only;
every other issue stays at its no-deal term, and since nothing is conceded on an open issue no
party's red line on it counts (:meth:`sim.model.party.Party.red_lines`). While an armistice stands,
settlement talks on the open issues go on (:meth:`Armistice.settle`). The talks own the deal; this
component owns what is particular to an armistice: which issues it leaves open, its candidates, which
runs stand under one, and the settlement round.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .assessment import Assessor, halton
from .story import format_terms

__all__ = ["ARMISTICE_CANDIDATES", "Armistice"]

#: Armistice candidates of the wide set besides the armistice versions of the others (a Halton set).
ARMISTICE_CANDIDATES = 32


class Armistice:
    """The armistice-first structure of a scenario's talks (inactive without one).

    Args:
        spec: The typed ``institutions.talks.armistice`` block, or None.
        issues: Issue ids, in the model's order; status_quo: the no-deal terms, ``(runs, issues)``.
        assessor: The talks' assessor (told which issues an armistice leaves open, and its hazard).
    """

    def __init__(self, spec: Any, issues: list[str], status_quo: np.ndarray, assessor: Assessor):
        runs = status_quo.shape[0]
        self.active = spec is not None
        self.issues = issues
        self.status_quo = status_quo
        self.open_issues = np.array([self.active and i not in spec.spec.issues for i in issues])
        assessor.open_issues = self.open_issues
        assessor.armistice_hazard = spec.hazard_factor if self.active else np.ones(runs)
        self.hazard_factor = assessor.armistice_hazard
        self.spread = halton(ARMISTICE_CANDIDATES, len(issues)) if self.active else None
        self.standing = np.zeros(runs, bool)
        """Runs where an armistice stands (not yet settled, not broken down)."""
        self.kind = np.full(runs, "", dtype=object)
        """The first deal's kind: armistice or settlement (empty without a deal)."""
        self.settlement_round = np.full(runs, np.nan)

    def keep_open(self, terms: np.ndarray, armistice: np.ndarray) -> np.ndarray:
        """Terms ``(runs, ..., issues)`` with the issues an armistice leaves open at their no-deal terms
        where ``armistice`` ``(runs, ...)`` is set."""
        if not self.active:
            return terms
        status_quo = self.status_quo.reshape(self.status_quo.shape[0], *([1] * (terms.ndim - 2)), -1)
        return np.where(armistice[..., None] & self.open_issues, status_quo, terms)

    def flags(self, armistice: np.ndarray) -> np.ndarray | None:
        """What the assessor is told of candidates' kinds: nothing without an armistice."""
        return armistice if self.active else None

    def with_armistices(self, dynamic: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
        """The round's candidates ``(runs, k, issues)``, then each of them as an armistice and a spread of
        armistices of their own; and which are armistices (None without an armistice)."""
        if not self.active:
            return dynamic, None
        runs = dynamic.shape[0]
        armistices = np.concatenate([dynamic, np.broadcast_to(self.spread, (runs, *self.spread.shape))], axis=1)
        armistices = self.keep_open(armistices, np.ones(armistices.shape[:2], bool))
        mask = np.concatenate([np.zeros(dynamic.shape[:2], bool), np.ones(armistices.shape[:2], bool)], axis=1)
        return np.concatenate([dynamic, armistices], axis=1), mask

    def agreed(self, agreed: np.ndarray, first: np.ndarray, armistice: np.ndarray) -> None:
        """Deals agreed now: which stand as armistices, and the kind of a first deal."""
        self.standing = np.where(agreed, armistice, self.standing)
        self.kind[first] = np.where(armistice, "armistice", "settlement")[first]

    def words(self, armistice: bool) -> str:
        """What the story adds to an agreed armistice."""
        left_open = ", ".join(i for i, o in zip(self.issues, self.open_issues, strict=True) if o)
        return f" (an armistice: {left_open} left open)" if armistice else ""

    def settle(self, talks: Any, t: int, active: np.ndarray) -> np.ndarray:
        """Settlement talks under an armistice, in the runs of the mask: returns the runs that settle.

        The armistice's terms stay; the mediators propose terms on the open issues (the talks' Halton
        set, the compromise point and every ideal, with the armistice's issues fixed), and each party
        accepts if the settlement is worth at least the armistice standing plus its hold-out. Both are
        peaceful states, so the answer does not turn on how resolute a party is; the mediators are
        taken to see these values (a simplification), and pick the terms every party accepts with the
        largest capability-weighted Nash product of the gains over the armistice. Ratification applies.
        """
        runs = len(active)
        if not active.any():
            return np.zeros(runs, bool)
        talks.outside_options_now(t, active)
        standing = np.nan_to_num(talks.standing_terms)
        pool = [np.broadcast_to(talks.fixed_candidates, (runs, *talks.fixed_candidates.shape)),
                talks.compromise()[:, None, :], *(h.position[:, None, :] for h in talks.ideals)]
        candidates = np.where(self.open_issues, np.concatenate(pool, axis=1), standing[:, None, :])
        both = np.concatenate([standing[:, None, :], candidates], axis=1)
        flags = np.zeros(both.shape[:2], bool)
        flags[:, 0] = True  # the armistice itself, first
        a = talks.assessor.assess(np.empty((0, len(self.issues))), both, talks.leverage, flags)
        hold_out = np.stack([p.hold_out for p in talks.parties])[:, :, None]
        gain = a.deal_values[:, :, 1:] - a.deal_values[:, :, :1] - hold_out
        every = ((gain >= -1e-12) & ~a.hard[:, :, 1:] & ~a.blocked_at_home[:, :, 1:]).all(axis=0)
        score = np.sum(talks.power[:, :, None] * np.log(np.maximum(gain, 0.0) + 1e-6), axis=0)
        final = a.at(np.argmax(np.where(every, score, -np.inf), axis=1) + 1)
        settled, _ = talks.ratification.vote(t, active & every.any(axis=1), final.candidates, final.withdrawal,
                                               talks.by_force(final))
        if settled.any():
            talks.standing_terms[settled] = final.candidates[settled]
            self.standing[settled] = False
            self.settlement_round[settled & np.isnan(self.settlement_round)] = t
            talks.sink.log(settled, "-", "settlement", lambda i: f"the open issues are settled: "
                           f"{format_terms(self.issues, final.candidates[i])}")
        return settled

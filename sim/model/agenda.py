"""An agenda: the items of the talks taken one at a time, under "nothing is agreed until everything is agreed".

With ``institutions.talks.agenda`` the table works through its items in order. Every round's proposal
is still a whole package (the mediators solve over every issue), but the terms of the items already
closed are held where they were agreed, and an item closes only when every party accepts the package
as it stands: a provisional yes, not a deal. The deal is the package every party accepts while the
last item is on the table, and only it goes to ratification. Issues in no item are open throughout
and close with the last. When the mediators see no completion of the closed items that every party
might sign (their estimated zone is empty with those terms held), the closed items reopen: under
"nothing is agreed until everything is agreed" a provisional yes binds nobody.

The agenda is a fact of a case, known at its start (Korea's agenda of July 1951, Colombia's six points
of the 2012 General Agreement); the rule that takes it item by item is the model's. Without an agenda
this component does nothing and every package is the deal on the table.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .story import format_terms

__all__ = ["NO_COMPLETION", "Agenda"]

#: What the story says when the closed items reopen for want of a completion.
NO_COMPLETION = ("the mediators see no terms on the rest that every party might sign with the items agreed so far "
                 "held: those items are open again")


class Agenda:
    """The items of the talks and, per run, the item on the table and the terms of the items closed.

    Args:
        spec: The typed ``institutions.talks.agenda`` items (empty: no agenda).
        issues: Issue ids, in the model's order.
        runs: The batch's size.
    """

    def __init__(self, spec: tuple[Any, ...], issues: list[str], runs: int):
        self.active = bool(spec)
        self.labels = [item.label for item in spec]
        self.issues = issues
        listed = {i for item in spec for i in item.issues}
        self.items = [np.array([i in item.issues for i in issues]) for item in spec]
        if self.items:
            # Issues in no item are open until the end: they close with the last item.
            self.items[-1] = self.items[-1] | np.array([i not in listed for i in issues])
        self.item = np.zeros(runs, dtype=np.int64)
        """The item on the table in each run (its index in the agenda)."""
        self.closed = np.zeros((runs, len(issues)), bool)
        """The issues of the items closed provisionally, per run."""
        self.closed_terms = np.zeros((runs, len(issues)))
        """Their terms as agreed (meaningful where ``closed``)."""
        self.reopenings = np.zeros(runs, dtype=np.int64)

    def any_closed(self) -> bool:
        """Some run holds terms of a closed item (the candidates must then be held there)."""
        return self.active and bool(self.closed.any())

    def keep_closed(self, terms: np.ndarray) -> np.ndarray:
        """Terms ``(runs, ..., issues)`` with the issues of the closed items at their agreed terms."""
        if not self.any_closed():
            return terms
        shape = (self.closed.shape[0], *([1] * (terms.ndim - 2)), -1)
        return np.where(self.closed.reshape(shape), self.closed_terms.reshape(shape), terms)

    def hold(self, fixed: np.ndarray, dynamic: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The round's candidates, fixed ``(k, issues)`` and per run ``(runs, m, issues)``, with the closed
        items held: the fixed set then joins the per-run ones (its cached utilities no longer apply)."""
        if not self.any_closed():
            return fixed, dynamic
        every = np.concatenate([np.broadcast_to(fixed, (dynamic.shape[0], *fixed.shape)), dynamic], axis=1)
        return fixed[:0], self.keep_closed(every)

    def at_last_item(self) -> np.ndarray:
        """Runs whose table holds the last item (every run without an agenda): a yes there is the deal."""
        return self.item >= len(self.items) - 1

    def close(self, runs: np.ndarray, terms: np.ndarray, sink: Any) -> None:
        """Every party said yes to the package in the runs of the mask, short of the last item: the
        item on the table closes at the package's terms, and the next comes up."""
        if not runs.any():
            return
        label = np.array(self.labels, dtype=object)
        sink.log(runs, "-", "item agreed", lambda i: (
            f"{label[self.item[i]]} agreed provisionally at {self._terms(i, terms[i])}; "
            f"next on the agenda: {label[self.item[i] + 1]}"))
        mask = np.stack(self.items)[self.item] & runs[:, None]
        self.closed_terms = np.where(mask, terms, self.closed_terms)
        self.closed |= mask
        self.item = np.where(runs, self.item + 1, self.item)

    def reopen(self, runs: np.ndarray, sink: Any | None = None, why: str = NO_COMPLETION) -> None:
        """The items closed in the runs of the mask open again, and the first item is back on the table."""
        runs = runs & (self.item > 0) if self.active else runs & False
        if not runs.any():
            return
        if sink is not None:
            sink.log(runs, "-", "agenda reopened", why)
        self.closed = np.where(runs[:, None], False, self.closed)
        self.item = np.where(runs, 0, self.item)
        self.reopenings += runs

    def on_the_table(self, run: int) -> str:
        """The item on the table in one run, for the story."""
        return self.labels[int(self.item[run])] if self.active else ""

    def _terms(self, run: int, terms: np.ndarray) -> str:
        mask = self.items[int(self.item[run])]
        return format_terms([i for i, m in zip(self.issues, mask, strict=True) if m], terms[mask])

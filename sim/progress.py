"""Progress bars for long experiments, as callbacks of the library's ``progress(done, total)`` contract.

A bar shows the runs done, the rate and the time left (tqdm). It draws in a terminal and, through
``tqdm.auto``, as a widget in a Jupyter notebook; it stays silent when stderr is a file or a pipe, so
logs and CI output hold no carriage-return noise.
"""

from __future__ import annotations

import sys
from typing import IO, Any

__all__ = ["ProgressBar", "progress_bar"]


def _in_notebook(cls: type) -> bool:
    # tqdm.auto picks its notebook class only inside a Jupyter kernel that can draw widgets.
    return any(base.__name__ == "tqdm_notebook" for base in cls.__mro__)


class ProgressBar:
    """A ``progress(done, total)`` callback drawing one tqdm bar, opened at the first call."""

    def __init__(self, label: str, *, unit: str = "runs", stream: IO[str] | None = None):
        from tqdm.auto import tqdm

        self.label = label
        self.unit = unit
        self.stream = stream if stream is not None else sys.stderr
        self._tqdm = tqdm
        isatty = getattr(self.stream, "isatty", None)
        self.enabled = _in_notebook(tqdm) or bool(isatty and isatty())
        self._bar: Any = None
        self._finished = False  # a late repeat of the last call must not open a second bar

    def __call__(self, done: int, total: int) -> None:
        """Move the bar to ``done`` of ``total``; close it when the last run is in."""
        if not self.enabled or (self._bar is None and self._finished):
            return
        if self._bar is None:
            self._bar = self._tqdm(total=total, desc=self.label, unit=f" {self.unit}", file=self.stream,
                                   dynamic_ncols=True, leave=True, unit_scale=False)
        self._bar.total = total
        self._bar.update(done - self._bar.n)
        if done >= total:
            self._finished = True
            self.close()

    def close(self) -> None:
        """End the bar (also when an experiment stops early)."""
        if self._bar is not None:
            self._bar.close()
            self._bar = None


def progress_bar(label: str, **kwargs: Any) -> ProgressBar:
    """A progress callback for ``run_many``, ``run_points``, ``sensitivity`` and ``run_to_directory``.

    Examples:
        >>> table = run_many(baseline, runs=1000, progress=progress_bar("baseline"))  # doctest: +SKIP
    """
    return ProgressBar(label, **kwargs)

"""User-facing errors: a problem in a scenario file, located by file, line and key path.

The CLI turns these into one line each and a non-zero exit; anything else is a bug.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = ["EnvironmentFailure", "ExperimentError", "Problem", "ScenarioError", "UnreadSetting", "format_path"]

PathPart = str | int


def format_path(path: Sequence[PathPart]) -> str:
    """Render a key path as the user wrote it: ``actors.russia.red_lines[0].bound``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "(top level)"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a scenario, where it is and what was expected.

    ``unread`` marks a setting that no mechanism reads (a key the model ignores, an actor that supports
    a side it cannot affect, a shock that can never fire): an error when a scenario is loaded strictly
    (the default), a warning with ``strict=False`` (``--no-strict``).
    """

    file: str
    line: int | None
    path: tuple[PathPart, ...]
    message: str
    expected: str = ""
    unread: bool = False

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        text = f"{where}: {format_path(self.path)}: {self.message}"
        if self.expected:
            text += f" (expected {self.expected})"
        return text


class UnreadSetting(UserWarning):
    """A setting no mechanism reads, in a scenario loaded with ``strict=False``; its text is the problem's line."""


class ScenarioError(Exception):
    """A scenario could not be read or is invalid; carries every problem found."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems: list[Problem] = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    @classmethod
    def single(
        cls, file: str, message: str, *, line: int | None = None,
        path: Sequence[PathPart] = (), expected: str = "",
    ) -> ScenarioError:
        """Build an error holding one problem."""
        return cls([Problem(file, line, tuple(path), message, expected)])


class ExperimentError(Exception):
    """An experiment could not run for a reason the user can fix (scheduler, output folder, ...)."""


class EnvironmentFailure(ExperimentError):
    """An experiment could not run because of the machine, not the input: disk, permissions, network, cluster.

    The command line exits with 3 for these (1 for other experiment errors), so scripts can retry them.
    """

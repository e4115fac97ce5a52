"""Uncertain parameters: distributions a scenario may give instead of a number, and drawing them.

Each run draws its own value of every distribution at set-up. A value is keyed by the parameter's
key path, not by the order of drawing, so two scenarios run with the same master seed draw the same
value for a parameter they both declare the same way (common random numbers), however many other
parameters either of them adds.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

__all__ = [
    "Choice", "Distribution", "Normal", "Triangular", "Uniform", "draw",
]


@dataclass(frozen=True)
class Uniform:
    """Every value between ``low`` and ``high`` equally likely."""

    low: float
    high: float
    integer: bool = False

    def quantile(self, u: np.ndarray) -> np.ndarray:
        """Inverse CDF: map uniforms in [0, 1) to values."""
        return self.low + (self.high - self.low) * u

    @property
    def mean(self) -> float:
        """Expected value."""
        return (self.low + self.high) / 2

    @property
    def bounds(self) -> tuple[float, float]:
        """Smallest and largest value that can be drawn."""
        return (self.low, self.high)


@dataclass(frozen=True)
class Normal:
    """Normal with ``mean`` and ``sd``, clipped to the parameter's own range ``[low, high]``."""

    mean: float
    sd: float
    low: float = -math.inf
    high: float = math.inf
    integer: bool = False

    def quantile(self, u: np.ndarray) -> np.ndarray:
        """Inverse CDF, clipped to the parameter's range."""
        from scipy.special import ndtri  # imported here: loading scenarios should not pay for SciPy

        u = np.clip(u, 1e-12, 1 - 1e-12)
        return np.clip(self.mean + self.sd * ndtri(u), self.low, self.high)

    @property
    def bounds(self) -> tuple[float, float]:
        """The parameter range the draws are clipped to."""
        return (self.low, self.high)


@dataclass(frozen=True)
class Triangular:
    """Triangular between ``low`` and ``high`` with its peak at ``mode``."""

    low: float
    mode: float
    high: float
    integer: bool = False

    def quantile(self, u: np.ndarray) -> np.ndarray:
        """Inverse CDF."""
        a, c, b = self.low, self.mode, self.high
        if b == a:
            return np.full_like(u, a, dtype=float)
        split = (c - a) / (b - a)
        left = a + np.sqrt(u * (b - a) * (c - a))
        right = b - np.sqrt((1 - u) * (b - a) * (b - c))
        return np.where(u < split, left, right)

    @property
    def mean(self) -> float:
        """Expected value."""
        return (self.low + self.mode + self.high) / 3

    @property
    def bounds(self) -> tuple[float, float]:
        """Smallest and largest value that can be drawn."""
        return (self.low, self.high)


@dataclass(frozen=True)
class Choice:
    """One of ``values``, each equally likely unless ``weights`` are given."""

    values: tuple[float, ...]
    weights: tuple[float, ...] | None = None
    integer: bool = False

    def quantile(self, u: np.ndarray) -> np.ndarray:
        """Inverse CDF over the listed values."""
        w = np.asarray(self.weights if self.weights else [1.0] * len(self.values), dtype=float)
        cdf = np.cumsum(w / w.sum())
        idx = np.minimum(np.searchsorted(cdf, u, side="right"), len(self.values) - 1)
        return np.asarray(self.values, dtype=float)[idx]

    @property
    def mean(self) -> float:
        """Expected value."""
        w = np.asarray(self.weights if self.weights else [1.0] * len(self.values), dtype=float)
        return float(np.dot(w / w.sum(), self.values))

    @property
    def bounds(self) -> tuple[float, float]:
        """Smallest and largest value that can be drawn."""
        return (min(self.values), max(self.values))


Distribution = Uniform | Normal | Triangular | Choice


def draw(dist: Distribution, u: np.ndarray) -> np.ndarray:
    """Values of ``dist`` at uniforms ``u`` (rounded for a parameter that takes whole numbers)."""
    values = dist.quantile(u)
    return np.round(values) if dist.integer else values

"""Per-run random streams, one per named source, drawn up front.

Run *i* gets everything it will ever draw from generators seeded by its own seed and the name of
the source (``SeedSequence(seed, spawn_key=(crc32(name),))``). A run therefore gives the same
record alone, in any batch, in any process, and two scenarios that both define a source (the
front, a shock with the same id, ...) share its draws: common random numbers for comparisons.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .distributions import stream_key

__all__ = ["draw_streams", "generator", "run_seed"]


def generator(seed: int, source: str) -> np.random.Generator:
    """The generator of one run's named source of randomness."""
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(int(seed), spawn_key=(stream_key(source),))))


def run_seed(master: int, run: int) -> int:
    """Seed of run ``run`` under master seed ``master``: child ``run`` of ``SeedSequence(master).spawn``.

    Computed directly (a child's spawn key is its index), so a million runs need no list of seeds.
    Kept to 63 bits so that it fits a signed 64-bit column.
    """
    child = np.random.SeedSequence(int(master), spawn_key=(int(run),))
    return int(child.generate_state(1, np.uint64)[0] >> np.uint64(1))


def draw_streams(seeds: Sequence[int], source: str,
                 shapes: Sequence[tuple[str, str, tuple[int, ...]]]) -> dict[str, np.ndarray]:
    """Draw, for every run, the listed arrays from that run's stream ``source``, stacked over runs.

    Args:
        seeds: One seed per run.
        source: Name of the source of randomness.
        shapes: ``(name, kind, shape)`` with kind ``"uniform"`` or ``"normal"``, drawn in this order.

    Returns:
        name -> array of shape ``(runs, *shape)``.
    """
    out = {name: np.empty((len(seeds), *shape)) for name, _, shape in shapes}
    for i, seed in enumerate(seeds):
        rng = generator(seed, source)
        for name, kind, shape in shapes:
            out[name][i] = rng.random(shape) if kind == "uniform" else rng.standard_normal(shape)
    return out

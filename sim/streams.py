"""Per-run random streams, one per named array, drawn up front for a whole batch at once.

Every random number a run uses is a pure function of the run's seed, the name of the array it
belongs to (``"talks:accept"``, ``"shock:nuclear_accusation:fire"``, ...) and its position in that
array. A run therefore gives the same record alone, in any batch and on any worker, and two
scenarios that both define an array (the front's noise, a shock with the same id, ...) share its
draws: common random numbers for comparisons. Because each array is its own stream, adding a shock
or changing the number of perturbations does not shift any other array's draws.

Two ways of drawing, chosen by the size of the array (both functions of seed, name and position):

- small arrays (up to ``LARGE`` numbers per run, nearly all of them) come from a counter-based
  generator: the SplitMix64 output function (Steele, Lea and Flood 2014, the generator behind
  Java's ``SplittableRandom``) applied to a per-(run, array) base plus the position times the
  golden-ratio increment, exactly as SplitMix64 steps its state. Being a function of the counter,
  it is evaluated for all runs at once: no generator per run and source;
- large arrays (the perturbations of the last proposal) come from numpy's PCG64, one generator per
  run seeded from the same (seed, array name) key, which is faster per number.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .distributions import stream_key

__all__ = ["LARGE", "draw_streams", "normals", "run_seed", "uniforms"]

#: Arrays with more numbers per run than this are drawn with a generator per run.
LARGE = 256

_MASK = (1 << 64) - 1
_GOLDEN = 0x9E3779B97F4A7C15
_M1 = 0xBF58476D1CE4E5B9
_M2 = 0x94D049BB133111EB


def _mix(z: np.ndarray) -> np.ndarray:
    """The SplitMix64 output function on uint64 arrays (wrapping arithmetic)."""
    z = (z ^ (z >> np.uint64(30))) * np.uint64(_M1)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(_M2)
    return z ^ (z >> np.uint64(31))


def _mix_int(z: int) -> int:
    z &= _MASK
    z = ((z ^ (z >> 30)) * _M1) & _MASK
    z = ((z ^ (z >> 27)) * _M2) & _MASK
    return z ^ (z >> 31)


def uniforms(seeds: Sequence[int] | np.ndarray, name: str, n: int) -> np.ndarray:
    """``n`` uniforms in [0, 1) per run for the named array: shape ``(runs, n)``."""
    key = _mix_int(stream_key(name) * _GOLDEN + _GOLDEN)
    runs = np.asarray(seeds, dtype=np.int64).astype(np.uint64)
    base = _mix(runs ^ np.uint64(key))
    steps = np.arange(1, n + 1, dtype=np.uint64) * np.uint64(_GOLDEN)
    bits = _mix(base[:, None] + steps[None, :]) >> np.uint64(11)
    # 53 random bits, as numpy's own doubles use.
    return bits.astype(np.float64) * (1.0 / (1 << 53))


def normals(seeds: Sequence[int] | np.ndarray, name: str, n: int) -> np.ndarray:
    """``n`` standard normals per run for the named array (Box-Muller): shape ``(runs, n)``."""
    radius = np.sqrt(-2.0 * np.log1p(-uniforms(seeds, name + "#radius", n)))
    return radius * np.cos(2.0 * np.pi * uniforms(seeds, name + "#angle", n))


def run_seed(master: int, run: int) -> int:
    """Seed of run ``run`` under master seed ``master``: child ``run`` of ``SeedSequence(master).spawn``.

    Computed directly (a child's spawn key is its index), so a million runs need no list of seeds.
    Kept to 63 bits so that it fits a signed 64-bit column.
    """
    child = np.random.SeedSequence(int(master), spawn_key=(int(run),))
    return int(child.generate_state(1, np.uint64)[0] >> np.uint64(1))


def draw_streams(seeds: Sequence[int], source: str,
                 shapes: Sequence[tuple[str, str, tuple[int, ...]]]) -> dict[str, np.ndarray]:
    """Draw, for every run, the listed arrays of the named source, stacked over runs.

    Args:
        seeds: One seed per run.
        source: Name of the source of randomness (``"talks"``, ``"shock:<id>"``, ...).
        shapes: ``(name, kind, shape)`` with kind ``"uniform"`` or ``"normal"``; each array is its own
            stream, named ``source:name``.

    Returns:
        name -> array of shape ``(runs, *shape)``.
    """
    out = {}
    for name, kind, shape in shapes:
        n = int(np.prod(shape, dtype=np.int64))
        if n > LARGE:
            out[name] = _per_run_generator(seeds, f"{source}:{name}", kind, n).reshape(len(seeds), *shape)
        else:
            draw = uniforms if kind == "uniform" else normals
            out[name] = draw(seeds, f"{source}:{name}", n).reshape(len(seeds), *shape)
    return out


def _per_run_generator(seeds: Sequence[int], name: str, kind: str, n: int) -> np.ndarray:
    key = stream_key(name)
    out = np.empty((len(seeds), n))
    for i, seed in enumerate(seeds):
        rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence(int(seed) & _MASK, spawn_key=(key,))))
        out[i] = rng.random(n) if kind == "uniform" else rng.standard_normal(n)
    return out

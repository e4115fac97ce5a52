"""Per-run random streams, named by meaning: arena, actor and purpose (``"talks:accept:ukraine"``).

Every random number a run uses is a pure function of three things: the run's seed, the name of
its stream, and its place in that stream (the round, and for a stream with several draws a round,
the draw's number within the round). So

- a run gives the same record alone, in any batch and on any worker;
- two scenarios that both have a stream (the front's noise, a shock or a party with the same id)
  share its draws: common random numbers for comparisons;
- adding an actor, a measure or a shock adds streams and shifts no other; a longer horizon only
  adds draws at the end of each stream; more perturbations only add draws within their own stream.

One generator for everything, whatever the size: the SplitMix64 output function (Steele, Lea and
Flood 2014, the generator behind Java's ``SplittableRandom``) applied to a per-(run, stream) base
plus the place times the golden-ratio increment, exactly as SplitMix64 steps its state. Being a
function of the place, it is evaluated for all runs and places at once with numpy. Normals are the
inverse normal distribution function (``scipy.special.ndtri``) of one uniform each.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence

import numpy as np

__all__ = ["PER_ROUND", "RunStreams", "draw_once", "normals", "run_seed", "stream_key", "uniforms"]

#: Places reserved per round in a stream with several draws a round (perturbations: at most 512).
PER_ROUND = 1 << 16

_MASK = (1 << 64) - 1
_GOLDEN = 0x9E3779B97F4A7C15
_M1 = 0xBF58476D1CE4E5B9
_M2 = 0x94D049BB133111EB


def stream_key(name: str) -> int:
    """A stable 32-bit key for a named stream (the same in every process and version)."""
    return zlib.crc32(name.encode("utf-8"))


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


def _bits(seeds: Sequence[int] | np.ndarray, name: str, places: np.ndarray) -> np.ndarray:
    """53 random bits per run and place, shape ``(runs, *places.shape)``."""
    key = _mix_int(stream_key(name) * _GOLDEN + _GOLDEN)
    runs = np.asarray(seeds, dtype=np.int64).astype(np.uint64)
    base = _mix(runs ^ np.uint64(key)).reshape((-1,) + (1,) * places.ndim)
    steps = (places.astype(np.uint64) + np.uint64(1)) * np.uint64(_GOLDEN)
    return _mix(base + steps[None, ...]) >> np.uint64(11)


def uniforms_at(seeds: Sequence[int] | np.ndarray, name: str, places: np.ndarray) -> np.ndarray:
    """Uniforms in [0, 1) of the named stream at the given places: shape ``(runs, *places.shape)``."""
    return _bits(seeds, name, places).astype(np.float64) * (1.0 / (1 << 53))


def normals_at(seeds: Sequence[int] | np.ndarray, name: str, places: np.ndarray) -> np.ndarray:
    """Standard normals of the named stream at the given places (one uniform each, never 0 or 1)."""
    from scipy.special import ndtri

    centred = (_bits(seeds, name, places).astype(np.float64) + 0.5) * (1.0 / (1 << 53))
    return ndtri(centred)


def uniforms(seeds: Sequence[int] | np.ndarray, name: str, n: int) -> np.ndarray:
    """The first ``n`` uniforms of the named stream per run: shape ``(runs, n)``."""
    return uniforms_at(seeds, name, np.arange(n))


def normals(seeds: Sequence[int] | np.ndarray, name: str, n: int) -> np.ndarray:
    """The first ``n`` standard normals of the named stream per run: shape ``(runs, n)``."""
    return normals_at(seeds, name, np.arange(n))


def draw_once(seeds: Sequence[int] | np.ndarray, name: str) -> np.ndarray:
    """The first uniform of the named stream per run, ``(runs,)``: for a draw made once."""
    return uniforms_at(seeds, name, np.zeros(1, dtype=np.int64))[:, 0]


def run_seed(master: int, run: int) -> int:
    """Seed of run ``run`` under master seed ``master``: child ``run`` of ``SeedSequence(master).spawn``.

    Computed directly (a child's spawn key is its index), so a million runs need no list of seeds.
    Kept to 63 bits so that it fits a signed 64-bit column.
    """
    child = np.random.SeedSequence(int(master), spawn_key=(int(run),))
    return int(child.generate_state(1, np.uint64)[0] >> np.uint64(1))


class RunStreams:
    """The streams of a batch of runs: each arena asks for its own by name.

    Args:
        seeds: One seed per run.
        rounds: Rounds every run's per-round streams cover (the longest horizon the scenario allows).
    """

    def __init__(self, seeds: Sequence[int], rounds: int):
        self.seeds = np.asarray(seeds, dtype=np.int64)
        self.rounds = rounds
        self.requests: list[tuple[str, str, int | None]] = []
        """Every stream asked for: (name, ``"uniform"``/``"normal"``/``"once"``, draws per round)."""

    def _places(self, per_round: int | None) -> np.ndarray:
        rounds = np.arange(self.rounds)
        if per_round is None:
            return rounds
        if per_round > PER_ROUND:
            raise ValueError(f"at most {PER_ROUND} draws per round in one stream")
        return rounds[:, None] * PER_ROUND + np.arange(per_round)[None, :]

    def uniform(self, name: str, per_round: int | None = None) -> np.ndarray:
        """One uniform per round, ``(runs, rounds)``, or ``per_round`` of them, ``(runs, rounds, per_round)``."""
        self.requests.append((name, "uniform", per_round))
        return uniforms_at(self.seeds, name, self._places(per_round))

    def normal(self, name: str, per_round: int | None = None) -> np.ndarray:
        """As :meth:`uniform`, standard normals."""
        self.requests.append((name, "normal", per_round))
        return normals_at(self.seeds, name, self._places(per_round))

    def declare(self, name: str, kind: str, per_round: int | None) -> None:
        """Note a stream that will be drawn round by round (so that :attr:`requests` lists it from the start)."""
        if (name, kind, per_round) not in self.requests:
            self.requests.append((name, kind, per_round))

    def normal_in_round(self, name: str, t: int, per_round: int) -> np.ndarray:
        """The ``per_round`` normals of round ``t`` of a stream, ``(runs, per_round)``: the same numbers as
        ``normal(name, per_round)[:, t]``, drawn when the round comes (large streams need not be held).
        Declare the stream first (:meth:`declare`) so that :attr:`requests` lists it."""
        return normals_at(self.seeds, name, t * PER_ROUND + np.arange(per_round))

    def once(self, name: str) -> np.ndarray:
        """A single uniform per run, ``(runs,)``: for a draw made once (a mandate, an election)."""
        self.requests.append((name, "once", None))
        return draw_once(self.seeds, name)

    def uniform_by(self, name: str, ids: Sequence[str], *, per_round: bool = True) -> np.ndarray:
        """One stream per id (``name:id``), stacked on a last axis: ``(runs, rounds, ids)`` or, drawn once,
        ``(runs, ids)``. Adding an id adds a stream and shifts no other."""
        draws = [self.uniform(f"{name}:{i}") if per_round else self.once(f"{name}:{i}") for i in ids]
        if draws:
            return np.stack(draws, axis=-1)
        return np.zeros((len(self.seeds), self.rounds, 0) if per_round else (len(self.seeds), 0))

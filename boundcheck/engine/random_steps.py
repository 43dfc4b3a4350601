"""The steps of the ``random`` iterate: tau_k uniform in {0, ..., T_k - 1} for each checkpoint T_k,
drawn once per run from the run's own random-iterate stream, seeded by (seed XOR RANDOM_ITERATE_KEY,
run index) with rng.py's splitmix64 and xoshiro256+, so the noise draws are unchanged:

    tau_k = min(floor(U_k T_k), T_k - 1),   U_k = (w_k >> 11) 2^-53,  w_k the stream's k-th word.

``random_steps`` computes them for a slice of runs at once, in numpy (vectorised over the runs,
the same uint64 arithmetic as rng.py, bit for bit), together with each run's checkpoint order
sorted by tau (the kernel records the random iterates in the order of their steps). The kernel
receives both as arrays: it no longer compiles a sampler and a sort of its own for them (measured:
about 0.5 s of a 4 s cold compile). The reference engine draws them one run at a time with rng.py
(``one_run``); tests/test_engine_compile.py checks that the two agree.
"""
from __future__ import annotations

import numpy as np

RANDOM_ITERATE_KEY = 0x2545F4914F6CDD1D  # the random iterate's stream: seed XOR this, run index

_U = np.uint64


def _splitmix64(z: np.ndarray) -> np.ndarray:
    z = z + _U(0x9E3779B97F4A7C15)
    z = (z ^ (z >> _U(30))) * _U(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> _U(27))) * _U(0x94D049BB133111EB)
    return z ^ (z >> _U(31))


def _states(seed: int, runs: np.ndarray) -> list[np.ndarray]:
    """rng.seed_state(seed, r) for every r in runs: the four words, each a uint64[len(runs)]."""
    z = _splitmix64(_U(seed) ^ _splitmix64(runs.astype(np.uint64) + _U(0x632BE59BD9B4E019)))
    s = []
    for k in range(4):
        z = _splitmix64(z + _U(k))
        s.append(z)
    zero = (s[0] == 0) & (s[1] == 0) & (s[2] == 0) & (s[3] == 0)
    s[0] = np.where(zero, _U(1), s[0])
    return s


def _next(s: list[np.ndarray]) -> np.ndarray:
    """rng.next_u64 on every run's state at once (xoshiro256+)."""
    result = s[0] + s[3]
    t = s[1] << _U(17)
    s[2] ^= s[0]
    s[3] ^= s[1]
    s[1] ^= s[2]
    s[0] ^= s[3]
    s[2] ^= t
    s[3] = (s[3] << _U(45)) | (s[3] >> _U(19))
    return result


def random_steps(seed: int, r0: int, n: int, ckpts) -> tuple[np.ndarray, np.ndarray]:
    """(taus, order), both int64[n, len(ckpts)], for runs r0 .. r0 + n - 1: taus[i, k] is run
    r0 + i's step for checkpoint ckpts[k]; taus[i, order[i]] is nondecreasing."""
    T = np.asarray(ckpts, dtype=np.int64)
    taus = np.empty((n, T.shape[0]), dtype=np.int64)
    with np.errstate(over="ignore"):  # uint64 arithmetic wraps, as in rng.py
        s = _states(seed ^ RANDOM_ITERATE_KEY, np.arange(r0, r0 + n, dtype=np.int64))
        for k in range(T.shape[0]):
            u = (_next(s) >> _U(11)).astype(np.float64) * (1.0 / 9007199254740992.0)
            taus[:, k] = np.minimum((u * float(T[k])).astype(np.int64), T[k] - 1)
    return taus, np.argsort(taus, axis=1, kind="stable")


def one_run(seed: int, r: int, ckpts) -> list[int]:
    """The same steps for one run, drawn with rng.py (the reference engine's way)."""
    from ..rng import seed_state, uniform

    st = np.empty(4, dtype=np.uint64)
    seed_state(seed ^ RANDOM_ITERATE_KEY, r, st)
    return [min(int(uniform(st) * T), int(T) - 1) for T in ckpts]


__all__ = ["RANDOM_ITERATE_KEY", "random_steps", "one_run"]

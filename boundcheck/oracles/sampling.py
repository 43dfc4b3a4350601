"""Index sampling for finite-sum oracles (the rules of boundcheck/oracles/__init__.py).

``next_index(st, perm, t, order)`` returns the component index of oracle step t (0-based) of one
run, from the run's index stream ``st`` (4 x uint64, seeded by ``seed_index_stream``) and its
permutation buffer ``perm`` (int64[n], holding 0..n-1 before the first call):

* order 0, with replacement: i_t = floor(U_t n), U_t uniform on [0, 1) with 53 random bits;
* order 1, reshuffle: at t = k n (start of epoch k) perm is shuffled in place; i_t = perm[t mod n];
* order 2, shuffle once: perm is shuffled at t = 0 only; i_t = perm[t mod n];
* order 3, incremental: i_t = t mod n (no draw).

Shuffling is Fisher-Yates (Durstenfeld): for j = n-1 .. 1, swap perm[j] with perm[floor(U (j+1))].
With 53-bit uniforms each permutation has probability 1/n! up to a relative error below n 2^-53.
The permutation is applied to the buffer's current content, which is itself a permutation, so the
result is uniform whatever the previous epoch's order was.

Steps must be asked for in order t = 0, 1, 2, ... (the engines do). Plain Python (the reference
engine) gets the same indices: the arithmetic is rng.py's explicit uint64 arithmetic.
"""
from __future__ import annotations

import numpy as np
from numba import njit

from ..rng import seed_state, uniform

INDEX_KEY = 0x5851F42D4C957F2D  # the index stream: seed XOR this, run index


@njit
def seed_index_stream(seed, run, st):
    """st <- the run's index stream (independent of its noise stream, seeded by (seed, run))."""
    seed_state(seed ^ INDEX_KEY, run, st)


@njit
def _below(st, m):
    """floor(U m) for U uniform on [0, 1): an integer in {0..m-1}."""
    j = int(uniform(st) * m)
    return j if j < m else m - 1


@njit
def shuffle(st, perm):
    """Fisher-Yates shuffle of perm in place."""
    for j in range(perm.shape[0] - 1, 0, -1):
        k = _below(st, j + 1)
        tmp = perm[j]
        perm[j] = perm[k]
        perm[k] = tmp


@njit
def next_index(st, perm, t, order):
    """The component index of step t under rule ``order`` (see the module docstring)."""
    n = perm.shape[0]
    if order == 0:
        return _below(st, n)
    j = t % n
    if order == 3:
        return j
    if j == 0 and (order == 1 or t == 0):
        shuffle(st, perm)
    return perm[j]


def identity(n: int) -> np.ndarray:
    """A fresh permutation buffer 0..n-1."""
    return np.arange(int(n), dtype=np.int64)


__all__ = ["INDEX_KEY", "seed_index_stream", "shuffle", "next_index", "identity"]

"""The ziggurat Exp(1) and N(0, 1) variates (noise/ziggurat.py): the tables are a ziggurat (equal
areas, the top layer ends at f(0) = 1), the draws follow the laws (KS at level 1e-3 on 2e5 draws,
and the rare paths: the tail beyond r and the wedges, each at its exact probability), and the
plain-Python path gives the kernel's bits."""
from __future__ import annotations

import math

import numpy as np
import pytest
from numba import njit, uint64
from scipy import stats

from boundcheck.noise import ziggurat as z
from boundcheck.rng import next_u64, seed_state

LEVEL = 1e-3
N = 200_000

EXP = (lambda x: math.exp(-x), lambda r: math.exp(-r), z._EXP_R, z._EXP_W, z._EXP_F)
NOR = (lambda x: math.exp(-0.5 * x * x), lambda r: math.sqrt(math.pi / 2) * math.erfc(r / math.sqrt(2)),
       z._NOR_R, z._NOR_W, z._NOR_F)


@pytest.mark.parametrize("f,tail,r,w,fx", [EXP, NOR], ids=["exp", "normal"])
def test_tables_are_a_ziggurat(f, tail, r, w, fx):
    x = w / 2.0 ** -55
    v = r * f(r) + tail(r)
    assert x[1] == r and x[0] == pytest.approx(v / f(r), rel=1e-15)
    assert fx.size == x.size + 1 and fx[-1] == 1.0  # x_N = 0: the top layer ends at f(0) = 1
    areas = x[1:] * (fx[2:] - fx[1:-1])  # layer k >= 1: x_k (f(x_{k+1}) - f(x_k))
    np.testing.assert_allclose(areas, v, rtol=1e-9)
    assert np.all(np.diff(x) < 0)  # strictly narrower layers upwards


@njit
def _draws(seed, n, which):
    s = np.empty(4, dtype=np.uint64)
    seed_state(seed, 0, s)
    out = np.empty(n)
    for i in range(n):
        out[i] = z.exponential(s) if which == 0 else z.normal(s)
    return out


def test_exponential_law():
    x = _draws(1, N, 0)
    assert x.min() > 0
    assert stats.kstest(x, "expon").pvalue >= LEVEL
    # the tail beyond r (probability e^{-r} = 4.5e-4 here): a two-sided binomial test, and the
    # tail itself is r + Exp(1)
    k = int((x > z._EXP_R).sum())
    assert stats.binomtest(k, N, math.exp(-z._EXP_R)).pvalue >= LEVEL
    big = _draws(2, 4_000_000, 0)
    t = big[big > z._EXP_R] - z._EXP_R
    assert t.size > 1000 and stats.kstest(t, "expon").pvalue >= LEVEL


def test_normal_law():
    x = _draws(3, N, 1)
    assert stats.kstest(x, "norm").pvalue >= LEVEL
    assert stats.binomtest(int((x > 0).sum()), N, 0.5).pvalue >= LEVEL
    big = np.abs(_draws(4, 4_000_000, 1))
    k = int((big > z._NOR_R).sum())
    p_tail = 2 * stats.norm.sf(z._NOR_R)
    assert stats.binomtest(k, big.size, p_tail).pvalue >= LEVEL
    t = big[big > z._NOR_R]  # the tail beyond r is the normal's, conditioned
    cond = lambda y: 1 - stats.norm.sf(y) / stats.norm.sf(z._NOR_R)
    assert stats.kstest(t, cond).pvalue >= LEVEL


@pytest.mark.parametrize("lo,hi", [(0.0, 0.05), (1.5, 1.6), (5.0, 6.0)])
def test_exponential_mass_of_wedge_regions(lo, hi):
    """Probability of small intervals at the base, in the middle (wedges of the middle layers)
    and near the tail: binomial tests against e^{-lo} - e^{-hi}."""
    x = _draws(5, 2_000_000, 0)
    k = int(((x >= lo) & (x < hi)).sum())
    assert stats.binomtest(k, x.size, math.exp(-lo) - math.exp(-hi)).pvalue >= LEVEL


def test_fast_path_uses_one_word():
    """About 98% of exponential draws read a single 64-bit word (3.6% more words than draws)."""
    s, t = np.empty(4, np.uint64), np.empty(4, np.uint64)
    seed_state(6, 0, s)
    n = 20000
    for _ in range(n):
        z.exponential(s)
    seed_state(6, 0, t)
    words = 0
    while not np.array_equal(s, t):
        next_u64(t)
        words += 1
    assert n <= words < 1.05 * n  # fast path 97.8%: a wedge or the tail reads one or two more


def test_plain_python_gives_the_kernel_bits():
    s1, s2 = np.empty(4, np.uint64), np.empty(4, np.uint64)
    seed_state(7, 3, s1)
    seed_state(7, 3, s2)
    for _ in range(3000):
        r1, r2 = next_u64(s1), next_u64(s2)
        assert z.exponential_word(s1, uint64(r1)) == z.exponential_word.py_func(s2, np.uint64(r2))
        r1, r2 = next_u64(s1), next_u64(s2)
        assert z.normal_word(s1, uint64(r1)) == z.normal_word.py_func(s2, np.uint64(r2))
    assert np.array_equal(s1, s2)

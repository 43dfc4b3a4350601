"""Exact Exp(1) and N(0, 1) variates by the ziggurat method (Marsaglia and Tsang 2000).

The density f (f(x) = e^{-x} for the exponential, e^{-x^2/2} for the half-normal, both with
f(0) = 1) is covered by N = 256 layers of equal area v: layer 0 is the base, [0, x_1] x [0, f(x_1)]
plus the tail beyond x_1 = r, drawn as a rectangle of width x_0 = v/f(r); layer k >= 1 is
[0, x_k] x [f(x_k), f(x_{k+1})] with x_{k+1} = f^{-1}(f(x_k) + v/x_k), and r is the root that makes
the top layer end at f(x_N) = 1 (x_N = 0). A draw picks a layer k and a point x = u x_k (u uniform):

* x < x_{k+1}: the point lies under f whatever its height, accept x (about 99% of draws);
* k = 0 and x >= r: a draw from the tail beyond r (exponential: r + Exp(1), by memorylessness;
  normal: Marsaglia's tail method, r + a with a = -log(u1)/r accepted when -2 log(u2) > a^2);
* otherwise the wedge: a height y uniform in [f(x_k), f(x_{k+1})], accept x when y < f(x), else
  start again with a new word.

Every accepted point is uniform under the graph of f restricted to the chosen region, and each
layer has probability 1/N = its share of the area, so the law is exact (up to the 2^-55 grid of u).

One 64-bit word per fast-path draw: bits 0-7 pick the layer, bit 8 is a free random sign (used by
symmetric samplers: the normal here and noise/pareto.py), bits 9-63 give u = ((word >> 9) + 1/2) 2^-55
in (0, 1), so x = u x_k is never 0 (the tail samplers divide by Exp(1) variates).
The slow paths read further words from the same stream, so a sequence of draws depends only on the
stream, never on how many are drawn per call (the engine's block draws rely on this).

The tables are computed here at import (bisection on r, about 2 ms), not copied.
"""
from __future__ import annotations

import math

import numpy as np
from numba import int64, njit, uint64

from ..rng import borrowed, next_u64, uniform_open

N_LAYERS = 256
_U_SCALE = 2.0 ** -55  # u = ((word >> 9) + 1/2) 2^-55 in (0, 1)


def _layers(f, finv, tail_area, r):
    """(x_0..x_N, v) for the root guess r: x_0 = v/f(r), x_1 = r, x_{k+1} = finv(f(x_k) + v/x_k)."""
    v = r * f(r) + tail_area(r)
    x = [v / f(r), r]
    for _ in range(N_LAYERS - 2):  # x_2 .. x_{N-1}
        y = f(x[-1]) + v / x[-1]
        if y >= 1.0:
            return x, v, y - 1.0  # the layers reach f = 1 too early: r too small
        x.append(finv(y))
    return x, v, f(x[-1]) + v / x[-1] - 1.0  # the top layer [0, x_{N-1}] x [f(x_{N-1}), 1] has area v iff 0


def _solve(f, finv, tail_area, lo, hi):
    """r where the N layers end exactly at f = 1: the excess decreases in r, so keep a bracket
    [lo, hi] (excess > 0 at lo, <= 0 at hi) and shrink it by regula falsi with the Illinois
    halving (a dozen layer sweeps instead of bisection's fifty: this runs at import)."""
    elo = _layers(f, finv, tail_area, lo)[2]
    ehi = _layers(f, finv, tail_area, hi)[2]
    side = 0
    for _ in range(200):
        m = (lo * ehi - hi * elo) / (ehi - elo)
        if not lo < m < hi:
            m = 0.5 * (lo + hi)
            if m in (lo, hi):
                break
        em = _layers(f, finv, tail_area, m)[2]
        if em > 0:
            lo, elo = m, em
            if side > 0:
                ehi *= 0.5
            side = 1
        else:
            hi, ehi = m, em
            if side < 0:
                elo *= 0.5
            side = -1
        if hi - lo <= 4e-16 * hi:
            break
    x, v, _ = _layers(f, finv, tail_area, hi)
    x = x + [0.0] * (N_LAYERS + 1 - len(x))
    x[N_LAYERS] = 0.0
    return hi, v, np.array(x)


def _tables(f, finv, tail_area, lo, hi):
    """(r, w, k, fx): w_k = x_k 2^-55 (x = ui w_k), k_k = floor(2^55 x_{k+1}/x_k) (accept when
    ui < k_k), fx_k = f(x_k) (fx_0 = 0 is unused: the base has no wedge above the tail)."""
    r, v, x = _solve(f, finv, tail_area, lo, hi)
    w = x[:N_LAYERS] * _U_SCALE
    k = np.array([int(math.floor(x[i + 1] / x[i] * 2.0 ** 55)) for i in range(N_LAYERS)], dtype=np.uint64)
    fx = np.array([f(xi) for xi in x])
    fx[0] = 0.0
    return r, w, k, fx


_EXP_R, _EXP_W, _EXP_K, _EXP_F = _tables(lambda x: math.exp(-x), lambda y: -math.log(y),
                                         lambda r: math.exp(-r), 5.0, 10.0)
_NOR_R, _NOR_W, _NOR_K, _NOR_F = _tables(
    lambda x: math.exp(-0.5 * x * x), lambda y: math.sqrt(-2.0 * math.log(y)),
    lambda r: math.sqrt(math.pi / 2) * math.erfc(r / math.sqrt(2)), 2.5, 5.0)
_NOR_INV_R = 1.0 / _NOR_R


@njit
def _exp_slow(s, j0, ui):
    """The rare path of a standard exponential whose first word gave layer j and grid point ui
    (not accepted by the fast test): tail or wedge, then a fresh draw if the wedge rejects."""
    j = int64(j0)  # one integer type for the layer (a Python caller passes int64)
    ui = uint64(ui)
    tail = 0.0
    while True:
        x = (float(ui) + 0.5) * _EXP_W[j]
        if j == 0:  # beyond r: r + Exp(1)
            tail += _EXP_R
        else:
            y = _EXP_F[j] + uniform_open(s) * (_EXP_F[j + 1] - _EXP_F[j])
            if y < math.exp(-x):
                return tail + x
        r = next_u64(s)
        j = int64(r & uint64(0xFF))
        ui = r >> uint64(9)
        if ui < _EXP_K[j]:
            return tail + (float(ui) + 0.5) * _EXP_W[j]


@njit
def exponential_word(s, r):
    """Exp(1) from the word r already drawn from stream s (bit 8 of r is left to the caller)."""
    r = uint64(r)  # a Python int from plain-Python callers would type as int64
    j = int(r & uint64(0xFF))
    ui = r >> uint64(9)
    if ui < _EXP_K[j]:
        return (float(ui) + 0.5) * _EXP_W[j]
    return _exp_slow(s, j, ui)


@njit
def exponential(s):
    """E ~ Exp(1) from stream s."""
    return exponential_word(s, uint64(next_u64(s)))


@njit
def _normal_slow(s, j0, ui):
    """The rare path of |Z| (first word: layer j, grid point ui): tail beyond r or wedge."""
    j = int64(j0)  # one integer type for the layer (a Python caller passes int64)
    ui = uint64(ui)
    while True:
        if j == 0:  # beyond r (Marsaglia 1964): a = Exp(1)/r, accept when Exp(1) > a^2/2
            while True:
                a = -math.log(uniform_open(s)) * _NOR_INV_R
                b = -math.log(uniform_open(s))
                if b + b > a * a:
                    return _NOR_R + a
        x = (float(ui) + 0.5) * _NOR_W[j]
        y = _NOR_F[j] + uniform_open(s) * (_NOR_F[j + 1] - _NOR_F[j])
        if y < math.exp(-0.5 * x * x):
            return x
        r = next_u64(s)
        j = int64(r & uint64(0xFF))
        ui = r >> uint64(9)
        if ui < _NOR_K[j]:
            return (float(ui) + 0.5) * _NOR_W[j]


@njit
def normal_word(s, r):
    """Z ~ N(0, 1) from the word r already drawn from stream s: |Z| by the ziggurat, the sign
    from bit 8 of the first word."""
    r = uint64(r)  # a Python int from plain-Python callers would type as int64
    j = int(r & uint64(0xFF))
    ui = r >> uint64(9)
    sg = 1.0 - 2.0 * float((r >> uint64(8)) & uint64(1))
    if ui < _NOR_K[j]:
        return sg * ((float(ui) + 0.5) * _NOR_W[j])
    return sg * _normal_slow(s, j, ui)


@njit
def normal(s):
    """Z ~ N(0, 1) from stream s."""
    return normal_word(s, uint64(next_u64(s)))


@njit
def fill_normal(s, out, scale):
    """out[i] = scale * N(0, 1), i.i.d., in order (one word each on the fast path)."""
    s = borrowed(s)
    for i in range(out.shape[0]):
        out[i] = scale * normal_word(s, uint64(next_u64(s)))

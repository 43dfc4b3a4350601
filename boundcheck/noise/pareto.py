"""pareto (beta, scale): symmetric Pareto / Lomax noise, i.i.d. coordinates.

    xi_i = s * sign_i * (U_i^{-1/beta} - 1),   U_i ~ Uniform(0, 1),  sign_i = +-1 w.p. 1/2

so |xi_i|/s ~ Lomax(beta): P(|xi_i| > t) = (1 + t/s)^{-beta}, tail index ``beta`` (E|xi_i|^q < inf
iff q < beta). ``scale`` = s is the PER-COORDINATE scale (not divided by sqrt(d), unlike gaussian's
sigma). What it bounds: the weak-L^beta size of each coordinate, P(|xi_i| > t) <= (s/t)^beta, and
every moment below beta, E|xi_i|^q = s^q Gamma(q+1) Gamma(beta-q)/Gamma(beta) (E|xi_i| = s/(beta-1)).
The norm moments E||xi||^q that theorems assume are certified by ``moment_bound``.

Sampler: exact, via U^{-1/beta} = e^{E/beta} with E = -log U ~ Exp(1): E by the ziggurat
(noise/ziggurat.py: one 64-bit word and no log for about 99% of draws), the sign from a spare bit
of the same word. Two passes over ``out``: the draws in order (signed E), then the transform, a
call-free loop (rng.exp_nonneg, < 1 ulp) that LLVM vectorises. Each coordinate's value depends only
on its own words of the stream, never on its position or on ``out``'s length, so one call on K d
coordinates gives exactly the draws of K calls on d (the engine's block draws).
To meet "bounded
alpha-th moment" for a nominal alpha use beta >= alpha + 0.1 (docs/pitfalls.md#stable-is-not-bounded-moment; the ``--noise alpha=A``
shorthand does exactly this, see noise/shorthand.py).
"""
from __future__ import annotations

import functools
import math

import numpy as np
from numba import njit, uint64

from ..functions.base import Certified
from ..params import Interval, Param
from ..rng import borrowed, exp_nonneg, next_u64
from .base import INF, NoiseModel, _stats, iid_norm_moment
from .ziggurat import exponential_word


@njit(error_model="numpy")
def sample(s, theta, g, out):
    """out_i = scale sign_i (e^{E_i/beta} - 1), E_i ~ Exp(1) i.i.d., sign_i fair and independent."""
    scale = theta[0]
    ib = -theta[1]  # 1/beta
    n = out.shape[0]
    s = borrowed(s)
    for i in range(n):  # the draws, in stream order: signed E
        r = uint64(next_u64(s))
        out[i] = exponential_word(s, r) * (1.0 - 2.0 * float((r >> uint64(8)) & uint64(1)))
    for i in range(n):  # the transform: no calls, no branches (vectorised)
        w = out[i]
        out[i] = math.copysign(scale, w) * (exp_nonneg(ib * abs(w)) - 1.0)


def abs_moment(beta: float, q: float) -> float:
    """E|X|^q for X ~ Lomax(beta) with unit scale: Gamma(q+1) Gamma(beta-q)/Gamma(beta), q < beta."""
    if q >= beta:
        return INF
    return math.exp(math.lgamma(q + 1) + math.lgamma(beta - q) - math.lgamma(beta))


def _moment(p, d, q):
    b, sc = p["beta"], p["scale"]
    if q >= b:
        return Certified(INF, f"E|xi_i|^q = inf for q = {q:g} >= beta = {b:g} (tail index beta)")
    return iid_norm_moment(d, q, sc ** q * abs_moment(b, q),
                           "E|xi_1|^q = s^q Gamma(q+1) Gamma(beta-q)/Gamma(beta) (Lomax)",
                           m2=sc ** 2 * abs_moment(b, 2.0), m2_formula="E xi_1^2 = 2 s^2/((beta-1)(beta-2))")


@functools.lru_cache(maxsize=None)
def sym_lomax():
    """The scipy law (built on first use: scipy.stats costs ~1 s to import)."""
    stats = _stats()

    class _SymLomax(stats.rv_continuous):
        """Symmetric Lomax with unit scale: |X| ~ Lomax(c), sign independent and fair."""

        def _argcheck(self, c):
            return c > 0

        def _pdf(self, x, c):
            return 0.5 * c * (1 + np.abs(x)) ** (-c - 1)

        def _cdf(self, x, c):
            t = 0.5 * (1 + np.abs(x)) ** (-c)
            return np.where(x < 0, t, 1 - t)

        def _sf(self, x, c):
            return self._cdf(-x, c)

        def _ppf(self, q, c):
            lo = (2 * q) ** (-1 / c) - 1
            hi = (2 * (1 - q)) ** (-1 / c) - 1
            return np.where(q < 0.5, -lo, hi)

    return _SymLomax(name="sym_lomax")


PLUGIN = NoiseModel(
    name="pareto",
    summary="symmetric Pareto/Lomax, i.i.d. coordinates, tail index beta",
    definition="xi_i = scale * sign * (U^{-1/beta} - 1), U ~ U(0,1); P(|xi_i| > t) = (1 + t/scale)^{-beta}",
    params=(
        Param("beta", Interval(0, INF, lo_open=True, hi_open=True), 1.6,
              "tail index: E|xi_i|^q < inf iff q < beta"),
        Param("scale", Interval(0, INF, lo_open=True, hi_open=True), 1.0,
              "per-coordinate scale s: P(|xi_i| > t) <= (s/t)^beta, E|xi_i| = s/(beta-1)"),
    ),
    sample=sample,
    pack=lambda p, d: np.array([p["scale"], -1.0 / p["beta"]]),
    symmetric=lambda p: True,
    tail_index=lambda p: p["beta"],
    moment_bound=_moment,
    law=lambda p, d: sym_lomax()(p["beta"], scale=p["scale"]),
    coordinatewise=True,
    references=("tail index above alpha for T07: docs/pitfalls.md#stable-is-not-bounded-moment",),
)

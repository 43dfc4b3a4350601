"""rare-spike (alpha, sigma, p): asymmetric two-point noise along a fixed direction (lower bounds).

    xi = M (B - p) u,   B ~ Bernoulli(p),   M = sigma p^{-1/alpha},   u = (1, ..., 1)/sqrt(d)

With probability p the noise is a large spike +M(1-p) u, otherwise a small push -M p u. Then
E xi = 0, xi is NOT symmetric (unless p = 1/2), and ||xi|| = M |B - p| exactly, so every moment is
finite and dimension-free:

    E||xi||^q = M^q (p (1-p)^q + (1-p) p^q) = sigma^q p^{1-q/alpha} ((1-p)^q + (1-p) p^{q-1}).

At q = alpha this is sigma^alpha ((1-p)^alpha + (1-p) p^{alpha-1}) ~ sigma^alpha, so the nominal
"bounded alpha-th moment" holds with the (exact) sigma_alpha from ``moment_bound``, while the
variance sigma^2 p^{1-2/alpha} (1-p) diverges as p -> 0. Clipping at c << M removes the spike and
biases the mean by about p M = sigma p^{1-1/alpha} (T07 lower bound, T13 clipping
floor, docs/pitfalls.md#symmetric-noise-beats-minimax, docs/pitfalls.md#clipping-bias-needs-asymmetry). Tune p to the horizon (p ~ 1/K).

Design decision: the noise acts ALONG ONE FIXED DIRECTION u, not per coordinate. That is the
lower-bound construction (a one-dimensional spike embedded in R^d), its norm moments do not grow
with d, and the clipping bias is visible in the norm. u = 1/sqrt(d) (rather than e_1) gives every
coordinate the same law, the two-point law ``law(p, d)`` (of (M/sqrt(d))(B - p)), so coordinate-wise
methods (Adam, sign-SGD) see the spike in every coordinate. The coordinates are perfectly
correlated (all equal), not independent. The construction is a simplification of the lower-bound
idea and is not copied from a paper.
"""
from __future__ import annotations

import math

import numpy as np
from numba import njit

from ..functions.base import Certified
from ..params import Interval, Param
from ..rng import uniform
from .base import INF, NoiseModel, _stats


@njit
def sample(s, theta, g, out):
    # theta = (p, spike value (M/sqrt d)(1-p), small value -(M/sqrt d) p)
    x = theta[1] if uniform(s) < theta[0] else theta[2]
    for i in range(out.shape[0]):
        out[i] = x


def _M(p):
    return p["sigma"] * p["p"] ** (-1.0 / p["alpha"])


def _pack(p, d):
    m = _M(p) / math.sqrt(d)
    return np.array([p["p"], m * (1 - p["p"]), -m * p["p"]])


def _moment(p, d, q):
    pr = p["p"]
    v = _M(p) * (pr * (1 - pr) ** q + (1 - pr) * pr ** q) ** (1 / q)
    return Certified(v, "exact: ||xi|| = M |B - p|, E||xi||^q = M^q (p (1-p)^q + (1-p) p^q), "
                        "M = sigma p^{-1/alpha}; independent of d")


def _law(p, d):
    m = _M(p) / math.sqrt(d)
    pr = p["p"]
    return _stats().rv_discrete(name="rare_spike", values=([-m * pr, m * (1 - pr)], [1 - pr, pr]))()


PLUGIN = NoiseModel(
    name="rare-spike",
    summary="asymmetric two-point spike along u = 1/sqrt(d), mean 0, E||xi||^alpha ~ sigma^alpha",
    definition="xi = M (B - p) u, B ~ Bernoulli(p), M = sigma p^{-1/alpha}, u = (1,...,1)/sqrt(d)",
    params=(
        Param("alpha", Interval(1, 2, lo_open=True), 1.5,
              "nominal moment order: E||xi||^alpha = sigma^alpha ((1-p)^alpha + (1-p) p^{alpha-1})"),
        Param("sigma", Interval(0, INF, lo_open=True, hi_open=True), 1.0,
              "moment scale: M = sigma p^{-1/alpha}"),
        Param("p", Interval(0, 1, lo_open=True, hi_open=True), 0.01,
              "spike probability (tune to the horizon, p ~ 1/K)"),
    ),
    sample=sample,
    pack=_pack,
    symmetric=lambda p: p["p"] == 0.5,
    tail_index=lambda p: INF,
    moment_bound=_moment,
    law=_law,
    references=("the lower-bound noise of T07 and T13; docs/pitfalls.md#symmetric-noise-beats-minimax, docs/pitfalls.md#clipping-bias-needs-asymmetry",),
)

"""sphere (sigma): noise uniform on the sphere of radius sigma: bounded support (T19).

    xi = sigma v,   v uniform on the unit sphere of R^d   (v = z/||z||, z ~ N(0, I_d))

So ||xi|| = sigma ALMOST SURELY: every moment is finite, E||xi||^q = sigma^q exactly, and a
stochastic gradient g = grad f(x) + xi is bounded whenever grad f is (||g|| <= ||grad f(x)|| +
sigma). That is the hypothesis of parameter-free methods such as DoG (almost surely bounded
stochastic gradients), which Gaussian noise (unbounded support) does not satisfy. Symmetric, mean 0,
covariance (sigma^2/d) I_d (the same as ``gaussian``'s, so the two are interchangeable in a claim
up to the support).

One coordinate: xi_j/sigma = 2B - 1 with B ~ Beta((d-1)/2, (d-1)/2) for d >= 2 (the marginal of
the uniform law on the sphere), and +-sigma with probability 1/2 each for d = 1.
"""
from __future__ import annotations

import math

import numpy as np
from numba import njit

from ..functions.base import Certified
from ..params import Interval, Param
from ..rng import fill_normal
from .base import INF, NoiseModel, _stats


@njit
def sample(s, theta, g, out):
    fill_normal(s, out, 1.0)
    r = 0.0
    for i in range(out.shape[0]):
        r += out[i] * out[i]
    r = math.sqrt(r)
    if r == 0.0:  # probability 0; keep the draw on the sphere anyway
        out[0], r = 1.0, 1.0
    for i in range(out.shape[0]):
        out[i] = theta[0] * out[i] / r


def _moment(p, d, q):
    return Certified(p["sigma"], "exact: ||xi|| = sigma almost surely, so E||xi||^q = sigma^q for every q")


def _law(p, d):
    st, s = _stats(), p["sigma"]
    if d == 1:
        return st.rv_discrete(name="sphere_1d", values=([-s, s], [0.5, 0.5]))()
    a = (d - 1) / 2
    return st.beta(a, a, loc=-s, scale=2 * s)


PLUGIN = NoiseModel(
    name="sphere",
    summary="uniform on the sphere of radius sigma: ||xi|| = sigma a.s. (bounded support, symmetric)",
    definition="xi = sigma z/||z||, z ~ N(0, I_d)",
    params=(Param("sigma", Interval(0, INF, lo_open=True, hi_open=True), 1.0, "noise radius: ||xi|| = sigma almost surely"),),
    sample=sample,
    pack=lambda p, d: np.array([float(p["sigma"])]),
    symmetric=lambda p: True,
    tail_index=lambda p: INF,
    moment_bound=_moment,
    law=_law,
    references=("bounded stochastic gradients, the hypothesis of DoG (Ivgi, Hinder, Carmon 2023, T19)",),
)

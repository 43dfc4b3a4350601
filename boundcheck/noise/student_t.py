"""student-t (nu, scale): Student-t noise with nu degrees of freedom, i.i.d. coordinates.

    xi_i = s * T_i,   T_i ~ t_nu   (density proportional to (1 + t^2/nu)^{-(nu+1)/2})

Tail index ``nu``: P(|T| > t) ~ c t^{-nu}, so E|xi_i|^q < inf iff q < nu (the catalogue uses
nu = beta for the heavy-tailed checks). ``scale`` = s is the PER-COORDINATE scale (not divided by
sqrt(d), unlike gaussian's sigma). What it bounds: every moment below nu,
E|xi_i|^q = s^q nu^{q/2} Gamma((q+1)/2) Gamma((nu-q)/2) / (sqrt(pi) Gamma(nu/2)); for nu > 2 the
per-coordinate variance is s^2 nu/(nu-2). The norm moments come from ``moment_bound``.

Sampler: Bailey's polar method (R.W. Bailey, "Polar generation of random variates with the
t-distribution", Math. Comp. 62 (1994) 779-781), exact: draw (u, v) uniform in the unit disc by
rejection (acceptance pi/4), w = u^2 + v^2, then T = u sqrt(nu (w^{-2/nu} - 1)/w). Reason: with a
uniform angle, w ~ U(0, 1) and R^2 = nu (w^{-2/nu} - 1) has P(R^2 <= r) = 1 - (1 + r/nu)^{-nu/2},
the law of the squared radius of a bivariate t_nu, whose marginal is t_nu. Cost: about 2.5 uniforms,
one log, one exp, one sqrt per coordinate; no gamma sampler and numba's slow, thread-unsafe
np.random.standard_t is avoided. The log and exp are the call-free ones of rng.py, in a second
pass over the coordinates that LLVM vectorises (expm1 near 0 by its Taylor polynomial, so small
|T| keep their relative accuracy). Only one variate per disc point (u and v share the radius, so the
second would not be independent).
"""
from __future__ import annotations

import math

import numpy as np
from numba import njit

from ..functions.base import Certified
from ..params import Interval, Param
from ..rng import borrowed, exp_nonneg, log_normal, uniform
from .base import INF, NoiseModel, _stats, iid_norm_moment


_TAYLOR_BELOW = 0.01  # expm1(y) by its Taylor polynomial below this (relative error < 1e-21)


@njit(error_model="numpy")
def sample(s, theta, g, out):
    """Two passes: the disc points in stream order (u into ``out``, w into a scratch row), then
    the transform, call-free (rng.log_normal, rng.exp_nonneg: < 1 ulp) so that LLVM vectorises it.
    Each coordinate depends only on its own words, so one call on K d coordinates gives the draws
    of K calls on d (``coordinatewise``: the engine's block draws)."""
    scale = theta[0]
    nu = theta[1]
    m2nu = theta[2]  # -2/nu
    n = out.shape[0]
    s = borrowed(s)
    ws = np.empty(n)
    for i in range(n):
        while True:
            u = 2.0 * uniform(s) - 1.0
            v = 2.0 * uniform(s) - 1.0
            w = u * u + v * v
            if w <= 1.0 and w > 0.0:
                break
        out[i] = u
        ws[i] = w
    for i in range(n):
        w = ws[i]  # in [2^-104, 1]: a normal double
        y = m2nu * log_normal(w)  # >= 0; w^{-2/nu} - 1 = expm1(y)
        em1 = y * (1.0 + y * (0.5 + y * (1.0 / 6 + y * (1.0 / 24 + y * (1.0 / 120 + y * (
            1.0 / 720 + y * (1.0 / 5040 + y * (1.0 / 40320))))))))
        em1 = em1 if y < _TAYLOR_BELOW else exp_nonneg(y) - 1.0
        out[i] = scale * out[i] * np.sqrt(nu * em1 / w)


def abs_moment(nu: float, q: float) -> float:
    """E|T|^q for T ~ t_nu: nu^{q/2} Gamma((q+1)/2) Gamma((nu-q)/2) / (sqrt(pi) Gamma(nu/2)), q < nu."""
    if q >= nu:
        return INF
    return math.exp(0.5 * q * math.log(nu) + math.lgamma((q + 1) / 2) + math.lgamma((nu - q) / 2)
                    - 0.5 * math.log(math.pi) - math.lgamma(nu / 2))


def _moment(p, d, q):
    nu, sc = p["nu"], p["scale"]
    if q >= nu:
        return Certified(INF, f"E|xi_i|^q = inf for q = {q:g} >= nu = {nu:g} (tail index nu)")
    return iid_norm_moment(d, q, sc ** q * abs_moment(nu, q),
                           "E|xi_1|^q = s^q nu^{q/2} Gamma((q+1)/2) Gamma((nu-q)/2)/(sqrt(pi) Gamma(nu/2))",
                           m2=sc ** 2 * nu / (nu - 2) if nu > 2 else INF,
                           m2_formula="E xi_1^2 = s^2 nu/(nu-2)")


PLUGIN = NoiseModel(
    name="student-t",
    summary="Student-t with nu degrees of freedom, i.i.d. coordinates, tail index nu",
    definition="xi_i = scale * T_i, T_i ~ t_nu i.i.d.",
    params=(
        Param("nu", Interval(0, INF, lo_open=True, hi_open=True), 1.6,
              "degrees of freedom = tail index: E|xi_i|^q < inf iff q < nu"),
        Param("scale", Interval(0, INF, lo_open=True, hi_open=True), 1.0,
              "per-coordinate scale s (variance s^2 nu/(nu-2) when nu > 2)"),
    ),
    sample=sample,
    pack=lambda p, d: np.array([p["scale"], p["nu"], -2.0 / p["nu"]]),
    symmetric=lambda p: True,
    tail_index=lambda p: p["nu"],
    moment_bound=_moment,
    law=lambda p, d: _stats().t(p["nu"], scale=p["scale"]),
    coordinatewise=True,
    references=("tail index above alpha for T07: docs/pitfalls.md#stable-is-not-bounded-moment",
                "R.W. Bailey, Math. Comp. 62 (1994) 779-781 (polar t sampler)"),
)

"""gaussian (sigma): isotropic Gaussian noise with E||xi||^2 = sigma^2.

    xi ~ N(0, (sigma^2/d) I_d)        (per-coordinate standard deviation sigma/sqrt(d))

All moments are finite; symmetric. E||xi||^q = (2 sigma^2/d)^{q/2} Gamma((d+q)/2)/Gamma(d/2), exact.

Sampler: the ziggurat normal of noise/ziggurat.py, one 64-bit word per coordinate on the fast
path (about 99% of draws), coordinates in order: one call on K d coordinates gives the draws of K
calls on d (``coordinatewise``, the engine's block draws).
"""
from __future__ import annotations

import math

import numpy as np
from numba import njit

from ..functions.base import Certified
from ..params import Interval, Param
from .ziggurat import fill_normal
from .base import INF, NoiseModel, _stats


@njit
def sample(s, theta, g, out):
    fill_normal(s, out, theta[0])


def _moment(p, d, q):
    method = "exact: ||xi||^2 d/sigma^2 ~ chi^2_d, E chi^q = 2^{q/2} Gamma((d+q)/2)/Gamma(d/2)"
    if p["sigma"] == 0:
        return Certified(0.0, "exact: xi = 0")
    log_v = 0.5 * q * math.log(2 * p["sigma"] ** 2 / d) + math.lgamma((d + q) / 2) - math.lgamma(d / 2)
    return Certified(math.exp(log_v / q), method)


PLUGIN = NoiseModel(
    name="gaussian",
    summary="isotropic Gaussian, E||xi||^2 = sigma^2",
    definition="xi ~ N(0, sigma^2/d I_d)",
    params=(Param("sigma", Interval(0, INF, hi_open=True), 1.0, "noise level: E||xi||^2 = sigma^2"),),
    sample=sample,
    pack=lambda p, d: np.array([p["sigma"] / math.sqrt(d)]),
    symmetric=lambda p: True,
    tail_index=lambda p: INF,
    moment_bound=_moment,
    law=lambda p, d: _stats().norm(scale=p["sigma"] / math.sqrt(d)),
    coordinatewise=True,
)

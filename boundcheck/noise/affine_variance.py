"""affine-variance (sigma0, sigma1): Gaussian noise whose variance grows with the gradient.

    xi | g ~ N(0, (sigma0^2 + sigma1^2 ||g||^2)/d I_d)      (g = grad f(x), the true gradient)

so E[||xi||^2 | g] = sigma0^2 + sigma1^2 ||g||^2: the affine-variance assumption of Attia and
Koren 2023 (T20), in the same isotropic convention as ``gaussian`` (per-coordinate
standard deviation sqrt(sigma0^2 + sigma1^2 ||g||^2)/sqrt(d)). The scales bound the conditional
second moment exactly as above. With sigma1 = 0 this is gaussian[sigma=sigma0].

State dependent (``grad_dependent=True``): the sampler reads g. Hence:
* ``moment_bound(p, d, q)`` is the bound uniform over g: finite only when sigma1 = 0, otherwise
  ``inf`` (||g|| is unbounded); ``conditional_moment_bound(p, d, q, gnorm)`` gives the exact
  E[||xi||^q | ||g|| = gnorm];
* ``law`` is None (the law of a coordinate depends on g); ``law_given(p, d, g)`` is the scipy law
  of one coordinate at gradient g, and the conformance suite tests the standardised variable.
All moments are finite given g; symmetric.
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
    gg = 0.0
    for i in range(g.shape[0]):
        gg += g[i] * g[i]
    fill_normal(s, out, np.sqrt(theta[0] + theta[1] * gg))


def _chi_moment(d, q):
    """E (chi_d / sqrt d)^q = (2/d)^{q/2} Gamma((d+q)/2)/Gamma(d/2)."""
    return math.exp(0.5 * q * math.log(2 / d) + math.lgamma((d + q) / 2) - math.lgamma(d / 2))


def conditional_moment_bound(p, d, q, gnorm) -> Certified:
    """Exact (E[||xi||^q | ||g|| = gnorm])^{1/q}."""
    v2 = p["sigma0"] ** 2 + p["sigma1"] ** 2 * gnorm ** 2
    return Certified(math.sqrt(v2) * _chi_moment(d, q) ** (1 / q),
                     "exact: ||xi||^2 d/(sigma0^2 + sigma1^2 ||g||^2) ~ chi^2_d given g")


def _moment(p, d, q):
    if p["sigma1"] > 0:
        return Certified(INF, "no bound uniform in g: E[||xi||^q | g] = (sigma0^2 + sigma1^2 ||g||^2)^{q/2} "
                              "(2/d)^{q/2} Gamma((d+q)/2)/Gamma(d/2) grows with ||g|| "
                              "(see conditional_moment_bound)")
    return Certified(p["sigma0"] * _chi_moment(d, q) ** (1 / q),
                     "exact (sigma1 = 0): ||xi||^2 d/sigma0^2 ~ chi^2_d")


def law_given(p, d, g):
    """The scipy law of one coordinate of xi given the true gradient g."""
    gn2 = float(np.dot(g, g))
    return _stats().norm(scale=math.sqrt((p["sigma0"] ** 2 + p["sigma1"] ** 2 * gn2) / d))


PLUGIN = NoiseModel(
    name="affine-variance",
    summary="Gaussian with E[||xi||^2 | g] = sigma0^2 + sigma1^2 ||g||^2 (reads g)",
    definition="xi | g ~ N(0, (sigma0^2 + sigma1^2 ||g||^2)/d I_d)",
    params=(
        Param("sigma0", Interval(0, INF, hi_open=True), 1.0, "additive part: E[||xi||^2 | g=0] = sigma0^2"),
        Param("sigma1", Interval(0, INF, hi_open=True), 1.0, "multiplicative part: sigma1^2 ||g||^2"),
    ),
    sample=sample,
    pack=lambda p, d: np.array([p["sigma0"] ** 2 / d, p["sigma1"] ** 2 / d]),
    symmetric=lambda p: True,
    tail_index=lambda p: INF,
    moment_bound=_moment,
    law=None,
    grad_dependent=True,
    references=("A. Attia, T. Koren, ICML 2023 (arXiv 2302.08783); T20",),
)

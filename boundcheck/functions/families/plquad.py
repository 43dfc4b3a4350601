"""The slowest quadratic for gradient descent under the PL inequality (T05):

    f(x) = (mu/2) x_1^2 + (L/2) sum_{i >= 2} x_i^2,       x* = 0, f* = 0,  x0 = R e_1.

A quadratic's PL constant is its smallest eigenvalue and its smoothness constant its largest, so
mu and L are both exact (attained, for d >= 2). GD with step h/L multiplies x_1 by (1 - h mu/L) per
step, hence f(x_N) - f* = (1 - h mu/L)^(2N) (f(x0) - f*) exactly: the worst ratio among all
quadratics with curvatures in [mu, L] as long as |1 - h mu/L| >= |1 - h|, i.e. h <= 2/(1 + mu/L)
(always for h <= 1). It is not the exact worst case over the PL class (nonquadratic functions do
worse per step; docs on T05 in problems/gd_pl.toml), so a bound it reaches is resolved to within
the ratio of the two. Kernels: families/diagquad.py (curvatures (mu, L, ..., L)).
"""
from __future__ import annotations

import numpy as np

from ..base import Certified, Instance
from . import diagquad


def build(p: dict, rng) -> Instance:
    d, L, mu, R = int(p["d"]), float(p["L"]), float(p["mu"]), float(p["R"])
    from ...errors import ParamError

    if d < 2 or not mu <= L:
        raise ParamError(f"pl: instance 'quadratic' needs d >= 2 and mu <= L (got d={d}, mu={mu!r}, L={L!r})")
    lam = np.full(d, L)
    lam[0] = mu
    x_star = np.zeros(d)
    x0 = np.zeros(d)
    x0[0] = R
    H = np.diag(lam)

    def probes(prng, n):
        return [x_star + R * prng.standard_normal(d) * prng.uniform(0.01, 2.0) for _ in range(n)]

    return Instance(
        function="pl", generator="quadratic", params=p, d=d,
        value=diagquad.value, grad=diagquad.grad, data=diagquad.data(lam, x_star),
        x0=x0, x_star=x_star, f_star=0.0,
        constants={"L": Certified(L, "exact: the largest eigenvalue of the diagonal Hessian diag(mu, L, ..., L)"),
                   "mu": Certified(mu, "exact: a quadratic with Hessian H > 0 has PL constant lambda_min(H) = mu "
                                       "(attained along e_1)")},
        probes=probes, hess=lambda x: H,
        notes=f"Hessian diag(mu, L, ..., L), x0 = R e_1: GD with step h/L gives f(x_N) = (1 - h mu/L)^(2N) f(x0)",
    )

"""The worst case of gradient descent on smooth strongly convex functions (T03), as an instance.

    f(x) = 1/2 (x - x*)^T diag(L, mu, ..., mu) (x - x*),     x0 = x* + R e_j,

with j = 0 (curvature L) when |1 - h| >= |1 - h mu/L| and j = 1 (curvature mu) otherwise, for the
step h/L the instance is tuned to. GD then moves along e_j only: x_N - x* = (1 - h lam_j/L)^N R e_j,
so ||x_N - x*||^2 = rho^{2N} R^2 with rho = max(|1 - h|, |1 - h mu/L|), exactly the tight bound of
Taylor-Hendrickx-Glineur (JOTA 2018, Thm 3.1), and f(x_N) - f* = rho^{2N} (f(x0) - f*). Kernels:
the diagonal quadratic (diagquad.py: O(d) data, exact spectrum {L, mu}).
"""
from __future__ import annotations

import numpy as np

from ...errors import ParamError
from ..base import Certified, Instance
from . import diagquad


def build(p: dict, rng: np.random.Generator) -> Instance:
    d, L, mu, R, h = p["d"], p["L"], p["mu"], p["R"], p["h"]
    if d < 2:
        raise ParamError(f"smooth-strongly-convex: instance 'axis' needs d >= 2 so that both mu and L are attained (got d={d})")
    lam = np.full(d, float(mu))
    lam[0] = L
    x_star = rng.standard_normal(d)
    j = 0 if abs(1 - h) >= abs(1 - h * mu / L) else 1
    e = np.zeros(d)
    e[j] = 1.0
    spread = 2 * max(R, 1.0, float(np.linalg.norm(x_star)))
    e0, e1 = np.zeros(d), np.zeros(d)
    e0[0], e1[1] = 1.0, 1.0

    def probes(rng, n):
        return [x_star + s * (e0 if k % 2 == 0 else e1) for k, s in enumerate(rng.uniform(-spread, spread, n))]

    rho = max(abs(1 - h), abs(1 - h * mu / L))
    return Instance(
        function="smooth-strongly-convex", generator="axis", params=p, d=d,
        value=diagquad.value, grad=diagquad.grad,
        data=diagquad.data(lam, x_star), x0=x_star + R * e, x_star=x_star, f_star=0.0,
        constants={
            "L": Certified(L, "exact: A = diag(L, mu, ..., mu), largest eigenvalue L"),
            "mu": Certified(mu, "exact: A = diag(L, mu, ..., mu), smallest eigenvalue mu"),
        },
        probes=probes, hess=lambda x: np.diag(lam),
        notes=f"x0 = x* + R e_{j} (curvature {lam[j]!r}); GD with step h/L, h = {h!r}: "
              f"||x_N - x*||^2 = rho^(2N) R^2, rho = {rho!r}",
    )

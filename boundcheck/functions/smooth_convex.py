"""smooth-convex (L): convex functions with L-Lipschitz gradient.

Interpolation (Taylor, Hendrickx, Glineur 2017, Thm 4): a set {(x_i, g_i, f_i)} is interpolable by
a convex L-smooth function iff for all i, j

    f_i >= f_j + <g_j, x_i - x_j> + 1/(2L) ||g_i - g_j||^2.
"""
from __future__ import annotations

import numpy as np

from ..params import Interval, Param
from .base import Certified, Condition, FunctionClass, Generator, Instance, unit_vector
from .families import quadratic


def interpolation(pi, pj, c):
    """f_i - f_j - <g_j, x_i - x_j> - 1/(2L) ||g_i - g_j||^2 >= 0"""
    dg = pi.g - pj.g
    return pi.f - pj.f - pj.g @ (pi.x - pj.x) - (dg @ dg) / (2 * c["L"])


def _quadratic(p: dict, rng: np.random.Generator) -> Instance:
    """Random PSD quadratic: spectrum with lam_max = L exactly, lam_min = 0 (convex, not strongly)."""
    d, L, R = p["d"], p["L"], p["R"]
    lam = np.sort(rng.uniform(0.0, L, d))[::-1]
    lam[0] = L
    if d > 1:
        lam[-1] = 0.0
    A = quadratic.build_matrix(lam, rng)
    x_star = rng.standard_normal(d)
    u = unit_vector(rng, d)
    top = np.linalg.eigh(A)[1][:, -1]
    return Instance(
        function="smooth-convex", generator="quadratic", params=p, d=d,
        value=quadratic.value, grad=quadratic.grad,
        data=(np.array([0.0]), A, x_star), x0=x_star + R * u, x_star=x_star, f_star=0.0,
        constants={"L": Certified(L, "exact: largest eigenvalue of A = Q diag(lam) Q^T, lam_max set to L")},
        probes=lambda rng, n: [x_star + s * top for s in rng.uniform(-2 * R, 2 * R, n)],
        hess=lambda x: A,
    )


PLUGIN = FunctionClass(
    name="smooth-convex",
    summary="convex, L-smooth (gradient L-Lipschitz)",
    definition="f convex and ||grad f(x) - grad f(y)|| <= L ||x - y|| for all x, y",
    constants=(Param("L", Interval(0, float("inf"), lo_open=True, hi_open=True), 1.0, "smoothness constant"),),
    stronger={"L": "smaller"},
    generators=(
        Generator("quadratic", "1/2 (x-x*)^T A (x-x*), A = Q diag(lam) Q^T, lam in [0, L], lam_max = L", _quadratic),
    ),
    default_generator="quadratic",
    conditions=(
        Condition("smooth-convex interpolation", "pair", interpolation, "interpolation", "exact",
                  "f_i >= f_j + <g_j, x_i - x_j> + 1/(2L)||g_i - g_j||^2",
                  "Taylor, Hendrickx, Glineur, Math. Prog. 161 (2017), Thm 4"),
    ),
    references=("Y. Nesterov, Introductory Lectures on Convex Optimization (2004), Thm 2.1.5",
                "A. Taylor, J. Hendrickx, F. Glineur, Math. Prog. 161 (2017), arXiv 1502.05666"),
)

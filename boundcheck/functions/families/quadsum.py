"""A finite sum of 1-D quadratics with equal curvature, for shuffling SGD (T23).

    F(x) = (1/n) sum_i f_i(x),   f_i(x) = (L/2)(x - b_i)^2,   b_i = x* + (sigma/L) s_i,

with s_i = +1 for the first n/2 components and -1 for the rest (n even), so sum_i s_i = 0 and

    F(x) = (L/2)(x - x*)^2 + f*,   f* = sigma^2/(2L),   grad f_i(x*) = -sigma s_i,
    (1/n) sum_i ||grad f_i(x*)||^2 = sigma^2                       (the sigma of Cha-Lee-Yun).

Every f_i is L-smooth and L-strongly convex, so F is too (kappa = 1). This is the one-dimensional
"+/-" construction of Safran-Shamir (COLT 2020) for the Omega(1/(n K^3)) term of random
reshuffling; it does NOT carry the kappa dependence of Cha-Lee-Yun's bounds (kappa = 1 here).
The metrics use F itself (the quadratic kernels); the instance is a finite sum
(boundcheck/oracles/finite_sum.py): the engines run any algorithm on it with grad f_{i_t}
(``grad_i`` below), i_t under the ``sampling`` rule (reshuffle, with replacement, shuffle once,
incremental; boundcheck/oracles). Data: p = (f*, sigma/L, n), A = [[L]], b = x*.
"""
from __future__ import annotations

import numpy as np
from numba import njit

from ...errors import ParamError
from ...oracles.finite_sum import FiniteSum, attach
from ..base import Certified, Instance
from . import quadratic


@njit
def grad_i(x, i, p, A, b, out):
    """grad f_i(x) = L (x - b_i), b_i = x* + (sigma/L) s_i, s_i = +1 for i < n/2, -1 otherwise."""
    s = 1.0 if i < int(p[2]) // 2 else -1.0
    out[0] = A[0, 0] * (x[0] - b[0] - p[1] * s)


@njit
def count(p, A, b):
    return int(p[2])


def components(p: dict) -> tuple[np.ndarray, float]:
    """(b_i for i < n, L): the components' minimizers (x* = 0) and their common curvature."""
    n, L, sigma = p["n"], p["L"], p["sigma"]
    s = np.where(np.arange(n) < n // 2, 1.0, -1.0)
    return (sigma / L) * s, float(L)


def build(p: dict, rng: np.random.Generator) -> Instance:
    n, L, R, sigma = p["n"], p["L"], p["R"], p["sigma"]
    if n < 2 or n % 2:
        raise ParamError(f"smooth-convex: instance 'quadsum' needs an even number of components n >= 2 (got n={n})")
    f_star = sigma * sigma / (2 * L)
    x_star = np.zeros(1)
    inst = Instance(
        function="smooth-convex", generator="quadsum", params=p, d=1,
        value=quadratic.value, grad=quadratic.grad,
        data=(np.array([f_star, sigma / L, float(n)]), np.array([[float(L)]]), x_star),
        x0=x_star + R, x_star=x_star, f_star=f_star,
        constants={"L": Certified(L, "exact: F'' = L everywhere (every component has curvature L)")},
        probes=lambda rng, n_: [np.array([t]) for t in rng.uniform(-2 * R, 2 * R, n_)],
        hess=lambda x: np.array([[float(L)]]),
        notes=f"n={n} components (L/2)(x - b_i)^2, b_i = +/- sigma/L; f* = sigma^2/(2L) = {f_star!r}; "
              f"components visited in order '{p['sampling']}' (boundcheck/oracles)",
    )
    return attach(inst, FiniteSum(n=int(n), grad_i=grad_i, count=count, sampling=p["sampling"]))

"""A 2-D finite sum with condition number kappa = L/mu, for shuffling SGD (T23).

    F(x) = (1/n) sum_i f_i(x),   f_i(x) = (L/2)(x_1 - (sigma/L) s_i)^2 + (mu/2) x_2^2,

s_i = +1 for the first n/2 components and -1 for the rest (n even), so

    F(x) = (L/2) x_1^2 + (mu/2) x_2^2 + f*,   f* = sigma^2/(2L),   x* = 0,
    (1/n) sum_i ||grad f_i(x*)||^2 = sigma^2.

Every f_i and F have the Hessian diag(L, mu): L-smooth and mu-strongly convex, exactly. The
start is x0 = x* + R e_2, on the slow axis: a constant step gamma leaves (mu/2) R^2 (1 - gamma
mu)^(2N) there after N steps, so a small step pays in e_2, while along e_1 the components'
disagreement (the +/- sigma/L minimizers) leaves an error growing with gamma. This is OUR
construction combining the two effects behind the kappa dependence of shuffling lower bounds; it
is not Cha-Lee-Yun's construction (not read), and its constants are not theirs.

A finite sum (boundcheck/oracles/finite_sum.py): the engines run any algorithm with
grad f_{i_t}, i_t under the ``sampling`` rule. Data: p = (f*, sigma/L, n), A = diag(L, mu), b = x*.
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
    """grad f_i(x) = (L (x_1 - (sigma/L) s_i), mu x_2) about x* = b."""
    s = 1.0 if i < int(p[2]) // 2 else -1.0
    out[0] = A[0, 0] * (x[0] - b[0] - p[1] * s)
    out[1] = A[1, 1] * (x[1] - b[1])


@njit
def count(p, A, b):
    return int(p[2])


def build(p: dict, rng: np.random.Generator) -> Instance:
    n, L, mu, R, sigma = p["n"], p["L"], p["mu"], p["R"], p["sigma"]
    if n < 2 or n % 2:
        raise ParamError(f"smooth-strongly-convex: instance 'quadsum-kappa' needs an even number of components "
                         f"n >= 2 (got n={n})")
    f_star = sigma * sigma / (2 * L)
    x_star = np.zeros(2)
    A = np.diag([float(L), float(mu)])
    inst = Instance(
        function="smooth-strongly-convex", generator="quadsum-kappa", params=p, d=2,
        value=quadratic.value, grad=quadratic.grad,
        data=(np.array([f_star, sigma / L, float(n)]), A, x_star),
        x0=x_star + np.array([0.0, R]), x_star=x_star, f_star=f_star,
        constants={"L": Certified(L, "exact: Hessian diag(L, mu) everywhere"),
                   "mu": Certified(mu, "exact: Hessian diag(L, mu) everywhere")},
        probes=lambda rng, n_: [rng.uniform(-2 * R, 2 * R, 2) for _ in range(n_)],
        hess=lambda x: A.copy(),
        notes=f"n={n} components (L/2)(x_1 - s_i sigma/L)^2 + (mu/2) x_2^2; kappa = {L / mu!r}; "
              f"x0 = R e_2; components visited in order '{p['sampling']}' (boundcheck/oracles)",
    )
    return attach(inst, FiniteSum(n=int(n), grad_i=grad_i, count=count, sampling=p["sampling"]))

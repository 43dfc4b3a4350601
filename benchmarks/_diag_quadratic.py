"""A diagonal quadratic for the engine benchmark: f(x) = 1/2 sum_i lam_i (x_i - b_i)^2.

O(d) value and gradient, so the d = 1000 benchmark measures the engine (noise, update, bookkeeping)
rather than a dense matrix-vector product. lam = A[0, :] (shape (1, d)), minimizer b, f* = 0;
L = max lam and mu = min lam exactly. It lives here, not in boundcheck/functions, because it only
serves the benchmark; it also shows that the engine runs any importable kernel pair.
"""
from __future__ import annotations

import numpy as np
from numba import njit

from boundcheck.functions.base import Certified, Instance, unit_vector


@njit(cache=True)
def value(x, p, A, b):
    s = 0.0
    for i in range(x.shape[0]):
        di = x[i] - b[i]
        s += A[0, i] * di * di
    return 0.5 * s


@njit(cache=True)
def grad(x, p, A, b, out):
    for i in range(x.shape[0]):
        out[i] = A[0, i] * (x[i] - b[i])


def instance(d: int, seed: int = 0, R: float = 1.0, mu: float = 0.1, L: float = 1.0) -> Instance:
    rng = np.random.default_rng(seed)
    lam = np.linspace(mu, L, d) if d > 1 else np.array([L])
    b = rng.standard_normal(d)
    x0 = b + R * unit_vector(rng, d)
    return Instance(
        function="diag-quadratic", generator="bench", params={"d": d, "R": R, "seed": seed}, d=d,
        value=value, grad=grad, data=(np.zeros(1), lam[None, :].copy(), b), x0=x0, x_star=b,
        f_star=0.0,
        constants={"L": Certified(float(lam.max()), "exact: largest lam_i"),
                   "mu": Certified(float(lam.min()), "exact: smallest lam_i")},
    )

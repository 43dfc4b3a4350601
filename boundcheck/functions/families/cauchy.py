"""Robust regression with the Cauchy (Lorentzian) loss: residuals r_i = a_i^T x - b_i, p = [delta],

    f(x) = (1/n) sum_i rho(r_i),   rho(r) = (delta^2 / 2) log(1 + r^2 / delta^2),
    rho'(r) = r / (1 + r^2/delta^2),   rho''(r) = (1 - u) / (1 + u)^2 with u = r^2/delta^2.

rho'' ranges over [-1/8, 1] (minimum at u = 3, maximum 1 at r = 0), so the Hessian
(1/n) A^T diag(rho''(r_i)) A has eigenvalues in [-||A||^2/(8n), ||A||^2/n]: the curvature bound
L = ||A||_2^2 / n is exact, attained where every residual is 0. With noiseless targets b = A x_true,
f >= 0 = f(x_true), so x* = x_true and f* = 0 exactly. rho'' < 0 for |r| > delta (nonconvex).
"""
from __future__ import annotations

import math

from numba import njit


@njit
def value(x, p, A, b):
    n, d = A.shape
    dd = p[0] * p[0]
    s = 0.0
    for i in range(n):
        r = -b[i]
        for j in range(d):
            r += A[i, j] * x[j]
        s += math.log1p(r * r / dd)
    return 0.5 * dd * s / n


@njit
def grad(x, p, A, b, out):
    n, d = A.shape
    dd = p[0] * p[0]
    for j in range(d):
        out[j] = 0.0
    for i in range(n):
        r = -b[i]
        for j in range(d):
            r += A[i, j] * x[j]
        w = r / (1.0 + r * r / dd) / n
        for j in range(d):
            out[j] += w * A[i, j]


def hessian(x, delta, A, b):
    """(1/n) A^T diag(rho''(r)) A at x (numpy; for the self-checks)."""
    import numpy as np

    u = (A @ x - b) ** 2 / delta ** 2
    return (A.T * ((1.0 - u) / (1.0 + u) ** 2)) @ A / A.shape[0]

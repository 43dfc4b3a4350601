"""Separable cosine wells: with t = x - b (b = the minimizer) and p = [s, a, k],

    f(x) = s * sum_i ( t_i^2 / 2 + a (1 - cos(k t_i)) ),     f'' per coordinate = s (1 + a k^2 cos(k t_i)).

This is the family x^2/2 + a cos(k x) of T02, with the phase chosen so that the minimizer is known
in closed form: every term is >= 0 and is 0 only at t_i = 0, so x* = b and f* = 0 (no numerics).
The Hessian is diagonal with entries in [s (1 - a k^2), s (1 + a k^2)], both attained (at k t = pi
and t = 0); for a k^2 > 1 the function is nonconvex. 1 - cos(k t) is evaluated as 2 sin^2(k t/2)
(no cancellation near the minimizer). ``A`` is unused (pass a 1x1 dummy).
"""
from __future__ import annotations

import math

from numba import njit


@njit
def value(x, p, A, b):
    s, a, k = p[0], p[1], p[2]
    tot = 0.0
    for i in range(x.shape[0]):
        t = x[i] - b[i]
        h = math.sin(0.5 * k * t)
        tot += 0.5 * t * t + 2.0 * a * h * h
    return s * tot


@njit
def grad(x, p, A, b, out):
    s, a, k = p[0], p[1], p[2]
    for i in range(x.shape[0]):
        t = x[i] - b[i]
        out[i] = s * (t + a * k * math.sin(k * t))


def hessian_diag(x, p, b):
    import numpy as np

    s, a, k = p
    return s * (1.0 + a * k * k * np.cos(k * (np.asarray(x) - b)))

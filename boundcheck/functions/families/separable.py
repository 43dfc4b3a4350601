"""Separable families f(x) = p[0] * sum_i h(p[1], p[2] (x_i - b_i)), minimizer b, f* = 0.

Fixed kernel signature (functions/base.py): ``value(x, p, A, b)``, ``grad(x, p, A, b, out)``; A is
an unused 1x1 dummy. With y_i = k (x_i - b_i), alpha = p[0], a = p[1], k = p[2]:

    cosh:    h(y) = cosh(a y) - 1                 h' = a sinh(a y)        h'' = a^2 cosh(a y)
    expm:    h(y) = exp(a y) - a y - 1            h' = a (exp(a y) - 1)   h'' = a^2 exp(a y)
    quartic: h(y) = y^4 / 4                       h' = y^3                h'' = 3 y^2
    sinsq:   h(y) = y^2 + a sin^2 y               h' = 2y + a sin 2y      h'' = 2 + 2a cos 2y

The gradient is alpha k h'(y_i) and the Hessian diag(alpha k^2 h''(y_i)) (``hessian_diag``).
Loops only; no allocation.
"""
from __future__ import annotations

import math

import numpy as np
from numba import njit


@njit
def cosh_value(x, p, A, b):
    s = 0.0
    for i in range(x.shape[0]):
        s += math.cosh(p[1] * p[2] * (x[i] - b[i])) - 1.0
    return p[0] * s


@njit
def cosh_grad(x, p, A, b, out):
    for i in range(x.shape[0]):
        out[i] = p[0] * p[2] * p[1] * math.sinh(p[1] * p[2] * (x[i] - b[i]))


@njit
def expm_value(x, p, A, b):
    s = 0.0
    for i in range(x.shape[0]):
        z = p[1] * p[2] * (x[i] - b[i])
        s += math.expm1(z) - z
    return p[0] * s


@njit
def expm_grad(x, p, A, b, out):
    for i in range(x.shape[0]):
        out[i] = p[0] * p[2] * p[1] * math.expm1(p[1] * p[2] * (x[i] - b[i]))


@njit
def quartic_value(x, p, A, b):
    s = 0.0
    for i in range(x.shape[0]):
        y = p[2] * (x[i] - b[i])
        s += 0.25 * y * y * y * y
    return p[0] * s


@njit
def quartic_grad(x, p, A, b, out):
    for i in range(x.shape[0]):
        y = p[2] * (x[i] - b[i])
        out[i] = p[0] * p[2] * y * y * y


@njit
def sinsq_value(x, p, A, b):
    s = 0.0
    for i in range(x.shape[0]):
        y = p[2] * (x[i] - b[i])
        sy = math.sin(y)
        s += y * y + p[1] * sy * sy
    return p[0] * s


@njit
def sinsq_grad(x, p, A, b, out):
    for i in range(x.shape[0]):
        y = p[2] * (x[i] - b[i])
        out[i] = p[0] * p[2] * (2.0 * y + p[1] * math.sin(2.0 * y))


def hessian_diag(kind: str, x: np.ndarray, p: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Diagonal of the Hessian of family ``kind`` at x (numpy; for the self-checks)."""
    alpha, a, k = p[0], p[1], p[2]
    y = k * (np.asarray(x, float) - b)
    h2 = {
        "cosh": lambda: a * a * np.cosh(a * y),
        "expm": lambda: a * a * np.exp(a * y),
        "quartic": lambda: 3.0 * y * y,
        "sinsq": lambda: 2.0 + 2.0 * a * np.cos(2.0 * y),
    }[kind]()
    return alpha * k * k * h2


KERNELS = {
    "cosh": (cosh_value, cosh_grad),
    "expm": (expm_value, expm_grad),
    "quartic": (quartic_value, quartic_grad),
    "sinsq": (sinsq_value, sinsq_grad),
}

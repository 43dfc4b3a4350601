"""Radial sin^2 family f(x) = beta (r^2 + (c/w^2) sin^2(w r)), r = ||x - b||, f* = 0 at x* = b.

p = [beta, c, w]. With t = w r and phi(r) = r^2 + (c/w^2) sin^2(w r):
phi'(r) = (2t + c sin 2t)/w and phi'(r)/r = 2 + 2c sinc(2t) (sinc(u) = sin(u)/u), so
grad f = beta (2 + 2c sinc(2 w r)) (x - b), smooth through r = 0 (sinc by its Taylor series for
|u| < 1e-4, error < 1e-17). Hessian: beta [phi''(r) u u^T + phi'(r)/r (I - u u^T)], u = (x - b)/r,
phi''(r) = 2 + 2c cos(2t) (``hessian``). Fixed kernel signature (functions/base.py); A is unused.
"""
from __future__ import annotations

import math

import numpy as np
from numba import njit


@njit
def _sinc(u):
    if abs(u) < 1e-4:
        return 1.0 - u * u / 6.0
    return math.sin(u) / u


@njit
def value(x, p, A, b):
    r2 = 0.0
    for i in range(x.shape[0]):
        r2 += (x[i] - b[i]) ** 2
    sn = math.sin(p[2] * math.sqrt(r2))
    return p[0] * (r2 + p[1] / (p[2] * p[2]) * sn * sn)


@njit
def grad(x, p, A, b, out):
    r2 = 0.0
    for i in range(x.shape[0]):
        r2 += (x[i] - b[i]) ** 2
    k = p[0] * (2.0 + 2.0 * p[1] * _sinc(2.0 * p[2] * math.sqrt(r2)))
    for i in range(x.shape[0]):
        out[i] = k * (x[i] - b[i])


def hessian(x: np.ndarray, p: np.ndarray, b: np.ndarray) -> np.ndarray:
    beta, c, w = p
    y = np.asarray(x, float) - b
    r = float(np.linalg.norm(y))
    t = w * r
    tang = 2.0 + 2.0 * c * float(np.sinc(2 * t / np.pi))
    rad = 2.0 + 2.0 * c * np.cos(2 * t)
    H = tang * np.eye(len(y))
    if r > 0:
        u = y / r
        H += (rad - tang) * np.outer(u, u)
    return beta * H

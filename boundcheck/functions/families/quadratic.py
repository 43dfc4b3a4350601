"""Quadratic f(x) = 1/2 (x - b)^T A (x - b) + p[0], with A symmetric PSD, minimizer b, f* = p[0].

Kernels loop without allocating (O(d^2) per call). Hessian = A, so every smoothness or curvature
constant is an eigenvalue of A, computed exactly from the construction A = Q diag(lam) Q^T.
"""
from __future__ import annotations

import numpy as np
from numba import njit


@njit
def value(x, p, A, b):
    d = x.shape[0]
    s = 0.0
    for i in range(d):
        ri = x[i] - b[i]
        t = 0.0
        for j in range(d):
            t += A[i, j] * (x[j] - b[j])
        s += ri * t
    return 0.5 * s + p[0]


@njit
def grad(x, p, A, b, out):
    d = x.shape[0]
    for i in range(d):
        t = 0.0
        for j in range(d):
            t += A[i, j] * (x[j] - b[j])
        out[i] = t


def build_matrix(lam: np.ndarray, rng: np.random.Generator, rotate: bool = True) -> np.ndarray:
    """A = Q diag(lam) Q^T with Q a seeded random orthogonal matrix (exact spectrum lam)."""
    d = lam.shape[0]
    if not rotate or d == 1:
        return np.diag(lam.astype(float))
    Q, r = np.linalg.qr(rng.standard_normal((d, d)))
    Q = Q * np.sign(np.diag(r))
    A = (Q * lam) @ Q.T
    return 0.5 * (A + A.T)

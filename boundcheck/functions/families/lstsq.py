"""Least squares f(x) = 1/2 ||A x - b||^2 + p[0], A an m x d matrix (any rank), b in R^m.

Fixed kernel signature (functions/base.py). grad = A^T (A x - b); the loops compute one residual
at a time and accumulate A^T r into ``out``, so no temporary is allocated (O(m d) per call).
Hessian = A^T A: with A = U diag(s) V^T built exactly (``build``), every curvature constant is a
chosen s_i^2.
"""
from __future__ import annotations

import numpy as np
from numba import njit


@njit
def value(x, p, A, b):
    m, d = A.shape
    s = 0.0
    for i in range(m):
        r = -b[i]
        for j in range(d):
            r += A[i, j] * x[j]
        s += r * r
    return 0.5 * s + p[0]


@njit
def grad(x, p, A, b, out):
    m, d = A.shape
    for j in range(d):
        out[j] = 0.0
    for i in range(m):
        r = -b[i]
        for j in range(d):
            r += A[i, j] * x[j]
        for j in range(d):
            out[j] += A[i, j] * r


def orthogonal(rng: np.random.Generator, n: int) -> np.ndarray:
    """A seeded random orthogonal n x n matrix (Haar, sign-fixed QR)."""
    Q, r = np.linalg.qr(rng.standard_normal((n, n)))
    return Q * np.sign(np.diag(r))


def build(s: np.ndarray, m: int, d: int, rng: np.random.Generator):
    """A = U diag(s) V^T (m x d) with singular values ``s`` (length <= min(m, d); the rest are 0).
    Returns (A, U, V)."""
    U, V = orthogonal(rng, m), orthogonal(rng, d)
    S = np.zeros((m, d))
    S[np.arange(len(s)), np.arange(len(s))] = s
    return U @ S @ V.T, U, V

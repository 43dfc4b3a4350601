"""Diagonal quadratic f(x) = 1/2 sum_i lam_i (x_i - b_i)^2 + p[0], lam = A[0, :] (A has shape (1, d)).

O(d) data and O(d) per call (no d x d matrix): the Hessian is diag(lam), so every curvature
constant is one of the lam_i, exactly.
"""
from __future__ import annotations

import numpy as np
from numba import njit


@njit
def value(x, p, A, b):
    s = 0.0
    for i in range(x.shape[0]):
        ri = x[i] - b[i]
        s += ri * (A[0, i] * ri)
    return 0.5 * s + p[0]


@njit
def grad(x, p, A, b, out):
    for i in range(x.shape[0]):
        out[i] = A[0, i] * (x[i] - b[i])


def data(lam: np.ndarray, x_star: np.ndarray, f_star: float = 0.0) -> tuple:
    """The kernel data (p, A, b) for curvatures ``lam`` and minimiser ``x_star``."""
    return (np.array([float(f_star)]), np.ascontiguousarray(lam, dtype=np.float64).reshape(1, -1),
            np.ascontiguousarray(x_star, dtype=np.float64))


__all__ = ["value", "grad", "data"]

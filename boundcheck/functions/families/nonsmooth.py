"""Nonsmooth convex families; ``grad`` returns one subgradient (a fixed selection at kinks).

* ``norm_*``: f(x) = M ||x - b||_2 with p = [M] (``A`` unused). Subgradient M (x - b)/||x - b||,
  and 0 at x = b (a valid subgradient there: the minimizer). Every subgradient off b has norm M.
* ``l1_*``: f(x) = p[0] ||A (x - b)||_1. Subgradient p[0] A^T sign(A (x - b)) with sign(0) = 0.
  For A orthogonal (d x d), every subgradient with no zero residual has norm p[0] sqrt(d).
* ``maxaffine_*``: f(x) = max_k ( <a_k, x - b> - p[k] ) with rows a_k of ``A`` (K x d) and offsets
  p[k] >= 0. Subgradient: a_k for the first maximizing k (a valid subgradient of a max of affine
  functions). The Lipschitz constant is max_k ||a_k|| when that piece is active somewhere.

Loops only; no allocation.
"""
from __future__ import annotations

import math

from numba import njit


@njit
def norm_value(x, p, A, b):
    s = 0.0
    for i in range(x.shape[0]):
        t = x[i] - b[i]
        s += t * t
    return p[0] * math.sqrt(s)


@njit
def norm_grad(x, p, A, b, out):
    s = 0.0
    for i in range(x.shape[0]):
        t = x[i] - b[i]
        s += t * t
    r = math.sqrt(s)
    for i in range(x.shape[0]):
        out[i] = p[0] * (x[i] - b[i]) / r if r > 0.0 else 0.0


@njit
def l1_value(x, p, A, b):
    n, d = A.shape
    s = 0.0
    for i in range(n):
        r = 0.0
        for j in range(d):
            r += A[i, j] * (x[j] - b[j])
        s += abs(r)
    return p[0] * s


@njit
def l1_grad(x, p, A, b, out):
    n, d = A.shape
    for j in range(d):
        out[j] = 0.0
    for i in range(n):
        r = 0.0
        for j in range(d):
            r += A[i, j] * (x[j] - b[j])
        if r != 0.0:
            sg = p[0] if r > 0.0 else -p[0]
            for j in range(d):
                out[j] += sg * A[i, j]


@njit
def _piece(x, p, A, b, k):
    v = -p[k]
    for j in range(x.shape[0]):
        v += A[k, j] * (x[j] - b[j])
    return v


@njit
def maxaffine_value(x, p, A, b):
    best = _piece(x, p, A, b, 0)
    for k in range(1, A.shape[0]):
        v = _piece(x, p, A, b, k)
        if v > best:
            best = v
    return best


@njit
def maxaffine_grad(x, p, A, b, out):
    kbest = 0
    best = _piece(x, p, A, b, 0)
    for k in range(1, A.shape[0]):
        v = _piece(x, p, A, b, k)
        if v > best:
            best = v
            kbest = k
    for j in range(x.shape[0]):
        out[j] = A[kbest, j]

"""The last-iterate lower-bound instance of Harvey, Liaw, Plan, Randhawa (COLT 2019, arXiv
1812.05217, the Lipschitz convex case): a maximum of T + 1 linear pieces in R^T on which gradient
descent with steps eta_t = c/sqrt(t) ends at f(x_{T+1}) - f* of order log(T)/sqrt(T).

With j = 1..T (T = d, the horizon the instance is built for),

    a_j = 1/(8 (T - j + 1)),     b_j = sqrt(j)/(2 sqrt(T)),
    h_i = (a_1, ..., a_{i-1}, -b_i, 0, ..., 0)   (i <= T),     h_{T+1} = (a_1, ..., a_T),
    f(x) = s max_{i <= T+1} <h_i, x>,

and the oracle returns s h_i for the FIRST maximising i (a valid subgradient of a max of linear
pieces). The scale s = M/M0 makes the Lipschitz constant exactly M: ||h_i||^2 = sum_{j<i} a_j^2 +
b_i^2 grows with i, h_{T+1} is shorter than h_T (sum_j a_j^2 <= pi^2/384 < 1/4 = b_T^2), so
M0 = ||h_T||, and s h_T is the gradient on the open set where piece T is the only maximum (for
instance at -r e_T, r > 0: piece T is s b_T r > 0, pieces i < T are 0, piece T + 1 is -s a_T r).

Minimiser: h_1..h_T are a basis (lower triangular, diagonal -b_i != 0) and 0 = sum_i lam_i h_i with
every lam_i > 0 (coordinate j reads lam_j b_j = a_j sum_{i>j} lam_i: solve from j = T down), so
max_i <h_i, y> >= sum_i lam_i <h_i, y> / sum_i lam_i = 0, with equality only at y = 0: x* = 0 is
the unique minimiser and f* = 0. The run starts there (x_1 = 0, as in the paper): the oracle's
subgradient at x* is s h_1 != 0, and it drives the iterates away.

Why the run follows the construction (checked on the kernels by the tests): at x_t only coordinates
j < t are non-zero, x_{t,j} = s (eta_j b_j - a_j sum_{k=j+1}^{t-1} eta_k) > 0 for eta_k = c/sqrt(k)
(eta_j b_j = c/(2 sqrt T) while a_j sum_{k>j} eta_k <= 2 c (sqrt T - sqrt j)/(8 (T - j + 1)) <=
c/(4 sqrt T)). So pieces i >= t tie exactly (their extra terms are products with exact zeros), pieces
i < t are lower by s sum_{j=i}^{t-1} a_j x_{t,j} + s b_i x_{t,i} > 0, and the first maximiser is
i = t: step t moves coordinate t and nothing beyond. At the end f(x_{T+1}) = s sum_j a_j x_{T+1,j},
whose leading term is s^2 c H_T/(16 sqrt T) (H_T the harmonic number) less a term of order
s^2 c H_T/(64 sqrt T): Theta(log T/sqrt T), with no lower-order 1/sqrt(T) part to hide the log.

``p = [s]``, ``A`` a 1x1 dummy, ``b`` unused (x* = 0). Loops only, O(d) per call.
"""
from __future__ import annotations

import math

import numpy as np
from numba import njit


@njit
def _a(j, T):
    return 1.0 / (8.0 * (T - j + 1))


@njit
def _b(j, T):
    return math.sqrt(j) / (2.0 * math.sqrt(T))


@njit
def _first_max(x):
    """(index i0 in 0..T of the first maximising piece, its unscaled value)."""
    T = x.shape[0]
    P = 0.0  # sum_{j < i} a_j x_j
    best = -math.inf
    k = 0
    for i in range(T):
        v = P - _b(i + 1, T) * x[i]
        if v > best:
            best = v
            k = i
        P += _a(i + 1, T) * x[i]
    if P > best:
        best = P
        k = T
    return k, best


@njit
def value(x, p, A, b):
    k, best = _first_max(x)
    return p[0] * best


@njit
def grad(x, p, A, b, out):
    T = x.shape[0]
    k, best = _first_max(x)
    for j in range(T):
        if j < k:
            out[j] = p[0] * _a(j + 1, T)
        elif j == k:
            out[j] = -p[0] * _b(j + 1, T)
        else:
            out[j] = 0.0


def lipschitz0(T: int) -> float:
    """M0 = max_i ||h_i|| = ||h_T|| (module docstring)."""
    k = np.arange(2, T + 1, dtype=float)
    return math.sqrt(0.25 + float(np.sum(1.0 / (64.0 * k * k))))


def pieces(T: int) -> np.ndarray:
    """The unscaled pieces h_1..h_{T+1} as rows of a (T + 1) x T matrix (tests, small T only)."""
    j = np.arange(1, T + 1, dtype=float)
    a, bb = 1.0 / (8.0 * (T - j + 1)), np.sqrt(j) / (2.0 * math.sqrt(T))
    H = np.tril(np.tile(a, (T + 1, 1)), -1)
    H[np.arange(T), np.arange(T)] = -bb
    return H


__all__ = ["value", "grad", "lipschitz0", "pieces"]

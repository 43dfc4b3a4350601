"""Operator families F: R^d -> R^d for the monotone-operator classes, with certified constants.

Kernels keep the fixed signature of functions/base.py. For an operator there is no function value:
``value`` returns 0.0 (instances set ``f_star = None``, so the engine reports no f-gap) and ``grad``
writes F(x) into ``out``; ``x*`` is the zero of F.

* ``linear``: F(x) = A (x - b). A = S + K with S symmetric, K skew, so <F(x) - F(y), x - y> =
  (x - y)^T S (x - y). Every constant is a spectral quantity of A, computed from the matrix:
  strong monotonicity mu = lam_min(S); Lipschitz L = sigma_max(A); cocoercivity beta = the largest
  b with S - b A^T A PSD (S positive definite), = 1/lam_max(C^{-1} A^T A C^{-T}), S = C C^T;
  negative comonotonicity rho = max(0, -lam_min(sym(A^{-1}))) (u = A z: <u, A^{-1} u> >= -rho|u|^2).
* ``tanh``: F(x) = s J (x - b) + a tanh(x - b) (element-wise), J block-diagonal with 2x2 blocks
  [[0, -1], [1, 0]] (and a 0 for odd d): a skew rotation plus a monotone nonlinear part. Jacobian
  s J + a diag(sech^2(x - b)), whose symmetric part a diag(sech^2) is PSD (monotone, not strongly).
  The Lipschitz constant is the sup of the Jacobian's spectral norm; the Jacobian is block-diagonal
  and affine in the diagonal v = sech^2 in [0, 1]^d, and the spectral norm is convex, so the sup is
  the largest norm at a vertex of the box (per 2x2 block: v in {0, 1}^2). Vertices with a 0 are
  approached as |x_i - b_i| -> inf; probes sit there (x_i - b_i = 20: sech^2 < 1e-16).
"""
from __future__ import annotations

import math

import numpy as np
from numba import njit

from .quadratic import grad as linear_op  # F(x) = A (x - b): the quadratic's gradient kernel


@njit
def value(x, p, A, b):
    return 0.0


@njit
def tanh_op(x, p, A, b, out):
    d = x.shape[0]
    for i in range(d):
        t = 0.0
        for j in range(d):
            t += A[i, j] * (x[j] - b[j])
        out[i] = t + p[0] * math.tanh(x[i] - b[i])


# ----------------------------------------------------------------------------- constructions
def orthogonal(rng: np.random.Generator, d: int) -> np.ndarray:
    Q, r = np.linalg.qr(rng.standard_normal((d, d)))
    return Q * np.sign(np.diag(r))


def skew(rng: np.random.Generator, d: int, norm: float) -> np.ndarray:
    """A random skew-symmetric matrix with spectral norm ``norm`` (0 for d = 1)."""
    if d == 1 or norm == 0.0:
        return np.zeros((d, d))
    G = rng.standard_normal((d, d))
    K = G - G.T
    return K * (norm / np.linalg.norm(K, 2))


def monotone_matrix(rng: np.random.Generator, lam: np.ndarray, skew_norm: float) -> np.ndarray:
    """A = Q diag(lam) Q^T + K: symmetric part with the exact spectrum lam, skew part of norm skew_norm."""
    d = lam.shape[0]
    Q = orthogonal(rng, d)
    S = (Q * lam) @ Q.T
    return 0.5 * (S + S.T) + skew(rng, d, skew_norm)


def comonotone_matrix(rng: np.random.Generator, d: int, rho: float) -> np.ndarray:
    """Q B Q^T with B block-diagonal: 2x2 blocks r_k R(theta_k), cos(theta_k) = -rho_k r_k, so that
    sym(B^{-1}) = cos(theta_k)/r_k I = -rho_k I on block k; rho_0 = rho, rho_k in [0.3 rho, rho].
    For odd d the last 1x1 block is r > 0 (monotone). rho = 0 gives pure rotations by pi/2."""
    B = np.zeros((d, d))
    for k in range(d // 2):
        r = rng.uniform(0.5, 1.0) * (min(1.0, 1.0 / rho) if rho > 0 else 1.0)
        rk = rho if k == 0 else rho * rng.uniform(0.3, 1.0)
        c = -rk * r
        s = math.sqrt(1.0 - c * c)
        B[2 * k:2 * k + 2, 2 * k:2 * k + 2] = r * np.array([[c, -s], [s, c]])
    if d % 2:
        B[d - 1, d - 1] = rng.uniform(0.5, 1.0)
    Q = orthogonal(rng, d)
    return Q @ B @ Q.T


def block_skew(d: int) -> np.ndarray:
    J = np.zeros((d, d))
    for k in range(d // 2):
        J[2 * k + 1, 2 * k], J[2 * k, 2 * k + 1] = 1.0, -1.0
    return J


# ----------------------------------------------------------------------------- certified constants
def sym(A: np.ndarray) -> np.ndarray:
    return 0.5 * (A + A.T)


def strong_monotonicity(A: np.ndarray) -> tuple[float, np.ndarray]:
    """(mu, z): mu = lam_min(sym A), attained along z."""
    w, V = np.linalg.eigh(sym(A))
    return float(w[0]), V[:, 0]


def lipschitz(A: np.ndarray) -> tuple[float, np.ndarray]:
    """(L, z): L = sigma_max(A), attained along the top right singular vector z."""
    U, s, Vt = np.linalg.svd(A)
    return float(s[0]), Vt[0]


def cocoercivity(A: np.ndarray) -> tuple[float, np.ndarray]:
    """(beta, z): the largest beta with <A z, z> >= beta |A z|^2 for all z (sym A positive definite),
    attained along z."""
    C = np.linalg.cholesky(sym(A))
    Ci = np.linalg.inv(C)
    w, V = np.linalg.eigh(sym(Ci @ A.T @ A @ Ci.T))
    return float(1.0 / w[-1]), Ci.T @ V[:, -1]


def comonotonicity(A: np.ndarray) -> tuple[float, np.ndarray]:
    """(rho, z): the smallest rho >= 0 with <A z, z> >= -rho |A z|^2 for all z (A invertible),
    attained along z = A^{-1} u, u the bottom eigenvector of sym(A^{-1})."""
    Ai = np.linalg.inv(A)
    w, V = np.linalg.eigh(sym(Ai))
    return max(0.0, -float(w[0])), Ai @ V[:, 0]


def tanh_lipschitz(s: float, a: float, d: int) -> tuple[float, np.ndarray]:
    """(L, v): the sup over x of ||s J + a diag(sech^2(x - b))||_2 and the vertex v in {0, 1}^2 of
    one 2x2 block where it is reached (module docstring). d = 1: L = a (v = (1,))."""
    if d == 1:
        return float(a), np.array([1.0])
    best, arg = -1.0, None
    for v in ((1.0, 1.0), (1.0, 0.0), (0.0, 1.0), (0.0, 0.0)):
        n = float(np.linalg.norm(np.array([[a * v[0], -s], [s, a * v[1]]]), 2))
        if n > best:
            best, arg = n, np.array(v)
    return max(best, float(a)), arg


def line_probes(centre: np.ndarray, z: np.ndarray, scale: float):
    """Points centre + t z/|z|, t in [-scale, scale]: every pair among them differs along z."""
    u = z / np.linalg.norm(z)
    return lambda rng, n: [centre + t * u for t in rng.uniform(-scale, scale, n)]


__all__ = ["value", "linear_op", "tanh_op", "monotone_matrix", "comonotone_matrix", "block_skew",
           "strong_monotonicity", "lipschitz", "cocoercivity", "comonotonicity", "tanh_lipschitz", "line_probes"]

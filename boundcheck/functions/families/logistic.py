"""l2-regularized logistic regression on margins: with rows z_i = y_i a_i of ``A`` (n x d),

    f(x) = (1/n) sum_i log(1 + exp(-z_i^T x)) + (lam/2) ||x||^2,      lam = p[0] >= 0.

Hessian: (1/n) Z^T diag(s_i (1 - s_i)) Z + lam I with s_i = sigmoid(z_i^T x), and s (1 - s) <= 1/4
with equality iff the margin z_i^T x is 0. Hence

* L = ||Z||_2^2 / (4n) + lam exactly, attained at x = 0 (all margins 0), in the top right singular
  direction of Z;
* when n < d (rank-deficient data) the Hessian has the eigenvalue lam at every x (on null(Z)), so
  mu = lam exactly; along a null direction w, f(x + t w) - f(x) is exactly lam t <x, w> + lam t^2/2.

Without regularization a minimizer exists only for non-separable data; ``margins_data(...,
spanning=True)`` guarantees that by construction. The minimizer has no closed form; ``newton`` finds it to machine precision (damped Newton, then
full steps until the gradient stops decreasing). ``b`` is unused (pass a 1-vector).
"""
from __future__ import annotations

import math

import numpy as np
from numba import njit

from ...errors import CertificationError


@njit
def _softplus(t):
    """log(1 + exp(t)) without overflow or cancellation."""
    if t > 0.0:
        return t + math.log1p(math.exp(-t))
    return math.log1p(math.exp(t))


@njit
def _sigmoid(t):
    if t >= 0.0:
        return 1.0 / (1.0 + math.exp(-t))
    e = math.exp(t)
    return e / (1.0 + e)


@njit
def value(x, p, A, b):
    n, d = A.shape
    s = 0.0
    for i in range(n):
        m = 0.0
        for j in range(d):
            m += A[i, j] * x[j]
        s += _softplus(-m)
    r = 0.0
    for j in range(d):
        r += x[j] * x[j]
    return s / n + 0.5 * p[0] * r


@njit
def grad(x, p, A, b, out):
    n, d = A.shape
    for j in range(d):
        out[j] = p[0] * x[j]
    for i in range(n):
        m = 0.0
        for j in range(d):
            m += A[i, j] * x[j]
        w = -_sigmoid(-m) / n
        for j in range(d):
            out[j] += w * A[i, j]


def _np_grad_hess(x, Z, lam):
    n, d = Z.shape
    m = Z @ x
    e = np.exp(-np.abs(m))
    s_pos = np.where(m >= 0, 1.0 / (1.0 + e), e / (1.0 + e))  # sigmoid(m)
    s_neg = np.where(m >= 0, e / (1.0 + e), 1.0 / (1.0 + e))  # sigmoid(-m), no cancellation
    g = -(Z.T @ s_neg) / n + lam * x
    H = (Z.T * (s_pos * s_neg)) @ Z / n + lam * np.eye(d)
    return g, H


def hessian(x: np.ndarray, Z: np.ndarray, lam: float) -> np.ndarray:
    """(1/n) Z^T diag(s (1 - s)) Z + lam I at x (numpy; for the self-checks)."""
    return _np_grad_hess(np.asarray(x, dtype=float), Z, lam)[1]


def newton(Z: np.ndarray, lam: float, max_iter: int = 200) -> tuple[np.ndarray, float]:
    """Minimize f by damped Newton from 0; return (x*, ||grad f(x*)||).

    Runs Armijo-damped Newton steps, then full Newton steps while the gradient norm still
    decreases (quadratic convergence ends at rounding level). Raises ``CertificationError`` if the
    gradient does not reach 1e-12. A small gradient alone does not prove that a minimizer exists
    (on separable data f -> 0 along a ray and the gradient underflows): with lam = 0 the caller
    must pass non-separable data (``margins_data(..., spanning=True)``).
    """
    d = Z.shape[1]
    p = np.array([lam])
    dummy = np.zeros(1)
    f = lambda x: value(x, p, Z, dummy)
    x = np.zeros(d)
    for _ in range(max_iter):
        g, H = _np_grad_hess(x, Z, lam)
        gnorm_new = float(np.linalg.norm(g))
        if gnorm_new < 1e-9:
            break
        step = np.linalg.solve(H, g)
        t, fx, slope = 1.0, f(x), float(g @ step)
        while f(x - t * step) > fx - 0.25 * t * slope and t > 1e-12:
            t *= 0.5
        x = x - t * step
    g, H = _np_grad_hess(x, Z, lam)
    gnorm = float(np.linalg.norm(g))
    for _ in range(20):  # polishing: full Newton steps while they still help
        x_new = x - np.linalg.solve(H, g)
        g_new, H_new = _np_grad_hess(x_new, Z, lam)
        if not float(np.linalg.norm(g_new)) < gnorm:
            break
        x, g, H, gnorm = x_new, g_new, H_new, float(np.linalg.norm(g_new))
    scale = 1.0 + float(np.abs(Z).max())
    if not gnorm <= 1e-12 * scale:
        raise CertificationError(
            f"logistic: Newton did not reach a stationary point (||grad|| = {gnorm:.3g}); "
            "the data may be separable (no minimizer when lam = 0)")
    return x, gnorm


def margins_data(rng: np.random.Generator, n: int, d: int, label_noise: float = 0.2,
                 spanning: bool = False) -> np.ndarray:
    """Rows z_i = y_i a_i: Gaussian features, labels from a random linear rule with a fraction
    ``label_noise`` of labels flipped.

    ``spanning=True`` (needs n >= d + 1) makes the data provably non-separable: rows 0..d-1 are a
    Gaussian basis B and row d is -(c^T B) with all c_k > 0, so the z_i positively span R^d. Then
    for every x != 0 some margin z_i^T x is negative, f(t x) -> inf as t -> inf, and (with Z of
    full column rank) f has a unique minimizer even without regularization.
    """
    A = rng.standard_normal((n, d))
    w = rng.standard_normal(d)
    y = np.sign(A @ w)
    y[y == 0] = 1.0
    flip = rng.random(n) < label_noise
    y[flip] = -y[flip]
    Z = y[:, None] * A
    if spanning:
        if n < d + 1:
            raise ValueError("spanning margins need n >= d + 1")
        c = rng.uniform(0.5, 1.5, d) / np.sqrt(d)
        Z[d] = -(c @ Z[:d])
    return Z


def scale_to(Z: np.ndarray, target: float) -> tuple[np.ndarray, float]:
    """Rescale Z so that ||Z||_2^2 / (4n) = target (>= 0); return (Z, top right singular vector)."""
    n = Z.shape[0]
    _, sv, Vt = np.linalg.svd(Z, full_matrices=False)
    Z = Z * (math.sqrt(4.0 * n * target) / sv[0])
    return np.ascontiguousarray(Z), Vt[0].copy()


def lipschitz_of_gradient(Z: np.ndarray, lam: float) -> float:
    """||Z||_2^2 / (4n) + lam, recomputed from the final data (an SVD, exact to rounding)."""
    return float(np.linalg.norm(Z, 2) ** 2 / (4.0 * Z.shape[0]) + lam)

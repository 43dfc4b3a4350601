"""Radial tent family for gradient descent on gamma-quasar-convex L-smooth functions (T17).

    f(x) = phi(||x - x*||),   phi'(r) = L r on [0, p],  L (2p - r) on [p, x_k],  a on [x_k, inf),

so phi' is continuous and piecewise linear with slopes L, -L, 0: phi is L-smooth exactly (radial
Hessian eigenvalue phi'' in {L, -L, 0}, tangential phi'(r)/r in [0, L] since phi'(r) <= L r), and
phi(0) = 0 = f* at x* (phi' > 0 for r > 0). The descending piece ends at the kink x_k with slope
a = L s, so p = (x_k + s)/2 and phi(x_k) = (L/4)(x_k^2 + 2 s x_k - s^2).

Quasar-convexity is r phi'(r) >= gamma phi(r) (Hinder, Sidford, Sohoni, Def. 1 for a radial f):
h(r) = r phi' - gamma phi has h' = (1 - gamma) phi' + r phi''. It is positive on [0, p]
(h = (1 - gamma/2) L r^2), increasing beyond x_k (h' = (1 - gamma) a), and on [p, x_k] it is a
concave quadratic, so its minimum there is at an end. With x_k = rho s, h(x_k) >= 0 iff
gamma rho^2 + (2 gamma - 4) rho - gamma <= 0, i.e. rho <= rho_max(gamma) =
((2 - gamma) + sqrt((2 - gamma)^2 + gamma^2))/gamma; at rho_max the kink is a point where
quasar-convexity is tight, phi(x_k) = a x_k/gamma. ``certify`` checks h >= 0 at the ends of every
piece in exact rational arithmetic on the float parameters (the function the kernels evaluate).

Tuned to a horizon N: x0 = x* + R u and s = R/(N + rho), so gradient descent with step 1/L walks the
linear piece (gradient a, step s) and lands on the kink after exactly N steps:
f(x_N) - f* = phi(x_k) = L rho R^2/(gamma (N + rho)^2) at rho = rho_max. This is OUR construction (a
Huber-like tail ending on a quasar-tight kink), not a worst case from a paper. Data: p = [L, p, x_k];
the tail's slope is DEFINED as a = L (2p - x_k), so phi' is continuous for any stored floats (the
kernels compute a the same way, to the last bit).
"""
from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
from numba import njit

from ...errors import CertificationError


@njit
def _phi(r, p):
    L, pk, xk = p[0], p[1], p[2]
    a = L * (2.0 * pk - xk)
    if r <= pk:
        return 0.5 * L * r * r
    if r <= xk:
        return 0.5 * L * pk * pk + L * (2.0 * pk * (r - pk) - 0.5 * (r * r - pk * pk))
    fk = 0.5 * L * pk * pk + L * (2.0 * pk * (xk - pk) - 0.5 * (xk * xk - pk * pk))
    return fk + a * (r - xk)


@njit
def _dphi_over_r(r, p):
    L, pk, xk = p[0], p[1], p[2]
    a = L * (2.0 * pk - xk)
    if r <= pk:
        return L
    if r <= xk:
        return L * (2.0 * pk - r) / r
    return a / r


@njit
def value(x, p, A, b):
    r2 = 0.0
    for i in range(x.shape[0]):
        r2 += (x[i] - b[i]) ** 2
    return _phi(math.sqrt(r2), p)


@njit
def grad(x, p, A, b, out):
    r2 = 0.0
    for i in range(x.shape[0]):
        r2 += (x[i] - b[i]) ** 2
    k = _dphi_over_r(math.sqrt(r2), p)
    for i in range(x.shape[0]):
        out[i] = k * (x[i] - b[i])


def hessian(x: np.ndarray, p: np.ndarray, b: np.ndarray) -> np.ndarray:
    L, pk, xk = p
    y = np.asarray(x, float) - b
    r = float(np.linalg.norm(y))
    rad = L if r <= pk else (-L if r <= xk else 0.0)
    tang = float(_dphi_over_r(r, p))
    H = tang * np.eye(len(y))
    if r > 0:
        u = y / r
        H += (rad - tang) * np.outer(u, u)
    return H


def rho_max(gamma: float) -> float:
    """The largest kink ratio x_k/s at which the tent is gamma-quasar-convex (the tight one)."""
    return ((2 - gamma) + math.sqrt((2 - gamma) ** 2 + gamma * gamma)) / gamma


def parameters(L: float, gamma: float, R: float, N: int, margin: float = 1e-9) -> np.ndarray:
    """[L, p, x_k] tuned to N: x_k = rho s, s = R/(N + rho), rho = rho_max(gamma) (1 - margin)."""
    rho = rho_max(gamma) * (1 - margin)
    s = R / (N + rho)
    xk = rho * s
    return np.array([L, 0.5 * (xk + s), xk])


def certify(pv: np.ndarray, gamma: float) -> float:
    """Check r phi'(r) >= gamma phi(r) on every piece, exactly (Fractions of the float data).
    Returns the smallest value of h/(L x_k^2) at the checked points; raises when one is negative."""
    L, pk, xk = (Fraction(float(v)) for v in pv)
    a = L * (2 * pk - xk)
    g = Fraction(float(gamma))
    if not (0 < pk <= xk and a > 0):
        raise CertificationError("quasar tent: need 0 < p <= x_k < 2p (a positive tail slope)")

    def phi(r):
        if r <= pk:
            return L * r * r / 2
        if r <= xk:
            return L * pk * pk / 2 + L * (2 * pk * (r - pk) - (r * r - pk * pk) / 2)
        return phi(xk) + a * (r - xk)

    def dphi(r):
        return L * r if r <= pk else (L * (2 * pk - r) if r <= xk else a)

    # h is positive on (0, p], concave on [p, x_k] (minimum at an end) and increasing beyond x_k
    worst = min(r * dphi(r) - g * phi(r) for r in (pk, xk))
    if worst < 0:
        raise CertificationError(f"quasar tent: r phi'(r) - gamma phi(r) = {float(worst):.3g} < 0 at a piece end")
    return float(worst / (L * xk * xk))


__all__ = ["value", "grad", "hessian", "rho_max", "parameters", "certify"]

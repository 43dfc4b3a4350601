"""The 1-D worst case of gradient descent on L-smooth nonconvex functions for the min-gradient
measure normalised by the decrease f(x_0) - f(x_N) (T02).

GD with step h/L moving with gradient g travels s = h g/L per step. Between two iterates the
derivative dips like a tent, with slope -L then +L, and is back to g at the next iterate:

    f'(x) = g - L min(u, s - u),   u = (x_0 - x) mod s,            x_N <= x <= x_0 = x_N + N s,
    f'(x) = g,                                                      x >= x_0,
    f'(x) = L (x - x*),   x* = x_N - g/L,                           x <= x_N.

f' is continuous and L-Lipschitz (slopes in {-L, 0, L}), so f is L-smooth, and nonconvex (f'' = -L
on half of every period). f' > 0 on (x*, inf) (its smallest value there is g (1 - h/2) > 0 for
h < 2) and f' < 0 below x*, so x* is the unique global minimiser, f* = 0. Each iterate x_k = x_0 - k s
sits on a tent's top, so ||grad f(x_k)|| = g for k = 0..N, while each step lowers f by only
s (g - L s/4) = (h g^2/L)(1 - h/4). Hence

    min_k ||grad f(x_k)||^2 = 4 L (f(x_0) - f(x_N)) / (N h (4 - h)),

the min-gradient bound with c(h) = 4/(h(4-h)) (4/3 at h = 1) attained with equality.

A tent's top is unstable under GD: an iterate a rounding error e behind it is (1 + h) e behind the
next one (2^64 e after 64 steps at h = 1). So each top is cut flat over a plateau of half-width
a = 1e-6 s (f' = g there, f'' = 0): rounding errors then stay on the plateau, and the decrease per
step becomes s g - L (s/2 - a)^2, which makes the measured constant c(h) (1 - O(a/s)): 4e-6
relative below 4/(h(4-h)), not above it. With a: f'(x) = g - L max(0, min(u, s - u) - a).

``p = [L, g, s, xN, N, a]`` (``A``, ``b`` unused). The kernels act on the first coordinate; the others
carry (L/2) x_i^2 (x* = 0 there), so the instance lives in any dimension.
"""
from __future__ import annotations

import math

from numba import njit

PLATEAU = 1e-6  # half-width of the flat top of each tent, relative to the step length s


@njit
def _dip_integral(r, s, a):
    """int_0^r max(0, min(t, s - t) - a) dt for 0 <= r <= s (a < s/2)."""
    if r <= a:
        return 0.0
    if r <= 0.5 * s:
        return 0.5 * (r - a) ** 2
    if r <= s - a:
        return (0.5 * s - a) ** 2 - 0.5 * (s - r - a) ** 2
    return (0.5 * s - a) ** 2


@njit
def value(x, p, A, b):
    L, g, s, xN, N, a = p[0], p[1], p[2], p[3], p[4], p[5]
    x0 = xN + N * s
    xs = xN - g / L
    t = x[0]
    if t <= xN:
        v = 0.5 * L * (t - xs) ** 2
    else:
        per = s * g - L * (0.5 * s - a) ** 2  # f drop over one full period
        base = 0.5 * g * g / L
        if t >= x0:
            v = base + N * per + g * (t - x0)
        else:
            w = t - xN
            m = math.floor(w / s)
            if m >= N:
                m = N - 1
            r = w - m * s
            v = base + m * per + g * r - L * _dip_integral(r, s, a)
    for i in range(1, x.shape[0]):
        v += 0.5 * L * x[i] * x[i]
    return v


@njit
def grad(x, p, A, b, out):
    L, g, s, xN, N, a = p[0], p[1], p[2], p[3], p[4], p[5]
    x0 = xN + N * s
    t = x[0]
    if t <= xN:
        out[0] = g + L * (t - xN)
    elif t >= x0:
        out[0] = g
    else:
        u = (x0 - t) % s
        out[0] = g - L * max(0.0, min(u, s - u) - a)
    for i in range(1, x.shape[0]):
        out[i] = L * x[i]


def curvature(x, p) -> float:
    """f'' on the first coordinate (one-sided at the kinks), for the class self-check."""
    L, g, s, xN, N, a = (float(v) for v in p[:6])
    x0 = xN + N * s
    t = float(x[0])
    if t <= xN:
        return L
    if t >= x0:
        return 0.0
    u = (x0 - t) % s
    if min(u, s - u) <= a:
        return 0.0
    return L if u < 0.5 * s else -L


def build(p: dict, rng) -> "Instance":
    """smooth-nonconvex instance 'zigzag': x0 at distance R from x* (g = L R/(N h + 1)), tuned to N, h."""
    import numpy as np

    from ..base import Certified, Instance

    d, L, R, N, h = int(p["d"]), float(p["L"]), float(p["R"]), int(p["N"]), float(p["h"])
    g = L * R / (N * h + 1.0)  # ||x0 - x*|| = N s + g/L = R
    s = h * g / L
    xN = g / L  # x* = 0
    a = PLATEAU * s
    par = np.array([L, g, s, xN, float(N), a])
    x0 = np.zeros(d)
    x0[0] = xN + N * s
    drop = N * (s * g - L * (0.5 * s - a) ** 2)

    def probes(rng, n):
        # points where the curvature is +L and -L (both halves of a tent), and on the outer branches
        return [np.concatenate([[t], 0.1 * R * rng.standard_normal(d - 1)])
                for t in rng.uniform(-0.5 * R, 1.5 * R, n)]

    def hess(x):
        H = L * np.eye(d)
        H[0, 0] = curvature(x, par)
        return H

    return Instance(
        function="smooth-nonconvex", generator="zigzag", params=p, d=d, value=value, grad=grad,
        data=(par, np.zeros((1, 1)), np.zeros(1)), x0=x0, x_star=np.zeros(d), f_star=0.0,
        constants={"L": Certified(L, "exact: f' is piecewise linear with slopes in {-L, 0, L} on the first "
                                  "coordinate and L on the others; |f''| = L is attained")},
        probes=probes, hess=hess,
        notes=f"g = L R/(N h + 1) = {g!r}, step length s = h g/L = {s!r}; GD with step h/L from x0 keeps "
              f"||grad f(x_k)|| = g for k = 0..{N} and f(x0) - f(x_N) = N (s g - L (s/2 - a)^2) = {drop!r} "
              f"(plateau a = {a!r}), so min ||grad||^2 = 4 L (f(x0) - f(x_N))/(N h (4 - h)) (1 - O(a/s))",
    )

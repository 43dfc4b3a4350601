"""The 1-D Huber function, the worst case of gradient descent on smooth convex functions (T01):

    f(x) = L tau |x| - L tau^2 / 2   for |x| >= tau,      f(x) = (L/2) x^2   for |x| < tau,

with ``p = [L, tau]`` (``A``, ``b`` unused). f is convex, L-smooth (f'' = L on (-tau, tau), 0
outside), minimized at 0 with f* = 0. From x0 = R, gradient descent with step h/L and
tau = R/(2Nh + 1) moves by exactly h tau per step and stays on the linear branch, ending at
x_N = tau (Nh + 1) with f(x_N) = L R^2 / (2 (2Nh + 1)) (Drori-Teboulle 2014, Thm 3.1 is tight).

The kernels follow the formula branch by branch (no smoothing), so runs reproduce the closed form
to rounding.
"""
from __future__ import annotations

from numba import njit


@njit
def value(x, p, A, b):
    L, tau = p[0], p[1]
    s = 0.0
    for i in range(x.shape[0]):
        a = abs(x[i])
        if a >= tau:
            s += L * tau * a - 0.5 * L * tau * tau
        else:
            s += 0.5 * L * x[i] * x[i]
    return s


@njit
def grad(x, p, A, b, out):
    L, tau = p[0], p[1]
    for i in range(x.shape[0]):
        if x[i] >= tau:
            out[i] = L * tau
        elif x[i] <= -tau:
            out[i] = -L * tau
        else:
            out[i] = L * x[i]

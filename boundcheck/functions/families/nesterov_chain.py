"""Nesterov's tridiagonal quadratic, the lower-bound function for first-order methods on L-smooth
convex functions (Nesterov, Introductory Lectures, 2004, Sec. 2.1.2, Thm 2.1.7):

    f(x) = (L/4) ( (1/2) [x_1^2 + sum_{i=1}^{k-1} (x_i - x_{i+1})^2 + x_k^2] - s x_1 ),   k = 2N + 1,

over the first k coordinates (the others do not enter f). Its Hessian (L/4) A, A = tridiag(-1, 2, -1),
has eigenvalues (L/2)(1 - cos(j pi/(k+1))), j = 1..k, in (0, L): f is convex and L-smooth (the top
eigenvalue L (1 + cos(pi/(k+1)))/2 tends to L). The minimiser is x*_i = s (1 - i/(k+1)) (i <= k),
f* = -(L/8) s^2 (1 - 1/(k+1)). From x0 = 0 every method whose iterates stay in the Krylov spans of
the gradients (GD, heavy ball, FGM, OGM, ...) has x_N in span(e_1..e_N), hence

    f(x_N) - f* >= 3 L ||x0 - x*||^2 / (32 (N + 1)^2)           (Thm 2.1.7, with k = 2N + 1),

and ||x_N - x*||^2 >= ||x0 - x*||^2 / 8. s is chosen so that ||x0 - x*|| = R.

``p = [L, s, k]`` (``A``, ``b`` unused); O(d) per call.
"""
from __future__ import annotations

import math

import numpy as np
from numba import njit


@njit
def value(x, p, A, b):
    L, s, k = p[0], p[1], int(p[2])
    q = x[0] * x[0] + x[k - 1] * x[k - 1]
    for i in range(k - 1):
        dlt = x[i] - x[i + 1]
        q += dlt * dlt
    return 0.25 * L * (0.5 * q - s * x[0])


@njit
def grad(x, p, A, b, out):
    L, s, k = p[0], p[1], int(p[2])
    for i in range(x.shape[0]):
        out[i] = 0.0
    for i in range(k):
        v = 2.0 * x[i]
        if i > 0:
            v -= x[i - 1]
        if i < k - 1:
            v -= x[i + 1]
        out[i] = 0.25 * L * v
    out[0] -= 0.25 * L * s


def build(cls_name: str, p: dict, rng) -> "Instance":
    from ...errors import ParamError
    from ..base import Certified, Instance

    d, L, R, N = int(p["d"]), float(p["L"]), float(p["R"]), int(p["N"])
    k = 2 * N + 1
    if d < k:
        raise ParamError(f"{cls_name}: instance 'nesterov' tuned to N = {N} needs d >= 2N + 1 = {k} (got d={d})")
    i = np.arange(1, k + 1)
    unit = 1.0 - i / (k + 1.0)  # the minimiser for s = 1
    s = R / float(np.linalg.norm(unit))
    x_star = np.zeros(d)
    x_star[:k] = s * unit
    f_star = -0.125 * L * s * s * (1.0 - 1.0 / (k + 1))
    top = 0.5 * L * (1.0 + math.cos(math.pi / (k + 1)))
    H = np.zeros((d, d))
    H[:k, :k] = 0.25 * L * (2.0 * np.eye(k) - np.eye(k, k=1) - np.eye(k, k=-1))

    def probes(prng, n):
        return [x_star + R * prng.standard_normal(d) * prng.uniform(0.01, 2.0) for _ in range(n)]

    return Instance(
        function=cls_name, generator="nesterov", params=p, d=d, value=value, grad=grad,
        data=(np.array([L, s, float(k)]), np.zeros((1, 1)), np.zeros(1)), x0=np.zeros(d), x_star=x_star,
        f_star=f_star,
        constants={"L": Certified(L, "rigorous: the Hessian (L/4) tridiag(-1, 2, -1) has eigenvalues "
                                  "(L/2)(1 - cos(j pi/(k+1))) < L; the top one is L (1 + cos(pi/(k+1)))/2",
                                  exact=False, tightness=top / L)},
        probes=probes, hess=lambda x: H,
        notes=f"k = 2N + 1 = {k} coupled coordinates of {d}; x0 = 0, ||x0 - x*|| = R; every Krylov method has "
              f"f(x_N) - f* >= 3 L R^2/(32 (N+1)^2) = {3 * L * R * R / (32 * (N + 1) ** 2)!r}",
    )

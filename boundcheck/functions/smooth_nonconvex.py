"""smooth-nonconvex (L): functions with L-Lipschitz gradient (curvature in [-L, L]), not convex.

Interpolation (Taylor, Hendrickx, Glineur, SIAM J. Optim. 27(3) 2017, Thm 3.10; PEPit's
SmoothFunction): {(x_i, g_i, f_i)} is interpolable by an L-smooth function iff for all i, j

    f_i >= f_j + <g_j, x_i - x_j> + 1/(2L) ||g_i - g_j||^2 - L/4 ||x_i - x_j - (g_i - g_j)/L||^2,

equivalently f_i - f_j >= 1/2 <g_i + g_j, x_i - x_j> + 1/(4L)||g_i - g_j||^2 - L/4 ||x_i - x_j||^2.
On a 1-D quadratic with curvature c the pair condition reads c^2 <= L^2, so it is tight wherever
the curvature reaches +-L; the probes sit there.

The claims' x* is a global minimiser (||x0 - x*|| <= R, f* = min f). With x* in the PEP as the point
(x*, 0, f*), the pair conditions alone make it only a stationary point (the old silent wrong answer:
min ||g_i||^2 <= ||g_0||^2 = L^2 R^2 at every N). The star condition f_i - f* >= ||g_i||^2/(2L) (the
descent lemma at x_i - g_i/L) adds f_i >= f*; it is necessary, and no finite set of such rows is known
to characterise "x* is a global minimiser" exactly, so such a PEP is a relaxation (provenance
``necessary``): an upper bound only. It is used only when x* takes part (with_star): the f-decrease
PEP of T02 does not mention x* and stays exact.

Generators (L exact, attained; x*, f* global and proven, not searched for):

* ``cosine`` (default): s sum_i (t_i^2/2 + a (1 - cos(k t_i))), t = x - x*, with a k^2 = q > 1 and
  s = L/(1 + q): curvature in [-L (q-1)/(q+1), L], L attained at x*, negative curvature at
  k t_i = pi. Every term is >= 0 and vanishes only at t = 0, so x* is the unique global minimizer,
  f* = 0. Other stationary points solve sin(u) = -u/q (u = k t); they exist iff q > 4.6033...
  (tangency of sin u and -u/q on (pi, 3pi/2)): then each coordinate has spurious local minima.
* ``cauchy``: robust regression (1/n) sum rho(a_i^T x - b_i) with the Cauchy loss
  rho(r) = delta^2/2 log(1 + r^2/delta^2), noiseless targets b = A x_true; rho'' in [-1/8, 1] gives
  curvature in [-L/8, L] with L = ||A||^2/n attained at x_true = x*, f* = 0.
"""
from __future__ import annotations

import math

import numpy as np

from ..params import Interval, Param
from ..pep.worst_instance import generator as pep_worst
from .base import Certified, Condition, FunctionClass, Generator, Instance, unit_vector
from .families import cauchy, cosine, zigzag


def interpolation(pi, pj, c):
    """f_i - f_j - <g_j, dx> - 1/(2L)||dg||^2 + L/4 ||dx - dg/L||^2 >= 0"""
    L = c["L"]
    dx, dg = pi.x - pj.x, pi.g - pj.g
    r = dx - dg / L
    return pi.f - pj.f - pj.g @ dx - (dg @ dg) / (2 * L) + (L / 4) * (r @ r)


def global_min(pi, ps, c):
    """f_i - f* - 1/(2L)||g_i||^2 >= 0: x* a global minimiser (f* <= f(x_i - g_i/L) <= f_i - ||g_i||^2/(2L))"""
    return pi.f - ps.f - (pi.g @ pi.g) / (2 * c["L"])


def _cosine(p: dict, rng: np.random.Generator) -> Instance:
    d, L, R, q, k = p["d"], p["L"], p["R"], p["q"], p["k"]
    s, a = L / (1.0 + q), q / (k * k)
    x_star = rng.standard_normal(d)
    par = np.array([s, a, k])

    def probes(rng, n):
        pts = [x_star.copy()]
        for _ in range(n - 1):
            i = rng.integers(d)
            x = x_star.copy()
            # half the probes where f'' = L (near t = 0), half where f'' is most negative (k t = pi)
            x[i] += rng.uniform(-0.3, 0.3) / k + (math.pi / k if rng.random() < 0.5 else 0.0)
            pts.append(x)
        return pts

    return Instance(
        function="smooth-nonconvex", generator="cosine", params=p, d=d,
        value=cosine.value, grad=cosine.grad,
        data=(par, np.zeros((1, 1)), x_star), x0=x_star + R * unit_vector(rng, d), x_star=x_star, f_star=0.0,
        constants={"L": Certified(L, "exact: the Hessian is diagonal, s (1 + q cos(k t_i)) in "
                                  "[-L (q-1)/(q+1), L]; the maximum L = s (1 + q) is attained at x*")},
        probes=probes,
        hess=lambda x: np.diag(cosine.hessian_diag(x, par, x_star)),
        notes=f"s = {s!r}, a = {a!r}, k = {k!r}; curvature in [{s * (1 - q)!r}, {L!r}]; "
              "x* unique global minimizer and f* = 0 because every term is >= 0 with equality only at t = 0",
    )


def _cauchy(p: dict, rng: np.random.Generator) -> Instance:
    d, L, R, delta = p["d"], p["L"], p["R"], p["delta"]
    n = p["n"] or 2 * d
    A = rng.standard_normal((n, d))
    _, sv, Vt = np.linalg.svd(A, full_matrices=False)
    A = np.ascontiguousarray(A * (math.sqrt(n * L) / sv[0]))
    top = Vt[0].copy()
    x_star = rng.standard_normal(d)
    b = A @ x_star
    L_cert = float(np.linalg.norm(A, 2) ** 2 / n)
    # probe step so that every residual stays below delta/10 (rho'' >= 0.97 there)
    s_max = 0.1 * delta / float(np.abs(A @ top).max())
    return Instance(
        function="smooth-nonconvex", generator="cauchy", params=p, d=d,
        value=cauchy.value, grad=cauchy.grad,
        data=(np.array([delta]), A, b), x0=x_star + R * unit_vector(rng, d), x_star=x_star, f_star=0.0,
        constants={"L": Certified(L_cert, "exact: rho'' in [-1/8, 1] bounds the Hessian by ||A||^2/n "
                                  "(SVD), with equality at x* where every residual is 0")},
        probes=lambda rng, n_: [x_star + t * top for t in rng.uniform(-s_max, s_max, n_)],
        hess=lambda x: cauchy.hessian(np.asarray(x, dtype=float), delta, A, b),
        notes=f"n={n} Gaussian rows rescaled to ||A||^2/n = L, b = A x* (noiseless), delta = {delta!r}; "
              "x* global minimizer and f* = 0 because rho >= 0 with rho(0) = 0",
    )


_POS = Interval(0, float("inf"), lo_open=True, hi_open=True)

PLUGIN = FunctionClass(
    name="smooth-nonconvex",
    summary="L-smooth (gradient L-Lipschitz), possibly nonconvex",
    definition="||grad f(x) - grad f(y)|| <= L ||x - y|| for all x, y (curvature in [-L, L])",
    constants=(Param("L", _POS, 1.0, "smoothness constant"),),
    stronger={"L": "smaller"},
    generators=(
        Generator("cosine", "s sum (t_i^2/2 + a (1 - cos(k t_i))), a k^2 = q > 1, s = L/(1+q); x* = b, f* = 0",
                  _cosine,
                  params=(Param("q", Interval(1, float("inf"), lo_open=True, hi_open=True), 3.0,
                                "a k^2: curvature ratio; nonconvex since q > 1, spurious local minima when q > 4.6033"),
                          Param("k", _POS, math.pi, "frequency of the cosine (period 2 pi/k)"))),
        Generator("cauchy", "robust regression with the Cauchy loss, noiseless targets, L = ||A||^2/n",
                  _cauchy, matrix=lambda p: (max(p["n"] or 2 * p["d"], p["d"]), p["d"]),
                  params=(Param("n", Interval(0, 10**7, integer=True), 0, "number of data points (0: 2 d)"),
                          Param("delta", _POS, 0.5, "scale of the Cauchy loss (rho'' < 0 for |r| > delta)"))),
        pep_worst("smooth-nonconvex", ("L",), "gd[h=1]", "grad-sq", "f-decrease[F0=1]"),  # pep/worst_instance.py
        Generator("zigzag", "T02: 1-D worst case of GD for min ||grad||^2 against f(x0) - f(x_N) (tent-shaped f'), "
                  "tuned to N, h; x0 at distance R from x* = 0", zigzag.build,
                  params=(Param("N", Interval(1, 10**9, integer=True), 10, "horizon the instance is tuned to"),
                          Param("h", Interval(0, 2, lo_open=True, hi_open=True), 1.0,
                                "normalized step (step = h/L) it is tuned to"))),
    ),
    default_generator="cosine",
    conditions=(
        Condition("smooth interpolation", "pair", interpolation, "interpolation", "exact",
                  "f_i >= f_j + <g_j, x_i - x_j> + 1/(2L)||g_i - g_j||^2 - L/4||x_i - x_j - (g_i - g_j)/L||^2",
                  "Taylor, Hendrickx, Glineur, SIAM J. Optim. 27(3) (2017), Thm 3.10"),
        # x* of a claim is a global minimiser, not only a stationary point: the pair rows with
        # (x*, 0, f*) make it stationary; this row makes f_i >= f* (and more) at every point. Finitely
        # many such rows are necessary, not known to be sufficient, so the PEP becomes a relaxation.
        Condition("global minimum", "star", global_min, "necessary", "relaxation",
                  "f_i - f* >= 1/(2L)||g_i||^2  (implies f_i >= f*)",
                  "Nesterov, Introductory Lectures on Convex Optimization (2004), Lemma 1.2.3 (descent lemma) "
                  "at y = x_i - g_i/L, with f(y) >= f* = min f; necessary, not known to be sufficient",
                  with_star=True),
    ),
    references=("A. Taylor, J. Hendrickx, F. Glineur, SIAM J. Optim. 27(3):1283-1313 (2017), arXiv 1512.07516",
                "H. Abbaszadehpeivasti, E. de Klerk, M. Zamani, Optim. Lett. 16 (2022), arXiv 2104.05468"),
)

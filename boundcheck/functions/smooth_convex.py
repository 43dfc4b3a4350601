"""smooth-convex (L): convex functions with L-Lipschitz gradient.

Interpolation (Taylor, Hendrickx, Glineur 2017, Thm 4): a set {(x_i, g_i, f_i)} is interpolable by
a convex L-smooth function iff for all i, j

    f_i >= f_j + <g_j, x_i - x_j> + 1/(2L) ||g_i - g_j||^2.

Generators (each certifies L exactly, i.e. L is attained, and probes where it is attained):

* ``quadratic`` (default): 1/2 (x-x*)^T A (x-x*), spectrum of A in [0, L] with both ends.
* ``logistic``: logistic regression on seeded data made non-separable by construction (d + 1 margin
  vectors positively span R^d, so a minimizer exists), L = ||Z||^2/(4n) (attained at x = 0, where
  every margin is 0); x*, f* by Newton's method to machine precision.
* ``huber``: the 1-D worst case of gradient descent (T01), x0 = R, x* = 0, tau = R/(2Nh + 1).
"""
from __future__ import annotations

import numpy as np

from ..errors import ParamError
from ..params import Choice, Interval, Param
from ..pep.worst_instance import generator as pep_worst
from .base import Certified, Condition, FunctionClass, Generator, Instance, unit_vector
from .families import huber, logistic, nesterov_chain, quadratic, quadsum
from ..oracles import NAMES as ORACLE_MODELS


def interpolation(pi, pj, c):
    """f_i - f_j - <g_j, x_i - x_j> - 1/(2L) ||g_i - g_j||^2 >= 0"""
    dg = pi.g - pj.g
    return pi.f - pj.f - pj.g @ (pi.x - pj.x) - (dg @ dg) / (2 * c["L"])


def _quadratic(p: dict, rng: np.random.Generator) -> Instance:
    """Random PSD quadratic: spectrum with lam_max = L exactly, lam_min = 0 (convex, not strongly)."""
    d, L, R = p["d"], p["L"], p["R"]
    lam = np.sort(rng.uniform(0.0, L, d))[::-1]
    lam[0] = L
    if d > 1:
        lam[-1] = 0.0
    A = quadratic.build_matrix(lam, rng)
    x_star = rng.standard_normal(d)
    u = unit_vector(rng, d)
    top = np.linalg.eigh(A)[1][:, -1]
    return Instance(
        function="smooth-convex", generator="quadratic", params=p, d=d,
        value=quadratic.value, grad=quadratic.grad,
        data=(np.array([0.0]), A, x_star), x0=x_star + R * u, x_star=x_star, f_star=0.0,
        constants={"L": Certified(L, "exact: largest eigenvalue of A = Q diag(lam) Q^T, lam_max set to L")},
        probes=lambda rng, n: [x_star + s * top for s in rng.uniform(-2 * R, 2 * R, n)],
        hess=lambda x: A,
    )


def _logistic(p: dict, rng: np.random.Generator) -> Instance:
    """(1/n) sum log(1 + exp(-z_i^T x)); Z rescaled so that ||Z||_2^2/(4n) = L (attained at 0)."""
    d, L, R = p["d"], p["L"], p["R"]
    n = p["n"] or 4 * d
    if n < d + 1:
        raise ParamError(f"smooth-convex: instance 'logistic' needs n >= d + 1 data points (got n={n}, d={d})")
    Z, top = logistic.scale_to(logistic.margins_data(rng, n, d, spanning=True), L)
    x_star, gnorm = logistic.newton(Z, 0.0)
    data = (np.array([0.0]), Z, np.zeros(1))
    f_star = float(logistic.value(x_star, *data))
    L_cert = logistic.lipschitz_of_gradient(Z, 0.0)
    return Instance(
        function="smooth-convex", generator="logistic", params=p, d=d,
        value=logistic.value, grad=logistic.grad, data=data,
        x0=x_star + R * unit_vector(rng, d), x_star=x_star, f_star=f_star,
        constants={"L": Certified(L_cert, "exact: ||Z||_2^2/(4n) from the SVD of the data; the "
                                  "Hessian Z^T diag(s(1-s)) Z/n <= Z^T Z/(4n), equality at x = 0")},
        probes=lambda rng, n_: [np.zeros(d)] + [s * top for s in rng.uniform(-0.3, 0.3, n_) / np.sqrt(L)],
        hess=lambda x: logistic.hessian(x, Z, 0.0),
        notes=f"n={n} rows z_i = y_i a_i (20% labels flipped; d + 1 rows positively span R^d, so the "
              f"data are not separable and x* exists); x* by Newton's method to machine "
              f"precision (||grad f(x*)|| = {gnorm:.1e}), f* = f(x*)",
    )


def _huber(p: dict, rng: np.random.Generator) -> Instance:
    """T01 worst case: L tau |x| - L tau^2/2 off (-tau, tau), (L/2) x^2 on it; x0 = R, x* = 0."""
    L, R, N, h = p["L"], p["R"], p["N"], p["h"]
    tau = R / (2 * N * h + 1)
    return Instance(
        function="smooth-convex", generator="huber", params=p, d=1,
        value=huber.value, grad=huber.grad,
        data=(np.array([L, tau]), np.zeros((1, 1)), np.zeros(1)),
        x0=np.array([R]), x_star=np.zeros(1), f_star=0.0,
        constants={"L": Certified(L, "exact: f'' = L on (-tau, tau) and 0 outside (f' is L-Lipschitz, "
                                  "with equality for any two points in [-tau, tau])")},
        probes=lambda rng, n_: [np.array([t]) for t in rng.uniform(-tau, tau, n_)],
        hess=lambda x: np.array([[L if abs(x[0]) < tau else 0.0]]),  # one-sided at |x| = tau
        notes=f"tau = R/(2Nh+1) = {tau!r}; GD with step h/L from x0 = R gives "
              f"f(x_N) = L R^2/(2(2Nh+1)) = {L * R * R / (2 * (2 * N * h + 1))!r}",
    )


PLUGIN = FunctionClass(
    name="smooth-convex",
    summary="convex, L-smooth (gradient L-Lipschitz)",
    definition="f convex and ||grad f(x) - grad f(y)|| <= L ||x - y|| for all x, y",
    constants=(Param("L", Interval(0, float("inf"), lo_open=True, hi_open=True), 1.0, "smoothness constant"),),
    stronger={"L": "smaller"},
    generators=(
        Generator("quadratic", "1/2 (x-x*)^T A (x-x*), A = Q diag(lam) Q^T, lam in [0, L], lam_max = L", _quadratic,
                  matrix=lambda p: (p["d"], p["d"])),
        Generator("logistic", "logistic regression on seeded non-separable data, L = ||Z||^2/(4n)", _logistic,
                  matrix=lambda p: (max(p["n"] or 4 * p["d"], p["d"]), p["d"]),  # Z, and Newton's d x d Hessian
                  params=(Param("n", Interval(0, 10**7, integer=True), 0, "number of data points, >= d + 1 (0: 4 d)"),)),
        Generator("huber", "1-D worst case of GD (T01): Huber with tau = R/(2Nh+1), x0 = R, x* = 0", _huber,
                  params=(Param("N", Interval(1, 10**9, integer=True), 10, "horizon the instance is tuned to"),
                          Param("h", Interval(0, 1, lo_open=True), 1.0, "normalized step (step = h/L) it is tuned to")),
                  d_fixed=1),
        Generator("nesterov", "Nesterov's tridiagonal quadratic on k = 2N + 1 coordinates, x0 = 0, ||x0 - x*|| = R: every "
                  "Krylov method has f(x_N) - f* >= 3 L R^2/(32 (N+1)^2)",
                  lambda p, rng: nesterov_chain.build("smooth-convex", p, rng), d_default=5,
                  params=(Param("N", Interval(1, 10**6, integer=True), 2, "horizon it is tuned to (needs d >= 2N + 1)"),)),
        Generator("quadsum", "T23: (1/n) sum (L/2)(x - b_i)^2, b_i = +/- sigma/L (1-D finite sum for shuffling SGD)",
                  quadsum.build, d_fixed=1, params=(
                      Param("n", Interval(2, 10**6, integer=True), 10, "number of components (even)"),
                      Param("sigma", Interval(0, float("inf"), lo_open=True, hi_open=True), 1.0,
                            "spread: (1/n) sum ||grad f_i(x*)||^2 = sigma^2"),
                      Param("sampling", Choice(ORACLE_MODELS), "rr",
                            "finite-sum oracle model (boundcheck/oracles): reshuffle (rr), with-replacement (iid), "
                            "shuffle-once (so), incremental (cyclic)"))),
        pep_worst("smooth-convex", ("L",)),  # the PEP worst case rebuilt (pep/worst_instance.py)
    ),
    default_generator="quadratic",
    conditions=(
        Condition("smooth-convex interpolation", "pair", interpolation, "interpolation", "exact",
                  "f_i >= f_j + <g_j, x_i - x_j> + 1/(2L)||g_i - g_j||^2",
                  "Taylor, Hendrickx, Glineur, Math. Prog. 161 (2017), Thm 4"),
    ),
    references=("Y. Nesterov, Introductory Lectures on Convex Optimization (2004), Thm 2.1.5",
                "A. Taylor, J. Hendrickx, F. Glineur, Math. Prog. 161 (2017), arXiv 1502.05666",
                "Y. Drori, M. Teboulle, Math. Prog. 145 (2014), arXiv 1206.3209, Thm 3.1 (huber worst case)"),
)

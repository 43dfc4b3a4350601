"""smooth-strongly-convex (L, mu): mu-strongly convex functions with L-Lipschitz gradient, 0 < mu <= L.

Interpolation (Taylor, Hendrickx, Glineur 2017, Thm 4): {(x_i, g_i, f_i)} is interpolable by an
L-smooth mu-strongly convex function iff for all i, j

    f_i >= f_j + <g_j, x_i - x_j>
           + 1/(2(1 - mu/L)) (1/L ||g_i - g_j||^2 + mu ||x_i - x_j||^2 - 2 mu/L <g_j - g_i, x_j - x_i>),

written below in the equivalent form used by PEPit,
f_i >= f_j + <g_j, dx> + 1/(2L) ||dg||^2 + mu/(2(1 - mu/L)) ||dx - dg/L||^2 (dx = x_i - x_j,
dg = g_i - g_j). The theorem needs mu < L. At mu = L (kappa = 1, the isotropic case) the class is
the quadratics L/2 ||x - c||^2 + f0 and the factor 1/(1 - mu/L) is infinite; the limit of the
conditions is, for all i, j,

    g_i - g_j = L (x_i - x_j)    and    f_i >= f_j + <g_j, x_i - x_j> + 1/(2L) ||g_i - g_j||^2,

(the first as -||dg - L dx||^2/L >= 0, a second pair condition used only at mu = L; with it, the
two inequalities for (i, j) and (j, i) add up to 0, so both hold with equality: exactly the
interpolation conditions of L/2 ||x - c||^2 + f0, c = x_i - g_i/L for every i). The self-checks use
them (a claimed mu = L on an instance with mu < L is caught). The PEP refuses mu = L: equalities
leave its SDP without a strictly feasible point, and the solvers then return 'inaccurate' (or a
value off by about 1e-4 relative with every pair): the worst case is that of the quadratic itself,
e.g. L/2 (1 - h)^(2N) R^2 for the last-iterate gap of gradient descent with step h/L.
On a quadratic with curvature c along dx the condition reads (c - L)(c - mu) <= 0: it is tight at
both ends of the spectrum, which is where the probes sit.

Generators (both certify L and mu exactly, i.e. both are attained):

* ``quadratic`` (default): 1/2 (x-x*)^T A (x-x*), spectrum of A in [mu, L] containing mu and L.
* ``logistic``: (1/n) sum log(1 + exp(-z_i^T x)) + mu/2 ||x||^2 with n < d rows, so the Hessian
  has the eigenvalue mu on null(Z) at every x; ||Z||^2/(4n) = L - mu, attained at x = 0.
"""
from __future__ import annotations

import numpy as np

from ..errors import ParamError
from ..params import Interval, Param, Relation
from ..pep.worst_instance import generator as pep_worst
from .base import Certified, Condition, FunctionClass, Generator, Instance, unit_vector
from ..oracles import NAMES as ORACLE_MODELS
from ..params import Choice
from .families import axis, logistic, quadratic, quadsum_kappa


def interpolation(pi, pj, c):
    """f_i - f_j - <g_j, dx> - 1/(2L)||dg||^2 - mu/(2(1 - mu/L))||dx - dg/L||^2 >= 0"""
    L, mu = c["L"], c["mu"]
    dx, dg = pi.x - pj.x, pi.g - pj.g
    r = dx - dg / L
    base = pi.f - pj.f - pj.g @ dx - (dg @ dg) / (2 * L)
    if mu < L:
        return base - mu / (2 * (1 - mu / L)) * (r @ r)
    if mu == L:  # the limit: dg = L dx is the second condition, isotropic_gradients
        return base
    # Outside the theorem (parameters forbid it; only a checker testing inconsistent constants gets
    # here): mu > L is an empty class, so any two distinct points violate.
    return (L - mu) * (dx @ dx) - L * (r @ r) + min(float(base), 0.0)


def isotropic_gradients(pi, pj, c):
    """mu = L only: -||g_i - g_j - L (x_i - x_j)||^2 / L >= 0, i.e. g_i - g_j = L (x_i - x_j)"""
    L = c["L"]
    e = (pi.g - pj.g) - L * (pi.x - pj.x)
    return -(e @ e) / L


def _need_d2(name: str, d: int):
    if d < 2:
        raise ParamError(f"smooth-strongly-convex: instance '{name}' needs d >= 2 so that both mu and L "
                         f"are attained (got d={d})")


def _line_probes(centre, direction, scale):
    return lambda rng, n: [centre + s * direction for s in rng.uniform(-scale, scale, n)]


def _quadratic(p: dict, rng: np.random.Generator) -> Instance:
    """Spectrum lam in [mu, L] with lam_max = L and lam_min = mu exactly."""
    d, L, mu, R = p["d"], p["L"], p["mu"], p["R"]
    _need_d2("quadratic", d)
    lam = np.sort(rng.uniform(mu, L, d))[::-1]
    lam[0], lam[-1] = L, mu
    A = quadratic.build_matrix(lam, rng)
    x_star = rng.standard_normal(d)
    V = np.linalg.eigh(A)[1]
    bottom, top = V[:, 0], V[:, -1]
    # any spread works on a quadratic; at least ||x*|| and 1 keeps margins above the checker's
    # scale floor (it normalises by max(1, |f|, ||g||^2, ||x||^2)) for tiny R or mu
    spread = 2 * max(R, 1.0, float(np.linalg.norm(x_star)))
    lo, hi = _line_probes(x_star, bottom, spread), _line_probes(x_star, top, spread)
    return Instance(
        function="smooth-strongly-convex", generator="quadratic", params=p, d=d,
        value=quadratic.value, grad=quadratic.grad,
        data=(np.array([0.0]), A, x_star), x0=x_star + R * unit_vector(rng, d), x_star=x_star, f_star=0.0,
        constants={
            "L": Certified(L, "exact: largest eigenvalue of A = Q diag(lam) Q^T, lam_max set to L"),
            "mu": Certified(mu, "exact: smallest eigenvalue of A = Q diag(lam) Q^T, lam_min set to mu"),
        },
        probes=lambda rng, n: lo(rng, n // 2) + hi(rng, n - n // 2),
        hess=lambda x: A,
    )


def _logistic(p: dict, rng: np.random.Generator) -> Instance:
    """l2-regularized logistic regression, lam = mu, rank-deficient data (n < d)."""
    d, L, mu, R = p["d"], p["L"], p["mu"], p["R"]
    _need_d2("logistic", d)
    if not mu < L:
        raise ParamError("smooth-strongly-convex: instance 'logistic' needs mu < L (at mu = L the class is the "
                         "quadratics L/2 ||x - c||^2 + f0: use instance 'quadratic')")
    n = p["n"] or max(1, d // 2)
    if not n < d:
        raise ParamError(f"smooth-strongly-convex: instance 'logistic' needs n < d so that mu is attained "
                         f"(got n={n}, d={d})")
    Z, top = logistic.scale_to(logistic.margins_data(rng, n, d), L - mu)
    null = np.linalg.svd(Z)[2][n:]  # orthonormal basis of null(Z): rows n..d-1 of V^T
    w = null.T @ rng.standard_normal(d - n)
    w /= np.linalg.norm(w)
    x_star, gnorm = logistic.newton(Z, mu)
    data = (np.array([mu]), Z, np.zeros(1))
    f_star = float(logistic.value(x_star, *data))
    at_L = _line_probes(np.zeros(d), top, 0.3 / np.sqrt(L))
    # f is exactly quadratic (curvature mu) along w, so any spread attains mu (see _quadratic)
    at_mu = _line_probes(x_star, w, 2 * max(R, 1.0, float(np.linalg.norm(x_star))))
    return Instance(
        function="smooth-strongly-convex", generator="logistic", params=p, d=d,
        value=logistic.value, grad=logistic.grad, data=data,
        x0=x_star + R * unit_vector(rng, d), x_star=x_star, f_star=f_star,
        constants={
            "L": Certified(logistic.lipschitz_of_gradient(Z, mu),
                           "exact: ||Z||_2^2/(4n) + lam by SVD; equality at x = 0 (all margins 0)"),
            "mu": Certified(mu, "exact: lam; the Hessian has eigenvalue lam on null(Z) (n < d) at every x"),
        },
        probes=lambda rng, n_: [np.zeros(d)] + at_L(rng, n_ // 2) + at_mu(rng, n_ - n_ // 2),
        hess=lambda x: logistic.hessian(x, Z, mu),
        notes=f"n={n} < d rows z_i = y_i a_i (20% labels flipped), lam = mu; x* by Newton's method to "
              f"machine precision (||grad f(x*)|| = {gnorm:.1e}), f* = f(x*)",
    )


PLUGIN = FunctionClass(
    name="smooth-strongly-convex",
    summary="mu-strongly convex, L-smooth (0 < mu <= L)",
    definition="f - mu/2 ||x||^2 convex and ||grad f(x) - grad f(y)|| <= L ||x - y|| for all x, y",
    constants=(
        Param("L", Interval(0, float("inf"), lo_open=True, hi_open=True), 1.0, "smoothness constant"),
        Param("mu", Interval(0, float("inf"), lo_open=True, hi_open=True), 0.1, "strong convexity constant"),
    ),
    stronger={"L": "smaller", "mu": "larger"},
    # the message names only mu and L: validate() lists the parameters whose names occur in it
    relations=(Relation(lambda p: p["mu"] <= p["L"], "'mu' must be <= 'L'"),),
    generators=(
        Generator("quadratic", "1/2 (x-x*)^T A (x-x*), spectrum of A in [mu, L] containing both ends", _quadratic,
                  matrix=lambda p: (p["d"], p["d"])),
        Generator("logistic", "l2-regularized logistic regression, lam = mu, n < d rows (mu attained)", _logistic,
                  matrix=lambda p: (p["d"], p["d"]),  # the full SVD of Z holds V^T, d x d
                  params=(Param("n", Interval(0, 10**7, integer=True), 0,
                                "number of data points, must be < d (0: d // 2)"),)),
        Generator("axis", "T03 worst case: diag(L, mu, ..., mu), x0 = x* + R e_j on the axis attaining rho for step h/L",
                  axis.build,
                  params=(Param("h", Interval(0, 2, lo_open=True, hi_open=True), 1.0,
                                "normalized step (step = h/L) the instance is tuned to"),)),
        Generator("quadsum-kappa", "T23: (1/n) sum (L/2)(x_1 - s_i sigma/L)^2 + (mu/2) x_2^2, x0 = R e_2 "
                  "(2-D finite sum for shuffling SGD)", quadsum_kappa.build, d_fixed=2, params=(
                      Param("n", Interval(2, 10**6, integer=True), 16, "number of components (even)"),
                      Param("sigma", Interval(0, float("inf"), lo_open=True, hi_open=True), 1.0,
                            "spread: (1/n) sum ||grad f_i(x*)||^2 = sigma^2"),
                      Param("sampling", Choice(ORACLE_MODELS), "rr",
                            "finite-sum oracle model (boundcheck/oracles)"))),
        pep_worst("smooth-strongly-convex", ("L", "mu")),  # the PEP worst case rebuilt (pep/worst_instance.py)
    ),
    default_generator="quadratic",
    pep_unsupported=lambda c: ("mu = L (kappa = 1): the class is the quadratics L/2 ||x - c||^2 + f0, whose "
                               "interpolation conditions are equalities that leave the SDP without a strictly "
                               "feasible point (solvers return inaccurate values); use mu < L, or the Monte "
                               "Carlo engine (boundcheck run)") if c["mu"] == c["L"] else None,
    conditions=(
        Condition("smooth-strongly-convex interpolation", "pair", interpolation, "interpolation", "exact",
                  "f_i >= f_j + <g_j, x_i - x_j> + 1/(2L)||g_i - g_j||^2 "
                  "+ mu/(2(1 - mu/L))||x_i - x_j - (g_i - g_j)/L||^2",
                  "Taylor, Hendrickx, Glineur, Math. Prog. 161 (2017), Thm 4"),
        Condition("smooth-strongly-convex at mu = L", "pair", isotropic_gradients, "interpolation", "exact",
                  "only when mu = L: g_i - g_j = L (x_i - x_j), written -||g_i - g_j - L (x_i - x_j)||^2/L >= 0 "
                  "(the limit of the interpolation conditions; the class is L/2 ||x - c||^2 + f0)",
                  "limit mu -> L of Taylor, Hendrickx, Glineur, Math. Prog. 161 (2017), Thm 4",
                  when=lambda c: c["mu"] == c["L"]),
    ),
    references=("Y. Nesterov, Introductory Lectures on Convex Optimization (2004), Thm 2.1.12",
                "A. Taylor, J. Hendrickx, F. Glineur, Math. Prog. 161 (2017), arXiv 1502.05666"),
)

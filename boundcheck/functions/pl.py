"""pl (mu, L): L-smooth functions (possibly nonconvex) with the Polyak-Lojasiewicz inequality
f(x) - f* <= ||grad f(x)||^2 / (2 mu) for all x.

Generators (both honour the requested mu and L):

* ``sinsq`` f(x) = alpha sum_i s_a(k (x_i - x*_i)/R), s_a(y) = y^2 + a sin^2 y (Karimi, Nutini,
  Schmidt 2016 use a = 3). s_a'' = 2 + 2a cos 2y in [2 - 2a, 2 + 2a], so L = alpha (k/R)^2 (2 + 2a)
  exactly (attained at x*). The PL constant of s_a is m_a = inf_y s_a'^2/(2 s_a) = inf_y P_a(y),
  certified from below by interval arithmetic (functions/certify.py: cover of [0, T] plus an
  analytic tail), and mu = alpha (k/R)^2 m_a. For the sum, ||grad f||^2 / (2 (f - f*)) =
  alpha (k/R)^2 sum_i s'(y_i)^2 / (2 sum_i s(y_i)) >= alpha (k/R)^2 min_i s'(y_i)^2/(2 s(y_i))
  (a ratio of sums of non-negative terms is at least the smallest term ratio; s(y_i) = 0 only at
  y_i = 0, where s' = 0 too), with equality when one coordinate sits at the argmin and the others at
  x*: the constant of the sum is exactly the 1-D one. The amplitude a is solved so that
  m_a/(2 + 2a) = (mu/L)(1 + 0.003) (0 < a < 4.6033: beyond, s_a has spurious stationary points),
  and the certified lower bound is checked to be >= mu: the reported mu is valid and the true one
  is at most 0.3% larger. Realised range: 1e-6 <= mu/L <= 1. mu/L = 0.021941... gives a = 3, the
  Karimi et al. example; mu = L gives the quadratic (a = 0). (Constants are exact for the real
  function with the stored double-precision scales.)
* ``lstsq`` f(x) = 1/2 ||A x - b||^2, A = U diag(s) V^T (d x d) of rank max(2, ceil(d/2)) (so
  rank-deficient for d >= 3; full rank for d = 2; d = 1 needs mu = L), s_max^2 = L and
  s_min^2 = mu (smallest NONZERO), b with a component outside range(A), so f* > 0 and the
  minimisers form an affine set: PL with mu (f - f* = 1/2 e^T H e and ||grad||^2 = e^T H^2 e >=
  mu e^T H e for e in range(H)), not strongly convex.

Conditions (all Gram-expressible, but together only a relaxation of the class, see T05, docs/pitfalls.md#pl-pep-is-a-relaxation):
the smooth-nonconvex interpolation inequality of Taylor, Hendrickx, Glineur (curvature in
[-L, L]), the PL inequality against x*, and f_i >= f*.
"""
from __future__ import annotations

import math

import numpy as np

from ..errors import CertificationError, ParamError
from ..params import Interval, Param, Relation
from . import certify
from .base import Certified, Condition, FunctionClass, Generator, Instance, unit_vector
from .families import lstsq, plquad, separable

_POS = Interval(0, float("inf"), lo_open=True, hi_open=True)
RHO_MIN = 1e-6  # below, the PL margins fall under the self-checks' resolution (relative 1e-9)


def smooth_nonconvex(pi, pj, c):
    """f_i - f_j - <g_j, x_i - x_j> - 1/(2L)||g_i - g_j||^2 + L/4 ||x_i - x_j - (g_i - g_j)/L||^2 >= 0"""
    L = c["L"]
    dx, dg = pi.x - pj.x, pi.g - pj.g
    r = dx - dg / L
    return pi.f - pj.f - pj.g @ dx - (dg @ dg) / (2 * L) + (L / 4) * (r @ r)


def pl_inequality(pi, ps, c):
    """1/2 ||g_i||^2 - mu (f_i - f*) >= 0"""
    return 0.5 * (pi.g @ pi.g) - c["mu"] * (pi.f - ps.f)


def above_min(pi, ps, c):
    """f_i - f* >= 0"""
    return pi.f - ps.f


def _sinsq(p: dict, rng: np.random.Generator) -> Instance:
    d, L, mu, R, k = p["d"], p["L"], p["mu"], p["R"], p["k"]
    rho = mu / L
    if rho < RHO_MIN:
        raise ParamError(f"pl: instance 'sinsq' realises mu/L in [{RHO_MIN:g}, 1] (got mu/L = {rho:.3g}); "
                         "use instance=lstsq for smaller ratios")
    a = certify.solve_amplitude("pl", rho)
    kap = k / R
    alpha = L / (kap * kap * (2 + 2 * a))
    if a == 0.0:
        lb = ub = 2.0
        y_star = 1.0
        how = "exact: a = 0, f is the quadratic alpha (k/R)^2 ||x - x*||^2 with PL constant L >= mu"
    else:
        lb, ub, y_star = certify.sin_ratio_inf("pl", a)
        how = (f"interval arithmetic: inf_y P_a(y) in [{lb:.8g}, {ub:.8g}] (a = {a:.10g}), "
               f"so mu >= {lb * L / (2 + 2 * a):.8g} >= requested {mu:g}")
    if lb * L / (2 + 2 * a) < mu * (1 - 1e-12):
        raise CertificationError(f"pl/sinsq: certified mu {lb * L / (2 + 2 * a)} below requested {mu}")
    pv = np.array([alpha, a, kap])
    x_star = rng.standard_normal(d)

    def probes(prng, n):
        j = int(prng.integers(d))
        ys = [y_star, -y_star, y_star + 1e-3, 0.01, 0.02, 0.04, 0.06]
        out = []
        for y in ys:
            x = x_star.copy()
            x[j] += y / kap
            out.append(x)
        return out

    return Instance(
        function="pl", generator="sinsq", params=p, d=d,
        value=separable.sinsq_value, grad=separable.sinsq_grad, data=(pv, np.zeros((1, 1)), x_star),
        x0=x_star + R * unit_vector(rng, d), x_star=x_star, f_star=0.0,
        constants={
            "L": Certified(L, "exact: sup |s_a''| = 2 + 2a attained at y = 0, scaled by alpha (k/R)^2"),
            "mu": Certified(mu, how, exact=(a == 0.0), tightness=ub / (2 + 2 * a) / rho),
        },
        probes=probes,
        hess=lambda x: np.diag(separable.hessian_diag("sinsq", x, pv, x_star)),
        notes=f"sinsq: a={a:.10g}, alpha={alpha:.6g}, k/R={kap:.6g}; PL ratio minimal at |y| = {y_star:.4f}",
    )


def _lstsq(p: dict, rng: np.random.Generator) -> Instance:
    d, L, mu, R = p["d"], p["L"], p["mu"], p["R"]
    if d == 1 and mu < L:
        raise ParamError("pl: instance 'lstsq' needs d >= 2 when mu < L (in 1-D the only curvature is L)")
    r = 1 if d == 1 else max(2, math.ceil(d / 2))  # two distinct nonzero curvatures need rank >= 2
    lam = np.sort(rng.uniform(mu, L, r))[::-1]
    lam[0], lam[-1] = L, mu
    A, U, V = lstsq.build(np.sqrt(lam), d, d, rng)
    x_star = V[:, :r] @ rng.standard_normal(r)  # minimum-norm minimiser (in the row space)
    resid = U[:, r:] @ (0.5 * rng.standard_normal(d - r))  # orthogonal to range(A)
    b = A @ x_star + resid
    f_star = 0.5 * float(resid @ resid)
    H = A.T @ A
    v_min, v_max, null = V[:, r - 1], V[:, 0], V[:, r:]

    def probes(prng, n):
        out = [x_star + t * v_min for t in (0.3 * R, R, -2 * R)]
        out += [x_star + t * v_max for t in (0.01 * R, 0.5 * R, -R)]
        if null.shape[1]:
            out.append(x_star + R * null[:, 0] + 0.1 * R * v_min)
        return out

    return Instance(
        function="pl", generator="lstsq", params=p, d=d,
        value=lstsq.value, grad=lstsq.grad, data=(np.array([0.0]), A, b),
        x0=x_star + R * unit_vector(rng, d), x_star=x_star, f_star=f_star,
        constants={
            "L": Certified(L, "exact: largest eigenvalue of A^T A, A = U diag(s) V^T with s_max^2 = L"),
            "mu": Certified(mu, "exact: smallest nonzero eigenvalue of A^T A (s_min^2 = mu); "
                                f"rank {r} of {d}"),
        },
        probes=probes, hess=lambda x: H,
        notes=f"lstsq: rank {r}/{d}, f* = {f_star:.6g}, minimisers x* + null(A)",
    )


PLUGIN = FunctionClass(
    name="pl",
    summary="L-smooth with the Polyak-Lojasiewicz inequality (nonconvex in general)",
    definition="||grad f(x) - grad f(y)|| <= L ||x - y|| and f(x) - f* <= ||grad f(x)||^2/(2 mu) for all x, y",
    constants=(
        Param("mu", _POS, 0.1, "PL constant"),
        Param("L", _POS, 1.0, "smoothness constant"),
    ),
    stronger={"L": "smaller", "mu": "larger"},
    generators=(
        Generator("sinsq", "alpha sum_i y_i^2 + a sin^2 y_i, y = k (x - x*)/R; a solved from mu/L (a = 3 is "
                  "Karimi et al.), mu certified by interval arithmetic", _sinsq,
                  params=(Param("k", _POS, 3.0, "frequency: y = k (x - x*)/R, so x0 sits at |y| ~ k"),)),
        Generator("lstsq", "1/2 ||Ax - b||^2, rank max(2, ceil(d/2)), s_max^2 = L, smallest nonzero s^2 = mu, f* > 0",
                  _lstsq, matrix=lambda p: (p["d"], p["d"])),
        Generator("quadratic", "T05: (mu/2) x_1^2 + (L/2) sum_{i>=2} x_i^2, x0 = R e_1: the slowest quadratic for GD, "
                  "f-gap ratio (1 - h mu/L)^(2N)", plquad.build, d_default=2),
    ),
    default_generator="sinsq",
    conditions=(
        Condition("smooth nonconvex interpolation", "pair", smooth_nonconvex, "necessary", "relaxation",
                  "f_i >= f_j + <g_j, x_i - x_j> + 1/(2L)||g_i - g_j||^2 - L/4 ||x_i - x_j - (g_i - g_j)/L||^2",
                  "Taylor, Hendrickx, Glineur, SIAM J. Optim. 27(3) (2017), Thm 3.10 (exact for L-smooth functions; necessary only once the class's other conditions are added)"),
        Condition("PL inequality", "star", pl_inequality, "defining", "relaxation",
                  "1/2 ||g_i||^2 >= mu (f_i - f*)", "Polyak 1963; Karimi, Nutini, Schmidt, ECML-PKDD 2016 (arXiv 1608.04636), the PL inequality (definition), imposed at the sampled points only"),
        Condition("f above f*", "star", above_min, "necessary", "relaxation", "f_i >= f*", "definition: f* = min f, attained at the claim's x* (a global minimiser)"),
    ),
    references=(
        "B. Polyak, Gradient methods for minimizing functionals, USSR Comp. Math. 3 (1963)",
        "H. Karimi, J. Nutini, M. Schmidt, ECML-PKDD 2016, arXiv 1608.04636",
        "H. Abbaszadehpeivasti, E. de Klerk, M. Zamani, Optim. Lett. 2023, arXiv 2204.00647",
        "A. Taylor, J. Hendrickx, F. Glineur, Math. Prog. 161 (2017), arXiv 1502.05666",
    ),
    relations=(Relation(lambda q: q["mu"] <= q["L"], "'mu' must be <= 'L'"),),
)

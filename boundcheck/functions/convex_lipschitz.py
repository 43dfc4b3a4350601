"""convex-lipschitz (M): convex functions that are M-Lipschitz (every subgradient has norm <= M).

Interpolation (Taylor, Hendrickx, Glineur, SIAM J. Optim. 27(3) 2017, Thm 3.5; PEPit's
ConvexLipschitzFunction): {(x_i, g_i, f_i)} is interpolable by a closed proper convex M-Lipschitz
function iff for all i, j

    f_i >= f_j + <g_j, x_i - x_j>        (pair)      and      ||g_i||^2 <= M^2        (point).

Both are linear in the Gram matrix and the function values, so the PEP uses them exactly. The
kernels' ``grad`` returns a subgradient (a fixed selection at kinks), so the class is marked
``nonsmooth``: finite differences are meaningless at kinks and the tests skip them there.

Generators (M exact and attained; x*, f* proven by construction):

* ``norm`` (default): f(x) = M ||x - x*||_2; every subgradient off x* has norm exactly M.
* ``l1``: a rotated l1 norm f(x) = (M/sqrt(d)) ||Q (x - x*)||_1 with Q a seeded orthogonal matrix;
  off the kinks every subgradient is (M/sqrt(d)) Q^T s with s in {-1, 1}^d, of norm exactly M.
  Kinks are not axis-aligned, unlike a plain l1 norm.
* ``maxaffine``: f(x) = max_k (<a_k, x - x*> - e_k) with e_k >= 0, where d + 1 "core" pieces with
  e_k = 0 satisfy sum_k c_k a_k = 0 with all c_k > 0 and a_1..a_d a basis. Then
  max_core <a_k, y> > 0 for every y != 0, so x* is the unique minimizer and f* = 0. All pieces are
  rescaled so that max_k ||a_k|| = M; the longest piece is the only active one on the ray
  x* + t a_kmax for t beyond an explicit threshold (Cauchy-Schwarz), so M is attained there.
* ``harvey``: the last-iterate lower bound of Harvey, Liaw, Plan, Randhawa (COLT 2019), built for
  the horizon T = d (families/harvey.py); x0 = x* = 0, so R is not used.
"""
from __future__ import annotations

import numpy as np

from ..errors import CertificationError, ParamError
from ..params import Interval, Param
from ..pep.worst_instance import generator as pep_worst
from .base import Certified, Condition, FunctionClass, Generator, Instance, unit_vector
from .families import harvey, nonsmooth, reddi


def convexity(pi, pj, c):
    """f_i - f_j - <g_j, x_i - x_j> >= 0"""
    return pi.f - pj.f - pj.g @ (pi.x - pj.x)


def bounded_subgradient(pi, c):
    """M^2 - ||g_i||^2 >= 0"""
    return c["M"] ** 2 - pi.g @ pi.g


def _norm(p: dict, rng: np.random.Generator) -> Instance:
    d, M, R = p["d"], p["M"], p["R"]
    x_star = rng.standard_normal(d)
    return Instance(
        function="convex-lipschitz", generator="norm", params=p, d=d,
        value=nonsmooth.norm_value, grad=nonsmooth.norm_grad,
        data=(np.array([M]), np.zeros((1, 1)), x_star),
        x0=x_star + R * unit_vector(rng, d), x_star=x_star, f_star=0.0,
        constants={"M": Certified(M, "exact: every subgradient M (x - x*)/||x - x*|| off x* has norm M")},
        probes=lambda rng, n: [x_star + R * 10 ** rng.uniform(-2, 0.5) * unit_vector(rng, d) for _ in range(n)],
    )


def _l1(p: dict, rng: np.random.Generator) -> Instance:
    d, M, R = p["d"], p["M"], p["R"]
    Q, r = np.linalg.qr(rng.standard_normal((d, d)))
    Q = np.ascontiguousarray(Q * np.sign(np.diag(r)))
    x_star = rng.standard_normal(d)
    return Instance(
        function="convex-lipschitz", generator="l1", params=p, d=d,
        value=nonsmooth.l1_value, grad=nonsmooth.l1_grad,
        data=(np.array([M / np.sqrt(d)]), Q, x_star),
        x0=x_star + R * unit_vector(rng, d), x_star=x_star, f_star=0.0,
        constants={"M": Certified(M, "exact: subgradients (M/sqrt d) Q^T s, s in {-1,1}^d off the kinks, "
                                  "have norm M (Q orthogonal); at kinks sign(0) = 0 gives less")},
        probes=lambda rng, n: [x_star + R * 10 ** rng.uniform(-2, 0.5) * unit_vector(rng, d) for _ in range(n)],
        notes="x* unique minimizer and f* = 0: Q is invertible and ||.||_1 vanishes only at 0",
    )


def _maxaffine(p: dict, rng: np.random.Generator) -> Instance:
    d, M, R = p["d"], p["M"], p["R"]
    K = p["K"] or 2 * d + 1
    if K < d + 1:
        raise ParamError(f"convex-lipschitz: instance 'maxaffine' needs K >= d + 1 pieces (got K={K}, d={d})")
    core = rng.standard_normal((d, d))
    c = rng.uniform(0.5, 1.5, d) / np.sqrt(d)  # keeps the closing piece about as long as the others
    extra = rng.standard_normal((K - d - 1, d))
    A = np.vstack([core, -(c @ core)[None, :], extra])
    norms = np.linalg.norm(A, axis=1)
    e = np.concatenate([np.zeros(d + 1), rng.uniform(0.0, 0.5, K - d - 1) * R * norms[d + 1:]])
    scale = M / norms.max()
    A, e = np.ascontiguousarray(A * scale), e * scale
    norms = np.linalg.norm(A, axis=1)
    k = int(np.argmax(norms))
    x_star = rng.standard_normal(d)
    # the longest piece k is the only active one at x* + t a_k once t (|a_k|^2 - <a_j, a_k>) > e_k - e_j
    gap = norms[k] ** 2 - A @ A[k]
    others = np.arange(K) != k
    if np.any(gap[others] <= 0):
        raise CertificationError("convex-lipschitz/maxaffine: two longest pieces are parallel; M is not attained")
    t_min = max(0.0, float(np.max((e[k] - e[others]) / gap[others])))
    data = (e, A, x_star)
    ray = [x_star + (2 * t_min + t * R / M) * A[k] for t in (0.5, 1.0, 2.0)]
    g = np.empty(d)
    for x in ray:
        nonsmooth.maxaffine_grad(x, *data, g)
        if abs(np.linalg.norm(g) - norms[k]) > 1e-12 * M:
            raise CertificationError("convex-lipschitz/maxaffine: longest piece not active on its ray")

    def probes(rng, n):
        ts = 2 * t_min + R / M * 10 ** rng.uniform(-1, 0.5, n // 2)
        return [x_star + t * A[k] for t in ts] + [x_star + R * 10 ** rng.uniform(-2, 0.5) * unit_vector(rng, d)
                                                   for _ in range(n - n // 2)]

    return Instance(
        function="convex-lipschitz", generator="maxaffine", params=p, d=d,
        value=nonsmooth.maxaffine_value, grad=nonsmooth.maxaffine_grad, data=data,
        x0=x_star + R * unit_vector(rng, d), x_star=x_star, f_star=0.0,
        constants={"M": Certified(float(norms[k]), "exact: max_k ||a_k||, attained on the ray x* + t a_kmax "
                                  "(t > explicit threshold, checked on the kernel)")},
        probes=probes,
        notes=f"K={K} pieces (d+1 core pieces through x* with positive dependence, {K - d - 1} lowered "
              f"extra pieces); longest piece {k} active beyond t = {t_min:.3g}",
    )


def _harvey(p: dict, rng: np.random.Generator) -> Instance:
    d, M = p["d"], p["M"]
    s = M / harvey.lipschitz0(d)
    x_star = np.zeros(d)
    e_T = np.zeros(d)
    e_T[-1] = 1.0
    return Instance(
        function="convex-lipschitz", generator="harvey", params=p, d=d,
        value=harvey.value, grad=harvey.grad, data=(np.array([s]), np.zeros((1, 1)), np.zeros(1)),
        x0=x_star.copy(), x_star=x_star, f_star=0.0,
        constants={"M": Certified(M, "exact: max_i ||s h_i|| = s ||h_T|| = M, the gradient where piece T is "
                                  "the only maximum (e.g. at -r e_T)")},
        probes=lambda rng, n: [-(10 ** rng.uniform(-2, 0.5)) * e_T for _ in range(n // 2)]
        + [10 ** rng.uniform(-2, 0.5) * unit_vector(rng, d) for _ in range(n - n // 2)],
        notes=f"built for the horizon T = d = {d}; x0 = x* = 0 (the paper's start: R is not used)",
    )


PLUGIN = FunctionClass(
    name="convex-lipschitz",
    summary="convex, M-Lipschitz (subgradients bounded by M), nonsmooth",
    definition="f convex and |f(x) - f(y)| <= M ||x - y|| for all x, y (equivalently ||g|| <= M for all subgradients)",
    constants=(Param("M", Interval(0, float("inf"), lo_open=True, hi_open=True), 1.0, "Lipschitz constant"),),
    stronger={"M": "smaller"},
    generators=(
        Generator("norm", "M ||x - x*||_2", _norm),
        Generator("l1", "rotated l1 norm (M/sqrt d) ||Q (x - x*)||_1, Q seeded orthogonal", _l1,
                  matrix=lambda p: (p["d"], p["d"])),
        Generator("maxaffine", "max of K affine pieces through or below x*, max_k ||a_k|| = M (attained)",
                  _maxaffine, matrix=lambda p: (max(p["K"] or 2 * p["d"] + 1, p["d"]), p["d"]),
                  params=(Param("K", Interval(0, 10**6, integer=True), 0, "number of pieces, >= d + 1 (0: 2 d + 1)"),)),
        Generator("harvey", "T11: Harvey-Liaw-Plan-Randhawa's last-iterate lower bound, max of d + 1 linear "
                  "pieces built for the horizon T = d; x0 = x* = 0", _harvey),
        Generator("reddi", "T22: M |x + 1| = Reddi et al.'s average online loss, C = 3M + 2, x0 = R - 1", reddi.build, d_fixed=1),
        pep_worst("convex-lipschitz", ("M",), "subgradient"),  # the PEP worst case rebuilt (pep/worst_instance.py)
    ),
    default_generator="norm",
    conditions=(
        Condition("convex interpolation", "pair", convexity, "interpolation", "exact",
                  "f_i >= f_j + <g_j, x_i - x_j>",
                  "Taylor, Hendrickx, Glineur, SIAM J. Optim. 27(3) (2017), Thm 3.5"),
        Condition("bounded subgradient", "point", bounded_subgradient, "interpolation", "exact",
                  "||g_i||^2 <= M^2",
                  "Taylor, Hendrickx, Glineur, SIAM J. Optim. 27(3) (2017), Thm 3.5"),
    ),
    references=("Y. Nesterov, Introductory Lectures on Convex Optimization (2004), Sec. 3.2.3",
                "A. Taylor, J. Hendrickx, F. Glineur, SIAM J. Optim. 27(3):1283-1313 (2017), arXiv 1512.07516",
                "Y. Drori, M. Teboulle, Math. Prog. 160 (2016), arXiv 1409.2636"),
    nonsmooth=True,
)

"""l0l1-smooth (L0, L1): twice differentiable f with ||hess f(x)||_2 <= L0 + L1 ||grad f(x)||.

Definition: Zhang, He, Sra, Jadbabaie (ICLR 2020). Every generator honours BOTH requested
constants, and both are attained (so each is the best constant given the other):

* ``cosh``  f = alpha sum_i (cosh(a y_i) - 1), y = x - x*, a = L1, alpha = L0/L1^2.
  ||H|| = alpha a^2 cosh(a y_k) with k = argmax |y_i|, and ||g|| >= alpha a |sinh(a y_k)|; since
  cosh t <= 1 + |sinh t|, ||H|| <= alpha a^2 + a ||g|| = L0 + L1 ||g||. Equality at x* (L0 is
  attained); along a coordinate cosh t - |sinh t| = e^{-|t|} -> 0, so no L1' < L1 works (with
  L1' = 0.9 L1 the inequality fails for |a y| >= 3.1).
* ``exp``  f = alpha sum_i (exp(a y_i) - a y_i - 1), a = L1, alpha = L0/L1^2.
  a^2 e^{a y} = a^2 + a * a (e^{a y} - 1): EQUALITY for every y >= 0 along a coordinate (and
  a^2 e^{a y} <= a^2 for y < 0), so the defining inequality is tight on a whole half-line.
* ``poly``  f = alpha sum_i y_i^4 / 4, with alpha = L0 L1^2 / 4. In 1-D, for any l > 0,
  sup_y (3y^2 - l |y|^3) = 4/l^2 (at |y| = 2/l), so 3 alpha y^2 <= 4 alpha/l^2 + l alpha |y|^3 with
  equality at |y| = 2/l: the exact trade-off curve is L0 = 4 alpha / L1^2. In d dimensions the
  coordinate k maximising y_i^2 gives ||H|| = 3 alpha y_k^2 and ||g|| >= alpha |y_k|^3.

For the separable sums the Hessian is diagonal (h'' >= 0 here), ||H||_2 = alpha h''(y_k) for a
maximising coordinate k, and ||g|| >= |g_k|, which reduces every claim to the 1-D one above.

Necessary pair condition (derived here; bounds of this exponential type are standard for the
class, e.g. Vankov et al. 2024 and Chen et al. 2023): along x(t) = x_j + t (x_i - x_j), with
u(t) = ||g(t) - g_j|| and D = ||x_i - x_j||, u(t) <= int_0^t (L0 + L1 ||g_j|| + L1 u(s)) D ds, so by
Gronwall ||g_i - g_j|| <= (L0/L1 + ||g_j||) (exp(L1 D) - 1) (-> L0 D as L1 -> 0). It implies the
weaker ||g_i - g_j|| <= (L0 + L1 ||g_j||) exp(L1 D) D, since (e^z - 1)/z <= e^z.
"""
from __future__ import annotations

import numpy as np

from ..params import Interval, Param
from .base import Certified, Condition, FunctionClass, Generator, Instance, unit_vector
from .families import separable

_POS = Interval(0, float("inf"), lo_open=True, hi_open=True)


def _norm(v) -> float:
    """Euclidean norm without overflow in the squares (gradients of cosh/exp can be huge)."""
    v = np.asarray(v, dtype=float)
    s = float(np.max(np.abs(v))) if v.size else 0.0
    return s * float(np.linalg.norm(v / s)) if 0 < s < np.inf else s


def defining(pi, c):
    """L0 + L1 ||g|| - ||H||_2 >= 0"""
    return c["L0"] + c["L1"] * _norm(pi.g) - np.linalg.norm(pi.H, 2)


def gronwall(pi, pj, c):
    """(L0/L1 + ||g_j||)(exp(L1 D) - 1) - ||g_i - g_j|| >= 0, D = ||x_i - x_j|| (exponent capped at 700,
    which only shrinks the bound)."""
    D = _norm(pi.x - pj.x)
    z = min(c["L1"] * D, 700.0)
    phi = np.expm1(z) / z if z > 0 else 1.0  # (e^z - 1)/z, so the bound is (L0 + L1||g_j||) D phi
    bound = (c["L0"] + c["L1"] * _norm(pj.g)) * D * phi
    return bound - _norm(pi.g - pj.g)


# For each family: kernel name, alpha(L0, L1), a(L1), the |a y| (resp. |y| L1) values where the
# constants are attained, and how L0 and L1 are certified.
_FAMILIES = {
    "cosh": ("cosh", lambda L0, L1: L0 / L1**2, lambda L1: L1, (0.0, 0.05, 3.5, 4.5, 5.5, -4.0),
             "exact: ||H|| = L0 cosh(t) <= L0 + L1 ||g|| since cosh t <= 1 + |sinh t|; "
             "equality at x* (L0), cosh t - |sinh t| = e^-|t| -> 0 (L1)"),
    "exp": ("expm", lambda L0, L1: L0 / L1**2, lambda L1: L1, (0.0, 0.3, 1.0, 2.0, 3.0, -1.0),
             "exact: a^2 e^(ay) = a^2 + a * a (e^(ay) - 1), equality for all y >= 0 along a coordinate"),
    "poly": ("quartic", lambda L0, L1: L0 * L1**2 / 4, lambda L1: 1.0, (1.9, 2.0, 2.1, 4.0, 8.0, -2.0),
                "exact: sup_y (3y^2 - L1|y|^3) = 4/L1^2 at |y| = 2/L1, so L0 = 4 alpha/L1^2 "
                "(equality at |y| = 2/L1)"),
}


def _build(family: str):
    kern, alpha_of, a_of, marks, method = _FAMILIES[family]
    value, grad = separable.KERNELS[kern]

    def build(p: dict, rng: np.random.Generator) -> Instance:
        d, L0, L1, R = p["d"], p["L0"], p["L1"], p["R"]
        alpha, a = alpha_of(L0, L1), a_of(L1)
        pv = np.array([alpha, a, 1.0])
        x_star = rng.standard_normal(d)
        x0 = x_star + R * unit_vector(rng, d)
        # where the constants are attained: along one coordinate, |a y| (cosh, exp) or L1 |y|
        # (poly) at the listed marks, plus small jitter
        unit = 1.0 / L1

        def probes(prng, n):
            j = int(prng.integers(d))
            out = []
            for t in marks:
                for eps in (0.0, 1e-3):
                    x = x_star.copy()
                    x[j] += (t + eps) * unit
                    out.append(x)
            return out[: max(n, len(marks))]

        return Instance(
            function="l0l1-smooth", generator=family, params=p, d=d,
            value=value, grad=grad, data=(pv, np.zeros((1, 1)), x_star),
            x0=x0, x_star=x_star, f_star=0.0,
            constants={"L0": Certified(L0, method), "L1": Certified(L1, method)},
            probes=probes,
            hess=lambda x: np.diag(separable.hessian_diag(kern, x, pv, x_star)),
            notes=f"{family}: alpha={alpha:.6g}, a={a:.6g}",
        )

    return build


PLUGIN = FunctionClass(
    name="l0l1-smooth",
    summary="(L0, L1)-smooth: Hessian norm at most L0 + L1 ||grad f|| (possibly nonconvex)",
    definition="f twice differentiable and ||hess f(x)||_2 <= L0 + L1 ||grad f(x)|| for all x",
    constants=(
        Param("L0", _POS, 1.0, "constant term of the Hessian bound"),
        Param("L1", _POS, 1.0, "gradient-norm coefficient of the Hessian bound"),
    ),
    stronger={"L0": "smaller", "L1": "smaller"},
    generators=(
        Generator("cosh", "alpha sum_i (cosh(L1 (x_i - x*_i)) - 1), alpha = L0/L1^2 (T12, T14)", _build("cosh")),
        Generator("exp", "alpha sum_i (exp(L1 y_i) - L1 y_i - 1), alpha = L0/L1^2; tight on y_i >= 0",
                  _build("exp")),
        Generator("poly", "alpha sum_i y_i^4/4, alpha = L0 L1^2/4 (exact trade-off L0 L1^2 = 4 alpha)",
                  _build("poly")),
    ),
    default_generator="cosh",
    conditions=(
        Condition("(L0,L1) Hessian bound", "point", defining, "defining", "none",
                  "L0 + L1 ||g_i|| - ||H_i||_2 >= 0",
                  "Zhang, He, Sra, Jadbabaie, ICLR 2020, Def. 1 (arXiv 1905.11881)"),
        Condition("(L0,L1) gradient growth", "pair", gronwall, "necessary", "none",
                  "||g_i - g_j|| <= (L0/L1 + ||g_j||)(exp(L1 ||x_i - x_j||) - 1)",
                  "Gronwall along the segment (derived in functions/l0l1_smooth.py); "
                  "cf. Vankov et al. arXiv 2410.10800, Chen et al. ICML 2023"),
    ),
    references=(
        "J. Zhang, T. He, S. Sra, A. Jadbabaie, Why gradient clipping accelerates training, ICLR 2020",
        "H. Li, J. Qian, Y. Tian, A. Rakhlin, A. Jadbabaie, NeurIPS 2023, arXiv 2306.01264",
        "D. Vankov, A. Rodomanov, A. Nedich, L. Sankar, S. Stich, arXiv 2410.10800 (2024)",
    ),
)

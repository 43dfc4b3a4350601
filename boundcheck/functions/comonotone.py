"""comonotone (rho): rho-negatively comonotone operators,
<F(x) - F(y), x - y> >= -rho |F(x) - F(y)|^2 (rho >= 0; rho = 0 is monotone). Non-monotone
operators of this class appear in structured nonconvex-nonconcave games; the proximal point
method converges on them for steps gamma > 2 rho (T25, Gorbunov, Taylor, Horvath, Gidel 2023).

Interpolation (exact): F is rho-comonotone iff B = F^{-1} + rho I is monotone (the shift used by
Bauschke, Moursi, Wang 2021, "Generalized monotone operators and their averaged resolvents",
Math. Prog. 189). Hence a finite set {(x_i, g_i)} satisfying the pairwise inequality gives the
monotone set {(g_i, x_i + rho g_i)} of B, which extends to a maximally monotone B (Bauschke-
Combettes Thm 20.21), and F = (B - rho I)^{-1} is a (maximally) rho-comonotone operator through
every point: the pairwise condition is necessary and sufficient. (PEPit's NegativelyComonotone
class states the same inequality and warns that it may not be sufficient; the argument above
shows it is, for possibly set-valued operators, which is the class of the theorem.)

Generator ``rotation``: F(x) = A (x - x*), A = Q B Q^T with 2x2 blocks r_k R(theta_k),
cos(theta_k) = -rho_k r_k (rotations by more than pi/2: not monotone for rho > 0), rho_0 = rho;
rho is certified as -lam_min(sym(A^{-1})) from the matrix, attained along A^{-1} u (the probes).

Generator ``uniform``: every 2x2 block is one complex number lambda = 1/w, w = -rho + i t (Re w =
-rho is comonotonicity with equality). Proximal point multiplies each block by 1/(1 + gamma lambda),
so ||F(x_N)||^2 = |w|^(2N-2)/|w + gamma|^(2N) R^2 = (rho^2 + t^2)^(N-1)/((gamma - rho)^2 + t^2)^N R^2
(even d); at t^2 = (N-1)(gamma - rho)^2 - N rho^2 (when >= 0) this is (1 - 1/N)^(N-1)/(N gamma
(gamma - 2 rho)) R^2, the worst case of T25-comonotone-ppa-tight (set the derivative in t^2 to 0).
"""
from __future__ import annotations

import numpy as np

from ..errors import ParamError
from ..params import Interval, Param
from .base import Certified, Condition, Generator
from .families import operators as ops
from .operator import BAUSCHKE_COMBETTES, OperatorClass, comonotone, linear_instance

BMW = ("H. Bauschke, W. Moursi, X. Wang, Generalized monotone operators and their averaged resolvents, "
       "Math. Prog. 189 (2021)")


def _rotation(p: dict, rng: np.random.Generator):
    d = p["d"]
    A = ops.comonotone_matrix(rng, d, p["rho"])
    rho, z = ops.comonotonicity(A)
    return linear_instance("comonotone", p, rng, A,
                           {"rho": Certified(rho, "exact: -lam_min of the symmetric part of A^{-1} (eigh), attained "
                                                  "along A^{-1} u, u its eigenvector")},
                           probes=lambda xs: ops.line_probes(xs, z, 2 * p["R"]),
                           notes="2x2 rotation blocks by angles > pi/2 (not monotone when rho > 0)", generator="rotation")


def _uniform(p: dict, rng: np.random.Generator):
    """Every 2x2 block is the complex number 1/w, w = -rho + i t (module docstring)."""
    d, rho, t = p["d"], p["rho"], p["t"]
    if rho == 0.0 and t == 0.0:
        raise ParamError("comonotone uniform: rho = t = 0 gives w = 0 (no operator); take t > 0")
    lam = 1.0 / complex(-rho, t)
    B = np.zeros((d, d))
    for k in range(d // 2):
        B[2 * k:2 * k + 2, 2 * k:2 * k + 2] = [[lam.real, -lam.imag], [lam.imag, lam.real]]
    if d % 2:
        B[d - 1, d - 1] = 1.0 / max(rho, 1.0)  # monotone, and within rho-comonotonicity
    Q = ops.orthogonal(rng, d)
    A = Q @ B @ Q.T
    rho_c, z = ops.comonotonicity(A)
    return linear_instance("comonotone", p, rng, A,
                           {"rho": Certified(rho_c, "exact: -lam_min of the symmetric part of A^{-1} (eigh), attained "
                                                    "along A^{-1} u, u its eigenvector")},
                           probes=lambda xs: ops.line_probes(xs, z, 2 * p["R"]),
                           notes=f"every 2x2 block is 1/(-rho + i t), t = {t!r}: sym(A^(-1)) = -rho I on them",
                           generator="uniform")


PLUGIN = OperatorClass(
    name="comonotone",
    summary="rho-negatively comonotone operator F (not necessarily monotone); g = F(x), no function values",
    definition="<F(x) - F(y), x - y> >= -rho ||F(x) - F(y)||^2 for all x, y (rho >= 0)",
    constants=(Param("rho", Interval(0, float("inf"), hi_open=True), 0.1, "negative comonotonicity rho >= 0"),),
    stronger={"rho": "smaller"},
    generators=(
        Generator("rotation", "F(x) = Q B Q^T (x - x*), B = blocks r_k R(theta_k), cos(theta_k) = -rho_k r_k",
                  _rotation, matrix=lambda p: (p["d"], p["d"])),
        Generator("uniform", "F(x) = Q B Q^T (x - x*), every 2x2 block of B the complex number 1/(-rho + i t): "
                             "proximal point's worst case at t^2 = (N-1)(gamma-rho)^2 - N rho^2",
                  _uniform, matrix=lambda p: (p["d"], p["d"]), params=(
                      Param("t", Interval(0, float("inf"), hi_open=True), 1.0, "imaginary part t of w = 1/lambda"),)),
    ),
    default_generator="rotation",
    conditions=(
        Condition("comonotone interpolation", "pair", comonotone, "interpolation", "exact",
                  "<g_i - g_j, x_i - x_j> >= -rho ||g_i - g_j||^2",
                  BMW + " (F rho-comonotone iff F^{-1} + rho I monotone); " + BAUSCHKE_COMBETTES),
    ),
    references=(BMW, BAUSCHKE_COMBETTES,
                "E. Gorbunov, A. Taylor, S. Horvath, G. Gidel, Convergence of proximal point and extragradient-"
                "based methods beyond monotonicity: the case of negative comonotonicity, ICML 2023, arXiv 2210.13831"),
)

"""cocoercive (beta): <F(x) - F(y), x - y> >= beta |F(x) - F(y)|^2.

Interpolation (exact): a finite set is interpolable by a beta-cocoercive operator iff every pair
satisfies the inequality (Ryu, Taylor, Bergeling, Giselsson 2020, Prop. 2). beta-cocoercive
operators are 1/beta-Lipschitz and monotone; beta = 1 is the firmly nonexpansive I - J of a
resolvent J.

Generator ``linear``: F(x) = c (S + K)(x - x*) with S positive definite, K skew, scaled by c so
that the certified beta (the largest b with S - b A^T A PSD, from the matrix) equals the given beta
up to rounding; attained along the generalized eigenvector (the probes).

Generator ``split``: a problem 0 in F(x) + B(x) for the forward-backward method. The instance's
operator is the forward part F(x) = S (x - x*), S symmetric PSD with lam_max(S) = 1/beta (then
<S z, z> >= |S z|^2/lam_max: beta-cocoercive, certified from the matrix as above); it also carries
the backward part B(x) = K (x - x*), K random skew with ||K|| = ``backward`` (monotone and linear,
hence maximally monotone), through its resolvent ``Instance.backward`` = (I + gamma K)^(-1).
x* is a zero of F and of B (a common zero: a special case of the split problem, where only F + B
needs a zero). The class's conditions (and its PEP) describe F alone.
"""
from __future__ import annotations

import numpy as np

from ..params import Interval, Param
from .base import Certified, Condition, Generator
from .families import operators as ops
from .operator import RYU, AffineResolvent, OperatorClass, cocoercive, linear_instance

_NONNEG = Interval(0, float("inf"), hi_open=True)


def _linear(p: dict, rng: np.random.Generator):
    d = p["d"]
    lam = np.sort(rng.uniform(0.1, 1.0, d))
    A = ops.monotone_matrix(rng, lam, p["skew"])
    b0, _ = ops.cocoercivity(A)
    A = A * (b0 / p["beta"])  # beta scales as 1/c
    beta, z = ops.cocoercivity(A)
    return linear_instance("cocoercive", p, rng, A,
                           {"beta": Certified(beta, "exact: 1/lam_max(C^-1 A^T A C^-T), S = sym(A) = C C^T "
                                                    "(Cholesky), attained along the generalized eigenvector")},
                           probes=lambda xs: ops.line_probes(xs, z, 2 * p["R"]))


def _split(p: dict, rng: np.random.Generator):
    """A = Q diag(lam) Q^T (x - x*), lam in [0.1/beta, 1/beta] with lam_max = 1/beta (a symmetric PSD
    operator is 1/lam_max-cocoercive), and B = K (x - x*), K skew with ||K|| = backward."""
    d = p["d"]
    lam = np.sort(rng.uniform(0.1, 1.0, d)) / p["beta"]
    lam[-1] = 1.0 / p["beta"]
    A = ops.monotone_matrix(rng, lam, 0.0)
    beta, z = ops.cocoercivity(A)
    K = ops.skew(rng, d, p["backward"])
    inst = linear_instance("cocoercive", p, rng, A,
                           {"beta": Certified(beta, "exact: 1/lam_max(C^-1 A^T A C^-T), S = sym(A) = C C^T "
                                                    "(Cholesky), attained along the generalized eigenvector")},
                           probes=lambda xs: ops.line_probes(xs, z, 2 * p["R"]), generator="split",
                           notes=f"split problem 0 in F(x) + B(x): F symmetric, B(x) = K (x - x*) skew with "
                                 f"||K|| = {p['backward']!r} (maximally monotone), x* a zero of both")
    inst.backward = AffineResolvent(K, inst.x_star)
    return inst


PLUGIN = OperatorClass(
    name="cocoercive",
    summary="beta-cocoercive operator F (monotone, 1/beta-Lipschitz); g = F(x), no function values",
    definition="<F(x) - F(y), x - y> >= beta ||F(x) - F(y)||^2 for all x, y",
    constants=(Param("beta", Interval(0, float("inf"), lo_open=True, hi_open=True), 1.0, "cocoercivity"),),
    stronger={"beta": "larger"},
    generators=(
        Generator("linear", "F(x) = c (S + K)(x - x*), S positive definite, K skew (||K|| = skew before scaling)",
                  _linear, matrix=lambda p: (p["d"], p["d"]), params=(
                      Param("skew", _NONNEG, 1.0, "spectral norm of the skew part before scaling"),)),
        Generator("split", "forward part F(x) = S (x - x*), S symmetric PSD with lam_max(S) = 1/beta; backward part "
                           "B(x) = K (x - x*), K skew (forward-backward; the PEP models B = 0 only)",
                  _split, matrix=lambda p: (p["d"], p["d"]), params=(
                      Param("backward", _NONNEG, 1.0, "spectral norm of the skew backward operator K"),)),
    ),
    default_generator="linear",
    conditions=(
        Condition("cocoercive interpolation", "pair", cocoercive, "interpolation", "exact",
                  "<g_i - g_j, x_i - x_j> >= beta ||g_i - g_j||^2", RYU + ", Prop. 2"),
    ),
    references=(RYU,),
)

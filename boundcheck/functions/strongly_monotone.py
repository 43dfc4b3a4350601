"""strongly-monotone (mu): <F(x) - F(y), x - y> >= mu |x - y|^2, F maximally monotone.

Interpolation (exact): F is mu-strongly monotone iff F - mu I is monotone, so a finite set is
interpolable iff every pair satisfies <g_i - g_j, x_i - x_j> >= mu |x_i - x_j|^2 (the monotone
extension theorem applied to F - mu I; Ryu, Taylor, Bergeling, Giselsson 2020, Sec. 2).

Generator ``linear``: F(x) = (S + K)(x - x*), lam(S) in [mu, mu + sym] with lam_min(S) = mu, K skew;
mu is certified as lam_min(sym A) from the matrix, attained along its eigenvector (the probes).
"""
from __future__ import annotations

import numpy as np

from ..params import Interval, Param
from .base import Certified, Condition, Generator
from .families import operators as ops
from .operator import RYU, OperatorClass, linear_instance, strongly_monotone

_NONNEG = Interval(0, float("inf"), hi_open=True)


def _linear(p: dict, rng: np.random.Generator):
    d, mu = p["d"], p["mu"]
    lam = mu + np.sort(rng.uniform(0.0, p["sym"], d))
    lam[0] = mu
    A = ops.monotone_matrix(rng, lam, p["skew"])
    mu_c, z = ops.strong_monotonicity(A)
    return linear_instance("strongly-monotone", p, rng, A,
                           {"mu": Certified(mu_c, "exact: lam_min of the symmetric part of A (eigh), attained along "
                                                  "its eigenvector")},
                           probes=lambda xs: ops.line_probes(xs, z, 2 * p["R"]))


PLUGIN = OperatorClass(
    name="strongly-monotone",
    summary="mu-strongly monotone operator F; g = F(x), no function values",
    definition="<F(x) - F(y), x - y> >= mu ||x - y||^2 for all x, y (F maximally monotone)",
    constants=(Param("mu", Interval(0, float("inf"), lo_open=True, hi_open=True), 0.1, "strong monotonicity"),),
    stronger={"mu": "larger"},
    generators=(
        Generator("linear", "F(x) = (S + K)(x - x*), lam(S) in [mu, mu + sym], lam_min = mu; K skew, ||K|| = skew",
                  _linear, matrix=lambda p: (p["d"], p["d"]), params=(
                      Param("sym", _NONNEG, 1.0, "spread of the symmetric spectrum above mu"),
                      Param("skew", _NONNEG, 1.0, "spectral norm of the skew part K"))),
    ),
    default_generator="linear",
    conditions=(
        Condition("strongly monotone interpolation", "pair", strongly_monotone, "interpolation", "exact",
                  "<g_i - g_j, x_i - x_j> >= mu ||x_i - x_j||^2", RYU + ", Sec. 2"),
    ),
    references=(RYU,),
)

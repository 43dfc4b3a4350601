"""monotone: maximally monotone operators F (no constant), <F(x) - F(y), x - y> >= 0.

Interpolation (exact): a finite set {(x_i, g_i)} is interpolable by a maximally monotone operator
iff every pair satisfies <g_i - g_j, x_i - x_j> >= 0: a monotone set extends to a maximally
monotone operator (Bauschke-Combettes 2017, Thm 20.21; used for PEPs by Ryu, Taylor, Bergeling,
Giselsson 2020). The class is the setting of the proximal point method (T25, Gu and Yang 2020).

Generators (x* seeded, F(x*) = 0; no constant to certify, monotonicity holds by construction and is
checked on the Jacobian's symmetric part):

* ``linear`` (default): F(x) = (S + K)(x - x*), S PSD with lam_min(S) = 0 exactly, K skew;
* ``tanh``: F(x) = s J (x - x*) + a tanh(x - x*), a rotation plus a monotone nonlinear part.
"""
from __future__ import annotations

import numpy as np

from ..params import Interval, Param
from .base import Certified, Condition, Generator
from .families import operators as ops
from .operator import BAUSCHKE_COMBETTES, RYU, OperatorClass, linear_instance, monotone, tanh_instance

_NONNEG = Interval(0, float("inf"), hi_open=True)


def _linear(p: dict, rng: np.random.Generator):
    d = p["d"]
    lam = np.sort(rng.uniform(0.0, p["sym"], d))
    lam[0] = 0.0
    A = ops.monotone_matrix(rng, lam, p["skew"])
    mu, z = ops.strong_monotonicity(A)
    return linear_instance("monotone", p, rng, A, {},
                           probes=lambda xs: ops.line_probes(xs, z, 2 * p["R"]),
                           notes=f"lam_min(sym A) = {mu!r} (0 up to rounding): monotone, not strongly; "
                                 f"skew part of norm {p['skew']!r}")


def _tanh(p: dict, rng: np.random.Generator):
    return tanh_instance("monotone", p, rng, p["s"], p["a"], with_L=False)


PLUGIN = OperatorClass(
    name="monotone",
    summary="maximally monotone operator F (no constant); g = F(x), no function values",
    definition="<F(x) - F(y), x - y> >= 0 for all x, y (F maximally monotone; x*: F(x*) = 0)",
    constants=(),
    stronger={},
    generators=(
        Generator("linear", "F(x) = (S + K)(x - x*), S PSD with lam_min = 0, lam in [0, sym]; K skew, ||K|| = skew",
                  _linear, matrix=lambda p: (p["d"], p["d"]), params=(
                      Param("sym", _NONNEG, 1.0, "largest eigenvalue of the symmetric part S"),
                      Param("skew", _NONNEG, 1.0, "spectral norm of the skew part K"))),
        Generator("tanh", "F(x) = s J (x - x*) + a tanh(x - x*): block rotation plus element-wise tanh",
                  _tanh, matrix=lambda p: (p["d"], p["d"]), params=(
                      Param("s", _NONNEG, 1.0, "rotation strength s"),
                      Param("a", Interval(0, float("inf"), lo_open=True, hi_open=True), 1.0, "tanh strength a"))),
    ),
    default_generator="linear",
    conditions=(
        Condition("monotone interpolation", "pair", monotone, "interpolation", "exact",
                  "<g_i - g_j, x_i - x_j> >= 0",
                  BAUSCHKE_COMBETTES + "; " + RYU + ", Sec. 2"),
    ),
    references=(BAUSCHKE_COMBETTES, RYU),
)

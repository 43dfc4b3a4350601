"""monotone: maximally monotone operators F (no constant), <F(x) - F(y), x - y> >= 0.

Interpolation (exact): a finite set {(x_i, g_i)} is interpolable by a maximally monotone operator
iff every pair satisfies <g_i - g_j, x_i - x_j> >= 0: a monotone set extends to a maximally
monotone operator (Bauschke-Combettes 2017, Thm 20.21; used for PEPs by Ryu, Taylor, Bergeling,
Giselsson 2020). The class is the setting of the proximal point method (T25, Gu and Yang 2020).

Generators (x* seeded, F(x*) = 0; no constant to certify, monotonicity holds by construction and is
checked on the Jacobian's symmetric part):

* ``linear`` (default): F(x) = (S + K)(x - x*), S PSD with lam_min(S) = 0 exactly, K skew;
* ``rotation``: F(x) = s J (x - x*), J block-diagonal with 2x2 blocks [[0, -1], [1, 0]]: proximal
  point's worst case. Each block is the complex number i s, so x_N - x* = (1 + i gamma s)^(-N)
  (x0 - x*) and ||x_N - x_{N-1}||^2 = (gamma s)^2/(1 + (gamma s)^2)^N R^2 (even d), which is
  largest, (1 - 1/N)^(N-1)/N R^2 (Gu-Yang's tight bound), at gamma s = 1/sqrt(N - 1);
* ``tanh``: F(x) = s J (x - x*) + a tanh(x - x*), a rotation plus a monotone nonlinear part
  (no closed-form resolvent: proximal point runs on it in the PEP only).
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


def _rotation(p: dict, rng: np.random.Generator):
    d = p["d"]
    A = p["s"] * ops.block_skew(d)
    z = np.zeros(d)
    z[0] = 1.0
    return linear_instance("monotone", p, rng, A, {}, probes=lambda xs: ops.line_probes(xs, z, 2 * p["R"]),
                           notes=f"skew: <F(x) - F(y), x - y> = 0; every 2x2 block rotates by pi/2 with gain s = "
                                 f"{p['s']!r}" + (" (odd d: the last coordinate is a zero of F)" if d % 2 else ""),
                           generator="rotation")


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
        Generator("rotation", "F(x) = s J (x - x*), J block-diagonal [[0, -1], [1, 0]]: the proximal point "
                              "worst case (gamma s = 1/sqrt(N - 1) attains Gu-Yang's bound, even d)",
                  _rotation, matrix=lambda p: (p["d"], p["d"]), params=(
                      Param("s", Interval(0, float("inf"), lo_open=True, hi_open=True), 1.0, "rotation gain s"),)),
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

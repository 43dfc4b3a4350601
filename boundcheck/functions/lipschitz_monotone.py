"""lipschitz-monotone (L): monotone and L-Lipschitz operators, the setting of extragradient and
optimistic gradient (T25).

Conditions: each pair satisfies <g_i - g_j, x_i - x_j> >= 0 and |g_i - g_j| <= L |x_i - x_j|.
Each is an interpolation condition for its own class (monotone: Bauschke-Combettes Thm 20.21;
Lipschitz: Kirszbraun-Valentine, Ryu et al. 2020 Fact 2), but together they are only NECESSARY for
the intersection: Ryu, Taylor, Bergeling, Giselsson 2020 (Sec. 3) show that the pairwise conditions
of Lipschitz monotone operators do not characterise the class, so a PEP using them is a relaxation
and its value an upper bound on the worst case (PEPit's LipschitzStronglyMonotoneOperatorCheap
says the same). Claims on this class are encoded as upper claims, never tight ones.

Generators (L certified; probes where it is attained):

* ``linear`` (default): F(x) = c (S + K)(x - x*), lam(S) in [0, sym] (lam_min = 0), K skew with
  ||K|| = skew, scaled by c so that sigma_max = L (SVD); sym = 0 is the bilinear game (pure skew),
  on which the forward step diverges;
* ``tanh``: F(x) = s J (x - x*) + a tanh(x - x*) with (s, a) scaled so that the Jacobian's largest
  norm (a supremum, over the box vertices) is L.
"""
from __future__ import annotations

import numpy as np

from ..errors import ParamError
from ..params import Interval, Param
from .base import Certified, Condition, Generator
from .families import operators as ops
from .operator import BAUSCHKE_COMBETTES, RYU, OperatorClass, linear_instance, lipschitz, monotone, tanh_instance

_NONNEG = Interval(0, float("inf"), hi_open=True)
_POS = Interval(0, float("inf"), lo_open=True, hi_open=True)


def _linear(p: dict, rng: np.random.Generator):
    d, L = p["d"], p["L"]
    if p["sym"] == 0 and (p["skew"] == 0 or d == 1):
        raise ParamError(f"lipschitz-monotone: instance 'linear' with sym = 0 needs a skew part (skew > 0 and "
                         f"d >= 2): otherwise A = 0 cannot be scaled to Lipschitz constant L = {L}")
    lam = np.sort(rng.uniform(0.0, p["sym"], d))
    lam[0] = 0.0 if d > 1 else p["sym"]  # d = 1: F(x) = L (x - x*), no room for a zero eigenvalue
    A = ops.monotone_matrix(rng, lam, p["skew"])
    A = A * (L / ops.lipschitz(A)[0])
    L_c, z = ops.lipschitz(A)
    return linear_instance("lipschitz-monotone", p, rng, A,
                           {"L": Certified(L_c, "exact: largest singular value of A (SVD), attained along the top "
                                                "right singular vector")},
                           probes=lambda xs: ops.line_probes(xs, z, 2 * p["R"]),
                           notes="monotone: the symmetric part of A is PSD with lam_min = 0 by construction")


def _tanh(p: dict, rng: np.random.Generator):
    c = p["L"] / ops.tanh_lipschitz(p["s"], p["a"], p["d"])[0]
    return tanh_instance("lipschitz-monotone", p, rng, c * p["s"], c * p["a"], with_L=True)


PLUGIN = OperatorClass(
    name="lipschitz-monotone",
    summary="monotone, L-Lipschitz operator F (the VI setting of EG/OG); g = F(x), no function values",
    definition="<F(x) - F(y), x - y> >= 0 and ||F(x) - F(y)|| <= L ||x - y|| for all x, y",
    constants=(Param("L", _POS, 1.0, "Lipschitz constant of F"),),
    stronger={"L": "smaller"},
    generators=(
        Generator("linear", "F(x) = c (S + K)(x - x*), lam(S) in [0, sym], K skew, scaled to sigma_max = L "
                            "(sym = 0: bilinear game)",
                  _linear, matrix=lambda p: (p["d"], p["d"]), params=(
                      Param("sym", _NONNEG, 0.2, "largest eigenvalue of S before scaling"),
                      Param("skew", _NONNEG, 1.0, "spectral norm of K before scaling"))),
        Generator("tanh", "F(x) = s J (x - x*) + a tanh(x - x*), (s, a) scaled to Lipschitz constant L",
                  _tanh, matrix=lambda p: (p["d"], p["d"]), params=(
                      Param("s", _NONNEG, 1.0, "rotation strength before scaling"),
                      Param("a", _POS, 1.0, "tanh strength before scaling"))),
    ),
    default_generator="linear",
    conditions=(
        Condition("monotone", "pair", monotone, "necessary", "relaxation",
                  "<g_i - g_j, x_i - x_j> >= 0",
                  RYU + ", Sec. 3: with Lipschitz continuity, the pairwise conditions are necessary only; "
                  + BAUSCHKE_COMBETTES),
        Condition("Lipschitz", "pair", lipschitz, "necessary", "relaxation",
                  "||g_i - g_j||^2 <= L^2 ||x_i - x_j||^2",
                  RYU + ", Fact 2 (Kirszbraun-Valentine) and Sec. 3: necessary only together with monotonicity"),
    ),
    references=(RYU, BAUSCHKE_COMBETTES),
)

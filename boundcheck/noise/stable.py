"""stable (alpha, scale): symmetric alpha-stable noise, i.i.d. coordinates.

    E exp(i t xi_j) = exp(-|scale * t|^alpha)       (0 < alpha <= 2; alpha = 1 is Cauchy)

This is scipy.stats.levy_stable(alpha, 0, scale=scale); for the symmetric case (skew 0) its
parametrisations S0 and S1 coincide, so the default 'S1' is the right reference. alpha = 2 is
N(0, 2 scale^2), not N(0, scale^2).

Tail index ``alpha`` (for alpha < 2): P(|xi_j| > t) ~ c t^{-alpha}, so E|xi_j|^q < inf iff
q < alpha. THE alpha-TH MOMENT IS INFINITE (theorems.md pitfall 7): stable(alpha=1.5) does NOT
satisfy "E||xi||^1.5 <= sigma^1.5"; for that hypothesis use a family with tail index > 1.5 (the
``--noise alpha=A`` shorthand picks pareto[beta=A+0.1]). ``scale`` is the PER-COORDINATE scale
(not divided by sqrt(d)); what it bounds: every moment below alpha,
E|xi_j|^q = scale^q 2^q Gamma((1+q)/2) Gamma(1-q/alpha) / (sqrt(pi) Gamma(1-q/2)), q < alpha
(Samorodnitsky and Taqqu 1994, Property 1.2.17, in the S1 scale).

Sampler: Chambers-Mallows-Stuck (1976), exact, from the per-run stream: V ~ U(-pi/2, pi/2),
W ~ Exp(1), X = sin(alpha V)/cos(V)^{1/alpha} * (cos((1-alpha) V)/W)^{(1-alpha)/alpha}; at
alpha = 1 the last factor is 1 and X = tan V.
"""
from __future__ import annotations

import math

import numpy as np
from numba import njit
from scipy import stats

from ..functions.base import Certified
from ..params import Interval, Param
from ..rng import uniform_open
from .base import INF, NoiseModel


@njit(cache=True)
def sample(s, theta, g, out):
    scale = theta[0]
    a = theta[1]
    inva = 1.0 / a
    e = (1.0 - a) * inva
    for i in range(out.shape[0]):
        v = np.pi * (uniform_open(s) - 0.5)  # in (-pi/2, pi/2)
        w = -np.log(uniform_open(s))  # Exp(1), > 0
        c = np.cos(v)
        x = np.sin(a * v) / np.exp(inva * np.log(c))
        if e != 0.0:
            x *= np.exp(e * np.log(np.cos((1.0 - a) * v) / w))
        out[i] = scale * x


def abs_moment(alpha: float, q: float) -> float:
    """E|X|^q for X symmetric alpha-stable with E e^{itX} = e^{-|t|^alpha}, 0 < q < alpha."""
    if alpha >= 2:
        # N(0, 2): E|X|^q = 2^q Gamma((q+1)/2)/sqrt(pi)
        return math.exp(q * math.log(2) + math.lgamma((q + 1) / 2) - 0.5 * math.log(math.pi))
    if q >= alpha:
        return INF
    return math.exp(q * math.log(2) + math.lgamma((1 + q) / 2) + math.lgamma(1 - q / alpha)
                    - 0.5 * math.log(math.pi) - math.lgamma(1 - q / 2))


def _tail(p):
    return INF if p["alpha"] >= 2 else p["alpha"]


def _moment(p, d, q):
    a, sc = p["alpha"], p["scale"]
    if q >= _tail(p):
        return Certified(INF, f"E|xi_j|^q = inf for q = {q:g} >= alpha = {a:g}: an alpha-stable law has "
                              "an infinite alpha-th moment (theorems.md pitfall 7)")
    mq = sc ** q * abs_moment(a, q)
    formula = "E|xi_1|^q = s^q 2^q Gamma((1+q)/2) Gamma(1-q/alpha)/(sqrt(pi) Gamma(1-q/2))"
    if a >= 2:
        # Gaussian N(0, 2 s^2 I): exact chi moments
        v = math.exp(0.5 * q * math.log(4 * sc ** 2) + math.lgamma((d + q) / 2) - math.lgamma(d / 2))
        return Certified(v ** (1 / q), "exact (alpha = 2 is N(0, 2 s^2 I)): E||xi||^q = "
                                       "(4 s^2)^{q/2} Gamma((d+q)/2)/Gamma(d/2)")
    if d == 1:
        return Certified(mq ** (1 / q), "exact: " + formula)
    # here q < alpha < 2
    return Certified((d * mq) ** (1 / q),
                     "(sum xi_i^2)^{q/2} <= sum |xi_i|^q for q <= 2, so E||xi||^q <= d E|xi_1|^q; " + formula,
                     exact=False)


PLUGIN = NoiseModel(
    name="stable",
    summary="symmetric alpha-stable, i.i.d. coordinates; tail index alpha, INFINITE alpha-th moment",
    definition="E exp(i t xi_j) = exp(-|scale t|^alpha) i.i.d. (scipy levy_stable(alpha, 0), S1 = S0)",
    params=(
        Param("alpha", Interval(0, 2, lo_open=True), 1.5,
              "stability index = tail index (alpha < 2): E|xi_j|^q < inf iff q < alpha"),
        Param("scale", Interval(0, INF, lo_open=True, hi_open=True), 1.0,
              "per-coordinate scale (the characteristic function is exp(-|scale t|^alpha))"),
    ),
    sample=sample,
    pack=lambda p, d: np.array([p["scale"], p["alpha"]]),
    symmetric=lambda p: True,
    tail_index=_tail,
    moment_bound=_moment,
    law=lambda p, d: stats.levy_stable(p["alpha"], 0.0, scale=p["scale"]),
    references=("theorems.md, 'Noise generators to implement', T09, pitfall 7",
                "J.M. Chambers, C.L. Mallows, B.W. Stuck, JASA 71 (1976) 340-344",
                "G. Samorodnitsky, M.S. Taqqu, Stable Non-Gaussian Random Processes (1994), Prop. 1.2.17"),
)

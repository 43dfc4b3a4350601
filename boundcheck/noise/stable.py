"""stable (alpha, scale, skew): alpha-stable noise, symmetric by default, i.i.d. coordinates.

    E exp(i t xi_j) = exp(-|scale t|^alpha (1 - i skew sign(t) tan(pi alpha/2)))
                                               (0 < alpha <= 2; alpha = 1, skew = 0 is Cauchy)

This is scipy.stats.levy_stable(alpha, skew, scale=scale) in scipy's default parametrisation
'S1' (Samorodnitsky-Taqqu); for skew = 0 (the default, the symmetric alpha-stable law) S0 and S1 coincide. alpha = 2 is N(0, 2 scale^2), not N(0, scale^2). ``skew`` != 0
(requires alpha != 1) gives the skewed law of T09 check (ii) ("antisymmetric part
turned on"); for alpha > 1 the mean is still 0 in S1.

Tail index ``alpha`` (for alpha < 2): P(|xi_j| > t) ~ c t^{-alpha}, so E|xi_j|^q < inf iff
q < alpha. THE alpha-TH MOMENT IS INFINITE (docs/pitfalls.md#stable-is-not-bounded-moment): stable(alpha=1.5) does NOT
satisfy "E||xi||^1.5 <= sigma^1.5"; for that hypothesis use a family with tail index > 1.5 (the
``--noise alpha=A`` shorthand picks pareto[beta=A+0.1]). ``scale`` is the PER-COORDINATE scale
(not divided by sqrt(d)); what it bounds: every moment below alpha, for q < alpha,

    E|xi_j|^q = scale^q (2/pi) Gamma(q) sin(pi q/2) Gamma(1 - q/alpha)
                * (1 + z^2)^{q/(2 alpha)} cos((q/alpha) arctan z),     z = skew tan(pi alpha/2)

(symmetric case: = scale^q 2^q Gamma((1+q)/2) Gamma(1-q/alpha)/(sqrt(pi) Gamma(1-q/2)),
Samorodnitsky and Taqqu 1994, Property 1.2.17; skewed: the fractional lower-order moment of
S1 laws, e.g. Kuruoglu, IEEE Trans. Signal Process. 49 (2001) 2192-2201). The test suite checks it
against |x|^q = (2/pi) Gamma(q+1) sin(pi q/2) int (1 - cos(t x)) t^{-q-1} dt applied to the
characteristic function above.

Sampler: Chambers-Mallows-Stuck (1976) in Weron's (1996) form, exact, from the per-run stream:
V ~ U(-pi/2, pi/2), W ~ Exp(1), B = arctan(z)/alpha, S = (1 + z^2)^{1/(2 alpha)},
X = S sin(alpha (V + B))/cos(V)^{1/alpha} * (cos(V - alpha (V + B))/W)^{(1-alpha)/alpha}; at
alpha = 1 (skew 0) the last factor is 1 and X = tan V.
"""
from __future__ import annotations

import math

import numpy as np
from numba import njit

from ..functions.base import Certified
from ..params import Interval, Param, Relation
from ..rng import borrowed, uniform_open
from .base import INF, NoiseModel, _stats, iid_norm_moment
from .ziggurat import exponential


@njit
def sample(s, theta, g, out):
    scale = theta[0]  # times S = (1 + z^2)^{1/(2 alpha)}
    a = theta[1]
    b = theta[2]  # B = arctan(z)/alpha (0 when symmetric)
    inva = 1.0 / a
    e = (1.0 - a) * inva
    s = borrowed(s)
    for i in range(out.shape[0]):
        v = np.pi * (uniform_open(s) - 0.5)  # in (-pi/2, pi/2)
        w = exponential(s)  # Exp(1) by the ziggurat (no log on 99% of draws), > 0
        c = np.cos(v)
        x = np.sin(a * (v + b)) / np.exp(inva * np.log(c))
        if e != 0.0:
            x *= np.exp(e * np.log(np.cos(v - a * (v + b)) / w))
        out[i] = scale * x


def _z(alpha: float, skew: float) -> float:
    return 0.0 if skew == 0 or alpha >= 2 else skew * math.tan(math.pi * alpha / 2)


def abs_moment(alpha: float, q: float, skew: float = 0.0) -> float:
    """E|X|^q for X ~ S1(alpha, skew, scale 1), i.e. E e^{itX} = e^{-|t|^alpha (1 - i skew sign(t)
    tan(pi alpha/2))}, 0 < q < alpha."""
    if alpha >= 2:
        # N(0, 2): E|X|^q = 2^q Gamma((q+1)/2)/sqrt(pi)
        return math.exp(q * math.log(2) + math.lgamma((q + 1) / 2) - 0.5 * math.log(math.pi))
    if q >= alpha:
        return INF
    sym = math.exp(q * math.log(2) + math.lgamma((1 + q) / 2) + math.lgamma(1 - q / alpha)
                   - 0.5 * math.log(math.pi) - math.lgamma(1 - q / 2))
    z = _z(alpha, skew)
    return sym * (1 + z * z) ** (q / (2 * alpha)) * math.cos(q / alpha * math.atan(z))


def _pack(p, d):
    a = p["alpha"]
    z = _z(a, p["skew"])
    return np.array([p["scale"] * (1 + z * z) ** (1 / (2 * a)), a, math.atan(z) / a])


def _tail(p):
    return INF if p["alpha"] >= 2 else p["alpha"]


def _moment(p, d, q):
    a, sc, sk = p["alpha"], p["scale"], p["skew"]
    if q >= _tail(p):
        return Certified(INF, f"E|xi_j|^q = inf for q = {q:g} >= alpha = {a:g}: an alpha-stable law has "
                              "an infinite alpha-th moment (docs/pitfalls.md#stable-is-not-bounded-moment)")
    mq = sc ** q * abs_moment(a, q, sk)
    formula = "E|xi_1|^q = s^q 2^q Gamma((1+q)/2) Gamma(1-q/alpha)/(sqrt(pi) Gamma(1-q/2))"
    if _z(a, sk) != 0:
        formula += " * (1 + z^2)^{q/(2 alpha)} cos((q/alpha) arctan z), z = skew tan(pi alpha/2)"
    if a >= 2:
        # Gaussian N(0, 2 s^2 I): exact chi moments
        v = math.exp(0.5 * q * math.log(4 * sc ** 2) + math.lgamma((d + q) / 2) - math.lgamma(d / 2))
        return Certified(v ** (1 / q), "exact (alpha = 2 is N(0, 2 s^2 I)): E||xi||^q = "
                                       "(4 s^2)^{q/2} Gamma((d+q)/2)/Gamma(d/2)")
    return iid_norm_moment(d, q, mq, formula)  # here q < alpha < 2: infinite variance


PLUGIN = NoiseModel(
    name="stable",
    summary="alpha-stable (symmetric unless skew != 0), i.i.d. coordinates; tail index alpha, "
            "INFINITE alpha-th moment",
    definition="E exp(i t xi_j) = exp(-|scale t|^alpha (1 - i skew sign(t) tan(pi alpha/2))) i.i.d. "
               "(scipy levy_stable(alpha, skew), S1)",
    params=(
        Param("alpha", Interval(0, 2, lo_open=True), 1.5,
              "stability index = tail index (alpha < 2): E|xi_j|^q < inf iff q < alpha"),
        Param("scale", Interval(0, INF, lo_open=True, hi_open=True), 1.0,
              "per-coordinate scale (the characteristic function is exp(-|scale t|^alpha) when skew = 0)"),
        Param("skew", Interval(-1, 1), 0.0,
              "skewness beta of the S1 parametrisation; 0 = symmetric (needs alpha != 1 when nonzero)"),
    ),
    relations=(Relation(lambda p: p["skew"] == 0 or p["alpha"] != 1,
                        "'skew' must be 0 when 'alpha' = 1 (the S1 alpha = 1 skewed law is not centred)"),),
    sample=sample,
    pack=_pack,
    symmetric=lambda p: p["skew"] == 0 or p["alpha"] >= 2,
    tail_index=_tail,
    moment_bound=_moment,
    law=lambda p, d: _stats().levy_stable(p["alpha"], p["skew"], scale=p["scale"]),
    coordinatewise=True,
    references=("docs/pitfalls.md#stable-is-not-bounded-moment",
                "J.M. Chambers, C.L. Mallows, B.W. Stuck, JASA 71 (1976) 340-344",
                "R. Weron, Statist. Probab. Lett. 28 (1996) 165-171 (CMS for skewed laws)",
                "G. Samorodnitsky, M.S. Taqqu, Stable Non-Gaussian Random Processes (1994), Prop. 1.2.17"),
)

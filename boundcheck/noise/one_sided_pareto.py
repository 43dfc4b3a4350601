"""one-sided-pareto (beta, scale, cap): a centred one-sided Pareto spike along u = 1/sqrt(d).

    xi = (Z - m) u,   Z ~ Pareto(beta) on [z0, z0 cap] (truncated),   m = E Z,   u = (1,...,1)/sqrt(d)

with z0 = ``scale`` and density beta z0^beta z^{-beta-1}/(1 - cap^{-beta}) on [z0, z0 cap]
(cap = inf: the untruncated Pareto, which needs beta > 1 for a mean). So E xi = 0 and xi is
skewed: a long right tail P(Z > z) ~ (z0/z)^beta and no left tail (xi >= z0 - m). It is a FIXED
law (no parameter tied to a clip level or a horizon): with beta = 2 the clipping bias
E (Z - m - c)_+ = int_{c+m} P(Z > z) dz ~ z0^2/(c + m) decays like 1/c over the clip levels
z0 << c << z0 cap, while Var xi ~ 2 z0^2 log(cap) stays finite (T13's floor sigma^2/c, up to
the log, attained by one noise law at every c).

Moments (exact, with rho = 1/cap): E Z^q = beta z0^beta (hi^{q-beta} - z0^{q-beta})/((q - beta)
(1 - rho^beta)) for q != beta, and beta z0^q log(cap)/(1 - rho^beta) at q = beta (hi = z0 cap).
``moment_bound`` gives the exact value at q = 2 (Var Z = E Z^2 - m^2) and otherwise the certified
|Z - m|^q <= 2^{q-1} (Z^q + m^q) for q >= 1, Jensen from q = 2 below 1.
"""
from __future__ import annotations

import math

import numpy as np
from numba import njit

from ..functions.base import Certified
from ..params import Interval, Param, Relation
from ..rng import uniform_open
from .base import INF, NoiseModel, _stats


@njit
def sample(s, theta, g, out):
    # theta = (z0, beta, 1 - cap^{-beta}, m, 1/sqrt(d)): inverse CDF of the truncated Pareto
    u = uniform_open(s)
    z = theta[0] * (1.0 - u * theta[2]) ** (-1.0 / theta[1])
    x = (z - theta[3]) * theta[4]
    for i in range(out.shape[0]):
        out[i] = x


def _mass(p):
    cap = p["cap"]
    return 1.0 if math.isinf(cap) else 1.0 - cap ** (-p["beta"])


def raw_moment(p, q: float) -> float:
    """E Z^q (inf when it diverges)."""
    b, z0, cap = p["beta"], p["scale"], p["cap"]
    if math.isinf(cap):
        return b * z0 ** q / (b - q) if q < b else math.inf
    hi = z0 * cap
    if q == b:
        return b * z0 ** q * math.log(cap) / _mass(p)
    return b * z0 ** b * (hi ** (q - b) - z0 ** (q - b)) / ((q - b) * _mass(p))


def _pack(p, d):
    return np.array([p["scale"], p["beta"], _mass(p), raw_moment(p, 1.0), 1.0 / math.sqrt(d)])


def _moment(p, d, q):
    m = raw_moment(p, 1.0)
    if q == 2:
        v = max(raw_moment(p, 2.0) - m * m, 0.0)
        return Certified(math.sqrt(v), "exact: ||xi|| = |Z - m|, E||xi||^2 = E Z^2 - m^2 (truncated Pareto moments)")
    if q >= 1:
        v = 2 ** (q - 1) * (raw_moment(p, q) + m ** q)
        return Certified(v ** (1 / q), "bound: |Z - m|^q <= 2^{q-1} (Z^q + m^q), E Z^q exact", exact=False)
    v = max(raw_moment(p, 2.0) - m * m, 0.0)
    return Certified(math.sqrt(v), "bound: Jensen, (E|Z - m|^q)^{1/q} <= (E|Z - m|^2)^{1/2} for q < 2",
                     exact=False)


def _law(p, d):
    st, r = _stats(), math.sqrt(d)
    loc, sc = -raw_moment(p, 1.0) / r, p["scale"] / r
    if math.isinf(p["cap"]):
        return st.pareto(p["beta"], loc=loc, scale=sc)
    return st.truncpareto(p["beta"], p["cap"], loc=loc, scale=sc)


PLUGIN = NoiseModel(
    name="one-sided-pareto",
    summary="centred one-sided (skewed) Pareto spike along u = 1/sqrt(d), optionally truncated; a fixed law",
    definition="xi = (Z - E Z) u, Z ~ Pareto(beta) on [scale, scale*cap], u = (1,...,1)/sqrt(d)",
    params=(
        Param("beta", Interval(0, INF, lo_open=True, hi_open=True), 2.0, "tail index of Z: P(Z > z) ~ (scale/z)^beta"),
        Param("scale", Interval(0, INF, lo_open=True, hi_open=True), 1.0, "z0: the left end of Z's support"),
        Param("cap", Interval(1, INF, lo_open=True), 10.0, "truncation: Z <= scale*cap (inf: untruncated)"),
    ),
    sample=sample,
    pack=_pack,
    symmetric=lambda p: False,
    tail_index=lambda p: p["beta"] if math.isinf(p["cap"]) else INF,
    moment_bound=_moment,
    law=_law,
    relations=(Relation(lambda p: not math.isinf(p["cap"]) or p["beta"] > 1,
                        "one-sided-pareto: an untruncated Pareto (cap = inf) needs beta > 1 for a mean"),),
    references=("the clipping-bias floor of T13 with a noise independent of the clip level; "
                "docs/pitfalls.md#clipping-bias-needs-asymmetry",),
)

"""agd-quasar: accelerated gradient descent for gamma-quasar-convex L-smooth functions, with the
line search on the momentum that quasar-convexity needs (Hinder, Sidford, Sohoni, non-strongly
quasar-convex case).

    omega_0 = 1,  omega_{k+1} = omega_k (sqrt(omega_k^2 + 4) - omega_k)/2
    (1/omega_{k+1}^2 - 1/omega_{k+1} = 1/omega_k^2;  omega_k <= 2/(k+2))
    iteration k = 0, 1, ...  with  w = omega_{k+1},  eta_k = gamma/(L w),  c_k = gamma (1/w - 1):
      y_k = a x_k + (1 - a) v_k, a in [0, 1] such that
            c_k f(y_k) + a <grad f(y_k), x_k - v_k> <= c_k f(x_k) + eps          (line search)
      x_{k+1} = y_k - (1/L) grad f(y_k)
      v_{k+1} = v_k - eta_k grad f(y_k)                                        (x_0 = v_0)

Line search: a = 1 if <grad f(x_k), x_k - v_k> <= eps; else a = 0 if c_k (f(v_k) - f(x_k)) <= eps;
else bisection on [0, 1] keeping f(lo) > f(x_k) >= f(hi) and testing the condition at each
midpoint (a point satisfying it lies right of the last crossing of f(x_k) on [lo, hi]).

**Engine steps are oracle calls, and every iteration spends exactly m = searches + 2 of them**
(x_k, v_k, then up to ``searches`` midpoints; calls left after the search succeeds re-query
x_{k+1}). So after N = K m engine steps the iterate State.x is x_K, and a bound in the iteration
count reads K = N/m; ``needs_value``: update reads fx = f(query). k[5] counts iterations whose
search ended without meeting the condition (then the last midpoint is used).

Derived bound (ours, from the two inequalities only): with D_k = ||v_k - x*||^2, quasar-convexity
<g, y - x*> >= gamma (f(y) - f*), the line search -a<g, x - v> >= -c (f(x) - f(y)) - eps and the
descent lemma ||g||^2 <= 2L (f(y) - f(x_{k+1})), the choice L eta = gamma + c cancels f(y) and
    D_{k+1} + (2 gamma^2/L) (f(x_{k+1}) - f*)/omega_{k+1}^2 <= D_k + (2 gamma^2/L) (f(x_k) - f*)/omega_k^2 + 2 eta_k eps,
hence f(x_K) - f* <= omega_K^2 (f(x_0) - f* + L ||x_0 - x*||^2/(2 gamma^2) + (L/gamma^2) eps sum_{k<K} eta_k)
when every search met its condition.

References: O. Hinder, A. Sidford, N. Sohoni, COLT 2020, arXiv 1906.11985 (the method; the parameters
above are those of the authors' public implementation, github.com/nimz/quasar-convex-acceleration,
``agd_nonstrong``); Q. Fu, D. Xu, A. Wilson, ICML 2023, arXiv 2305.04736 (the stochastic methods built
on it: not this file).
"""
from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from .. import ops
from ..algorithm import Algorithm
from ..params import Interval, Param
from ._common import need


class State(NamedTuple):
    x: np.ndarray   # x_k (the measured iterate)
    v: np.ndarray   # v_k
    y: np.ndarray   # the query point
    gx: np.ndarray  # grad f(x_k)
    d: np.ndarray   # x_k - v_k (updated with x and v)
    k: np.ndarray   # [iteration, call in the iteration, f(x_k), lo, hi, failed searches, done, a]


class P(NamedTuple):
    invL: float
    gamma: float
    eps: float
    m: int            # oracle calls per iteration
    omega: np.ndarray  # omega_1, omega_2, ... (omega[k] = omega_{k+1})


def omegas(n: int) -> np.ndarray:
    """omega_1..omega_n (omega_0 = 1 is not stored)."""
    out = np.empty(n)
    w = 1.0
    for i in range(n):
        w = 0.5 * w * (math.sqrt(w * w + 4.0) - w)
        out[i] = w
    return out


def init(x0, P):
    return State(x=x0.copy(), v=x0.copy(), y=x0.copy(), gx=x0 - x0, d=x0 - x0, k=np.zeros(8))


def query(s, P):
    return s.y


def update(s, g, fx, P):
    call = int(s.k[1])
    it = int(s.k[0])
    w = P.omega[it]
    c = P.gamma * (1.0 / w - 1.0)
    slope = ops.dot(g, s.d)  # <grad f(query), x_k - v_k> (s.d is kept equal to x_k - v_k)
    accept = False     # y = s.y is accepted with gradient g
    a_next = -1.0      # else, the next momentum point a to query (-1: none, the search is closed)
    if s.k[6] == 0.0:  # the search of this iteration is still open
        if call == 0:  # (f, g) at x_k
            s.k[2] = fx
            ops.assign(s.gx, g)
            if slope <= P.eps:  # a = 1: y = x_k
                accept = True
            else:
                a_next = 0.0
        elif call == 1:  # (f, g) at v_k
            if c * (fx - s.k[2]) <= P.eps:  # a = 0: y = v_k
                accept = True
            else:
                s.k[3] = 0.0
                s.k[4] = 1.0
                a_next = 0.5
        else:  # (f, g) at the midpoint a
            a = s.k[7]
            if c * (fx - s.k[2]) + a * slope <= P.eps:
                accept = True
            elif call == P.m - 1:  # out of calls: take the last midpoint, count the failure
                s.k[5] += 1.0
                accept = True
            else:
                if fx <= s.k[2]:
                    s.k[4] = a
                else:
                    s.k[3] = a
                a_next = 0.5 * (s.k[3] + s.k[4])
    if accept:  # x_{k+1} = y - g/L, v_{k+1} = v - eta g; the calls left query x_{k+1}
        ops.axpy(s.v, -P.gamma * P.invL / w, g)
        ops.lincomb(s.x, 1.0, s.y, -P.invL, g)
        ops.assign(s.y, s.x)
        ops.lincomb(s.d, 1.0, s.x, -1.0, s.v)
        s.k[6] = 1.0
    elif a_next >= 0.0:  # query y = v + a (x - v)
        s.k[7] = a_next
        ops.lincomb(s.y, 1.0, s.v, a_next, s.d)
    call += 1
    if call == P.m:  # the iteration is over: the next call queries x_{k+1} (already in s.y)
        s.k[0] = it + 1.0
        s.k[6] = 0.0
        call = 0
    s.k[1] = call


def make_params(p, N, prob):
    L = need(prob, "L", "agd-quasar", "the gradient step 1/L and the mirror step gamma/(L omega)")
    m = int(p["searches"]) + 2
    return P(invL=1.0 / L, gamma=float(p["gamma"]), eps=float(p["eps"]), m=m,
             omega=omegas(N // m + 2))


def bound(K: int, gamma: float, L: float = 1.0, R: float = 1.0, F0: float | None = None) -> float:
    """The derived bound at eps = 0: omega_K^2 (F0 + L R^2/(2 gamma^2)), F0 = f(x_0) - f* (default L R^2/2)."""
    F0 = L * R * R / 2 if F0 is None else F0
    w = 1.0 if K == 0 else omegas(K)[K - 1]
    return w * w * (F0 + L * R * R / (2 * gamma * gamma))


PLUGIN = Algorithm(
    name="agd-quasar",
    summary="accelerated GD for gamma-quasar-convex functions with a line search on the momentum "
            "(engine steps = oracle calls, searches + 2 per iteration)",
    update_rule="y = a x + (1-a) v (line search: c f(y) + a <g(y), x - v> <= c f(x) + eps); "
                "x+ = y - g(y)/L; v+ = v - gamma/(L omega) g(y)",
    params=(
        Param("gamma", Interval(0, 1, lo_open=True), 1.0, "the quasar-convexity constant the method assumes"),
        Param("eps", Interval(0, float("inf"), hi_open=True), 0.0, "line-search slack (0: exact condition)"),
        Param("searches", Interval(1, 200, integer=True), 30,
              "bisection steps per iteration (oracle calls per iteration = searches + 2)"),
    ),
    State=State, init=init, query=query, update=update, make_params=make_params,
    stochastic=False, needs_value=True,
    references=("O. Hinder, A. Sidford, N. Sohoni, COLT 2020, arXiv 1906.11985",
                "github.com/nimz/quasar-convex-acceleration (algorithms.py, agd_nonstrong: the parameters)"),
)

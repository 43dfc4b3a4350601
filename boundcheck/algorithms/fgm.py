"""fgm: Nesterov's fast gradient method (FISTA form), normalized step h (step = h/L).

    lam_1 = 1,  lam_{t+1} = (1 + sqrt(4 lam_t^2 + 1))/2
    x_{t+1} = y_t - (h/L) grad f(y_t)                                  (y_0 = x_0)
    y_{t+1} = x_{t+1} + (lam_{t+1} - 1)/lam_{t+2} (x_{t+1} - x_t)        (0-based t = 0..N-1)

Oracle calls at y_0, ..., y_{N-1}; the measured iterate is x_N (State.x). T04 (h = 1):
f(x_N) - f* <= L R^2/(2 lam_N^2) <= 2 L R^2/(N+1)^2, with lam_N the coefficient *before* the N-th
update (lam_N = P.lam[N-1] here); lam_{N+1} gives a bound the PEP violates for N >= 5.
``variant=strongly-convex`` uses the constant momentum (sqrt L - sqrt mu)/(sqrt L + sqrt mu)
(mu from the function class): f(x_N) - f* <= (1 - sqrt(mu/L))^N (f(x_0) - f* + mu R^2/2)
(d'Aspremont, Scieur, Taylor 2021, Cor. 4.15). Linear with numeric coefficients: exact in the PEP.

References: Y. Nesterov, Soviet Math. Dokl. 27 (1983); A. Beck, M. Teboulle, SIAM J. Imaging Sci. 2
(2009), Thm 4.4; A. d'Aspremont, D. Scieur, A. Taylor, Found. Trends Optim. (2021), arXiv 2101.09545.
"""
from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from .. import ops
from ..algorithm import Algorithm
from ..params import Choice, Interval, Param
from ._common import need


class State(NamedTuple):
    x: np.ndarray
    y: np.ndarray
    tmp: np.ndarray
    k: np.ndarray  # k[0] = t


class P(NamedTuple):
    step: float
    mom: np.ndarray  # momentum of step t: (lam_{t+1} - 1)/lam_{t+2}, t = 0..N-1
    lam: np.ndarray  # lam_1..lam_{N+1} (lam[i] = lam_{i+1}); T04's bound uses lam[N-1]


def lambdas(n: int) -> np.ndarray:
    """lam_1..lam_n (1-based in the paper, 0-based here: lam[i] = lam_{i+1})."""
    lam = np.ones(n)
    for i in range(1, n):
        lam[i] = (1 + math.sqrt(4 * lam[i - 1] ** 2 + 1)) / 2
    return lam


def init(x0, P):
    return State(x=x0.copy(), y=x0.copy(), tmp=x0.copy(), k=np.zeros(1))


def query(s, P):
    return s.y


def update(s, g, fx, P):
    t = int(s.k[0])
    a = P.mom[t]
    ops.lincomb(s.tmp, 1.0, s.y, -P.step, g)       # tmp = x_{t+1}
    ops.lincomb(s.y, 1.0 + a, s.tmp, -a, s.x)      # y_{t+1} = x_{t+1} + a (x_{t+1} - x_t)
    ops.assign(s.x, s.tmp)
    s.k[0] = t + 1


def make_params(p, N, prob):
    L = need(prob, "L", "fgm", "the normalized step h/L")
    lam = lambdas(N + 1)
    if p["variant"] == "strongly-convex":
        mu = need(prob, "mu", "fgm", "the strongly convex momentum (sqrt L - sqrt mu)/(sqrt L + sqrt mu)")
        q = (math.sqrt(L) - math.sqrt(mu)) / (math.sqrt(L) + math.sqrt(mu))
        mom = np.full(N, q)
    else:
        mom = (lam[:N] - 1.0) / lam[1:N + 1]
    return P(step=p["h"] / L, mom=mom, lam=lam)


def bound(N: int, L: float = 1.0, R: float = 1.0) -> float:
    """T04: L R^2/(2 lam_N^2) for the convex variant with h = 1 (lam_N = lambdas(N)[N-1])."""
    return L * R * R / (2 * lambdas(N)[N - 1] ** 2)


PLUGIN = Algorithm(
    name="fgm",
    summary="Nesterov's fast gradient method (FISTA form), step h/L; measured at x_N",
    update_rule="x_{t+1} = y_t - (h/L) grad f(y_t);  y_{t+1} = x_{t+1} + (lam_{t+1}-1)/lam_{t+2} (x_{t+1} - x_t)",
    params=(
        Param("h", Interval(0, float("inf"), lo_open=True, hi_open=True), 1.0, "normalized step (step = h/L; 1 in T04)"),
        Param("variant", Choice(("convex", "strongly-convex")), "convex",
              "momentum: lam-sequence (convex) or constant (sqrt L - sqrt mu)/(sqrt L + sqrt mu)"),
    ),
    State=State, init=init, query=query, update=update, make_params=make_params,
    stochastic=False,
    references=("Y. Nesterov, Soviet Math. Dokl. 27 (1983)",
                "A. Beck, M. Teboulle, SIAM J. Imaging Sci. 2 (2009), Thm 4.4",
                "A. d'Aspremont, D. Scieur, A. Taylor, arXiv 2101.09545, Cor. 4.15"),
)

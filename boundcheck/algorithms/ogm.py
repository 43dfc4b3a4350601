"""ogm: the optimized gradient method of Kim and Fessler (2016), horizon N known in advance.

    theta_0 = 1,  theta_i = (1 + sqrt(4 theta_{i-1}^2 + 1))/2  (i < N),
    theta_N = (1 + sqrt(8 theta_{N-1}^2 + 1))/2
    x_{t+1} = y_t - (h/L) grad f(y_t)
    y_{t+1} = x_{t+1} + (theta_t - 1)/theta_{t+1} (x_{t+1} - x_t) + theta_t/theta_{t+1} (x_{t+1} - y_t)

Oracle calls at y_0 = x_0, ..., y_{N-1}. The theorem bounds the declared output y_N:
f(y_N) - f* <= L R^2/(2 theta_N^2) <= L R^2/((N+1)(N+1+sqrt 2)), tight (Kim-Fessler 2016, Thm 2;
optimal by Drori 2017). Measured at x_N instead, the bound is violated (T04).
"""
from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from .. import ops
from ..algorithm import Algorithm
from ..params import Interval, Param


class State(NamedTuple):
    x: np.ndarray
    y: np.ndarray
    tmp: np.ndarray
    k: np.ndarray  # k[0] = t


class P(NamedTuple):
    step: float
    theta: np.ndarray  # theta_0..theta_N


def thetas(N: int) -> np.ndarray:
    th = np.ones(N + 1)
    for i in range(1, N + 1):
        c = 8.0 if i == N else 4.0
        th[i] = (1 + math.sqrt(c * th[i - 1] ** 2 + 1)) / 2
    return th


def init(x0, P):
    return State(x=x0.copy(), y=x0.copy(), tmp=x0.copy(), k=np.zeros(1))


def query(s, P):
    return s.y


def update(s, g, fx, P):
    t = int(s.k[0])
    a = (P.theta[t] - 1.0) / P.theta[t + 1]
    b = P.theta[t] / P.theta[t + 1]
    ops.lincomb(s.tmp, 1.0, s.y, -P.step, g)  # tmp = x_{t+1}
    ops.lincomb(s.y, 1.0 + a + b, s.tmp, -b, s.y)
    ops.axpy(s.y, -a, s.x)
    ops.assign(s.x, s.tmp)
    s.k[0] = t + 1


def output(s, P):
    return s.y


def make_params(p, N, prob):
    return P(step=p["h"] / prob["L"], theta=thetas(N))


PLUGIN = Algorithm(
    name="ogm",
    summary="optimized gradient method (Kim-Fessler), output y_N",
    update_rule=__doc__.split("\n\n")[1],
    params=(
        Param("h", Interval(0, float("inf"), lo_open=True, hi_open=True), 1.0, "normalized step (1 in the theorem)"),
    ),
    State=State, init=init, query=query, update=update, make_params=make_params, output=output,
    stochastic=False, horizon_dependent=lambda p: True,
    references=("D. Kim, J. Fessler, Math. Prog. 159 (2016), arXiv 1406.5468, Thm 2",
                "Y. Drori, J. Complexity 39 (2017), arXiv 1606.01424"),
)

"""extragradient: Korpelevich's extragradient method for an operator F (a monotone VI, T25),
normalized step h (step gamma = h/L), written one oracle call per engine step:

    y_k     = x_k - gamma F(x_k)          (engine step 2k:   oracle at x_k)
    x_{k+1} = x_k - gamma F(y_k)          (engine step 2k+1: oracle at y_k)

so N engine steps (oracle calls) are K = N/2 extragradient iterations and, at even N, State.x is
x_K. Claims on EG state their horizon in iterations K = N/2 and use even N. Linear in F: exact in
the PEP. The last-iterate O(1/K) rate of ||F(x_K)||^2 on monotone Lipschitz operators is
Gorbunov, Loizou, Gidel (AISTATS 2022, arXiv 2110.04261).

References: G. Korpelevich, Ekonomika i Mat. Metody 12 (1976); E. Gorbunov, N. Loizou, G. Gidel,
AISTATS 2022, arXiv 2110.04261.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .. import ops
from ..algorithm import Algorithm
from ..params import Interval, Param
from ._common import need


class State(NamedTuple):
    x: np.ndarray
    y: np.ndarray
    k: np.ndarray  # k[0] = engine step t (even: extrapolation, odd: update)


class P(NamedTuple):
    step: float


def init(x0, P):
    return State(x=x0.copy(), y=x0.copy(), k=np.zeros(1))


def query(s, P):
    if int(s.k[0]) % 2 == 0:
        return s.x
    return s.y


def update(s, g, fx, P):
    t = int(s.k[0])
    if t % 2 == 0:
        ops.lincomb(s.y, 1.0, s.x, -P.step, g)   # y_k = x_k - gamma F(x_k)
    else:
        ops.axpy(s.x, -P.step, g)                # x_{k+1} = x_k - gamma F(y_k)
    s.k[0] = t + 1


def make_params(p, N, prob):
    return P(step=p["h"] / need(prob, "L", "extragradient", "the step is h/L"))


PLUGIN = Algorithm(
    name="extragradient",
    summary="extragradient (Korpelevich) for operators, step h/L; 2 oracle calls (engine steps) per iteration",
    update_rule="y_k = x_k - (h/L) F(x_k);  x_{k+1} = x_k - (h/L) F(y_k)   (N engine steps = N/2 iterations)",
    params=(
        Param("h", Interval(0, float("inf"), lo_open=True, hi_open=True), 0.5, "normalized step (gamma = h/L)"),
    ),
    State=State, init=init, query=query, update=update, make_params=make_params,
    stochastic=False,
    references=("G. Korpelevich, Ekonomika i Mat. Metody 12 (1976)",
                "E. Gorbunov, N. Loizou, G. Gidel, AISTATS 2022, arXiv 2110.04261"),
)

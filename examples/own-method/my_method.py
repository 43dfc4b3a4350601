"""my-hb: heavy ball written with a momentum buffer (a user's method, for docs/own-method.md).

    m_t = beta m_{t-1} + g_t,   m_{-1} = 0,        x_{t+1} = x_t - (h/L) m_t

Unrolled, x_{t+1} = x_t - (h/L) g_t + beta (x_t - x_{t-1}): Polyak's heavy ball with step h/L and
constant momentum beta. Every step is a linear combination of vectors (boundcheck.ops), so the PEP
engine runs it exactly and `boundcheck certify` can bound its worst case.
"""
from typing import NamedTuple

import numpy as np

from boundcheck import ops
from boundcheck.algorithm import Algorithm
from boundcheck.params import Interval, Param


class State(NamedTuple):
    x: np.ndarray   # the iterate (first field: what the metrics call "last")
    m: np.ndarray   # the momentum buffer


class P(NamedTuple):
    step: float     # h / L
    beta: float


def init(x0, P):
    return State(x=x0.copy(), m=x0 - x0)


def query(s, P):
    return s.x


def update(s, g, fx, P):
    ops.lincomb(s.m, P.beta, s.m, 1.0, g)   # m = beta m + g
    ops.axpy(s.x, -P.step, s.m)             # x = x - (h/L) m


def make_params(p, N, prob):
    return P(step=p["h"] / prob["L"], beta=p["beta"])


PLUGIN = Algorithm(
    name="my-hb",
    summary="heavy ball in momentum-buffer form, step h/L, momentum beta",
    update_rule="m_t = beta m_{t-1} + g_t; x_{t+1} = x_t - (h/L) m_t",
    params=(
        Param("h", Interval(0, 1, lo_open=True, hi_open=True), 0.25, "normalized step (step = h/L), h < 1 - beta"),
        Param("beta", Interval(0, 1, lo_open=False, hi_open=True), 0.5, "momentum in [0, 1)"),
    ),
    State=State, init=init, query=query, update=update, make_params=make_params,
    stochastic=False,
)

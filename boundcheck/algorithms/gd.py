"""gd: gradient descent with the normalized step h (step = h/L).

    x_{t+1} = x_t - (h/L) g_t,        g_t = grad f(x_t)  (+ noise, if a noise model is given)

References: Y. Nesterov (2004), Sec. 2.1.5; worst case Drori and Teboulle (2014), Thm 3.1 (T01).
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .. import ops
from ..algorithm import Algorithm
from ..params import Interval, Param


class State(NamedTuple):
    x: np.ndarray


class P(NamedTuple):
    step: float


def init(x0, P):
    return State(x=x0.copy())


def query(s, P):
    return s.x


def update(s, g, fx, P):
    ops.axpy(s.x, -P.step, g)


def make_params(p, N, prob):
    return P(step=p["h"] / prob["L"])


PLUGIN = Algorithm(
    name="gd",
    summary="gradient descent, constant step h/L",
    update_rule="x_{t+1} = x_t - (h/L) grad f(x_t)",
    params=(
        Param("h", Interval(0, float("inf"), lo_open=True, hi_open=True), 1.0, "normalized step (step = h/L)"),
    ),
    State=State, init=init, query=query, update=update, make_params=make_params,
    stochastic=False,
    references=("Y. Drori, M. Teboulle, Math. Prog. 145 (2014), arXiv 1206.3209, Thm 3.1",),
)

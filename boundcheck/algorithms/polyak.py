"""polyak: gradient descent with the Polyak step (needs f* and f(x_t)).

    gamma_t = min( (f(x_t) - f*) / ||g_t||^2 , gamma_max ),     x_{t+1} = x_t - gamma_t g_t

f* is the problem's ``f_star`` (certified by the instance generator); needs_value=True: update
reads fx = f(x_t). A zero gradient (or f(x_t) <= f*) gives no move. Convex M-Lipschitz:
min_t f(x_t) - f* <= M R/sqrt(N+1) (best iterate, like T06 but with no knowledge of R, M, N);
L-smooth convex: f(x_t) - f* = O(L R^2/t).

References: B.T. Polyak, Introduction to Optimization (1987), Sec. 5.3; E. Hazan, S. Kakade,
"Revisiting the Polyak step size", arXiv 1905.00313 (2019).
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
    k: np.ndarray  # [t, last step gamma_t]


class P(NamedTuple):
    f_star: float
    gamma_max: float


def init(x0, P):
    return State(x=x0.copy(), k=np.zeros(2))


def query(s, P):
    return s.x


def update(s, g, fx, P):
    gsq = ops.norm_sq(g)
    gap = fx - P.f_star
    step = 0.0
    if gsq > 0.0 and gap > 0.0:
        step = gap / gsq
        if step > P.gamma_max:
            step = P.gamma_max
    s.k[1] = step
    ops.axpy(s.x, -step, g)
    s.k[0] += 1.0


def make_params(p, N, prob):
    return P(f_star=need(prob, "f_star", "polyak", "the Polyak step (f(x) - f*)/||g||^2"),
             gamma_max=float(p["gamma_max"]))


PLUGIN = Algorithm(
    name="polyak",
    summary="gradient method with the Polyak step (f(x) - f*)/||g||^2",
    update_rule="x_{t+1} = x_t - min((f(x_t) - f*)/||g_t||^2, gamma_max) g_t",
    params=(Param("gamma_max", Interval(0, float("inf"), lo_open=True), float("inf"),
                  "cap on the step (inf = the pure Polyak step)"),),
    State=State, init=init, query=query, update=update, make_params=make_params,
    stochastic=False, needs_value=True,
    references=("B.T. Polyak, Introduction to Optimization (1987), Sec. 5.3",
                "E. Hazan, S. Kakade, arXiv 1905.00313 (2019)"),
)

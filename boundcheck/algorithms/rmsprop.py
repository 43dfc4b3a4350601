"""rmsprop: RMSProp (Tieleman-Hinton 2012), no momentum, no bias correction.

    v_t     = beta2_t v_{t-1} + (1 - beta2_t) g_t^2               (element-wise, v_{-1} = 0)
    x_{t+1} = x_t - gamma_t g_t / (sqrt(v_t) + eps)

This is adam with beta1 = 0 and bias_correction=off. T16 (Zhang-Zhou-Zou) needs beta2 -> 1 with
the horizon and a step tuned to it, e.g. ``rmsprop[gamma=0.1/sqrt(N),beta2=1-1/N]``.

References: T. Tieleman, G. Hinton, COURSERA lecture 6.5 (2012); Q. Zhang, Y. Zhou, S. Zou,
arXiv 2404.01436 (T16).
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .. import ops
from ..algorithm import Algorithm
from ..params import Interval, Param
from ._common import MOMENTUM, batch_param, shape_param, step_param, steps, uses_horizon


class State(NamedTuple):
    x: np.ndarray
    v: np.ndarray
    k: np.ndarray  # k[0] = t


class P(NamedTuple):
    gamma: np.ndarray
    beta2: np.ndarray
    eps: float


def init(x0, P):
    return State(x=x0.copy(), v=x0 - x0, k=np.zeros(1))


def query(s, P):
    return s.x


def update(s, g, fx, P):
    t = int(s.k[0])
    ops.ema_sq(s.v, P.beta2[t], g)
    ops.adaptive_axpy(s.x, -P.gamma[t], g, s.v, 1.0, P.eps)
    s.k[0] = t + 1


def make_params(p, N, prob):
    return P(gamma=steps(p, N, prob), beta2=steps(p, N, prob, "beta2", shape_key=None, domain=MOMENTUM),
             eps=float(p["eps"]))


PLUGIN = Algorithm(
    name="rmsprop",
    summary="RMSProp: step gamma_t g/(sqrt(v) + eps), v an EMA of g^2",
    update_rule="v_t = beta2 v_{t-1} + (1-beta2) g_t^2;  x_{t+1} = x_t - gamma_t g_t/(sqrt(v_t) + eps)",
    params=(step_param("gamma", 1e-3, "step gamma_t"), shape_param(),
            Param("beta2", MOMENTUM, 0.99, "second-moment decay beta2_t in [0, 1) (number or formula, e.g. '1-1/N')"),
            Param("eps", Interval(0, float("inf"), hi_open=True), 1e-8, "added to sqrt(v) (0 allowed)"),
            batch_param()),
    State=State, init=init, query=query, update=update, make_params=make_params,
    stochastic=True, horizon_dependent=lambda p: uses_horizon(p, "gamma", "beta2"),
    references=("T. Tieleman, G. Hinton, COURSERA: Neural Networks for Machine Learning, lecture 6.5 (2012)",
                "Q. Zhang, Y. Zhou, S. Zou, arXiv 2404.01436"),
)

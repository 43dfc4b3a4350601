"""adam: Adam (Kingma-Ba), with bias correction as an option (Reddi et al.'s form without it).

    m_t     = beta1_t m_{t-1} + (1 - beta1_t) g_t
    v_t     = beta2_t v_{t-1} + (1 - beta2_t) g_t^2                        (element-wise)
    x_{t+1} = x_t - a_t m_t / (sqrt(s_t v_t) + eps)

with bias correction (``bias_correction=on``, Kingma-Ba): a_t = gamma_t/(1 - prod_{i<=t} beta1_i),
s_t = 1/(1 - prod_{i<=t} beta2_i) (= 1 - beta^{t+1} for constant betas, 0-based t); without it
(``off``, the generic framework of Reddi-Kale-Kumar 2018, Alg. 1 with eps = 0): a_t = gamma_t,
s_t = 1. m_{-1} = v_{-1} = 0. Coordinates with sqrt(s v) + eps = 0 (eps = 0 and g_i = 0 so far)
do not move. Reddi's counterexample (T22) needs beta1 = 0, beta2 = 1/(1+C^2), not the defaults.
T16's guarantees need beta2 -> 1 tied to the horizon (e.g. ``beta2='1-1/N'``).

References: D.P. Kingma, J. Ba, ICLR 2015, arXiv 1412.6980; S.J. Reddi, S. Kale, S. Kumar, ICLR 2018,
arXiv 1904.09237 (T22); Q. Zhang, Y. Zhou, S. Zou, arXiv 2404.01436 (T16).
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .. import ops
from ..algorithm import Algorithm
from ..params import Choice, Interval, Param
from ._common import (MOMENTUM, adaptive_params, batch_param, bias_correction, shape_param,
                      step_param, steps, uses_horizon)


class State(NamedTuple):
    x: np.ndarray
    m: np.ndarray
    v: np.ndarray
    k: np.ndarray  # k[0] = t


class P(NamedTuple):
    a: np.ndarray      # -gamma_t (/(1 - prod beta1) with bias correction)
    s: np.ndarray      # second-moment scale (1/(1 - prod beta2) with bias correction, else 1)
    beta1: np.ndarray
    beta2: np.ndarray
    eps: float


def init(x0, P):
    return State(x=x0.copy(), m=x0 - x0, v=x0 - x0, k=np.zeros(1))


def query(s, P):
    return s.x


def update(s, g, fx, P):
    t = int(s.k[0])
    b1 = P.beta1[t]
    ops.lincomb(s.m, b1, s.m, 1.0 - b1, g)
    ops.ema_sq(s.v, P.beta2[t], g)
    ops.adaptive_axpy(s.x, P.a[t], s.m, s.v, P.s[t], P.eps)
    s.k[0] = t + 1


def moments(p, N, prob):
    """(a, s, beta1, beta2) arrays shared with amsgrad."""
    gamma = steps(p, N, prob)
    b1 = steps(p, N, prob, "beta1", shape_key=None, domain=MOMENTUM)
    b2 = steps(p, N, prob, "beta2", shape_key=None, domain=MOMENTUM)
    if p["bias_correction"] == "on":
        a = -gamma / bias_correction(b1)
        s = 1.0 / bias_correction(b2)
    else:
        a = -gamma
        s = np.ones(N)
    return a, s, b1, b2


def make_params(p, N, prob):
    a, s, b1, b2 = moments(p, N, prob)
    return P(a=a, s=s, beta1=b1, beta2=b2, eps=float(p["eps"]))


def bias_param(default: str) -> Param:
    return Param("bias_correction", Choice(("on", "off")), default,
                 "divide by 1 - prod beta_i (Kingma-Ba) or not (Reddi et al. Alg. 1-2)")


PLUGIN = Algorithm(
    name="adam",
    summary="Adam (Kingma-Ba; bias correction optional)",
    update_rule="m = b1 m + (1-b1) g;  v = b2 v + (1-b2) g^2;  x -= a_t m/(sqrt(s_t v) + eps)",
    params=(step_param("gamma", 1e-3, "step (learning rate) gamma_t"), shape_param(),
            *adaptive_params(),
            Param("eps", Interval(0, float("inf"), hi_open=True), 1e-8, "added to sqrt(v) (0 allowed)"),
            bias_param("on"), batch_param()),
    State=State, init=init, query=query, update=update, make_params=make_params,
    stochastic=True, horizon_dependent=lambda p: uses_horizon(p, "gamma", "beta1", "beta2"),
    references=("D.P. Kingma, J. Ba, ICLR 2015, arXiv 1412.6980",
                "S.J. Reddi, S. Kale, S. Kumar, ICLR 2018, arXiv 1904.09237",
                "Q. Zhang, Y. Zhou, S. Zou, arXiv 2404.01436"),
)

"""amsgrad: AMSGrad (Reddi-Kale-Kumar 2018, Alg. 2): Adam with a running max of the second moment.

    m_t     = beta1_t m_{t-1} + (1 - beta1_t) g_t
    v_t     = beta2_t v_{t-1} + (1 - beta2_t) g_t^2
    vhat_t  = max(vhat_{t-1}, v_t)                                   (element-wise, vhat_{-1} = 0)
    x_{t+1} = x_t - a_t m_t / (sqrt(s_t vhat_t) + eps)

Defaults follow Reddi et al. (no bias correction, eps = 0: a_t = gamma_t, s_t = 1; the paper's
theory uses gamma_t = gamma/sqrt(t), i.e. ``schedule=inv-sqrt``). ``bias_correction=on`` scales as
adam does, applied after the max (as common implementations do). Coordinates with a zero
denominator (no gradient seen yet) do not move.

References: S.J. Reddi, S. Kale, S. Kumar, "On the convergence of Adam and beyond", ICLR 2018,
arXiv 1904.09237 (T22).
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .. import ops
from ..algorithm import Algorithm
from ..params import Interval, Param
from ._common import adaptive_params, batch_param, shape_param, step_param, uses_horizon
from .adam import bias_param, moments


class State(NamedTuple):
    x: np.ndarray
    m: np.ndarray
    v: np.ndarray
    vhat: np.ndarray
    k: np.ndarray  # k[0] = t


class P(NamedTuple):
    a: np.ndarray
    s: np.ndarray
    beta1: np.ndarray
    beta2: np.ndarray
    eps: float


def init(x0, P):
    return State(x=x0.copy(), m=x0 - x0, v=x0 - x0, vhat=x0 - x0,
                 k=np.zeros(1))


def query(s, P):
    return s.x


def update(s, g, fx, P):
    t = int(s.k[0])
    b1 = P.beta1[t]
    ops.lincomb(s.m, b1, s.m, 1.0 - b1, g)
    ops.ema_sq(s.v, P.beta2[t], g)
    ops.maximum(s.vhat, s.v)
    ops.adaptive_axpy(s.x, P.a[t], s.m, s.vhat, P.s[t], P.eps)
    s.k[0] = t + 1


def make_params(p, N, prob):
    a, s, b1, b2 = moments(p, N, prob)
    return P(a=a, s=s, beta1=b1, beta2=b2, eps=float(p["eps"]))


PLUGIN = Algorithm(
    name="amsgrad",
    summary="AMSGrad (Reddi et al. 2018): Adam with vhat = running max of v",
    update_rule="m = b1 m + (1-b1) g;  v = b2 v + (1-b2) g^2;  vhat = max(vhat, v);  x -= a_t m/(sqrt(s_t vhat) + eps)",
    params=(step_param("gamma", 1e-3, "step gamma_t (theory: gamma/sqrt(t), schedule=inv-sqrt)"),
            shape_param(), *adaptive_params(),
            Param("eps", Interval(0, float("inf"), hi_open=True), 0.0, "added to sqrt(vhat) (Reddi et al.: 0)"),
            bias_param("off"), batch_param()),
    State=State, init=init, query=query, update=update, make_params=make_params,
    stochastic=True, horizon_dependent=lambda p: uses_horizon(p, "gamma", "beta1", "beta2"),
    references=("S.J. Reddi, S. Kale, S. Kumar, ICLR 2018, arXiv 1904.09237",),
)

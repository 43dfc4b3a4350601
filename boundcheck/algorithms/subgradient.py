"""subgradient: the subgradient method with a constant or scheduled step.

    x_{t+1} = x_t - gamma_t g_t,        g_t in partial f(x_t)  (+ noise, if a noise model is given)

``gamma`` is a number or a formula in t (0-based), N and the problem constants; T06's step is
``gamma='R/(M*sqrt(N+1))'``, for which min_{0<=t<=N} f(x_t) - f* <= M R/sqrt(N+1) (tight). The
bound is on the BEST iterate (the engine's ``min``), not the last (theorems.md pitfall 4); last-
iterate bounds need a schedule (linear decay, T24: ``schedule=linear-decay``).
Linear in the oracle outputs with numeric steps: the PEP lowers it exactly.

References: Y. Nesterov (2004), Sec. 3.2.3; S. Boyd, L. Xiao, A. Mutapcic (2003); Y. Drori,
M. Teboulle, Math. Prog. 160 (2016), arXiv 1409.2636 (tightness); A. Defazio, A. Cutkosky,
H. Mehta, K. Mishchenko 2023 (last iterate with linear decay, T24).
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .. import ops
from ..algorithm import Algorithm
from ._common import batch_param, shape_param, step_param, steps, uses_horizon


class State(NamedTuple):
    x: np.ndarray
    k: np.ndarray  # k[0] = t


class P(NamedTuple):
    gamma: np.ndarray  # gamma_t, t = 0..N-1


def init(x0, P):
    return State(x=x0.copy(), k=np.zeros(1))


def query(s, P):
    return s.x


def update(s, g, fx, P):
    t = int(s.k[0])
    ops.axpy(s.x, -P.gamma[t], g)
    s.k[0] = t + 1


def make_params(p, N, prob):
    return P(gamma=steps(p, N, prob))


PLUGIN = Algorithm(
    name="subgradient",
    summary="subgradient method, step gamma_t (T06: gamma = R/(M sqrt(N+1)), best iterate)",
    update_rule="x_{t+1} = x_t - gamma_t g_t,  g_t in partial f(x_t)",
    params=(step_param("gamma", 0.01, "step size gamma_t (T06: 'R/(M*sqrt(N+1))')"), shape_param(),
            batch_param()),
    State=State, init=init, query=query, update=update, make_params=make_params,
    stochastic=True, horizon_dependent=lambda p: uses_horizon(p, "gamma"),
    references=("Y. Nesterov, Introductory Lectures on Convex Optimization (2004), Sec. 3.2.3",
                "Y. Drori, M. Teboulle, Math. Prog. 160 (2016), arXiv 1409.2636",
                "A. Defazio, A. Cutkosky, H. Mehta, K. Mishchenko, arXiv 2310.07831 (2023)"),
)

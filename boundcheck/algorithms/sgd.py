"""sgd: stochastic gradient descent with a constant, decaying, horizon-tuned or user-given step.

    x_{t+1} = x_t - gamma_t g_t,      g_t = (1/B) sum_{b<B} (grad f(x_t) + xi_{t,b})

gamma_t = gamma * shape(t): ``gamma`` is a number or a formula in t (0-based), N and the problem
constants (schedule.py), ``schedule`` a named shape (constant, inv-sqrt = 1/sqrt(t+1), horizon =
1/sqrt(N), linear-decay = 1 - t/N, ...). B = ``batch`` draws are averaged by the engine.

References: H. Robbins, S. Monro (1951); A. Nemirovski, A. Juditsky, G. Lan, A. Shapiro, SIAM J.
Optim. 19 (2009) (averaged iterate, gamma ~ 1/sqrt(N)); Z. Liu, Z. Zhou, ICLR 2024 (last iterate,
T11); A. Defazio et al. 2023 (linear decay, T24). Convex rates bound the average (``avg``); the
last iterate carries an extra log T (docs/pitfalls.md#which-iterate).
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
    name="sgd",
    summary="stochastic gradient descent, step gamma_t = gamma * shape(t)",
    update_rule="x_{t+1} = x_t - gamma_t g_t",
    params=(step_param("gamma", 0.01, "step size gamma_t"), shape_param(), batch_param()),
    State=State, init=init, query=query, update=update, make_params=make_params,
    stochastic=True, horizon_dependent=lambda p: uses_horizon(p, "gamma"),
    references=("H. Robbins, S. Monro, Ann. Math. Stat. 22 (1951)",
                "A. Nemirovski, A. Juditsky, G. Lan, A. Shapiro, SIAM J. Optim. 19 (2009)",
                "Z. Liu, Z. Zhou, ICLR 2024, arXiv 2312.08531 (last iterate)"),
)

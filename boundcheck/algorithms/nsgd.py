"""nsgd: normalized (stochastic) gradient descent.

    x_{t+1} = x_t - gamma_t g_t/||g_t||^beta     (no move when g_t = 0; beta = 1: unit direction)

``beta`` in [0, 1] is the normalization power of Chen et al. (T15: x+ = x - gamma g/||g||^beta;
beta = 0 is sgd). g_t is the average of ``batch`` stochastic gradients (normalized SGD needs large batches without
momentum; see nsgd-m). Deterministic use (no noise) is normalized GD: T12 ((L0,L1)-smooth) and
T15 (alpha-symmetric smoothness, O(eps^-2)).

References: Y. Nesterov (1984) / Shor; Z. Chen, Y. Zhou, Y. Liang, Z. Lu, ICML 2023, arXiv
2303.02854 (T15); J. Zhang, T. He, S. Sra, A. Jadbabaie, ICLR 2020, arXiv 1905.11881 (T12);
A. Cutkosky, H. Mehta, ICML 2020, arXiv 2002.03305.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .. import ops
from ..algorithm import Algorithm
from ..params import Interval, Param
from ._common import batch_param, shape_param, step_param, steps, uses_horizon


class State(NamedTuple):
    x: np.ndarray
    k: np.ndarray  # k[0] = t


class P(NamedTuple):
    gamma: np.ndarray
    beta: float


def init(x0, P):
    return State(x=x0.copy(), k=np.zeros(1))


def query(s, P):
    return s.x


def update(s, g, fx, P):
    t = int(s.k[0])
    if P.beta == 1.0:
        ops.normalize(g)
        ops.axpy(s.x, -P.gamma[t], g)
    else:
        n = ops.norm(g)
        if n > 0.0:
            ops.axpy(s.x, -P.gamma[t] / n ** P.beta, g)
    s.k[0] = t + 1


def make_params(p, N, prob):
    return P(gamma=steps(p, N, prob), beta=float(p["beta"]))


PLUGIN = Algorithm(
    name="nsgd",
    summary="normalized SGD: unit-norm direction, step gamma_t",
    update_rule="x_{t+1} = x_t - gamma_t g_t/||g_t||^beta",
    params=(step_param("gamma", 0.01, "step length gamma_t (= ||x_{t+1} - x_t|| when beta = 1)"), shape_param(),
            Param("beta", Interval(0, 1), 1.0, "normalization power: step gamma_t g/||g||^beta (T15)"),
            batch_param()),
    State=State, init=init, query=query, update=update, make_params=make_params,
    stochastic=True, horizon_dependent=lambda p: uses_horizon(p, "gamma"),
    references=("Z. Chen, Y. Zhou, Y. Liang, Z. Lu, ICML 2023, arXiv 2303.02854",
                "J. Zhang, T. He, S. Sra, A. Jadbabaie, ICLR 2020, arXiv 1905.11881"),
)

"""adagrad-norm: SGD with AdaGrad-norm step sizes (a single adaptive scalar step).

    b_t^2   = b0^2 + sum_{s<=t} ||g_s||^2              (includes the current gradient)
    x_{t+1} = x_t - (gamma / b_t) g_t

``gamma`` is the paper's eta (stochastic methods call their step ``gamma``, docs/adding-an-algorithm.md).
Rates (T20, Attia-Koren): smooth nonconvex, affine variance: (1/T) sum ||grad f(x_t)||^2 =
O~(1/T + sigma0/sqrt T) with high probability, no tuning; convex O~(L D^2/T + sigma0 D/sqrt T).

References: R. Ward, X. Wu, L. Bottou, ICML 2019 / JMLR 21 (2020), arXiv 1806.01811 (AdaGrad-Norm);
A. Attia, T. Koren, ICML 2023, arXiv 2302.08783 (T20).
"""
from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from .. import ops
from ..algorithm import Algorithm
from ..params import Interval, Param
from ._common import batch_param


class State(NamedTuple):
    x: np.ndarray
    k: np.ndarray  # [t, b_t^2]


class P(NamedTuple):
    gamma: float
    b0sq: float


def init(x0, P):
    k = np.zeros(2)
    k[1] = P.b0sq
    return State(x=x0.copy(), k=k)


def query(s, P):
    return s.x


def update(s, g, fx, P):
    b2 = s.k[1] + ops.norm_sq(g)
    s.k[1] = b2
    ops.axpy(s.x, -P.gamma / math.sqrt(b2), g)
    s.k[0] += 1.0


def make_params(p, N, prob):
    return P(gamma=float(p["gamma"]), b0sq=float(p["b0"]) ** 2)


PLUGIN = Algorithm(
    name="adagrad-norm",
    summary="SGD with AdaGrad-norm step gamma/sqrt(b0^2 + sum ||g||^2)",
    update_rule="b_t^2 = b0^2 + sum_{s<=t} ||g_s||^2;  x_{t+1} = x_t - (gamma/b_t) g_t",
    params=(
        Param("gamma", Interval(0, float("inf"), lo_open=True, hi_open=True), 0.1,
              "numerator of the step (eta in Ward-Wu-Bottou and Attia-Koren)"),
        Param("b0", Interval(0, float("inf"), lo_open=True, hi_open=True), 1e-6, "initial accumulator b0 > 0"),
        batch_param(),
    ),
    State=State, init=init, query=query, update=update, make_params=make_params,
    stochastic=True,
    references=("R. Ward, X. Wu, L. Bottou, JMLR 21 (2020), arXiv 1806.01811",
                "A. Attia, T. Koren, ICML 2023, arXiv 2302.08783"),
)

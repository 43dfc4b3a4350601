"""sgd-epoch-avg: SGD over epochs of n oracle steps, output a weighted average of the epoch ends.

    x_{t+1} = x_t - gamma_t g_t,                               t = 0, 1, ..., N - 1
    xhat_N  = sum_{k=1}^{K} a_k x_{kn} / sum_{k=1}^{K} a_k,    K = floor(N / n) epochs

The iterate sequence is plain SGD (the finite-sum oracle chooses g_t's component: reshuffle, with
replacement, shuffle once, incremental; boundcheck/oracles). The declared output (iterate ``out``)
is the weighted average of the epoch-end iterates x_n, x_{2n}, ..., x_{Kn}: the iterate that
Cha, Lee and Yun's lower bounds for shuffling SGD cover for ANY weights a_k >= 0 (ICML 2023,
arXiv 2303.07160). ``weights``: ``uniform`` (a_k = 1), ``tail`` (a_k = 1 for k > K/2: the second
half of the epochs), ``last`` (a_K = 1 only: the last epoch end, x_{Kn}). Before the first epoch
ends the output is x_0. ``tail`` and ``last`` depend on the horizon (K), so each checkpoint is then
its own run.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .. import ops
from ..algorithm import Algorithm
from ..params import Choice, Interval, Param
from ._common import shape_param, step_param, steps, uses_horizon

WEIGHTS = ("uniform", "tail", "last")


class State(NamedTuple):
    x: np.ndarray
    xhat: np.ndarray  # the weighted average of the epoch ends so far (x_0 before the first)
    k: np.ndarray  # k[0] = t, k[1] = sum of the weights so far


class P(NamedTuple):
    gamma: np.ndarray  # gamma_t, t = 0..N-1
    n: int  # epoch length
    a: np.ndarray  # a_k of epoch k = 1..K, stored at index k - 1


def init(x0, P):
    return State(x=x0.copy(), xhat=x0.copy(), k=np.zeros(2))


def query(s, P):
    return s.x


def update(s, g, fx, P):
    t = int(s.k[0])
    ops.axpy(s.x, -P.gamma[t], g)
    t += 1
    s.k[0] = t
    if t % P.n == 0:
        e = t // P.n - 1
        w = P.a[e] if e < P.a.shape[0] else 0.0
        if w > 0.0:
            W = s.k[1] + w
            ops.lincomb(s.xhat, s.k[1] / W, s.xhat, w / W, s.x)
            s.k[1] = W


def output(s, P):
    return s.xhat


def epoch_weights(kind: str, K: int) -> np.ndarray:
    a = np.zeros(max(K, 1))
    if kind == "uniform":
        a[:] = 1.0
    elif kind == "tail":
        a[K // 2:] = 1.0
    else:
        a[K - 1 if K > 0 else 0] = 1.0
    return a


def make_params(p, N, prob):
    n = int(p["n"])
    return P(gamma=steps(p, N, prob), n=n, a=epoch_weights(p["weights"], N // n))


PLUGIN = Algorithm(
    name="sgd-epoch-avg",
    summary="SGD in epochs of n steps; output: a weighted average of the epoch-end iterates",
    update_rule="x_{t+1} = x_t - gamma_t g_t; out = sum_k a_k x_{kn} / sum_k a_k",
    params=(step_param("gamma", 0.01, "step size gamma_t"), shape_param(),
            Param("n", Interval(1, 10**9, integer=True), 1, "epoch length (the finite sum's number of components)"),
            Param("weights", Choice(WEIGHTS), "uniform",
                  "epoch weights a_k: uniform, tail (second half of the epochs), last (x_{Kn} only)")),
    State=State, init=init, query=query, update=update, make_params=make_params, output=output,
    stochastic=True,
    horizon_dependent=lambda p: p["weights"] != "uniform" or uses_horizon(p, "gamma"),
    references=("J. Cha, J. Lee, C. Yun, ICML 2023, arXiv 2303.07160 (weighted-average iterates of shuffling SGD)",),
)

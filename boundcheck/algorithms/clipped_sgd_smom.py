"""clipped-sgd-smom: clipped SGD on a smoothed median of means (Puchkin et al. 2024, T09).

Each step draws n (2m+1) independent stochastic gradients at x_t and 2m+1 standard normal
vectors z_j (the engine provides both: ``samples_per_step``, algorithm.py), then

    ghat_t  = SMoM(g) = coordinate-wise median_{j <= 2m} ( mean of block j (n draws) + theta_t z_j )
    x_{t+1} = x_t - gamma_t clip_{c_t}(ghat_t)

theta = 0 is the plain (coordinate-wise) median of means; m = 0 is clipped SGD with batch n plus
Gaussian smoothing. The gain over the O(K^{-2(alpha-1)/alpha}) barrier needs symmetric-dominant
noise (docs/pitfalls.md#median-methods-need-structure); compare methods at equal oracle calls: this one costs n(2m+1) per step
(``Algorithm.calls_per_step``).

References: N. Puchkin, E. Gorbunov, N. Kutuzov, A. Gasnikov, "Breaking the heavy-tailed noise
barrier in stochastic optimization problems", AISTATS 2024, PMLR 238:856-864, arXiv 2311.04161.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .. import ops
from ..algorithm import Algorithm
from ..params import Interval, Param
from ..schedule import Schedule
from ._common import shape_param, step_param, steps, uses_horizon
from .clipped_sgd import CLIP

SMOOTH = Schedule(0.0, float("inf"), lo_open=False, hi_open=True)  # theta in [0, inf)


class State(NamedTuple):
    x: np.ndarray
    est: np.ndarray   # the SMoM estimate
    work: np.ndarray  # scratch, length 2m+1
    k: np.ndarray     # k[0] = t


class P(NamedTuple):
    gamma: np.ndarray
    c: np.ndarray
    theta: np.ndarray
    blocks: float  # 2m + 1
    n: float       # block size


def init(x0, P):
    return State(x=x0.copy(), est=x0 - x0, work=np.zeros(int(P.blocks)), k=np.zeros(1))


def query(s, P):
    return s.x


def update(s, G, fx, P):
    t = int(s.k[0])
    ops.smom(s.est, G, int(P.blocks), int(P.n), P.theta[t], s.work)
    ops.clip(s.est, P.c[t])
    ops.axpy(s.x, -P.gamma[t], s.est)
    s.k[0] = t + 1


def make_params(p, N, prob):
    return P(gamma=steps(p, N, prob), c=steps(p, N, prob, "c", shape_key=None, domain=CLIP),
             theta=steps(p, N, prob, "theta", shape_key=None, domain=SMOOTH),
             blocks=float(2 * p["m"] + 1), n=float(p["n"]))


def samples_per_step(p):
    k = 2 * int(p["m"]) + 1
    return (k * int(p["n"]), k)


PLUGIN = Algorithm(
    name="clipped-sgd-smom",
    summary="clipped SGD on a smoothed median of means of n(2m+1) draws per step (T09)",
    update_rule="x_{t+1} = x_t - gamma_t clip_{c_t}(median_j(block mean_j + theta z_j))",
    params=(
        step_param("gamma", 0.01, "step size gamma_t"),
        Param("c", CLIP, 1.0, "clip level c_t in (0, inf] (number or formula)"),
        Param("m", Interval(0, 500, integer=True), 1, "2m+1 blocks (the median is over 2m+1 block means)"),
        Param("n", Interval(1, 10**5, integer=True), 1, "block size (draws averaged per block)"),
        Param("theta", SMOOTH, 0.1, "smoothing scale theta_t >= 0 (0 = plain median of means)"),
        shape_param(),
    ),
    State=State, init=init, query=query, update=update, make_params=make_params,
    stochastic=True, horizon_dependent=lambda p: uses_horizon(p, "gamma", "c", "theta"),
    samples_per_step=samples_per_step,
    references=("N. Puchkin, E. Gorbunov, N. Kutuzov, A. Gasnikov, AISTATS 2024, arXiv 2311.04161",),
)

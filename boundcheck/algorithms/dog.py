"""dog: Distance over Gradients, the parameter-free step of Ivgi, Hinder and Carmon (2023).

    rbar_t  = max( r_eps, max_{i<=t} ||x_i - x_0|| ),    r_eps = r_eps_rel (1 + ||x_0||)
    G_t     = sum_{i<=t} ||g_i||^2
    x_{t+1} = x_t - (rbar_t / sqrt(G_t)) g_t              (no move while G_t = 0)

Declared output (T19; docs/pitfalls.md#which-iterate): the weighted average
    xbar_T = sum_{i<T} rbar_i x_i / sum_{i<T} rbar_i
of the points where gradients were taken (weights rbar_i, as we recall the paper's Sec. 3 average;
the guarantee f(xbar_T) - f* = O~(D0 G/sqrt T) is for this average, with probability 1 - delta).
r_eps = 1e-6 (1 + ||x_0||) follows the authors' code (reps_rel); a large r_eps (e.g. 1e2 D0)
breaks the iterate-stability guarantee.

References: M. Ivgi, O. Hinder, Y. Carmon, "DoG is SGD's best friend: a parameter-free dynamic
step size schedule", ICML 2023, arXiv 2302.12022; code github.com/formll/dog.
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
    x0: np.ndarray
    xbar: np.ndarray
    k: np.ndarray  # [t, rbar, G, sum of weights]


class P(NamedTuple):
    r_eps_rel: float


def init(x0, P):
    k = np.zeros(4)
    k[1] = P.r_eps_rel * (1.0 + ops.norm(x0))
    return State(x=x0.copy(), x0=x0.copy(), xbar=x0.copy(), k=k)


def query(s, P):
    return s.x


def update(s, g, fx, P):
    r = ops.dist(s.x, s.x0)
    rbar = s.k[1]
    if r > rbar:
        rbar = r
    s.k[1] = rbar
    G = s.k[2] + ops.norm_sq(g)
    s.k[2] = G
    W = s.k[3] + rbar
    ops.lincomb(s.xbar, s.k[3] / W, s.xbar, rbar / W, s.x)  # weighted average of x_0..x_t
    s.k[3] = W
    if G > 0.0:
        ops.axpy(s.x, -rbar / math.sqrt(G), g)
    s.k[0] += 1.0


def output(s, P):
    return s.xbar


def weight(s, P):
    """DoG's weight of x_t: rbar_t = max(r_eps, max_{i<=t} ||x_i - x_0||) (iterate wmean)."""
    r2 = 0.0  # ||x_t - x_0||^2 by hand: a second inlined ops.dist trips a numba IR warning
    for i in range(s.x.shape[0]):
        e = s.x[i] - s.x0[i]
        r2 += e * e
    r = math.sqrt(r2)
    return r if r > s.k[1] else s.k[1]


def make_params(p, N, prob):
    return P(r_eps_rel=float(p["r_eps_rel"]))


PLUGIN = Algorithm(
    name="dog",
    summary="DoG parameter-free step (Ivgi-Hinder-Carmon), output: rbar-weighted average",
    update_rule="x_{t+1} = x_t - max_{i<=t} ||x_i - x_0|| / sqrt(sum_{i<=t} ||g_i||^2) g_t",
    params=(
        Param("r_eps_rel", Interval(0, float("inf"), lo_open=True, hi_open=True), 1e-6,
              "initial distance r_eps = r_eps_rel (1 + ||x0||) (reps_rel in the authors' code)"),
        batch_param(),
    ),
    State=State, init=init, query=query, update=update, make_params=make_params, output=output, weight=weight,
    stochastic=True,
    references=("M. Ivgi, O. Hinder, Y. Carmon, ICML 2023, arXiv 2302.12022",),
)

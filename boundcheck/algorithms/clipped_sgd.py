"""clipped-sgd: SGD on clipped stochastic gradients.

    x_{t+1} = x_t - gamma_t clip_{c_t}(g_t),     clip_c(g) = min(1, c/||g||) g

``gamma`` and ``c`` are numbers or formulas in t (0-based), N and the problem constants (the
theorems tune both to the horizon, docs/pitfalls.md#horizon-dependent-tuning); ``c = inf`` is exactly sgd (the clip
op leaves g untouched, the same axpy follows). ``batch`` draws are averaged before clipping.
The step is min(gamma, gamma c/||g||) g: Zhang-He-Sra-Jadbabaie's clipped GD (T12) with
eta_c = min(eta, gamma_c/||g||) is gamma = eta, c = gamma_c/eta.

References: J. Zhang, S.P. Karimireddy, A. Veit, S. Kim, S. Reddi, S. Kumar, S. Sra, NeurIPS 2020,
arXiv 1912.03194 (T07); A. Sadiev et al., ICML 2023, arXiv 2302.00999 (T08, high probability);
A. Koloskova, H. Hendrikx, S.U. Stich, ICML 2023, arXiv 2305.01588 (T13, clipping bias).
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .. import ops
from ..algorithm import Algorithm
from ..params import Param
from ..schedule import Schedule
from ._common import batch_param, shape_param, step_param, steps, uses_horizon

CLIP = Schedule(0.0, float("inf"), lo_open=True, hi_open=False)  # c in (0, inf]


class State(NamedTuple):
    x: np.ndarray
    k: np.ndarray  # k[0] = t


class P(NamedTuple):
    gamma: np.ndarray  # gamma_t
    c: np.ndarray      # clip level c_t (inf = no clipping)


def init(x0, P):
    return State(x=x0.copy(), k=np.zeros(1))


def query(s, P):
    return s.x


def update(s, g, fx, P):
    t = int(s.k[0])
    ops.clip(g, P.c[t])
    ops.axpy(s.x, -P.gamma[t], g)
    s.k[0] = t + 1


def make_params(p, N, prob):
    return P(gamma=steps(p, N, prob), c=steps(p, N, prob, "c", shape_key=None, domain=CLIP))


PLUGIN = Algorithm(
    name="clipped-sgd",
    summary="SGD with norm clipping at level c",
    update_rule="x_{t+1} = x_t - gamma_t min(1, c_t/||g_t||) g_t",
    params=(
        step_param("gamma", 0.01, "step size gamma_t"),
        Param("c", CLIP, 1.0, "clip level c_t in (0, inf] (inf = plain sgd); a number or a formula "
                              "in t, N and the problem constants"),
        shape_param(), batch_param(),
    ),
    State=State, init=init, query=query, update=update, make_params=make_params,
    stochastic=True, horizon_dependent=lambda p: uses_horizon(p, "gamma", "c"),
    references=("J. Zhang et al., NeurIPS 2020, arXiv 1912.03194",
                "A. Sadiev et al., ICML 2023, arXiv 2302.00999",
                "A. Koloskova, H. Hendrikx, S.U. Stich, ICML 2023, arXiv 2305.01588"),
)
